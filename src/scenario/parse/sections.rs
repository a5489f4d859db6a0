//! The sections of a scenario file: the top level, [period], [accounting], [parameters]
//! and each [[policy]] with its compliance and schedule, read with the [`Reader`]'s value
//! checks into a [`Scenario`], and the check that no two policies govern the same workers
//! on the same day.

use toml::{Table, Value};

use super::{Reader, num};
use crate::calendar::Date;
use crate::scenario::names::unknown_name;
use crate::scenario::spans::join;
use crate::scenario::{
    Assignment, ParameterOverride, Policy, Range, SCHEMA_VERSION, Scenario, ShareBase, ShareRule,
    TransitAccounting, Window,
};

/// Parameter groups a scenario may override (accounting inputs; the population is shared
/// by every scenario of a run, so its inputs are not overridable per scenario).
const OVERRIDABLE: [&str; 5] = ["ef.", "occupancy.", "ridehail.", "grid.", "rebound."];

/// The keys each table may hold.
const TOP_KEYS: [&str; 8] = [
    "schema_version",
    "name",
    "title",
    "description",
    "period",
    "accounting",
    "parameters",
    "policy",
];
const PERIOD_KEYS: [&str; 2] = ["start", "end"];
const ACCOUNTING_KEYS: [&str; 2] = ["transit", "rebound"];
const OVERRIDE_KEYS: [&str; 3] = ["value", "low", "high"];
const POLICY_KEYS: [&str; 11] = [
    "name",
    "employers",
    "work_regions",
    "home_regions",
    "exempt_roles",
    "assignment",
    "share_rule",
    "share_base",
    "compliance",
    "schedule",
    "source",
];
const RANGE_KEYS: [&str; 3] = ["central", "low", "high"];
const WINDOW_KEYS: [&str; 3] = ["from", "to", "share"];

const ASSIGNMENTS: [(&str, Assignment); 2] = [
    ("rotation", Assignment::Rotation),
    ("random_daily", Assignment::RandomDaily),
];
const SHARE_RULES: [(&str, ShareRule); 2] = [
    ("ceiling", ShareRule::Ceiling),
    ("target", ShareRule::Target),
];
const SHARE_BASES: [(&str, ShareBase); 2] =
    [("unit", ShareBase::Unit), ("eligible", ShareBase::Eligible)];
const TRANSIT: [(&str, TransitAccounting); 2] = [
    ("marginal", TransitAccounting::Marginal),
    ("average", TransitAccounting::Average),
];

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

impl Reader<'_> {
    pub(super) fn scenario(&mut self, root: &Table, file: &str, text: &str) -> Scenario {
        self.unknown_keys("", root, &TOP_KEYS);
        if let Some(v) = self.req("", root, "schema_version", "add schema_version = 1") {
            match v {
                Value::Integer(SCHEMA_VERSION) => {}
                Value::Integer(i) => self.problem(
                    "schema_version",
                    format!(
                        "{i} is not supported; this wfhsim reads schema_version = {SCHEMA_VERSION}"
                    ),
                ),
                _ => self.wrong_type("schema_version", "the integer 1", v),
            }
        }
        let name = self
            .req(
                "",
                root,
                "name",
                "add name = \"my-scenario\" (a-z, 0-9, '-')",
            )
            .and_then(|v| self.string("name", v))
            .unwrap_or_default();
        if root.contains_key("name")
            && (name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        {
            self.problem(
                "name",
                format!("'{name}' must be non-empty and use only a-z, 0-9 and '-'"),
            );
        }
        let title = self
            .req("", root, "title", "add title = \"shown on charts\"")
            .and_then(|v| self.string("title", v))
            .unwrap_or_default();
        let description = root
            .get("description")
            .and_then(|v| self.string("description", v))
            .unwrap_or_default();

        let mut period = None;
        let hint = "add [period] with start = 2023-08-01 and end = 2023-10-31";
        if let Some(t) = self
            .req("", root, "period", hint)
            .and_then(|v| self.table("period", v, &PERIOD_KEYS, "a table [period] { start, end }"))
        {
            let start = self
                .req("period", t, "start", "add start = YYYY-MM-DD")
                .and_then(|v| self.date("period.start", v));
            let end = self
                .req("period", t, "end", "add end = YYYY-MM-DD")
                .and_then(|v| self.date("period.end", v));
            if let (Some(start), Some(end)) = (start, end) {
                let (y0, y1) = self.ds.calendar_years();
                if end < start {
                    self.problem(
                        "period.end",
                        format!("{end} is before period.start {start}"),
                    );
                } else if start.ymd().0 < y0 || end.ymd().0 > y1 {
                    self.problem("period", format!("{start}..{end} is outside the years the holiday calendar covers ({y0}..{y1}); add holidays to calendar.csv of a dataset folder to go further"));
                } else {
                    period = Some((start, end));
                }
            }
        }

        let mut transit = TransitAccounting::Marginal;
        let mut rebound = true;
        if let Some(t) = root.get("accounting").and_then(|v| {
            self.table(
                "accounting",
                v,
                &ACCOUNTING_KEYS,
                "a table [accounting] { transit, rebound }",
            )
        }) {
            if let Some(v) = t.get("transit") {
                transit = self
                    .choice("accounting.transit", v, &TRANSIT)
                    .unwrap_or(transit);
            }
            match t.get("rebound") {
                Some(Value::Boolean(b)) => rebound = *b,
                Some(v) => self.wrong_type("accounting.rebound", "true or false", v),
                None => {}
            }
        }

        let overrides = match root.get("parameters") {
            Some(Value::Table(t)) => self.overrides(t),
            Some(v) => {
                self.wrong_type("parameters", "a table [parameters]", v);
                Vec::new()
            }
            None => Vec::new(),
        };

        let mut policies = Vec::new();
        match root.get("policy") {
            None => self.problem("policy", "a scenario needs at least one [[policy]]"),
            Some(Value::Array(ps)) if ps.is_empty() => {
                self.problem("policy", "a scenario needs at least one [[policy]]")
            }
            Some(Value::Array(ps)) => {
                for (i, p) in ps.iter().enumerate() {
                    if let Some(p) = self.policy(i, p, period) {
                        policies.push(p);
                    }
                }
            }
            Some(v) => {
                self.wrong_type("policy", "a list of [[policy]] tables (double brackets)", v)
            }
        }
        self.overlaps(&policies);
        let (start, end) = period.unwrap_or((Date(0), Date(0)));
        Scenario {
            name,
            title,
            description,
            origin: file.to_string(),
            hash: sha256_hex(text),
            start,
            end,
            transit,
            rebound,
            overrides,
            policies,
        }
    }

    fn overrides(&mut self, t: &Table) -> Vec<ParameterOverride> {
        let mut out = Vec::new();
        for (k, v) in t {
            let key = join("parameters", k);
            if !self.ds.params.contains(k) {
                let valid: Vec<&str> = self
                    .ds
                    .params
                    .iter()
                    .map(|p| p.key.as_str())
                    .filter(|k| OVERRIDABLE.iter().any(|g| k.starts_with(g)))
                    .collect();
                self.problem(&key, unknown_name("parameter", k, &valid));
                continue;
            }
            if !OVERRIDABLE.iter().any(|g| k.starts_with(g)) {
                self.problem(&key, format!("'{k}' shapes the shared population and cannot be overridden per scenario; overridable groups: {}", OVERRIDABLE.join(", ")));
                continue;
            }
            let (value, low, high) = match v {
                Value::Table(r) => {
                    self.unknown_keys(&key, r, &OVERRIDE_KEYS);
                    let value = self
                        .req(
                            &key,
                            r,
                            "value",
                            "give value = a number (low and high are optional)",
                        )
                        .and_then(|v| self.number(&join(&key, "value"), v));
                    let low = r
                        .get("low")
                        .and_then(|v| self.number(&join(&key, "low"), v));
                    let high = r
                        .get("high")
                        .and_then(|v| self.number(&join(&key, "high"), v));
                    let Some(value) = value else { continue };
                    (value, low, high)
                }
                _ => match self.number(&key, v) {
                    Some(x) => (x, None, None),
                    None => continue,
                },
            };
            // Occupancies divide: they must be clearly positive; everything else
            // non-negative. Both are bounded so that the accounting cannot overflow (a
            // factor of 1e308 passed validation and failed the run later).
            let (lo, hi, allowed) = if k.starts_with("occupancy.") {
                (0.01, 1e4, "between 0.01 and 10000")
            } else {
                (0.0, 1e6, "between 0 and 1e6")
            };
            let ok = |v: f64| (lo..=hi).contains(&v);
            let bad_range = !ok(value)
                || low.is_some_and(|l| !(ok(l) && l <= value))
                || high.is_some_and(|h| !(ok(h) && value <= h));
            if bad_range {
                let show = |x: Option<f64>| x.map_or("none".to_string(), num);
                self.problem(
                    &key,
                    format!(
                        "value {} (low {}, high {}) must be {allowed}, with low <= value <= high",
                        num(value),
                        show(low),
                        show(high)
                    ),
                );
            }
            out.push(ParameterOverride {
                key: k.clone(),
                value,
                low,
                high,
            });
        }
        out
    }

    fn policy(&mut self, i: usize, v: &Value, period: Option<(Date, Date)>) -> Option<Policy> {
        let k = format!("policy[{i}]");
        let p = self.table(&k, v, &POLICY_KEYS, "a [[policy]] table")?;
        let ds = self.ds;
        let emp: Vec<&str> = ds.employers.iter().map(|e| e.code.as_str()).collect();
        let reg: Vec<&str> = ds.regions.iter().map(|e| e.code.as_str()).collect();
        let rol: Vec<&str> = ds.roles.iter().map(|e| e.code.as_str()).collect();
        let key = |f: &str| join(&k, f);
        let name = self
            .req(&k, p, "name", "add name = \"what the order is\"")
            .and_then(|v| self.string(&key("name"), v))
            .unwrap_or_default();
        let employers = match self.req(
            &k,
            p,
            "employers",
            &format!(
                "list them, e.g. employers = [\"dki\"] (valid: {})",
                emp.join(", ")
            ),
        ) {
            Some(v) => {
                let e = self.names(&key("employers"), "employer", v, &emp);
                if matches!(v, Value::Array(a) if a.is_empty()) {
                    self.problem(
                        &key("employers"),
                        format!("list at least one employer (valid: {})", emp.join(", ")),
                    );
                }
                e
            }
            None => Vec::new(),
        };
        let mut names = |f: &str, what: &str, valid: &[&str]| match p.get(f) {
            Some(v) => self.names(&key(f), what, v, valid),
            None => Vec::new(),
        };
        let work_regions = names("work_regions", "region", &reg);
        let home_regions = names("home_regions", "region", &reg);
        let ex = names("exempt_roles", "role", &rol);
        let exempt = (0..rol.len()).map(|r| ex.contains(&r)).collect();
        let assignment = self
            .req(
                &k,
                p,
                "assignment",
                "add assignment = \"rotation\" or \"random_daily\"",
            )
            .and_then(|v| self.choice(&key("assignment"), v, &ASSIGNMENTS))
            .unwrap_or(Assignment::Rotation);
        let share_rule = self
            .req(
                &k,
                p,
                "share_rule",
                "add share_rule = \"ceiling\" or \"target\"",
            )
            .and_then(|v| self.choice(&key("share_rule"), v, &SHARE_RULES))
            .unwrap_or(ShareRule::Ceiling);
        let share_base = p
            .get("share_base")
            .and_then(|v| self.choice(&key("share_base"), v, &SHARE_BASES))
            .unwrap_or(ShareBase::Unit);
        if let Some(v) = p.get("source") {
            self.string(&key("source"), v);
        }
        let compliance = self
            .req(
                &k,
                p,
                "compliance",
                "add compliance = { central = 0.85, low = 0.6, high = 1.0 }",
            )
            .and_then(|v| self.compliance(&key("compliance"), v))
            .unwrap_or(Range {
                central: 1.0,
                low: 1.0,
                high: 1.0,
            });
        let windows = match self.req(
            &k,
            p,
            "schedule",
            "add schedule = [{ from = 2023-08-21, to = 2023-09-03, share = 0.5 }]",
        ) {
            Some(v) => self.schedule(&key("schedule"), v, period),
            None => Vec::new(),
        };
        Some(Policy {
            name,
            employers,
            work_regions,
            home_regions,
            exempt,
            assignment,
            share_rule,
            share_base,
            compliance,
            windows,
        })
    }

    fn compliance(&mut self, path: &str, v: &Value) -> Option<Range> {
        let t = self.table(
            path,
            v,
            &RANGE_KEYS,
            "a table { central = 0.85, low = 0.6, high = 1.0 }",
        )?;
        let central = self
            .req(
                path,
                t,
                "central",
                "give central = the share of assigned staff who stay home, e.g. 0.85",
            )
            .and_then(|v| self.share(&join(path, "central"), v));
        let mut part = |f: &str| match t.get(f) {
            None => Some(central),
            Some(v) => self.share(&join(path, f), v).map(Some),
        };
        let (low, high) = (part("low")?, part("high")?);
        let central = central?;
        let (low, high) = (low.unwrap_or(central), high.unwrap_or(central));
        let order = if low > high {
            Some(format!("low {low} is above high {high}"))
        } else if low > central {
            Some(format!("low {low} is above central {central}"))
        } else if central > high {
            Some(format!("central {central} is above high {high}"))
        } else {
            None
        };
        match order {
            Some(o) => {
                self.problem(path, format!("{o}; needs low <= central <= high"));
                None
            }
            None => Some(Range { central, low, high }),
        }
    }

    fn schedule(&mut self, path: &str, v: &Value, period: Option<(Date, Date)>) -> Vec<Window> {
        let Value::Array(items) = v else {
            self.wrong_type(path, "a list of windows [{ from, to, share }, ...]", v);
            return Vec::new();
        };
        if items.is_empty() {
            self.problem(path, "list at least one window { from, to, share }");
        }
        let mut windows: Vec<Window> = Vec::new();
        for (j, item) in items.iter().enumerate() {
            let wk = format!("{path}[{j}]");
            let what = "a window { from = YYYY-MM-DD, to = YYYY-MM-DD, share = 0..1 }";
            let Some(t) = self.table(&wk, item, &WINDOW_KEYS, what) else {
                continue;
            };
            let from = self
                .req(&wk, t, "from", "give from = the first day, YYYY-MM-DD")
                .and_then(|v| self.date(&join(&wk, "from"), v));
            let to = self
                .req(&wk, t, "to", "give to = the last day, YYYY-MM-DD")
                .and_then(|v| self.date(&join(&wk, "to"), v));
            let share = self
                .req(
                    &wk,
                    t,
                    "share",
                    "give share = the fraction at home, e.g. 0.5",
                )
                .and_then(|v| self.share(&join(&wk, "share"), v));
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if to < from {
                self.problem(
                    &join(&wk, "to"),
                    format!(
                        "{to} is before from = {from}; a window runs from its first to its last day"
                    ),
                );
                continue;
            }
            if let Some((start, end)) = period
                && (from < start || to > end)
            {
                self.problem(
                    &wk,
                    format!("{from}..{to} is not inside the scenario period {start}..{end}; move the window or widen [period]"),
                );
            }
            let Some(share) = share else { continue };
            if let Some((o, x)) = windows
                .iter()
                .enumerate()
                .find(|(_, x)| x.from <= to && from <= x.to)
            {
                self.problem(&wk, format!(
                    "{from}..{to} (share {share}) overlaps schedule[{o}] {}..{} (share {}) on {}..{}; windows of one policy must not overlap: split them, e.g. 0.5 to 3 Sep, 0.75 on 4-7 Sep, 0.5 from 8 Sep",
                    x.from, x.to, x.share, from.max(x.from), to.min(x.to)
                ));
            }
            windows.push(Window { from, to, share });
        }
        windows
    }

    /// Two policies may not govern the same workers on the same day.
    fn overlaps(&mut self, ps: &[Policy]) {
        let meet = |a: &[usize], b: &[usize]| {
            a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
        };
        for j in 0..ps.len() {
            for i in 0..j {
                let (a, b) = (&ps[i], &ps[j]);
                let Some(e) = a.employers.iter().find(|e| b.employers.contains(e)) else {
                    continue;
                };
                if !meet(&a.work_regions, &b.work_regions)
                    || !meet(&a.home_regions, &b.home_regions)
                {
                    continue;
                }
                let Some((x, y)) = a.windows.iter().find_map(|x| {
                    b.windows
                        .iter()
                        .find(|y| x.from <= y.to && y.from <= x.to)
                        .map(|y| (x, y))
                }) else {
                    continue;
                };
                let code = &self.ds.employers[*e].code;
                self.problem(&format!("policy[{j}]"), format!(
                    "'{}' covers employer '{code}' on {}..{} (share {}), as policy[{i}] '{}' does (share {}); two policies may not govern the same workers on the same day: give them disjoint dates, work_regions or home_regions",
                    b.name, y.from.max(x.from), y.to.min(x.to), y.share, a.name, x.share
                ));
            }
        }
    }
}
