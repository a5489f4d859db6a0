//! Policies applied to the population: which work units a scenario's policies cover, which
//! of their staff are eligible (not exempt, home region covered), and the share schedule
//! per working day. The result, a [`Plan`], is everything the engine needs and nothing
//! more: work that cannot differ from the baseline (uncovered units, exempt staff) is left
//! out here, once per scenario.

use crate::calendar::{Date, WorkingCalendar};
use crate::population::Population;
use crate::scenario::{Assignment, Range, Scenario, ShareBase, ShareRule};

/// Agents per parallel chunk. Chunks are cut from the plan, never from the thread count,
/// so every thread count processes the same chunks.
pub const CHUNK_MEMBERS: usize = 1 << 12;

#[derive(Debug, Clone)]
pub struct PolicyDays {
    /// Share in force on each working day of the plan.
    pub shares: Vec<f64>,
    pub rule: ShareRule,
    pub assignment: Assignment,
    pub compliance: Range,
}

/// A covered unit under one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitPlan {
    pub policy: u16,
    /// The base the share is counted on: the unit's staff covered by the policy (exempt
    /// included) for `share_base = "unit"`, its eligible staff for `"eligible"`.
    pub size: u32,
    /// First of its eligible members in [`Plan::members`].
    pub first: u32,
    pub n_eligible: u32,
    /// Rotation step: a fixed number coprime with `n_eligible`, about 0.618 of it, so the
    /// block at home visits every slot and blocks for different shares on one day nest.
    pub step: u32,
}

/// The integer nearest to 0.618·n that is coprime with n (so d·step mod n visits every
/// slot), or 0 for n ≤ 1.
pub fn rotation_step(n: u32) -> u32 {
    fn gcd(a: u32, b: u32) -> u32 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    if n <= 1 {
        return 0;
    }
    let g = ((n as f64 * 0.618_033_988_75).round() as u32).clamp(1, n - 1);
    (0..n)
        .flat_map(|k| [g + k, g.wrapping_sub(k)])
        .find(|&s| (1..n).contains(&s) && gcd(s, n) == 1)
        .unwrap_or(1)
}

/// An eligible worker: agent id (for random streams) and output cell (od × n_modes + mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub agent: u32,
    pub cell: u16,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub days: Vec<Date>,
    pub n_cells: usize,
    pub policies: Vec<PolicyDays>,
    pub units: Vec<UnitPlan>,
    pub members: Vec<Member>,
    /// Unit-index ranges processed as one parallel task each.
    pub chunks: Vec<std::ops::Range<usize>>,
    /// Workers in covered units, exempt ones included.
    pub covered_workers: u64,
    pub eligible_workers: u64,
    /// Σ over policies of eligible members × working days with a non-zero share.
    pub eligible_agent_days: u64,
}

/// Rounds a unit's WFH count the way the policy says: down for a ceiling ("at most"),
/// up for a target ("at least"). The small epsilon keeps 0.5 × 10 at exactly 5.
#[inline]
pub fn unit_count(share: f64, size: u32, rule: ShareRule) -> u32 {
    let raw = share * size as f64;
    let k = match rule {
        ShareRule::Ceiling => (raw + 1e-9).floor(),
        ShareRule::Target => (raw - 1e-9).ceil(),
    };
    k.max(0.0) as u32
}

pub fn compile(sc: &Scenario, pop: &Population, holidays: &[Date]) -> Plan {
    let cal = WorkingCalendar::new(sc.start, sc.end, holidays);
    let n = pop.n_regions;
    let policies: Vec<PolicyDays> = sc
        .policies
        .iter()
        .map(|p| PolicyDays {
            shares: cal.days.iter().map(|&d| p.share_on(d)).collect(),
            rule: p.share_rule,
            assignment: p.assignment,
            compliance: p.compliance,
        })
        .collect();
    let mut units = Vec::new();
    let mut members = Vec::new();
    let mut covered = 0u64;
    let mut agent_days = 0u64;
    for u in &pop.units {
        let mut counted = false;
        for (pi, p) in sc.policies.iter().enumerate() {
            if !p.employers.contains(&(u.employer as usize))
                || !p.covers_work_region(u.work as usize)
            {
                continue;
            }
            if !counted {
                covered += u.len as u64;
                counted = true;
            }
            let first = members.len() as u32;
            let mut home_covered = 0u32;
            for a in u.start..u.start + u.len {
                let ag = pop.agents[a as usize];
                if !p.covers_home_region(ag.od as usize / n) {
                    continue;
                }
                home_covered += 1;
                if !p.exempt[ag.role as usize] {
                    let cell = (ag.od as usize * pop.n_modes + ag.mode as usize) as u16;
                    members.push(Member { agent: a, cell });
                }
            }
            let n_eligible = members.len() as u32 - first;
            if n_eligible > 0 {
                let active = policies[pi].shares.iter().filter(|&&s| s > 0.0).count() as u64;
                agent_days += n_eligible as u64 * active;
                let size = match p.share_base {
                    ShareBase::Unit => home_covered,
                    ShareBase::Eligible => n_eligible,
                };
                let step = rotation_step(n_eligible);
                units.push(UnitPlan {
                    policy: pi as u16,
                    size,
                    first,
                    n_eligible,
                    step,
                });
            }
        }
    }
    let mut chunks = Vec::new();
    let (mut start, mut acc) = (0usize, 0usize);
    for (i, u) in units.iter().enumerate() {
        acc += u.n_eligible as usize;
        if acc >= CHUNK_MEMBERS {
            chunks.push(start..i + 1);
            start = i + 1;
            acc = 0;
        }
    }
    if start < units.len() {
        chunks.push(start..units.len());
    }
    Plan {
        days: cal.days,
        n_cells: n * n * pop.n_modes,
        policies,
        eligible_workers: members.len() as u64,
        units,
        members,
        chunks,
        covered_workers: covered,
        eligible_agent_days: agent_days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_step_is_coprime_and_visits_every_slot() {
        for n in 2..200u32 {
            let s = rotation_step(n);
            let mut seen = vec![false; n as usize];
            for d in 0..n {
                seen[((d as u64 * s as u64) % n as u64) as usize] = true;
            }
            assert!(seen.iter().all(|&b| b), "n = {n}, step = {s}");
        }
        assert_eq!(rotation_step(1), 0);
        assert_eq!(rotation_step(10), 7);
    }

    #[test]
    fn unit_count_rounds_per_rule() {
        assert_eq!(unit_count(0.5, 10, ShareRule::Ceiling), 5);
        assert_eq!(unit_count(0.5, 10, ShareRule::Target), 5);
        assert_eq!(unit_count(0.75, 3, ShareRule::Ceiling), 2);
        assert_eq!(unit_count(0.75, 3, ShareRule::Target), 3);
        assert_eq!(unit_count(0.5, 1, ShareRule::Ceiling), 0);
        assert_eq!(unit_count(0.0, 7, ShareRule::Target), 0);
        assert_eq!(unit_count(1.0, 7, ShareRule::Ceiling), 7);
    }
}
