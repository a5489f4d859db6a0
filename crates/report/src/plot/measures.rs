//! The result rows the charts (and the briefing's tables) read, named once: each a metric
//! and component of the result schema. When the schema renames or adds a metric, the
//! compiler points here; no chart names a column.

use std::collections::BTreeMap;

use crate::view::records::{ALL, DailyRecord, SummaryRecord};
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::schema::{Band, Component, MetricId};

/// A metric's component, as one row of `summary` or one band of a `daily` record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Measure {
    pub metric: MetricId,
    pub component: Component,
}

const fn measure(metric: MetricId, component: Component) -> Measure {
    Measure { metric, component }
}

impl Measure {
    /// The measure's band on a `daily` record, if the daily table has it.
    pub fn on_day(self, r: &DailyRecord) -> Option<Band> {
        r.value(self.metric, self.component)
    }
}

pub(crate) const TRIPS: Measure = measure(MetricId::TRIPS, Component::Gross);
pub(crate) const PERSON_KM: Measure = measure(MetricId::PERSON_KM, Component::Gross);
pub(crate) const VEHICLE_KM_NET: Measure = measure(MetricId::VEHICLE_KM, Component::Net);
/// Road rows only: vehicles counted (a count-equivalent of vehicle-km).
pub(crate) const VEHICLES_NET: Measure = measure(MetricId::VEHICLES, Component::Net);

/// Pollutant `p` (an index into the dataset's pollutants), net of rebound.
const fn pollutant_net(p: usize) -> Measure {
    measure(MetricId::pollutant(p), Component::Net)
}
pub(crate) const CO2_NET: Measure = pollutant_net(0);
/// Exhaust PM2.5 (and PM10).
pub(crate) const PM25_NET: Measure = pollutant_net(1);
pub(crate) const PM10_NET: Measure = pollutant_net(2);
/// Exhaust plus tyre, brake and road-surface wear.
pub(crate) const PM25_TOTAL_NET: Measure = pollutant_net(3);
pub(crate) const PM10_TOTAL_NET: Measure = pollutant_net(4);
pub(crate) const NOX_NET: Measure = pollutant_net(5);
pub(crate) const CO_NET: Measure = pollutant_net(6);
pub(crate) const HC_NET: Measure = pollutant_net(7);
pub(crate) const SO2_NET: Measure = pollutant_net(8);

/// Whether a daily record is the whole area's: every region basis, region and mode.
pub(crate) fn whole_area(r: &DailyRecord) -> bool {
    r.basis == Basis::All && &*r.region == ALL && &*r.mode == ALL
}

/// (scenario, region basis, region, metric, component) of a summary record.
type Key<'a> = (&'a str, &'static str, &'a str, MetricId, &'static str);

/// The summary records by their key; of duplicated keys, the first.
pub(crate) struct SummaryIndex<'a>(BTreeMap<Key<'a>, &'a SummaryRecord>);

impl<'a> SummaryIndex<'a> {
    pub fn new(records: impl IntoIterator<Item = &'a SummaryRecord>) -> Self {
        let mut index = BTreeMap::new();
        for r in records {
            let key = (
                &*r.scenario,
                r.basis.as_str(),
                &*r.region,
                r.metric,
                r.component.as_str(),
            );
            index.entry(key).or_insert(r);
        }
        SummaryIndex(index)
    }

    /// The row of `m`, or its metric's gross row when it has none: a metric without
    /// rebound has no net row, and its gross row is then the net.
    pub fn get(
        &self,
        scenario: &str,
        basis: Basis,
        region: &str,
        m: Measure,
    ) -> Option<&'a SummaryRecord> {
        let key = |c: Component| (scenario, basis.as_str(), region, m.metric, c.as_str());
        self.0
            .get(&key(m.component))
            .or_else(|| self.0.get(&key(Component::Gross)))
            .copied()
    }

    /// The whole area's row of `m`.
    pub fn whole_area(&self, scenario: &str, m: Measure) -> Option<&'a SummaryRecord> {
        self.get(scenario, Basis::All, ALL, m)
    }
}

/// Names in order of first appearance.
pub(super) fn unique_in_order<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for v in values {
        if seen.insert(v) {
            out.push(v.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wfhsim_core::data::POLLUTANTS;
    use wfhsim_core::results::schema;

    /// The pollutant measures are the dataset's pollutants of those names.
    #[test]
    fn pollutant_measures_name_their_pollutants() {
        let named = [
            (CO2_NET, "co2"),
            (PM25_NET, "pm25"),
            (PM10_NET, "pm10"),
            (PM25_TOTAL_NET, "pm25_total"),
            (PM10_TOTAL_NET, "pm10_total"),
            (NOX_NET, "nox"),
            (CO_NET, "co"),
            (HC_NET, "hc"),
            (SO2_NET, "so2"),
        ];
        for (m, name) in named {
            assert_eq!(schema::metric(m.metric).name, name);
            assert!(POLLUTANTS.contains(&name));
        }
        assert_eq!(schema::metric(TRIPS.metric).name, "trips");
        assert_eq!(schema::metric(VEHICLES_NET.metric).name, "vehicles");
    }
}
