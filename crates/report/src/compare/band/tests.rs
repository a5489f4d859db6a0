//! The pairing rule and the two bands of a difference, on synthetic replicates whose
//! answer is known.

use super::*;

fn meta(seed: u64) -> RunMeta {
    RunMeta {
        dir: "run".into(),
        wfhsim_version: "1.0.0".into(),
        seed,
        replicates: 4,
        scale: 0.5,
        uncertainty: "full".into(),
        dataset_sha256: "abc".into(),
    }
}

/// (replicate, total) of the values in replicate order.
fn totals(values: &[f64]) -> Vec<(i64, f64)> {
    values
        .iter()
        .enumerate()
        .map(|(k, &v)| (k as i64, v))
        .collect()
}

fn side(totals: &[(i64, f64)], days: f64) -> Side<'_> {
    Side { totals, days }
}

#[test]
fn runs_are_paired_when_every_input_that_keys_the_draws_agrees() {
    assert_eq!(pairing(&meta(42), &meta(42)), Pairing::Paired);
    let mut newer = meta(42);
    newer.wfhsim_version = "1.1.0".into();
    assert_eq!(pairing(&meta(42), &newer), Pairing::Paired);
    let mut other = meta(7);
    other.scale = 1.0;
    assert_eq!(
        pairing(&meta(42), &other),
        Pairing::Independent {
            because: vec![
                "the seeds differ: 42 in A, 7 in B".into(),
                "the scales differ: 0.5 in A, 1 in B".into(),
            ]
        }
    );
    let mut data = meta(42);
    data.dataset_sha256 = "def".into();
    data.replicates = 8;
    data.uncertainty = "behavioural".into();
    let Pairing::Independent { because } = pairing(&meta(42), &data) else {
        panic!("another dataset is not paired");
    };
    assert_eq!(because.len(), 3, "{because:?}");
}

/// B_r = X_r + 5: paired, the change is exactly 5 in every replicate, whatever X does.
#[test]
fn a_paired_shift_is_exact_and_b_is_higher_in_every_replicate() {
    let x = totals(&[10.0, 250.0, 37.0, 4000.0]);
    let y = totals(&[15.0, 255.0, 42.0, 4005.0]);
    let d = band(&Pairing::Paired, &side(&x, 1.0), &side(&y, 1.0)).unwrap();
    assert_eq!((d.p05, d.p50, d.p95), (5.0, 5.0, 5.0));
    assert_eq!((d.p_b_greater, d.p_a_greater), (1.0, 0.0));
    let back = band(&Pairing::Paired, &side(&y, 1.0), &side(&x, 1.0)).unwrap();
    assert_eq!(
        (back.p50, back.p_b_greater, back.p_a_greater),
        (-5.0, 0.0, 1.0)
    );
}

/// Windows of unequal length: each run's totals over its own working days, then paired.
#[test]
fn windows_of_unequal_length_are_paired_per_day() {
    let x = totals(&[20.0, 40.0, 60.0]); // per day over 2 days: 10, 20, 30
    let y = totals(&[60.0, 100.0, 140.0]); // per day over 4 days: 15, 25, 35
    let d = band(&Pairing::Paired, &side(&x, 2.0), &side(&y, 4.0)).unwrap();
    assert_eq!((d.p05, d.p50, d.p95, d.p_b_greater), (5.0, 5.0, 5.0, 1.0));
}

/// Only the replicates both runs have are paired, by their number.
#[test]
fn replicates_are_paired_by_their_number() {
    let x = vec![(0, 1.0), (2, 3.0), (3, 100.0)];
    let y = vec![(0, 2.0), (1, 50.0), (2, 4.0)];
    let d = band(&Pairing::Paired, &side(&x, 1.0), &side(&y, 1.0)).unwrap();
    assert_eq!((d.p05, d.p95, d.p_b_greater), (1.0, 1.0, 1.0));
    let none: Vec<(i64, f64)> = vec![(5, 1.0)];
    assert_eq!(
        band(&Pairing::Paired, &side(&x, 1.0), &side(&none, 1.0)),
        None
    );
}

fn independent() -> Pairing {
    Pairing::Independent {
        because: vec!["the seeds differ: 42 in A, 7 in B".into()],
    }
}

/// Two constant runs: every pair differs by the constants' difference.
#[test]
fn independent_constant_runs_differ_by_their_constants() {
    let x = totals(&[1.0, 1.0, 1.0]);
    let y = totals(&[3.0, 3.0]);
    let d = band(&independent(), &side(&x, 1.0), &side(&y, 1.0)).unwrap();
    assert_eq!((d.p05, d.p50, d.p95), (2.0, 2.0, 2.0));
    assert_eq!((d.p_b_greater, d.p_a_greater), (1.0, 0.0));
}

/// {0, 1} against {0, 1} over all pairs: B above A in one pair of four (strictly), below
/// in one, tied in two. Paired, the same values are equal replicate by replicate.
#[test]
fn all_pairs_of_zero_and_one_have_b_above_a_in_a_quarter() {
    let x = totals(&[0.0, 1.0]);
    let d = band(&independent(), &side(&x, 1.0), &side(&x, 1.0)).unwrap();
    assert_eq!((d.p_b_greater, d.p_a_greater, d.p50), (0.25, 0.25, 0.0));
    let p = band(&Pairing::Paired, &side(&x, 1.0), &side(&x, 1.0)).unwrap();
    assert_eq!(
        (p.p_b_greater, p.p_a_greater, p.p05, p.p95),
        (0.0, 0.0, 0.0, 0.0)
    );
}

/// The shift that is exact when paired is no longer exact over all pairs: X spread over
/// 0..300 hides a change of 5.
#[test]
fn a_shift_over_all_pairs_is_as_uncertain_as_the_runs() {
    let x = totals(&[0.0, 100.0, 200.0, 300.0]);
    let y = totals(&[5.0, 105.0, 205.0, 305.0]);
    let d = band(&independent(), &side(&x, 1.0), &side(&y, 1.0)).unwrap();
    // y_j − x_i = 100 (j − i) + 5 > 0 exactly when j >= i: 10 of 16 pairs.
    assert_eq!((d.p_b_greater, d.p_a_greater), (10.0 / 16.0, 6.0 / 16.0));
    assert!(d.p05 < -150.0 && d.p95 > 150.0, "{d:?}");
}

#[test]
fn no_band_without_the_replicates() {
    let x = totals(&[1.0]);
    let missing = Pairing::Unavailable {
        because: "run/replicates.parquet is missing".into(),
    };
    assert_eq!(band(&missing, &side(&x, 1.0), &side(&x, 1.0)), None);
    assert_eq!(missing.kind(), "unavailable");
}
