//! `wfhsim activity`: the measures it prints from Google's Jakarta series follow the rule
//! (checked against the period means computed here from the file itself), join a scenario
//! that then validates, and bad input is refused with its message.

use crate::support::wfhsim;

const SERIES: &str = "examples/data/google-cmr-jakarta-daily.csv";

/// The mean of `column` over the weekdays of `from..=to` in the series, read here.
fn weekday_mean(column: &str, from: &str, to: &str) -> f64 {
    let text = std::fs::read_to_string(SERIES).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let j = header.iter().position(|h| *h == column).unwrap();
    let (from, to) = (
        wfhsim_core::calendar::Date::parse(from).unwrap(),
        wfhsim_core::calendar::Date::parse(to).unwrap(),
    );
    let v: Vec<f64> = lines
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let d = wfhsim_core::calendar::Date::parse(cells[0])?;
            (d >= from && d <= to && !d.is_weekend()).then(|| cells[j].parse::<f64>().ok())?
        })
        .collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn measures_from_the_series_follow_the_rule_and_validate() {
    let out = wfhsim()
        .args([
            "activity",
            SERIES,
            "--window",
            "2020-04-10..2020-06-04",
            "--by",
            "window",
            "--purpose",
            "business=workplaces_pct",
        ])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let want = 1.0 + weekday_mean("workplaces_pct", "2020-04-10", "2020-06-04") / 100.0;
    assert!(
        text.contains(&format!("purposes = {{ business = {want:.3} }}")),
        "{want}\n{text}"
    );
    // Weekly measures: Friday 10 Apr alone, then whole weeks, the last ending 4 Jun.
    let out = wfhsim()
        .args([
            "activity",
            SERIES,
            "--window",
            "2020-04-10..2020-06-04",
            "--purpose",
            "shopping_leisure=retail_and_recreation_pct+grocery_and_pharmacy_pct",
        ])
        .assert()
        .success();
    let weekly = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(weekly.matches("[[measure]]").count(), 9, "{weekly}");
    assert!(weekly.contains("from = 2020-04-10, to = 2020-04-12"));
    assert!(weekly.contains("from = 2020-06-01, to = 2020-06-04"));
    let scenario = format!(
        "schema_version = 1\nname = \"psbb-weekly\"\ntitle = \"t\"\n[period]\nstart = 2020-04-10\nend = 2020-06-04\n{weekly}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("psbb-weekly.toml");
    std::fs::write(&file, scenario).unwrap();
    wfhsim().arg("validate").arg(&file).assert().success();
}

#[test]
fn bad_input_is_refused_with_its_message() {
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "--window",
                "2020-04-10..2020-06-04",
                "--purpose",
                "dining=workplaces_pct",
            ],
            "--purpose 'dining=workplaces_pct': 'dining' is not a purpose; allowed: school, shopping_leisure, business",
        ),
        (
            &[
                "--window",
                "2020-04-10..2020-06-04",
                "--purpose",
                "business=workplaces_pct",
                "--purpose",
                "business=parks_pct",
            ],
            "--purpose business is given twice",
        ),
        (
            &[
                "--window",
                "2020-04-10",
                "--purpose",
                "business=workplaces_pct",
            ],
            "--window '2020-04-10' is not FROM..TO with both days YYYY-MM-DD",
        ),
        (
            &[
                "--window",
                "2030-01-06..2030-01-07",
                "--purpose",
                "business=workplaces_pct",
            ],
            "2030-01-06..2030-01-06: no weekday has a value in every column of business (workplaces_pct)",
        ),
    ];
    for (args, want) in cases {
        let out = wfhsim()
            .arg("activity")
            .arg(SERIES)
            .args(args)
            .assert()
            .code(2);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains(want), "want {want}\ngot {err}");
    }
}
