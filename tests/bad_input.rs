//! Bad input is refused with exit code 2 and a message that names the file, the line and
//! column where known, the key, the bad value and what is allowed; nothing panics and
//! nothing is written. Scenario files that must be rejected are in tests/fixtures/bad/;
//! bad dataset folders are made by exporting the built-in dataset and corrupting one file.

use crate::support::{QUICK_RUN, wfhsim};
use std::path::Path;

use assert_cmd::Command;

/// Runs the binary and returns its stderr, checking exit code 2 and that no panic or
/// backtrace reached the user.
fn refused(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "exit code; stderr:\n{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    err
}

const EMPLOYERS: &str = "central, dki, banten_prov, jabar_prov, kota_bogor, kab_bogor, kota_depok, kota_tangerang, kab_tangerang, kota_tangsel, kota_bekasi, kab_bekasi, bumn_bumd, private_formal, informal";
const ROLES: &str = "teacher, health, satpol_pp, fire_rescue, transport_agency, frontline_service, treasurer, supervisor, activity_leader, administrative, onsite";
const POLICY_KEYS: &str = "name, employers, work_regions, home_regions, exempt_roles, assignment, share_rule, share_base, compliance, schedule, source";

/// Every fixture of tests/fixtures/bad/ and the exact lines `validate` prints for it
/// (`F:` stands for the fixture's own path): the table the fixture tests run from.
fn fixtures() -> Vec<(&'static str, Vec<String>)> {
    let f = |name: &'static str, lines: &[&str]| {
        let own = format!("tests/fixtures/bad/{name}:");
        (
            name,
            lines
                .iter()
                .map(|l| l.replace("F:", &own))
                .collect::<Vec<_>>(),
        )
    };
    vec![
        f(
            "syntax-error.toml",
            &[
                "F:4:17: TOML syntax error: invalid basic string",
                "4 | title = \"DKI 50%",
                "  |                 ^",
            ],
        ),
        // share_rule is not reported missing as well: the misspelling is the one problem.
        f(
            "unknown-key.toml",
            &[&format!(
                "F:12:1: policy[0]: unknown key 'share_rul'; did you mean 'share_rule'? (valid: {POLICY_KEYS})"
            )],
        ),
        f(
            "wrong-type.toml",
            &[
                "F:10:13: policy[0].employers: expected a list of employer names, e.g. [\"central\"], found the string \"dki\"",
                "F:14:59: policy[0].schedule[0].share: expected a number, found the string \"50%\"; write 50% as 0.5 (0.5 means 50%)",
            ],
        ),
        f(
            "share-outside-0-1.toml",
            &[
                "F:15:49: policy[0].schedule[0].share: 50 is outside 0..1: a share is a fraction, 0.5 means 50%; did you mean 0.5?",
                "F:16:49: policy[0].schedule[1].share: 1.5 is outside 0..1: a share is a fraction, 0.5 means 50%",
            ],
        ),
        f(
            "window-end-before-start.toml",
            &[
                "F:13:39: policy[0].schedule[0].to: 2023-08-21 is before from = 2023-10-21; a window runs from its first to its last day",
            ],
        ),
        f(
            "window-outside-period.toml",
            &[
                "F:13:13: policy[0].schedule[0]: 2023-08-21..2023-10-21 is not inside the scenario period 2023-08-01..2023-09-30; move the window or widen [period]",
            ],
        ),
        f(
            "overlapping-windows.toml",
            &[
                "F:16:3: policy[0].schedule[1]: 2023-09-04..2023-09-07 (share 0.75) overlaps schedule[0] 2023-08-21..2023-09-06 (share 0.5) on 2023-09-04..2023-09-06; windows of one policy must not overlap: split them, e.g. 0.5 to 3 Sep, 0.75 on 4-7 Sep, 0.5 from 8 Sep",
            ],
        ),
        f(
            "overlapping-policies.toml",
            &[
                "F:15:1: policy[1]: 'ASEAN Summit week' covers employer 'dki' on 2023-09-04..2023-09-07 (share 0.75), as policy[0] 'Pemprov DKI ASN' does (share 0.5); two policies may not govern the same workers on the same day: give them disjoint dates, work_regions or home_regions",
            ],
        ),
        f(
            "unknown-names.toml",
            &[
                &format!(
                    "F:9:14: policy[0].employers[0]: unknown employer 'dky'; did you mean 'dki'? (valid: {EMPLOYERS})"
                ),
                &format!(
                    "F:9:21: policy[0].employers[1]: unknown employer 'kemenkeu' (valid: {EMPLOYERS})"
                ),
                "F:10:17: policy[0].work_regions[0]: unknown region 'jakarta_selatn'; did you mean 'jakarta_selatan'? (valid: jakarta_pusat, jakarta_utara, jakarta_barat, jakarta_selatan, jakarta_timur, kepulauan_seribu, kota_bogor, kab_bogor, kota_depok, kota_tangerang, kab_tangerang, kota_tangsel, kota_bekasi, kab_bekasi)",
                &format!(
                    "F:11:17: policy[0].exempt_roles[0]: unknown role 'teachers'; did you mean 'teacher'? (valid: {ROLES})"
                ),
            ],
        ),
        f(
            "no-policy.toml",
            &["F: policy: a scenario needs at least one [[policy]] or [[measure]]"],
        ),
        f(
            "compliance-low-above-high.toml",
            &[
                "F:12:14: policy[0].compliance: low 0.9 is above high 0.6; needs low <= central <= high",
            ],
        ),
        // Every kind of mistake at once, in file order.
        f(
            "several-problems.toml",
            &[
                "F:3:8: name: 'Several Problems' must be non-empty, use only a-z, 0-9 and '-', not begin with '-', and have at most 200 characters",
                "F:9:11: accounting.transit: 'avg' is not allowed; use one of 'marginal', 'average'",
                &format!(
                    "F:13:17: policy[0].exempt_roles[0]: unknown role 'helth'; did you mean 'health'? (valid: {ROLES})"
                ),
                &format!(
                    "F:15:1: policy[0]: unknown key 'share_rul'; did you mean 'share_rule'? (valid: {POLICY_KEYS})"
                ),
                "F:16:50: policy[0].compliance.high: 100 is outside 0..1: a share is a fraction, 0.5 means 50%; did you mean 1?",
                "F:18:29: policy[0].schedule[0].to: 2023-08-01 is before from = 2023-08-21; a window runs from its first to its last day",
                "F:19:3: policy[0].schedule[1]: 2023-09-04..2023-11-07 is not inside the scenario period 2023-08-01..2023-10-31; move the window or widen [period]",
                "F:19:49: policy[0].schedule[1].share: 75 is outside 0..1: a share is a fraction, 0.5 means 50%; did you mean 0.75?",
            ],
        ),
        f(
            "extends-unknown-base.toml",
            &[
                "F:3:11: extends: no shipped scenario is named 'dki-2024' (shipped: dki-2023, dki-2023-50-only, dki-2023-one-month, dki-2023-day-one-uptake, jabodetabek-2023-as-implemented, inmendagri-full, private-sector-joins, narrow-exemptions, wide-exemptions, bench-all-workers); to extend a file, give its path ending in .toml, relative to this file's folder",
            ],
        ),
        // The override's bad share is reported where it is written, not in the base.
        f(
            "extends-bad-override.toml",
            &[
                "F:10:49: policy[0].schedule[1].share: 7.5 is outside 0..1: a share is a fraction, 0.5 means 50%",
            ],
        ),
        // A problem of the base is reported in the base file, after a line saying so.
        f(
            "extends-bad-base.toml",
            &[
                "F:3:11: extends: 1 problem is in the scenario this one extends, listed below",
                "tests/fixtures/bad/window-end-before-start.toml:13:39: policy[0].schedule[0].to: 2023-08-21 is before from = 2023-10-21; a window runs from its first to its last day",
            ],
        ),
        f(
            "extends-its-own-base.toml",
            &[
                "F:2:8: name: 'dki-2023' is the name of its base builtin:dki-2023.toml; give the variant its own name",
            ],
        ),
    ]
}

#[test]
fn every_bad_fixture_is_refused_by_validate_and_run_word_for_word() {
    let table = fixtures();
    let mut on_disk: Vec<String> = std::fs::read_dir("tests/fixtures/bad")
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = table.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "every fixture has its expected lines, and only those"
    );
    let tmp = tempfile::tempdir().unwrap();
    for (name, expected) in &table {
        let path = format!("tests/fixtures/bad/{name}");
        let err = refused(wfhsim().args(["validate", &path]));
        let mut got: Vec<String> = err.lines().map(str::to_string).collect();
        assert_eq!(
            got.pop().as_deref(),
            Some("Error: 1 of 1 scenario files have problems"),
            "{err}"
        );
        assert_eq!(&got, expected, "{name}");
        // `run` refuses it with the same lines, before writing anything.
        let err = refused(
            wfhsim()
                .args(["run", "--scale", "0.003", "--replicates", "2", "--out"])
                .arg(tmp.path())
                .arg(&path),
        );
        assert_eq!(err, format!("Error: {}\n", expected.join("\n")), "{name}");
    }
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

/// `validate` checks names across the files it is given, as `run` does.
#[test]
fn two_files_with_one_name_are_refused_by_validate_as_by_run() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("copy.toml");
    std::fs::write(
        &copy,
        "schema_version = 1\nextends = \"dki-2023\"\nname = \"dki-2023-50-only\"\n",
    )
    .unwrap();
    let expected = format!(
        "{}:3:8: name: 'dki-2023-50-only' is also used by scenarios/dki-2023-50-only.toml; scenario names must be unique in a run",
        copy.display()
    );
    let err = refused(
        wfhsim()
            .args(["validate", "scenarios/dki-2023-50-only.toml"])
            .arg(&copy),
    );
    assert_eq!(
        err,
        format!("{expected}\nError: 1 of 2 scenario files have problems\n")
    );
    let err = refused(
        wfhsim()
            .args(["run", "--scale", "0.003", "--out"])
            .arg(tmp.path().join("out"))
            .arg("scenarios/dki-2023-50-only.toml")
            .arg(&copy),
    );
    assert_eq!(err, format!("Error: {expected}\n"));
    assert!(!tmp.path().join("out").exists());
}

// ---- run options ----

fn run_with(args: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let err = refused(
        wfhsim()
            .args(["run", "scenarios/dki-2023.toml", "--out"])
            .arg(tmp.path())
            .args(args),
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
    err
}

#[test]
fn replicates_zero_or_above_the_cap() {
    let msg = |n: &str| {
        format!(
            "Error: --replicates {n} is outside 1..10000: 1 uses the central values only, the default 30 gives the 5-95% bands; more than 10000 does not sharpen them\n"
        )
    };
    assert_eq!(
        run_with(&["--scale", "0.003", "--replicates", "0"]),
        msg("0")
    );
    assert_eq!(
        run_with(&["--scale", "0.003", "--replicates", "10001"]),
        msg("10001")
    );
    // Beyond u32 clap refuses it, also with exit code 2.
    let err = run_with(&["--replicates", "99999999999"]);
    assert!(
        err.starts_with("error: invalid value '99999999999' for '--replicates <REPLICATES>'"),
        "{err}"
    );
}

#[test]
fn scale_not_positive_or_not_a_number() {
    for s in ["0", "-0.5", "1.5", "inf"] {
        assert_eq!(
            run_with(&[&format!("--scale={s}")]),
            format!(
                "Error: --scale {} is outside (0, 1]: it is the fraction of the workforce to simulate; use 1.0 for every worker, 0.01 for a quick run\n",
                s.parse::<f64>().unwrap()
            )
        );
    }
    assert_eq!(
        run_with(&["--scale", "NaN"]),
        "Error: --scale NaN is not a number: give the fraction of the workforce to simulate, in (0, 1]: 1.0 for every worker, 0.01 for a quick run\n"
    );
}

// ---- dataset folders ----

/// The built-in dataset exported to a temporary folder, with `edit` applied to one file.
fn corrupt_dataset(file: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    wfhsim()
        .args(["data", "--export"])
        .arg(&dir)
        .assert()
        .success();
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed {file}");
    std::fs::write(&p, edited).unwrap();
    tmp
}

/// Runs on the corrupted folder; returns stderr with the folder's path replaced by `DIR`.
fn run_on_data(tmp: &Path, extra: &[&str]) -> String {
    let dir = tmp.join("data");
    let err = refused(
        wfhsim()
            .args([
                "run",
                "scenarios/dki-2023.toml",
                "--scale",
                "0.003",
                "--out",
            ])
            .arg(tmp.join("out"))
            .arg("--data")
            .arg(&dir)
            .args(extra),
    );
    assert!(!tmp.join("out").exists(), "nothing written");
    err.replace(&dir.display().to_string(), "DIR")
}

fn replace_line(text: &str, starts: &str, with: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with(starts) {
                with.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What an analyst's copy-paste slips and Excel's ways of saving give: a duplicated key
/// row is refused naming both lines; a byte-order mark and CRLF line ends are read as
/// they are meant; `;` separators are refused with how to save the file instead.
#[test]
fn dataset_keys_defined_twice_are_refused_naming_both_lines() {
    let dup = |file: &str, starts: &str| {
        corrupt_dataset(file, |t| {
            let row = t.lines().find(|l| l.starts_with(starts)).unwrap();
            t.replacen(row, &format!("{row}\n{row}"), 1)
        })
    };
    for (file, starts, line, what) in [
        ("regions.csv", "kab_bekasi,", 15, "code 'kab_bekasi'"),
        ("employers.csv", "dki,", 3, "code 'dki'"),
        ("roles.csv", "teacher,", 2, "code 'teacher'"),
        ("modes.csv", "car,", 3, "code 'car'"),
    ] {
        let tmp = dup(file, starts);
        let text = std::fs::read_to_string(tmp.path().join("data").join(file)).unwrap();
        let first = text.lines().position(|l| l.starts_with(starts)).unwrap() + 1;
        if line > 0 {
            assert_eq!(first, line, "{file}: the fixture's line moved");
        }
        assert_eq!(
            run_on_data(tmp.path(), &[]),
            format!(
                "Error: dataset folder DIR: {file}:{}: {what} is already defined at {file}:{first}\n",
                first + 1
            )
        );
    }
    // Calendar rows are ranges: a second row of one kind sharing a day is refused.
    let tmp = dup("calendar.csv", "2023-09-05,");
    let text = std::fs::read_to_string(tmp.path().join("data/calendar.csv")).unwrap();
    let first = text
        .lines()
        .position(|l| l.starts_with("2023-09-05,"))
        .unwrap()
        + 1;
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        format!(
            "Error: dataset folder DIR: calendar.csv:{}: event 2023-09-05 overlaps the event row at calendar.csv:{first} (2023-09-05); rows of one kind may not share a day\n",
            first + 1
        )
    );
}

/// A rate out of its range is refused at its row, not as a derived symptom ("derived jobs
/// in jakarta_pusat are not positive").
#[test]
fn dataset_with_a_rate_outside_its_range() {
    let tmp = corrupt_dataset("parameters/population.csv", |t| {
        let row = t
            .lines()
            .find(|l| l.starts_with("employment_rate.dki,"))
            .unwrap();
        let value = row.split(',').nth(1).unwrap();
        t.replacen(row, &row.replacen(&format!(",{value},"), ",-0.5,", 1), 1)
    });
    let text = std::fs::read_to_string(tmp.path().join("data/parameters/population.csv")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("employment_rate.dki,"))
        .unwrap()
        + 1;
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        format!(
            "Error: dataset folder DIR: parameters/population.csv:{line}: column 'value': -0.5 for 'employment_rate.dki' is not allowed: a value in workers/person must be in 0..1 (a fraction: 0.5 means 50%)\n"
        )
    );
}

/// A value outside its own low–high range blames the value, written short (it was
/// blamed on column 'low' and printed with 309 digits).
#[test]
fn dataset_with_a_value_outside_its_own_range() {
    let tmp = corrupt_dataset("parameters/travel.csv", |t| {
        let row = t
            .lines()
            .find(|l| l.starts_with("mode_share.local.motorcycle,"))
            .unwrap();
        t.replacen(row, &row.replacen(",0.62,", ",1e308,", 1), 1)
    });
    let text = std::fs::read_to_string(tmp.path().join("data/parameters/travel.csv")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("mode_share.local.motorcycle,"))
        .unwrap()
        + 1;
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        format!(
            "Error: dataset folder DIR: parameters/travel.csv:{line}: column 'value': 1e308 for 'mode_share.local.motorcycle' is outside its range 0.5–0.7 (columns low and high)\n"
        )
    );
}

/// A count of people beyond any real one is refused at its row (it overflowed into
/// "derived jobs in ... are not positive").
#[test]
fn dataset_with_a_population_beyond_any_real_count() {
    let tmp = corrupt_dataset("parameters/population.csv", |t| {
        t.replacen(
            "population.jakarta_pusat,1056896,",
            "population.jakarta_pusat,1e308,",
            1,
        )
    });
    let text = std::fs::read_to_string(tmp.path().join("data/parameters/population.csv")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("population.jakarta_pusat,"))
        .unwrap()
        + 1;
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        format!(
            "Error: dataset folder DIR: parameters/population.csv:{line}: column 'value': 1e308 for 'population.jakarta_pusat' is not allowed: a value in persons must be at most 1e10 (more than the world's people; a larger count overflows what is derived from it)\n"
        )
    );
}

/// What a run writes to summary.csv and daily.csv, for comparing two runs.
fn results(args: &[&std::ffi::OsStr]) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    wfhsim()
        .args(QUICK_RUN)
        .arg("--out")
        .arg(&out)
        .args(args)
        .assert()
        .success();
    let read = |f: &str| std::fs::read_to_string(out.join("study").join(f)).unwrap();
    (read("summary.csv"), read("daily.csv"))
}

/// A regions.csv saved by Excel as "CSV UTF-8" (byte-order mark, CRLF, trailing empty
/// lines) runs, with the results of the built-in dataset.
#[test]
fn dataset_saved_by_excel_as_csv_utf8_with_crlf_is_read() {
    let tmp = corrupt_dataset("regions.csv", |t| {
        format!("\u{feff}{}\r\n\r\n", t.trim_end().replace('\n', "\r\n"))
    });
    let data = tmp.path().join("data");
    let with_excel = results(&["--data".as_ref(), data.as_os_str()]);
    assert_eq!(with_excel, results(&[]));
}

#[test]
fn dataset_saved_with_semicolons_is_refused_with_how_to_save_it() {
    let tmp = corrupt_dataset("parameters/travel.csv", |t| {
        t.replace(',', ";").replace("0.", "0,")
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: parameters/travel.csv:1: the header 'key;value;unit;low;high;year;kind;confidence;source;note' is separated by ';', as Excel writes CSV where the decimal separator is a comma; save the file as \"CSV UTF-8 (Comma delimited)\" with '.' as the decimal separator (File > Options > Advanced > uncheck \"Use system separators\")\n"
    );
}

#[test]
fn dataset_folder_without_a_file_says_so_once() {
    let tmp = corrupt_dataset("modes.csv", |t| format!("{t}x"));
    std::fs::remove_file(tmp.path().join("data/modes.csv")).unwrap();
    // The OS's own words for a missing file, once (e.g. "No such file or directory (os
    // error 2)"), after the folder, once.
    let os = std::fs::read(tmp.path().join("data/modes.csv"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        format!("Error: dataset folder DIR: cannot read modes.csv: {os}\n")
    );
}

#[test]
fn dataset_with_a_missing_column() {
    let tmp = corrupt_dataset("parameters/travel.csv", |t| {
        t.replacen("key,value,unit,", "key,value,units,", 1)
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: parameters/travel.csv:1: missing column 'unit' (the header must have key,value,unit,low,high,year,kind,confidence,source,note; it has key,value,units,low,high,year,kind,confidence,source,note)\n"
    );
}

#[test]
fn dataset_with_a_negative_count() {
    let tmp = corrupt_dataset("parameters/population.csv", |t| {
        t.replacen(
            "population.kota_depok,2056335,",
            "population.kota_depok,-2056335,",
            1,
        )
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: parameters/population.csv:10: column 'value': -2056335 for 'population.kota_depok' is not allowed: a value in persons must be >= 0 (a count)\n"
    );
}

#[test]
fn dataset_whose_commuter_flows_do_not_match_the_workers() {
    // Depok with 100,000 inhabitants (46,120 workers) cannot send the 221,700 commuters
    // into DKI that BPS's 2014 origin count gives it: 284,093 / 1,380,000 × the 2019 work
    // commuters 1,260,000 × 0.8547. At most 46,120 / 1,076,922 × 1,380,000 = 59,099 fit.
    let tmp = corrupt_dataset("parameters/population.csv", |t| {
        t.replacen(
            "population.kota_depok,2056335,",
            "population.kota_depok,100000,",
            1,
        )
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: parameters/commuting.csv:9: column 'value': commuters.to_dki_2014.kota_depok = 284093 puts 221700 work commuters from kota_depok into DKI (scaled to the 2019 total), more than the 46120 workers living there (population.kota_depok × employment_rate.bodetabek); at most 59099 is allowed\n"
    );
    // Origin counts adding up to more than their total.
    let tmp = corrupt_dataset("parameters/commuting.csv", |t| {
        t.replacen(
            "commuters.to_dki_2014.kota_depok,284093,",
            "commuters.to_dki_2014.kota_depok,2840930,",
            1,
        )
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: parameters/commuting.csv:7: column 'value': commuters.bodetabek_to_dki_2014 = 1380000 is less than the sum of the origin counts commuters.to_dki_2014.* (3411336); the counts by origin must not add up to more than the total\n"
    );
    // An origin row for a region the dataset does not have.
    let tmp = corrupt_dataset("parameters/commuting.csv", |t| {
        t.replacen(
            "commuters.to_dki_2014.kota_depok,",
            "commuters.to_dki_2014.kota_depk,",
            1,
        )
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: parameters/commuting.csv:9: column 'key': 'commuters.to_dki_2014.kota_depk' names no Bodetabek region of regions.csv (valid: kota_bogor, kab_bogor, kota_depok, kota_tangerang, kab_tangerang, kota_tangsel, kota_bekasi, kab_bekasi)\n"
    );
}

#[test]
fn dataset_with_an_emission_factor_missing_for_a_pollutant() {
    let tmp = corrupt_dataset("parameters/emissions.csv", |t| {
        replace_line(t, "ef.bus.nox,", "# ef.bus.nox removed")
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: parameters/emissions.csv: the dataset has no parameter 'ef.bus.nox' (every mode of modes.csv except kind 'active' needs one row per pollutant: co2, pm25, pm10, nox, co, hc, so2); add a row for it\n"
    );
}

#[test]
fn a_workforce_that_cannot_fit_in_memory_is_refused_before_allocating() {
    // Every count × 1000: 14.5 billion workers, about 230 GB of agents at --scale 1.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    wfhsim()
        .args(["data", "--export"])
        .arg(&dir)
        .assert()
        .success();
    for f in ["population", "commuting", "headcounts"] {
        let p = dir.join(format!("parameters/{f}.csv"));
        let text = std::fs::read_to_string(&p).unwrap();
        let scaled: Vec<String> = text
            .lines()
            .map(|l| {
                let mut c: Vec<String> = l.splitn(6, ',').map(str::to_string).collect();
                if c.len() == 6 && ["persons", "persons/day", "workers"].contains(&c[2].as_str()) {
                    for i in [1, 3, 4] {
                        if !c[i].is_empty() {
                            c[i] = (c[i].parse::<f64>().unwrap() * 1000.0).to_string();
                        }
                    }
                }
                c.join(",")
            })
            .collect();
        std::fs::write(&p, scaled.join("\n")).unwrap();
    }
    // Too little memory is not bad input: exit 1, "may succeed" (on a larger machine).
    let out = wfhsim()
        .args([
            "run",
            "scenarios/dki-2023.toml",
            "--scale",
            "1",
            "--replicates",
            "3",
            "--out",
        ])
        .arg(tmp.path().join("out"))
        .arg("--data")
        .arg(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    let prefix = "Error: --scale 1 with --replicates 3 needs about 230.8 GB of memory (14408532296 simulated workers: 230.8 GB; replicate tables: 0.0 GB) and ";
    let suffix = "; use a smaller --scale or fewer --replicates\n";
    assert!(err.starts_with(prefix) && err.ends_with(suffix), "{err}");
    // "N GB is available (what sets that bound)": free memory, or a limit on this process.
    let (avail, bound) = err[prefix.len()..err.len() - suffix.len()]
        .split_once(" GB is available (")
        .unwrap();
    assert!(avail.parse::<f64>().is_ok_and(|gb| gb < 230.8), "{err}");
    assert!(bound.ends_with(')'), "{err}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn dataset_with_an_unknown_vehicle_class_or_heavy_duty_function() {
    let tmp = corrupt_dataset("modes.csv", |t| {
        replace_line(t, "car,", "car,Car (own),private,lorry")
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: modes.csv:3: column 'vehicle_class': 'lorry' is not one of motorcycle, car, bus, truck (a private mode puts a road vehicle on the road)\n"
    );
    let tmp = corrupt_dataset("modes.csv", |t| {
        replace_line(t, "krl,", "krl,KRL Commuter Line,rail,car")
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: modes.csv:6: column 'vehicle_class': 'car' must be 'none' for a rail mode (it puts no road vehicle on the road)\n"
    );
    let tmp = corrupt_dataset("parameters/speed_emissions.csv", |t| {
        t.replacen(
            "copert.bus.euro2.co.form,10,",
            "copert.bus.euro2.co.form,7,",
            1,
        )
    });
    let err = run_on_data(tmp.path(), &[]);
    assert!(
        err.starts_with("Error: dataset folder DIR: parameters/speed_emissions.csv:")
            && err.ends_with(": column 'value': copert.bus.euro2.co.form = 7 is not a heavy-duty function id; allowed: 0 (a·b^v·v^c), 1 (a·v^b + c·v^d), 5 (1 / (a + b·v + c·v²)), 8 (a − b·exp(−c·v^d)), 10 (a + b / (1 + exp(−c + d·ln v + e·v))), 14 (a·v³ + b·v² + c·v + d)\n"),
        "{err}"
    );
}

#[test]
fn an_unknown_emission_model_is_refused_with_the_allowed_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("m.toml");
    std::fs::write(
        &f,
        "schema_version = 1\nname = \"m\"\ntitle = \"m\"\n[period]\nstart = 2023-08-01\nend = 2023-10-31\n[accounting]\nemission_model = \"copert\"\n[[policy]]\nname = \"p\"\nemployers = [\"dki\"]\nassignment = \"rotation\"\nshare_rule = \"ceiling\"\ncompliance = { central = 0.85 }\nschedule = [{ from = 2023-08-21, to = 2023-10-21, share = 0.5 }]\n",
    )
    .unwrap();
    let err = refused(wfhsim().arg("validate").arg(&f));
    let name = f.display().to_string();
    assert_eq!(
        err.replace(&name, "F"),
        "F:8:18: accounting.emission_model: 'copert' is not allowed; use one of 'fixed', 'speed'\nError: 1 of 1 scenario files have problems\n"
    );
}

/// Excel's plain "CSV (Comma delimited)" writes the system code page, where `é` is the
/// byte 0xE9: refused at its line and character with how to save the file, not as an OS
/// read error.
#[test]
fn dataset_file_that_is_not_utf8_is_refused_at_its_line_and_character() {
    let tmp = corrupt_dataset("regions.csv", |t| {
        t.replacen("Kota Depok", "Kota Depok?", 1)
    });
    let p = tmp.path().join("data/regions.csv");
    let bytes = std::fs::read(&p).unwrap();
    let at = bytes.iter().position(|&b| b == b'?').unwrap();
    let mut cp1252 = bytes.clone();
    cp1252[at] = 0xE9;
    std::fs::write(&p, cp1252).unwrap();
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: regions.csv:10: character 22 is not UTF-8 (byte 0xE9); save the file as \"CSV UTF-8 (Comma delimited)\"\n"
    );
}

/// Staff that no region can take (every work share 0, or no formal jobs where no share
/// is given) would be spread as 0/0: refused at the headcount's row instead of loading
/// with jobs that are not numbers.
#[test]
fn dataset_whose_public_staff_have_nowhere_to_work() {
    let tmp = corrupt_dataset("parameters/population.csv", |t| {
        t.replacen(
            "formal_share.bodetabek,0.55,share,0.45,",
            "formal_share.bodetabek,0,share,0,",
            1,
        )
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: parameters/headcounts.csv:8: column 'value': headcount.banten_prov = 3000 has nowhere to work: each of its regions (kota_tangerang, kab_tangerang, kota_tangsel) has a work_share.banten_prov.<region> of 0 or, without one, no formal jobs (formal_share.* of 0)\n"
    );
    let tmp = corrupt_dataset("parameters/headcounts.csv", |t| {
        t.lines()
            .map(|l| match l.strip_prefix("work_share.central.") {
                Some(rest) => {
                    let c: Vec<&str> = rest.split(',').collect();
                    format!("work_share.central.{},0,share,0,{}", c[0], c[4..].join(","))
                }
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    assert_eq!(
        run_on_data(tmp.path(), &[]),
        "Error: dataset folder DIR: parameters/headcounts.csv:2: column 'value': headcount.central = 192592 has nowhere to work: each of its regions (jakarta_pusat, jakarta_utara, jakarta_barat, jakarta_selatan, jakarta_timur) has a work_share.central.<region> of 0 or, without one, no formal jobs (formal_share.* of 0)\n"
    );
}
