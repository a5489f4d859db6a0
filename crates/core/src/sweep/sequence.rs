//! The Sobol′ low-discrepancy sequence (Sobol′ 1967) in up to [`MAX_DIMENSIONS`]
//! dimensions, 32 bits per coordinate, and its scrambled form for a Saltelli design.
//!
//! Point i is the XOR of the direction numbers of the set bits of i's Gray code
//! (Antonov & Saleev 1979), so any point is computed directly (a shard needs no other).
//! Direction numbers: Joe & Kuo (2008), "Constructing Sobol sequences with better
//! two-dimensional projections", SIAM J. Sci. Comput. 30, 2635–2654, file
//! `new-joe-kuo-6.21201`; its first rows are embedded below as published data.
//!
//! Scrambled by a random linear matrix scramble and a random digital shift (Matoušek 1998,
//! "On the L2-discrepancy for anchored boxes", J. Complexity 14, 527–556), drawn from the
//! design's own stream: deterministic for a design, no point skipped (Owen 2020, "On
//! dropping the first Sobol' point", advises against skipping). Both keep the sequence's
//! nets: the first 2^m points still fall one in each of the 2^m equal cells of every
//! coordinate, and the all-zero first point of the plain sequence is gone.

use crate::rng::CounterRng;

/// Rows of `new-joe-kuo-6.21201` for dimensions 2..=21: (s, a, m_1 … m_s) — the degree
/// of the primitive polynomial, its inner coefficients as bits, and the initial direction
/// numbers. Dimension 1 has every m_k = 1 (the van der Corput sequence).
const JOE_KUO: [(u32, u32, &[u32]); 20] = [
    (1, 0, &[1]),
    (2, 1, &[1, 3]),
    (3, 1, &[1, 3, 1]),
    (3, 2, &[1, 1, 1]),
    (4, 1, &[1, 1, 3, 3]),
    (4, 4, &[1, 3, 5, 13]),
    (5, 2, &[1, 1, 5, 5, 17]),
    (5, 4, &[1, 1, 5, 5, 5]),
    (5, 7, &[1, 1, 7, 11, 19]),
    (5, 11, &[1, 1, 5, 1, 1]),
    (5, 13, &[1, 1, 1, 3, 11]),
    (5, 14, &[1, 3, 5, 5, 31]),
    (6, 1, &[1, 3, 3, 9, 7, 49]),
    (6, 13, &[1, 1, 1, 15, 21, 21]),
    (6, 16, &[1, 3, 1, 13, 27, 49]),
    (6, 19, &[1, 1, 1, 15, 7, 5]),
    (6, 22, &[1, 3, 1, 15, 13, 25]),
    (6, 25, &[1, 1, 5, 5, 19, 61]),
    (7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (7, 4, &[1, 3, 7, 13, 13, 15, 69]),
];

/// The most dimensions the embedded direction numbers give.
pub const MAX_DIMENSIONS: usize = JOE_KUO.len() + 1;

/// Bits per coordinate: at most 2^32 points.
const BITS: usize = 32;

/// The direction numbers V_1 … V_32 of one dimension (0-based), as 32-bit fractions.
fn directions(dim: usize) -> [u32; BITS] {
    let mut m = [1u32; BITS];
    if dim > 0 {
        let (s, a, init) = JOE_KUO[dim - 1];
        let s = s as usize;
        m[..s].copy_from_slice(init);
        // m_k = 2 a_1 m_{k-1} ⊕ 4 a_2 m_{k-2} ⊕ … ⊕ 2^(s-1) a_(s-1) m_(k-s+1) ⊕ 2^s m_(k-s) ⊕
        // m_(k-s), a_1 being a's most significant of its s − 1 bits (Bratley & Fox 1988).
        for k in s..BITS {
            let mut v = m[k - s] ^ (m[k - s] << s);
            for i in 1..s {
                if (a >> (s - 1 - i)) & 1 == 1 {
                    v ^= m[k - i] << i;
                }
            }
            m[k] = v;
        }
    }
    let mut out = [0u32; BITS];
    for (k, v) in out.iter_mut().enumerate() {
        *v = m[k] << (BITS - 1 - k);
    }
    out
}

/// A Sobol′ sequence in `dims` dimensions, plain or scrambled.
#[derive(Debug, Clone)]
pub struct Sequence {
    directions: Vec<[u32; BITS]>,
    shift: Vec<u32>,
}

impl Sequence {
    /// The plain sequence (its point 0 is the origin). None beyond [`MAX_DIMENSIONS`].
    pub fn new(dims: usize) -> Option<Sequence> {
        (dims <= MAX_DIMENSIONS).then(|| Sequence {
            directions: (0..dims).map(directions).collect(),
            shift: vec![0; dims],
        })
    }

    /// The sequence scrambled by a random lower-triangular binary matrix (unit diagonal)
    /// and a random digital shift per dimension, drawn from `rng`.
    pub fn scrambled(dims: usize, rng: &mut CounterRng) -> Option<Sequence> {
        let mut s = Sequence::new(dims)?;
        for (v, shift) in s.directions.iter_mut().zip(&mut s.shift) {
            let rows = lower_triangular(rng);
            for d in v.iter_mut() {
                *d = times(&rows, *d);
            }
            *shift = (rng.next_u64() >> 32) as u32;
        }
        Some(s)
    }

    /// Point `i` (from 0) as coordinates in [0, 1).
    pub fn point(&self, i: u32) -> Vec<f64> {
        let gray = i ^ (i >> 1);
        self.directions
            .iter()
            .zip(&self.shift)
            .map(|(v, &shift)| {
                let x = (0..BITS)
                    .filter(|&k| (gray >> k) & 1 == 1)
                    .fold(shift, |x, k| x ^ v[k]);
                f64::from(x) / 2f64.powi(BITS as i32)
            })
            .collect()
    }
}

/// A random lower-triangular binary matrix with unit diagonal: row r (the r-th digit after
/// the binary point, bit 31 − r) as the mask of the input digits 0..=r it sums.
fn lower_triangular(rng: &mut CounterRng) -> [u32; BITS] {
    let mut rows = [0u32; BITS];
    for (r, row) in rows.iter_mut().enumerate() {
        let diagonal = 1u32 << (BITS - 1 - r);
        let above = !0u32 << (BITS - 1 - r);
        *row = ((rng.next_u64() >> 32) as u32 & above) | diagonal;
    }
    rows
}

/// The matrix times a vector of digits, in GF(2).
fn times(rows: &[u32; BITS], v: u32) -> u32 {
    rows.iter().enumerate().fold(0, |out, (r, &row)| {
        out | (((row & v).count_ones() & 1) << (BITS - 1 - r))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, StreamKey};

    /// The textbook first points (Gray-code order, as Joe & Kuo's generator and every
    /// library built on their numbers give them).
    #[test]
    fn the_first_points_are_the_textbook_ones() {
        let s = Sequence::new(3).unwrap();
        let pts: Vec<Vec<f64>> = (0..8).map(|i| s.point(i)).collect();
        let d1 = [0.0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125];
        let d2 = [0.0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625];
        let d3 = [0.0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375];
        for i in 0..8 {
            assert_eq!(
                [pts[i][0], pts[i][1], pts[i][2]],
                [d1[i], d2[i], d3[i]],
                "{i}"
            );
        }
    }

    /// Points deep in the sequence, in all 21 dimensions, as an independent implementation
    /// of the same published direction numbers gives them (SciPy's `qmc.Sobol`,
    /// `scramble=False`), in 1/1024ths: a wrong direction number moves some coordinate.
    #[test]
    fn deep_points_match_the_published_direction_numbers() {
        let s = Sequence::new(MAX_DIMENSIONS).unwrap();
        let want: [(u32, [u32; 21]); 3] = [
            (
                100,
                [
                    424, 264, 792, 744, 904, 760, 24, 488, 648, 712, 472, 696, 488, 872, 328, 504,
                    696, 760, 856, 344, 776,
                ],
            ),
            (
                1000,
                [
                    225, 99, 531, 693, 287, 929, 47, 921, 513, 71, 87, 261, 165, 393, 147, 379,
                    737, 353, 1015, 743, 535,
                ],
            ),
            (
                1023,
                [
                    1, 771, 627, 149, 191, 449, 143, 633, 353, 871, 695, 37, 133, 681, 371, 475,
                    321, 897, 599, 327, 887,
                ],
            ),
        ];
        for (i, w) in want {
            let got: Vec<f64> = s.point(i).iter().map(|x| x * 1024.0).collect();
            let w: Vec<f64> = w.iter().map(|&v| f64::from(v)).collect();
            assert_eq!(got, w, "point {i}");
        }
    }

    /// The first 2^m points of every dimension fall one in each of 2^m equal cells, plain
    /// and scrambled.
    #[test]
    fn every_power_of_two_stratifies_every_margin() {
        let mut rng = StreamKey::new(3, 0, Stream::Design).rng(2);
        let seqs = [
            Sequence::new(MAX_DIMENSIONS).unwrap(),
            Sequence::scrambled(MAX_DIMENSIONS, &mut rng).unwrap(),
        ];
        for s in &seqs {
            for m in 0..=10 {
                let n = 1usize << m;
                let pts: Vec<Vec<f64>> = (0..n as u32).map(|i| s.point(i)).collect();
                for d in 0..MAX_DIMENSIONS {
                    let mut seen = vec![false; n];
                    for p in &pts {
                        assert!((0.0..1.0).contains(&p[d]));
                        seen[(p[d] * n as f64) as usize] = true;
                    }
                    assert!(seen.iter().all(|&b| b), "2^{m} points, dimension {d}");
                }
            }
        }
    }

    /// The first 2^m points of a pair of dimensions fill every 2^a × 2^b box of area 2^-m
    /// at most 2^t times (a (t, m, 2)-net): dimensions 1 and 2 are a (0, m, 2)-net.
    #[test]
    fn the_first_two_dimensions_are_a_zero_net() {
        let mut rng = StreamKey::new(5, 0, Stream::Design).rng(2);
        let s = Sequence::scrambled(2, &mut rng).unwrap();
        let m = 8;
        let n = 1usize << m;
        let pts: Vec<Vec<f64>> = (0..n as u32).map(|i| s.point(i)).collect();
        for a in 0..=m {
            let (cx, cy) = (1usize << a, 1usize << (m - a));
            let mut count = vec![0; n];
            for p in &pts {
                let (x, y) = ((p[0] * cx as f64) as usize, (p[1] * cy as f64) as usize);
                count[x * cy + y] += 1;
            }
            assert!(count.iter().all(|&c| c == 1), "boxes 2^-{a} x 2^-{}", m - a);
        }
    }

    #[test]
    fn scrambling_is_deterministic_and_moves_the_origin() {
        let draw = || {
            let mut rng = StreamKey::new(9, 0, Stream::Design).rng(2);
            Sequence::scrambled(4, &mut rng).unwrap()
        };
        assert_eq!(draw().point(0), draw().point(0));
        assert!(draw().point(0).iter().all(|&x| x > 0.0));
        assert!(Sequence::new(MAX_DIMENSIONS + 1).is_none());
    }
}
