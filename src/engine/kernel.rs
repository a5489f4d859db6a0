//! The innermost loop: given a run of members (their agent terms and output indices) and
//! one day's draws, add 1 to the count of every member who is at home. Plain scalar code:
//! the draws of consecutive members are independent, so the CPU overlaps their multiplies;
//! an AVX-512 version was slower on the short runs a rotation block gives
//! (docs/performance.md).

use crate::rng::draw_from_terms;

/// One day's random streams for a run of members.
#[derive(Debug, Clone, Copy)]
pub(super) struct DayDraws {
    /// Assignment stream key and threshold (`random_daily`); `None` = everyone assigned.
    pub assign: u64,
    pub assign_thr: Option<u32>,
    /// Compliance stream key and threshold; `None` = every assigned member complies.
    pub comply: u64,
    pub comply_thr: Option<u32>,
    /// The day's part of the counter ([`crate::rng::day_term`]).
    pub day: u64,
}

/// For each member `i` at home under `dd`, `counts[base + idx[i]] += 1`; `hi[i]` is the
/// member's [`crate::rng::agent_term`].
#[inline(always)]
pub(super) fn count(hi: &[u32], idx: &[u32], base: usize, dd: DayDraws, counts: &mut [u32]) {
    for (&h, &i) in hi.iter().zip(idx) {
        let assigned = dd
            .assign_thr
            .is_none_or(|t| draw_from_terms(dd.assign, h, dd.day) < t);
        let complies = dd
            .comply_thr
            .is_none_or(|t| draw_from_terms(dd.comply, h, dd.day) < t);
        counts[base + i as usize] += (assigned && complies) as u32;
    }
}
