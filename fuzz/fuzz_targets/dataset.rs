//! Arbitrary bytes as one file of an otherwise valid dataset folder, through the loader
//! that `--data` uses (`Dataset::from_bytes`: UTF-8 check, CSV reader, typed tables, unit
//! ranges, rules across rows, derivation and the commuter-matrix fit). The first byte
//! picks the file of `wfhsim_core::data::FILES` (modulo the number of files), the rest is its content. Nothing
//! may panic and every error must render; a dataset that loads must have finite derived
//! tables, cheap to check (no population is built).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wfhsim_core::data::{Dataset, FILES};

/// The built-in dataset's files, (name, bytes) in the order of `FILES`.
fn builtin() -> &'static [(String, Vec<u8>)] {
    static FILES_: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FILES_.get_or_init(|| {
        let ds = Dataset::builtin().expect("the built-in dataset loads");
        ds.files
            .into_iter()
            .map(|(n, t)| (n, t.into_bytes()))
            .collect()
    })
}

/// Returns `N` from code of its own. libFuzzer keeps an input only for coverage no other
/// input has, and every valid file runs the same loader code: without a mark per file it
/// would keep the smallest seed or two and never mutate the other files' rows.
#[inline(never)]
fn mark<const N: usize>() -> usize {
    std::hint::black_box(N)
}

const MARKS: [fn() -> usize; 16] = [
    mark::<0>, mark::<1>, mark::<2>, mark::<3>, mark::<4>, mark::<5>, mark::<6>, mark::<7>,
    mark::<8>, mark::<9>, mark::<10>, mark::<11>, mark::<12>, mark::<13>, mark::<14>, mark::<15>,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let pick = MARKS[usize::from(pick) % FILES.len()]();
    let files: Vec<(String, Vec<u8>)> = builtin()
        .iter()
        .enumerate()
        .map(|(i, (n, b))| {
            (
                n.clone(),
                if i == pick {
                    content.to_vec()
                } else {
                    b.clone()
                },
            )
        })
        .collect();
    match Dataset::from_bytes(files) {
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty());
        }
        Ok(ds) => {
            assert_eq!(ds.hash().len(), 64);
            for p in ds.params.iter() {
                let (l, v, h) = p.range();
                assert!(l.is_finite() && v.is_finite() && h.is_finite(), "{}", p.key);
                let _ = p.is_uncertain();
            }
            let _ = (
                ds.holidays(),
                ds.calendar_years(),
                ds.inputs.overridable_keys(),
            );
            for (what, v) in [
                ("workers", &ds.workers_by_home),
                ("jobs", &ds.jobs_by_work),
                ("distances", &ds.distance_km),
                ("commuter flows", &ds.gravity.flows),
                ("jobs by employer", &ds.jobs),
                ("role shares", &ds.role_share),
                ("mode shares", &ds.mode_share),
                ("unit sizes", &ds.unit_size_mean),
            ] {
                assert!(v.iter().all(|x| x.is_finite()), "{what} not finite");
            }
        }
    }
});
