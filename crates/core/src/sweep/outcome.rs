//! What a sweep reports per replicate: a few numbers planners ask "what would it take?"
//! about, each read from the replicate's own summary rows (the same rows `summary.csv`
//! reports as bands).

use crate::results::{Basis, Component, MetricId, SummaryRow};

/// How an outcome is read from its summary row.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Read {
    /// Window total ÷ working days of the window, × a factor.
    PerDay(f64),
    /// Percent of the row's baseline.
    Pct,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    basis: Basis,
    metric: MetricId,
    read: Read,
}

/// Every outcome, in the order of the experiments table's columns.
pub const OUTCOMES: [Outcome; 9] = [
    Outcome {
        name: "trips_per_day",
        label: "Commuter trips avoided per policy working day (net of rebound)",
        unit: "trips/day",
        basis: Basis::All,
        metric: MetricId::TRIPS,
        read: Read::PerDay(1.0),
    },
    Outcome {
        name: "trips_pct",
        label: "Commuter trips avoided, share of all commuter trips in the window",
        unit: "% of commuter trips",
        basis: Basis::All,
        metric: MetricId::TRIPS,
        read: Read::Pct,
    },
    Outcome {
        name: "pm25_kg_per_day",
        label: "Exhaust PM2.5 avoided per policy working day (commuters, net of rebound)",
        unit: "kg/day",
        basis: Basis::All,
        metric: MetricId::PM25,
        read: Read::PerDay(1.0),
    },
    Outcome {
        name: "co2_t_per_day",
        label: "CO2 avoided per policy working day (commuters, net of rebound)",
        unit: "t/day",
        basis: Basis::All,
        metric: MetricId::CO2,
        read: Read::PerDay(1e-3),
    },
    Outcome {
        name: "nox_kg_per_day",
        label: "NOx avoided per policy working day (commuters, net of rebound)",
        unit: "kg/day",
        basis: Basis::All,
        metric: MetricId::NOX,
        read: Read::PerDay(1.0),
    },
    Outcome {
        name: "dki_vehicles_per_day",
        label: "Fewer vehicles counted on DKI's roads per policy working day",
        unit: "vehicles/day",
        basis: Basis::DkiRoads,
        metric: MetricId::VEHICLES,
        read: Read::PerDay(1.0),
    },
    Outcome {
        name: "dki_vehicles_pct",
        label: "Fewer vehicles on DKI's roads, share of Dishub's count",
        unit: "% of DKI's counted vehicles",
        basis: Basis::DkiRoads,
        metric: MetricId::VEHICLES,
        read: Read::Pct,
    },
    Outcome {
        name: "dki_pm25_inventory_pct",
        label: "Exhaust PM2.5 avoided on DKI's roads incl. congestion and induced traffic, share of DKI's road inventory",
        unit: "% of the inventory",
        basis: Basis::DkiRoads,
        metric: MetricId::PM25,
        read: Read::Pct,
    },
    Outcome {
        name: "dki_co2_t_per_day",
        label: "CO2 avoided on DKI's roads per policy working day incl. congestion and induced traffic",
        unit: "t/day",
        basis: Basis::DkiRoads,
        metric: MetricId::CO2,
        read: Read::PerDay(1e-3),
    },
];

impl Outcome {
    pub fn find(name: &str) -> Option<Outcome> {
        OUTCOMES.iter().find(|o| o.name == name).copied()
    }

    pub fn names() -> Vec<&'static str> {
        OUTCOMES.iter().map(|o| o.name).collect()
    }

    /// The outcome in one replicate's summary rows (`rows` of a single replicate, so
    /// every band is that replicate's value); NaN when the row is absent.
    pub fn of(&self, rows: &[SummaryRow], window_working_days: usize) -> f64 {
        let Some(r) = rows.iter().find(|r| {
            r.basis == self.basis
                && r.region.is_none()
                && r.metric == self.metric
                && r.component == Component::Net
        }) else {
            return f64::NAN;
        };
        match self.read {
            Read::PerDay(f) => r.total.median() / window_working_days.max(1) as f64 * f,
            Read::Pct => r.pct.median(),
        }
    }
}
