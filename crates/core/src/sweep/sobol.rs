//! Sobol sensitivity indices from a Saltelli design: first-order S1 (Saltelli et al. 2010,
//! eq. b) and total ST (Jansen 1999), with percentile bootstrap confidence intervals over
//! the base samples. Checked against the Ishigami function's known indices.

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

/// `y` holds the outputs in the Saltelli order of [`super::sample::saltelli`]: for each
/// base sample j, f(A_j), f(B_j), f(AB_j^1) … f(AB_j^k). `resamples` bootstrap draws.
pub fn indices(y: &[f64], k: usize, resamples: usize, rng: &mut CounterRng) -> Vec<Indices> {
    let n = y.len() / (k + 2);
    let at = |j: usize, c: usize| y[j * (k + 2) + c];
    let estimate = |js: &[usize], i: usize| -> (f64, f64) {
        let m = js.len() as f64;
        let mean = js.iter().map(|&j| at(j, 0) + at(j, 1)).sum::<f64>() / (2.0 * m);
        let var = js
            .iter()
            .map(|&j| (at(j, 0) - mean).powi(2) + (at(j, 1) - mean).powi(2))
            .sum::<f64>()
            / (2.0 * m - 1.0).max(1.0);
        if var <= 0.0 {
            return (0.0, 0.0);
        }
        let s1 = js
            .iter()
            .map(|&j| at(j, 1) * (at(j, 2 + i) - at(j, 0)))
            .sum::<f64>()
            / m
            / var;
        let st = js
            .iter()
            .map(|&j| (at(j, 0) - at(j, 2 + i)).powi(2))
            .sum::<f64>()
            / (2.0 * m)
            / var;
        (s1, st)
    };
    let all: Vec<usize> = (0..n).collect();
    // Resampled base samples by the stream's own `below`: `rand`'s `random_range(0..n)`
    // draws other indices from the same stream (see `CounterRng::below`), which would move
    // every published interval.
    let boots: Vec<Vec<usize>> = (0..resamples)
        .map(|_| (0..n).map(|_| rng.below(n as u64) as usize).collect())
        .collect();
    (0..k)
        .map(|i| {
            let (s1, st) = estimate(&all, i);
            let (mut b1, mut bt): (Vec<f64>, Vec<f64>) =
                boots.iter().map(|js| estimate(js, i)).unzip();
            let ci = |v: &mut Vec<f64>| {
                v.sort_by(f64::total_cmp);
                let q = |p: f64| v[((p * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
                if v.is_empty() {
                    (f64::NAN, f64::NAN)
                } else {
                    (q(0.025), q(0.975))
                }
            };
            let (s1_lo, s1_hi) = ci(&mut b1);
            let (st_lo, st_hi) = ci(&mut bt);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, StreamKey};
    use crate::sweep::sample::saltelli;

    /// Ishigami (a = 7, b = 0.1) on [-π, π]³: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442,
    /// 0.244 (Ishigami & Homma 1990; the values SALib's tests use).
    #[test]
    fn ishigami_indices_are_recovered() {
        let pi = std::f64::consts::PI;
        let mut r = StreamKey::new(7, 0, Stream::Design).rng(2);
        let k = 3;
        let x = saltelli(8192, k, &mut r);
        let y: Vec<f64> = x
            .iter()
            .map(|u| {
                let v: Vec<f64> = u.iter().map(|&t| -pi + 2.0 * pi * t).collect();
                v[0].sin() + 7.0 * v[1].sin().powi(2) + 0.1 * v[2].powi(4) * v[0].sin()
            })
            .collect();
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

    #[test]
    fn a_constant_output_has_zero_indices() {
        let mut r = StreamKey::new(1, 0, Stream::Design).rng(3);
        let ix = indices(&[5.0; 40], 2, 10, &mut r);
        assert!(ix.iter().all(|i| i.s1 == 0.0 && i.st == 0.0));
    }
}
