//! `wfhsim target`: the setting of one factor at which an outcome reaches a level — for
//! the median replicate, and for a given share of replicates (90% by default) — found by
//! bisection. Every evaluation uses the run's seed, so replicate r sees the same draws at
//! every setting (common random numbers) and the outcome moves with the factor alone.

use crate::results::reduce::quantiles;

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The setting at which the median reaches the level (None: not in the range).
    pub median: Option<f64>,
    /// The setting at which `probability` of replicates reach it.
    pub probable: Option<f64>,
    /// Every setting evaluated, in order, with each replicate's outcome.
    pub evaluations: Vec<(f64, Vec<f64>)>,
}

/// The `p` quantile of `v` (linear interpolation between order statistics).
pub fn quantile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let x = p * (s.len() - 1) as f64;
    let (i, f) = (x.floor() as usize, x - x.floor());
    if i + 1 < s.len() {
        s[i] + f * (s[i + 1] - s[i])
    } else {
        s[i]
    }
}

/// Searches [lo, hi] for where the outcome reaches `value` (at least `value`).
/// `curve` settings are evaluated first (for the response curve), then the two bisections
/// down to `tol`. `eval(x)` returns every replicate's outcome at setting x.
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
    let mut at = |x: f64, evaluations: &mut Vec<(f64, Vec<f64>)>| -> Result<Vec<f64>, E> {
        if let Some((_, v)) = evaluations.iter().find(|(y, _)| *y == x) {
            return Ok(v.clone());
        }
        let v = eval(x)?;
        evaluations.push((x, v.clone()));
        Ok(v)
    };
    for i in 0..curve {
        let x = lo + (hi - lo) * i as f64 / (curve - 1).max(1) as f64;
        at(x, &mut evaluations)?;
    }
    let median = |v: &[f64]| quantiles(&mut v.to_vec()).median();
    let low_q = |v: &[f64]| quantile(v, 1.0 - probability);
    let mut solve = |q: &dyn Fn(&[f64]) -> f64,
                     evaluations: &mut Vec<(f64, Vec<f64>)>|
     -> Result<Option<f64>, E> {
        let reached = |v: &[f64]| q(v) >= value;
        let (ra, rb) = (
            reached(&at(lo, evaluations)?),
            reached(&at(hi, evaluations)?),
        );
        if ra == rb {
            // Reached everywhere (the low end suffices) or nowhere in the range.
            return Ok(ra.then_some(lo));
        }
        let (mut a, mut b) = (lo, hi);
        // Invariant: reached(a) == ra, reached(b) == rb.
        while (b - a).abs() > tol {
            let m = 0.5 * (a + b);
            if reached(&at(m, evaluations)?) == ra {
                a = m;
            } else {
                b = m;
            }
        }
        Ok(Some(if rb { b } else { a }))
    };
    let m = solve(&median, &mut evaluations)?;
    let p = solve(&low_q, &mut evaluations)?;
    Ok(Found {
        median: m,
        probable: p,
        evaluations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outcome = replicate factor × x: replicate r reaches 1.0 at x = 1 / f_r.
    #[test]
    fn bisection_finds_the_median_and_the_probable_setting() {
        let f: Vec<f64> = (1..=10).map(|r| 0.5 + 0.1 * r as f64).collect(); // 0.6 .. 1.5
        let mut eval = |x: f64| -> Result<Vec<f64>, ()> { Ok(f.iter().map(|k| k * x).collect()) };
        let got = search(0.0, 4.0, 1.0, 0.9, 1e-6, 5, &mut eval).unwrap();
        // Median factor (0.6..1.5, linear) = 1.05 → x = 1 / 1.05.
        assert!(
            (got.median.unwrap() - 1.0 / 1.05).abs() < 1e-5,
            "{:?}",
            got.median
        );
        // 10th percentile factor = 0.6 + 0.9 × 0.1 = 0.69 → x = 1 / 0.69.
        assert!(
            (got.probable.unwrap() - 1.0 / 0.69).abs() < 1e-5,
            "{:?}",
            got.probable
        );
        assert!(got.probable.unwrap() > got.median.unwrap());
        assert_eq!(
            got.evaluations[..5].iter().map(|e| e.0).collect::<Vec<_>>(),
            [0.0, 1.0, 2.0, 3.0, 4.0]
        );
    }

    #[test]
    fn an_unreachable_level_is_reported_as_such() {
        let mut eval = |x: f64| -> Result<Vec<f64>, ()> { Ok(vec![x; 3]) };
        let got = search(0.0, 1.0, 5.0, 0.9, 1e-3, 3, &mut eval).unwrap();
        assert_eq!((got.median, got.probable), (None, None));
        let got = search(2.0, 3.0, 1.0, 0.9, 1e-3, 3, &mut eval).unwrap();
        assert_eq!((got.median, got.probable), (Some(2.0), Some(2.0)));
    }
}
