//! The page `wfhsim serve` answers at `/` and the two endpoints it uses besides the run:
//! `/api/scenario` (a scenario and edits of its keys → a file `wfhsim run` reads) and
//! `/api/briefing` (the run's briefing page or workbook as a download). The page in a real
//! browser is `tests/outside/serve_page.rs`.

use serde_json::{Value, json};

use crate::server::{Reply, Server};
use crate::support::{run_small_dki, wfhsim};

const DKI: &str = include_str!("../scenarios/dki-2023.toml");
const PRIVATE: &str = include_str!("../scenarios/private-sector-joins.toml");
const SCRIPT: &str = include_str!("../assets/serve/page.js");

fn small_server() -> Server {
    Server::start(&["--scale", "0.05", "--seed", "42", "--lang", "en"])
}

fn post_json(server: &Server, path: &str, body: &Value) -> Reply {
    server.request(
        "POST",
        path,
        &[("Content-Type", "application/json")],
        Some(body.to_string().as_bytes()),
    )
}

/// The label catalogue's texts the page carries, read from the page itself.
fn page_labels(html: &str) -> serde_json::Map<String, Value> {
    let open = "<script type=\"application/json\" id=\"labels\">";
    let a = html.find(open).expect("the labels script") + open.len();
    let b = a + html[a..].find("</script>").unwrap();
    serde_json::from_str::<Value>(&html[a..b])
        .unwrap()
        .as_object()
        .unwrap()
        .clone()
}

/// Every label key the page's script names: each `"page.…"` text in it (asked for with
/// `t("page.…")` or listed and asked for later).
fn keys_the_script_uses() -> Vec<String> {
    let mut keys: Vec<String> = SCRIPT
        .split("\"page.")
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(k, _)| format!("page.{k}")))
        .filter(|k| {
            k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[test]
fn the_page_is_one_file_in_each_language_that_loads_nothing_from_elsewhere() {
    let server = small_server();
    let keys = keys_the_script_uses();
    assert!(keys.len() > 40, "{keys:?}");
    let mut titles = Vec::new();
    for (path, lang) in [("/", "en"), ("/?lang=id", "id"), ("/?lang=en", "en")] {
        let r = server.get(path);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(
            r.header("content-security-policy"),
            Some("frame-ancestors 'none'")
        );
        let html = String::from_utf8(r.body).unwrap();
        assert!(html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")));
        // Nothing fetched from elsewhere: no src or stylesheet link, no address but the
        // SVG namespace's name, and the browser is told so.
        let bare = html.replace("\"http://www.w3.org/2000/svg\"", "");
        for banned in ["src=", "<link", "@import", "http://", "https://", "url("] {
            assert!(!bare.contains(banned), "{path}: {banned}");
        }
        assert!(html.contains("default-src 'none'"));
        assert!(html.contains("connect-src 'self'"));
        let labels = page_labels(&html);
        for k in &keys {
            let text = labels.get(k).and_then(Value::as_str);
            assert!(
                text.is_some_and(|t| !t.is_empty()),
                "{path}: label {k} missing"
            );
        }
        titles.push(labels["page.title"].as_str().unwrap().to_string());
    }
    assert_eq!(titles[0], "wfhsim — what if: a work-from-home order");
    assert_eq!(
        titles[1],
        "wfhsim — bagaimana jika: kebijakan bekerja dari rumah"
    );
    assert_eq!(
        server.get("/?lang=fr").error(400),
        "lang 'fr' is not one of id, en"
    );
    assert_eq!(
        server.get("/?file=/etc/passwd").error(400),
        "unknown query parameter 'file' (the page takes only lang=id|en)"
    );
}

#[test]
fn an_edit_gives_a_file_that_validate_reads_as_the_edited_scenario() {
    let server = small_server();
    let body = json!({ "toml": DKI, "set": [
        ["name", "dki-2023-edit"],
        ["policy.1.schedule.1.share", 0.3],
        ["policy.1.schedule.3.to", "2023-09-30"],
        ["policy.1.compliance.model", "iid"],
    ]});
    let r = post_json(&server, "/api/scenario", &body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let j = r.json();
    assert_eq!(j["name"], "dki-2023-edit");
    let p = &j["scenario"]["policy"][0];
    assert_eq!(p["schedule"][0]["share"], 0.3);
    assert_eq!(p["schedule"][1]["share"], 0.75);
    assert_eq!(p["schedule"][2]["to"], "2023-09-30");
    assert_eq!(p["compliance"]["model"], "iid");
    assert_eq!(p["compliance"]["central"], 0.6);
    let toml = j["toml"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("edited.toml"), toml).unwrap();
    let out = wfhsim()
        .current_dir(dir.path())
        .args(["validate", "edited.toml"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let printed = String::from_utf8(out).unwrap();
    assert!(printed.contains("dki-2023-edit"), "{printed}");
}

#[test]
fn every_starting_point_opens_in_the_form_the_bundle_with_its_measures() {
    let server = small_server();
    let shipped = server.get("/api/scenarios").json();
    let list = shipped["scenarios"].as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|s| s["name"].as_str().unwrap()).collect();
    for expected in [
        "dki-2023",
        "asean-summit-2023-bundle",
        "psbb-2020-i",
        "ppkm-darurat-2021",
    ] {
        assert!(names.contains(&expected), "{expected}: {names:?}");
    }
    for s in list {
        let r = post_json(&server, "/api/scenario", &json!({ "toml": s["toml"] }));
        assert_eq!(
            r.status,
            200,
            "{}: {}",
            s["name"],
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.json()["name"], s["name"]);
    }
    let bundle = list
        .iter()
        .find(|s| s["name"] == "asean-summit-2023-bundle")
        .unwrap();
    let r = post_json(
        &server,
        "/api/scenario",
        &json!({ "toml": bundle["toml"], "set": [["measure.1.schedule.1.share", 0.25]] }),
    );
    let measures = r.json()["scenario"]["measure"].as_array().unwrap().clone();
    assert!(measures.len() >= 3, "{measures:?}");
    assert_eq!(measures[0]["kind"], "school_closure");
    assert_eq!(measures[0]["schedule"][0]["share"], 0.25);
}

#[test]
fn a_scenario_that_extends_another_comes_back_whole_and_answers_the_same_numbers() {
    let server = small_server();
    let r = post_json(&server, "/api/scenario", &json!({ "toml": PRIVATE }));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let whole = r.json()["toml"].as_str().unwrap().to_string();
    assert!(!whole.contains("extends"), "{whole}");
    assert_eq!(r.json()["scenario"]["policy"].as_array().unwrap().len(), 2);
    let a = server.post_toml("/api/run?replicates=3", PRIVATE).json();
    let b = server.post_toml("/api/run?replicates=3", &whole).json();
    assert_eq!(a["summary"], b["summary"]);
    assert_eq!(a["daily"], b["daily"]);
    assert_eq!(a["detectability"], b["detectability"]);
}

#[test]
fn an_edit_is_refused_with_the_field_it_is_about_and_its_message() {
    let server = small_server();
    let refused = |set: Value| {
        let r = post_json(
            &server,
            "/api/scenario",
            &json!({ "toml": DKI, "set": set }),
        );
        let message = r.error(422);
        (message, r.json()["problems"][0].clone())
    };
    let (message, p) = refused(json!([["policy.1.schedule.1.share", 1.5]]));
    assert_eq!(
        message,
        "request.toml: policy[0].schedule[0].share: 1.5 is outside 0..1: a share is a fraction, 0.5 means 50%"
    );
    assert_eq!(p["field"], "policy.1.schedule.1.share");
    assert_eq!(p["key"], "policy[0].schedule[0].share");
    let (_, p) = refused(json!([["policy.1.schedule.9.share", 0.5]]));
    assert_eq!(p["field"], "policy.1.schedule.9.share");
    assert_eq!(
        p["message"],
        "'policy.1.schedule.9.share': '9' is not an element of a list of 3 (use 1..3 or *)"
    );
    // A bad text is refused at its line and column, as `wfhsim validate` would.
    let r = post_json(
        &server,
        "/api/scenario",
        &json!({ "toml": DKI.replace("share = 0.75", "share = 7.5") }),
    );
    r.error(422);
    let p = &r.json()["problems"][0];
    assert_eq!(p["field"], "policy.1.schedule.2.share");
    assert!(p["line"].as_u64().is_some_and(|l| l > 20), "{p}");
    let bad = |body: &[u8], kind: &str| {
        server.request(
            "POST",
            "/api/scenario",
            &[("Content-Type", kind)],
            Some(body),
        )
    };
    assert_eq!(
        bad(
            json!({ "toml": DKI, "set": [["policy.1.share", null]] })
                .to_string()
                .as_bytes(),
            "application/json"
        )
        .error(400),
        "edit of 'policy.1.share': null is not a value; give a number, text, true/false, a list or a table"
    );
    assert!(
        bad(b"{\"tom\": 1}", "application/json")
            .error(400)
            .starts_with("the body is not {\"toml\": \"…\", \"set\": [[\"key\", value], …]}: unknown field `tom`")
    );
    assert_eq!(
        bad(DKI.as_bytes(), "application/toml").error(415),
        "the body's Content-Type is 'application/toml'; send {\"toml\": …, \"set\": [[key, value], …]} as application/json"
    );
}

/// The sentence of a briefing that gives the trips avoided per day.
fn trips_sentence(html: &str) -> String {
    let end = html
        .find(" commuter trips per working day")
        .expect("the headline sentence");
    let start = html[..end].rfind("about ").expect("about N");
    html[start..end].to_string()
}

#[test]
fn a_briefing_downloads_as_run_writes_it_for_the_same_scenario() {
    let server = small_server();
    let r = server.post_toml("/api/briefing?format=html&replicates=3", DKI);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"dki-2023-briefing.html\"")
    );
    let served = String::from_utf8(r.body).unwrap();
    assert!(served.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    let dir = tempfile::tempdir().unwrap();
    run_small_dki(dir.path(), "b", 3, &["--lang", "en"]);
    let written = std::fs::read_to_string(dir.path().join("b/briefing.html")).unwrap();
    assert_eq!(trips_sentence(&served), trips_sentence(&written));

    let x = server.post_toml("/api/briefing?format=xlsx&replicates=3&lang=id", DKI);
    assert_eq!(x.status, 200);
    assert!(x.body.starts_with(b"PK\x03\x04"), "a zip (xlsx) file");
    assert_eq!(
        x.header("content-disposition"),
        Some("attachment; filename=\"dki-2023-briefing.xlsx\"")
    );
    assert_eq!(
        server
            .post_toml("/api/briefing?replicates=3", DKI)
            .error(400),
        "query parameter 'format' is required: html (briefing.html) or xlsx (briefing.xlsx)"
    );
    assert_eq!(
        server.post_toml("/api/briefing?format=pdf", DKI).error(400),
        "format 'pdf' is not html (briefing.html) or xlsx (briefing.xlsx)"
    );
    assert_eq!(
        server.post_toml("/api/run?format=html", DKI).error(400),
        "unknown query parameter 'format' (allowed: replicates, lang)"
    );
}
