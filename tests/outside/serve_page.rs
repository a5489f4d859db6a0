//! The page of `wfhsim serve` (`GET /`) as a reader uses it, in a real browser: headless
//! Chromium, driven over WebDriver (`webdriver.rs`), opens it, changes a share, waits for
//! the answer and reads the headline number, which must be the number `wfhsim run` writes
//! for the TOML the page offers to download; a share out of range shows the validator's
//! message beside its field; each language is looked at in a screenshot, kept in the
//! target folder (`serve-page-id.png`, `serve-page-en.png`) for a person to look at too.
//!
//! Needs Chromium and chromedriver (`apt-get install -y chromium chromium-driver`).

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

use crate::briefing::{assert_not_blank, summary_value, three_digits};
use crate::server::Server;
use crate::webdriver::{Browser, CONTROL, ENTER};

/// The population the server and `wfhsim run` both use.
const SCALE: &str = "0.02";
const SEED: &str = "42";
/// The replicates of the page's answer (the server's default) and of the run.
const REPLICATES: &str = "30";

/// The first window's share of the first policy (a percentage on the page).
const SHARE: &str = r#"input[data-key="policy.1.schedule.1.share"]"#;
/// Its validator message.
const SHARE_PROBLEM: &str = r#".problem[data-key="policy.1.schedule.1.share"]"#;
/// The headline number: trips avoided (gross) over the whole area.
const HEADLINE: &str =
    r#"#headline tr[data-metric="trips"][data-component="gross"][data-basis="all"]"#;
/// The headline row's numbers and the summary.csv columns they are.
const COLUMNS: [(&str, &str); 4] = [
    ("data-total-p05", "total_p05"),
    ("data-total-p50", "total_p50"),
    ("data-total-p95", "total_p95"),
    ("data-per-day-p50", "per_day_p50"),
];

/// How long an answer may take (a 30-replicate run at this scale takes about a second).
const PATIENCE: Duration = Duration::from_secs(120);

/// `#progress`'s state, replicates and edit counter now.
fn progress(b: &Browser) -> [Option<String>; 3] {
    match b.try_find("#progress") {
        Some(p) => ["data-state", "data-replicates", "data-edit"].map(|a| p.attribute(a)),
        None => [None, None, None],
    }
}

/// Waits until the page shows the whole answer (`done`, 30 replicates) to edit `edit`.
fn wait_done(b: &Browser, edit: u32) {
    let want = [
        Some("done".into()),
        Some(REPLICATES.into()),
        Some(edit.to_string()),
    ];
    let what = format!("the 30-replicate answer to edit {edit}");
    b.wait_for(&what, PATIENCE, |b| match progress(b) {
        p if p == want => Ok(()),
        p => Err(format!("#progress {p:?}")),
    });
}

/// Waits until the page shows an error for edit `edit`.
fn wait_error(b: &Browser, edit: u32) {
    let what = format!("an error for edit {edit}");
    b.wait_for(&what, PATIENCE, |b| match progress(b) {
        [Some(s), _, Some(e)] if s == "error" && e == edit.to_string() => Ok(()),
        p => Err(format!("#progress {p:?}")),
    });
}

/// The headline row's numbers, in [`COLUMNS`]' order, at full precision; its visible
/// text has the trips per day to three digits, grouped as `thousands` says.
fn headline(b: &Browser, thousands: char) -> [f64; 4] {
    let row = b.find(HEADLINE);
    let numbers = COLUMNS.map(|(attr, _)| {
        let v = row
            .attribute(attr)
            .unwrap_or_else(|| panic!("{HEADLINE} has no {attr}"));
        v.parse()
            .unwrap_or_else(|_| panic!("{HEADLINE} {attr}={v:?} is not a number"))
    });
    let text = row.text();
    let per_day = three_digits(numbers[3], thousands);
    assert!(
        row.displayed() && text.contains(&per_day),
        "{per_day} not in {text:?}"
    );
    numbers
}

/// `wfhsim run FILE --scale 0.02 --seed 42 --replicates 30`: the headline's columns of
/// the scenario `name` from summary.csv.
fn run_headline(file: &Path, out: &Path, name: &str) -> [f64; 4] {
    Command::cargo_bin("wfhsim")
        .unwrap()
        .arg("run")
        .arg(file)
        .args(["--scale", SCALE, "--seed", SEED, "--replicates", REPLICATES])
        .arg("--out")
        .arg(out)
        .args(["--name", "run"])
        .assert()
        .success();
    let key = [name, "all", "all", "trips", "gross"];
    COLUMNS.map(|(_, column)| summary_value(&out.join("run"), key, column))
}

/// The page's numbers equal summary.csv's, to its three decimals.
fn assert_same(page: [f64; 4], run: [f64; 4], what: &str) {
    let csv = |x: [f64; 4]| x.map(|v| format!("{v:.3}"));
    assert_eq!(csv(page), csv(run), "{what}: {COLUMNS:?}");
}

/// The scenario in the page's text area, parsed; `name` and the first window's share.
fn page_toml(b: &Browser) -> (String, String, f64) {
    let text = b.find("textarea#toml").property("value");
    let text = text.as_str().expect("the text area's value").to_string();
    let t: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("not TOML ({e}):\n{text}"));
    let name = t["name"].as_str().expect("a name").to_string();
    let share = t["policy"][0]["schedule"][0]["share"]
        .as_float()
        .expect("policy[0].schedule[0].share");
    (text, name, share)
}

/// Sets the share field to `percent` as a reader does: selects its text, types over it,
/// presses Enter — one edit. (WebDriver's clear would be an edit of its own: it leaves
/// the emptied field, a `change`.)
fn type_share(b: &Browser, percent: &str) {
    b.find(SHARE)
        .send_keys(&format!("{CONTROL}a{CONTROL}{percent}{ENTER}"));
}

/// Checks a screenshot (the window's width, not blank) and keeps it in the target
/// folder as `serve-page-LANG.png` (its path printed).
fn screenshot(b: &Browser, lang: &str) {
    let png = b.screenshot();
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    assert_eq!(img.width(), 1280, "{lang}");
    assert_not_blank(&img, &format!("the page in {lang}"));
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let path = target.join(format!("serve-page-{lang}.png"));
    std::fs::write(&path, png).unwrap();
    println!("the page in {lang}: {}", path.display());
}

/// The language the page says it is in, and where its switch leads.
fn lang_and_switch(b: &Browser) -> (String, String) {
    let lang = b.execute("return document.documentElement.lang", &[]);
    let href = b.find("a#lang-switch").attribute("href");
    (
        lang.as_str().unwrap_or("").into(),
        href.expect("the switch links"),
    )
}

/// Everything the page loaded came from the server itself.
fn assert_nothing_from_elsewhere(b: &Browser, origin: &str) {
    let loaded = b.execute(
        "return performance.getEntriesByType('resource').map(e => e.name)",
        &[],
    );
    for url in loaded.as_array().expect("a list") {
        let url = url.as_str().unwrap_or("");
        assert!(url.starts_with(origin), "the page loaded {url}");
    }
}

/// The scenario list offers the shipped scenarios, by name, in the server's order.
fn assert_shipped_options(b: &Browser, server: &Server) {
    let shipped = server.get("/api/scenarios").json();
    let names: Vec<&str> = shipped["scenarios"]
        .as_array()
        .expect("a list of scenarios")
        .iter()
        .map(|s| s["name"].as_str().expect("a name"))
        .collect();
    let options = b.execute(
        "return [...document.querySelectorAll('select#scenario option')].map(o => o.value)",
        &[],
    );
    assert_eq!(options, serde_json::json!(names));
}

#[test]
fn the_page_answers_an_edit_with_the_number_run_writes_in_both_languages() {
    let server = Server::start(&["--scale", SCALE, "--seed", SEED]);
    let origin = format!("http://{}/", server.addr);
    let b = Browser::start();
    let tmp = tempfile::tempdir().unwrap();

    // The page starts on the DKI order and answers it at once, in the server's language.
    b.goto(&origin);
    wait_done(&b, 0);
    let (lang, switch) = lang_and_switch(&b);
    assert_eq!(lang, "id");
    assert!(switch.contains("lang=en"), "{switch}");
    assert_nothing_from_elsewhere(&b, &origin);
    assert_shipped_options(&b, &server);
    assert_eq!(b.find("select#scenario").property("value"), "dki-2023");
    assert_eq!(b.find(SHARE).property("value"), "50", "0.50 shown as 50%");
    let before = headline(&b, '.');
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/dki-2023.toml");
    assert_same(
        before,
        run_headline(&file, &tmp.path().join("shipped"), "dki-2023"),
        "the shipped DKI order",
    );
    screenshot(&b, "id");

    // A share of 30%: the answer is the run of the TOML the page offers, and fewer trips
    // are avoided than at 50%.
    type_share(&b, "30");
    wait_done(&b, 1);
    let after = headline(&b, '.');
    let (text, name, share) = page_toml(&b);
    assert_eq!(share, 0.3, "30 on the page is a share of 0.3:\n{text}");
    let file = tmp.path().join("page.toml");
    std::fs::write(&file, &text).unwrap();
    assert_same(
        after,
        run_headline(&file, &tmp.path().join("edited"), &name),
        "the page's TOML",
    );
    assert!(
        after[1] < before[1],
        "30% avoids fewer trips than 50%: {after:?} {before:?}"
    );

    // 150%: the validator's message beside the field, with the value and what is allowed.
    type_share(&b, "150");
    wait_error(&b, 2);
    let problem = b.find(SHARE_PROBLEM);
    assert!(problem.displayed(), "{SHARE_PROBLEM} is hidden");
    let message = problem.text();
    assert!(
        message.contains("1.5 is outside 0..1: a share is a fraction"),
        "{message}"
    );

    // The English page.
    b.goto(&format!("{origin}?lang=en"));
    wait_done(&b, 0);
    let (lang, switch) = lang_and_switch(&b);
    assert_eq!(lang, "en");
    assert!(switch.contains("lang=id"), "{switch}");
    assert_same(headline(&b, ','), before, "the English page's DKI order");
    screenshot(&b, "en");
}
