//! Sobol sensitivity indices from a Saltelli design: first-order S1 (Saltelli et al. 2010,
//! eq. b) and total ST (Jansen 1999), with percentile bootstrap confidence intervals over
//! the base samples. Checked against the Ishigami function's known indices.
//!
//! The output is centred before the estimators: each estimate (the point estimate and
//! every bootstrap resample) subtracts the mean of f(A) and f(B) over the base samples it
//! uses. S1's sum Σ f(B)·(f(ABᵢ) − f(A)) otherwise carries the output's mean into every
//! term: its expectation is unchanged, but its variance grows with mean²/variance, and an
//! outcome whose mean is ten times its spread gets intervals several times too wide.
//! Jansen's ST uses differences only and needs none. Centred, both indices and their intervals do not
//! depend on an additive offset of the output.

use crate::rng::CounterRng;

/// One factor's indices with their 95% bootstrap intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indices {
    pub s1: f64,
    pub s1_lo: f64,
    pub s1_hi: f64,
    pub st: f64,
    pub st_lo: f64,
    pub st_hi: f64,
}

/// The outputs of a Saltelli design, in the order of [`super::sample::saltelli`]: for
/// each base sample j, f(A_j), f(B_j), f(AB_j^1) … f(AB_j^k).
struct Outputs<'a> {
    y: &'a [f64],
    k: usize,
}

impl Outputs<'_> {
    fn at(&self, j: usize, c: usize) -> f64 {
        self.y[j * (self.k + 2) + c]
    }

    /// (S1, ST) of factor `i` over the base samples `js` (a base sample may repeat).
    fn estimate(&self, js: &[usize], i: usize) -> (f64, f64) {
        let m = js.len() as f64;
        let (a, b, ab) = (|j| self.at(j, 0), |j| self.at(j, 1), |j| self.at(j, 2 + i));
        let mean = js.iter().map(|&j| a(j) + b(j)).sum::<f64>() / (2.0 * m);
        let var = js
            .iter()
            .map(|&j| (a(j) - mean).powi(2) + (b(j) - mean).powi(2))
            .sum::<f64>()
            / (2.0 * m - 1.0).max(1.0);
        if var <= 0.0 {
            return (0.0, 0.0);
        }
        let s1 = js
            .iter()
            .map(|&j| (b(j) - mean) * (ab(j) - a(j)))
            .sum::<f64>()
            / m
            / var;
        let st = js.iter().map(|&j| (a(j) - ab(j)).powi(2)).sum::<f64>() / (2.0 * m) / var;
        (s1, st)
    }
}

/// `y` holds the outputs in the Saltelli order of [`super::sample::saltelli`]: for
/// each base sample j, f(A_j), f(B_j), f(AB_j^1) … f(AB_j^k). `resamples` bootstrap draws.
pub fn indices(y: &[f64], k: usize, resamples: usize, rng: &mut CounterRng) -> Vec<Indices> {
    let out = Outputs { y, k };
    let n = y.len() / (k + 2);
    let all: Vec<usize> = (0..n).collect();
    // Resampled base samples by the stream's own `below`: `rand`'s `random_range(0..n)`
    // draws other indices from the same stream (see `CounterRng::below`), which would move
    // every published interval.
    let boots: Vec<Vec<usize>> = (0..resamples)
        .map(|_| (0..n).map(|_| rng.below(n as u64) as usize).collect())
        .collect();
    (0..k)
        .map(|i| {
            let (s1, st) = out.estimate(&all, i);
            let (mut b1, mut bt): (Vec<f64>, Vec<f64>) =
                boots.iter().map(|js| out.estimate(js, i)).unzip();
            let (s1_lo, s1_hi) = interval(&mut b1);
            let (st_lo, st_hi) = interval(&mut bt);
            Indices {
                s1,
                s1_lo,
                s1_hi,
                st,
                st_lo,
                st_hi,
            }
        })
        .collect()
}

/// The 2.5% and 97.5% percentiles of bootstrap estimates (NaN when there are none).
fn interval(v: &mut [f64]) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((p * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
    (q(0.025), q(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, StreamKey};
    use crate::sweep::sample::{saltelli, saltelli_sequence};

    /// Ishigami (a = 7, b = 0.1) on [-π, π]³: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442,
    /// 0.244 (Ishigami & Homma 1990; the values SALib's tests use).
    #[test]
    fn ishigami_indices_are_recovered() {
        let mut r = StreamKey::new(7, 0, Stream::Design).rng(2);
        let k = 3;
        let hypercubes = saltelli(8192, k, &mut r);
        let sequence = saltelli_sequence(8192, k, &mut r).unwrap();
        for x in [hypercubes, sequence] {
            recovers_ishigami(&x);
        }
    }

    fn recovers_ishigami(x: &[Vec<f64>]) {
        let k = 3;
        let y: Vec<f64> = x.iter().map(|u| ishigami(u)).collect();
        let mut rb = StreamKey::new(7, 0, Stream::Design).rng(3);
        let ix = indices(&y, k, 200, &mut rb);
        let want_s1 = [0.314, 0.442, 0.0];
        let want_st = [0.558, 0.442, 0.244];
        for i in 0..k {
            assert!(
                (ix[i].s1 - want_s1[i]).abs() < 0.03,
                "S1[{i}] = {}",
                ix[i].s1
            );
            assert!(
                (ix[i].st - want_st[i]).abs() < 0.03,
                "ST[{i}] = {}",
                ix[i].st
            );
            assert!(
                ix[i].s1_lo <= ix[i].s1 && ix[i].s1 <= ix[i].s1_hi,
                "{:?}",
                ix[i]
            );
            assert!(
                ix[i].st_lo <= ix[i].st && ix[i].st <= ix[i].st_hi,
                "{:?}",
                ix[i]
            );
            assert!(ix[i].st_hi - ix[i].st_lo < 0.1, "{:?}", ix[i]);
        }
    }

    /// The Ishigami function (a = 7, b = 0.1) at a point of [0, 1)³, mapped to [-π, π]³.
    fn ishigami(u: &[f64]) -> f64 {
        let pi = std::f64::consts::PI;
        let v: Vec<f64> = u.iter().map(|&t| -pi + 2.0 * pi * t).collect();
        v[0].sin() + 7.0 * v[1].sin().powi(2) + 0.1 * v[2].powi(4) * v[0].sin()
    }

    /// An additive offset moves no index and widens no interval. Ishigami's mean is a/2 =
    /// 3.5 and its variance a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2 = 13.84 (SD 3.72); adding 33.7
    /// puts mean/SD at 10. Known indices (Ishigami & Homma 1990, to four decimals):
    /// S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437. An uncentred first-order
    /// estimator multiplies the offset into every term: its intervals widen several times.
    #[test]
    fn an_offset_output_has_the_same_indices_and_intervals() {
        let k = 3;
        let x = saltelli(8192, k, &mut StreamKey::new(11, 0, Stream::Design).rng(2));
        let y: Vec<f64> = x.iter().map(|u| ishigami(u)).collect();
        let shifted: Vec<f64> = y.iter().map(|v| v + 33.7).collect();
        let (mean, sd) = mean_sd(&shifted);
        assert!((mean / sd - 10.0).abs() < 0.3, "mean/SD = {}", mean / sd);
        let boot = || StreamKey::new(11, 0, Stream::Design).rng(3);
        let plain = indices(&y, k, 300, &mut boot());
        let offset = indices(&shifted, k, 300, &mut boot());
        let want_s1 = [0.3139, 0.4424, 0.0];
        let want_st = [0.5576, 0.4424, 0.2437];
        for i in 0..k {
            let (p, o) = (plain[i], offset[i]);
            let (wp, wo) = (p.s1_hi - p.s1_lo, o.s1_hi - o.s1_lo);
            assert!(
                wo <= 1.1 * wp,
                "S1[{i}] interval {wo} with the offset, {wp} without"
            );
            let (wp, wo) = (p.st_hi - p.st_lo, o.st_hi - o.st_lo);
            assert!(
                wo <= 1.1 * wp,
                "ST[{i}] interval {wo} with the offset, {wp} without"
            );
            assert!((o.s1 - want_s1[i]).abs() < 0.03, "S1[{i}]: {o:?}");
            assert!((o.st - want_st[i]).abs() < 0.04, "ST[{i}]: {o:?}");
        }
    }

    fn mean_sd(v: &[f64]) -> (f64, f64) {
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        (m, var.sqrt())
    }

    #[test]
    fn a_constant_output_has_zero_indices() {
        let mut r = StreamKey::new(1, 0, Stream::Design).rng(3);
        let ix = indices(&[5.0; 40], 2, 10, &mut r);
        assert!(ix.iter().all(|i| i.s1 == 0.0 && i.st == 0.0));
    }
}
