//! Shipped scenarios are valid; wrong ones are refused with messages that name the file,
//! the key, the bad value and what is allowed.

mod common;

use common::*;
use wfhsim::scenario::{BENCHMARK_SCENARIO, BUILTIN_SCENARIOS, builtin_scenarios, parse_scenario};

#[test]
fn every_shipped_scenario_is_valid_and_compiled_in() {
    let ds = dataset();
    let all = builtin_scenarios(ds).unwrap();
    assert!(all.len() >= 9);
    let mut on_disk: Vec<String> = std::fs::read_dir("scenarios")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| f.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut builtin: Vec<String> = BUILTIN_SCENARIOS
        .iter()
        .chain([&BENCHMARK_SCENARIO])
        .map(|(f, _)| f.to_string())
        .collect();
    builtin.sort();
    assert_eq!(
        on_disk, builtin,
        "every file in scenarios/ is part of the default study, or the benchmark"
    );
    let bench = parse_scenario(BENCHMARK_SCENARIO.0, BENCHMARK_SCENARIO.1, ds).unwrap();
    assert_eq!(format!("{}.toml", bench.name), BENCHMARK_SCENARIO.0);
    assert!(all.iter().all(|s| s.name != bench.name));
    for (s, (f, _)) in all.iter().zip(BUILTIN_SCENARIOS) {
        assert_eq!(format!("{}.toml", s.name), f, "file name = scenario name");
        assert!(!s.title.is_empty() && !s.policies.is_empty());
    }
}

fn errors(text: &str) -> String {
    parse_scenario("bad.toml", text, dataset())
        .unwrap_err()
        .to_string()
}

const GOOD: &str = r#"schema_version = 1
name = "ok"
title = "ok"
[period]
start = 2023-08-01
end = 2023-10-31
[[policy]]
name = "p"
employers = ["dki"]
exempt_roles = ["health"]
assignment = "rotation"
share_rule = "ceiling"
compliance = { central = 0.9, low = 0.8, high = 1.0 }
schedule = [{ from = 2023-08-21, to = 2023-09-03, share = 0.5 }, { from = 2023-09-04, to = 2023-09-07, share = 0.75 }]
"#;

#[test]
fn the_template_is_valid() {
    let s = parse_scenario("ok.toml", GOOD, dataset()).unwrap();
    assert_eq!(s.policies[0].windows.len(), 2);
}

#[test]
fn unknown_key_is_named_with_its_line() {
    let e = errors(&GOOD.replace("share_rule", "share_rul"));
    assert!(
        e.starts_with(
            "bad.toml:12:1: policy[0]: unknown key 'share_rul'; did you mean 'share_rule'?"
        ),
        "{e}"
    );
    assert_eq!(
        e.lines().count(),
        1,
        "share_rule is not reported missing too: {e}"
    );
}

#[test]
fn unknown_names_suggest_the_nearest() {
    let e = errors(
        &GOOD
            .replace(r#"["dki"]"#, r#"["dky"]"#)
            .replace(r#"["health"]"#, r#"["helth"]"#),
    );
    assert!(
        e.contains(
            "bad.toml:9:14: policy[0].employers[0]: unknown employer 'dky'; did you mean 'dki'?"
        ),
        "{e}"
    );
    assert!(
        e.contains(
            "bad.toml:10:17: policy[0].exempt_roles[0]: unknown role 'helth'; did you mean 'health'?"
        ),
        "{e}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let e = errors(
        &GOOD
            .replace("share = 0.75", "share = 75")
            .replace("to = 2023-09-03", "to = 2023-08-01")
            .replace("central = 0.9, low = 0.8", "central = 0.9, low = 0.95"),
    );
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(lines.len(), 3, "{e}");
    assert_eq!(
        lines[0],
        "bad.toml:13:14: policy[0].compliance: low 0.95 is above central 0.9; needs low <= central <= high"
    );
    assert_eq!(
        lines[1],
        "bad.toml:14:39: policy[0].schedule[0].to: 2023-08-01 is before from = 2023-08-21; a window runs from its first to its last day"
    );
    assert_eq!(
        lines[2],
        "bad.toml:14:112: policy[0].schedule[1].share: 75 is outside 0..1: a share is a fraction, 0.5 means 50%; did you mean 0.75?"
    );
}

#[test]
fn overlapping_windows_and_policies_are_refused() {
    let e = errors(&GOOD.replace("to = 2023-09-03", "to = 2023-09-05"));
    assert!(
        e.contains("policy[0].schedule[1]: 2023-09-04..2023-09-07 (share 0.75) overlaps schedule[0] 2023-08-21..2023-09-05 (share 0.5) on 2023-09-04..2023-09-05"),
        "{e}"
    );
    let twice = format!("{GOOD}{}", &GOOD[GOOD.find("[[policy]]").unwrap()..]);
    let e = errors(&twice);
    assert!(
        e.contains("policy[1]: 'p' covers employer 'dki' on 2023-08-21..2023-09-03 (share 0.5), as policy[0] 'p' does (share 0.5)"),
        "{e}"
    );
}

#[test]
fn other_refusals() {
    assert!(
        errors(&GOOD.replace("schema_version = 1", "schema_version = 2"))
            .contains("schema_version: 2 is not supported")
    );
    assert!(
        errors(&GOOD.replace("\"rotation\"", "\"rotate\""))
            .contains("'rotate' is not allowed; use one of 'rotation', 'random_daily'")
    );
    assert!(
        errors(&GOOD.replace("end = 2023-10-31", "end = 2024-03-31"))
            .contains("outside the years the holiday calendar covers (2023..2023)")
    );
    let no_policy = &GOOD[..GOOD.find("[[policy]]").unwrap()];
    assert!(
        errors(no_policy).contains("bad.toml: policy: a scenario needs at least one [[policy]]")
    );
    assert!(
        errors(&GOOD.replace("start = 2023-08-01", "start = \"2023-08-01\""))
            .contains("bad.toml:5:9: period.start: expected a date, found the string \"2023-08-01\"; write dates without quotes")
    );
    let ov = GOOD.replace(
        "[[policy]]",
        "[parameters]\n\"population.kota_depok\" = 5\n\"ef.car.co22\" = 1\n[[policy]]",
    );
    let e = errors(&ov);
    assert!(
        e.contains("'population.kota_depok' shapes the shared population and cannot be overridden"),
        "{e}"
    );
    assert!(
        e.contains(
            "unknown parameter 'ef.car.co22'; did you mean 'ef.car.co2'? (`wfhsim data` lists them)"
        ),
        "{e}"
    );
}

#[test]
fn overrides_that_would_break_the_accounting_are_refused() {
    let e = errors(&GOOD.replace(
        "[[policy]]",
        "[parameters]\n\"occupancy.car\" = 0\n\"ef.car.co2\" = { value = 200.0, low = -5.0 }\n[[policy]]",
    ));
    assert!(
        e.contains(
            "bad.toml:8:19: parameters.\"occupancy.car\": value 0 (low none, high none) must be between 0.01 and 10000, with low <= value <= high"
        ),
        "{e}"
    );
    assert!(
        e.contains(
            "bad.toml:9:16: parameters.\"ef.car.co2\": value 200 (low -5, high none) must be between 0 and 1e6, with low <= value <= high"
        ),
        "{e}"
    );
    // Huge factors would overflow the accounting mid-run: refused here instead.
    let e = errors(&GOOD.replace(
        "[[policy]]",
        "[parameters]\n\"ef.car.co2\" = 1e308\n[[policy]]",
    ));
    assert!(
        e.contains(
            "bad.toml:8:16: parameters.\"ef.car.co2\": value 1e308 (low none, high none) must be between 0 and 1e6, with low <= value <= high"
        ),
        "{e}"
    );
}

#[test]
fn parameter_overrides_reach_the_accounting() {
    let ds = dataset();
    let s = parse_scenario("o.toml", &GOOD.replace("[[policy]]", "[parameters]\n\"ef.motorcycle.co2\" = { value = 50.0, low = 40.0, high = 60.0 }\n[[policy]]"), ds).unwrap();
    let p = wfhsim::emissions::scenario_params(ds, &s).unwrap();
    assert_eq!(
        p.uncertain("ef.motorcycle.co2").unwrap().range(),
        (40.0, 50.0, 60.0)
    );
}

#[test]
fn the_benchmark_covers_every_worker_for_the_whole_window() {
    let ds = dataset();
    let pop = population(ds, 0.01, 42);
    let (file, text) = BENCHMARK_SCENARIO;
    let sc = parse_scenario(file, text, ds).unwrap();
    let plan = wfhsim::policy::compile(&sc, &pop, &ds.holidays());
    assert_eq!(plan.covered_workers, pop.len() as u64);
    // 21 Aug - 21 Oct 2023: 9 + 21 + 15 = 45 weekdays, minus Maulid Nabi (Thu 28 Sep).
    assert_eq!(plan.days.len(), 44);
    assert_eq!(plan.covered_agent_days, pop.len() as u64 * 44);
}

#[test]
fn plan_counts_each_covered_worker_once_and_only_covered_home_regions() {
    let ds = dataset();
    let pop = population(ds, 0.01, 5);
    // Two policies for the same employer on consecutive dates; the first only for workers
    // living in two regions.
    let text = one_policy(
        r#"["dki"]"#,
        DKI_EXEMPT,
        "rotation",
        "ceiling",
        "{ central = 1.0 }",
        "[{ from = 2023-08-21, to = 2023-09-01, share = 0.5 }]",
    )
    .replace(
        "[[policy]]",
        "[[policy]]\nhome_regions = [\"kota_depok\", \"jakarta_selatan\"]",
    ) + r#"
[[policy]]
name = "q"
employers = ["dki"]
exempt_roles = []
assignment = "rotation"
share_rule = "ceiling"
compliance = { central = 1.0 }
schedule = [{ from = 2023-09-04, to = 2023-09-15, share = 0.5 }]
"#;
    let sc = scenario(ds, &text);
    let plan = wfhsim::policy::compile(&sc, &pop, &ds.holidays());
    let dki = ds.employer_index("dki").unwrap() as u8;
    let home_in = |a: &wfhsim::population::Agent, names: &[&str]| {
        let h = a.od as usize / pop.n_regions;
        names.contains(&ds.regions[h].code.as_str())
    };
    let exempt = |a: &wfhsim::population::Agent| {
        DKI_EXEMPT.contains(&format!("\"{}\"", ds.roles[a.role as usize].code))
    };
    let staff: Vec<_> = pop.agents.iter().filter(|a| a.employer == dki).collect();
    let first = staff
        .iter()
        .filter(|a| home_in(a, &["kota_depok", "jakarta_selatan"]))
        .count() as u64;
    // The second policy covers every DKI worker and exempts nobody: each is counted once.
    assert_eq!(plan.covered_workers, staff.len() as u64);
    assert_eq!(plan.eligible_workers, staff.len() as u64);
    // 21 Aug - 1 Sep and 4 - 15 Sep: 10 working days each (no holiday inside).
    let first_eligible = staff
        .iter()
        .filter(|a| home_in(a, &["kota_depok", "jakarta_selatan"]) && !exempt(a))
        .count() as u64;
    assert_eq!(plan.covered_agent_days, (first + staff.len() as u64) * 10);
    assert_eq!(
        plan.eligible_agent_days,
        (first_eligible + staff.len() as u64) * 10
    );
    assert!(first > 0 && first < staff.len() as u64 && first_eligible < first);
}
