//! `wfhsim target`: the setting of one factor at which an outcome reaches a level — for
//! the median replicate, and for a given share of replicates (90% by default) — from each
//! replicate's own crossing of the level ([`super::crossing`]). Every evaluation uses the
//! run's seed, so replicate r sees the same draws at every setting (common random numbers)
//! and its outcome moves with the factor alone.
//!
//! The curve's settings are evaluated first; then every bracket holding a crossing that
//! the answer reads (the quantiles' order statistics and their intervals' ends) is halved
//! until it is narrower than the tolerance, and each crossing is interpolated linearly in
//! its bracket.

use super::crossing::{self, Crossing, Crossings, Quantile};

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The factor's range searched.
    pub range: (f64, f64),
    /// The median of the replicates' crossings, with its 95% interval.
    pub median: Quantile,
    /// The setting by which `probability` of replicates reach the level (the
    /// `probability` quantile of the crossings; 1 − `probability` for a falling outcome),
    /// with its 95% interval.
    pub probable: Quantile,
    /// Every replicate's crossing, and the replicates whose curve is not monotone.
    pub crossings: Crossings,
    /// Every setting evaluated, in order, with each replicate's outcome.
    pub evaluations: Vec<(f64, Vec<f64>)>,
}

impl Found {
    /// The setting that answers quantile `q` as the search reports it: the crossing; the
    /// range's low end when it is reached there already (its high end for a falling
    /// outcome still reached there); `None` when not reached in the range.
    pub fn answer(&self, q: &Quantile) -> Option<f64> {
        self.setting_of(q.setting)
    }

    /// [`Found::answer`] for any crossing (an interval's end).
    pub fn setting_of(&self, c: Crossing) -> Option<f64> {
        let (lo, hi) = self.range;
        match (c, self.crossings.increasing) {
            (Crossing::At(x), _) => Some(x),
            (Crossing::Below, true) => Some(lo),
            (Crossing::Above, false) => Some(hi),
            _ => None,
        }
    }
}

/// The crossing quantile that answers "by which setting do `probability` of replicates
/// reach the level": for a falling outcome, the replicates that still reach it.
fn probable_level(probability: f64, increasing: bool) -> f64 {
    if increasing {
        probability
    } else {
        1.0 - probability
    }
}

/// Searches [lo, hi] for where the outcome reaches `value` (at least `value`).
/// `curve` settings are evaluated first (for the response curve), then the brackets the
/// answer reads are halved down to `tol`. `eval(x)` returns every replicate's outcome at
/// setting x.
pub fn search<E>(
    lo: f64,
    hi: f64,
    value: f64,
    probability: f64,
    tol: f64,
    curve: usize,
    eval: &mut dyn FnMut(f64) -> Result<Vec<f64>, E>,
) -> Result<Found, E> {
    let mut evaluations: Vec<(f64, Vec<f64>)> = Vec::new();
    let mut at = |x: f64, evaluations: &mut Vec<(f64, Vec<f64>)>| -> Result<bool, E> {
        if evaluations.iter().any(|(y, _)| *y == x) {
            return Ok(false);
        }
        evaluations.push((x, eval(x)?));
        Ok(true)
    };
    let n = curve.max(2);
    for i in 0..n {
        at(lo + (hi - lo) * i as f64 / (n - 1) as f64, &mut evaluations)?;
    }
    loop {
        let c = crossing::crossings(&evaluations, value);
        let mut added = false;
        for m in wide_midpoints(&c, probable_level(probability, c.increasing), tol) {
            added |= at(m, &mut evaluations)?;
        }
        if !added {
            let p = probable_level(probability, c.increasing);
            return Ok(Found {
                range: (lo, hi),
                median: c.quantile(0.5),
                probable: c.quantile(p),
                crossings: c,
                evaluations,
            });
        }
    }
}

/// The midpoints of the brackets wider than `tol` that hold a crossing the median's or
/// the `level` quantile's estimate or interval reads, ascending.
fn wide_midpoints(c: &Crossings, level: f64, tol: f64) -> Vec<f64> {
    let mut mids: Vec<f64> = [0.5, level]
        .iter()
        .flat_map(|&l| c.replicates_read(l))
        .filter_map(|r| c.brackets[r])
        .filter(|(a, b)| b - a > tol)
        .map(|(a, b)| 0.5 * (a + b))
        .collect();
    mids.sort_by(f64::total_cmp);
    mids.dedup();
    mids
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Linear interpolation between order statistics at position p(n + 1), clamped to
    /// the extremes (Hyndman & Fan's definition 6), written out for the tests.
    fn type6(v: &[f64], p: f64) -> f64 {
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        let h = (p * (s.len() + 1) as f64).clamp(1.0, s.len() as f64) - 1.0;
        let i = h.floor() as usize;
        s[i] + (h - i as f64) * (s[(i + 1).min(s.len() - 1)] - s[i])
    }

    fn uniform(seed: u64, i: u64) -> f64 {
        (crate::rng::mix64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i) >> 11) as f64
            / (1u64 << 53) as f64
    }

    /// Outcome = replicate factor × x: replicate r reaches 1.0 at x = 1 / f_r.
    #[test]
    fn the_answers_are_quantiles_of_the_replicates_crossings() {
        let f: Vec<f64> = (1..=10).map(|r| 0.5 + 0.1 * r as f64).collect(); // 0.6 .. 1.5
        let mut eval = |x: f64| -> Result<Vec<f64>, ()> { Ok(f.iter().map(|k| k * x).collect()) };
        let got = search(0.0, 4.0, 1.0, 0.9, 1e-6, 5, &mut eval).unwrap();
        // Crossings 1/1.5 .. 1/0.6: the median between the 5th and 6th, 1/1.1 and 1/1.0.
        let median = got.answer(&got.median).unwrap();
        assert!((median - 0.5 * (1.0 / 1.1 + 1.0)).abs() < 1e-12, "{median}");
        // 90%: position 0.9 × 11 = 9.9, between the 9th and 10th, 1/0.7 and 1/0.6.
        let p = got.answer(&got.probable).unwrap();
        assert!(
            (p - (1.0 / 0.7 + 0.9 * (1.0 / 0.6 - 1.0 / 0.7))).abs() < 1e-12,
            "{p}"
        );
        assert_eq!(
            got.evaluations[..5].iter().map(|e| e.0).collect::<Vec<_>>(),
            [0.0, 1.0, 2.0, 3.0, 4.0]
        );
        // Linear curves: the crossings are exact whatever the bracket.
        for (c, k) in got.crossings.per_replicate.iter().zip(&f) {
            assert!((c.setting().unwrap() - 1.0 / k).abs() < 1e-12);
        }
    }

    #[test]
    fn an_unreachable_level_is_reported_as_such() {
        let mut eval = |x: f64| -> Result<Vec<f64>, ()> { Ok(vec![x; 3]) };
        let got = search(0.0, 1.0, 5.0, 0.9, 1e-3, 3, &mut eval).unwrap();
        assert_eq!(
            (got.answer(&got.median), got.answer(&got.probable)),
            (None, None)
        );
        assert_eq!(got.crossings.outside(), (0, 3));
        let got = search(2.0, 3.0, 1.0, 0.9, 1e-3, 3, &mut eval).unwrap();
        assert_eq!(
            (got.answer(&got.median), got.answer(&got.probable)),
            (Some(2.0), Some(2.0))
        );
        assert_eq!(got.evaluations.len(), 3);
    }

    /// Known answer: replicate r's outcome is a_r·x² with a_r ~ U(0.5, 1.5), so it
    /// reaches 1 at x_r = 1/√a_r, and the crossings' population quantile at level q is
    /// 1/√(1.5 − q). The reported settings must be the sample quantiles of the true
    /// crossings (within the tolerance: the curve bends inside a bracket), and the 95%
    /// intervals must cover the population quantiles in about 95% of 400 seeds or more
    /// (order-statistic intervals are conservative), while staying narrow.
    #[test]
    fn crossings_give_known_quantiles_with_intervals_that_cover_the_truth() {
        let (n, tol) = (60, 1e-3);
        let truth = |q: f64| 1.0 / (1.5f64 - q).sqrt();
        let (mut covered, mut width) = ([0usize; 2], 0.0);
        let trials = 400;
        for seed in 0..trials {
            let a: Vec<f64> = (0..n).map(|r| 0.5 + uniform(seed, r)).collect();
            let x: Vec<f64> = a.iter().map(|k| 1.0 / k.sqrt()).collect();
            let mut eval =
                |s: f64| -> Result<Vec<f64>, ()> { Ok(a.iter().map(|k| k * s * s).collect()) };
            let got = search(0.2, 2.5, 1.0, 0.9, tol, 9, &mut eval).unwrap();
            for (j, (q, level)) in [(&got.median, 0.5), (&got.probable, 0.9)]
                .into_iter()
                .enumerate()
            {
                let setting = got.answer(q).unwrap();
                assert!(
                    (setting - type6(&x, level)).abs() < tol,
                    "seed {seed}, level {level}: {setting} vs {}",
                    type6(&x, level)
                );
                let (lo, hi) = (q.low.unwrap().setting(), q.high.unwrap().setting());
                let (lo, hi) = (lo.unwrap(), hi.unwrap());
                covered[j] += usize::from(lo <= truth(level) && truth(level) <= hi);
                if j == 0 {
                    width += (hi - lo) / trials as f64;
                }
            }
        }
        for c in covered {
            assert!(c as f64 / trials as f64 >= 0.93, "{covered:?} of {trials}");
        }
        // The median's interval spans about the 37th to 63rd percentiles: 1/√1.13 − 1/√0.87.
        assert!(width < 0.25, "{width}");
    }
}
