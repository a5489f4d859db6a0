//! A study asked before each replicate whether to go on (`simulate_one`, what a server's
//! job runs): going on always gives `simulate_built`'s rows; a stop ends it before any
//! more replicates start.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::common::{dataset, dki_at_half, population, scenario};
use wfhsim_core::data::DataError;
use wfhsim_core::simulate::{Baseline, Progress, RunOptions, simulate_built, simulate_one};
use wfhsim_core::structural::Uncertainty;

#[derive(Debug)]
enum Halt {
    Stopped { before: u32 },
}

/// The built-in dataset simulates: a dataset error here is a failed test.
impl From<DataError> for Halt {
    fn from(e: DataError) -> Self {
        panic!("the built-in dataset fails: {e}")
    }
}

fn options(replicates: u32) -> RunOptions {
    RunOptions {
        seed: 11,
        replicates,
        scale: 0.01,
        threads: 1,
        uncertainty: Uncertainty::Full,
    }
}

#[test]
fn going_on_always_gives_the_rows_of_simulate_built() {
    let ds = dataset();
    let pop = population(ds, 0.01, 11);
    let opt = options(4);
    let base = Baseline::new(ds, &pop, opt.uncertainty, false);
    let sc = scenario(ds, &dki_at_half());
    let one = simulate_one::<Halt>(ds, &pop, &base, &sc, opt, &|_| {}, &|| Ok(())).unwrap();
    let all = simulate_built(
        ds,
        &pop,
        &base,
        std::slice::from_ref(&sc),
        opt,
        0.0,
        &|_| {},
    )
    .unwrap();
    let (a, b) = (&one.scenarios[0], &all.scenarios[0]);
    assert_eq!(a.summary.len(), b.summary.len());
    assert!(!a.summary.is_empty());
    // Every row's every number, bit for bit (Debug prints floats in full).
    assert_eq!(format!("{:?}", a.summary), format!("{:?}", b.summary));
    assert_eq!(one.replicates, 4);
    assert_eq!(one.scenarios.len(), 1);
}

/// Replicates run side by side: the ones running when the stop comes finish, and none
/// starts after it.
#[test]
fn a_stop_ends_the_scenario_before_any_more_replicates_start() {
    let ds = dataset();
    let pop = population(ds, 0.01, 11);
    let opt = options(20);
    let base = Baseline::new(ds, &pop, opt.uncertainty, false);
    let sc = scenario(ds, &dki_at_half());
    let (done, started) = (AtomicU32::new(0), AtomicU32::new(0));
    let progress = |p: Progress| {
        if matches!(p, Progress::ReplicateDone) {
            done.fetch_add(1, Ordering::SeqCst);
        }
    };
    let check = || match done.load(Ordering::SeqCst) {
        n if n >= 3 => Err(Halt::Stopped { before: n }),
        _ => {
            started.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    };
    // Two threads, as the machines it runs on have: replicates run side by side, about one
    // a thread, so the stop must come long before all twenty have started.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let e = pool
        .install(|| simulate_one(ds, &pop, &base, &sc, opt, &progress, &check))
        .unwrap_err();
    let Halt::Stopped { before } = e;
    assert!(before >= 3, "stopped before {before} replicates were done");
    let (done, started) = (done.load(Ordering::SeqCst), started.load(Ordering::SeqCst));
    assert_eq!(
        done, started,
        "every replicate started finished, no other ran"
    );
    assert!(
        started < opt.replicates,
        "{started} of {} replicates started: the stop did not stop them",
        opt.replicates
    );
}
