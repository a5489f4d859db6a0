//! Inputs for the cargo-fuzz targets (`fuzz/`, nightly only), kept so that stable CI
//! guards them. Every `*.toml` in tests/fixtures/fuzz/ goes through the scenario parser and
//! validator as the `scenario` target does (bytes read as UTF-8, lossily) without a panic;
//! an error must name the file, and what parses must compile and run. Every
//! `dataset-*.bin` goes through the dataset loader as the `dataset` target does (its first
//! byte, modulo 16, picks the file of `FILES` it replaces in the built-in dataset; the rest
//! is that file's bytes) without a panic, with the outcome listed for it below.

use crate::common;

use common::*;
use wfhsim_core::data::{Dataset, FILES};
use wfhsim_core::engine::run_replicate;
use wfhsim_core::policy::compile;
use wfhsim_core::scenario::parse_scenario;

#[test]
fn fuzz_findings_neither_panic_nor_lose_their_file_name() {
    let ds = dataset();
    let pop = population(ds, 0.0005, 1);
    let dir = std::path::Path::new("tests/fixtures/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    for f in &files {
        let name = f.display().to_string();
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                match parse_scenario(&name, &text, ds) {
                    Err(e) => {
                        let msg = e.to_string();
                        assert!(msg.starts_with(&name), "{name}: {msg}");
                    }
                    Ok(sc) => {
                        let plan = compile(&sc, &pop, &ds.holidays());
                        let c = vec![1.0; sc.policies.len()];
                        let counts = run_replicate(&plan, 1, 0, &c);
                        assert_eq!(counts.len(), plan.days.len() * plan.n_cells);
                    }
                }
            }));
        assert!(outcome.is_ok(), "{name} panicked");
    }
}

/// What each dataset fixture must give: `Ok` or the exact error message.
const DATASET_OUTCOMES: [(&str, Result<(), &str>); 10] = [
    (
        "dataset-1e309-population.bin",
        Err("parameters/population.csv:2: column 'value': '1e309' is not a number"),
    ),
    (
        "dataset-bom-only-regions.bin",
        Err("regions.csv:1: the file is empty: a header row is required"),
    ),
    (
        "dataset-empty-regions.bin",
        Err("regions.csv:1: the file is empty: a header row is required"),
    ),
    ("dataset-excel-bom-crlf-calendar.bin", Ok(())),
    (
        "dataset-header-only-about.bin",
        Err("about.csv: no row for 'area_name'; add one (key,value)"),
    ),
    (
        "dataset-header-only-modes.bin",
        Err("modes.csv: the table has no rows below its header; add at least one"),
    ),
    (
        "dataset-nan-low-travel.bin",
        Err("parameters/travel.csv:2: column 'low': 'NaN' is not a number"),
    ),
    (
        "dataset-not-utf8-regions.bin",
        Err(
            "regions.csv:3: character 13 is not UTF-8 (byte 0xE9); save the file as \"CSV UTF-8 (Comma delimited)\"",
        ),
    ),
    (
        "dataset-one-semicolon-travel.bin",
        Err(
            "parameters/travel.csv:1: the header ';' is separated by ';', as Excel writes CSV where the decimal separator is a comma; save the file as \"CSV UTF-8 (Comma delimited)\" with '.' as the decimal separator (File > Options > Advanced > uncheck \"Use system separators\")",
        ),
    ),
    (
        "dataset-unclosed-quote-calendar.bin",
        Err("calendar.csv:2: a quoted field is not closed"),
    ),
];

/// The `dataset` fuzz target's body: one file of the built-in dataset replaced.
fn load_with(data: &[u8]) -> Result<Dataset, String> {
    let (&pick, content) = data.split_first().expect("a selector byte");
    let pick = usize::from(pick) % FILES.len();
    let files = dataset()
        .files
        .iter()
        .enumerate()
        .map(|(i, (n, t))| {
            let bytes = if i == pick {
                content.to_vec()
            } else {
                t.clone().into_bytes()
            };
            (n.clone(), bytes)
        })
        .collect();
    Dataset::from_bytes(files).map_err(|e| e.to_string())
}

#[test]
fn dataset_fuzz_fixtures_give_their_listed_outcome_without_a_panic() {
    let dir = std::path::Path::new("tests/fixtures/fuzz");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("dataset-") && n.ends_with(".bin"))
        .collect();
    names.sort();
    let listed: Vec<&str> = DATASET_OUTCOMES.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names, listed,
        "every dataset fixture needs its outcome in DATASET_OUTCOMES"
    );
    for (name, expected) in DATASET_OUTCOMES {
        let data = std::fs::read(dir.join(name)).unwrap();
        let outcome = std::panic::catch_unwind(|| {
            load_with(&data).map(|ds| {
                // What the target checks of a dataset that loads.
                assert_eq!(ds.hash().len(), 64);
                for v in [
                    &ds.workers_by_home,
                    &ds.jobs_by_work,
                    &ds.distance_km,
                    &ds.gravity.flows,
                    &ds.jobs,
                ] {
                    assert!(
                        v.iter().all(|x| x.is_finite()),
                        "{name}: derived numbers not finite"
                    );
                }
            })
        });
        let Ok(got) = outcome else {
            panic!("{name} panicked");
        };
        assert_eq!(
            got.as_ref().map(|_| ()).map_err(|e| e.as_str()),
            expected,
            "{name}"
        );
    }
}
