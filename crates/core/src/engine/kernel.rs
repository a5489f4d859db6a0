//! The innermost loop: given a run of members (their agent terms and output indices) and
//! one day's draws, add 1 to the count of every member who is at home.
//!
//! Four members share one hash: the SplitMix64 output keyed by the first member of each
//! group of four and the day gives four independent 16-bit draws, one per member (a
//! probability is a threshold on 16 bits, exact to 2^-16). That is a quarter of the
//! multiplies per draw of one hash per member; the groups start at the run's first member,
//! so on a given day a member's draw depends on the unit, the day and where the run
//! starts, all of which are the same in every scenario that gives the unit the same
//! members (common random numbers). Plain scalar code specialised by which draws a day
//! needs; an AVX-512 version was slower on the short runs a rotation block gives
//! (docs/performance.md). Under `persistent` compliance a member's compliance draw is its
//! type for the replicate instead of the day's lane ([`super::compliance`]).

use crate::rng::mix64;

/// One day's random streams for a run of members.
#[derive(Debug, Clone, Copy)]
pub(super) struct DayDraws {
    /// Assignment stream key and 16-bit threshold (`random_daily`); `None` = everyone
    /// assigned.
    pub assign: u64,
    pub assign_thr: Option<u32>,
    /// Compliance stream key and 16-bit threshold; `None` = every assigned member complies.
    pub comply: u64,
    pub comply_thr: Option<u32>,
    /// The day's part of the counter ([`crate::rng::day_term`]).
    pub day: u64,
}

/// A run of members: agent terms ([`crate::rng::agent_term`]), output indices and, under
/// `persistent` compliance, types (else empty).
#[derive(Clone, Copy)]
pub(super) struct Members<'a> {
    pub hi: &'a [u32],
    pub idx: &'a [u32],
    pub ty: &'a [u16],
}

impl<'a> Members<'a> {
    pub fn new(
        hi: &'a [u32],
        idx: &'a [u32],
        ty: &'a [u16],
        r: std::ops::Range<usize>,
    ) -> Members<'a> {
        Members {
            hi: &hi[r.clone()],
            idx: &idx[r.clone()],
            ty: if ty.is_empty() { ty } else { &ty[r] },
        }
    }
}

/// Four 16-bit draws from one hash of (key, the group's first agent term, day).
#[inline(always)]
fn lanes(key: u64, h: u32, day: u64) -> u64 {
    mix64(key ^ ((h as u64) << 32).wrapping_add(day))
}

/// For each member `i` at home under `dd`, `counts[base + idx[i]] += 1`; `hi[i]` is the
/// member's [`crate::rng::agent_term`].
#[inline(always)]
pub(super) fn count(hi: &[u32], idx: &[u32], base: usize, dd: DayDraws, counts: &mut [u32]) {
    match (dd.assign_thr, dd.comply_thr) {
        (None, None) => {
            for &i in idx {
                counts[base + i as usize] += 1;
            }
        }
        (None, Some(c)) => run::<false, true>(hi, idx, base, dd, 0, c, counts),
        (Some(a), None) => run::<true, false>(hi, idx, base, dd, a, 0, counts),
        (Some(a), Some(c)) => run::<true, true>(hi, idx, base, dd, a, c, counts),
    }
}

/// As [`count`], with `persistent` compliance: a member complies when its type is below
/// the day's threshold; the assignment (`random_daily`) is drawn as in [`run`].
#[inline(never)]
pub(super) fn count_typed(m: Members, base: usize, dd: DayDraws, counts: &mut [u32]) {
    let Some(tc) = dd.comply_thr else {
        return count(m.hi, m.idx, base, dd, counts);
    };
    let ty_ok = |j: usize| ((m.ty[j] as u32) < tc) as u32;
    let Some(ta) = dd.assign_thr else {
        for (j, &c) in m.idx.iter().enumerate() {
            counts[base + c as usize] += ty_ok(j);
        }
        return;
    };
    for (g, (h, i)) in m.hi.chunks(4).zip(m.idx.chunks(4)).enumerate() {
        let za = lanes(dd.assign, h[0], dd.day);
        for (j, &c) in i.iter().enumerate() {
            let ok_a = ((za >> (16 * j)) as u32 & 0xFFFF) < ta;
            counts[base + c as usize] += ok_a as u32 & ty_ok(4 * g + j);
        }
    }
}

#[inline(always)]
fn run<const A: bool, const C: bool>(
    hi: &[u32],
    idx: &[u32],
    base: usize,
    dd: DayDraws,
    ta: u32,
    tc: u32,
    counts: &mut [u32],
) {
    let at_home = |za: u64, zc: u64, j: usize| -> u32 {
        let ok_a = !A || ((za >> (16 * j)) as u32 & 0xFFFF) < ta;
        let ok_c = !C || ((zc >> (16 * j)) as u32 & 0xFFFF) < tc;
        (ok_a && ok_c) as u32
    };
    let draws = |h0: u32| {
        (
            if A { lanes(dd.assign, h0, dd.day) } else { 0 },
            if C { lanes(dd.comply, h0, dd.day) } else { 0 },
        )
    };
    let mut hs = hi.chunks_exact(4);
    let mut is = idx.chunks_exact(4);
    for (h, i) in (&mut hs).zip(&mut is) {
        let (za, zc) = draws(h[0]);
        counts[base + i[0] as usize] += at_home(za, zc, 0);
        counts[base + i[1] as usize] += at_home(za, zc, 1);
        counts[base + i[2] as usize] += at_home(za, zc, 2);
        counts[base + i[3] as usize] += at_home(za, zc, 3);
    }
    let (h, i) = (hs.remainder(), is.remainder());
    if let Some(&h0) = h.first() {
        let (za, zc) = draws(h0);
        for (j, &c) in i.iter().enumerate() {
            counts[base + c as usize] += at_home(za, zc, j);
        }
    }
}
