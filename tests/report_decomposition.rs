//! A run of a bundle of measures shows its decomposition where a planner reads it: a chart
//! per bundle scenario, a section of the briefing with the parts' names (escaped) and
//! numbers, and a sheet of the workbook; the numbers are recomputed here from
//! `decomposition.parquet` and `summary.parquet`, independently of the report's code. A
//! run without measures writes none of it, and a tampered decomposition is refused by
//! `wfhsim report`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use polars::prelude::*;

use crate::run_folder_integrity::{
    at, copy_dir, edit_parquet, forget_hashes, read_parquet, refused, set_i64, set_str,
};
use crate::support::{QUICK_RUN, listing, wfhsim};

const BUNDLE: &str = "asean-summit-2023-bundle";
/// A measure's name with markup, in place of the summit's road closures.
const MARKUP: &str = "Closures <i>around</i> \"delegates\" & co";
const REPLICATES: i64 = 3;

fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("decomposition")
}

/// The summit bundle with its closures renamed to [`MARKUP`], at scale 0.02, in English;
/// made once.
fn bundle_run() -> &'static PathBuf {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| {
        let text = std::fs::read_to_string(format!("scenarios/bundles/{BUNDLE}.toml")).unwrap();
        let from = "name = \"Closures around delegate movements\"";
        assert!(text.contains(from));
        let to = format!("name = \"{}\"", MARKUP.replace('"', "\\\""));
        std::fs::create_dir_all(out_dir()).unwrap();
        let file = out_dir().join("bundle.toml");
        std::fs::write(&file, text.replace(from, &to)).unwrap();
        wfhsim()
            .arg("run")
            .arg(&file)
            .args(["--scale", "0.02", "--replicates", &REPLICATES.to_string()])
            .args(["--lang", "en", "--out"])
            .arg(out_dir())
            .args(["--name", "bundle", "--force"])
            .assert()
            .success();
        out_dir().join("bundle")
    })
}

fn strings(df: &DataFrame, name: &str) -> Vec<String> {
    let c = df.column(name).unwrap().cast(&DataType::String).unwrap();
    c.str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap().to_string())
        .collect()
}

fn floats(df: &DataFrame, name: &str) -> Vec<f64> {
    let c = df.column(name).unwrap().cast(&DataType::Float64).unwrap();
    c.f64().unwrap().iter().map(|v| v.unwrap()).collect()
}

/// Row `i` of `df` has these values in these columns.
fn row_is(df: &DataFrame, i: usize, key: &[(&str, &str)]) -> bool {
    key.iter().all(|(c, v)| strings(df, c)[i] == *v)
}

/// The (p05, p50, p95) per working day of DKI's roads' `metric`, net, for each part (in
/// the table's order) and last for the bundle's total, from the folder's Parquet files.
fn per_day(run: &Path, metric: &str) -> Vec<(String, [f64; 3])> {
    let summary = read_parquet(&run.join("summary.parquet"));
    let key = [
        ("scenario", BUNDLE),
        ("region_basis", "dki_roads"),
        ("region", "dki"),
        ("metric", metric),
        ("component", "net"),
    ];
    let s = (0..summary.height())
        .find(|&i| row_is(&summary, i, &key))
        .unwrap();
    let days = floats(&summary, "window_working_days")[s];
    let band = |df: &DataFrame, prefix: &str, i: usize| {
        ["p05", "p50", "p95"].map(|q| floats(df, &format!("{prefix}_{q}"))[i] / days)
    };
    let dec = read_parquet(&run.join("decomposition.parquet"));
    let parts = strings(&dec, "part");
    let mut out: Vec<(String, [f64; 3])> = (0..dec.height())
        .filter(|&i| row_is(&dec, i, &key))
        .map(|i| (parts[i].clone(), band(&dec, "contribution", i)))
        .collect();
    out.push(("total".into(), band(&summary, "total", s)));
    out
}

/// 14655.5 → "14,700": three significant digits, grouped by thousands (x ≥ 100).
fn three_digits(x: f64) -> String {
    let digits = x.log10().floor() as i32 + 1;
    let unit = 10f64.powi(digits - 3);
    let plain = (((x / unit).round() * unit) as u64).to_string();
    let mut out = String::new();
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && (plain.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The page's text between `from` and the next `</section>` after it, tags removed and
/// the entities a reader sees decoded.
fn section_text(html: &str, from: &str) -> String {
    let a = html.find(from).unwrap();
    let mut s = html[a..].to_string();
    while let Some(i) = s.find("<svg") {
        let j = i + s[i..].find("</svg>").unwrap() + "</svg>".len();
        s.replace_range(i..j, "");
    }
    let mut out = String::new();
    let mut tag = false;
    for c in s.chars() {
        match c {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push(' ');
            }
            c if !tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of `name` inside the workbook (a zip).
fn xlsx_part(run: &Path, name: &str) -> String {
    let file = std::fs::File::open(run.join("briefing.xlsx")).unwrap();
    let mut zip = ::zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The numbers (`<v>` cells) of a worksheet's XML.
fn xlsx_numbers(sheet: &str) -> Vec<f64> {
    sheet
        .split("<v>")
        .skip(1)
        .filter_map(|s| s.split("</v>").next()?.parse().ok())
        .collect()
}

#[test]
fn a_bundle_run_shows_its_parts_in_a_chart_the_briefing_and_the_workbook() {
    let run = bundle_run();
    let stem = format!("charts/decomposition-{BUNDLE}");
    let png = std::fs::read(run.join(format!("{stem}.png"))).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let svg = std::fs::read_to_string(run.join(format!("{stem}.svg"))).unwrap();
    assert!(svg.contains("<svg") && svg.contains("Bundle total"));

    let html = std::fs::read_to_string(run.join("briefing.html")).unwrap();
    assert!(
        !html.contains("<i>around</i>"),
        "a part's markup reached the page"
    );
    assert!(!html.contains(wfhsim_report::labels::MISSING_MARK));
    let text = section_text(&html, "<section id=\"decomposition\">");
    assert!(
        text.starts_with("The parts of a bundle of measures"),
        "{text}"
    );
    for part in ["WFH orders", "Distance learning in 9 kecamatan", MARKUP] {
        assert!(text.contains(part), "{part} is not in the section: {text}");
    }
    // Each vehicle-km cell as the table writes it: "p50 (p05–p95)" per working day.
    let mut checked = 0;
    for (part, v) in per_day(run, "vehicle_km") {
        if v.iter().all(|x| *x >= 100.0) {
            let [a, b, c] = v.map(three_digits);
            let cell = format!("{b} ({a}–{c})");
            assert!(text.contains(&cell), "{part}: {cell} is not in: {text}");
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} rows checked");

    // The workbook's seventh sheet, after Calibration, with every part's vehicle-km per
    // working day.
    let book = xlsx_part(run, "xl/workbook.xml");
    assert!(
        book.contains("name=\"Calibration\" sheetId=\"6\""),
        "{book}"
    );
    assert!(
        book.contains("name=\"Decomposition\" sheetId=\"7\""),
        "{book}"
    );
    let cells = xlsx_numbers(&xlsx_part(run, "xl/worksheets/sheet7.xml"));
    for (part, v) in per_day(run, "vehicle_km").iter().filter(|p| p.0 != "total") {
        for x in v {
            let near = |y: &f64| (y - x).abs() <= 1e-9 * x.abs().max(1.0);
            assert!(cells.iter().any(near), "{part}: {x} is not on the sheet");
        }
    }
}

#[test]
fn a_run_without_measures_writes_no_decomposition() {
    let tmp = tempfile::tempdir().unwrap();
    wfhsim()
        .args(QUICK_RUN)
        .arg("--out")
        .arg(tmp.path())
        .args(["--name", "plain", "--lang", "en"])
        .assert()
        .success();
    let run = tmp.path().join("plain");
    // The folder's files as README's "What a run writes" lists them, without the
    // decomposition.
    let files = [
        "briefing.html",
        "briefing.xlsx",
        "calibration.csv",
        "calibration.parquet",
        "charts",
        "comparisons.csv",
        "comparisons.parquet",
        "daily.csv",
        "daily.parquet",
        "detectability.csv",
        "detectability.parquet",
        "manifest.json",
        "replicates.parquet",
        "replicates_daily.parquet",
        "run.json",
        "summary.csv",
        "summary.parquet",
        "traffic.parquet",
        "windows.csv",
    ];
    assert_eq!(listing(&run), files);
    let charts = [
        "daily_trips_avoided",
        "detectability",
        "event_week",
        "roads_context",
        "totals_by_scenario",
        "totals_other_pollutants",
        "trips_by_region",
    ];
    let mut want: Vec<String> = charts
        .iter()
        .flat_map(|c| [format!("{c}.png"), format!("{c}.svg")])
        .collect();
    want.sort();
    assert_eq!(listing(&run.join("charts")), want);
    let html = std::fs::read_to_string(run.join("briefing.html")).unwrap();
    assert!(!html.contains("id=\"decomposition\""));
    assert!(!html.contains("Bundle total"));
    assert!(!xlsx_part(&run, "xl/workbook.xml").contains("Decomposition"));
}

/// A copy of the bundle's run, without its hashes, whose decomposition `edit` changes:
/// `report` refuses it with `message` after the file's path and leaves the briefing.
fn tampered(name: &str, edit: impl FnOnce(&mut DataFrame), message: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join(name);
    copy_dir(bundle_run(), &run);
    forget_hashes(&run);
    let before = std::fs::read(run.join("briefing.html")).unwrap();
    edit_parquet(&run.join("decomposition.parquet"), edit);
    let file = at(&run, "decomposition.parquet");
    refused(&[&run], "report", &format!("Error: {file}: {message}\n"));
    assert_eq!(std::fs::read(run.join("briefing.html")).unwrap(), before);
}

#[test]
fn a_tampered_decomposition_is_refused_by_report() {
    tampered(
        "part",
        |df| set_str(df, "part", 0, " "),
        "row 1, column part: ' '; allowed: a part's name",
    );
    tampered(
        "replicates",
        |df| set_i64(df, "replicates", 1, REPLICATES + 4),
        &format!("row 2, column replicates: 7; allowed: the run's replicates ({REPLICATES})"),
    );
    tampered(
        "region",
        |df| set_str(df, "region", 0, "jakarta_pusat"),
        "row 1, column region: 'jakarta_pusat'; allowed: 'dki' or 'all' (rows without a region)",
    );
    let dec = read_parquet(&bundle_run().join("decomposition.parquet"));
    let rows = dec.height();
    let key: Vec<String> = ["scenario", "part", "region_basis", "metric", "component"]
        .iter()
        .map(|c| strings(&dec, c)[0].clone())
        .collect();
    tampered(
        "twice",
        |df| *df = df.vstack(&df.slice(0, 1)).unwrap(),
        &format!(
            "row {}, columns scenario, part, region_basis, metric, component: {}; allowed: each key once (row 1 has it too)",
            rows + 1,
            key.join(", ")
        ),
    );
}
