//! Doubly-constrained gravity model of home→work flows, with the published
//! Bodetabek→DKI flows by origin and by destination as further margins.
//!
//! Seed T_ij = W_i · D_j · exp(−β·d_ij); then iterative proportional fitting makes every
//! row sum to the workers living in i, every column to the jobs in j, the part of each
//! Bodetabek origin's row that goes to DKI to its published commuters into DKI (BPS 2014
//! origins, scaled to the 2019 total), and the part of each DKI column that comes from
//! Bodetabek to the published destination shares. β is fitted by
//! bisection so that the workers crossing a kab/kota boundary match the BPS 2019 total.
//! Without the third margin an exponential deterrence steep enough to match that total
//! leaves almost no one commuting from Bogor or Cikarang to Jakarta, which BPS contradicts.
//! This is the standard way to fill an origin–destination matrix from its margins when
//! the matrix itself is not published (docs/method.md).

#[derive(Debug, Clone)]
pub struct GravityInput<'a> {
    pub workers: &'a [f64],
    pub jobs: &'a [f64],
    /// Row-major n×n one-way distances, km.
    pub distance_km: &'a [f64],
    pub is_dki: &'a [bool],
    /// Per Bodetabek origin: workers commuting into DKI (ignored for DKI origins).
    pub to_dki: &'a [f64],
    /// Per DKI destination: workers commuting in from Bodetabek (ignored elsewhere).
    pub from_bodetabek: &'a [f64],
    /// Target: workers whose home and work kab/kota differ.
    pub cross_boundary_target: f64,
    /// (low, high) bracket of the bisection for β, per km.
    pub beta_search_per_km: (f64, f64),
}

#[derive(Debug, Clone)]
pub struct GravityFit {
    /// Row-major n×n workers, home i → work j.
    pub flows: Vec<f64>,
    pub beta_per_km: f64,
    pub cross_boundary: f64,
    pub into_dki: f64,
    /// Largest relative deviation of any margin after fitting.
    pub margin_error: f64,
}

/// The IPF margins: (cells of the block, target). Rows (a Bodetabek row split into its
/// DKI and non-DKI parts), then columns (a DKI column split into its Bodetabek and DKI
/// parts). They do not depend on β, so they are built once per fit.
fn margins(inp: &GravityInput) -> Vec<(Vec<usize>, f64)> {
    let n = inp.workers.len();
    let mut m = Vec::new();
    for i in 0..n {
        let row = |dki: bool| {
            (0..n)
                .filter(|&j| inp.is_dki[j] == dki)
                .map(|j| i * n + j)
                .collect()
        };
        if inp.is_dki[i] {
            m.push(((0..n).map(|j| i * n + j).collect(), inp.workers[i]));
        } else {
            m.push((row(true), inp.to_dki[i]));
            m.push((row(false), inp.workers[i] - inp.to_dki[i]));
        }
    }
    for j in 0..n {
        let col = |dki: bool| {
            (0..n)
                .filter(|&i| inp.is_dki[i] == dki)
                .map(|i| i * n + j)
                .collect()
        };
        if inp.is_dki[j] {
            m.push((col(false), inp.from_bodetabek[j]));
            m.push((col(true), inp.jobs[j] - inp.from_bodetabek[j]));
        } else {
            m.push(((0..n).map(|i| i * n + j).collect(), inp.jobs[j]));
        }
    }
    m
}

/// IPF for a fixed β: scale each margin's cells to its target until all agree.
fn balance(inp: &GravityInput, margins: &[(Vec<usize>, f64)], beta: f64) -> (Vec<f64>, f64) {
    let n = inp.workers.len();
    let mut t: Vec<f64> = (0..n * n)
        .map(|ij| inp.workers[ij / n] * inp.jobs[ij % n] * (-beta * inp.distance_km[ij]).exp())
        .collect();
    let mut err = f64::INFINITY;
    for _ in 0..5000 {
        err = 0.0f64;
        for (cells, target) in margins {
            let s: f64 = cells.iter().map(|&k| t[k]).sum();
            if s > 0.0 {
                cells.iter().for_each(|&k| t[k] *= target / s);
            }
            if *target > 0.0 {
                err = err.max((s / target - 1.0).abs());
            }
        }
        if err < 1e-11 {
            break;
        }
    }
    (t, err)
}

fn totals(inp: &GravityInput, t: &[f64]) -> (f64, f64) {
    let n = inp.workers.len();
    let cross = (0..n * n)
        .filter(|ij| ij / n != ij % n)
        .map(|ij| t[ij])
        .sum();
    let into = (0..n * n)
        .filter(|ij| !inp.is_dki[ij / n] && inp.is_dki[ij % n])
        .map(|ij| t[ij])
        .sum();
    (cross, into)
}

pub fn fit(inp: &GravityInput) -> GravityFit {
    // Geometric bisection on β (the cross-boundary total falls as β grows): 40 halvings
    // of ln(hi/lo) (≈ 10 for the built-in bracket) give β to a relative 1e-11.
    let margins = margins(inp);
    let (mut lo, mut hi) = inp.beta_search_per_km;
    for _ in 0..40 {
        let mid = (lo * hi).sqrt();
        let (t, _) = balance(inp, &margins, mid);
        if totals(inp, &t).0 > inp.cross_boundary_target {
            lo = mid
        } else {
            hi = mid
        }
    }
    let beta = (lo * hi).sqrt();
    let (flows, margin_error) = balance(inp, &margins, beta);
    let (cross_boundary, into_dki) = totals(inp, &flows);
    GravityFit {
        flows,
        beta_per_km: beta,
        cross_boundary,
        into_dki,
        margin_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_all_margins_and_the_cross_boundary_total_on_a_toy_region() {
        // Three zones on a line; zone 0 is "DKI".
        let w = [100.0, 80.0, 60.0];
        let d = [150.0, 50.0, 40.0];
        let dist = [3.0, 10.0, 20.0, 10.0, 3.0, 12.0, 20.0, 12.0, 3.0];
        let dki = [true, false, false];
        let to_dki = [0.0, 40.0, 20.0];
        let from = [60.0, 0.0, 0.0];
        let inp = GravityInput {
            workers: &w,
            jobs: &d,
            distance_km: &dist,
            is_dki: &dki,
            to_dki: &to_dki,
            from_bodetabek: &from,
            cross_boundary_target: 90.0,
            beta_search_per_km: (1e-4, 2.0),
        };
        let g = fit(&inp);
        for i in 0..3 {
            let row: f64 = (0..3).map(|j| g.flows[i * 3 + j]).sum();
            let col: f64 = (0..3).map(|j| g.flows[j * 3 + i]).sum();
            assert!((row - w[i]).abs() < 1e-6 && (col - d[i]).abs() < 1e-6);
        }
        assert!(
            (g.flows[3] - 40.0).abs() < 1e-6 && (g.flows[6] - 20.0).abs() < 1e-6,
            "per-origin flows into DKI"
        );
        assert!(
            (g.cross_boundary - 90.0).abs() < 0.01,
            "{}",
            g.cross_boundary
        );
        assert!(g.flows.iter().all(|&v| v >= 0.0));
        assert!(g.margin_error < 1e-9);
    }
}
