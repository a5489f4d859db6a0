//! The engine checked against expectations computed independently, in closed form, from
//! the population's own unit table (not from the engine's code path).

use crate::common;

use common::*;
use wfhsim_core::calendar::{Date, WorkingCalendar};
use wfhsim_core::engine::run_replicate;
use wfhsim_core::policy::compile;

fn total(counts: &[u32]) -> u64 {
    counts.iter().map(|&c| c as u64).sum()
}

#[test]
fn random_daily_matches_binomial_expectation() {
    let ds = dataset();
    let pop = population(ds, 0.05, 11);
    let sc = scenario(
        ds,
        &one_policy(
            r#"["central"]"#,
            "[]",
            "random_daily",
            "ceiling",
            "{ central = 0.8 }",
            "[{ from = 2023-09-01, to = 2023-09-30, share = 0.4 }]",
        ),
    );
    let plan = compile(&sc, &pop, &ds.holidays());
    // Closed form: every central-government agent is eligible; on each working day of
    // September each stays home with probability 0.4 × 0.8.
    let n: u64 = pop
        .agents
        .iter()
        .filter(|a| ds.employers[a.employer as usize].code == "central")
        .count() as u64;
    let sept = WorkingCalendar::new(
        Date::parse("2023-09-01").unwrap(),
        Date::parse("2023-09-30").unwrap(),
        &ds.holidays(),
    );
    assert_eq!(sept.len(), 20, "21 weekdays minus Maulid Nabi");
    let trials = (n * sept.len() as u64) as f64;
    let p = 0.4 * 0.8;
    let expect = trials * p;
    let sd = (trials * p * (1.0 - p)).sqrt();
    let got = total(&run_replicate(&plan, 5, 0, &[0.8])) as f64;
    assert!(
        (got - expect).abs() < 5.0 * sd,
        "got {got}, expected {expect} ± {sd}"
    );
}

#[test]
fn rotation_with_full_compliance_is_exact_per_unit() {
    let ds = dataset();
    let pop = population(ds, 0.05, 3);
    let dki = ds.employer_index("dki").unwrap() as u8;
    let text = one_policy(
        r#"["dki"]"#,
        DKI_EXEMPT,
        "rotation",
        "ceiling",
        "{ central = 1.0 }",
        "[{ from = 2023-08-21, to = 2023-09-03, share = 0.5 }, { from = 2023-09-04, to = 2023-09-07, share = 0.75 }]",
    );
    let sc = scenario(ds, &text);
    let plan = compile(&sc, &pop, &ds.holidays());
    // Closed form: per unit and day, floor(share × unit size) capped by the unit's eligible
    // staff, counted straight from the population's unit table.
    let exempt: Vec<bool> = ds
        .roles
        .iter()
        .map(|r| DKI_EXEMPT.contains(&format!("\"{}\"", r.code)))
        .collect();
    let mut expect = 0u64;
    let cal = WorkingCalendar::new(sc.start, sc.end, &ds.holidays());
    for u in pop.units.iter().filter(|u| u.employer == dki) {
        let elig = (u.start..u.start + u.len)
            .filter(|&a| !exempt[pop.agents[a as usize].role as usize])
            .count() as u64;
        for d in &cal.days {
            let s = sc.policies[0].share_on(*d);
            expect += ((s * u.len as f64 + 1e-9).floor() as u64).min(elig);
        }
    }
    assert!(expect > 0);
    assert_eq!(total(&run_replicate(&plan, 9, 0, &[1.0])), expect);
}

#[test]
fn share_zero_avoids_nothing() {
    let ds = dataset();
    let pop = population(ds, 0.02, 1);
    for a in ["rotation", "random_daily"] {
        let sc = scenario(
            ds,
            &one_policy(
                r#"["dki", "central", "private_formal"]"#,
                "[]",
                a,
                "target",
                "{ central = 1.0 }",
                "[{ from = 2023-08-01, to = 2023-10-31, share = 0.0 }]",
            ),
        );
        let plan = compile(&sc, &pop, &ds.holidays());
        assert_eq!(total(&run_replicate(&plan, 1, 0, &[1.0])), 0, "{a}");
    }
}

#[test]
fn never_more_than_eligible_workers_times_days() {
    let ds = dataset();
    let pop = population(ds, 0.02, 4);
    let policy = |rule: &str, c: f64, share: f64| {
        scenario(
            ds,
            &one_policy(
                r#"["dki", "kota_depok"]"#,
                DKI_EXEMPT,
                "rotation",
                rule,
                &format!("{{ central = {c} }}"),
                &format!("[{{ from = 2023-08-01, to = 2023-10-31, share = {share} }}]"),
            ),
        )
    };
    // The bound, counted straight from the population: covered, non-exempt workers.
    let (dki, depok) = (
        ds.employer_index("dki").unwrap(),
        ds.employer_index("kota_depok").unwrap(),
    );
    let exempt: Vec<bool> = ds
        .roles
        .iter()
        .map(|r| DKI_EXEMPT.contains(&format!("\"{}\"", r.code)))
        .collect();
    let eligible = pop
        .agents
        .iter()
        .filter(|a| [dki, depok].contains(&(a.employer as usize)) && !exempt[a.role as usize])
        .count() as u64;
    let sc = policy("target", 1.0, 1.0);
    let days = WorkingCalendar::new(sc.start, sc.end, &ds.holidays()).len() as u64;
    let plan = compile(&sc, &pop, &ds.holidays());
    let counts = run_replicate(&plan, 2, 0, &[1.0]);
    // Share 1 with the target rule sends every eligible worker home every working day:
    // exactly the bound (2 trips each).
    assert_eq!(total(&counts), eligible * days);
    for d in 0..plan.days.len() {
        let day: u64 = counts[d * plan.n_cells..(d + 1) * plan.n_cells]
            .iter()
            .map(|&c| c as u64)
            .sum();
        assert!(day <= eligible);
    }
    // Lower shares and partial compliance stay under it.
    for (rule, share, c) in [("ceiling", 0.5, 0.9), ("target", 0.75, 0.6)] {
        let plan = compile(&policy(rule, c, share), &pop, &ds.holidays());
        assert!(total(&run_replicate(&plan, 3, 0, &[c])) <= eligible * days);
    }
}

#[test]
fn seventy_five_percent_never_below_fifty_on_the_same_day() {
    let ds = dataset();
    let pop = population(ds, 0.05, 8);
    for (assign, compl) in [("random_daily", 0.7), ("rotation", 0.7)] {
        let run = |share: f64| {
            let sc = scenario(
                ds,
                &one_policy(
                    r#"["dki", "central"]"#,
                    DKI_EXEMPT,
                    assign,
                    "ceiling",
                    &format!("{{ central = {compl} }}"),
                    &format!("[{{ from = 2023-09-04, to = 2023-09-07, share = {share} }}]"),
                ),
            );
            let plan = compile(&sc, &pop, &ds.holidays());
            (plan.n_cells, run_replicate(&plan, 21, 0, &[compl]))
        };
        let ((nc, a), (_, b)) = (run(0.5), run(0.75));
        for d in 0..a.len() / nc {
            let sa: u64 = a[d * nc..(d + 1) * nc].iter().map(|&c| c as u64).sum();
            let sb: u64 = b[d * nc..(d + 1) * nc].iter().map(|&c| c as u64).sum();
            assert!(sb >= sa, "{assign} day {d}: 75% gave {sb} < 50% {sa}");
        }
    }
}

#[test]
fn identical_counts_on_one_and_two_threads() {
    let ds = dataset();
    let pop = population(ds, 0.05, 5);
    let sc = scenario(
        ds,
        &one_policy(
            r#"["dki", "central", "private_formal"]"#,
            r#"["onsite"]"#,
            "rotation",
            "ceiling",
            "{ central = 0.6 }",
            "[{ from = 2023-08-21, to = 2023-10-21, share = 0.5 }]",
        ),
    );
    let plan = compile(&sc, &pop, &ds.holidays());
    assert!(
        plan.chunks.len() > 1,
        "the test must exercise several chunks"
    );
    let on = |t: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .unwrap()
            .install(|| run_replicate(&plan, 77, 3, &[0.6]))
    };
    assert_eq!(on(1), on(2));
    assert_ne!(
        run_replicate(&plan, 77, 3, &[0.6]),
        run_replicate(&plan, 78, 3, &[0.6]),
        "seeds must matter"
    );
}

#[test]
fn share_base_decides_whether_exempted_staff_are_replaced() {
    let ds = dataset();
    let pop = population(ds, 0.1, 6);
    let wide = r#"["teacher", "health", "satpol_pp", "fire_rescue", "transport_agency", "frontline_service", "treasurer", "supervisor", "activity_leader"]"#;
    let run = |exempt: &str, base: &str| {
        let text = one_policy(
            r#"["dki"]"#,
            exempt,
            "rotation",
            "ceiling",
            "{ central = 1.0 }",
            "[{ from = 2023-08-21, to = 2023-10-21, share = 0.5 }]",
        )
        .replace(
            "share_rule",
            &format!("share_base = \"{base}\"\nshare_rule"),
        );
        let plan = compile(&scenario(ds, &text), &pop, &ds.holidays());
        total(&run_replicate(&plan, 1, 0, &[1.0]))
    };
    let (narrow_unit, wide_unit) = (run(DKI_EXEMPT, "unit"), run(wide, "unit"));
    let (narrow_elig, wide_elig) = (run(DKI_EXEMPT, "eligible"), run(wide, "eligible"));
    // Counted on the whole unit, colleagues take the exempted staff's turns: within 2%.
    assert!(
        (wide_unit as f64 - narrow_unit as f64).abs() < 0.02 * narrow_unit as f64,
        "{wide_unit} vs {narrow_unit}"
    );
    // Counted on eligible staff, the exempted office roles (15% of them) are not replaced.
    assert!(
        (wide_elig as f64) < 0.92 * narrow_elig as f64,
        "{wide_elig} vs {narrow_elig}"
    );
    assert!(narrow_elig <= narrow_unit);
}

/// The rules of docs/method.md §3 and the policy docs, written again here with plain
/// integer, modulo and floor arithmetic, so that the engine (and the plan's precomputed
/// steps, counts and thresholds) is checked against an independent statement of them,
/// not against its own helpers.
mod rules {
    /// Working days of `start..=end` (days since 1970-01-01, a Thursday): Monday to Friday
    /// and not a holiday.
    pub fn working_days(start: i32, end: i32, holidays: &[i32]) -> Vec<i32> {
        (start..=end)
            .filter(|d| (d + 3).rem_euclid(7) < 5 && !holidays.contains(d))
            .collect()
    }

    fn gcd(mut a: u64, mut b: u64) -> u64 {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    }

    /// The rotation step for n eligible staff: start from 0.618·n rounded half up, kept
    /// within 1..n-1, and move outwards (up first, then down) to the first value coprime
    /// with n. One person (or none) does not rotate: step 0.
    pub fn step(n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let g = ((n as f64 * 0.618_033_988_75 + 0.5).floor() as u64).clamp(1, n - 1);
        for k in 0..n {
            for s in [g + k, g.wrapping_sub(k)] {
                if s >= 1 && s < n && gcd(s, n) == 1 {
                    return s;
                }
            }
        }
        unreachable!("1 is coprime with every n")
    }

    /// Staff at home in a unit: share × base rounded down ("at most") or up ("at least"),
    /// in exact integers from the share in millionths (every share in these tests has at
    /// most six decimals), capped at the n eligible.
    pub fn at_home(share: f64, base: u64, at_least: bool, n: u64) -> u64 {
        let millionths = (share * 1e6).round();
        assert!(
            (share * 1e6 - millionths).abs() < 1e-6,
            "{share} has more than six decimals"
        );
        let num = millionths as u64 * base;
        let k = if at_least {
            num.div_ceil(1_000_000)
        } else {
            num / 1_000_000
        };
        k.min(n)
    }

    /// A probability p as a bound on 32-bit draws: a draw below p·2^32 rounded half up
    /// happens with probability p (p = 1: every draw).
    pub fn bound(p: f64) -> u64 {
        (p.clamp(0.0, 1.0) * 4_294_967_296.0 + 0.5).floor() as u64
    }

    /// Rotation: slot `slot` of n is in the block of k at home on working day `d` when it
    /// lies in d·step mod n .. +k, wrapping round.
    pub fn in_block(slot: u64, d: u64, step: u64, n: u64, k: u64) -> bool {
        block_position(slot, d, step, n) < k
    }

    /// Where slot `slot` lies counted from the start of day `d`'s block.
    pub fn block_position(slot: u64, d: u64, step: u64, n: u64) -> u64 {
        (slot + n - d * step % n) % n
    }

    /// A probability p as a bound on the 16-bit lanes: a lane below p·2^16 rounded half up
    /// happens with probability p; None when every lane is below it.
    pub fn bound16(p: f64) -> Option<u64> {
        let b = (p.clamp(0.0, 1.0) * 65_536.0 + 0.5).floor() as u64;
        (b < 65_536).then_some(b)
    }

    /// The draws of a run of members come in groups of four from its first member: member
    /// `pos` of the run takes lane pos mod 4 of the 64-bit draw of member pos - pos mod 4.
    pub fn lane(bits: u64, pos: u64) -> u64 {
        (bits >> (16 * (pos % 4))) & 0xFFFF
    }
}

/// The plain per-agent-day loop the engine must agree with exactly: every covered unit,
/// every eligible member in slot order, every working day, the rotation slot computed
/// with a modulo and every draw made, straight from the population and the scenario,
/// by the rules above.
fn direct_reference(
    sc: &wfhsim_core::scenario::Scenario,
    pop: &wfhsim_core::population::Population,
    seed: u64,
    replicate: u32,
    compliance: &[f64],
) -> Vec<u32> {
    use wfhsim_core::rng::{Stream, StreamKey};
    use wfhsim_core::scenario::{Assignment, ShareBase, ShareRule};
    let ds = dataset();
    let holidays: Vec<i32> = ds.holidays().iter().map(|d| d.0).collect();
    let days = rules::working_days(sc.start.0, sc.end.0, &holidays);
    let n_cells = pop.n_regions * pop.n_regions * pop.n_modes;
    let mut out = vec![0u32; days.len() * n_cells];
    let assign = StreamKey::new(seed, replicate, Stream::Assignment);
    let comply = StreamKey::new(seed, replicate, Stream::Compliance);
    let covers = |list: &[usize], r: usize| list.is_empty() || list.contains(&r);
    for u in &pop.units {
        for (pi, p) in sc.policies.iter().enumerate() {
            if !p.employers.contains(&(u.employer as usize))
                || !covers(&p.work_regions, u.work as usize)
            {
                continue;
            }
            let home: Vec<u32> = (u.start..u.start + u.len)
                .filter(|&a| {
                    covers(
                        &p.home_regions,
                        pop.agents[a as usize].od as usize / pop.n_regions,
                    )
                })
                .collect();
            let elig: Vec<u32> = home
                .iter()
                .copied()
                .filter(|&a| !p.exempt[pop.agents[a as usize].role as usize])
                .collect();
            let n = elig.len() as u64;
            if n == 0 {
                continue;
            }
            let base = match p.share_base {
                ShareBase::Unit => home.len(),
                ShareBase::Eligible => elig.len(),
            } as u64;
            let step = rules::step(n);
            let tc = rules::bound16(compliance[pi]);
            for (d, &day) in days.iter().enumerate() {
                let share = p
                    .windows
                    .iter()
                    .find(|w| w.from.0 <= day && day <= w.to.0)
                    .map_or(0.0, |w| w.share);
                if share <= 0.0 {
                    continue;
                }
                let k = rules::at_home(share, base, p.share_rule == ShareRule::Target, n);
                for (slot, &a) in elig.iter().enumerate() {
                    // The member's place in the day's run and the first member of its group.
                    let (pos, first) = match p.assignment {
                        Assignment::Rotation => {
                            let pos = rules::block_position(slot as u64, d as u64, step, n);
                            let first_pos = pos - pos % 4;
                            (pos, elig[((first_pos + d as u64 * step % n) % n) as usize])
                        }
                        Assignment::RandomDaily => (slot as u64, elig[slot - slot % 4]),
                    };
                    let draw = |key: StreamKey| rules::lane(key.agent_day_bits(first, day), pos);
                    let assigned = match p.assignment {
                        Assignment::Rotation => rules::in_block(slot as u64, d as u64, step, n, k),
                        Assignment::RandomDaily => {
                            rules::bound16(share).is_none_or(|b| draw(assign) < b)
                        }
                    };
                    if assigned && tc.is_none_or(|b| draw(comply) < b) {
                        let ag = pop.agents[a as usize];
                        out[d * n_cells + ag.od as usize * pop.n_modes + ag.mode as usize] += 1;
                    }
                }
            }
        }
    }
    out
}

#[test]
fn reference_rules_by_hand() {
    // Working days of 1-10 Sep 2023 (19,601 = Friday 1 Sep), no holiday: 1, 4-8 Sep.
    assert_eq!(
        rules::working_days(19_601, 19_610, &[]),
        vec![19_601, 19_604, 19_605, 19_606, 19_607, 19_608]
    );
    assert_eq!(rules::working_days(19_601, 19_610, &[19_604]).len(), 5);
    // 0.618 × 10 = 6.2 → 6, not coprime with 10; 7 is. 0.618 × 12 = 7.4 → 7.
    assert_eq!(
        (rules::step(10), rules::step(12), rules::step(2)),
        (7, 7, 1)
    );
    // 0.618 × 6 = 3.7 → 4 (gcd 2), then 5.
    assert_eq!(rules::step(6), 5);
    // "At most 75%" of 3 is 2, "at least" is 3; 0.7 × 10 is 7 either way.
    assert_eq!(rules::at_home(0.75, 3, false, 3), 2);
    assert_eq!(rules::at_home(0.75, 3, true, 3), 3);
    assert_eq!(rules::at_home(0.7, 10, true, 10), 7);
    assert_eq!(
        rules::at_home(0.5, 10, false, 4),
        4,
        "capped at the eligible"
    );
    assert_eq!(rules::bound(0.5), 1 << 31);
    assert_eq!(rules::bound(1.0), 1 << 32);
    assert_eq!(rules::bound16(0.5), Some(1 << 15));
    assert_eq!(rules::bound16(0.85), Some(55_706));
    assert_eq!(rules::bound16(1.0), None);
    assert_eq!(rules::lane(0x0004_0003_0002_0001, 6), 3);
    // With step 7 of 10, day 1's block of 5 starts at slot 7: 7, 8, 9, 0, 1.
    let block: Vec<u64> = (0..10)
        .filter(|&s| rules::in_block(s, 1, 7, 10, 5))
        .collect();
    assert_eq!(block, vec![0, 1, 7, 8, 9]);
}

#[test]
fn engine_equals_the_direct_per_agent_day_loop() {
    let ds = dataset();
    let pop = population(ds, 0.02, 8);
    let two_levels = "[{ from = 2023-08-21, to = 2023-09-03, share = 0.5 }, { from = 2023-09-04, to = 2023-09-07, share = 0.75 }, { from = 2023-09-08, to = 2023-10-06, share = 0.5 }]";
    let cases = [
        one_policy(
            r#"["dki", "central", "bumn_bumd"]"#,
            DKI_EXEMPT,
            "rotation",
            "ceiling",
            "{ central = 0.7 }",
            two_levels,
        ),
        one_policy(
            r#"["private_formal", "kota_bekasi"]"#,
            r#"["onsite"]"#,
            "rotation",
            "target",
            "{ central = 1.0 }",
            two_levels,
        ),
        one_policy(
            r#"["dki", "informal"]"#,
            DKI_EXEMPT,
            "random_daily",
            "ceiling",
            "{ central = 0.6 }",
            two_levels,
        ),
        one_policy(
            r#"["central"]"#,
            "[]",
            "random_daily",
            "target",
            "{ central = 1.0 }",
            "[{ from = 2023-09-04, to = 2023-09-15, share = 1.0 }, { from = 2023-09-18, to = 2023-09-29, share = 0.3 }]",
        ),
        one_policy(
            r#"["dki"]"#,
            DKI_EXEMPT,
            "rotation",
            "ceiling",
            "{ central = 0.85 }",
            two_levels,
        )
        .replace("share_rule", "share_base = \"eligible\"\nshare_rule")
        .replace(
            "[[policy]]",
            "[[policy]]\nhome_regions = [\"kota_depok\", \"jakarta_selatan\", \"kab_bogor\"]",
        ),
    ];
    // Two policies for one employer on consecutive dates (two plans per unit), the first
    // for some home regions only.
    let two_policies = one_policy(
        r#"["dki"]"#,
        DKI_EXEMPT,
        "rotation",
        "ceiling",
        "{ central = 0.9 }",
        "[{ from = 2023-08-21, to = 2023-09-07, share = 0.75 }]",
    )
    .replace(
        "[[policy]]",
        "[[policy]]\nhome_regions = [\"kota_bekasi\", \"jakarta_timur\"]",
    ) + r#"
[[policy]]
name = "q"
employers = ["dki", "central"]
exempt_roles = ["health"]
assignment = "random_daily"
share_rule = "target"
compliance = { central = 0.5 }
schedule = [{ from = 2023-09-08, to = 2023-10-20, share = 0.4 }]
"#;
    for (i, text) in cases.iter().chain([&two_policies]).enumerate() {
        let sc = scenario(ds, text);
        let c: Vec<f64> = sc.policies.iter().map(|p| p.compliance.central).collect();
        let plan = compile(&sc, &pop, &ds.holidays());
        let rep = i as u32 * 3;
        let want = direct_reference(&sc, &pop, 77, rep, &c);
        assert!(total(&want) > 0, "the case exercises something:\n{text}");
        let got = run_replicate(&plan, 77, rep, &c);
        assert!(
            got == want,
            "engine differs from the direct loop for\n{text}"
        );
    }
}

/// Counted per policy, the engine draws the same members home: summed over the policies,
/// the per-policy counts are the per-cell counts, and the second policy's block is empty
/// on the days outside its own window.
#[test]
fn counts_per_policy_add_up_to_the_counts_per_cell() {
    use wfhsim_core::engine::run_replicate_by_policy;
    let ds = dataset();
    let pop = population(ds, 0.05, 3);
    let second = one_policy(
        r#"["central"]"#,
        "[]",
        "random_daily",
        "ceiling",
        "{ central = 0.7 }",
        "[{ from = 2023-09-01, to = 2023-09-15, share = 0.5 }]",
    );
    let block = &second[second.find("[[policy]]").unwrap()..];
    let sc = scenario(
        ds,
        &format!("{}{}", dki_at_half(), block.replace("\"p\"", "\"q\"")),
    );
    let plan = compile(&sc, &pop, &ds.holidays());
    let (nc, days) = (plan.n_cells, plan.days.len());
    let compliance = [1.0, 0.7];
    let by_cell = run_replicate(&plan, 8, 1, &compliance);
    let by_policy = run_replicate_by_policy(&plan, 8, 1, &compliance);
    assert_eq!(by_policy.len(), days * 2 * nc);
    for d in 0..days {
        for c in 0..nc {
            let (a, b) = (by_policy[(d * 2) * nc + c], by_policy[(d * 2 + 1) * nc + c]);
            assert_eq!(a + b, by_cell[d * nc + c], "day {d}, cell {c}");
        }
        let central: u64 = total(&by_policy[(d * 2 + 1) * nc..(d * 2 + 2) * nc]);
        let in_window = plan.days[d] >= Date::parse("2023-09-01").unwrap()
            && plan.days[d] <= Date::parse("2023-09-15").unwrap();
        assert_eq!(central > 0, in_window, "{:?}", plan.days[d]);
    }
}
