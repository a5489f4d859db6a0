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
    /// The distinct non-zero shares of the schedule, in order of first use.
    pub levels: Vec<f64>,
    /// Per working day: 0 when no share is in force, else 1 + index into `levels`.
    pub day_level: Vec<u16>,
    pub rule: ShareRule,
    pub assignment: Assignment,
    pub compliance: Range,
}

impl PolicyDays {
    fn new(shares: Vec<f64>, rule: ShareRule, assignment: Assignment, compliance: Range) -> Self {
        let mut levels: Vec<f64> = Vec::new();
        let day_level = shares
            .iter()
            .map(|&s| {
                if s <= 0.0 {
                    return 0;
                }
                let i = match levels.iter().position(|&l| l == s) {
                    Some(i) => i,
                    None => {
                        levels.push(s);
                        levels.len() - 1
                    }
                };
                (i + 1) as u16
            })
            .collect();
        PolicyDays {
            shares,
            levels,
            day_level,
            rule,
            assignment,
            compliance,
        }
    }
}

/// A covered unit under one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitPlan {
    pub policy: u16,
    /// The base the share is counted on: the unit's staff covered by the policy (exempt
    /// included) for `share_base = "unit"`, its eligible staff for `"eligible"`.
    pub size: u32,
    /// First of its eligible members in [`Plan::agents`] / [`Plan::cells`].
    pub first: u32,
    pub n_eligible: u32,
    /// Rotation step: a fixed number coprime with `n_eligible`, about 0.618 of it, so the
    /// block at home visits every slot and blocks for different shares on one day nest.
    pub step: u32,
    /// Rotation: staff at home for each share level of the policy, at
    /// `Plan::unit_k[k_first ..][..levels.len()]`, precomputed so that the day loop does
    /// no floating point.
    pub k_first: u32,
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

/// The plan the engine runs. Eligible workers are stored as two parallel arrays (agent id
/// for the random streams, output cell = od × n_modes + mode), unit by unit in slot order:
/// 6 bytes per eligible worker.
#[derive(Debug, Clone)]
pub struct Plan {
    pub days: Vec<Date>,
    pub n_cells: usize,
    pub policies: Vec<PolicyDays>,
    pub units: Vec<UnitPlan>,
    pub agents: Vec<u32>,
    pub cells: Vec<u16>,
    pub unit_k: Vec<u32>,
    /// Eligible members per (cell, class), each weighted by its policy's expected share at
    /// home (mean share on its working days × central compliance): sparse
    /// (cell, class = employer × roles + role, mass) in cell then class order. A
    /// replicate's structural weights average over it ([`crate::structural`]).
    pub mass: Vec<(u32, u32, f64)>,
    /// Unit-index ranges processed as one parallel task each.
    pub chunks: Vec<std::ops::Range<usize>>,
    /// Workers covered by at least one policy (employer, work and home region), exempt
    /// ones included; each counted once.
    pub covered_workers: u64,
    /// Covered workers not exempt under at least one policy; each counted once.
    pub eligible_workers: u64,
    /// Σ over policies of eligible members × working days with a non-zero share.
    pub eligible_agent_days: u64,
    /// Σ over policies of the workers they cover (exempt included) × the working days
    /// on which they have a share in force: the engine workload as the performance
    /// targets count it (covered workers × working days of the window).
    pub covered_agent_days: u64,
}

impl Plan {
    /// Bytes held by the plan's per-worker and per-unit arrays.
    pub fn memory_bytes(&self) -> usize {
        self.agents.len() * 4
            + self.cells.len() * 2
            + self.unit_k.len() * 4
            + self.units.len() * std::mem::size_of::<UnitPlan>()
            + self.mass.len() * std::mem::size_of::<(u32, u32, f64)>()
    }
}

/// Bytes of one scenario's plan if it covered all `workers`, for the memory check before a
/// run allocates: 6 per eligible worker ([`Plan::agents`], [`Plan::cells`]) plus the unit
/// table (a 24-byte [`UnitPlan`] and 4 bytes per share level per unit, units averaging
/// about 15 eligible workers), with margin: 8 bytes a worker.
pub fn estimate_plan_bytes(workers: f64) -> f64 {
    const BYTES_PER_WORKER: f64 = 8.0;
    workers * BYTES_PER_WORKER
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
        .map(|p| {
            let shares = cal.days.iter().map(|&d| p.share_on(d)).collect();
            PolicyDays::new(shares, p.share_rule, p.assignment, p.compliance)
        })
        .collect();
    let mut units = Vec::new();
    let mut agents = Vec::new();
    let mut cells = Vec::new();
    let mut unit_k = Vec::new();
    // Each worker is counted once however many policies cover them.
    let mut is_covered = Bits::new(pop.len());
    let mut is_eligible = Bits::new(pop.len());
    let (mut eligible_days, mut covered_days) = (0u64, 0u64);
    let nc = pop.n_employers * pop.n_roles;
    let mut mass = vec![0.0; n * n * pop.n_modes * nc];
    let expected: Vec<f64> = policies
        .iter()
        .map(|pd| {
            let on: Vec<f64> = pd.shares.iter().copied().filter(|&s| s > 0.0).collect();
            let mean = on.iter().sum::<f64>() / on.len().max(1) as f64;
            mean * pd.compliance.central
        })
        .collect();
    for u in &pop.units {
        for (pi, p) in sc.policies.iter().enumerate() {
            if !p.employers.contains(&(u.employer as usize))
                || !p.covers_work_region(u.work as usize)
            {
                continue;
            }
            let first = agents.len();
            let mut home_covered = 0u32;
            for a in u.start..u.start + u.len {
                let ag = pop.agents[a as usize];
                if !p.covers_home_region(ag.od as usize / n) {
                    continue;
                }
                home_covered += 1;
                is_covered.set(a as usize);
                if !p.exempt[ag.role as usize] {
                    is_eligible.set(a as usize);
                    agents.push(a);
                    cells.push((ag.od as usize * pop.n_modes + ag.mode as usize) as u16);
                }
            }
            let pd = &policies[pi];
            let active = pd.day_level.iter().filter(|&&l| l > 0).count() as u64;
            covered_days += home_covered as u64 * active;
            let n_eligible = (agents.len() - first) as u32;
            if n_eligible == 0 {
                continue;
            }
            eligible_days += n_eligible as u64 * active;
            let size = match p.share_base {
                ShareBase::Unit => home_covered,
                ShareBase::Eligible => n_eligible,
            };
            let ks = pd
                .levels
                .iter()
                .map(|&s| unit_count(s, size, pd.rule).min(n_eligible));
            // A rotating unit whose count rounds to 0 at every share never sends anyone
            // home: it cannot differ from the baseline, so it is not simulated.
            if pd.assignment == Assignment::Rotation && ks.clone().all(|k| k == 0) {
                agents.truncate(first);
                cells.truncate(first);
                continue;
            }
            let k_first = unit_k.len() as u32;
            unit_k.extend(ks);
            units.push(UnitPlan {
                policy: pi as u16,
                size,
                first: first as u32,
                n_eligible,
                step: rotation_step(n_eligible),
                k_first,
            });
            for (&a, &c) in agents[first..].iter().zip(&cells[first..]) {
                let ag = pop.agents[a as usize];
                mass[c as usize * nc + ag.employer as usize * pop.n_roles + ag.role as usize] +=
                    expected[pi];
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
        units,
        agents,
        cells,
        unit_k,
        mass: crate::structural::sparse(&mass, nc),
        chunks,
        covered_workers: is_covered.count(),
        eligible_workers: is_eligible.count(),
        eligible_agent_days: eligible_days,
        covered_agent_days: covered_days,
    }
}

/// One bit per agent.
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn count(&self) -> u64 {
        self.0.iter().map(|w| w.count_ones() as u64).sum()
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
