//! The parallel day loop. For one scenario plan and one replicate it counts, per working
//! day and output cell (home region × work region × mode), the workers who stayed home.
//!
//! Determinism: chunks come from the plan (not the thread count), every random number is a
//! 16-bit lane of a counter-based draw keyed by (seed, replicate, stream, the first agent of
//! a group of four members, day) — see `kernel.rs` — and partial counts are integers, whose
//! sum does not depend on the order of addition. Same seed ⇒ identical
//! counts on 1 or N threads. Common random numbers: an agent's draws do not depend on the scenario, so
//! scenarios differ only by policy.
//!
//! Speed (docs/performance.md): a unit's members are laid out twice in a small scratch
//! buffer so that the rotation block at home is always one contiguous run, and they stay
//! in cache while the unit's days are walked; only the block at home is visited (its start
//! moves by a fixed step: one add and compare per unit-day, no division); share counts
//! per unit are precomputed, so the loop does no floating point; counts go to two interleaved copies
//! of each cell so that consecutive increments of one cell do not wait on each other.
//!
//! Must not import polars, plotters, clap or the filesystem.

mod compliance;
mod kernel;

use rayon::prelude::*;

use crate::policy::{Plan, UnitPlan};
use crate::rng::{Stream, StreamKey, agent_term, day_term};
use crate::scenario::Assignment;
pub use compliance::Compliance;
use compliance::PolicyCompliance;
use kernel::{DayDraws, Members};

/// Workers at home per (working day, cell): `counts[d * plan.n_cells + cell]`.
/// Each is two commuter trips avoided. `compliance` per policy: a bare share (`0.85`) or a
/// drawn [`Compliance`] with the model's rho and the ramp.
pub fn run_replicate<C: Into<Compliance> + Copy>(
    plan: &Plan,
    seed: u64,
    replicate: u32,
    compliance: &[C],
) -> Vec<u32> {
    count(plan, seed, replicate, compliance, 1)
}

/// Workers at home per (working day, policy, cell):
/// `counts[(d * plan.policies.len() + policy) * plan.n_cells + cell]` — what a replicate
/// weighted by its drawn structure needs, since each policy's members carry their own
/// weight ([`crate::structural`]). The same draws as [`run_replicate`], which sums these
/// over policies.
pub fn run_replicate_by_policy<C: Into<Compliance> + Copy>(
    plan: &Plan,
    seed: u64,
    replicate: u32,
    compliance: &[C],
) -> Vec<u32> {
    count(
        plan,
        seed,
        replicate,
        compliance,
        plan.policies.len().max(1),
    )
}

/// The day loop's counts in `groups` blocks of cells per day: one block (every policy
/// together) or one per policy.
fn count<C: Into<Compliance> + Copy>(
    plan: &Plan,
    seed: u64,
    replicate: u32,
    compliance: &[C],
    groups: usize,
) -> Vec<u32> {
    let streams = Streams {
        assign: StreamKey::new(seed, replicate, Stream::Assignment).bits(),
        comply: StreamKey::new(seed, replicate, Stream::Compliance).bits(),
        policy: plan
            .policies
            .iter()
            .zip(compliance)
            .map(|(pd, &c)| PolicyCompliance::new(pd, c.into(), seed, replicate))
            .collect(),
        assign_thr: plan
            .policies
            .iter()
            .map(|p| p.levels.iter().map(|&s| thr16(s)).collect())
            .collect(),
        by_policy: groups > 1,
    };
    let len = plan.days.len() * groups * plan.n_cells * 2;
    // Each parallel piece zeroes a count vector of its own: at most two pieces a thread.
    let pieces = 2 * rayon::current_num_threads();
    let counts = plan
        .chunks
        .par_iter()
        .with_min_len(plan.chunks.len().div_ceil(pieces).max(1))
        .fold(
            || Work::new(len),
            |mut w, range| {
                units(plan, &plan.units[range.clone()], &streams, &mut w);
                w
            },
        )
        .map(|w| w.counts)
        .reduce(
            || vec![0u32; len],
            |mut a, b| {
                a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                a
            },
        );
    // counts[((d * groups + g) * n_cells + cell) * 2 + parity]: add the two copies.
    counts.chunks_exact(2).map(|p| p[0] + p[1]).collect()
}

use compliance::thr16;

/// One replicate's stream keys and thresholds.
struct Streams {
    assign: u64,
    comply: u64,
    /// Per policy: who complies ([`compliance`]).
    policy: Vec<PolicyCompliance>,
    /// Per policy and share level (`random_daily`).
    assign_thr: Vec<Vec<Option<u32>>>,
    /// Counts kept per policy (a block of cells per policy in each day's row).
    by_policy: bool,
}

/// A worker thread's counts and the scratch for the unit in hand.
struct Work {
    counts: Vec<u32>,
    /// The unit's members twice over: agent terms, and cell × 2 + slot parity.
    hi: Vec<u32>,
    idx: Vec<u32>,
    /// Their persistent compliance types (`persistent` only; else empty).
    ty: Vec<u16>,
}

impl Work {
    fn new(len: usize) -> Work {
        Work {
            counts: vec![0u32; len],
            hi: Vec::new(),
            idx: Vec::new(),
            ty: Vec::new(),
        }
    }

    /// Lays out unit `u`'s members twice over (and, under `persistent`, their types).
    fn load(&mut self, plan: &Plan, u: &UnitPlan, pc: &PolicyCompliance) {
        let (first, n) = (u.first as usize, u.n_eligible as usize);
        let (agents, cells) = (
            &plan.agents[first..first + n],
            &plan.cells[first..first + n],
        );
        self.hi.clear();
        self.idx.clear();
        self.ty.clear();
        for _ in 0..2 {
            self.hi.extend(agents.iter().map(|&a| agent_term(a)));
            self.idx.extend(
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| c as u32 * 2 + (i as u32 & 1)),
            );
        }
        if pc.is_persistent() {
            self.ty.extend(self.hi.iter().map(|&h| pc.member_type(h)));
        }
    }
}

/// The day loop over some units.
fn units(plan: &Plan, units: &[UnitPlan], s: &Streams, w: &mut Work) {
    let block = plan.n_cells * 2;
    let row_len = if s.by_policy {
        block * plan.policies.len()
    } else {
        block
    };
    for u in units {
        let pi = u.policy as usize;
        let pc = &s.policy[pi];
        w.load(plan, u, pc);
        let r = UnitRun {
            plan,
            u,
            uc: pc.unit(u.unit),
            assign_thr: &s.assign_thr[pi],
            row_len,
            // The unit's policy's block of each day's row.
            at: if s.by_policy { pi * block } else { 0 },
        };
        let dd = DayDraws {
            assign: s.assign,
            assign_thr: None,
            comply: s.comply,
            comply_thr: r.uc.threshold(0),
            day: 0,
        };
        // Specialised by whether the draw is a persistent type and whether the threshold
        // moves from day to day (a ramp), so the plain `iid` loop has neither test.
        match (pc.is_persistent(), pc.is_ramped()) {
            (false, false) => r.days::<false, false>(dd, w),
            (false, true) => r.days::<false, true>(dd, w),
            (true, false) => r.days::<true, false>(dd, w),
            (true, true) => r.days::<true, true>(dd, w),
        }
    }
}

/// One unit's walk over the working days.
struct UnitRun<'a> {
    plan: &'a Plan,
    u: &'a UnitPlan,
    uc: compliance::UnitCompliance<'a>,
    /// Its policy's assignment thresholds per share level (`random_daily`).
    assign_thr: &'a [Option<u32>],
    row_len: usize,
    at: usize,
}

impl UnitRun<'_> {
    /// The kernel on day `d` for the members in `slots` of the scratch.
    #[inline(always)]
    fn count<const P: bool>(
        &self,
        dd: DayDraws,
        d: usize,
        slots: std::ops::Range<usize>,
        w: &mut Work,
    ) {
        let base = d * self.row_len + self.at;
        if P {
            let m = Members::new(&w.hi, &w.idx, &w.ty, slots);
            kernel::count_typed(m, base, dd, &mut w.counts);
        } else {
            kernel::count(&w.hi[slots.clone()], &w.idx[slots], base, dd, &mut w.counts);
        }
    }

    /// `P`: compliance is the members' persistent types; `R`: the threshold is the day's.
    #[inline(always)]
    fn days<const P: bool, const R: bool>(&self, mut dd: DayDraws, w: &mut Work) {
        let (plan, u) = (self.plan, self.u);
        let pol = &plan.policies[u.policy as usize];
        let n = u.n_eligible as usize;
        match pol.assignment {
            Assignment::Rotation => {
                let ks = &plan.unit_k[u.k_first as usize..][..pol.levels.len()];
                // The block of k staff at home starts at slot `off`, which moves by a
                // fixed step coprime with n each working day: everyone takes turns, and
                // as `off` does not depend on k, a larger share's block contains a
                // smaller one's on the same day (75% ⊇ 50%). Slots off..off+k of the
                // doubled scratch are that block, wrapped round.
                let step = u.step as usize;
                let mut off = 0usize;
                for (d, &level) in pol.day_level.iter().enumerate() {
                    if level != 0 {
                        let k = ks[level as usize - 1] as usize;
                        dd.day = day_term(plan.days[d].0);
                        if R {
                            dd.comply_thr = self.uc.threshold(d);
                        }
                        self.count::<P>(dd, d, off..off + k, w);
                    }
                    off += step;
                    if off >= n {
                        off -= n;
                    }
                }
            }
            Assignment::RandomDaily => {
                for (d, &level) in pol.day_level.iter().enumerate() {
                    if level != 0 {
                        dd.assign_thr = self.assign_thr[level as usize - 1];
                        dd.day = day_term(plan.days[d].0);
                        if R {
                            dd.comply_thr = self.uc.threshold(d);
                        }
                        self.count::<P>(dd, d, 0..n, w);
                    }
                }
            }
        }
    }
}
