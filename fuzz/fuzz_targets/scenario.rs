//! Arbitrary bytes, read as scenario text, through the parser and validator against the
//! built-in dataset; what parses passes the validator on its value too, and is compiled into a plan on a tiny population and, over a
//! short period, run through the engine. Nothing may panic, and every error must render.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wfhsim_core::data::Dataset;
use wfhsim_core::population::{Population, synthesize};

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| Dataset::builtin().expect("the built-in dataset loads"))
}

fn population() -> &'static Population {
    static POP: OnceLock<Population> = OnceLock::new();
    POP.get_or_init(|| synthesize(dataset(), 0.0005, 1, &|_| {}))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ds = dataset();
    match wfhsim_core::scenario::parse_scenario("fuzz.toml", &text, ds) {
        Err(e) => {
            let _ = e.to_string();
        }
        Ok(sc) => {
            // What the reader accepts, the validator accepts on the value alone.
            assert!(wfhsim_core::scenario::validate(&sc, ds).is_empty());
            let plan = wfhsim_core::policy::compile(&sc, population(), &ds.holidays());
            if plan.days.len() <= 25 {
                let c = wfhsim_core::accounting::compliance(&sc, 1, 0, false);
                let counts = wfhsim_core::engine::run_replicate(&plan, 1, 0, &c);
                assert_eq!(counts.len(), plan.days.len() * plan.n_cells);
            }
        }
    }
});
