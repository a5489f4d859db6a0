//! The rules of a scenario's measures: a schedule as a policy's (a window's share is the
//! measure's strength, 0..1), factors in 0..1, and a road closure's periods, capacity
//! above 0, diversion in 0..1 with somewhere to go that is not closed itself; an odd-even
//! suspension only where the baseline has odd-even; a transit cap in (0, 1] on transit
//! modes, one a day.

use super::{Validator, is_share, share_problem};
use crate::calendar::Date;
use crate::scenario::spans::join;
use crate::scenario::{
    MAX_PARTS, Measure, MeasureKind, OddEvenAction, Purpose, Scenario, WFH_PART, is_transit,
};

impl Validator<'_> {
    pub(super) fn measures(&mut self, s: &Scenario, period: Option<(Date, Date)>) {
        let parts = crate::scenario::parts(s).len();
        if parts > MAX_PARTS && self.ok("measure") {
            self.problem(
                "measure",
                format!("{parts} parts (the WFH orders and each measure name); a bundle splits over at most {MAX_PARTS} (2^{MAX_PARTS} runs): give measures that act together one name"),
            );
        }
        for (i, m) in s.measures.iter().enumerate() {
            let k = format!("measure[{i}]");
            if !self.ok(&k) {
                continue;
            }
            self.schedule(&join(&k, "schedule"), &m.windows, period, "measure");
            let name = join(&k, "name");
            if m.name == WFH_PART && self.ok(&name) {
                self.problem(&name, format!("'{WFH_PART}' names the part of the scenario's policies when a bundle's effect is split among its parts; give the measure another name"));
            }
            match &m.kind {
                MeasureKind::SchoolClosure => {}
                MeasureKind::ActivityLimit { multipliers } => {
                    for (p, x) in Purpose::ALL.iter().zip(multipliers) {
                        let at = join(&join(&k, "purposes"), p.as_str());
                        if self.ok(&at) && !is_share(*x) {
                            self.problem(
                                &at,
                                format!(
                                    "{}; a factor on the purpose's trips (1 = unchanged, 0 = none)",
                                    share_problem(*x)
                                ),
                            );
                        }
                    }
                }
                MeasureKind::RoadClosure { .. } => self.closure(&k, m),
                MeasureKind::Attendance { attendance, .. } => {
                    let share = |x: f64| (!is_share(x)).then(|| share_problem(x));
                    self.ordered_range(&join(&k, "attendance"), *attendance, share);
                    self.attendance_overlaps(&k, s, m);
                }
                MeasureKind::OddEven { .. } => self.odd_even(&k, m),
                MeasureKind::TransitCap { .. } => self.transit_cap(&k, m),
            }
        }
        self.one_cap_a_day(s);
    }

    /// Periods named; a suspension only where and when the baseline's odd-even runs (DKI's
    /// regions, the peaks).
    fn odd_even(&mut self, k: &str, m: &Measure) {
        let MeasureKind::OddEven { action, periods } = &m.kind else {
            return;
        };
        let at = join(k, "periods");
        if self.ok(&at) && !periods.iter().any(|p| *p) {
            self.problem(&at, "name at least one period: \"peak\", \"offpeak\"");
        }
        if *action != OddEvenAction::Suspend {
            return;
        }
        if self.ok(&at) && periods[1] {
            self.problem(&at, "\"offpeak\": the baseline's odd-even runs in the peaks only (06-10, 16-21), so only [\"peak\"] can be suspended");
        }
        let at = join(k, "regions");
        if let Some(r) = m.regions.iter().find(|r| !self.ds.regions[**r].is_dki)
            && self.ok(&at)
        {
            let code = &self.ds.regions[*r].code;
            self.problem(&at, format!("'{code}' has no odd-even in the baseline (it is in force on DKI's roads only); a suspension acts on DKI's regions"));
        }
    }

    /// A cap in (0, 1] on transit modes only.
    fn transit_cap(&mut self, k: &str, m: &Measure) {
        let MeasureKind::TransitCap { cap, modes } = &m.kind else {
            return;
        };
        let at = join(k, "cap");
        if self.ok(&at) && !(*cap > 0.0 && *cap <= 1.0) {
            self.problem(&at, format!("{} is outside (0, 1]: the share of transit's normal capacity allowed aboard (1 = no cap)", super::num(*cap)));
        }
        let at = join(k, "modes");
        if let Some(j) = modes.iter().find(|j| !is_transit(&self.ds.modes[**j]))
            && self.ok(&at)
        {
            let code = &self.ds.modes[*j].code;
            let ok: Vec<&str> = self
                .ds
                .modes
                .iter()
                .filter(|m| is_transit(m))
                .map(|m| m.code.as_str())
                .collect();
            self.problem(
                &at,
                format!("'{code}' is not a transit mode; allowed: {}", ok.join(", ")),
            );
        }
    }

    /// At most one transit cap in force on a day: the riders above a cap are counted once.
    fn one_cap_a_day(&mut self, s: &Scenario) {
        let caps: Vec<(usize, &Measure)> = s
            .measures
            .iter()
            .enumerate()
            .filter(|(_, m)| matches!(m.kind, MeasureKind::TransitCap { .. }))
            .collect();
        for (a, (i, x)) in caps.iter().enumerate() {
            for (j, y) in &caps[a + 1..] {
                let both = x.windows.iter().find_map(|u| {
                    y.windows
                        .iter()
                        .find(|v| u.from <= v.to && v.from <= u.to)
                        .map(|v| (u.from.max(v.from), u.to.min(v.to)))
                });
                let k = format!("measure[{j}]");
                if let Some((from, to)) = both
                    && self.ok(&k)
                {
                    self.problem(&k, format!("'{}' is a transit cap in force on {from}..{to}, as measure[{i}] '{}' is; give transit one cap a day", y.name, x.name));
                }
            }
        }
    }

    /// An attendance measure may not cover workers a policy governs on the same day: a
    /// worker at home is counted once.
    fn attendance_overlaps(&mut self, k: &str, s: &Scenario, m: &Measure) {
        let Some(a) = m.attendance_policy(self.ds.employers.len()) else {
            return;
        };
        let meet = |x: &[usize], y: &[usize]| {
            x.is_empty() || y.is_empty() || x.iter().any(|r| y.contains(r))
        };
        for (j, p) in s.policies.iter().enumerate() {
            let Some(e) = a.employers.iter().find(|e| p.employers.contains(e)) else {
                continue;
            };
            if !meet(&a.work_regions, &p.work_regions) {
                continue;
            }
            let both = a.windows.iter().find_map(|x| {
                p.windows
                    .iter()
                    .find(|y| x.from <= y.to && y.from <= x.to)
                    .map(|y| (x.from.max(y.from), x.to.min(y.to)))
            });
            if let Some((from, to)) = both {
                let code = &self.ds.employers[*e].code;
                self.problem(k, format!(
                    "'{}' covers employer '{code}' on {from}..{to}, as policy[{j}] '{}' does; a worker at home is counted once: give them disjoint dates, employers or work regions",
                    m.name, p.name
                ));
                return;
            }
        }
    }

    fn closure(&mut self, k: &str, m: &Measure) {
        let MeasureKind::RoadClosure {
            periods,
            capacity,
            diversion,
            divert_to,
        } = &m.kind
        else {
            return;
        };
        let at = |f: &str| join(k, f);
        if self.ok(&at("periods")) && !periods.iter().any(|p| *p) {
            self.problem(
                &at("periods"),
                "name at least one period: \"peak\", \"offpeak\"",
            );
        }
        if self.ok(&at("capacity")) && !(*capacity > 0.0 && *capacity <= 1.0) {
            self.problem(
                &at("capacity"),
                format!("{} is outside (0, 1]: the share of the regions' road capacity left open (1 = nothing closed; a region cannot close every road)", super::num(*capacity)),
            );
        }
        if !self.ok(&at("diversion")) {
            return;
        }
        if !is_share(*diversion) {
            self.problem(&at("diversion"), share_problem(*diversion));
            return;
        }
        if *diversion > 0.0 && self.ok(&at("divert_to")) {
            if divert_to.is_empty() {
                self.problem(k, "diversion above 0 needs divert_to = the regions whose roads take the diverted traffic, e.g. [\"jakarta_selatan\"]");
            } else if let Some(r) = divert_to.iter().find(|r| m.covers_region(**r)) {
                let code = &self.ds.regions[*r].code;
                self.problem(
                    &at("divert_to"),
                    format!("'{code}' is closed by this measure itself; divert to regions outside its regions"),
                );
            }
        }
    }
}
