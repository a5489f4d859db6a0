//! How much of an outcome's variance a design's factors explain, against every other input
//! a replicate draws ("everything else", as one group), from points × replicates run with
//! common random numbers.
//!
//! Replicate r of every point draws the same other inputs ω_r, so the outcomes form a
//! crossed layout, points × replicates, one value per cell. With the functional ANOVA
//! (Sobol–Hoeffding) decomposition Y(x, ω) = μ + a(x) + b(ω) + c(x, ω), the factors' own
//! effect a, the other inputs' own effect b and their interactions c are uncorrelated, and
//! a two-way random-effects analysis of variance estimates each variance from the mean
//! squares of points (MS_x), of replicates (MS_ω) and of the residual (MS_e), for M
//! points and R replicates: E[MS_e] = V_c, E[MS_x] = V_c + R·V_a, E[MS_ω] = V_c + M·V_b.
//! A negative estimate is set to zero. The Sobol indices of a point's replicate mean
//! decompose V_a + V_c/R: b is common to every point under common random numbers and
//! drops out; the interactions' share, divided by R, is noise the indices count as the
//! factors'.

/// The variance of one replicate's outcome, and how it splits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VarianceShare {
    /// V = V_a + V_b + V_c: the outcome's variance over the factors and the other inputs.
    pub total: f64,
    /// V_a / V: the factors' effect on the outcome's expected value.
    pub factors: f64,
    /// V_b / V: the other inputs' effect, whatever the factors.
    pub others: f64,
    /// V_c / V: the factors' interactions with the other inputs.
    pub interactions: f64,
}

/// The split of `y[p][r]` (point p, replicate r; every point the same replicates, drawn
/// with common random numbers). None with fewer than two points or replicates, rows of
/// unequal length, or no variance at all.
pub fn share(y: &[Vec<f64>]) -> Option<VarianceShare> {
    let (m, r) = (y.len(), y.first()?.len());
    if m < 2 || r < 2 || y.iter().any(|row| row.len() != r) {
        return None;
    }
    let (mf, rf) = (m as f64, r as f64);
    let point_mean: Vec<f64> = y.iter().map(|row| row.iter().sum::<f64>() / rf).collect();
    let rep_mean: Vec<f64> = (0..r)
        .map(|j| y.iter().map(|row| row[j]).sum::<f64>() / mf)
        .collect();
    let grand = point_mean.iter().sum::<f64>() / mf;
    let ss = |v: &[f64]| v.iter().map(|x| (x - grand).powi(2)).sum::<f64>();
    let ms_points = rf * ss(&point_mean) / (mf - 1.0);
    let ms_reps = mf * ss(&rep_mean) / (rf - 1.0);
    let ss_res: f64 = y
        .iter()
        .zip(&point_mean)
        .map(|(row, pm)| {
            row.iter()
                .zip(&rep_mean)
                .map(|(v, rm)| (v - pm - rm + grand).powi(2))
                .sum::<f64>()
        })
        .sum();
    let ms_res = ss_res / ((mf - 1.0) * (rf - 1.0));
    let v_c = ms_res.max(0.0);
    let v_a = ((ms_points - ms_res) / rf).max(0.0);
    let v_b = ((ms_reps - ms_res) / mf).max(0.0);
    let total = v_a + v_b + v_c;
    (total > 0.0).then(|| VarianceShare {
        total,
        factors: v_a / total,
        others: v_b / total,
        interactions: v_c / total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, StreamKey};

    /// Y = α·u(x) + β·v(ω) + γ·u(x)·v(ω) with u, v of mean 0 and variance 1 (uniforms
    /// rescaled): V_a = α², V_b = β², V_c = γ² exactly (E[u·v | x] = u·E[v] = 0).
    #[test]
    fn known_components_are_recovered() {
        let mut rng = StreamKey::new(4, 0, Stream::Design).rng(9);
        let mut unit = || 12f64.sqrt() * (rng.next_f64() - 0.5);
        let (alpha, beta, gamma) = (2.0, 1.5, 1.0);
        let (m, r) = (2000, 400);
        let u: Vec<f64> = (0..m).map(|_| unit()).collect();
        let v: Vec<f64> = (0..r).map(|_| unit()).collect();
        let y: Vec<Vec<f64>> = u
            .iter()
            .map(|&u| {
                v.iter()
                    .map(|&v| alpha * u + beta * v + gamma * u * v)
                    .collect()
            })
            .collect();
        let s = share(&y).unwrap();
        let total: f64 = alpha * alpha + beta * beta + gamma * gamma;
        // Tolerances about 3 standard errors of each share at these sizes.
        assert!((s.factors - alpha * alpha / total).abs() < 0.05, "{s:?}");
        assert!((s.others - beta * beta / total).abs() < 0.06, "{s:?}");
        assert!(
            (s.interactions - gamma * gamma / total).abs() < 0.025,
            "{s:?}"
        );
        assert!((s.factors + s.others + s.interactions - 1.0).abs() < 1e-12);
    }

    /// No other input: the factors explain everything, whatever the offset.
    #[test]
    fn replicates_that_agree_leave_everything_to_the_factors() {
        let y: Vec<Vec<f64>> = (0..10).map(|p| vec![1e6 + p as f64; 3]).collect();
        let s = share(&y).unwrap();
        assert_eq!((s.factors, s.others, s.interactions), (1.0, 0.0, 0.0));
        assert!((s.total - 55.0 / 6.0).abs() < 1e-6, "{s:?}");
    }

    #[test]
    fn one_replicate_or_nothing_varying_has_no_split() {
        assert!(share(&[vec![1.0], vec![2.0]]).is_none());
        assert!(share(&[vec![1.0, 1.0], vec![1.0, 1.0]]).is_none());
        assert!(share(&[vec![1.0, 2.0], vec![1.0]]).is_none());
    }
}
