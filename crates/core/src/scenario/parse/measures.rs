//! Each `[[measure]]` of a scenario file: its kind, the keys that kind takes, regions and
//! schedule (a window's `share` is the measure's strength), read with the [`Reader`]'s
//! value checks. A measure that is not a table, or whose kind cannot be read, gets a
//! stand-in and is marked unread, so the file's measure indices stay as written.

use toml::{Table, Value};

use super::Reader;
use crate::scenario::spans::join;
use crate::scenario::{Measure, MeasureKind, N_PURPOSES, OddEvenAction, Purpose, Range};

/// Keys every measure takes, then each kind's own.
pub(in crate::scenario) const MEASURE_KEYS: [&str; 5] =
    ["kind", "name", "regions", "schedule", "source"];
pub(in crate::scenario) const ACTIVITY_KEYS: [&str; 1] = ["purposes"];
pub(in crate::scenario) const CLOSURE_KEYS: [&str; 4] =
    ["periods", "capacity", "diversion", "divert_to"];
pub(in crate::scenario) const ATTENDANCE_KEYS: [&str; 3] =
    ["employers", "exempt_roles", "attendance"];
pub(in crate::scenario) const ODD_EVEN_KEYS: [&str; 2] = ["action", "periods"];
pub(in crate::scenario) const TRANSIT_CAP_KEYS: [&str; 2] = ["cap", "modes"];
pub(in crate::scenario) const PERIOD_NAMES: [&str; 2] = ["peak", "offpeak"];

#[derive(Debug, Clone, Copy)]
enum Kind {
    School,
    Activity,
    Closure,
    Attendance,
    OddEven,
    TransitCap,
}

const KINDS: [(&str, Kind); 6] = [
    ("school_closure", Kind::School),
    ("activity_limit", Kind::Activity),
    ("road_closure", Kind::Closure),
    ("attendance", Kind::Attendance),
    ("odd_even", Kind::OddEven),
    ("transit_cap", Kind::TransitCap),
];

const ACTIONS: [(&str, OddEvenAction); 2] = [
    ("impose", OddEvenAction::Impose),
    ("suspend", OddEvenAction::Suspend),
];

fn stand_in() -> Measure {
    Measure {
        name: String::new(),
        kind: MeasureKind::SchoolClosure,
        regions: Vec::new(),
        windows: Vec::new(),
    }
}

impl Reader<'_> {
    pub(super) fn measures(&mut self, root: &Table) -> Vec<Measure> {
        match root.get("measure") {
            None => Vec::new(),
            Some(Value::Array(ms)) => ms
                .iter()
                .enumerate()
                .map(|(i, m)| self.measure(i, m))
                .collect(),
            Some(v) => {
                self.wrong_type(
                    "measure",
                    "a list of [[measure]] tables (double brackets)",
                    v,
                );
                Vec::new()
            }
        }
    }

    fn measure(&mut self, i: usize, v: &Value) -> Measure {
        let k = format!("measure[{i}]");
        let Value::Table(t) = v else {
            self.wrong_type(&k, "a [[measure]] table", v);
            return stand_in();
        };
        let kinds = KINDS.map(|(n, _)| format!("\"{n}\"")).join(", ");
        let kind = self
            .req(&k, t, "kind", &format!("add kind = one of {kinds}"))
            .and_then(|v| self.choice(&join(&k, "kind"), v, &KINDS));
        let Some(kind) = kind else {
            self.unread.insert(k);
            return stand_in();
        };
        let own: &[&str] = match kind {
            Kind::School => &[],
            Kind::Activity => &ACTIVITY_KEYS,
            Kind::Closure => &CLOSURE_KEYS,
            Kind::Attendance => &ATTENDANCE_KEYS,
            Kind::OddEven => &ODD_EVEN_KEYS,
            Kind::TransitCap => &TRANSIT_CAP_KEYS,
        };
        let allowed: Vec<&str> = MEASURE_KEYS.iter().chain(own).copied().collect();
        self.unknown_keys(&k, t, &allowed);
        let name = self
            .req(&k, t, "name", "add name = \"what the measure is\"")
            .and_then(|v| self.string(&join(&k, "name"), v))
            .unwrap_or_default();
        if let Some(v) = t.get("source") {
            self.string(&join(&k, "source"), v);
        }
        let regions = self.region_list(&k, t, "regions");
        let windows = match self.req(
            &k,
            t,
            "schedule",
            "add schedule = [{ from = 2023-09-04, to = 2023-09-08, share = 1.0 }] (share: the measure's strength, 1 = as written)",
        ) {
            Some(v) => self.schedule(&join(&k, "schedule"), v),
            None => Vec::new(),
        };
        let kind = match kind {
            Kind::School => MeasureKind::SchoolClosure,
            Kind::Activity => self.activity(&k, t),
            Kind::Closure => self.closure(&k, t),
            Kind::Attendance => self.attendance(&k, t),
            Kind::OddEven => self.odd_even(&k, t),
            Kind::TransitCap => self.transit_cap(&k, t),
        };
        Measure {
            name,
            kind,
            regions,
            windows,
        }
    }

    fn region_list(&mut self, k: &str, t: &Table, f: &str) -> Vec<usize> {
        let reg: Vec<&str> = self.ds.regions.iter().map(|e| e.code.as_str()).collect();
        match t.get(f) {
            Some(v) => self.names(&join(k, f), "region", v, &reg),
            None => Vec::new(),
        }
    }

    /// `purposes = { shopping_leisure = 0.5, ... }`: a factor per purpose named (1 for the
    /// others).
    fn activity(&mut self, k: &str, t: &Table) -> MeasureKind {
        let mut multipliers = [1.0; N_PURPOSES];
        let path = join(k, "purposes");
        let names = Purpose::ALL.map(|p| p.as_str());
        let hint = "add purposes = { shopping_leisure = 0.5 } (each purpose's trips are multiplied by its factor)";
        if let Some(v) = self.req(k, t, "purposes", hint)
            && let Some(p) = self.table(&path, v, &names, "a table { shopping_leisure = 0.5 }")
        {
            if p.is_empty() {
                self.unreadable(
                    &path,
                    format!("name at least one purpose: {}", names.join(", ")),
                );
            }
            for (j, name) in names.iter().enumerate() {
                if let Some(x) = p.get(*name).and_then(|v| self.share(&join(&path, name), v)) {
                    multipliers[j] = x;
                }
            }
        }
        MeasureKind::ActivityLimit { multipliers }
    }

    /// `employers` (default every one), `exempt_roles` and the required `attendance`, a
    /// share or { central, low, high }.
    fn attendance(&mut self, k: &str, t: &Table) -> MeasureKind {
        let ds = self.ds;
        let emp: Vec<&str> = ds.employers.iter().map(|e| e.code.as_str()).collect();
        let rol: Vec<&str> = ds.roles.iter().map(|e| e.code.as_str()).collect();
        let employers = match t.get("employers") {
            Some(v) => self.names(&join(k, "employers"), "employer", v, &emp),
            None => Vec::new(),
        };
        let ex = match t.get("exempt_roles") {
            Some(v) => self.names(&join(k, "exempt_roles"), "role", v, &rol),
            None => Vec::new(),
        };
        let hint = "add attendance = the share of workers at their workplace against normal, e.g. { central = 0.475, low = 0.4, high = 0.6 }";
        let attendance = self
            .req(k, t, "attendance", hint)
            .and_then(|v| self.range_or_number(&join(k, "attendance"), v))
            .unwrap_or(Range::point(1.0));
        MeasureKind::Attendance {
            employers,
            exempt: (0..rol.len()).map(|r| ex.contains(&r)).collect(),
            attendance,
        }
    }

    /// `periods`, `capacity`, `diversion` (default 0) and `divert_to`.
    fn closure(&mut self, k: &str, t: &Table) -> MeasureKind {
        let periods = match self.req(
            k,
            t,
            "periods",
            "add periods = [\"peak\"] (\"peak\", \"offpeak\")",
        ) {
            Some(v) => self.periods(k, v),
            None => [false; 2],
        };
        let capacity = self
            .req(
                k,
                t,
                "capacity",
                "add capacity = the share of the regions' road capacity left open, e.g. 0.9",
            )
            .and_then(|v| self.share(&join(k, "capacity"), v))
            .unwrap_or(1.0);
        let diversion = t
            .get("diversion")
            .and_then(|v| self.share(&join(k, "diversion"), v))
            .unwrap_or(0.0);
        let divert_to = self.region_list(k, t, "divert_to");
        MeasureKind::RoadClosure {
            periods,
            capacity,
            diversion,
            divert_to,
        }
    }

    /// `periods = ["peak", "offpeak"]`: per period, named.
    fn periods(&mut self, k: &str, v: &Value) -> [bool; 2] {
        let mut periods = [false; 2];
        for p in self.names(&join(k, "periods"), "period", v, &PERIOD_NAMES) {
            periods[p] = true;
        }
        periods
    }

    /// The required `action` ("impose" or "suspend") and `periods` (default the peaks,
    /// when the baseline's odd-even runs).
    fn odd_even(&mut self, k: &str, t: &Table) -> MeasureKind {
        let hint = "add action = \"suspend\" (lift the baseline's odd-even on DKI's roads) or \"impose\" (bar one parity where the baseline does not)";
        let action = self
            .req(k, t, "action", hint)
            .and_then(|v| self.choice(&join(k, "action"), v, &ACTIONS))
            .unwrap_or(OddEvenAction::Impose);
        let periods = match t.get("periods") {
            Some(v) => self.periods(k, v),
            None => [true, false],
        };
        MeasureKind::OddEven { action, periods }
    }

    /// The required `cap` (a share of normal capacity) and `modes` (default every rail
    /// and bus mode).
    fn transit_cap(&mut self, k: &str, t: &Table) -> MeasureKind {
        let hint = "add cap = the share of transit's normal capacity allowed aboard, e.g. 0.5";
        let cap = self
            .req(k, t, "cap", hint)
            .and_then(|v| self.number(&join(k, "cap"), v))
            .unwrap_or(1.0);
        let codes: Vec<&str> = self.ds.modes.iter().map(|m| m.code.as_str()).collect();
        let modes = match t.get("modes") {
            Some(v) => self.names(&join(k, "modes"), "mode", v, &codes),
            None => Vec::new(),
        };
        MeasureKind::TransitCap { cap, modes }
    }
}
