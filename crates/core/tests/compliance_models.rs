//! The compliance models on synthetic plans whose answers are known in closed form: units
//! of m members, everyone assigned (share 1), compliance c fixed.
//!
//! - `clustered`: a unit's at-home count is beta-binomial, so the total's variance over
//!   replicates is N·c(1 − c)·(1 + (m − 1)·rho) (the design effect); rho = 0 is `iid`
//!   bit for bit.
//! - `persistent`: a member is home every day or never (no ramp), and under a rising ramp
//!   the compliers of a day stay compliers; its types are keyed by the agent, so a plan
//!   holding the member elsewhere gives it the same type.
//! - the ramp: the expected count on the order's working day j is N·c·ramp(j).

use super::common::{dataset, one_policy, scenario};
use wfhsim_core::calendar::Date;
use wfhsim_core::engine::{Compliance, run_replicate};
use wfhsim_core::policy::{Plan, PolicyDays, UnitPlan, rotation_step};
use wfhsim_core::scenario::{
    Assignment, ComplianceModel, Range, ShareRule, Uptake, parse_scenario,
};

/// `n_units` units of `m` members each (agents `first_agent..`), all under one policy at
/// share 1 on `days` working days (the order's days 0, 1, ...), rotation, with the given
/// model. Each member has its own output cell when `cell_per_member`, else all share cell 0.
fn plan(
    n_units: u32,
    m: u32,
    days: u32,
    model: ComplianceModel,
    first_agent: u32,
    cell_per_member: bool,
) -> Plan {
    let n = (n_units * m) as usize;
    let uptake = Uptake {
        model,
        ..Uptake::IID
    };
    let pd = PolicyDays {
        shares: vec![1.0; days as usize],
        levels: vec![1.0],
        day_level: vec![1; days as usize],
        rule: ShareRule::Ceiling,
        assignment: Assignment::Rotation,
        compliance: Range::point(0.5),
        uptake,
        order_day: (0..days).collect(),
    };
    let units: Vec<UnitPlan> = (0..n_units)
        .map(|i| UnitPlan {
            policy: 0,
            unit: first_agent / m + i,
            size: m,
            first: i * m,
            n_eligible: m,
            step: rotation_step(m),
            k_first: i,
        })
        .collect();
    let chunks = (0..n_units as usize)
        .step_by(200)
        .map(|s| s..(s + 200).min(n_units as usize))
        .collect();
    Plan {
        days: (0..days as i32).map(|d| Date(19_590 + d)).collect(),
        n_cells: if cell_per_member { n } else { 1 },
        policies: vec![pd],
        units,
        agents: (first_agent..first_agent + n as u32).collect(),
        cells: (0..n)
            .map(|i| if cell_per_member { i as u16 } else { 0 })
            .collect(),
        unit_k: vec![m; n_units as usize],
        mass: Vec::new(),
        chunks,
        covered_workers: n as u64,
        eligible_workers: n as u64,
        eligible_agent_days: n as u64 * days as u64,
        covered_agent_days: n as u64 * days as u64,
    }
}

fn drawn(share: f64, rho: f64) -> Compliance {
    Compliance {
        share,
        rho,
        ..Compliance::from(share)
    }
}

/// Mean and standard deviation over replicates of the one-day total at home.
fn moments(plan: &Plan, c: Compliance, replicates: u32) -> (f64, f64) {
    let xs: Vec<f64> = (0..replicates)
        .map(|r| run_replicate(plan, 7, r, &[c])[0] as f64)
        .collect();
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64;
    (mean, var.sqrt())
}

#[test]
fn clustered_widens_the_band_by_the_design_effect() {
    let (units, m, c, reps) = (1_000u32, 20u32, 0.6, 800u32);
    let n = (units * m) as f64;
    let binomial_sd = (n * c * (1.0 - c)).sqrt();
    let p = plan(units, m, 1, ComplianceModel::Clustered, 0, false);
    for rho in [0.05, 0.3] {
        let (mean, sd) = moments(&p, drawn(c, rho), reps);
        let want_sd = binomial_sd * (1.0 + (m as f64 - 1.0) * rho).sqrt();
        // The mean is N·c whatever rho (four standard errors of the mean).
        let se_mean = want_sd / (reps as f64).sqrt();
        assert!(
            (mean - n * c).abs() < 4.0 * se_mean,
            "rho {rho}: mean {mean}"
        );
        assert!(
            (sd / want_sd - 1.0).abs() < 0.10,
            "rho {rho}: sd {sd}, design effect says {want_sd}"
        );
    }
    // iid: the binomial's own spread.
    let iid = plan(units, m, 1, ComplianceModel::Iid, 0, false);
    let (_, sd) = moments(&iid, drawn(c, 0.0), reps);
    assert!(
        (sd / binomial_sd - 1.0).abs() < 0.10,
        "iid sd {sd} vs {binomial_sd}"
    );
}

#[test]
fn clustered_at_rho_zero_is_iid_bit_for_bit_and_tends_to_it() {
    let iid = plan(300, 12, 3, ComplianceModel::Iid, 0, false);
    let clu = plan(300, 12, 3, ComplianceModel::Clustered, 0, false);
    for r in 0..20 {
        assert_eq!(
            run_replicate(&clu, 3, r, &[drawn(0.7, 0.0)]),
            run_replicate(&iid, 3, r, &[drawn(0.7, 0.0)]),
            "replicate {r}"
        );
    }
    // rho → 0: the spread tends to the binomial's (design effect 1 + 19·0.001 ≈ 1.02).
    let (units, m, c) = (1_000u32, 20u32, 0.6);
    let p = plan(units, m, 1, ComplianceModel::Clustered, 0, false);
    let (_, sd) = moments(&p, drawn(c, 0.001), 800);
    let want = ((units * m) as f64 * c * (1.0 - c) * (1.0 + 19.0 * 0.001)).sqrt();
    assert!((sd / want - 1.0).abs() < 0.10, "sd {sd} vs {want}");
}

#[test]
fn persistent_types_hold_for_the_order_nest_under_a_ramp_and_follow_the_agent() {
    let (units, m, days) = (40u32, 10u32, 6u32);
    let n = (units * m) as usize;
    let p = plan(units, m, days, ComplianceModel::Persistent, 1_000, true);
    // No ramp: each member is home on every day or on none.
    let counts = run_replicate(&p, 5, 2, &[0.5]);
    let day = |d: usize| &counts[d * n..(d + 1) * n];
    for d in 1..days as usize {
        assert_eq!(day(d), day(0), "day {d}");
    }
    let home = day(0).iter().filter(|&&x| x == 1).count() as f64;
    // About half (five standard deviations of a binomial of 400).
    assert!((home - 200.0).abs() < 5.0 * 10.0, "{home}");
    // A rising ramp: a member home on day j is home on day j + 1.
    let ramp = Compliance {
        share: 0.8,
        rho: 0.0,
        ramp_days: 4.0,
        ramp_from: 0.25,
    };
    let counts = run_replicate(&p, 5, 2, &[ramp]);
    let day = |d: usize| &counts[d * n..(d + 1) * n];
    for d in 1..days as usize {
        assert!(
            day(d - 1).iter().zip(day(d)).all(|(a, b)| a <= b),
            "day {d}"
        );
    }
    assert!(day(0).iter().sum::<u32>() < day(4).iter().sum::<u32>());
    // The same agents in a plan that starts 100 members later: the same types.
    let later = plan(units, m, 1, ComplianceModel::Persistent, 900, true);
    let shifted = run_replicate(&later, 5, 2, &[0.5]);
    let again = run_replicate(&p, 5, 2, &[0.5]);
    assert_eq!(&shifted[100..n], &again[..n - 100]);
    // iid, for contrast, redraws each day.
    let iid = plan(units, m, 2, ComplianceModel::Iid, 1_000, true);
    let c = run_replicate(&iid, 5, 2, &[0.5]);
    assert_ne!(&c[..n], &c[n..2 * n]);
}

#[test]
fn the_ramp_scales_each_days_mean() {
    // 20,000 members over 8 order days, c = 0.7, ramp from 0.2 over 5 days: day j's
    // expected count is N·0.7·min(1, 0.2 + 0.8·j/5). Each model keeps the ramp's means.
    let (units, m, days) = (1_000u32, 20u32, 8u32);
    let n = (units * m) as f64;
    let ramp = Compliance {
        share: 0.7,
        rho: 0.2,
        ramp_days: 5.0,
        ramp_from: 0.2,
    };
    for model in [
        ComplianceModel::Iid,
        ComplianceModel::Persistent,
        ComplianceModel::Clustered,
    ] {
        let p = plan(units, m, days, model, 0, false);
        let reps = 40u32;
        let mut sums = vec![0.0; days as usize];
        for r in 0..reps {
            for (s, &x) in sums.iter_mut().zip(&run_replicate(&p, 11, r, &[ramp])) {
                *s += x as f64 / reps as f64;
            }
        }
        for (j, &mean) in sums.iter().enumerate() {
            let q = 0.7 * (0.2 + 0.8 * j as f64 / 5.0).min(1.0);
            // The clustered model's spread is the widest: 1 + 19·0.2 = 4.8 × binomial.
            let se = (n * q * (1.0 - q) * 4.8 / reps as f64).sqrt();
            assert!(
                (mean - n * q).abs() < 5.0 * se + 1.0,
                "{model:?} day {j}: {mean} vs {}",
                n * q
            );
        }
    }
}

#[test]
fn a_scenarios_compliance_model_and_ramp_are_read_and_checked() {
    let ds = dataset();
    let text = |c: &str| {
        one_policy(
            r#"["dki"]"#,
            "[]",
            "rotation",
            "ceiling",
            c,
            "[{ from = 2023-08-21, to = 2023-10-21, share = 0.5 }]",
        )
    };
    let sc = scenario(
        ds,
        &text(
            "{ central = 0.6, low = 0.25, high = 1.0, model = \"clustered\", rho = { central = 0.3, low = 0.1, high = 0.6 }, ramp_days = 10, ramp_from = { central = 0.43, low = 0.25, high = 1.0 } }",
        ),
    );
    let u = sc.policies[0].uptake;
    assert_eq!(u.model, ComplianceModel::Clustered);
    assert_eq!(
        u.rho,
        Range {
            central: 0.3,
            low: 0.1,
            high: 0.6
        }
    );
    assert_eq!(u.ramp_days, Range::point(10.0));
    assert_eq!(u.ramp_from.low, 0.25);
    // Without the new keys: iid, no ramp.
    let plain = scenario(ds, &text("{ central = 0.85 }"));
    assert_eq!(plain.policies[0].uptake, Uptake::IID);
    let err = |c: &str| {
        parse_scenario("f.toml", &text(c), ds)
            .unwrap_err()
            .to_string()
    };
    let e = err("{ central = 0.6, model = \"clustred\" }");
    assert!(
        e.contains("policy[0].compliance.model: 'clustred' is not allowed; use one of 'iid', 'persistent', 'clustered'"),
        "{e}"
    );
    let e = err("{ central = 0.6, model = \"clustered\" }");
    assert!(
        e.contains("policy[0].compliance.rho: missing; model = \"clustered\" needs rho"),
        "{e}"
    );
    let e = err("{ central = 0.6, model = \"clustered\", rho = 1.5 }");
    assert!(
        e.contains("policy[0].compliance.rho.central: 1.5 is outside 0..1: rho is a correlation between two staff of a unit (0 = independent)"),
        "{e}"
    );
    let e = err("{ central = 0.6, ramp_days = 10 }");
    assert!(
        e.contains("policy[0].compliance.ramp_from: missing; ramp_days needs ramp_from"),
        "{e}"
    );
    let e =
        err("{ central = 0.6, ramp_days = { central = 5, low = 8, high = 9 }, ramp_from = 0.5 }");
    assert!(
        e.contains(
            "policy[0].compliance.ramp_days: low 8 is above central 5; needs low <= central <= high"
        ),
        "{e}"
    );
    let e = err("{ central = 0.6, ramp_days = 400, ramp_from = 0.5 }");
    assert!(
        e.contains("policy[0].compliance.ramp_days.central: 400 is outside 0..260"),
        "{e}"
    );
    let e = err("{ central = 0.6, ramp_days = 5, ramp_from = \"30%\" }");
    assert!(
        e.contains("policy[0].compliance.ramp_from: expected a number, found the string \"30%\""),
        "{e}"
    );
}

/// `dki-2023`'s own plan (its real work units at scale 0.1, rotation, each unit's 50%
/// counted down as SE Sekda 34/2023 says): with compliance held at `c`, the one-day total
/// at home under `clustered` spreads by the design effect of those units,
/// Var = c(1 − c)·(Σ m + ρ·Σ m(m − 1)), m each unit's staff at home that day — within 10%
/// of the standard deviation, at two values of ρ; `iid` by the binomial's alone.
#[test]
fn dki_2023_clustered_spreads_by_its_units_design_effect() {
    let ds = dataset();
    let pop = super::common::population(ds, 0.1, 7);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/dki-2023.toml");
    let sc = scenario(ds, &std::fs::read_to_string(path).unwrap());
    let plan = wfhsim_core::policy::compile(&sc, &pop, &ds.holidays());
    let day = plan
        .days
        .iter()
        .position(|d| *d == Date::from_ymd(2023, 8, 22).unwrap())
        .unwrap();
    let m: Vec<f64> = plan
        .units
        .iter()
        .map(|u| {
            let k = wfhsim_core::policy::unit_count(0.5, u.size, ShareRule::Ceiling);
            k.min(u.n_eligible) as f64
        })
        .collect();
    let (sum_m, sum_mm) = (
        m.iter().sum::<f64>(),
        m.iter().map(|m| m * (m - 1.0)).sum::<f64>(),
    );
    let total = |c: Compliance, r: u32| -> f64 {
        let counts = run_replicate(&plan, 11, r, &[c]);
        counts[day * plan.n_cells..(day + 1) * plan.n_cells]
            .iter()
            .map(|&x| x as f64)
            .sum()
    };
    // DKI's units are large enough for the clustering to matter: at ρ = 0.3 the variance
    // is more than twice the binomial's (so `iid` behaviour would fail below).
    assert!(1.0 + 0.3 * sum_mm / sum_m > 2.0, "{sum_m} {sum_mm}");
    // Everyone complying puts exactly Σ m at home: the m are the plan's own.
    assert_eq!(total(Compliance::from(1.0), 0), sum_m);
    let (c, reps) = (0.6, 400u32);
    for rho in [0.0, 0.1, 0.3] {
        let xs: Vec<f64> = (0..reps).map(|r| total(drawn(c, rho), r)).collect();
        let mean = xs.iter().sum::<f64>() / reps as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
        let want = (c * (1.0 - c) * (sum_m + rho * sum_mm)).sqrt();
        assert!(
            (sd / want - 1.0).abs() < 0.10,
            "rho {rho}: sd {sd}, design effect says {want} (Σm {sum_m}, Σm(m−1) {sum_mm})"
        );
    }
}
