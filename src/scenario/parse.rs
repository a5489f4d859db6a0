//! Reading and validating scenario TOML. Syntax and type errors come from the TOML parser
//! (with line and column); everything else is checked here and *all* problems are
//! reported at once.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::*;
use crate::data::Dataset;

/// Scenario files shipped in `scenarios/` and compiled in, run by `wfhsim run` with no
/// arguments (the default study).
pub const BUILTIN_SCENARIOS: [(&str, &str); 9] = [
    (
        "dki-2023.toml",
        include_str!("../../scenarios/dki-2023.toml"),
    ),
    (
        "dki-2023-50-only.toml",
        include_str!("../../scenarios/dki-2023-50-only.toml"),
    ),
    (
        "dki-2023-one-month.toml",
        include_str!("../../scenarios/dki-2023-one-month.toml"),
    ),
    (
        "dki-2023-day-one-uptake.toml",
        include_str!("../../scenarios/dki-2023-day-one-uptake.toml"),
    ),
    (
        "jabodetabek-2023-as-implemented.toml",
        include_str!("../../scenarios/jabodetabek-2023-as-implemented.toml"),
    ),
    (
        "inmendagri-full.toml",
        include_str!("../../scenarios/inmendagri-full.toml"),
    ),
    (
        "private-sector-joins.toml",
        include_str!("../../scenarios/private-sector-joins.toml"),
    ),
    (
        "narrow-exemptions.toml",
        include_str!("../../scenarios/narrow-exemptions.toml"),
    ),
    (
        "wide-exemptions.toml",
        include_str!("../../scenarios/wide-exemptions.toml"),
    ),
];

pub fn builtin_scenarios(ds: &Dataset) -> Result<Vec<Scenario>, ScenarioError> {
    BUILTIN_SCENARIOS
        .iter()
        .map(|(f, t)| parse_scenario(&format!("builtin:{f}"), t, ds))
        .collect()
}

/// Parameter groups a scenario may override (accounting inputs; the population is shared
/// by every scenario of a run, so its inputs are not overridable per scenario).
const OVERRIDABLE: [&str; 5] = ["ef.", "occupancy.", "ridehail.", "grid.", "rebound."];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    schema_version: i64,
    name: String,
    title: String,
    #[serde(default)]
    description: String,
    period: RawPeriod,
    #[serde(default)]
    accounting: RawAccounting,
    #[serde(default)]
    parameters: BTreeMap<String, RawOverride>,
    #[serde(default)]
    policy: Vec<RawPolicy>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    start: toml::value::Datetime,
    end: toml::value::Datetime,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAccounting {
    transit: Option<TransitAccounting>,
    rebound: Option<bool>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawOverride {
    Value(f64),
    Range {
        value: f64,
        low: Option<f64>,
        high: Option<f64>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    name: String,
    employers: Vec<String>,
    #[serde(default)]
    work_regions: Vec<String>,
    #[serde(default)]
    home_regions: Vec<String>,
    #[serde(default)]
    exempt_roles: Vec<String>,
    assignment: Assignment,
    share_rule: ShareRule,
    #[serde(default)]
    share_base: Option<ShareBase>,
    compliance: RawRange,
    schedule: Vec<RawWindow>,
    #[serde(default)]
    #[allow(dead_code)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    central: f64,
    low: Option<f64>,
    high: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWindow {
    from: toml::value::Datetime,
    to: toml::value::Datetime,
    share: f64,
}

impl<'de> Deserialize<'de> for Assignment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        enum_from_str(
            d,
            &[
                ("rotation", Assignment::Rotation),
                ("random_daily", Assignment::RandomDaily),
            ],
        )
    }
}
impl<'de> Deserialize<'de> for ShareRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        enum_from_str(
            d,
            &[
                ("ceiling", ShareRule::Ceiling),
                ("target", ShareRule::Target),
            ],
        )
    }
}
impl<'de> Deserialize<'de> for ShareBase {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        enum_from_str(
            d,
            &[("unit", ShareBase::Unit), ("eligible", ShareBase::Eligible)],
        )
    }
}
impl<'de> Deserialize<'de> for TransitAccounting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        enum_from_str(
            d,
            &[
                ("marginal", TransitAccounting::Marginal),
                ("average", TransitAccounting::Average),
            ],
        )
    }
}

fn enum_from_str<'de, D: serde::Deserializer<'de>, T: Copy>(
    d: D,
    allowed: &[(&str, T)],
) -> Result<T, D::Error> {
    let s = String::deserialize(d)?;
    allowed
        .iter()
        .find(|(n, _)| *n == s)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<String> = allowed.iter().map(|(n, _)| format!("'{n}'")).collect();
            serde::de::Error::custom(format!(
                "'{s}' is not allowed; use one of {}",
                names.join(", ")
            ))
        })
}

/// Edit distance, for "did you mean" suggestions.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

fn unknown_name(what: &str, name: &str, valid: &[&str]) -> String {
    let best = valid.iter().min_by_key(|v| levenshtein(name, v));
    // Long lists (parameter keys) are pointed to rather than printed.
    let list = if valid.len() <= 20 {
        format!("valid: {}", valid.join(", "))
    } else {
        "`wfhsim data` lists them".to_string()
    };
    match best {
        Some(b) if levenshtein(name, b) <= name.len().max(3) / 2 => {
            format!("unknown {what} '{name}'; did you mean '{b}'? ({list})")
        }
        _ => format!("unknown {what} '{name}' ({list})"),
    }
}

fn to_date(dt: &toml::value::Datetime) -> Option<Date> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => Date::from_ymd(d.year as i32, d.month as u32, d.day as u32),
        _ => None,
    }
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// Parses and validates one scenario file. `file` names it in every message.
pub fn parse_scenario(file: &str, text: &str, ds: &Dataset) -> Result<Scenario, ScenarioError> {
    let err = |problems: Vec<Problem>| ScenarioError {
        file: file.to_string(),
        problems,
    };
    let raw: RawScenario = toml::from_str(text).map_err(|e| {
        let msg = e.to_string().trim_end().replace("TOML parse error at ", "");
        err(vec![Problem {
            key: String::new(),
            message: msg,
        }])
    })?;
    let mut v = Validator {
        ds,
        problems: Vec::new(),
    };
    let s = v.scenario(raw, file, text);
    if v.problems.is_empty() {
        Ok(s)
    } else {
        Err(err(v.problems))
    }
}

struct Validator<'a> {
    ds: &'a Dataset,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn problem(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            key: key.into(),
            message: message.into(),
        });
    }

    fn date(&mut self, key: &str, dt: &toml::value::Datetime) -> Date {
        to_date(dt).unwrap_or_else(|| {
            self.problem(
                key,
                format!("'{dt}' is not a plain date; write it as YYYY-MM-DD without quotes"),
            );
            Date(0)
        })
    }

    fn names(&mut self, key: &str, what: &str, given: &[String], valid: &[&str]) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, g) in given.iter().enumerate() {
            match valid.iter().position(|v| v == g) {
                Some(ix) => out.push(ix),
                None => self.problem(format!("{key}[{i}]"), unknown_name(what, g, valid)),
            }
        }
        out
    }

    fn scenario(&mut self, raw: RawScenario, file: &str, text: &str) -> Scenario {
        if raw.schema_version != SCHEMA_VERSION {
            self.problem(
                "schema_version",
                format!(
                    "{} is not supported; this wfhsim reads schema_version = {SCHEMA_VERSION}",
                    raw.schema_version
                ),
            );
        }
        if raw.name.is_empty()
            || !raw
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            self.problem(
                "name",
                format!(
                    "'{}' must be non-empty and use only a-z, 0-9 and '-'",
                    raw.name
                ),
            );
        }
        let start = self.date("period.start", &raw.period.start);
        let end = self.date("period.end", &raw.period.end);
        if end < start {
            self.problem(
                "period.end",
                format!("{end} is before period.start {start}"),
            );
        }
        let (y0, y1) = self.ds.calendar_years();
        if start.ymd().0 < y0 || end.ymd().0 > y1 {
            self.problem("period", format!("{start}..{end} is outside the years the holiday calendar covers ({y0}..{y1}); add holidays to calendar.csv of a dataset folder to go further"));
        }
        let mut overrides = Vec::new();
        for (k, o) in raw.parameters {
            let key = format!("parameters.\"{k}\"");
            let (value, low, high) = match o {
                RawOverride::Value(v) => (v, None, None),
                RawOverride::Range { value, low, high } => (value, low, high),
            };
            if !self.ds.params.contains(&k) {
                let valid: Vec<&str> = self
                    .ds
                    .params
                    .iter()
                    .map(|p| p.key.as_str())
                    .filter(|k| OVERRIDABLE.iter().any(|g| k.starts_with(g)))
                    .collect();
                self.problem(key, unknown_name("parameter", &k, &valid));
                continue;
            }
            if !OVERRIDABLE.iter().any(|g| k.starts_with(g)) {
                self.problem(key, format!("'{k}' shapes the shared population and cannot be overridden per scenario; overridable groups: {}", OVERRIDABLE.join(", ")));
                continue;
            }
            // Occupancies divide: they must be positive; everything else non-negative.
            let positive = k.starts_with("occupancy.");
            let ok = |v: f64| v.is_finite() && if positive { v > 0.0 } else { v >= 0.0 };
            let bad_range = !ok(value)
                || low.is_some_and(|l| !(ok(l) && l <= value))
                || high.is_some_and(|h| !(ok(h) && value <= h));
            if bad_range {
                let allowed = if positive { "> 0" } else { ">= 0" };
                self.problem(
                    key,
                    format!("value {value} (low {low:?}, high {high:?}) must be finite, {allowed}, with low <= value <= high"),
                );
            }
            overrides.push(ParameterOverride {
                key: k,
                value,
                low,
                high,
            });
        }
        if raw.policy.is_empty() {
            self.problem("policy", "a scenario needs at least one [[policy]]");
        }
        let policies: Vec<Policy> = raw
            .policy
            .into_iter()
            .enumerate()
            .map(|(i, p)| self.policy(i, p, start, end))
            .collect();
        self.overlaps(&policies);
        Scenario {
            name: raw.name,
            title: raw.title,
            description: raw.description,
            origin: file.to_string(),
            hash: sha256_hex(text),
            start,
            end,
            transit: raw
                .accounting
                .transit
                .unwrap_or(TransitAccounting::Marginal),
            rebound: raw.accounting.rebound.unwrap_or(true),
            overrides,
            policies,
        }
    }

    fn policy(&mut self, i: usize, p: RawPolicy, start: Date, end: Date) -> Policy {
        let k = format!("policy[{i}]");
        let ds = self.ds;
        let emp: Vec<&str> = ds.employers.iter().map(|e| e.code.as_str()).collect();
        let reg: Vec<&str> = ds.regions.iter().map(|e| e.code.as_str()).collect();
        let rol: Vec<&str> = ds.roles.iter().map(|e| e.code.as_str()).collect();
        if p.employers.is_empty() {
            self.problem(
                format!("{k}.employers"),
                format!("list at least one employer (valid: {})", emp.join(", ")),
            );
        }
        let employers = self.names(&format!("{k}.employers"), "employer", &p.employers, &emp);
        let work_regions = self.names(
            &format!("{k}.work_regions"),
            "region",
            &p.work_regions,
            &reg,
        );
        let home_regions = self.names(
            &format!("{k}.home_regions"),
            "region",
            &p.home_regions,
            &reg,
        );
        let ex = self.names(&format!("{k}.exempt_roles"), "role", &p.exempt_roles, &rol);
        let exempt = (0..rol.len()).map(|r| ex.contains(&r)).collect();
        let c = &p.compliance;
        let (low, high) = (c.low.unwrap_or(c.central), c.high.unwrap_or(c.central));
        if !(0.0 <= low && low <= c.central && c.central <= high && high <= 1.0) {
            self.problem(format!("{k}.compliance"), format!(
                "needs 0 <= low <= central <= high <= 1; got low {low}, central {}, high {high}", c.central
            ));
        }
        if p.schedule.is_empty() {
            self.problem(
                format!("{k}.schedule"),
                "list at least one window { from, to, share }",
            );
        }
        let mut windows: Vec<Window> = Vec::new();
        for (j, w) in p.schedule.iter().enumerate() {
            let wk = format!("{k}.schedule[{j}]");
            let from = self.date(&format!("{wk}.from"), &w.from);
            let to = self.date(&format!("{wk}.to"), &w.to);
            if to < from {
                self.problem(format!("{wk}.to"), format!("{to} is before from = {from}"));
            }
            if from < start || to > end {
                self.problem(
                    wk.clone(),
                    format!("{from}..{to} is outside the scenario period {start}..{end}"),
                );
            }
            if !(0.0..=1.0).contains(&w.share) {
                self.problem(
                    format!("{wk}.share"),
                    format!("{} is outside 0..1 (write 50% as 0.5)", w.share),
                );
            }
            if let Some(o) = windows.iter().position(|x| x.from <= to && from <= x.to) {
                self.problem(wk.clone(), format!("{from}..{to} overlaps schedule[{o}]; windows of one policy must not overlap (split them, e.g. 50% to 3 Sep, 75% 4-7 Sep, 50% from 8 Sep)"));
            }
            windows.push(Window {
                from,
                to,
                share: w.share,
            });
        }
        Policy {
            name: p.name,
            employers,
            work_regions,
            home_regions,
            exempt,
            assignment: p.assignment,
            share_rule: p.share_rule,
            share_base: p.share_base.unwrap_or(ShareBase::Unit),
            compliance: Range {
                central: c.central,
                low,
                high,
            },
            windows,
        }
    }

    /// Two policies may not govern the same workers on the same day.
    fn overlaps(&mut self, ps: &[Policy]) {
        let meet = |a: &[usize], b: &[usize]| {
            a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
        };
        for i in 0..ps.len() {
            for j in i + 1..ps.len() {
                let (a, b) = (&ps[i], &ps[j]);
                let dates = a
                    .windows
                    .iter()
                    .any(|x| b.windows.iter().any(|y| x.from <= y.to && y.from <= x.to));
                if a.employers.iter().any(|e| b.employers.contains(e))
                    && meet(&a.work_regions, &b.work_regions)
                    && meet(&a.home_regions, &b.home_regions)
                    && dates
                {
                    self.problem(format!("policy[{j}]"), format!(
                        "covers the same employer, regions and dates as policy[{i}] ('{}'); give them disjoint work_regions or dates",
                        a.name
                    ));
                }
            }
        }
    }
}
