//! Reading and validating scenario TOML. Only a TOML syntax error stops the reading;
//! everything else (unknown keys, wrong types, bad values, names the dataset does not
//! know, overlapping windows) is collected, so one `wfhsim validate` reports every problem
//! of a file, each at its line and column.

use std::collections::BTreeMap;
type Span = std::ops::Range<usize>;

use toml::{Spanned, Table, Value};

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

/// The performance workload of docs/performance.md: shipped in `scenarios/` so that it runs
/// with the ordinary `wfhsim run scenarios/bench-all-workers.toml`, but not part of the
/// default study (it is not a policy anyone proposed).
pub const BENCHMARK_SCENARIO: (&str, &str) = (
    "bench-all-workers.toml",
    include_str!("../../scenarios/bench-all-workers.toml"),
);

pub fn builtin_scenarios(ds: &Dataset) -> Result<Vec<Scenario>, ScenarioError> {
    BUILTIN_SCENARIOS
        .iter()
        .map(|(f, t)| parse_scenario(&format!("builtin:{f}"), t, ds))
        .collect()
}

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

/// The valid name closest to `name`, if it is close enough to be a likely misspelling.
fn nearest<'v>(name: &str, valid: &[&'v str]) -> Option<&'v str> {
    valid
        .iter()
        .min_by_key(|v| levenshtein(name, v))
        .filter(|b| levenshtein(name, b) <= name.chars().count().max(3) / 2)
        .copied()
}

fn unknown_name(what: &str, name: &str, valid: &[&str]) -> String {
    // Long lists (parameter keys) are pointed to rather than printed.
    let list = if valid.len() <= 20 {
        format!("valid: {}", valid.join(", "))
    } else {
        "`wfhsim data` lists them".to_string()
    };
    match nearest(name, valid) {
        Some(b) => format!("unknown {what} '{name}'; did you mean '{b}'? ({list})"),
        None => format!("unknown {what} '{name}' ({list})"),
    }
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    let before = &text[..o];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// `path.key`, quoting keys that are not bare TOML keys (`parameters."ef.car.co2"`).
fn join(path: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let k = if bare {
        key.to_string()
    } else {
        format!("\"{key}\"")
    };
    if path.is_empty() {
        k
    } else {
        format!("{path}.{k}")
    }
}

/// The shape of the file with the position of every value, read in a second pass over
/// text that already parsed, so that every problem can point at its line and column.
enum Node {
    Leaf,
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(String, Spanned<Node>)>),
}

/// The toml crate hands a date-time to serde as a one-entry table under this key.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a TOML value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_str<E>(self, _: &str) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<Spanned<Node>>()? {
                    v.push(x);
                }
                Ok(Node::Seq(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = a.next_key::<String>()? {
                    if k == TOML_DATETIME_KEY {
                        a.next_value::<serde::de::IgnoredAny>()?;
                        return Ok(Node::Leaf);
                    }
                    v.push((k, a.next_value::<Spanned<Node>>()?));
                }
                Ok(Node::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

fn flatten(path: &str, n: &Node, out: &mut BTreeMap<String, Span>) {
    let mut add = |p: String, x: &Spanned<Node>| {
        out.insert(p.clone(), x.span());
        flatten(&p, x.get_ref(), out);
    };
    match n {
        Node::Leaf => {}
        Node::Seq(v) => v
            .iter()
            .enumerate()
            .for_each(|(i, x)| add(format!("{path}[{i}]"), x)),
        Node::Map(v) => v.iter().for_each(|(k, x)| add(join(path, k), x)),
    }
}

/// Parses and validates one scenario file. `file` names it in every message.
pub fn parse_scenario(file: &str, text: &str, ds: &Dataset) -> Result<Scenario, ScenarioError> {
    let err = |problems: Vec<Problem>| ScenarioError {
        file: file.to_string(),
        problems,
    };
    let root: Table = text.parse().map_err(|e: toml::de::Error| {
        let at = e.span().map(|s| line_col(text, s.start));
        let message = e.message().trim().replace('\n', "; ");
        let quoted = at
            .and_then(|(l, c)| {
                let src = text.lines().nth(l - 1)?;
                let pad = " ".repeat(l.to_string().len());
                Some(format!(
                    "\n{l} | {src}\n{pad} | {}^",
                    " ".repeat(c.saturating_sub(1))
                ))
            })
            .unwrap_or_default();
        err(vec![Problem {
            key: String::new(),
            at,
            message: format!("TOML syntax error: {message}{quoted}"),
        }])
    })?;
    let mut spans = BTreeMap::new();
    // Cannot fail on text that parsed above; without positions, messages just lack them.
    if let Ok(Node::Map(v)) = toml::from_str::<Node>(text) {
        flatten("", &Node::Map(v), &mut spans);
    }
    let mut r = Reader {
        ds,
        text,
        spans,
        suggested: Vec::new(),
        problems: Vec::new(),
    };
    let s = r.scenario(&root, file, text);
    if r.problems.is_empty() {
        Ok(s)
    } else {
        // In file order; problems without a position (the whole file) last.
        r.problems.sort_by_key(|p| (p.at.is_none(), p.at));
        Err(err(r.problems))
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string \"{s}\""),
        Value::Integer(i) => format!("the integer {i}"),
        Value::Float(f) => format!("the number {}", num(*f)),
        Value::Boolean(b) => format!("{b}"),
        Value::Datetime(d) => format!("the date-time {d}"),
        Value::Array(_) => "a list [...]".into(),
        Value::Table(_) => "a table".into(),
    }
}

/// A number as a reader would write it: plain, or in exponent form when it is huge or
/// tiny (so 1e308 is not printed with 309 digits).
fn num(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && a.is_finite() && !(1e-6..1e9).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// What a share out of range means, with the fraction a percentage was probably meant as.
fn share_problem(v: f64) -> String {
    let shown = num(v);
    if v > 1.0 && v <= 100.0 && v.fract() == 0.0 {
        let f = (v / 100.0 * 1e6).round() / 1e6;
        format!("{shown} is outside 0..1: a share is a fraction, 0.5 means 50%; did you mean {f}?")
    } else {
        format!("{shown} is outside 0..1: a share is a fraction, 0.5 means 50%")
    }
}

/// One pass over the parsed TOML that collects every problem with its position.
struct Reader<'a> {
    ds: &'a Dataset,
    text: &'a str,
    spans: BTreeMap<String, Span>,
    /// Keys suggested for a misspelt one: not reported again as missing.
    suggested: Vec<String>,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn at(&self, path: &str) -> Option<(usize, usize)> {
        self.spans.get(path).map(|s| line_col(self.text, s.start))
    }

    fn problem(&mut self, path: &str, message: impl Into<String>) {
        let at = self.at(path);
        self.problems.push(Problem {
            key: path.to_string(),
            at,
            message: message.into(),
        });
    }

    fn wrong_type(&mut self, path: &str, expected: &str, v: &Value) {
        self.problem(path, format!("expected {expected}, found {}", describe(v)));
    }

    /// Reports keys of `t` not in `allowed`, at the key's own column where it can be found.
    fn unknown_keys(&mut self, tpath: &str, t: &Table, allowed: &[&str]) {
        for k in t.keys().filter(|k| !allowed.contains(&k.as_str())) {
            let at = self.spans.get(&join(tpath, k)).map(|s| {
                let before = self.text.get(..s.start).unwrap_or_default();
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let start = before[line_start..]
                    .rfind(k.as_str())
                    .map_or(s.start, |i| line_start + i);
                line_col(self.text, start)
            });
            if let Some(b) = nearest(k, allowed) {
                self.suggested.push(join(tpath, b));
            }
            self.problems.push(Problem {
                key: tpath.to_string(),
                at,
                message: unknown_name("key", k, allowed),
            });
        }
    }

    /// A required key: a missing one is reported at its table.
    fn req<'v>(&mut self, tpath: &str, t: &'v Table, key: &str, hint: &str) -> Option<&'v Value> {
        let v = t.get(key);
        if v.is_none() && !self.suggested.contains(&join(tpath, key)) {
            let at = self.at(tpath);
            self.problems.push(Problem {
                key: join(tpath, key),
                at,
                message: format!("missing; {hint}"),
            });
        }
        v
    }

    fn string(&mut self, path: &str, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong_type(path, "a string in quotes", v);
                None
            }
        }
    }

    fn number(&mut self, path: &str, v: &Value) -> Option<f64> {
        match v {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) if f.is_finite() => Some(*f),
            Value::Float(f) => {
                self.problem(path, format!("{f} is not allowed: give a finite number"));
                None
            }
            _ => {
                self.wrong_type(path, "a number", v);
                None
            }
        }
    }

    /// A share: a number in 0..1.
    fn share(&mut self, path: &str, v: &Value) -> Option<f64> {
        if let Value::String(s) = v
            && let Some(pct) = s
                .strip_suffix('%')
                .and_then(|n| n.trim().parse::<f64>().ok())
        {
            let f = (pct / 100.0 * 1e6).round() / 1e6;
            self.problem(
                path,
                format!(
                    "expected a number, found the string \"{s}\"; write {s} as {f} (0.5 means 50%)"
                ),
            );
            return None;
        }
        let x = self.number(path, v)?;
        if (0.0..=1.0).contains(&x) {
            Some(x)
        } else {
            self.problem(path, share_problem(x));
            None
        }
    }

    fn date(&mut self, path: &str, v: &Value) -> Option<Date> {
        match v {
            Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    Date::from_ymd(d.year as i32, d.month as u32, d.day as u32)
                }
                _ => {
                    self.problem(
                        path,
                        format!("{dt} is not a plain date; write it as YYYY-MM-DD"),
                    );
                    None
                }
            },
            Value::String(s) if Date::parse(s).is_some() => {
                self.problem(
                    path,
                    format!(
                        "expected a date, found the string \"{s}\"; write dates without quotes: {s}"
                    ),
                );
                None
            }
            _ => {
                self.wrong_type(path, "a date YYYY-MM-DD (without quotes)", v);
                None
            }
        }
    }

    /// A list of names, each checked against the dataset's `valid` names.
    fn names(&mut self, path: &str, what: &str, v: &Value, valid: &[&str]) -> Vec<usize> {
        let Value::Array(items) = v else {
            let eg = valid.first().unwrap_or(&"...");
            self.wrong_type(path, &format!("a list of {what} names, e.g. [\"{eg}\"]"), v);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            if let Some(g) = self.string(&p, item) {
                match valid.iter().position(|v| *v == g) {
                    Some(ix) => out.push(ix),
                    None => self.problem(&p, unknown_name(what, &g, valid)),
                }
            }
        }
        out
    }

    fn choice<T: Copy>(&mut self, path: &str, v: &Value, allowed: &[(&str, T)]) -> Option<T> {
        let names: Vec<String> = allowed.iter().map(|(n, _)| format!("'{n}'")).collect();
        let s = match v {
            Value::String(s) => s,
            _ => {
                self.wrong_type(path, &format!("one of {}", names.join(", ")), v);
                return None;
            }
        };
        let found = allowed.iter().find(|(n, _)| n == s).map(|(_, x)| *x);
        if found.is_none() {
            self.problem(
                path,
                format!("'{s}' is not allowed; use one of {}", names.join(", ")),
            );
        }
        found
    }

    fn table<'v>(
        &mut self,
        path: &str,
        v: &'v Value,
        allowed: &[&str],
        what: &str,
    ) -> Option<&'v Table> {
        match v {
            Value::Table(t) => {
                self.unknown_keys(path, t, allowed);
                Some(t)
            }
            _ => {
                self.wrong_type(path, what, v);
                None
            }
        }
    }

    fn scenario(&mut self, root: &Table, file: &str, text: &str) -> Scenario {
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
            // Occupancies divide: they must be positive; everything else non-negative.
            let positive = k.starts_with("occupancy.");
            let ok = |v: f64| if positive { v > 0.0 } else { v >= 0.0 };
            let bad_range = !ok(value)
                || low.is_some_and(|l| !(ok(l) && l <= value))
                || high.is_some_and(|h| !(ok(h) && value <= h));
            if bad_range {
                let allowed = if positive { "> 0" } else { ">= 0" };
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

#[cfg(test)]
mod tests {
    use super::{num, share_problem};

    #[test]
    fn numbers_in_messages_stay_short() {
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(50.0), "50");
        assert_eq!(num(1e308), "1e308");
        assert_eq!(num(-2.5e-9), "-2.5e-9");
        assert_eq!(num(0.0), "0");
        assert_eq!(
            share_problem(1e308),
            "1e308 is outside 0..1: a share is a fraction, 0.5 means 50%"
        );
    }
}
