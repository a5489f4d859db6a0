//! The sections of a scenario file: the top level, [period], [accounting], [parameters]
//! and each [[policy]] with its compliance and schedule, read with the [`Reader`]'s value
//! checks into a [`Scenario`]. A value that cannot be read gets a stand-in and is marked
//! unread, so that the scenario keeps the file's shape (policy and window indices) for
//! the validator.

use toml::{Table, Value};

use super::Reader;
use crate::calendar::Date;
use crate::scenario::spans::join;
use crate::scenario::{
    Assignment, ComplianceModel, EmissionModel, ParameterOverride, Policy, Range, SCHEMA_VERSION,
    Scenario, ShareBase, ShareRule, TransitAccounting, Uptake, Window,
};

/// The keys each table may hold.
pub(in crate::scenario) const TOP_KEYS: [&str; 11] = [
    "schema_version",
    "extends",
    "name",
    "title",
    "title_id",
    "description",
    "period",
    "accounting",
    "parameters",
    "policy",
    "measure",
];
pub(in crate::scenario) const PERIOD_KEYS: [&str; 2] = ["start", "end"];
pub(in crate::scenario) const ACCOUNTING_KEYS: [&str; 3] = ["transit", "rebound", "emission_model"];
pub(in crate::scenario) const OVERRIDE_KEYS: [&str; 3] = ["value", "low", "high"];
pub(in crate::scenario) const POLICY_KEYS: [&str; 11] = [
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
pub(in crate::scenario) const RANGE_KEYS: [&str; 3] = ["central", "low", "high"];
pub(in crate::scenario) const COMPLIANCE_KEYS: [&str; 7] = [
    "central",
    "low",
    "high",
    "model",
    "rho",
    "ramp_days",
    "ramp_from",
];
pub(in crate::scenario) const WINDOW_KEYS: [&str; 3] = ["from", "to", "share"];

pub(in crate::scenario) const ASSIGNMENTS: [(&str, Assignment); 2] = [
    ("rotation", Assignment::Rotation),
    ("random_daily", Assignment::RandomDaily),
];
pub(in crate::scenario) const SHARE_RULES: [(&str, ShareRule); 2] = [
    ("ceiling", ShareRule::Ceiling),
    ("target", ShareRule::Target),
];
pub(in crate::scenario) const SHARE_BASES: [(&str, ShareBase); 2] =
    [("unit", ShareBase::Unit), ("eligible", ShareBase::Eligible)];
pub(in crate::scenario) const EMISSION_MODEL: [(&str, EmissionModel); 2] = [
    ("fixed", EmissionModel::Fixed),
    ("speed", EmissionModel::Speed),
];
pub(in crate::scenario) const COMPLIANCE_MODELS: [(&str, ComplianceModel); 3] = [
    ("iid", ComplianceModel::Iid),
    ("persistent", ComplianceModel::Persistent),
    ("clustered", ComplianceModel::Clustered),
];
pub(in crate::scenario) const TRANSIT: [(&str, TransitAccounting); 2] = [
    ("marginal", TransitAccounting::Marginal),
    ("average", TransitAccounting::Average),
];

/// Stand-in for a date that could not be read.
const NO_DATE: Date = Date(0);

/// Stand-in for a compliance that could not be read.
const NO_COMPLIANCE: Range = Range {
    central: 1.0,
    low: 1.0,
    high: 1.0,
};

/// Stand-in for a [[policy]] that is not a table: it keeps the policy indices of the file.
fn stand_in_policy(n_roles: usize) -> Policy {
    Policy {
        name: String::new(),
        employers: Vec::new(),
        work_regions: Vec::new(),
        home_regions: Vec::new(),
        exempt: vec![false; n_roles],
        assignment: Assignment::Rotation,
        share_rule: ShareRule::Ceiling,
        share_base: ShareBase::Unit,
        compliance: NO_COMPLIANCE,
        uptake: Uptake::IID,
        windows: Vec::new(),
    }
}

impl Reader<'_> {
    pub(super) fn scenario(&mut self, root: &Table) -> Scenario {
        self.unknown_keys("", root, &TOP_KEYS);
        self.schema_version(root);
        let name = self
            .req(
                "",
                root,
                "name",
                "add name = \"my-scenario\" (a-z, 0-9, '-')",
            )
            .and_then(|v| self.string("name", v))
            .unwrap_or_default();
        let title = self
            .req("", root, "title", "add title = \"shown on charts\"")
            .and_then(|v| self.string("title", v))
            .unwrap_or_default();
        let title_id = root
            .get("title_id")
            .and_then(|v| self.string("title_id", v));
        let description = root
            .get("description")
            .and_then(|v| self.string("description", v))
            .unwrap_or_default();
        let (start, end) = self.period(root);
        let (transit, rebound, emission_model) = self.accounting(root);
        let overrides = match root.get("parameters") {
            Some(Value::Table(t)) => self.overrides(t),
            Some(v) => {
                self.wrong_type("parameters", "a table [parameters]", v);
                Vec::new()
            }
            None => Vec::new(),
        };
        let policies = self.policies(root);
        let measures = self.measures(root);
        Scenario {
            name,
            title,
            title_id,
            description,
            origin: self.res.sources[self.res.root].name.clone(),
            hash: self.res.hash.clone(),
            start: start.unwrap_or(NO_DATE),
            end: end.unwrap_or(NO_DATE),
            transit,
            rebound,
            emission_model,
            overrides,
            policies,
            measures,
            fixed_window: None,
        }
    }

    fn schema_version(&mut self, root: &Table) {
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
    }

    /// [period]'s start and end; a date not read is marked unread.
    fn period(&mut self, root: &Table) -> (Option<Date>, Option<Date>) {
        let mut start = None;
        let mut end = None;
        let hint = "add [period] with start = 2023-08-01 and end = 2023-10-31";
        if let Some(t) = self
            .req("", root, "period", hint)
            .and_then(|v| self.table("period", v, &PERIOD_KEYS, "a table [period] { start, end }"))
        {
            start = self
                .req("period", t, "start", "add start = YYYY-MM-DD")
                .and_then(|v| self.date("period.start", v));
            end = self
                .req("period", t, "end", "add end = YYYY-MM-DD")
                .and_then(|v| self.date("period.end", v));
        }
        for (part, d) in [("period.start", start), ("period.end", end)] {
            if d.is_none() {
                self.unread.insert(part.to_string());
            }
        }
        (start, end)
    }

    /// [accounting]: transit, rebound and emission model, each with its default.
    fn accounting(&mut self, root: &Table) -> (TransitAccounting, bool, EmissionModel) {
        let mut transit = TransitAccounting::Marginal;
        let mut rebound = true;
        let mut emission_model = EmissionModel::Speed;
        if let Some(t) = root.get("accounting").and_then(|v| {
            self.table(
                "accounting",
                v,
                &ACCOUNTING_KEYS,
                "a table [accounting] { transit, rebound, emission_model }",
            )
        }) {
            if let Some(v) = t.get("transit") {
                transit = self
                    .choice("accounting.transit", v, &TRANSIT)
                    .unwrap_or(transit);
            }
            if let Some(v) = t.get("emission_model") {
                emission_model = self
                    .choice("accounting.emission_model", v, &EMISSION_MODEL)
                    .unwrap_or(emission_model);
            }
            match t.get("rebound") {
                Some(Value::Boolean(b)) => rebound = *b,
                Some(v) => self.wrong_type("accounting.rebound", "true or false", v),
                None => {}
            }
        }
        (transit, rebound, emission_model)
    }

    fn policies(&mut self, root: &Table) -> Vec<Policy> {
        let mut policies = Vec::new();
        match root.get("policy") {
            None => {}
            Some(Value::Array(ps)) => {
                for (i, p) in ps.iter().enumerate() {
                    policies.push(self.policy(i, p));
                }
            }
            Some(v) => {
                self.wrong_type("policy", "a list of [[policy]] tables (double brackets)", v)
            }
        }
        policies
    }

    fn overrides(&mut self, t: &Table) -> Vec<ParameterOverride> {
        let mut out = Vec::new();
        for (k, v) in t {
            let key = join("parameters", k);
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
                    (value, low, high)
                }
                _ => (self.number(&key, v), None, None),
            };
            if value.is_none() {
                self.unread.insert(key);
            }
            out.push(ParameterOverride {
                key: k.clone(),
                value: value.unwrap_or(0.0),
                low,
                high,
            });
        }
        out
    }

    fn policy(&mut self, i: usize, v: &Value) -> Policy {
        let k = format!("policy[{i}]");
        let ds = self.ds;
        let emp: Vec<&str> = ds.employers.iter().map(|e| e.code.as_str()).collect();
        let reg: Vec<&str> = ds.regions.iter().map(|e| e.code.as_str()).collect();
        let rol: Vec<&str> = ds.roles.iter().map(|e| e.code.as_str()).collect();
        let Some(p) = self.table(&k, v, &POLICY_KEYS, "a [[policy]] table") else {
            return stand_in_policy(rol.len());
        };
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
            Some(v) => self.names(&key("employers"), "employer", v, &emp),
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
        let (assignment, share_rule, share_base) = self.assignment_rules(&k, p);
        if let Some(v) = p.get("source") {
            self.string(&key("source"), v);
        }
        let ((compliance, uptake), windows) = self.compliance_and_schedule(&k, p);
        Policy {
            name,
            employers,
            work_regions,
            home_regions,
            exempt,
            assignment,
            share_rule,
            share_base,
            compliance,
            uptake,
            windows,
        }
    }

    /// How a policy picks the staff at home: assignment, share rule and share base.
    fn assignment_rules(&mut self, k: &str, p: &Table) -> (Assignment, ShareRule, ShareBase) {
        let key = |f: &str| join(k, f);
        let assignment = self
            .req(
                k,
                p,
                "assignment",
                "add assignment = \"rotation\" or \"random_daily\"",
            )
            .and_then(|v| self.choice(&key("assignment"), v, &ASSIGNMENTS))
            .unwrap_or(Assignment::Rotation);
        let share_rule = self
            .req(
                k,
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
        (assignment, share_rule, share_base)
    }

    /// A policy's required compliance and schedule.
    fn compliance_and_schedule(&mut self, k: &str, p: &Table) -> ((Range, Uptake), Vec<Window>) {
        let compliance = match self.req(
            k,
            p,
            "compliance",
            "add compliance = { central = 0.85, low = 0.6, high = 1.0 }",
        ) {
            Some(v) => self.compliance(&join(k, "compliance"), v),
            None => (NO_COMPLIANCE, Uptake::IID),
        };
        let windows = match self.req(
            k,
            p,
            "schedule",
            "add schedule = [{ from = 2023-08-21, to = 2023-09-03, share = 0.5 }]",
        ) {
            Some(v) => self.schedule(&join(k, "schedule"), v),
            None => Vec::new(),
        };
        (compliance, windows)
    }

    /// Compliance `{ central, low, high }`; low and high default to central (and are then
    /// unread: a bad central is reported once, at central). The same table holds the
    /// model and the ramp ([`Reader::uptake`]).
    fn compliance(&mut self, path: &str, v: &Value) -> (Range, Uptake) {
        let stand_in = (NO_COMPLIANCE, Uptake::IID);
        let Some(t) = self.table(
            path,
            v,
            &COMPLIANCE_KEYS,
            "a table { central = 0.85, low = 0.6, high = 1.0 }",
        ) else {
            return stand_in;
        };
        let central = self
            .req(
                path,
                t,
                "central",
                "give central = the share of assigned staff who stay home, e.g. 0.85",
            )
            .and_then(|v| self.share(&join(path, "central"), v));
        let (low, high) = (
            self.range_end(path, t, "low", true),
            self.range_end(path, t, "high", true),
        );
        let central = central.unwrap_or(stand_in.0.central);
        let range = Range {
            central,
            low: low.unwrap_or(central),
            high: high.unwrap_or(central),
        };
        (range, self.uptake(path, t))
    }

    /// A range's `low` or `high` in table `t` at `path` (a share if `share`); a missing or
    /// unreadable one is marked unread (it defaults to central).
    fn range_end(&mut self, path: &str, t: &Table, f: &str, share: bool) -> Option<f64> {
        let at = join(path, f);
        let x = match t.get(f) {
            Some(v) if share => self.share(&at, v),
            Some(v) => self.number(&at, v),
            None => None,
        };
        if x.is_none() {
            self.unread.insert(at);
        }
        x
    }

    /// The compliance table's model and ramp: `model` (default "iid"), `rho` (required
    /// by "clustered"), `ramp_days` and `ramp_from` (required together), each a number or a
    /// range { central, low, high }.
    fn uptake(&mut self, path: &str, t: &Table) -> Uptake {
        let mut u = Uptake::IID;
        if let Some(v) = t.get("model") {
            u.model = self
                .choice(&join(path, "model"), v, &COMPLIANCE_MODELS)
                .unwrap_or(u.model);
        }
        let mut part = |f: &str, default: Range| match t.get(f) {
            Some(v) => self.range_or_number(&join(path, f), v).unwrap_or(default),
            None => default,
        };
        u.rho = part("rho", u.rho);
        u.ramp_days = part("ramp_days", u.ramp_days);
        u.ramp_from = part("ramp_from", u.ramp_from);
        if u.model == ComplianceModel::Clustered && !t.contains_key("rho") {
            self.req(
                path,
                t,
                "rho",
                "model = \"clustered\" needs rho = the intra-unit correlation, e.g. { central = 0.3, low = 0.1, high = 0.6 }",
            );
        }
        for (have, need) in [("ramp_days", "ramp_from"), ("ramp_from", "ramp_days")] {
            if t.contains_key(have) && !t.contains_key(need) {
                let hint = format!(
                    "{have} needs {need}: ramp_days = the working days to full compliance, ramp_from = day one's share of it, e.g. ramp_days = 10, ramp_from = 0.3"
                );
                self.req(path, t, need, &hint);
            }
        }
        u
    }

    /// A number (no uncertainty) or a range { central, low, high } whose low and high
    /// default to central; None (reported, unread) if it cannot be read.
    pub(super) fn range_or_number(&mut self, path: &str, v: &Value) -> Option<Range> {
        if let Value::Table(_) = v {
            let t = self.table(path, v, &RANGE_KEYS, "a number or { central, low, high }")?;
            let central = self
                .req(path, t, "central", "give central = a number")
                .and_then(|v| self.number(&join(path, "central"), v));
            let (low, high) = (
                self.range_end(path, t, "low", false),
                self.range_end(path, t, "high", false),
            );
            let Some(central) = central else {
                self.unread.insert(path.to_string());
                return None;
            };
            return Some(Range {
                central,
                low: low.unwrap_or(central),
                high: high.unwrap_or(central),
            });
        }
        let x = self.number(path, v);
        if x.is_none() {
            self.unread.insert(path.to_string());
        }
        x.map(Range::point)
    }

    pub(super) fn schedule(&mut self, path: &str, v: &Value) -> Vec<Window> {
        let Value::Array(items) = v else {
            self.wrong_type(path, "a list of windows [{ from, to, share }, ...]", v);
            return Vec::new();
        };
        let mut windows: Vec<Window> = Vec::new();
        for (j, item) in items.iter().enumerate() {
            let wk = format!("{path}[{j}]");
            let what = "a window { from = YYYY-MM-DD, to = YYYY-MM-DD, share = 0..1 }";
            let Some(t) = self.table(&wk, item, &WINDOW_KEYS, what) else {
                windows.push(Window {
                    from: NO_DATE,
                    to: NO_DATE,
                    share: 0.0,
                });
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
            for (part, missing) in [
                ("from", from.is_none()),
                ("to", to.is_none()),
                ("share", share.is_none()),
            ] {
                if missing {
                    self.unread.insert(join(&wk, part));
                }
            }
            windows.push(Window {
                from: from.unwrap_or(NO_DATE),
                to: to.unwrap_or(NO_DATE),
                share: share.unwrap_or(0.0),
            });
        }
        windows
    }
}
