use super::*;

fn uniform(seed: u64, i: u64) -> f64 {
    (crate::rng::mix64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i) >> 11) as f64
        / (1u64 << 53) as f64
}

/// 0, 1, …, 100: the position p(n + 1) = 102 p gives the value 102 p − 1.
#[test]
fn quantiles_of_known_samples() {
    let mut v: Vec<f64> = (0..=100).rev().map(f64::from).collect();
    let q = quantiles(&mut v).0;
    for (got, want) in q.iter().zip([4.1, 50.0, 95.9]) {
        assert!((got - want).abs() < 1e-9, "{q:?}");
    }
    assert_eq!(quantiles(&mut [3.0]).0, [3.0, 3.0, 3.0]);
    // Two values: the tails are the extremes (5% × 3 < 1), the median between them.
    assert_eq!(quantiles(&mut [10.0, 0.0]).0, [0.0, 5.0, 10.0]);
}

/// The k-th smallest of n uniform draws has expectation k/(n + 1), and the rule is linear
/// in the order statistics, so applied to those expectations it must return the level
/// itself: the estimate sits on average at its level (the old rule put p05 of 30 values
/// at (0.05 × 29 + 1)/31 = 0.079).
#[test]
fn the_rule_is_unbiased_in_level_for_every_count_of_replicates() {
    for n in [19usize, 30, 72, 100, 300] {
        let mut expected: Vec<f64> = (1..=n).map(|k| k as f64 / (n + 1) as f64).collect();
        let q = quantiles(&mut expected).0;
        for (got, level) in q.iter().zip(QUANTILES.map(|q| q.level)) {
            assert!((got - level).abs() < 1e-12, "n = {n}: {got} for {level}");
        }
    }
}

/// Monte Carlo check on a skewed distribution: p05 and p95 of 30 exponential draws,
/// mapped back through the exponential's CDF, average their levels over 20,000 sets
/// (standard error of the mean ≈ 0.0003). Interpolating between the draws rather than
/// between their levels leaves p95 about 0.005 high where the exponential's draws spread
/// out; the rule of definition 7 puts p05 and p95 at 0.079 and 0.921.
#[test]
fn tail_quantiles_of_thirty_draws_sit_at_their_levels_on_average() {
    let (sets, n) = (20_000u64, 30u64);
    let mut mean = [0.0; 3];
    for s in 0..sets {
        let mut v: Vec<f64> = (0..n).map(|i| -(1.0 - uniform(s, i)).ln()).collect();
        let q = quantiles(&mut v).0;
        for (m, x) in mean.iter_mut().zip(q) {
            *m += (1.0 - (-x).exp()) / sets as f64;
        }
    }
    for (m, level) in mean.iter().zip([0.05, 0.5, 0.95]) {
        assert!((m - level).abs() < 0.008, "{mean:?}");
    }
}

/// The distribution-free (sign-test) median intervals of the textbook tables:
/// n = 10 → X₍₂₎..X₍₉₎ (97.9%), n = 20 → X₍₆₎..X₍₁₅₎ (95.9%).
#[test]
fn order_ranks_match_the_tabulated_median_intervals() {
    assert_eq!(order_ranks(10, 0.5), (Some(2), Some(9)));
    assert_eq!(order_ranks(20, 0.5), (Some(6), Some(15)));
    // 0.9²⁰ = 0.12 > 2.5%: even the largest of 20 may sit below the 90% quantile.
    assert_eq!(order_ranks(20, 0.9).1, None);
    assert!(order_ranks(36, 0.9).1.is_some());
    assert_eq!(order_ranks(35, 0.9).1, None);
}

/// ln(0.025) / ln(0.9) = 35.01 → 36; ln(0.025) / ln(0.5) = 5.32 → 6; ln(0.025) /
/// ln(0.95) = 71.9 → 72.
#[test]
fn replicates_needed_is_the_closed_form() {
    assert_eq!(replicates_needed(0.9), 36);
    assert_eq!(replicates_needed(0.1), 36);
    assert_eq!(replicates_needed(0.5), 6);
    assert_eq!(replicates_needed(0.05), 72);
    assert_eq!(order_ranks(71, 0.05).0, None);
    assert!(order_ranks(72, 0.05).0.is_some());
}

#[test]
fn the_binomial_cdf_of_a_large_n_ends_at_one() {
    let c = binomial_cdf(5000, 0.5);
    assert!((c[5000] - 1.0).abs() < 1e-9 && (c[2499] - 0.5).abs() < 0.01);
}

/// The error is half the interval between the order statistics `order_ranks` names, and
/// none for the tails of fewer than 72 replicates.
#[test]
fn errors_are_half_the_order_statistic_interval() {
    let v: Vec<f64> = (1..=20).map(f64::from).collect();
    // Median of 20: X₍₆₎..X₍₁₅₎ = 6..15 → 4.5; the tails cannot be bounded.
    assert_eq!(errors(&v), [None, Some(4.5), None]);
    let v: Vec<f64> = (1..=300).map(f64::from).collect();
    for (e, level) in errors(&v).iter().zip([0.05, 0.5, 0.95]) {
        let (l, u) = order_ranks(300, level);
        assert_eq!(*e, Some((u.unwrap() - l.unwrap()) as f64 / 2.0));
    }
}

/// Over many sets of 300 uniform draws, the p05 interval [p05 ± error] — which is not
/// symmetric around the estimate, so its half-width is a summary — holds the true 5% in
/// at least about 95% of sets, as the order statistics it is made of do.
#[test]
fn the_error_interval_covers_the_true_tail_quantile() {
    let (sets, n) = (2_000u64, 300u64);
    let covered = (0..sets)
        .filter(|&s| {
            let mut v: Vec<f64> = (0..n).map(|i| uniform(s + 7_000, i)).collect();
            v.sort_by(f64::total_cmp);
            let (l, u) = order_ranks(v.len(), 0.05);
            v[l.unwrap() - 1] <= 0.05 && 0.05 <= v[u.unwrap() - 1]
        })
        .count();
    assert!(covered as f64 / sets as f64 >= 0.93, "{covered} of {sets}");
}

/// Selection gives the sorted rule's median bit for bit, at every count (odd, even, one,
/// two), with ties, negative zeros and repeated values.
#[test]
fn the_selected_median_is_the_sorted_one() {
    for n in [1usize, 2, 3, 4, 5, 30, 31, 499, 500] {
        for seed in 0..20u64 {
            let v: Vec<f64> = (0..n as u64)
                .map(|i| {
                    let u = uniform(seed, i);
                    // A third of the values tied, some negative zeros.
                    if u < 0.2 {
                        -0.0
                    } else if u < 0.33 {
                        1.5
                    } else {
                        u - 0.5
                    }
                })
                .collect();
            let want = quantiles(&mut v.clone()).median();
            let got = median(&mut v.clone());
            assert_eq!(got.to_bits(), want.to_bits(), "n {n} seed {seed}");
        }
    }
}

/// The bands found by selection are those of the sorted values, bit for bit: ties, signed
/// zeros and NaNs included, for every count of replicates from 1 to 400.
#[test]
fn the_selected_band_is_the_sorted_one() {
    for n in 1usize..=400 {
        for seed in 0..4u64 {
            let v: Vec<f64> = (0..n as u64)
                .map(|i| match uniform(seed ^ 0xB00, i) {
                    u if u < 0.15 => -0.0,
                    u if u < 0.25 => 0.0,
                    u if u < 0.35 => 2.5,
                    u if u < 0.37 => f64::NAN,
                    u => (u - 0.6) * 1e3,
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let want = QUANTILES.map(|q| of_sorted(&sorted, q.level).to_bits());
            let got = quantiles(&mut v.clone()).0.map(f64::to_bits);
            assert_eq!(got, want, "n {n} seed {seed}");
        }
    }
}
