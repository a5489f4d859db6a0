//! Least squares by Householder QR, for the evaluation's regressions (a few hundred to a
//! few thousand rows, a few dozen columns).
//!
//! X = QR with Q orthogonal and R upper triangular, built one column at a time by
//! Householder reflections (Golub & Van Loan, Matrix Computations, §5.2); then
//! β = R⁻¹ Qᵀy, and (XᵀX)⁻¹ = R⁻¹ R⁻ᵀ, which never forms XᵀX (whose condition number is
//! the square of X's). Columns are taken in the order given, without pivoting, so that a
//! rank deficiency names the first column that is (to 1e-9 of its own length) a linear
//! combination of the columns before it, instead of returning numbers from a singular
//! system.

/// The least-squares fit of y on the columns of X.
#[derive(Debug, Clone, PartialEq)]
pub struct LeastSquares {
    pub beta: Vec<f64>,
    /// y − Xβ, computed from the original columns.
    pub residuals: Vec<f64>,
    /// Σ residuals².
    pub rss: f64,
    /// (XᵀX)⁻¹ (k × k, row by row): σ² times it is β's covariance.
    pub xtx_inv: Vec<Vec<f64>>,
}

/// Column `column` (0-based) is a linear combination of the columns before it, or there
/// are fewer rows than columns (then the first column without a row of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Collinear {
    pub column: usize,
}

/// A column whose length, once the earlier columns' directions are taken out, is below
/// this share of its own length is collinear with them.
const RANK_TOL: f64 = 1e-9;

/// The R factor of X = QR (upper triangular, k × k, row by row) and Qᵀy.
struct Qr {
    r: Vec<Vec<f64>>,
    qty: Vec<f64>,
}

/// Householder QR of the columns (each of length n), applied to `y` as it goes.
fn householder(columns: &[Vec<f64>], y: &[f64]) -> Result<Qr, Collinear> {
    let n = y.len();
    let k = columns.len();
    let mut a: Vec<Vec<f64>> = columns.to_vec();
    let mut b = y.to_vec();
    let mut r = vec![vec![0.0; k]; k];
    for j in 0..k {
        let own = a[j].iter().map(|v| v * v).sum::<f64>().sqrt();
        let norm = a[j][j.min(n)..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if j >= n || own == 0.0 || norm <= RANK_TOL * own {
            return Err(Collinear { column: j });
        }
        // v = x + sign(x₀)‖x‖e₁ reflects x onto −sign(x₀)‖x‖e₁ without cancellation.
        let alpha = if a[j][j] >= 0.0 { -norm } else { norm };
        let mut v = a[j][j..].to_vec();
        v[0] -= alpha;
        let vv: f64 = v.iter().map(|x| x * x).sum();
        let reflect = |c: &mut [f64]| {
            let s = 2.0 * v.iter().zip(c.iter()).map(|(p, q)| p * q).sum::<f64>() / vv;
            c.iter_mut().zip(&v).for_each(|(ci, vi)| *ci -= s * vi);
        };
        for col in a.iter_mut().skip(j) {
            reflect(&mut col[j..]);
        }
        reflect(&mut b[j..]);
        for (i, row) in r.iter_mut().enumerate().take(j + 1) {
            row[j] = a[j][i];
        }
    }
    b.truncate(k);
    Ok(Qr { r, qty: b })
}

/// R⁻¹ of an upper-triangular R with a non-zero diagonal (column by column, by back
/// substitution on the unit vectors).
fn upper_inverse(r: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = r.len();
    let columns: Vec<Vec<f64>> = (0..k)
        .map(|c| {
            let mut x = vec![0.0; k];
            for i in (0..=c).rev() {
                let unit = if i == c { 1.0 } else { 0.0 };
                let s: f64 = (i + 1..=c).map(|j| r[i][j] * x[j]).sum();
                x[i] = (unit - s) / r[i][i];
            }
            x
        })
        .collect();
    (0..k)
        .map(|i| columns.iter().map(|col| col[i]).collect())
        .collect()
}

/// Least squares of `y` on `columns` (each as long as `y`).
pub fn least_squares(columns: &[Vec<f64>], y: &[f64]) -> Result<LeastSquares, Collinear> {
    let Qr { r, qty } = householder(columns, y)?;
    let k = columns.len();
    let rinv = upper_inverse(&r);
    let beta: Vec<f64> = (0..k)
        .map(|i| (i..k).map(|j| rinv[i][j] * qty[j]).sum())
        .collect();
    let residuals: Vec<f64> = (0..y.len())
        .map(|t| {
            y[t] - columns
                .iter()
                .zip(&beta)
                .map(|(c, b)| c[t] * b)
                .sum::<f64>()
        })
        .collect();
    let rss = residuals.iter().map(|e| e * e).sum();
    // (R⁻¹R⁻ᵀ)ᵢⱼ = Σₗ R⁻¹ᵢₗ R⁻¹ⱼₗ over l ≥ max(i, j).
    let xtx_inv = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| (i.max(j)..k).map(|l| rinv[i][l] * rinv[j][l]).sum())
                .collect()
        })
        .collect();
    Ok(LeastSquares {
        beta,
        residuals,
        rss,
        xtx_inv,
    })
}

/// The first column that is a combination of the ones before it, if any.
pub fn first_collinear(columns: &[Vec<f64>]) -> Option<usize> {
    let n = columns.first().map_or(0, Vec::len);
    householder(columns, &vec![0.0; n]).err().map(|c| c.column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_fit_recovers_the_coefficients() {
        // y = 3 − 2x + 0.5x² on x = 0..9: no residual.
        let x: Vec<f64> = (0..10).map(f64::from).collect();
        let cols = vec![
            vec![1.0; 10],
            x.clone(),
            x.iter().map(|v| v * v).collect::<Vec<_>>(),
        ];
        let y: Vec<f64> = x.iter().map(|v| 3.0 - 2.0 * v + 0.5 * v * v).collect();
        let f = least_squares(&cols, &y).unwrap();
        for (b, want) in f.beta.iter().zip([3.0, -2.0, 0.5]) {
            assert!((b - want).abs() < 1e-12, "{b}");
        }
        assert!(f.rss < 1e-20);
    }

    #[test]
    fn simple_regression_has_its_textbook_answer() {
        // y on (1, x): slope Sxy/Sxx, (XᵀX)⁻¹ = [[Σx²/(n Sxx), −x̄/Sxx], [−x̄/Sxx, 1/Sxx]].
        let x = [1.0, 2.0, 4.0, 5.0, 8.0];
        let y = [2.0, 3.0, 3.5, 6.0, 7.5];
        let n = 5.0;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let sxx: f64 = x.iter().map(|v| (v - mx).powi(2)).sum();
        let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let slope = sxy / sxx;
        let f = least_squares(&[vec![1.0; 5], x.to_vec()], &y).unwrap();
        assert!((f.beta[1] - slope).abs() < 1e-13);
        assert!((f.beta[0] - (my - slope * mx)).abs() < 1e-13);
        let sx2: f64 = x.iter().map(|v| v * v).sum();
        assert!((f.xtx_inv[0][0] - sx2 / (n * sxx)).abs() < 1e-13);
        assert!((f.xtx_inv[0][1] + mx / sxx).abs() < 1e-13);
        assert!((f.xtx_inv[1][0] + mx / sxx).abs() < 1e-13);
        assert!((f.xtx_inv[1][1] - 1.0 / sxx).abs() < 1e-13);
        // The residuals are orthogonal to every column.
        assert!(f.residuals.iter().sum::<f64>().abs() < 1e-12);
        let rx: f64 = f.residuals.iter().zip(&x).map(|(e, v)| e * v).sum();
        assert!(rx.abs() < 1e-12);
    }

    #[test]
    fn collinear_columns_are_named() {
        let a = vec![1.0, 0.0, 1.0, 0.0, 1.0];
        let b = vec![0.0, 1.0, 0.0, 1.0, 0.0];
        let one = vec![1.0; 5];
        let t = vec![0.0, 1.0, 2.0, 3.0, 4.0];
        // a + b = 1: the intercept (third) is their sum.
        assert_eq!(
            least_squares(&[a.clone(), b.clone(), one.clone()], &t),
            Err(Collinear { column: 2 })
        );
        assert_eq!(first_collinear(&[one.clone(), t.clone(), a.clone()]), None);
        assert_eq!(
            first_collinear(&[one.clone(), vec![0.0; 5]]),
            Some(1),
            "an all-zero column"
        );
        assert_eq!(
            first_collinear(&[t.iter().map(|v| 2.0 * v + 1.0).collect(), one, t]),
            Some(2)
        );
        // More columns than rows.
        let short = vec![vec![1.0, 2.0], vec![0.0, 1.0], vec![3.0, 1.0]];
        assert_eq!(first_collinear(&short), Some(2));
    }
}
