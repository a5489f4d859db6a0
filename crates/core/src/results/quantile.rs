//! The one quantile rule of every band, crossing and sweep point, and the Monte Carlo
//! error of a quantile taken over replicates.
//!
//! **The rule** interpolates linearly between order statistics at position h = p(n + 1)
//! (Hyndman & Fan 1996, definition 6; the Weibull plotting position). The k-th smallest of
//! n draws sits on average at the k/(n + 1) quantile of their distribution, whatever it
//! is, so this position puts the estimate on average at level p itself: the tails are not
//! pulled inwards. The familiar position h = p(n − 1) + 1 (definition 7) sits on average
//! at (p(n − 1) + 1)/(n + 1) — the 7.9th percentile for p05 of 30 replicates — which made
//! every 5–95% band of 30 replicates about a sixth too narrow. Where p(n + 1) falls
//! outside [1, n] (fewer than 19 replicates for p05) the estimate is the nearest extreme.
//! Both rules give the same median.
//!
//! **The error** of a quantile over replicates is distribution-free: the number K of
//! replicates below the true quantile is Binomial(n, p), so two order statistics bound it
//! with a known probability ([`order_ranks`]). Half that interval's width is the
//! quantile's Monte Carlo error: how far another seed could move it.

use super::schema::{Band, QUANTILES};

/// The two-sided coverage of the order-statistic intervals.
pub const CONFIDENCE: f64 = 0.95;

/// The 0-based order statistic and interpolation weight of the `level` quantile of `n`
/// sorted values: the estimate is `s[i] + f (s[i + 1] − s[i])` (`f` = 0 at the extremes).
pub fn position(n: usize, level: f64) -> (usize, f64) {
    let h = (level * (n + 1) as f64).clamp(1.0, n.max(1) as f64);
    let i = h.floor() as usize - 1;
    (i, h - h.floor())
}

/// The `level` quantile of ascending `sorted` values (not empty).
pub fn of_sorted(sorted: &[f64], level: f64) -> f64 {
    let (i, f) = position(sorted.len(), level);
    if f == 0.0 || i + 1 >= sorted.len() {
        sorted[i]
    } else {
        sorted[i] + f * (sorted[i + 1] - sorted[i])
    }
}

/// The quantiles of [`QUANTILES`] of `v` (not empty; reordered): the values
/// [`of_sorted`] gives on `v` sorted, bit for bit, found by selecting the order statistics
/// they need (two per level at most) rather than sorting — what the daily and traffic
/// tables' many bands need. Order statistics under `total_cmp` are unique bit patterns,
/// so selection and sorting agree.
pub fn quantiles(v: &mut [f64]) -> Band {
    let mut next = 0;
    Band(QUANTILES.map(|q| {
        let (i, f) = position(v.len(), q.level);
        // The levels ascend, so i ≥ every earlier level's index: v[..next] holds the
        // `next` smallest values in place, and the i-th smallest is in v[next..].
        if i >= next {
            v[next..].select_nth_unstable_by(i - next, f64::total_cmp);
            next = i + 1;
        }
        interpolated(v, i, f)
    }))
}

/// The estimate at order statistic `i` with weight `f`, once `v[i]` is the i-th smallest
/// and every value after it is at least as large: the next order statistic is the least
/// of those.
fn interpolated(v: &[f64], i: usize, f: f64) -> f64 {
    let x = v[i];
    match v[i + 1..].iter().copied().min_by(f64::total_cmp) {
        Some(y) if f != 0.0 => x + f * (y - x),
        _ => x,
    }
}

/// [`quantiles`] of `v`, leaving `v` sorted (what [`errors`] reads).
fn sorted_quantiles(v: &mut [f64]) -> Band {
    v.sort_by(f64::total_cmp);
    Band(QUANTILES.map(|q| of_sorted(v, q.level)))
}

/// Each quantile's Monte Carlo error ([`errors`]): `None` where it cannot be bounded.
/// The 50th percentile of `v` by the rule of [`quantiles`] — the same value, bit for bit —
/// found by selection rather than a full sort (what the traffic table's many medians need).
/// Reorders `v`.
pub fn median(v: &mut [f64]) -> f64 {
    let (i, f) = position(v.len(), 0.5);
    v.select_nth_unstable_by(i, f64::total_cmp);
    interpolated(v, i, f)
}

pub type Errors = [Option<f64>; QUANTILES.len()];

/// The quantiles of `v` (sorted in place; not empty) and their Monte Carlo errors.
pub fn with_errors(v: &mut [f64]) -> (Band, Errors) {
    let band = sorted_quantiles(v);
    (band, errors(v))
}

/// The Monte Carlo error of each quantile of [`QUANTILES`] over `sorted` replicates: half
/// the width of its distribution-free [`CONFIDENCE`] interval, `None` where the
/// replicates are too few to bound it on both sides ([`replicates_needed`]).
pub fn errors(sorted: &[f64]) -> Errors {
    QUANTILES.map(|q| match order_ranks(sorted.len(), q.level) {
        (Some(l), Some(u)) => Some((sorted[u - 1] - sorted[l - 1]) / 2.0),
        _ => None,
    })
}

/// The 1-based ranks (l, u) of the order statistics bounding the `level` quantile of `n`
/// values with at least [`CONFIDENCE`]: with K ~ Binomial(n, level) the number of values
/// below the true quantile, P(X₍ₗ₎ ≤ q ≤ X₍ᵤ₎) ≥ P(l ≤ K < u). l is the largest rank with
/// P(K < l) ≤ 2.5%, u the smallest with P(K < u) ≥ 97.5%; `None` where no rank in 1..n
/// does it (too few values to bound that side).
pub fn order_ranks(n: usize, level: f64) -> (Option<usize>, Option<usize>) {
    let tail = (1.0 - CONFIDENCE) / 2.0;
    let cdf = binomial_cdf(n, level);
    // cdf[k] = P(K ≤ k); P(K < l) = cdf[l - 1].
    let low = (1..=n).take_while(|&l| cdf[l - 1] <= tail).last();
    let high = (1..=n).find(|&u| cdf[u - 1] >= 1.0 - tail);
    (low, high)
}

/// P(K ≤ k) for k = 0..=n, K ~ Binomial(n, p), summed in logs so large n do not underflow.
fn binomial_cdf(n: usize, p: f64) -> Vec<f64> {
    let (lp, lq) = (p.ln(), (1.0 - p).ln());
    let mut log_pmf = n as f64 * lq;
    let mut acc = 0.0;
    let mut cdf = Vec::with_capacity(n + 1);
    for k in 0..=n {
        acc += log_pmf.exp();
        cdf.push(acc.min(1.0));
        log_pmf += ((n - k) as f64).ln() - ((k + 1) as f64).ln() + lp - lq;
    }
    cdf
}

/// The fewest replicates whose order statistics bound the `level` quantile on both sides
/// at [`CONFIDENCE`]: the smallest n with levelⁿ ≤ 2.5% and (1 − level)ⁿ ≤ 2.5%.
pub fn replicates_needed(level: f64) -> u32 {
    let tail = ((1.0 - CONFIDENCE) / 2.0).ln();
    let side = |p: f64| (tail / p.ln()).ceil() as u32;
    side(level).max(side(1.0 - level))
}

#[cfg(test)]
mod tests;
