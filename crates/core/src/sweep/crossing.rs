//! Where each replicate's outcome crosses a target level, from a target search's curve
//! evaluations, and the quantiles of those crossing settings with distribution-free 95%
//! intervals (order statistics: the number of replicates crossed by the true quantile is
//! binomial). The interval is the answer's Monte Carlo precision: it says how far another
//! seed's replicates could move the answer, which the search's bracket width does not.
//!
//! The quantile rule and the intervals are the bands' ([`crate::results::quantile`]).
//!
//! With common random numbers replicate r sees the same draws at every setting, so its
//! curve should be monotone; that is checked on the evaluated settings, not assumed.

use crate::results::quantile::{order_ranks, position};

/// Where one replicate's outcome crosses the level, in the factor's order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Crossing {
    /// Before the range's low end: the replicate is already crossed there.
    Below,
    /// Interpolated linearly between the two evaluated settings that bracket it.
    At(f64),
    /// Not within the range: the replicate is not crossed at its high end.
    Above,
}

impl Crossing {
    /// The setting, when in the range.
    pub fn setting(self) -> Option<f64> {
        match self {
            Crossing::At(x) => Some(x),
            _ => None,
        }
    }

    /// The factor's order: below the range, then by setting, then above it.
    fn by_order(&self, other: &Crossing) -> std::cmp::Ordering {
        let key = |c: &Crossing| match *c {
            Crossing::Below => (0, 0.0),
            Crossing::At(x) => (1, x),
            Crossing::Above => (2, 0.0),
        };
        let (a, b) = (key(self), key(other));
        a.0.cmp(&b.0).then(a.1.total_cmp(&b.1))
    }
}

/// One quantile of the replicates' crossings with its distribution-free 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantile {
    /// The share of replicates crossed by `setting` (in the factor's order).
    pub level: f64,
    /// Linear interpolation between order statistics (as the bands' quantiles); outside
    /// the range when an order statistic it needs is.
    pub setting: Crossing,
    /// The interval's ends (order statistics); `None`: too few replicates to bound this
    /// side at 95% (see [`crate::results::quantile::replicates_needed`]).
    pub low: Option<Crossing>,
    pub high: Option<Crossing>,
}

/// Every replicate's crossing on the evaluations so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossings {
    /// The outcome grows with the factor (judged on the replicates' sum at the range's
    /// ends): a replicate crosses where it reaches the level; otherwise where it stops.
    pub increasing: bool,
    /// In replicate order.
    pub per_replicate: Vec<Crossing>,
    /// In replicate order: the evaluated settings bracketing the crossing (`None` outside
    /// the range).
    pub brackets: Vec<Option<(f64, f64)>>,
    /// Replicates whose outcome moves against `increasing` between two evaluated settings.
    pub non_monotone: Vec<u32>,
    /// In replicate order: the largest move against `increasing` between two adjacent
    /// evaluated settings, in the outcome's unit (0: monotone).
    pub dips: Vec<f64>,
}

/// Every replicate's crossing of `value` from `evaluations` (setting, each replicate's
/// outcome), in any order, that include the range's two ends.
pub fn crossings(evaluations: &[(f64, Vec<f64>)], value: f64) -> Crossings {
    let mut sorted: Vec<&(f64, Vec<f64>)> = evaluations.iter().collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = sorted.first().map_or(0, |e| e.1.len());
    let rise: f64 = match (sorted.first(), sorted.last()) {
        (Some(first), Some(last)) => (0..n).map(|r| last.1[r] - first.1[r]).sum(),
        _ => 0.0,
    };
    let increasing = rise >= 0.0;
    let mut out = Crossings {
        increasing,
        per_replicate: Vec::with_capacity(n),
        brackets: Vec::with_capacity(n),
        non_monotone: Vec::new(),
        dips: Vec::with_capacity(n),
    };
    for r in 0..n {
        let curve: Vec<(f64, f64)> = sorted.iter().map(|e| (e.0, e.1[r])).collect();
        let (c, bracket) = crossing_of(&curve, value, increasing);
        out.per_replicate.push(c);
        out.brackets.push(bracket);
        let sign = if increasing { 1.0 } else { -1.0 };
        let dip = curve
            .windows(2)
            .map(|w| sign * (w[0].1 - w[1].1))
            .fold(0.0, f64::max);
        if dip > 0.0 {
            out.non_monotone.push(r as u32);
        }
        out.dips.push(dip);
    }
    out
}

/// The first crossing along one replicate's curve (ascending settings), interpolated.
fn crossing_of(
    curve: &[(f64, f64)],
    value: f64,
    increasing: bool,
) -> (Crossing, Option<(f64, f64)>) {
    // Reaching the level (at least `value`) when the outcome grows; losing it otherwise.
    let crossed = |y: f64| if increasing { y >= value } else { y < value };
    match curve.iter().position(|&(_, y)| crossed(y)) {
        Some(0) => (Crossing::Below, None),
        None => (Crossing::Above, None),
        Some(j) => {
            let ((xa, ya), (xb, yb)) = (curve[j - 1], curve[j]);
            // ya and yb sit on either side of the level, so yb ≠ ya.
            let x = xa + (value - ya) / (yb - ya) * (xb - xa);
            (Crossing::At(x.clamp(xa, xb)), Some((xa, xb)))
        }
    }
}

impl Crossings {
    /// The `level` quantile of the crossings with its 95% interval.
    pub fn quantile(&self, level: f64) -> Quantile {
        let s = self.sorted();
        if s.is_empty() {
            // No replicate: nothing crossed in the range, nothing bounded.
            return Quantile {
                level,
                setting: Crossing::Above,
                low: None,
                high: None,
            };
        }
        let (lo, hi) = order_ranks(s.len(), level);
        Quantile {
            level,
            setting: interpolated(&s, level),
            low: lo.map(|k| s[k - 1]),
            high: hi.map(|k| s[k - 1]),
        }
    }

    /// The replicates (in crossing order) whose crossings `quantile(level)` reads: the
    /// one or two of the point estimate and the interval's ends.
    pub fn replicates_read(&self, level: f64) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.per_replicate.len()).collect();
        order.sort_by(|&a, &b| self.per_replicate[a].by_order(&self.per_replicate[b]));
        let n = order.len();
        if n == 0 {
            return Vec::new();
        }
        let (i, f) = position(n, level);
        let mut ranks = vec![i, if f > 0.0 { (i + 1).min(n - 1) } else { i }];
        let (lo, hi) = order_ranks(n, level);
        ranks.extend(lo.into_iter().chain(hi).map(|k| k - 1));
        ranks.into_iter().map(|k| order[k]).collect()
    }

    fn sorted(&self) -> Vec<Crossing> {
        let mut s = self.per_replicate.clone();
        s.sort_by(Crossing::by_order);
        s
    }

    /// How many replicates are crossed before the range, and how many not within it.
    pub fn outside(&self) -> (usize, usize) {
        let count = |c: Crossing| self.per_replicate.iter().filter(|&&x| x == c).count();
        (count(Crossing::Below), count(Crossing::Above))
    }
}

/// The `level` quantile of sorted crossings by the bands' rule
/// ([`crate::results::quantile`]); a quantile that needs a crossing outside the range is outside it.
fn interpolated(s: &[Crossing], level: f64) -> Crossing {
    let (i, f) = position(s.len(), level);
    if f == 0.0 || i + 1 >= s.len() {
        return s[i];
    }
    match (s[i], s[i + 1]) {
        (Crossing::At(a), Crossing::At(b)) => Crossing::At(a + f * (b - a)),
        (Crossing::Below, _) => Crossing::Below,
        (_, other) => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distribution-free (sign-test) median intervals of the textbook tables:
    /// n = 10 → X₍₂₎..X₍₉₎ (97.9%), n = 20 → X₍₆₎..X₍₁₅₎ (95.9%).
    /// ln(0.025) / ln(0.9) = 35.01 → 36; ln(0.025) / ln(0.5) = 5.32 → 6.
    /// Replicate 1 dips between settings, replicate 2 never reaches the level: both are
    /// reported, and the first crossing is interpolated on the bracketing settings.
    #[test]
    fn a_dip_and_a_replicate_that_never_crosses_are_reported() {
        let e = vec![
            (0.0, vec![0.0, 0.0, 0.0]),
            (1.0, vec![2.0, 1.5, 0.1]),
            (2.0, vec![4.0, 1.0, 0.2]),
            (3.0, vec![6.0, 3.0, 0.3]),
        ];
        let c = crossings(&e, 1.0);
        assert!(c.increasing);
        assert_eq!(
            c.per_replicate,
            [Crossing::At(0.5), Crossing::At(1.0 / 1.5), Crossing::Above]
        );
        assert_eq!(c.non_monotone, [1]);
        assert_eq!(c.dips, [0.0, 0.5, 0.0]);
        assert_eq!(c.outside(), (0, 1));
        assert_eq!(c.brackets[0], Some((0.0, 1.0)));
        // Of three replicates, the median is replicate 1's; 90% needs the third.
        assert_eq!(c.quantile(0.5).setting, Crossing::At(1.0 / 1.5));
        assert_eq!(c.quantile(0.9).setting, Crossing::Above);
    }

    /// A falling outcome crosses where it stops reaching the level.
    #[test]
    fn a_falling_outcome_crosses_where_it_drops_below() {
        let e = vec![(0.0, vec![3.0, 1.0]), (2.0, vec![1.0, 0.0])];
        let c = crossings(&e, 2.0);
        assert!(!c.increasing);
        assert_eq!(c.per_replicate, [Crossing::At(1.0), Crossing::Below]);
    }
}
