//! Population synthesis.
//!
//! For each (work region, employer) block the number of workers is the dataset's jobs ×
//! scale. Roles are apportioned exactly within the block (largest remainder), so role mixes
//! such as DKI's 15,335 eligible PNS are reproduced, not merely approximated. Members of a
//! work-unit family (e.g. office roles) are shuffled and cut into units whose sizes are
//! drawn geometrically around the family's mean. Each worker's home region is drawn from
//! the fitted commuter matrix column of the block's work region, and the commute mode from
//! the shares of the home→work class. Blocks are synthesised in parallel, each from its own
//! counter-based stream, and concatenated in block order: the result does not depend on
//! the thread count.
//!
//! Every draw comes from a [`CounterRng`]: uniform numbers through `rand`'s
//! `random::<f64>()`, which is exactly the stream's own [`CounterRng::next_f64`] (pinned in
//! `crate::rng`'s tests), the project's own Fisher–Yates ([`CounterRng::shuffle`]: `rand`'s
//! shuffle orders differ), and a geometric size by exact multiplication, no logarithm. So
//! the population for a seed is fixed by pinned definitions: no dependency update or
//! platform maths library can move it (pinned by `tests/population_pin.rs`).

use rand::Rng;
use rayon::prelude::*;

use super::{Agent, Population, Unit};
use crate::data::Dataset;
use crate::rng::{CounterRng, Stream, StreamKey};

/// Largest-remainder apportionment of `total` items by `weights`.
pub fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if total == 0 || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut out: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let mut rest = total - out.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable: ties go to the lower index.
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    for &i in order.iter().cycle() {
        if rest == 0 {
            break;
        }
        if weights[i] > 0.0 {
            out[i] += 1;
            rest -= 1;
        }
    }
    out
}

fn cumulative(w: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    let mut c: Vec<f64> = w
        .iter()
        .map(|x| {
            acc += x;
            acc
        })
        .collect();
    if acc > 0.0 {
        c.iter_mut().for_each(|x| *x /= acc);
    }
    c
}

fn pick(cum: &[f64], u: f64) -> usize {
    cum.iter().position(|&c| u < c).unwrap_or(cum.len() - 1)
}

/// A geometric unit size with mean `mean` (support 1, 2, ...; P(size > k) = q^k with
/// q = 1 - 1/mean), by inversion of one uniform draw u: the size is 1 + the number of
/// k ≥ 1 with q^k ≥ 1 - u. The powers are built by repeated multiplication, each exactly
/// rounded by IEEE 754, so the size does not depend on a platform's `ln`; the loop runs
/// `size - 1` times, about `mean` per unit, i.e. about once per worker.
fn geometric_size(rng: &mut CounterRng, mean: f64, cap: usize) -> usize {
    let q = 1.0 - 1.0 / mean.max(1.0);
    let tail = 1.0 - rng.random::<f64>();
    let (mut size, mut qk) = (1usize, q);
    while qk >= tail && size < cap {
        size += 1;
        qk *= q;
    }
    size
}

struct Block {
    agents: Vec<Agent>,
    units: Vec<(u32, u32)>, // (offset in block, len)
}

/// What every block draws from: per work region, the cumulative shares of home regions
/// (its column of the fitted commuter matrix); per OD class, the cumulative mode shares;
/// the work-unit families in name order.
struct Tables<'a> {
    home_cum: Vec<Vec<f64>>,
    mode_cum: Vec<Vec<f64>>,
    families: Vec<&'a str>,
}

impl<'a> Tables<'a> {
    fn new(ds: &'a Dataset) -> Tables<'a> {
        let n = ds.n_regions();
        let nm = ds.modes.len();
        let home_cum = (0..n)
            .map(|j| {
                cumulative(
                    &(0..n)
                        .map(|i| ds.gravity.flows[i * n + j])
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let mode_cum = (0..crate::data::OD_CLASSES.len())
            .map(|c| cumulative(&ds.mode_share[c * nm..(c + 1) * nm]))
            .collect();
        let mut families: Vec<&str> = ds.roles.iter().map(|r| r.family.as_str()).collect();
        families.sort();
        families.dedup();
        Tables {
            home_cum,
            mode_cum,
            families,
        }
    }
}

/// Builds the population at `scale` (1.0 = every worker). `progress` is called with the
/// number of blocks finished.
pub fn synthesize(
    ds: &Dataset,
    scale: f64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Population {
    let key = StreamKey::new(seed, 0, Stream::Population);
    let tables = Tables::new(ds);
    let blocks: Vec<Block> = (0..ds.n_regions() * ds.employers.len())
        .into_par_iter()
        .map(|b| {
            let block = synthesize_block(ds, &tables, scale, key.rng(b as u64), b);
            progress(1);
            block
        })
        .collect();
    concatenate(ds, scale, blocks)
}

/// Block `b` (work region × employer): its roles apportioned, then each work-unit family's
/// members shuffled and cut into units, each member given a home and a mode.
fn synthesize_block(
    ds: &Dataset,
    tables: &Tables,
    scale: f64,
    mut rng: CounterRng,
    b: usize,
) -> Block {
    let (ne, nr) = (ds.employers.len(), ds.roles.len());
    let (j, e) = (b / ne, b % ne);
    let count = (ds.jobs[b] * scale).round() as u64;
    let roles = apportion(count, &ds.role_share[e * nr..(e + 1) * nr]);
    let mut block = Block {
        agents: Vec::with_capacity(count as usize),
        units: Vec::new(),
    };
    for fam in &tables.families {
        let mut members: Vec<u8> = Vec::new();
        for (r, &c) in roles.iter().enumerate() {
            if ds.roles[r].family == *fam {
                members.extend(std::iter::repeat_n(r as u8, c as usize));
            }
        }
        if members.is_empty() {
            continue;
        }
        rng.shuffle(&mut members);
        cut_into_units(ds, tables, &mut rng, (j, e), &members, &mut block);
    }
    block
}

/// Cuts a family's shuffled `members` of employer `e` at work region `j` into units of
/// geometric size around the family's mean, drawing each member's home and mode.
fn cut_into_units(
    ds: &Dataset,
    tables: &Tables,
    rng: &mut CounterRng,
    (j, e): (usize, usize),
    members: &[u8],
    block: &mut Block,
) {
    let n = ds.n_regions();
    let mean = ds.unit_size_mean[members[0] as usize];
    let mut i = 0usize;
    while i < members.len() {
        let size = geometric_size(rng, mean, members.len() - i);
        block.units.push((block.agents.len() as u32, size as u32));
        for &role in &members[i..i + size] {
            let home = pick(&tables.home_cum[j], rng.random::<f64>());
            let mode = pick(&tables.mode_cum[ds.od_class(home, j)], rng.random::<f64>());
            block.agents.push(Agent {
                od: (home * n + j) as u8,
                mode: mode as u8,
                role,
                employer: e as u8,
            });
        }
        i += size;
    }
}

/// The blocks concatenated in block order, each unit's offset moved to the population's.
fn concatenate(ds: &Dataset, scale: f64, blocks: Vec<Block>) -> Population {
    let ne = ds.employers.len();
    let total: usize = blocks.iter().map(|b| b.agents.len()).sum();
    let mut agents = Vec::with_capacity(total);
    let mut units = Vec::with_capacity(blocks.iter().map(|b| b.units.len()).sum());
    for (b, blk) in blocks.into_iter().enumerate() {
        let base = agents.len() as u32;
        for (off, len) in blk.units {
            units.push(Unit {
                start: base + off,
                len,
                employer: (b % ne) as u8,
                work: (b / ne) as u8,
            });
        }
        agents.extend(blk.agents);
    }
    Population {
        scale,
        n_regions: ds.n_regions(),
        n_modes: ds.modes.len(),
        n_employers: ne,
        n_roles: ds.roles.len(),
        agents,
        units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_is_exact_and_proportional() {
        assert_eq!(apportion(10, &[0.5, 0.3, 0.2]), vec![5, 3, 2]);
        assert_eq!(apportion(7, &[1.0, 1.0, 1.0]).iter().sum::<u64>(), 7);
        assert_eq!(apportion(5, &[0.0, 1.0]), vec![0, 5]);
        assert_eq!(apportion(0, &[1.0]), vec![0]);
        let a = apportion(15_335, &[0.04, 0.06, 0.05, 0.85]);
        assert_eq!(a.iter().sum::<u64>(), 15_335);
        assert!((a[3] as f64 - 0.85 * 15_335.0).abs() <= 1.0);
    }

    #[test]
    fn pick_follows_cumulative_weights() {
        let c = cumulative(&[1.0, 0.0, 3.0]);
        assert_eq!(pick(&c, 0.1), 0);
        assert_eq!(pick(&c, 0.3), 2);
        assert_eq!(pick(&c, 0.999), 2);
    }

    #[test]
    fn geometric_size_has_the_family_mean_and_respects_the_cap() {
        let mut rng = StreamKey::new(3, 0, Stream::Population).rng(1);
        let n = 100_000;
        let sizes: Vec<usize> = (0..n)
            .map(|_| geometric_size(&mut rng, 12.0, usize::MAX))
            .collect();
        let mean = sizes.iter().sum::<usize>() as f64 / n as f64;
        // Geometric with mean 12: variance (1 - p) / p² = 132, so the mean of 100,000
        // sizes has a standard deviation of 0.036.
        assert!((mean - 12.0).abs() < 0.2, "{mean}");
        // P(size = 1) = 1/12; P(size > 24) = (11/12)^24 = 0.1242.
        let ones = sizes.iter().filter(|&&s| s == 1).count() as f64 / n as f64;
        assert!((ones - 1.0 / 12.0).abs() < 0.005, "{ones}");
        let long = sizes.iter().filter(|&&s| s > 24).count() as f64 / n as f64;
        assert!((long - 0.1242).abs() < 0.006, "{long}");
        // Capped at the members left; a mean at or below 1 (or not a number) is size 1.
        assert!((0..1000).all(|_| geometric_size(&mut rng, 30.0, 5) <= 5));
        for m in [1.0, 0.5, f64::NAN] {
            assert_eq!(geometric_size(&mut rng, m, 100), 1);
        }
    }
}
