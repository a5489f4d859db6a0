//! Regression with AR(1) errors by iterated Prais–Winsten (feasible GLS), on days that
//! need not be consecutive.
//!
//! The model: y = Xβ + e with e_t = ρ e_{t−1} + u_t, u independent with variance σ_u²
//! (so Var e = σ_u² / (1 − ρ²)). Across a gap of d days (d − 1 days missing),
//! e_t = ρ^d e_{t−d} + (a sum of d innovations) whose variance is
//! σ_u² (1 − ρ^{2d}) / (1 − ρ²). Each observation after the first is therefore
//! transformed as (v_t − ρ^d v_{t−d}) · √((1 − ρ²) / (1 − ρ^{2d})), and the first as
//! v · √(1 − ρ²) (Prais–Winsten keeps it; Cochrane–Orcutt would drop it): the transformed
//! errors are then independent with variance σ_u² each, and least squares on the
//! transformed rows is the exact GLS for the observed days. With no gap (d = 1) this is the
//! textbook transform; a missing day costs information, not correctness.
//!
//! ρ is estimated from the untransformed residuals e = y − Xβ as the regression of e_t on
//! e_{t−1} over the pairs of adjacent days both observed: ρ̂ = Σ e_t e_{t−1} / Σ e_{t−1}².
//! Start from ordinary least squares, then alternate GLS given ρ̂ and ρ̂ given the GLS
//! residuals until ρ̂ moves by less than 1e-8 (at most 100 rounds); ρ̂ is kept within
//! ±0.99. A series with no two adjacent observed days gives ρ̂ = 0 (independent errors).
//! The standard errors are σ̂_u² (X*ᵀX*)⁻¹ from the transformed regression, σ̂_u² its
//! residual sum of squares over n − k: they take ρ̂ as known, the usual feasible-GLS
//! approximation.

use super::linalg::{Collinear, least_squares};

/// ρ's bound: an estimate beyond it is a trend or a level shift the model lacks, not noise.
pub const RHO_MAX: f64 = 0.99;
const TOL: f64 = 1e-8;
const MAX_ROUNDS: usize = 100;

/// A Prais–Winsten fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Gls {
    pub beta: Vec<f64>,
    /// σ̂_u² (X*ᵀX*)⁻¹, row by row.
    pub cov: Vec<Vec<f64>>,
    pub rho: f64,
    /// GLS rounds after the first least squares.
    pub iterations: usize,
    pub sigma_innovation: f64,
    /// y − Xβ on the observed days (untransformed).
    pub residuals: Vec<f64>,
    pub df: usize,
}

/// The Prais–Winsten transform of one column (or y) observed on `days` (increasing day
/// numbers), for a given ρ.
pub fn transform(v: &[f64], days: &[i32], rho: f64) -> Vec<f64> {
    let one = (1.0 - rho * rho).sqrt();
    (0..v.len())
        .map(|i| {
            if i == 0 {
                return one * v[0];
            }
            let d = days[i] - days[i - 1];
            let rd = rho.powi(d);
            (v[i] - rd * v[i - 1]) * ((1.0 - rho * rho) / (1.0 - rd * rd)).sqrt()
        })
        .collect()
}

/// ρ̂ from residuals on `days`: adjacent observed days only; 0 without any.
pub fn rho_from(residuals: &[f64], days: &[i32]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for i in 1..residuals.len() {
        if days[i] - days[i - 1] == 1 {
            num += residuals[i] * residuals[i - 1];
            den += residuals[i - 1] * residuals[i - 1];
        }
    }
    if den > 0.0 {
        (num / den).clamp(-RHO_MAX, RHO_MAX)
    } else {
        0.0
    }
}

/// GLS of y on `columns` (observed rows only, on `days`) at a given ρ.
fn gls_at(columns: &[Vec<f64>], y: &[f64], days: &[i32], rho: f64) -> Result<Gls, Collinear> {
    let xs: Vec<Vec<f64>> = columns.iter().map(|c| transform(c, days, rho)).collect();
    let ls = least_squares(&xs, &transform(y, days, rho))?;
    let df = y.len() - columns.len();
    let s2 = if df > 0 { ls.rss / df as f64 } else { f64::NAN };
    let residuals = (0..y.len())
        .map(|t| {
            y[t] - columns
                .iter()
                .zip(&ls.beta)
                .map(|(c, b)| c[t] * b)
                .sum::<f64>()
        })
        .collect();
    let cov = ls
        .xtx_inv
        .iter()
        .map(|row| row.iter().map(|v| v * s2).collect())
        .collect();
    Ok(Gls {
        beta: ls.beta,
        cov,
        rho,
        iterations: 0,
        sigma_innovation: s2.sqrt(),
        residuals,
        df,
    })
}

/// Iterated Prais–Winsten of y on `columns`, observed on `days` (increasing).
pub fn prais_winsten(columns: &[Vec<f64>], y: &[f64], days: &[i32]) -> Result<Gls, Collinear> {
    let mut fit = gls_at(columns, y, days, 0.0)?;
    let mut rho = rho_from(&fit.residuals, days);
    for round in 1..=MAX_ROUNDS {
        fit = gls_at(columns, y, days, rho)?;
        fit.iterations = round;
        let next = rho_from(&fit.residuals, days);
        if (next - rho).abs() < TOL {
            break;
        }
        rho = next;
    }
    Ok(fit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transform_whitens_an_ar1_covariance_across_gaps() {
        // For AR(1) errors with unit innovations, Cov(e_s, e_t) = ρ^|s−t| / (1 − ρ²); the
        // transform T must give T Σ Tᵀ = I on any set of observed days.
        let rho: f64 = 0.6;
        let days: [i32; 9] = [0, 1, 2, 5, 6, 10, 11, 12, 20];
        let n = days.len();
        let sigma = |i: usize, j: usize| rho.powi((days[i] - days[j]).abs()) / (1.0 - rho * rho);
        // Columns of T: the transform of each unit vector.
        let t: Vec<Vec<f64>> = (0..n)
            .map(|j| {
                transform(
                    &(0..n)
                        .map(|i| f64::from(u8::from(i == j)))
                        .collect::<Vec<_>>(),
                    &days,
                    rho,
                )
            })
            .collect();
        for a in 0..n {
            for b in 0..n {
                let v: f64 = (0..n)
                    .flat_map(|i| (0..n).map(move |j| (i, j)))
                    .map(|(i, j)| t[i][a] * sigma(i, j) * t[j][b])
                    .sum();
                let want = if a == b { 1.0 } else { 0.0 };
                assert!((v - want).abs() < 1e-12, "{a},{b}: {v}");
            }
        }
    }

    #[test]
    fn rho_uses_adjacent_pairs_only() {
        let e = [1.0, 0.5, -2.0, 1.0, 3.0];
        // Pairs (0,1) and (3,4) are adjacent days; (1,2) and (2,3) are not.
        let days = [0, 1, 4, 8, 9];
        let want: f64 = (1.0 * 0.5 + 1.0 * 3.0) / (1.0 + 1.0);
        assert_eq!(rho_from(&e, &days), want.min(RHO_MAX));
        assert_eq!(rho_from(&e, &[0, 2, 4, 6, 8]), 0.0);
        assert_eq!(rho_from(&[1.0, 2.0], &[0, 1]), RHO_MAX);
    }
}
