//! Doubly-constrained gravity model of home→work flows.
//!
//! T_ij = a_i · b_j · W_i · D_j · f_ij with f_ij = exp(−β·d_ij) · K^[i and j on different
//! sides of the DKI boundary]. The balancing factors a, b (Furness iteration) make every
//! row sum to the workers living in i and every column to the jobs in j. Two parameters
//! are then fitted by bisection to the published BPS totals: β to the number of workers
//! commuting across a kab/kota boundary, and the boundary factor K to the Bodetabek→DKI
//! flow. This is the standard way to fill an origin–destination matrix from its margins
//! when the matrix itself is not published (see docs/method.md).

#[derive(Debug, Clone)]
pub struct GravityInput<'a> {
    pub workers: &'a [f64],
    pub jobs: &'a [f64],
    /// Row-major n×n one-way distances, km.
    pub distance_km: &'a [f64],
    pub is_dki: &'a [bool],
    /// Target: workers whose home and work kab/kota differ.
    pub cross_boundary_target: f64,
    /// Target: workers living in Bodetabek and working in DKI.
    pub into_dki_target: f64,
}

#[derive(Debug, Clone)]
pub struct GravityFit {
    /// Row-major n×n workers, home i → work j.
    pub flows: Vec<f64>,
    pub beta_per_km: f64,
    pub boundary_factor: f64,
    pub cross_boundary: f64,
    pub into_dki: f64,
    /// Largest relative deviation of a row or column sum from its margin.
    pub margin_error: f64,
}

/// Furness balancing for fixed β and K.
fn balance(inp: &GravityInput, beta: f64, k: f64) -> (Vec<f64>, f64) {
    let n = inp.workers.len();
    let f: Vec<f64> = (0..n * n)
        .map(|ij| {
            let (i, j) = (ij / n, ij % n);
            let kk = if inp.is_dki[i] != inp.is_dki[j] {
                k
            } else {
                1.0
            };
            (-beta * inp.distance_km[ij]).exp() * kk
        })
        .collect();
    let mut a = vec![1.0; n];
    let mut b = vec![1.0; n];
    let mut err = f64::INFINITY;
    for _ in 0..2000 {
        for i in 0..n {
            let s: f64 = (0..n).map(|j| b[j] * inp.jobs[j] * f[i * n + j]).sum();
            a[i] = if s > 0.0 { 1.0 / s } else { 0.0 };
        }
        for j in 0..n {
            let s: f64 = (0..n).map(|i| a[i] * inp.workers[i] * f[i * n + j]).sum();
            b[j] = if s > 0.0 { 1.0 / s } else { 0.0 };
        }
        // After the column step columns are exact; check the rows.
        err = (0..n)
            .map(|i| {
                let s: f64 = (0..n)
                    .map(|j| a[i] * b[j] * inp.workers[i] * inp.jobs[j] * f[i * n + j])
                    .sum();
                if inp.workers[i] > 0.0 {
                    (s / inp.workers[i] - 1.0).abs()
                } else {
                    0.0
                }
            })
            .fold(0.0, f64::max);
        if err < 1e-11 {
            break;
        }
    }
    let t = (0..n * n)
        .map(|ij| a[ij / n] * b[ij % n] * inp.workers[ij / n] * inp.jobs[ij % n] * f[ij])
        .collect();
    (t, err)
}

fn totals(inp: &GravityInput, t: &[f64]) -> (f64, f64) {
    let n = inp.workers.len();
    let mut cross = 0.0;
    let mut into = 0.0;
    for i in 0..n {
        for j in 0..n {
            if i != j {
                cross += t[i * n + j];
            }
            if !inp.is_dki[i] && inp.is_dki[j] {
                into += t[i * n + j];
            }
        }
    }
    (cross, into)
}

/// β such that the cross-boundary total matches, for a given K (it falls as β grows).
fn fit_beta(inp: &GravityInput, k: f64) -> f64 {
    let (mut lo, mut hi) = (1e-4_f64, 2.0_f64);
    // Geometric bisection: 30 halvings of ln(hi/lo) ≈ 10 give β to a relative 1e-8.
    for _ in 0..30 {
        let mid = (lo * hi).sqrt();
        let (t, _) = balance(inp, mid, k);
        if totals(inp, &t).0 > inp.cross_boundary_target {
            lo = mid
        } else {
            hi = mid
        }
    }
    (lo * hi).sqrt()
}

pub fn fit(inp: &GravityInput) -> GravityFit {
    let (mut lo, mut hi) = (0.01_f64, 100.0_f64);
    for _ in 0..30 {
        let k = (lo * hi).sqrt();
        let beta = fit_beta(inp, k);
        let (t, _) = balance(inp, beta, k);
        if totals(inp, &t).1 < inp.into_dki_target {
            lo = k
        } else {
            hi = k
        }
    }
    let k = (lo * hi).sqrt();
    let beta = fit_beta(inp, k);
    let (flows, margin_error) = balance(inp, beta, k);
    let (cross_boundary, into_dki) = totals(inp, &flows);
    GravityFit {
        flows,
        beta_per_km: beta,
        boundary_factor: k,
        cross_boundary,
        into_dki,
        margin_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_margins_and_targets_on_a_toy_region() {
        // Three zones on a line; zone 0 is "DKI".
        let w = [100.0, 80.0, 60.0];
        let d = [150.0, 50.0, 40.0];
        let dist = [3.0, 10.0, 20.0, 10.0, 3.0, 12.0, 20.0, 12.0, 3.0];
        let dki = [true, false, false];
        let inp = GravityInput {
            workers: &w,
            jobs: &d,
            distance_km: &dist,
            is_dki: &dki,
            cross_boundary_target: 90.0,
            into_dki_target: 60.0,
        };
        let g = fit(&inp);
        for i in 0..3 {
            let row: f64 = (0..3).map(|j| g.flows[i * 3 + j]).sum();
            let col: f64 = (0..3).map(|j| g.flows[j * 3 + i]).sum();
            assert!((row - w[i]).abs() < 1e-6 && (col - d[i]).abs() < 1e-6);
        }
        assert!(
            (g.cross_boundary - 90.0).abs() < 0.01,
            "{}",
            g.cross_boundary
        );
        assert!((g.into_dki - 60.0).abs() < 0.01, "{}", g.into_dki);
        assert!(g.flows.iter().all(|&v| v >= 0.0));
    }
}
