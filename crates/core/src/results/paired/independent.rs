//! The band of a difference between two independent sets of replicates: two runs whose
//! replicate r did not draw the same inputs (another seed, dataset, scale, …). Pairing
//! replicate r of one with replicate r of the other would then be arbitrary; A − B is the
//! difference of two independent draws, one from each set, whose distribution is that of
//! every a_i − b_j with each pair weighing the same.

use super::Difference;
use crate::results::quantile::quantiles;

/// The band of a_i − b_j over every pair (i, j) (the same quantile rule as every band),
/// and the shares of pairs with a_i > b_j and with a_i < b_j: a tie counts for neither
/// (so {0, 1} against {0, 1} gives 1/4 each). None when either side is empty.
pub fn all_pairs(a: &[f64], b: &[f64]) -> Option<Difference> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut diffs: Vec<f64> = a
        .iter()
        .flat_map(|x| b.iter().map(move |y| x - y))
        .collect();
    let n = diffs.len() as f64;
    let share = |keep: fn(f64) -> bool| diffs.iter().filter(|&&d| keep(d)).count() as f64 / n;
    let (a_greater, b_greater) = (share(|d| d > 0.0), share(|d| d < 0.0));
    Some(Difference {
        total: quantiles(&mut diffs),
        per_day: None,
        a_greater,
        b_greater,
    })
}
