//! The rows of the `summary` table the briefing reads, found by their key (scenario,
//! region basis, region, metric, component), and the `detectability` table's verdicts.

use std::collections::BTreeMap;

use polars::prelude::DataFrame;

use crate::export::ExportError;
use crate::plot::PlotError;
use crate::plot::columns as col;
use crate::plot::data::Table;

const WHAT: &str = "briefing";

/// The values of one summary row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub working_days: f64,
    /// Totals over the window, p05, p50, p95.
    pub total: [f64; 3],
    pub per_day_p50: f64,
    /// Percent of the row's baseline, p05, p50, p95.
    pub pct: [f64; 3],
}

impl Row {
    /// Per working day of the window: p05, p50, p95 (the p50 is the table's own).
    pub fn per_day(&self) -> [f64; 3] {
        let d = self.working_days.max(1.0);
        [self.total[0] / d, self.per_day_p50, self.total[2] / d]
    }
}

type Key = (String, String, String, String, String);

pub struct Summary {
    rows: BTreeMap<Key, Row>,
}

fn plot_err(e: PlotError) -> ExportError {
    ExportError::Plot(e)
}

impl Summary {
    pub fn read(df: &DataFrame) -> Result<Summary, ExportError> {
        let t = Table::new(df, "summary", WHAT);
        let s = |c| t.strs(c).map_err(plot_err);
        let f = |c| t.f64s(c).map_err(plot_err);
        let (scenario, basis, region) = (s(col::SCENARIO)?, s(col::REGION_BASIS)?, s(col::REGION)?);
        let (metric, component) = (s(col::METRIC)?, s(col::COMPONENT)?);
        let days = f("window_working_days")?;
        let total = col::TOTAL.map(f);
        let pct = col::PCT_BASELINE.map(f);
        let per_day = f(col::PER_DAY_P50)?;
        let [t0, t1, t2] = total;
        let (t0, t1, t2) = (t0?, t1?, t2?);
        let [p0, p1, p2] = pct;
        let (p0, p1, p2) = (p0?, p1?, p2?);
        let mut rows = BTreeMap::new();
        for i in 0..scenario.len() {
            rows.insert(
                (
                    scenario[i].to_string(),
                    basis[i].to_string(),
                    region[i].to_string(),
                    metric[i].to_string(),
                    component[i].to_string(),
                ),
                Row {
                    working_days: days[i],
                    total: [t0[i], t1[i], t2[i]],
                    per_day_p50: per_day[i],
                    pct: [p0[i], p1[i], p2[i]],
                },
            );
        }
        Ok(Summary { rows })
    }

    /// The row, if the run has it.
    pub fn get(
        &self,
        scenario: &str,
        basis: &str,
        region: &str,
        m: col::SummaryMetric,
    ) -> Option<Row> {
        let key = |component: &str| {
            (
                scenario.to_string(),
                basis.to_string(),
                region.to_string(),
                m.metric.to_string(),
                component.to_string(),
            )
        };
        // A metric without rebound has no net row: its gross row is the net (as charts do).
        self.rows.get(&key(m.component)).copied().or_else(|| {
            (m.component == col::NET)
                .then(|| self.rows.get(&key(col::GROSS)).copied())
                .flatten()
        })
    }

    /// The whole-area row of a metric.
    pub fn all(&self, scenario: &str, m: col::SummaryMetric) -> Option<Row> {
        self.get(scenario, col::ALL, col::ALL, m)
    }

    /// The DKI row of a road-layer basis (`dki_roads`, `dki_cordon`, …).
    pub fn dki(&self, scenario: &str, basis: &str, m: col::SummaryMetric) -> Option<Row> {
        self.rows
            .iter()
            .find(|((s, b, _, me, c), _)| {
                s == scenario && b == basis && me == m.metric && c == m.component
            })
            .map(|(_, r)| *r)
    }
}

/// Trips avoided (p05, p50, p95) on `days` (YYYY-MM-DD), whole area and every mode, by
/// scenario and date, from the `daily` table.
pub fn trips_on_days(
    df: &DataFrame,
    days: &[String],
) -> Result<BTreeMap<(String, String), [f64; 3]>, ExportError> {
    let mut out = BTreeMap::new();
    if days.is_empty() || df.height() == 0 {
        return Ok(out);
    }
    let t = Table::new(df, "daily", WHAT);
    let wanted: Vec<i32> = days
        .iter()
        .filter_map(|d| wfhsim_core::calendar::Date::parse(d).map(|d| d.0))
        .collect();
    let date = t.dates(col::DATE).map_err(plot_err)?;
    let keep: Vec<usize> = (0..date.len())
        .filter(|&i| date[i].is_some_and(|d| wanted.contains(&d)))
        .collect();
    if keep.is_empty() {
        return Ok(out);
    }
    let scenario = t.strs(col::SCENARIO).map_err(plot_err)?;
    let basis = t.strs(col::REGION_BASIS).map_err(plot_err)?;
    let region = t.strs(col::REGION).map_err(plot_err)?;
    let mode = t.strs(col::MODE).map_err(plot_err)?;
    let q = col::TRIPS_AVOIDED.columns();
    let v: Vec<Vec<f64>> = q
        .iter()
        .map(|c| t.f64s(c).map_err(plot_err))
        .collect::<Result<_, _>>()?;
    for i in keep {
        if basis[i] == col::ALL && region[i] == col::ALL && mode[i] == col::ALL {
            let d = wfhsim_core::calendar::Date(date[i].unwrap_or_default()).to_string();
            out.insert((scenario[i].to_string(), d), [v[0][i], v[1][i], v[2][i]]);
        }
    }
    Ok(out)
}

/// One row of the `detectability` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Detect {
    pub comparison: String,
    pub days_each_side: f64,
    /// Median effect on DKI's daily count, percent.
    pub effect_pct_p50: f64,
    /// City-wide minimum detectable effect, percent (central).
    pub mde_city_pct: f64,
    pub visible_city: bool,
}

/// The detectability rows of each scenario, in table order.
pub fn detectability(df: &DataFrame) -> Result<BTreeMap<String, Vec<Detect>>, ExportError> {
    let mut out: BTreeMap<String, Vec<Detect>> = BTreeMap::new();
    if df.height() == 0 {
        return Ok(out);
    }
    let t = Table::new(df, "detectability", WHAT);
    let scenario = t.strs(col::SCENARIO).map_err(plot_err)?;
    let comparison = t.strs(col::COMPARISON).map_err(plot_err)?;
    let days = t.f64s(col::DAYS_EACH_SIDE).map_err(plot_err)?;
    let effect = t.f64s(col::EFFECT_PCT[1]).map_err(plot_err)?;
    let mde = t.f64s(col::MDE_CITY_PCT[0]).map_err(plot_err)?;
    let visible = visible(df)?;
    for i in 0..scenario.len() {
        out.entry(scenario[i].to_string())
            .or_default()
            .push(Detect {
                comparison: comparison[i].to_string(),
                days_each_side: days[i],
                effect_pct_p50: effect[i],
                mde_city_pct: mde[i],
                visible_city: visible[i],
            });
    }
    Ok(out)
}

/// `visible_city` as booleans, whether the column is boolean (Parquet) or text (CSV).
fn visible(df: &DataFrame) -> Result<Vec<bool>, ExportError> {
    let c = df.column(col::VISIBLE_CITY).map_err(|_| {
        plot_err(PlotError::MissingColumn {
            chart: WHAT.into(),
            table: "detectability".into(),
            column: col::VISIBLE_CITY.into(),
        })
    })?;
    if let Ok(b) = c.bool() {
        return Ok(b.iter().map(|v| v.unwrap_or(false)).collect());
    }
    let t = Table::new(df, "detectability", WHAT);
    Ok(t.strs(col::VISIBLE_CITY)
        .map_err(plot_err)?
        .iter()
        .map(|s| *s == "true")
        .collect())
}
