//! Scenarios as values: the shipped set resolves and validates, each shipped variant is its
//! base with exactly the changes its file gives, `extends` merges and refuses as
//! docs/scenarios.md says, a scenario built in code is checked by the same validator, and
//! an extended scenario run next to its base differs only on the days it changes.
//! Word-for-word messages of bad files are checked at the binary level in bad_input.rs.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use wfhsim_core::calendar::Date;
use wfhsim_core::scenario::{
    BENCHMARK_SCENARIO, BUILTIN_SCENARIOS, Problem, Range, Scenario, ShareBase, Uptake, Window,
    builtin_scenarios, load_files, parse_scenario, validate,
};

fn shipped(name: &str) -> Scenario {
    builtin_scenarios(dataset())
        .unwrap()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no shipped scenario {name}"))
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).unwrap()
}

fn roles(names: &[&str]) -> Vec<bool> {
    dataset()
        .roles
        .iter()
        .map(|r| names.contains(&r.code.as_str()))
        .collect()
}

#[test]
fn every_shipped_scenario_is_valid_and_compiled_in() {
    let ds = dataset();
    let all = builtin_scenarios(ds).unwrap();
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
    for (s, (f, text)) in all
        .iter()
        .zip(BUILTIN_SCENARIOS)
        .chain([(&bench, BENCHMARK_SCENARIO)])
    {
        assert_eq!(format!("{}.toml", s.name), f, "file name = scenario name");
        assert!(!s.title.is_empty() && !s.policies.is_empty(), "{f}");
        assert_eq!(validate(s, ds), Vec::<Problem>::new(), "{f}");
        // The file on disk is the one compiled in: loading it gives the same value.
        let from_disk = load_files(&[PathBuf::from("scenarios").join(f)], ds).unwrap();
        assert_eq!(from_disk[0].policies, s.policies, "{f}");
        assert_eq!(
            std::fs::read_to_string(Path::new("scenarios").join(f)).unwrap(),
            text
        );
    }
    let mut names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
    names.push(&bench.name);
    names.sort();
    names.dedup();
    assert_eq!(names.len(), BUILTIN_SCENARIOS.len() + 1, "names are unique");
    assert!(all.iter().all(|s| s.origin.starts_with("builtin:")));
}

/// `variant` equals dki-2023 with its own name, title, description, origin and hash, and
/// `edit` applied.
fn assert_variant(variant: &str, edit: impl FnOnce(&mut Scenario)) {
    let v = shipped(variant);
    let mut expected = shipped("dki-2023");
    expected.name = v.name.clone();
    expected.title = v.title.clone();
    expected.title_id = v.title_id.clone();
    expected.description = v.description.clone();
    expected.origin = format!("builtin:{variant}.toml");
    expected.hash = v.hash.clone();
    edit(&mut expected);
    assert_eq!(v, expected, "{variant}");
}

#[test]
fn shipped_variants_are_dki_2023_with_the_changes_their_files_give() {
    let base = shipped("dki-2023");
    assert_eq!(
        (base.start, base.end),
        (date(2023, 8, 1), date(2023, 10, 31))
    );
    assert_eq!(
        base.policies[0].windows,
        [
            Window {
                from: date(2023, 8, 21),
                to: date(2023, 9, 3),
                share: 0.5
            },
            Window {
                from: date(2023, 9, 4),
                to: date(2023, 9, 7),
                share: 0.75
            },
            Window {
                from: date(2023, 9, 8),
                to: date(2023, 10, 21),
                share: 0.5
            },
        ]
    );
    let dki_exempt = [
        "teacher",
        "health",
        "satpol_pp",
        "fire_rescue",
        "transport_agency",
        "frontline_service",
    ];
    assert_eq!(base.policies[0].exempt, roles(&dki_exempt));

    assert_variant("dki-2023-50-only", |e| {
        e.policies[0].windows = vec![Window {
            from: date(2023, 8, 21),
            to: date(2023, 10, 21),
            share: 0.5,
        }];
    });
    assert_variant("dki-2023-one-month", |e| {
        e.policies[0].windows[2].to = date(2023, 9, 21);
    });
    // A whole `compliance` replaces the base's, model and ramp included: day one's uptake
    // with every worker independent and no ramp.
    assert_variant("dki-2023-day-one-uptake", |e| {
        e.policies[0].compliance = Range {
            central: 0.26,
            low: 0.2,
            high: 0.4,
        };
        e.policies[0].uptake = Uptake::IID;
    });
    assert_variant("narrow-exemptions", |e| {
        e.policies[0].exempt = roles(&["health", "fire_rescue", "satpol_pp"]);
    });
    assert_variant("wide-exemptions", |e| {
        let wide: Vec<&str> = dki_exempt
            .iter()
            .copied()
            .chain(["treasurer", "supervisor", "activity_leader"])
            .collect();
        e.policies[0].exempt = roles(&wide);
        e.policies[0].share_base = ShareBase::Eligible;
    });
    // The two that add policies keep DKI's as it is and append theirs.
    for (variant, added) in [
        (
            "private-sector-joins",
            vec!["Private formal, teleworkable, DKI workplaces"],
        ),
        (
            "jabodetabek-2023-as-implemented",
            vec![
                "Central agencies in DKI",
                "Pemprov Banten",
                "Pemkot Tangerang Selatan",
                "Pemkab Tangerang",
            ],
        ),
    ] {
        let v = shipped(variant);
        let names: Vec<&str> = v.policies.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names[0], "Pemprov DKI ASN");
        assert_eq!(names[1..], added, "{variant}");
        let take_added = v.policies[1..].to_vec();
        assert_variant(variant, |e| e.policies.extend(take_added));
    }
}

#[test]
fn a_scenario_built_in_code_is_checked_on_the_value() {
    let ds = dataset();
    let base = shipped("private-sector-joins");
    assert_eq!(validate(&base, ds), Vec::<Problem>::new());
    type Edit = fn(&mut Scenario);
    let cases: Vec<(Edit, &str, String)> = vec![
        (
            |s| s.policies[0].windows[1].share = 7.5,
            "policy[0].schedule[1].share",
            "7.5 is outside 0..1: a share is a fraction, 0.5 means 50%".into(),
        ),
        (
            |s| s.name = "DKI 2023".into(),
            "name",
            "'DKI 2023' must be non-empty, use only a-z, 0-9 and '-', not begin with '-', and have at most 200 characters".into(),
        ),
        (
            |s| s.end = date(2027, 1, 31),
            "period",
            "2023-08-01..2027-01-31 is outside the years the holiday calendar covers (2015..2026); add holidays to calendar.csv of a dataset folder to go further".into(),
        ),
        (
            |s| s.policies[0].compliance.low = 0.9,
            "policy[0].compliance",
            "low 0.9 is above central 0.6; needs low <= central <= high".into(),
        ),
        (
            |s| s.policies[1].compliance.central = 0.95,
            "policy[1].compliance",
            "central 0.95 is above high 0.9; needs low <= central <= high".into(),
        ),
        (
            |s| s.policies[0].windows[0].to = date(2023, 9, 5),
            "policy[0].schedule[1]",
            "2023-09-04..2023-09-07 (share 0.75) overlaps schedule[0] 2023-08-21..2023-09-05 (share 0.5) on 2023-09-04..2023-09-05; windows of one policy must not overlap: split them, e.g. 0.5 to 3 Sep, 0.75 on 4-7 Sep, 0.5 from 8 Sep".into(),
        ),
        (
            |s| s.policies[1].employers.push(1),
            "policy[1]",
            "'Private formal, teleworkable, DKI workplaces' covers employer 'dki' on 2023-08-21..2023-09-03 (share 0.5), as policy[0] 'Pemprov DKI ASN' does (share 0.5); two policies may not govern the same workers on the same day: give them disjoint dates, work_regions or home_regions".into(),
        ),
        (
            |s| s.policies[0].employers = vec![99],
            "policy[0].employers",
            "employer index 99 is not in the dataset, which has 15 employers".into(),
        ),
        (
            |s| {
                s.policies[0].exempt.pop();
            },
            "policy[0].exempt_roles",
            "10 exemption flags for the 11 roles of the dataset; give one per role".into(),
        ),
        (
            |s| s.policies[0].windows.clear(),
            "policy[0].schedule",
            "list at least one window { from, to, share }".into(),
        ),
        (
            |s| s.policies.clear(),
            "policy",
            "a scenario needs at least one [[policy]] or [[measure]]".into(),
        ),
        (
            |s| {
                s.overrides.push(wfhsim_core::scenario::ParameterOverride {
                    key: "occupancy.car".into(),
                    value: 0.0,
                    low: None,
                    high: None,
                })
            },
            "parameters.\"occupancy.car\"",
            "value 0 (low none, high none) must be between 0.01 and 10000, with low <= value <= high".into(),
        ),
    ];
    for (edit, key, message) in cases {
        let mut s = base.clone();
        edit(&mut s);
        assert_eq!(
            validate(&s, ds),
            vec![Problem::at_key(key, message.as_str())],
            "{key}"
        );
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

/// Refusals of the reader not among the binary-level fixtures of bad_input.rs.
#[test]
fn other_refusals() {
    assert_eq!(
        errors(&GOOD.replace("schema_version = 1", "schema_version = 2")),
        "bad.toml:1:18: schema_version: 2 is not supported; this wfhsim reads schema_version = 1"
    );
    assert_eq!(
        errors(&GOOD.replace("\"rotation\"", "\"rotate\"")),
        "bad.toml:11:14: policy[0].assignment: 'rotate' is not allowed; use one of 'rotation', 'random_daily'"
    );
    assert_eq!(
        errors(&GOOD.replace("end = 2023-10-31", "end = 2027-03-31")),
        "bad.toml:4:1: period: 2023-08-01..2027-03-31 is outside the years the holiday calendar covers (2015..2026); add holidays to calendar.csv of a dataset folder to go further"
    );
    assert_eq!(
        errors(&GOOD.replace("start = 2023-08-01", "start = \"2023-08-01\"")),
        "bad.toml:5:9: period.start: expected a date, found the string \"2023-08-01\"; write dates without quotes: 2023-08-01"
    );
    let ov = GOOD.replace(
        "[[policy]]",
        "[parameters]\n\"population.kota_depok\" = 5\n\"ef.car.co22\" = 1\n[[policy]]",
    );
    assert_eq!(
        errors(&ov),
        "bad.toml:8:27: parameters.\"population.kota_depok\": 'population.kota_depok' shapes the shared population and cannot be overridden per scenario; overridable groups: ef., grid., occupancy., rebound., ridehail.\n\
         bad.toml:9:17: parameters.\"ef.car.co22\": unknown parameter 'ef.car.co22'; did you mean 'ef.car.co2'? (`wfhsim data` lists them)"
    );
}

/// Writes `files` (name, text) into a fresh folder.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = tmp.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    tmp
}

/// The one file's error, with the folder's path replaced by `DIR`.
fn load_error(dir: &Path, file: &str) -> String {
    let e = load_files(&[dir.join(file)], dataset()).unwrap_err();
    e.to_string().replace(&dir.display().to_string(), "DIR")
}

const BASE: &str = r#"schema_version = 1
name = "base"
title = "base"
[period]
start = 2023-08-01
end = 2023-10-31
[accounting]
transit = "average"
rebound = false
[parameters]
"ef.car.co2" = 150.0
"occupancy.car" = { value = 1.5, low = 1.2, high = 1.8 }
[[policy]]
name = "p"
employers = ["dki"]
exempt_roles = ["health"]
assignment = "rotation"
share_rule = "ceiling"
compliance = { central = 0.9, low = 0.8, high = 1.0 }
schedule = [{ from = 2023-08-21, to = 2023-09-03, share = 0.5 }]
"#;

#[test]
fn extends_merges_tables_by_key_and_policies_by_name() {
    let tmp = folder(&[
        ("bases/base.toml", BASE),
        (
            "variant.toml",
            r#"schema_version = 1
extends = "bases/base.toml"
name = "variant"
[period]
end = 2023-09-30
[accounting]
rebound = true
[parameters]
"ef.car.co2" = 120.0
[[policy]]
name = "p"
exempt_roles = []
[[policy]]
name = "q"
employers = ["central"]
assignment = "random_daily"
share_rule = "target"
compliance = { central = 0.5 }
schedule = [{ from = 2023-09-04, to = 2023-09-07, share = 0.75 }]
"#,
        ),
    ]);
    let ds = dataset();
    let base = load_files(&[tmp.path().join("bases/base.toml")], ds).unwrap();
    let v = load_files(&[tmp.path().join("variant.toml")], ds).unwrap();
    let (b, v) = (&base[0], &v[0]);
    assert_eq!((v.name.as_str(), v.title.as_str()), ("variant", "base"));
    // [period] and [accounting] merge key by key.
    assert_eq!((v.start, v.end), (b.start, date(2023, 9, 30)));
    assert_eq!((v.transit, v.rebound), (b.transit, true));
    // [parameters] merges by key; an entry replaces whole.
    let params: Vec<(&str, f64, Option<f64>)> = v
        .overrides
        .iter()
        .map(|o| (o.key.as_str(), o.value, o.low))
        .collect();
    assert_eq!(
        params,
        [
            ("ef.car.co2", 120.0, None),
            ("occupancy.car", 1.5, Some(1.2))
        ]
    );
    // Policy "p" changes only its exemptions; "q" is appended.
    let mut p = b.policies[0].clone();
    p.exempt = roles(&[]);
    assert_eq!(v.policies[0], p);
    assert_eq!(v.policies.len(), 2);
    assert_eq!(v.policies[1].name, "q");
    assert_eq!(v.policies[1].compliance.low, 0.5);
}

#[test]
fn the_hash_of_an_extended_scenario_covers_its_base() {
    use sha2::{Digest, Sha256};
    let variant = "schema_version = 1\nextends = \"base.toml\"\nname = \"v\"\n";
    let tmp = folder(&[("base.toml", BASE), ("v.toml", variant)]);
    let ds = dataset();
    let load = |f: &str| load_files(&[tmp.path().join(f)], ds).unwrap().remove(0);
    let base_hash = format!("{:x}", Sha256::digest(BASE.as_bytes()));
    assert_eq!(load("base.toml").hash, base_hash);
    let mut own = variant.as_bytes().to_vec();
    own.push(0);
    own.extend_from_slice(base_hash.as_bytes());
    let v = load("v.toml");
    assert_eq!(v.hash, format!("{:x}", Sha256::digest(&own)));
    // Editing only the base changes the variant's hash.
    std::fs::write(
        tmp.path().join("base.toml"),
        BASE.replace("\"base\"\n[period]", "\"base, edited\"\n[period]"),
    )
    .unwrap();
    assert_ne!(load("v.toml").hash, v.hash);
}

#[test]
fn extends_refusals_name_the_file_the_key_and_the_base() {
    let bad_base = BASE.replace("share = 0.5 }", "share = 5 }");
    let tmp = folder(&[
        ("base.toml", BASE),
        ("bad-base.toml", &bad_base),
        (
            "unknown.toml",
            "schema_version = 1\nname = \"u\"\nextends = \"dki-2024\"\n",
        ),
        (
            "missing.toml",
            "schema_version = 1\nname = \"m\"\nextends = \"nowhere/base.toml\"\n",
        ),
        (
            "a.toml",
            "schema_version = 1\nname = \"a\"\nextends = \"b.toml\"\n",
        ),
        (
            "b.toml",
            "schema_version = 1\nname = \"b\"\nextends = \"a.toml\"\n",
        ),
        (
            "self.toml",
            "schema_version = 1\nname = \"s\"\nextends = \"./self.toml\"\n",
        ),
        (
            "same-name.toml",
            "schema_version = 1\nextends = \"dki-2023\"\nname = \"dki-2023\"\n",
        ),
        ("no-name.toml", "extends = \"dki-2023\"\ntitle = \"t\"\n"),
        (
            "bad-override.toml",
            "schema_version = 1\nextends = \"base.toml\"\nname = \"o\"\n[[policy]]\nname = \"p\"\nschedule = [{ from = 2023-08-21, to = 2023-09-03, share = 7.5 }]\nexempt_role = []\n",
        ),
        (
            "on-bad-base.toml",
            "schema_version = 1\nextends = \"bad-base.toml\"\nname = \"o\"\n",
        ),
    ]);
    let dir = tmp.path();
    let shipped = "dki-2023, dki-2023-50-only, dki-2023-one-month, dki-2023-day-one-uptake, jabodetabek-2023-as-implemented, inmendagri-full, private-sector-joins, narrow-exemptions, wide-exemptions, bench-all-workers";
    assert_eq!(
        load_error(dir, "unknown.toml"),
        format!(
            "DIR/unknown.toml:3:11: extends: no shipped scenario is named 'dki-2024' (shipped: {shipped}); to extend a file, give its path ending in .toml, relative to this file's folder"
        )
    );
    let missing = load_error(dir, "missing.toml");
    assert!(
        missing.starts_with("DIR/missing.toml:3:11: extends: cannot read the base 'nowhere/base.toml' (DIR/nowhere/base.toml): "),
        "{missing}"
    );
    // A cycle is reported where it closes, after the line of the file being loaded.
    assert_eq!(
        load_error(dir, "a.toml"),
        "DIR/a.toml:3:11: extends: 1 problem is in the scenario this one extends, listed below\n\
         DIR/b.toml:3:11: extends: 'a.toml' leads back to DIR/a.toml (DIR/a.toml -> DIR/b.toml -> DIR/a.toml); a scenario cannot extend itself, directly or through its bases"
    );
    assert_eq!(
        load_error(dir, "self.toml"),
        "DIR/self.toml:3:11: extends: './self.toml' leads back to DIR/self.toml (DIR/self.toml -> DIR/self.toml); a scenario cannot extend itself, directly or through its bases"
    );
    assert_eq!(
        load_error(dir, "same-name.toml"),
        "DIR/same-name.toml:3:8: name: 'dki-2023' is the name of its base builtin:dki-2023.toml; give the variant its own name"
    );
    assert_eq!(
        load_error(dir, "no-name.toml"),
        "DIR/no-name.toml: schema_version: missing; add schema_version = 1\n\
         DIR/no-name.toml: name: missing; a scenario that extends another needs its own name = \"my-variant\" (a-z, 0-9, '-')"
    );
    // Problems of an override are in the overriding file, at its own key paths.
    assert_eq!(
        load_error(dir, "bad-override.toml"),
        "DIR/bad-override.toml:6:59: policy[0].schedule[0].share: 7.5 is outside 0..1: a share is a fraction, 0.5 means 50%\n\
         DIR/bad-override.toml:7:1: policy[0]: unknown key 'exempt_role'; did you mean 'exempt_roles'? (valid: name, employers, work_regions, home_regions, exempt_roles, assignment, share_rule, share_base, compliance, schedule, source)"
    );
    assert_eq!(
        load_error(dir, "on-bad-base.toml"),
        "DIR/on-bad-base.toml:2:11: extends: 1 problem is in the scenario this one extends, listed below\n\
         DIR/bad-base.toml:20:59: policy[0].schedule[0].share: 5 is outside 0..1: a share is a fraction, 0.5 means 50%; did you mean 0.05?"
    );
    // Text handed over by code has no folder to find a path base in.
    let e = parse_scenario(
        "code.toml",
        "schema_version = 1\nname = \"c\"\nextends = \"base.toml\"\n",
        dataset(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "code.toml:3:11: extends: 'base.toml' is a path, but this scenario was not read from a folder; extend a shipped scenario by its name, or load the file from disk"
    );
}

/// An extended scenario, run next to its base with the same seed, gives the base's daily
/// rows on every day but the ones it changes.
#[test]
fn an_extended_scenario_differs_from_its_base_only_on_the_days_it_changes() {
    let tmp = folder(&[(
        "summit-60.toml",
        r#"schema_version = 1
extends = "dki-2023"
name = "summit-60"
title = "DKI ASN, 60% in summit week"
[[policy]]
name = "Pemprov DKI ASN"
schedule = [
  { from = 2023-08-21, to = 2023-09-03, share = 0.50 },
  { from = 2023-09-04, to = 2023-09-07, share = 0.60 },
  { from = 2023-09-08, to = 2023-10-21, share = 0.50 },
]
"#,
    )]);
    let variant = tmp.path().join("summit-60.toml");
    assert_cmd::Command::cargo_bin("wfhsim")
        .unwrap()
        .arg("validate")
        .arg(&variant)
        .assert()
        .success();
    assert_cmd::Command::cargo_bin("wfhsim")
        .unwrap()
        .args([
            "run",
            "--scale",
            "0.01",
            "--replicates",
            "3",
            "--name",
            "r",
            "--out",
        ])
        .arg(tmp.path())
        .arg("scenarios/dki-2023.toml")
        .arg(&variant)
        .assert()
        .success();
    let daily = std::fs::read_to_string(tmp.path().join("r/daily.csv")).unwrap();
    // Rows without their scenario column, per scenario, in table order.
    let rows = |name: &str| -> Vec<String> {
        daily
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{name},")))
            .map(str::to_string)
            .collect()
    };
    let (base, v) = (rows("dki-2023"), rows("summit-60"));
    assert!(!base.is_empty());
    assert_eq!(base.len(), v.len());
    let summit = ["2023-09-04", "2023-09-05", "2023-09-06", "2023-09-07"];
    let mut changed_days = std::collections::BTreeSet::new();
    for (b, x) in base.iter().zip(&v) {
        let day = b.split(',').next().unwrap();
        assert_eq!(
            day,
            x.split(',').next().unwrap(),
            "same rows in the same order"
        );
        if summit.contains(&day) {
            if b != x {
                changed_days.insert(day.to_string());
            }
        } else {
            assert_eq!(b, x, "{day} is not a changed day");
        }
    }
    assert_eq!(
        changed_days.into_iter().collect::<Vec<_>>(),
        summit,
        "each summit day changed"
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
            "bad.toml:9:16: parameters.\"ef.car.co2\": value 200 (low -5, high none) must be between 0 and 1000000, with low <= value <= high"
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
            "bad.toml:8:16: parameters.\"ef.car.co2\": value 1e308 (low none, high none) must be between 0 and 1000000, with low <= value <= high"
        ),
        "{e}"
    );
}

#[test]
fn parameter_overrides_reach_the_accounting() {
    let ds = dataset();
    let s = parse_scenario("o.toml", &GOOD.replace("[[policy]]", "[parameters]\n\"ef.motorcycle.co2\" = { value = 50.0, low = 40.0, high = 60.0 }\n[[policy]]"), ds).unwrap();
    let p = wfhsim_core::accounting::scenario_params(ds, &s).unwrap();
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
    let plan = wfhsim_core::policy::compile(&sc, &pop, &ds.holidays());
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
    let plan = wfhsim_core::policy::compile(&sc, &pop, &ds.holidays());
    let dki = ds.employer_index("dki").unwrap() as u8;
    let home_in = |a: &wfhsim_core::population::Agent, names: &[&str]| {
        let h = a.od as usize / pop.n_regions;
        names.contains(&ds.regions[h].code.as_str())
    };
    let exempt = |a: &wfhsim_core::population::Agent| {
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
