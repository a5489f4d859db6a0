//! The rules of a scenario's measures: a schedule as a policy's (a window's share is the
//! measure's strength, 0..1), factors in 0..1, and a road closure's periods, capacity
//! above 0, diversion in 0..1 with somewhere to go that is not closed itself.

use super::{Validator, is_share, share_problem};
use crate::calendar::Date;
use crate::results::shapley::MAX_PLAYERS;
use crate::scenario::spans::join;
use crate::scenario::{Measure, MeasureKind, Purpose, Scenario};

impl Validator<'_> {
    pub(super) fn measures(&mut self, s: &Scenario, period: Option<(Date, Date)>) {
        let parts = crate::simulate::decompose::parts(s).len();
        if parts > MAX_PLAYERS && self.ok("measure") {
            self.problem(
                "measure",
                format!("{parts} parts (the WFH orders and each measure name); a bundle splits over at most {MAX_PLAYERS} (2^{MAX_PLAYERS} runs): give measures that act together one name"),
            );
        }
        for (i, m) in s.measures.iter().enumerate() {
            let k = format!("measure[{i}]");
            if !self.ok(&k) {
                continue;
            }
            self.schedule(&join(&k, "schedule"), &m.windows, period, "measure");
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
