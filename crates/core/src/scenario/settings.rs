//! A scenario's settings as flat `key → value` pairs: every key a scenario file can set,
//! with its value as it would be written in a file (TOML), whatever file, `extends` chain
//! or code made the scenario. `run.json` keeps them per scenario, so that `wfhsim diff`
//! can say which keys of a scenario differ between two runs without the files.
//!
//! Keys are the sweep's dotted paths (docs/sweeps.md): `period.start`,
//! `accounting.rebound`, `parameters."ef.car.co2"`, `policy.1.schedule` (policies
//! numbered from 1). A list or table is one value: `policy.1.schedule` is the whole
//! schedule. Keys left at their default are listed with the default's value, so a file
//! that writes a default and one that leaves it out have the same settings.

use std::collections::BTreeMap;

use toml::Value;

use super::{ComplianceModel, Measure, MeasureKind, Purpose, Range, Scenario, Uptake, Window};
use crate::data::Dataset;

/// A number as TOML writes it (`0.5`, `1.0`).
fn number(x: f64) -> String {
    Value::Float(x).to_string()
}

/// A string in TOML quotes, escaped (also the text `wfhsim new` writes).
pub(super) fn quoted(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// A list of names, `["a", "b"]`.
fn names<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.map(quoted).collect();
    format!("[{}]", v.join(", "))
}

fn range(r: &Range) -> String {
    format!(
        "{{ central = {}, low = {}, high = {} }}",
        number(r.central),
        number(r.low),
        number(r.high)
    )
}

/// A policy's compliance as the file writes it: the range, then the model and ramp where
/// they are not the default (so an "iid" policy without a ramp reads as before).
fn compliance(r: &Range, u: &Uptake) -> String {
    let mut parts = vec![format!(
        "central = {}, low = {}, high = {}",
        number(r.central),
        number(r.low),
        number(r.high)
    )];
    if u.model != ComplianceModel::Iid {
        parts.push(format!("model = {}", choice(&u.model)));
    }
    if u.model == ComplianceModel::Clustered {
        parts.push(format!("rho = {}", range(&u.rho)));
    }
    if u.ramp_days != Range::point(0.0) || u.ramp_from != Range::point(1.0) {
        parts.push(format!("ramp_days = {}", range(&u.ramp_days)));
        parts.push(format!("ramp_from = {}", range(&u.ramp_from)));
    }
    format!("{{ {} }}", parts.join(", "))
}

/// The name of an enum value as the file writes it (its serde name, in quotes).
fn choice(v: &impl serde::Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => quoted(&s),
        other => format!("{other:?}"),
    }
}

/// Every setting of `s`, names looked up in the dataset it was read with.
pub fn settings(s: &Scenario, ds: &Dataset) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut put = |k: String, v: String| {
        out.insert(k, v);
    };
    put("title".into(), quoted(&s.title));
    if let Some(t) = &s.title_id {
        put("title_id".into(), quoted(t));
    }
    put("description".into(), quoted(&s.description));
    put("period.start".into(), s.start.to_string());
    put("period.end".into(), s.end.to_string());
    put("accounting.transit".into(), choice(&s.transit));
    put("accounting.rebound".into(), s.rebound.to_string());
    put(
        "accounting.emission_model".into(),
        choice(&s.emission_model),
    );
    for o in &s.overrides {
        let v = match (o.low, o.high) {
            (None, None) => number(o.value),
            (low, high) => {
                let mut parts = vec![format!("value = {}", number(o.value))];
                parts.extend(low.map(|l| format!("low = {}", number(l))));
                parts.extend(high.map(|h| format!("high = {}", number(h))));
                format!("{{ {} }}", parts.join(", "))
            }
        };
        put(format!("parameters.{}", quoted(&o.key)), v);
    }
    let code = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_else(|| i.to_string());
    let employers: Vec<String> = ds.employers.iter().map(|e| e.code.clone()).collect();
    let regions: Vec<String> = ds.regions.iter().map(|e| e.code.clone()).collect();
    let roles: Vec<String> = ds.roles.iter().map(|e| e.code.clone()).collect();
    for (i, p) in s.policies.iter().enumerate() {
        let k = |f: &str| format!("policy.{}.{f}", i + 1);
        let list = |ix: &[usize], of: &[String]| {
            let v: Vec<String> = ix.iter().map(|&j| code(of, j)).collect();
            names(v.iter().map(String::as_str))
        };
        put(k("name"), quoted(&p.name));
        put(k("employers"), list(&p.employers, &employers));
        put(k("work_regions"), list(&p.work_regions, &regions));
        put(k("home_regions"), list(&p.home_regions, &regions));
        let exempt: Vec<usize> = (0..p.exempt.len()).filter(|&r| p.exempt[r]).collect();
        put(k("exempt_roles"), list(&exempt, &roles));
        put(k("assignment"), choice(&p.assignment));
        put(k("share_rule"), choice(&p.share_rule));
        put(k("share_base"), choice(&p.share_base));
        put(k("compliance"), compliance(&p.compliance, &p.uptake));
        put(k("schedule"), schedule(&p.windows));
    }
    for (i, m) in s.measures.iter().enumerate() {
        for (f, v) in measure(m, ds) {
            put(format!("measure.{}.{f}", i + 1), v);
        }
    }
    out
}

/// A schedule as the file writes it.
fn schedule(windows: &[Window]) -> String {
    let windows: Vec<String> = windows
        .iter()
        .map(|w| {
            format!(
                "{{ from = {}, to = {}, share = {} }}",
                w.from,
                w.to,
                number(w.share)
            )
        })
        .collect();
    format!("[{}]", windows.join(", "))
}

/// A measure's keys (after `measure.N.`) and values, its kind's own keys included (also
/// the `[[measure]]` tables `wfhsim new` writes).
pub(super) fn measure(m: &Measure, ds: &Dataset) -> Vec<(&'static str, String)> {
    let regions: Vec<&str> = ds.regions.iter().map(|r| r.code.as_str()).collect();
    let codes = |ix: &[usize], of: &[&str]| {
        let v: Vec<&str> = ix
            .iter()
            .map(|&j| of.get(j).copied().unwrap_or("?"))
            .collect();
        names(v.into_iter())
    };
    let list = |ix: &[usize]| codes(ix, &regions);
    let mut out = vec![
        ("kind", quoted(m.kind.name())),
        ("name", quoted(&m.name)),
        ("regions", list(&m.regions)),
        ("schedule", schedule(&m.windows)),
    ];
    match &m.kind {
        MeasureKind::SchoolClosure => {}
        MeasureKind::ActivityLimit { multipliers } => {
            let parts: Vec<String> = Purpose::ALL
                .iter()
                .zip(multipliers)
                .map(|(p, x)| format!("{} = {}", p.as_str(), number(*x)))
                .collect();
            out.push(("purposes", format!("{{ {} }}", parts.join(", "))));
        }
        MeasureKind::RoadClosure {
            periods,
            capacity,
            diversion,
            divert_to,
        } => {
            out.push(("periods", period_names(periods)));
            out.push(("capacity", number(*capacity)));
            out.push(("diversion", number(*diversion)));
            out.push(("divert_to", list(divert_to)));
        }
        MeasureKind::Attendance {
            employers,
            exempt,
            attendance,
        } => {
            let emp: Vec<&str> = ds.employers.iter().map(|e| e.code.as_str()).collect();
            let rol: Vec<&str> = ds.roles.iter().map(|e| e.code.as_str()).collect();
            let ex: Vec<usize> = (0..exempt.len()).filter(|&r| exempt[r]).collect();
            out.push(("employers", codes(employers, &emp)));
            out.push(("exempt_roles", codes(&ex, &rol)));
            out.push(("attendance", range(attendance)));
        }
        MeasureKind::OddEven { action, periods } => {
            out.push(("action", quoted(action.as_str())));
            out.push(("periods", period_names(periods)));
        }
        MeasureKind::TransitCap { cap, modes } => {
            let all: Vec<&str> = ds.modes.iter().map(|m| m.code.as_str()).collect();
            out.push(("cap", number(*cap)));
            out.push(("modes", codes(modes, &all)));
        }
    }
    out
}

/// `["peak", "offpeak"]`: the periods marked.
fn period_names(periods: &[bool; 2]) -> String {
    let on = ["peak", "offpeak"].into_iter().zip(periods);
    names(on.filter(|(_, b)| **b).map(|(n, _)| n))
}

#[cfg(test)]
mod tests {
    #[test]
    fn settings_are_the_values_a_file_writes() {
        let ds = crate::data::Dataset::builtin().unwrap();
        let text = include_str!("../../../../scenarios/dki-2023.toml");
        let s = crate::scenario::parse_scenario("f.toml", text, &ds).unwrap();
        let got = super::settings(&s, &ds);
        assert_eq!(got["period.start"], "2023-08-01");
        assert_eq!(got["accounting.rebound"], "true");
        assert_eq!(got["accounting.transit"], "\"marginal\"");
        assert_eq!(got["policy.1.employers"], "[\"dki\"]");
        assert_eq!(got["policy.1.work_regions"], "[]");
        assert_eq!(
            got["policy.1.compliance"],
            "{ central = 0.6, low = 0.25, high = 1.0, model = \"clustered\", \
             rho = { central = 0.3, low = 0.1, high = 0.6 }, \
             ramp_days = { central = 10.0, low = 5.0, high = 20.0 }, \
             ramp_from = { central = 0.43, low = 0.25, high = 1.0 } }"
        );
        // A policy without a model or ramp writes its range only.
        let mut p = s.policies[0].clone();
        p.uptake = crate::scenario::Uptake::IID;
        assert_eq!(
            super::compliance(&p.compliance, &p.uptake),
            "{ central = 0.6, low = 0.25, high = 1.0 }"
        );
        assert_eq!(
            got["policy.1.schedule"],
            "[{ from = 2023-08-21, to = 2023-09-03, share = 0.5 }, \
             { from = 2023-09-04, to = 2023-09-07, share = 0.75 }, \
             { from = 2023-09-08, to = 2023-10-21, share = 0.5 }]"
        );
        // Each value reads back as TOML.
        for (k, v) in &got {
            let t = format!("x = {v}");
            assert!(t.parse::<toml::Table>().is_ok(), "{k}: {v}");
        }
    }
}
