//! The result schema, declared once: which metrics a run reports, in which unit, with
//! which components (gross, rebound, net) and at which quantile levels. The accounting's
//! per-worker-day coefficient layout, the reduction, every table's columns, the printed
//! summary, the charts and the tests derive from this declaration, so adding a metric or a
//! component is an edit here (and, for a pollutant, rows of emission factors in the
//! dataset): it then reaches every table.
//!
//! Must not depend on anything but the pollutant list of the dataset.

use crate::data::POLLUTANTS;

/// What a reported number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Trips,
    Km,
    Kg,
    /// Vehicles counted (at Dishub's cameras or entering DKI).
    Vehicles,
    /// Vehicle-hours on the roads.
    Hours,
    /// A level in percent (the congestion level: 100 × the extra travel time over free
    /// flow), not an amount that adds up over days or parts.
    Percent,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Trips => "trips",
            Unit::Km => "km",
            Unit::Kg => "kg",
            Unit::Vehicles => "vehicles",
            Unit::Hours => "vehicle-hours",
            Unit::Percent => "percent",
        }
    }

    /// Whether a metric in this unit is a level of the window's traffic rather than an
    /// amount over it: its value per working day is the value itself (not divided by the
    /// days), and a difference of it is a change of the level.
    pub fn is_level(self) -> bool {
        self == Unit::Percent
    }
}

/// The parts of a metric. The accounting computes gross and rebound per worker-day;
/// net is derived (gross − rebound) per replicate, before quantiles are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    /// What the commuters at home no longer do.
    Gross,
    /// What they do instead: extra non-work trips, and home electricity for CO2.
    Rebound,
    /// Gross minus rebound (plus congestion minus induced on road rows).
    Net,
    /// On the roads only: what the remaining traffic saves by moving faster (vehicle-hours;
    /// grams under the speed emission model).
    Congestion,
    /// On the roads only: the traffic the faster roads draw in (vehicle-km, vehicle-hours
    /// and grams it adds).
    Induced,
}

impl Component {
    /// The components of the commuter accounting, in table order.
    pub const ALL: [Component; 3] = [Component::Gross, Component::Rebound, Component::Net];
    /// The components of road rows, in table order: net = gross − rebound + congestion −
    /// induced.
    pub const ROAD: [Component; 5] = [
        Component::Gross,
        Component::Rebound,
        Component::Congestion,
        Component::Induced,
        Component::Net,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Component::Gross => "gross",
            Component::Rebound => "rebound",
            Component::Net => "net",
            Component::Congestion => "congestion",
            Component::Induced => "induced",
        }
    }
}

/// The components the accounting computes per worker-day (net is derived from them).
pub const COMPUTED: [Component; 2] = [Component::Gross, Component::Rebound];

/// A reported metric: its name (a table key and a column prefix) and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    pub name: &'static str,
    pub unit: Unit,
}

/// Index of a metric in [`metrics`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MetricId(pub usize);

impl MetricId {
    pub const TRIPS: MetricId = MetricId(0);
    pub const PERSON_KM: MetricId = MetricId(1);
    pub const VEHICLE_KM: MetricId = MetricId(2);
    /// The metric of pollutant `p` (an index into [`POLLUTANTS`]).
    pub const fn pollutant(p: usize) -> MetricId {
        MetricId(N_TRAVEL + p)
    }
    /// The pollutant of a metric, if it is one.
    pub fn as_pollutant(self) -> Option<usize> {
        self.0
            .checked_sub(N_TRAVEL)
            .filter(|&p| p < POLLUTANTS.len())
    }
    pub fn metric(self) -> Metric {
        metric(self)
    }
    /// Whether the metric is a level ([`Unit::is_level`]).
    pub fn is_level(self) -> bool {
        metric(self).unit.is_level()
    }
}

/// Compile-time check that a pollutant sits at its expected place in [`POLLUTANTS`].
const fn is(p: usize, name: &str) -> bool {
    let (a, b) = (POLLUTANTS[p].as_bytes(), name.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl MetricId {
    /// Road rows only: vehicles counted (a count-equivalent of vehicle-km).
    pub const VEHICLES: MetricId = MetricId(N_METRICS);
    /// Road rows only: vehicle-hours.
    pub const VEHICLE_HOURS: MetricId = MetricId(N_METRICS + 1);
    /// Road rows only (DKI's roads, all day and at the peak): TomTom's congestion level,
    /// percent — 100 × (free-flow speed ÷ the distance-weighted speed − 1).
    pub const CONGESTION_LEVEL: MetricId = MetricId(N_METRICS + 2);
    pub const CO2: MetricId = MetricId::pollutant(0);
    /// Exhaust PM2.5.
    pub const PM25: MetricId = MetricId::pollutant(1);
    /// Exhaust PM2.5 plus tyre, brake and road-surface wear.
    pub const PM25_TOTAL: MetricId = MetricId::pollutant(3);
    pub const NOX: MetricId = MetricId::pollutant(5);
}
const _: () = assert!(
    is(0, "co2")
        && is(1, "pm25")
        && is(2, "pm10")
        && is(3, "pm25_total")
        && is(4, "pm10_total")
        && is(5, "nox")
);
// Each total is its exhaust pollutant plus the wear of the same size.
const _: () = assert!(
    matches!(crate::data::total_of(3), Some((1, 0)))
        && matches!(crate::data::total_of(4), Some((2, 1)))
        && crate::data::total_of(1).is_none()
        && crate::data::total_of(5).is_none()
);

/// A number the printed summary shows for each scenario: a whole-area summary row's
/// window total (or per-day median) of a metric's component.
#[derive(Debug, Clone, Copy)]
pub struct Headline {
    pub header: &'static str,
    pub metric: MetricId,
    pub component: Component,
    /// `true`: per policy working day (median); `false`: window total (median).
    pub per_day: bool,
    /// Divides the value (1000 for tonnes from kg).
    pub divisor: f64,
    pub decimals: usize,
}

/// The printed summary's columns after the scenario name.
pub const HEADLINE: [Headline; 5] = [
    Headline {
        header: "trips/day",
        metric: MetricId::TRIPS,
        component: Component::Gross,
        per_day: true,
        divisor: 1.0,
        decimals: 0,
    },
    Headline {
        header: "trips total",
        metric: MetricId::TRIPS,
        component: Component::Gross,
        per_day: false,
        divisor: 1.0,
        decimals: 0,
    },
    Headline {
        header: "CO2 t net",
        metric: MetricId::CO2,
        component: Component::Net,
        per_day: false,
        divisor: 1000.0,
        decimals: 1,
    },
    Headline {
        header: "PM2.5 exh kg",
        metric: MetricId::PM25,
        component: Component::Net,
        per_day: false,
        divisor: 1.0,
        decimals: 1,
    },
    Headline {
        header: "PM2.5 total kg",
        metric: MetricId::PM25_TOTAL,
        component: Component::Net,
        per_day: false,
        divisor: 1.0,
        decimals: 1,
    },
];

/// Travel metrics come first, then one metric per pollutant.
const TRAVEL: [Metric; 3] = [
    Metric {
        name: "trips",
        unit: Unit::Trips,
    },
    Metric {
        name: "person_km",
        unit: Unit::Km,
    },
    Metric {
        name: "vehicle_km",
        unit: Unit::Km,
    },
];
const N_TRAVEL: usize = TRAVEL.len();

/// Number of metrics.
pub const N_METRICS: usize = N_TRAVEL + POLLUTANTS.len();

/// The metric with id `m`.
pub fn metric(m: MetricId) -> Metric {
    if m == MetricId::VEHICLES {
        return Metric {
            name: "vehicles",
            unit: Unit::Vehicles,
        };
    }
    if m == MetricId::VEHICLE_HOURS {
        return Metric {
            name: "vehicle_hours",
            unit: Unit::Hours,
        };
    }
    if m == MetricId::CONGESTION_LEVEL {
        return Metric {
            name: "congestion_level",
            unit: Unit::Percent,
        };
    }
    match m.as_pollutant() {
        Some(p) => Metric {
            name: POLLUTANTS[p],
            unit: Unit::Kg,
        },
        None => TRAVEL[m.0],
    }
}

/// Every metric, in table order.
pub fn metrics() -> impl Iterator<Item = (MetricId, Metric)> {
    (0..N_METRICS).map(|i| (MetricId(i), metric(MetricId(i))))
}

/// The metrics of road rows, in table order: vehicles counted, vehicle-km,
/// vehicle-hours, every pollutant, then the congestion level (DKI's roads only).
pub fn road_metrics() -> impl Iterator<Item = MetricId> {
    [
        MetricId::VEHICLES,
        MetricId::VEHICLE_KM,
        MetricId::VEHICLE_HOURS,
    ]
    .into_iter()
    .chain((0..POLLUTANTS.len()).map(MetricId::pollutant))
    .chain([MetricId::CONGESTION_LEVEL])
}

/// The one component of a level's rows ([`Unit::is_level`]): the level with everything
/// the scenario does on the roads (gross, rebound, congestion and induced).
pub const LEVEL_COMPONENT: Component = Component::Net;

/// The pollutant whose gross, rebound and net all appear in the daily table (home
/// electricity adds to its rebound); the others show their net only.
pub const FULL_DAILY_POLLUTANT: MetricId = MetricId::CO2;

/// Which components of a metric the daily table carries. Trips and kilometres show what
/// commuting stops (gross; vehicle-km also its rebound); pollutants show the net, and the
/// headline pollutant all three.
pub fn daily_components(m: MetricId) -> &'static [Component] {
    match m.as_pollutant() {
        Some(_) if m == FULL_DAILY_POLLUTANT => &Component::ALL,
        Some(_) => &[Component::Net],
        None if m == MetricId::VEHICLE_KM => &COMPUTED,
        None => &[Component::Gross],
    }
}

/// Column name of a metric's component in the daily table: `trips_avoided`,
/// `vehicle_km_rebound`, `co2_gross_kg`, `pm25_avoided_kg`. "Avoided" is what the
/// table's reader takes away: gross for travel, net for pollutants.
pub fn daily_column(m: MetricId, c: Component) -> String {
    let name = metric(m).name;
    match (metric(m).unit, c) {
        (Unit::Kg, Component::Gross) => format!("{name}_gross_kg"),
        (Unit::Kg, Component::Rebound) => format!("{name}_rebound_kg"),
        (Unit::Kg, Component::Net) => format!("{name}_avoided_kg"),
        (Unit::Kg, Component::Congestion) => format!("{name}_congestion_kg"),
        (Unit::Kg, Component::Induced) => format!("{name}_induced_kg"),
        (_, Component::Gross) => format!("{name}_avoided"),
        (_, Component::Rebound) => format!("{name}_rebound"),
        (_, Component::Net) => format!("{name}_net"),
        (_, Component::Congestion) => format!("{name}_congestion"),
        (_, Component::Induced) => format!("{name}_induced"),
    }
}

/// Every (metric, component) column of the daily table, in column order.
pub fn daily_columns() -> Vec<(MetricId, Component)> {
    metrics()
        .flat_map(|(m, _)| daily_components(m).iter().map(move |&c| (m, c)))
        .collect()
}

/// Per worker-day coefficient layout: for each metric, its gross then its rebound.
pub const N_SLOTS: usize = N_METRICS * COMPUTED.len();

/// Slot of a metric's computed component in a per-worker-day coefficient vector.
pub const fn slot(m: MetricId, rebound: bool) -> usize {
    m.0 * 2 + rebound as usize
}

/// A component's value from a per-worker-day (or summed) slot vector.
pub fn value(v: &[f64], m: MetricId, c: Component) -> f64 {
    let (g, r) = (v[slot(m, false)], v[slot(m, true)]);
    match c {
        Component::Gross => g,
        Component::Rebound => r,
        Component::Net => g - r,
        Component::Congestion | Component::Induced => 0.0,
    }
}

/// Quantile levels of every band: the 5th, 50th and 95th percentiles over replicates.
pub const QUANTILES: [Quantile; 3] = [
    Quantile {
        level: 0.05,
        suffix: "p05",
    },
    Quantile {
        level: 0.50,
        suffix: "p50",
    },
    Quantile {
        level: 0.95,
        suffix: "p95",
    },
];

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantile {
    pub level: f64,
    /// Column suffix, e.g. `p05`.
    pub suffix: &'static str,
}

/// A number's quantiles over replicates, at [`QUANTILES`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Band(pub [f64; QUANTILES.len()]);

impl Band {
    /// The median (the level 0.5 of [`QUANTILES`]).
    pub fn median(&self) -> f64 {
        self.0[MEDIAN]
    }
    /// The lowest level's value (p05).
    pub fn low(&self) -> f64 {
        self.0[0]
    }
    /// The highest level's value (p95).
    pub fn high(&self) -> f64 {
        self.0[QUANTILES.len() - 1]
    }
    /// (suffix, value) pairs in level order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        QUANTILES.iter().zip(self.0).map(|(q, v)| (q.suffix, v))
    }
}

const MEDIAN: usize = 1;
const _: () = assert!(QUANTILES[MEDIAN].level == 0.5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_has_distinct_daily_columns_and_two_slots() {
        let cols: Vec<String> = daily_columns()
            .into_iter()
            .map(|(m, c)| daily_column(m, c))
            .collect();
        let mut unique = cols.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), cols.len(), "{cols:?}");
        // Every metric reaches the daily table.
        for (m, _) in metrics() {
            assert!(daily_columns().iter().any(|(x, _)| *x == m), "{m:?}");
        }
        let slots: Vec<usize> = metrics()
            .flat_map(|(m, _)| [slot(m, false), slot(m, true)])
            .collect();
        assert_eq!(slots, (0..N_SLOTS).collect::<Vec<_>>());
    }

    #[test]
    fn pollutant_ids_round_trip() {
        for (p, name) in POLLUTANTS.iter().enumerate() {
            assert_eq!(MetricId::pollutant(p).as_pollutant(), Some(p));
            assert_eq!(metric(MetricId::pollutant(p)).name, *name);
        }
        assert_eq!(MetricId::TRIPS.as_pollutant(), None);
    }

    #[test]
    fn net_is_gross_minus_rebound() {
        let mut v = vec![0.0; N_SLOTS];
        v[slot(MetricId::VEHICLE_KM, false)] = 10.0;
        v[slot(MetricId::VEHICLE_KM, true)] = 2.5;
        assert_eq!(value(&v, MetricId::VEHICLE_KM, Component::Net), 7.5);
        assert_eq!(value(&v, MetricId::VEHICLE_KM, Component::Rebound), 2.5);
    }
}
