//! Policies applied to the population: which work units a scenario's policies cover, which
//! of their staff are eligible (not exempt, home region covered), and the share schedule
//! per working day. The result, a [`Plan`], is everything the engine needs and nothing
//! more: work that cannot differ from the baseline (uncovered units, exempt staff) is left
//! out here, once per scenario.

use crate::calendar::{Date, WorkingCalendar};
use crate::population::{Population, Unit};
use crate::scenario::{Assignment, Policy, Range, Scenario, ShareBase, ShareRule, Uptake, Window};

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
    /// The compliance model and ramp.
    pub uptake: Uptake,
    /// Per working day: working days of the plan since the order's first day (0 on it),
    /// the ramp's clock; 0 before it.
    pub order_day: Vec<u32>,
}

impl PolicyDays {
    fn new(p: &Policy, days: &[Date]) -> Self {
        let shares: Vec<f64> = days.iter().map(|&d| p.share_on(d)).collect();
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
            rule: p.share_rule,
            assignment: p.assignment,
            compliance: p.compliance,
            uptake: p.uptake,
            order_day: order_days(&p.windows, days),
        }
    }

    /// The ramp's factor on each working day at the central ramp (1 without a ramp).
    fn central_ramp(&self) -> impl Iterator<Item = f64> + '_ {
        let (n, from) = (self.uptake.ramp_days.central, self.uptake.ramp_from.central);
        self.order_day.iter().map(move |&j| ramp(j, n, from))
    }
}

/// The compliance ramp's factor on the order's working day `j` (0 = its first): from
/// `from` on day 0 linearly up to 1 after `days` working days; 1 when `days` is 0.
pub fn ramp(j: u32, days: f64, from: f64) -> f64 {
    if days <= 0.0 {
        1.0
    } else {
        (from + (1.0 - from) * j as f64 / days).min(1.0)
    }
}

/// Per working day, the working days since the order's first day: the start of its
/// earliest window with a share (or of the period, if that is later).
fn order_days(windows: &[Window], days: &[Date]) -> Vec<u32> {
    let first = windows
        .iter()
        .filter(|w| w.share > 0.0)
        .map(|w| w.from)
        .min();
    let mut j = 0u32;
    days.iter()
        .map(|&d| match first {
            Some(f) if d >= f => {
                j += 1;
                j - 1
            }
            _ => 0,
        })
        .collect()
}

/// A covered unit under one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitPlan {
    pub policy: u16,
    /// The work unit's index in the population: the key of its own compliance under
    /// `clustered`, the same in every scenario.
    pub unit: u32,
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
    /// Eligible members per (policy, cell, class), each weighted by its policy's expected
    /// share at home (mean share on its working days × central compliance): sparse
    /// (policy × n_cells + cell, class = employer × roles + role, mass) in that order. A
    /// replicate's structural weights average over it, per policy
    /// ([`crate::structural`], [`crate::engine::run_replicate_by_policy`]).
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
/// table (a 28-byte [`UnitPlan`] and 4 bytes per share level per unit, units averaging
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
        .map(|p| PolicyDays::new(p, &cal.days))
        .collect();
    let expected = expected_shares(&policies);
    let mut b = PlanBuilder::new(pop, policies.len());
    for (ui, u) in pop.units.iter().enumerate() {
        for (pi, p) in sc.policies.iter().enumerate() {
            if !p.employers.contains(&(u.employer as usize))
                || !p.covers_work_region(u.work as usize)
            {
                continue;
            }
            b.add_unit(pop, (ui as u32, u), pi, p, &policies[pi], expected[pi]);
        }
    }
    let nc = b.nc;
    let chunks = chunks(&b.units);
    Plan {
        days: cal.days,
        n_cells: n * n * pop.n_modes,
        policies,
        units: b.units,
        agents: b.agents,
        cells: b.cells,
        unit_k: b.unit_k,
        mass: crate::structural::sparse(&b.mass, nc),
        chunks,
        covered_workers: b.is_covered.count(),
        eligible_workers: b.is_eligible.count(),
        eligible_agent_days: b.eligible_days,
        covered_agent_days: b.covered_days,
    }
}

/// Each policy's expected share at home of an eligible member: the mean over its days
/// with a share in force of the share × the central ramp, × central compliance (every
/// compliance model has the policy's compliance as its mean).
fn expected_shares(policies: &[PolicyDays]) -> Vec<f64> {
    policies
        .iter()
        .map(|pd| {
            let on: Vec<f64> = pd
                .shares
                .iter()
                .zip(pd.central_ramp())
                .filter(|&(&s, _)| s > 0.0)
                .map(|(&s, r)| s * r)
                .collect();
            let mean = on.iter().sum::<f64>() / on.len().max(1) as f64;
            mean * pd.compliance.central
        })
        .collect()
}

/// Unit-index ranges of about [`CHUNK_MEMBERS`] eligible members each, in unit order.
fn chunks(units: &[UnitPlan]) -> Vec<std::ops::Range<usize>> {
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
    chunks
}

/// The plan's arrays and counts as the covered units are added, unit by unit.
struct PlanBuilder {
    units: Vec<UnitPlan>,
    agents: Vec<u32>,
    cells: Vec<u16>,
    unit_k: Vec<u32>,
    // Each worker is counted once however many policies cover them.
    is_covered: Bits,
    is_eligible: Bits,
    eligible_days: u64,
    covered_days: u64,
    /// Classes (employer × role) per cell.
    nc: usize,
    /// Cells per policy.
    n_cells: usize,
    /// Dense policy × cell × class expected members at home (see [`Plan::mass`]).
    mass: Vec<f64>,
}

impl PlanBuilder {
    fn new(pop: &Population, n_policies: usize) -> PlanBuilder {
        let n_cells = pop.n_regions * pop.n_regions * pop.n_modes;
        let nc = pop.n_employers * pop.n_roles;
        PlanBuilder {
            units: Vec::new(),
            agents: Vec::new(),
            cells: Vec::new(),
            unit_k: Vec::new(),
            is_covered: Bits::new(pop.len()),
            is_eligible: Bits::new(pop.len()),
            eligible_days: 0,
            covered_days: 0,
            nc,
            n_cells,
            mass: vec![0.0; n_policies * n_cells * nc],
        }
    }

    /// Adds work unit `u` under policy `pi` (which covers its employer and work region):
    /// its members living in a covered home region, and, if any is eligible and the unit
    /// can send someone home, the unit's plan.
    fn add_unit(
        &mut self,
        pop: &Population,
        (unit, u): (u32, &Unit),
        pi: usize,
        p: &Policy,
        pd: &PolicyDays,
        expected: f64,
    ) {
        let first = self.agents.len();
        let home_covered = self.add_members(pop, u, p);
        let active = pd.day_level.iter().filter(|&&l| l > 0).count() as u64;
        self.covered_days += home_covered as u64 * active;
        let n_eligible = (self.agents.len() - first) as u32;
        if n_eligible == 0 {
            return;
        }
        self.eligible_days += n_eligible as u64 * active;
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
            self.agents.truncate(first);
            self.cells.truncate(first);
            return;
        }
        let k_first = self.unit_k.len() as u32;
        self.unit_k.extend(ks);
        self.units.push(UnitPlan {
            policy: pi as u16,
            unit,
            size,
            first: first as u32,
            n_eligible,
            step: rotation_step(n_eligible),
            k_first,
        });
        let (nc, at) = (self.nc, pi * self.n_cells);
        for (&a, &c) in self.agents[first..].iter().zip(&self.cells[first..]) {
            let ag = pop.agents[a as usize];
            let class = ag.employer as usize * pop.n_roles + ag.role as usize;
            self.mass[(at + c as usize) * nc + class] += expected;
        }
    }

    /// Marks the unit's members whose home region the policy covers, and appends the
    /// eligible ones (not exempt) to the plan's members; returns how many it covers.
    fn add_members(&mut self, pop: &Population, u: &Unit, p: &Policy) -> u32 {
        let n = pop.n_regions;
        let mut home_covered = 0u32;
        for a in u.start..u.start + u.len {
            let ag = pop.agents[a as usize];
            if !p.covers_home_region(ag.od as usize / n) {
                continue;
            }
            home_covered += 1;
            self.is_covered.set(a as usize);
            if !p.exempt[ag.role as usize] {
                self.is_eligible.set(a as usize);
                self.agents.push(a);
                self.cells
                    .push((ag.od as usize * pop.n_modes + ag.mode as usize) as u16);
            }
        }
        home_covered
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
