//! Inputs found by the cargo-fuzz target (`fuzz/`, nightly only), kept so that stable CI
//! guards them: every file in tests/fixtures/fuzz/ goes through the scenario parser and
//! validator as the fuzz target does (bytes read as UTF-8, lossily) without a panic; an
//! error must name the file, and what parses must compile and run.

mod common;

use common::*;
use wfhsim::engine::run_replicate;
use wfhsim::policy::compile;
use wfhsim::scenario::parse_scenario;

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
