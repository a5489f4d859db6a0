//! Property tests over generated valid scenarios: random periods, windows, shares,
//! employer / region / role subsets, assignments, rules and compliance ranges, written as
//! scenario TOML, parsed, compiled against a small population and run through the engine
//! and the study lifecycle.
//!
//! For every scenario: nothing panics; on each working day and in each (home, work, mode)
//! cell the workers at home are never more than the covered, eligible workers there
//! (counted straight from the population, not through the plan); trips avoided are never
//! negative and never above those workers' baseline trips; a day on which no policy has a
//! share (and a scenario whose shares are all 0) avoids exactly nothing.

use crate::common;

use std::sync::OnceLock;

use common::*;
use proptest::prelude::*;
use wfhsim_core::accounting;
use wfhsim_core::calendar::Date;
use wfhsim_core::data::Dataset;
use wfhsim_core::engine::run_replicate;
use wfhsim_core::policy::compile;
use wfhsim_core::population::Population;
use wfhsim_core::results::Basis;
use wfhsim_core::scenario::{Problem, Scenario, parse_scenario, validate};
use wfhsim_core::simulate::{Baseline, RunOptions, run_scenario};

const SCALE: f64 = 0.004;

fn pop() -> &'static Population {
    static POP: OnceLock<Population> = OnceLock::new();
    POP.get_or_init(|| population(dataset(), SCALE, 17))
}

#[derive(Debug, Clone)]
struct GenPolicy {
    employers: Vec<usize>,
    work_regions: Vec<usize>,
    home_regions: Vec<usize>,
    exempt: Vec<usize>,
    random_daily: bool,
    target: bool,
    eligible_base: bool,
    /// Sorted: low, central, high.
    compliance: [f64; 3],
    /// Sorted, distinct day offsets into the period; consecutive pairs are windows.
    cuts: Vec<u32>,
    shares: Vec<f64>,
}

#[derive(Debug, Clone)]
struct GenScenario {
    start: u32,
    len: u32,
    policies: Vec<GenPolicy>,
}

fn share() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(1.0), Just(0.5), 0.0..=1.0f64]
}

fn subset(n: usize) -> impl Strategy<Value = Vec<usize>> {
    // Half the time empty (every region / no exemption), else a random subset.
    prop_oneof![
        Just(Vec::new()),
        proptest::sample::subsequence((0..n).collect::<Vec<_>>(), 1..=n)
    ]
}

fn policy(ds: &Dataset, len: u32, employers: Vec<usize>) -> impl Strategy<Value = GenPolicy> {
    let (nr, nrole) = (ds.regions.len(), ds.roles.len());
    (
        subset(nr),
        subset(nr),
        subset(nrole),
        any::<[bool; 3]>(),
        proptest::array::uniform3(0.0..=1.0f64),
        proptest::collection::btree_set(0..len, 1..=6),
        proptest::collection::vec(share(), 3),
    )
        .prop_map(
            move |(work, home, exempt, [rd, tg, eb], mut c, cuts, shares)| {
                c.sort_by(f64::total_cmp);
                GenPolicy {
                    employers: employers.clone(),
                    work_regions: work,
                    home_regions: home,
                    exempt,
                    random_daily: rd,
                    target: tg,
                    eligible_base: eb,
                    compliance: c,
                    cuts: cuts.into_iter().collect(),
                    shares,
                }
            },
        )
}

/// A valid scenario in 2023: 1–3 policies over disjoint employer sets (so they never
/// govern the same workers), each with 1–3 non-overlapping windows inside the period.
fn scenario_strategy() -> impl Strategy<Value = GenScenario> {
    let ds = dataset();
    let ne = ds.employers.len();
    (0..330u32, 1..=35u32, 1..=3usize)
        .prop_flat_map(move |(start, len, k)| {
            // Each employer belongs to one policy or to none.
            (
                Just((start, len)),
                proptest::collection::vec(proptest::option::of(0..k), ne),
                0..ne,
            )
        })
        .prop_flat_map(move |((start, len), owner, fallback)| {
            let mut groups: Vec<Vec<usize>> = Vec::new();
            for p in 0..3 {
                let g: Vec<usize> = (0..ne).filter(|&e| owner[e] == Some(p)).collect();
                if !g.is_empty() {
                    groups.push(g);
                }
            }
            if groups.is_empty() {
                groups.push(vec![fallback]);
            }
            let ps: Vec<_> = groups.into_iter().map(|g| policy(ds, len, g)).collect();
            (Just(start), Just(len), ps)
        })
        .prop_map(|(start, len, policies)| GenScenario {
            start,
            len,
            policies,
        })
}

fn names<'a>(ix: &[usize], all: impl Fn(usize) -> &'a str) -> String {
    let v: Vec<String> = ix.iter().map(|&i| format!("\"{}\"", all(i))).collect();
    format!("[{}]", v.join(", "))
}

fn day(start: Date, off: u32) -> Date {
    Date(start.0 + off as i32)
}

/// The scenario as the TOML a planner would write; `zero` sets every share to 0.
fn to_toml(ds: &Dataset, g: &GenScenario, zero: bool) -> String {
    let jan1 = Date::from_ymd(2023, 1, 1).unwrap();
    let start = day(jan1, g.start);
    let mut t = format!(
        "schema_version = 1\nname = \"gen\"\ntitle = \"generated\"\n[period]\nstart = {}\nend = {}\n",
        start,
        day(start, g.len - 1)
    );
    for (i, p) in g.policies.iter().enumerate() {
        let windows: Vec<String> = p
            .cuts
            .chunks(2)
            .zip(&p.shares)
            .map(|(c, &s)| {
                let s = if zero { 0.0 } else { s };
                let to = *c.last().unwrap();
                format!(
                    "{{ from = {}, to = {}, share = {s:?} }}",
                    day(start, c[0]),
                    day(start, to)
                )
            })
            .collect();
        let [lo, c, hi] = p.compliance;
        t += &format!(
            "[[policy]]\nname = \"p{i}\"\nemployers = {}\nwork_regions = {}\nhome_regions = {}\nexempt_roles = {}\nassignment = \"{}\"\nshare_rule = \"{}\"\nshare_base = \"{}\"\ncompliance = {{ central = {c:?}, low = {lo:?}, high = {hi:?} }}\nschedule = [{}]\n",
            names(&p.employers, |i| &ds.employers[i].code),
            names(&p.work_regions, |i| &ds.regions[i].code),
            names(&p.home_regions, |i| &ds.regions[i].code),
            names(&p.exempt, |i| &ds.roles[i].code),
            if p.random_daily {
                "random_daily"
            } else {
                "rotation"
            },
            if p.target { "target" } else { "ceiling" },
            if p.eligible_base { "eligible" } else { "unit" },
            windows.join(", ")
        );
    }
    t
}

fn parse(ds: &Dataset, text: &str) -> Scenario {
    parse_scenario("generated.toml", text, ds)
        .unwrap_or_else(|e| panic!("a valid generated scenario was refused:\n{e}\n{text}"))
}

/// Covered, eligible workers per (od × n_modes + mode) cell, counted from the agents.
fn eligible_per_cell(sc: &Scenario, pop: &Population) -> Vec<u64> {
    let n = pop.n_regions;
    let mut out = vec![0u64; n * n * pop.n_modes];
    for u in &pop.units {
        for a in &pop.agents[u.start as usize..(u.start + u.len) as usize] {
            let covered = sc.policies.iter().any(|p| {
                p.employers.contains(&(u.employer as usize))
                    && p.covers_work_region(u.work as usize)
                    && p.covers_home_region(a.od as usize / n)
                    && !p.exempt[a.role as usize]
            });
            if covered {
                out[a.od as usize * pop.n_modes + a.mode as usize] += 1;
            }
        }
    }
    out
}

fn check(g: &GenScenario, seed: u64) {
    let ds = dataset();
    let pop = pop();
    let sc = parse(ds, &to_toml(ds, g, false));
    assert_eq!(
        validate(&sc, ds),
        Vec::<Problem>::new(),
        "the value passes as the file did"
    );
    let plan = compile(&sc, pop, &ds.holidays());
    let nc = plan.n_cells;
    let eligible = eligible_per_cell(&sc, pop);
    let compliance = accounting::compliance(&sc, seed, 0, false);
    let counts = run_replicate(&plan, seed, 0, &compliance);
    assert_eq!(counts.len(), plan.days.len() * nc);
    for (d, date) in plan.days.iter().enumerate() {
        let today = &counts[d * nc..(d + 1) * nc];
        for (c, (&k, &e)) in today.iter().zip(&eligible).enumerate() {
            assert!(
                k as u64 <= e,
                "{date} cell {c}: {k} at home of {e} covered eligible workers"
            );
        }
        if sc.policies.iter().all(|p| p.share_on(*date) == 0.0) {
            assert!(
                today.iter().all(|&k| k == 0),
                "{date}: no share in force, yet workers at home"
            );
        }
    }

    // Through the study lifecycle: trips avoided per day and row stay in [0, bound].
    let opt = RunOptions {
        seed,
        replicates: 2,
        scale: SCALE,
        threads: 1,
        uncertainty: wfhsim_core::structural::Uncertainty::Behavioural,
    };
    let base = Baseline::new(ds, pop, opt.uncertainty, false);
    let r = run_scenario(ds, pop, &base, &sc, opt, &|_| {}).unwrap();
    let n = ds.n_regions();
    let nm = ds.modes.len();
    // Baseline trips of the covered eligible workers in each daily row.
    let bound = |basis: Basis, region: Option<usize>, mode: Option<usize>| -> f64 {
        let mut s = 0u64;
        for (c, &e) in eligible.iter().enumerate() {
            let (od, m) = (c / nm, c % nm);
            let (h, w) = (od / n, od % n);
            let r_ok = match (basis, region) {
                (Basis::Home, Some(x)) => h == x,
                (Basis::Work, Some(x)) => w == x,
                _ => true,
            };
            if r_ok && mode.is_none_or(|x| x == m) {
                s += e;
            }
        }
        2.0 * s as f64 / SCALE
    };
    for row in &r.daily {
        let b = bound(row.basis, row.region, row.mode);
        for &t in &row.q[0].0 {
            assert!(t >= 0.0, "{}: trips avoided {t} < 0", row.date);
            assert!(
                t <= b * (1.0 + 1e-12) && t <= row.baseline_trips * (1.0 + 1e-12),
                "{} {:?} {:?} {:?}: {t} trips avoided, bound {b}, baseline {}",
                row.date,
                row.basis,
                row.region,
                row.mode,
                row.baseline_trips
            );
        }
    }

    // Every share 0: exactly the baseline, nothing avoided, nothing added.
    let zero = parse(ds, &to_toml(ds, g, true));
    let plan0 = compile(&zero, pop, &ds.holidays());
    assert!(
        run_replicate(&plan0, seed, 0, &compliance)
            .iter()
            .all(|&k| k == 0)
    );
    let r0 = run_scenario(ds, pop, &base, &zero, opt, &|_| {}).unwrap();
    for row in &r0.daily {
        assert!(
            row.q.iter().flat_map(|b| b.0).all(|v| v == 0.0),
            "{} {:?}: share 0 changed something: {:?}",
            row.date,
            row.basis,
            row.q
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_scenarios_stay_within_the_covered_workers(g in scenario_strategy(), seed in any::<u64>()) {
        check(&g, seed);
    }

    /// One share of a valid scenario, set outside 0..1 in code, is the one problem the
    /// validator finds, at that share's key path.
    #[test]
    fn a_share_outside_0_1_set_in_code_is_found_at_its_key(
        g in scenario_strategy(),
        pick in any::<(prop::sample::Index, prop::sample::Index)>(),
        bad in prop_oneof![1.0000001..1e6f64, -1e6..-1e-9f64],
    ) {
        let ds = dataset();
        let mut sc = parse(ds, &to_toml(ds, &g, false));
        let i = pick.0.index(sc.policies.len());
        let j = pick.1.index(sc.policies[i].windows.len());
        sc.policies[i].windows[j].share = bad;
        let problems = validate(&sc, ds);
        prop_assert_eq!(problems.len(), 1, "{:?}", problems);
        prop_assert_eq!(&problems[0].key, &format!("policy[{i}].schedule[{j}].share"));
        prop_assert!(problems[0].message.contains("is outside 0..1"), "{}", problems[0].message);
    }
}
