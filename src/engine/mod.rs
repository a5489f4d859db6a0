//! The parallel day loop. For one scenario plan and one replicate it counts, per working
//! day and output cell (home region × work region × mode), the workers who stayed home.
//!
//! Determinism: chunks come from the plan (not the thread count), every random number is a
//! counter-based draw keyed by (seed, replicate, stream, agent, day), and partial counts are
//! integers, whose sum does not depend on the order of addition. Same seed ⇒ identical
//! counts on 1 or N threads. Common random numbers: an agent's draws do not depend on the
//! scenario, so scenarios differ only by policy.
//!
//! Must not import polars, plotters, clap or the filesystem.

use rayon::prelude::*;

use crate::policy::{Plan, UnitPlan, unit_count};
use crate::rng::{Stream, StreamKey, threshold};
use crate::scenario::Assignment;

/// Workers at home per (working day, cell): `counts[d * plan.n_cells + cell]`.
/// Each is two commuter trips avoided.
pub fn run_replicate(plan: &Plan, seed: u64, replicate: u32, compliance: &[f64]) -> Vec<u32> {
    let assign = StreamKey::new(seed, replicate, Stream::Assignment);
    let comply = StreamKey::new(seed, replicate, Stream::Compliance);
    let thr: Vec<u64> = compliance.iter().map(|&c| threshold(c)).collect();
    let len = plan.days.len() * plan.n_cells;
    plan.chunks
        .par_iter()
        .fold(
            || vec![0u32; len],
            |mut acc, range| {
                for u in &plan.units[range.clone()] {
                    unit_days(plan, u, assign, comply, thr[u.policy as usize], &mut acc);
                }
                acc
            },
        )
        .reduce(
            || vec![0u32; len],
            |mut a, b| {
                a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                a
            },
        )
}

#[inline]
fn unit_days(
    plan: &Plan,
    u: &UnitPlan,
    assign: StreamKey,
    comply: StreamKey,
    thr_c: u64,
    acc: &mut [u32],
) {
    let pol = &plan.policies[u.policy as usize];
    let members = &plan.members[u.first as usize..(u.first + u.n_eligible) as usize];
    let n_e = u.n_eligible;
    let always = thr_c > u32::MAX as u64;
    for (d, &share) in pol.shares.iter().enumerate() {
        if share <= 0.0 {
            continue;
        }
        let day = plan.days[d].0;
        let row = &mut acc[d * plan.n_cells..(d + 1) * plan.n_cells];
        match pol.assignment {
            Assignment::Rotation => {
                let k = unit_count(share, u.size, pol.rule).min(n_e);
                if k == 0 {
                    continue;
                }
                // The block of k staff at home starts at `off`, which moves by a fixed
                // step coprime with n_e each working day: everyone takes turns, and as
                // `off` does not depend on k, a larger share's block contains a smaller
                // one's on the same day (75% ⊇ 50%).
                let off = ((d as u64 * u.step as u64) % n_e as u64) as u32;
                for (slot, m) in members.iter().enumerate() {
                    let mut r = slot as u32 + n_e - off;
                    if r >= n_e {
                        r -= n_e;
                    }
                    if r < k && (always || (comply.agent_day(m.agent, day) as u64) < thr_c) {
                        row[m.cell as usize] += 1;
                    }
                }
            }
            Assignment::RandomDaily => {
                let thr_s = threshold(share);
                for m in members {
                    if (assign.agent_day(m.agent, day) as u64) < thr_s
                        && (always || (comply.agent_day(m.agent, day) as u64) < thr_c)
                    {
                        row[m.cell as usize] += 1;
                    }
                }
            }
        }
    }
}
