//! The points of a design: each a value per factor, numbered from 0 in a fixed order that
//! depends on the design alone (never on the run's seed or the number of shards). A
//! Saltelli design's base samples come from a scrambled Sobol′ sequence ([`super::sequence`])
//! or, with `sampling = "lhs"`, from two Latin hypercubes.

use rand::Rng;
use toml::Value;

use super::design::{Design, Method, Sampling};
use super::factor::Settings;
use super::sequence::Sequence;
use crate::rng::{CounterRng, Stream, StreamKey};

/// One point: a value per factor, in the design's factor order.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub id: usize,
    pub values: Vec<Value>,
}

/// Every point of the design.
pub fn points(d: &Design) -> Vec<Point> {
    let rows: Vec<Vec<Value>> = match d.method {
        None => Vec::new(),
        Some(Method::Grid) => grid(d),
        Some(Method::Oat) => oat(d),
        Some(Method::Lhs) => {
            let u = lhs(d.samples, d.factors.len(), &mut rng(d, 1));
            u.iter()
                .map(|r| r.iter().zip(&d.factors).map(|(&x, f)| f.at(x)).collect())
                .collect()
        }
        Some(Method::Sobol) => saltelli_of(d)
            .iter()
            .map(|r| r.iter().zip(&d.factors).map(|(&x, f)| f.at(x)).collect())
            .collect(),
    };
    rows.into_iter()
        .enumerate()
        .map(|(id, values)| Point { id, values })
        .collect()
}

/// A Saltelli design's rows in [0, 1)^k, by the design's sampling.
fn saltelli_of(d: &Design) -> Vec<Vec<f64>> {
    let (n, k, mut r) = (d.samples, d.factors.len(), rng(d, 2));
    match d.sampling {
        // Reading the design refused more factors than the sequence has dimensions for:
        // `None` cannot reach here, and the hypercubes are the other sampling anyway.
        Sampling::Sequence => {
            saltelli_sequence(n, k, &mut r).unwrap_or_else(|| saltelli(n, k, &mut r))
        }
        Sampling::Lhs => saltelli(n, k, &mut r),
    }
}

fn rng(d: &Design, item: u64) -> CounterRng {
    StreamKey::new(d.design_seed, 0, Stream::Design).rng(item)
}

fn grid(d: &Design) -> Vec<Vec<Value>> {
    let levels: Vec<Vec<Value>> = d
        .factors
        .iter()
        .map(|f| match &f.settings {
            Settings::Levels(l) => l.clone(),
            Settings::Range(a, b) => vec![Value::Float(*a), Value::Float(*b)],
        })
        .collect();
    // The first factor varies slowest.
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for l in &levels {
        out = out
            .into_iter()
            .flat_map(|p| {
                l.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push(v.clone());
                    q
                })
            })
            .collect();
    }
    out
}

/// Point 0 has every factor central; then factor i at its low (point 1 + 2i) and its high
/// (point 2 + 2i) setting.
fn oat(d: &Design) -> Vec<Vec<Value>> {
    let central: Vec<Value> = d.factors.iter().map(|f| f.central.clone()).collect();
    let mut out = vec![central.clone()];
    for (i, f) in d.factors.iter().enumerate() {
        let (lo, hi) = f.low_high();
        for v in [lo, hi] {
            let mut p = central.clone();
            p[i] = v;
            out.push(p);
        }
    }
    out
}

/// `n` points in [0, 1)^k, one in each of the n strata of every dimension (a random
/// permutation of strata per dimension, a uniform position within each). The permutation
/// is the stream's own [`CounterRng::shuffle`] (`rand`'s `SliceRandom::shuffle` gives other
/// orders, which would move every published design); the position is `rand`'s
/// `random::<f64>()`, the stream's own uniform exactly.
pub fn lhs(n: usize, k: usize, rng: &mut CounterRng) -> Vec<Vec<f64>> {
    let mut cols = Vec::with_capacity(k);
    for _ in 0..k {
        let mut strata: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut strata);
        let col: Vec<f64> = strata
            .iter()
            .map(|&s| (s as f64 + rng.random::<f64>()) / n as f64)
            .collect();
        cols.push(col);
    }
    (0..n)
        .map(|i| cols.iter().map(|c| c[i]).collect())
        .collect()
}

/// Saltelli's design for `n` base samples of `k` factors with A and B two independent
/// Latin hypercubes (the rows of [`saltelli_rows`]).
pub fn saltelli(n: usize, k: usize, rng: &mut CounterRng) -> Vec<Vec<f64>> {
    let a = lhs(n, k, rng);
    let b = lhs(n, k, rng);
    saltelli_rows(&a, &b)
}

/// Saltelli's design for `n` base samples of `k` factors from one scrambled Sobol′
/// sequence in 2k dimensions: A_j is point j's first k coordinates, B_j its last k (as
/// SALib's Saltelli sampler splits them). `None` when 2k exceeds the sequence's
/// dimensions ([`super::sequence::MAX_DIMENSIONS`]).
pub fn saltelli_sequence(n: usize, k: usize, rng: &mut CounterRng) -> Option<Vec<Vec<f64>>> {
    let seq = Sequence::scrambled(2 * k, rng)?;
    let (a, b): (Vec<Vec<f64>>, Vec<Vec<f64>>) = (0..n as u32)
        .map(|j| {
            let mut p = seq.point(j);
            let b = p.split_off(k);
            (p, b)
        })
        .unzip();
    Some(saltelli_rows(&a, &b))
}

/// The rows of a Saltelli design: for each base sample j, A_j, B_j, then A_j with column
/// i taken from B_j for i = 1..k (k + 2 rows per j).
pub fn saltelli_rows(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let (n, k) = (a.len(), a.first().map_or(0, Vec::len));
    let mut out = Vec::with_capacity(n * (k + 2));
    for j in 0..n {
        out.push(a[j].clone());
        out.push(b[j].clone());
        for i in 0..k {
            let mut ab = a[j].clone();
            ab[i] = b[j][i];
            out.push(ab);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_hypercube_has_one_point_in_every_stratum_of_every_dimension() {
        let mut r = StreamKey::new(1, 0, Stream::Design).rng(1);
        let n = 50;
        let u = lhs(n, 3, &mut r);
        for j in 0..3 {
            let mut seen = vec![false; n];
            for p in &u {
                assert!((0.0..1.0).contains(&p[j]));
                seen[(p[j] * n as f64) as usize] = true;
            }
            assert!(seen.iter().all(|&b| b), "dimension {j}");
        }
    }

    #[test]
    fn saltelli_rows_mix_a_and_b_one_column_at_a_time() {
        let mut r = StreamKey::new(1, 0, Stream::Design).rng(2);
        let (n, k) = (8, 3);
        let m = saltelli(n, k, &mut r);
        assert_mixed(&m, n, k);
        let m = saltelli_sequence(n, k, &mut r).unwrap();
        assert_mixed(&m, n, k);
    }

    fn assert_mixed(m: &[Vec<f64>], n: usize, k: usize) {
        assert_eq!(m.len(), n * (k + 2));
        for j in 0..n {
            let (a, b) = (&m[j * (k + 2)], &m[j * (k + 2) + 1]);
            for i in 0..k {
                let ab = &m[j * (k + 2) + 2 + i];
                for c in 0..k {
                    assert_eq!(ab[c], if c == i { b[c] } else { a[c] });
                }
            }
        }
    }
}
