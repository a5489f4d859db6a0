//! The result tables as polars DataFrames, built from [`Results`] and the run's
//! [`RunInfo`] (region and mode codes), with columns derived from the result schema; and
//! their readers, so that a finished run's charts can be redrawn from its files alone.

use std::path::Path;

use polars::prelude::*;

use super::run_info::RunInfo;
use wfhsim_core::results::schema::{self, QUANTILES, daily_column, daily_columns};
use wfhsim_core::results::{Band, Results};

fn text(name: &str, v: Vec<String>) -> Column {
    Column::new(name.into(), v)
}

fn num(name: &str, v: Vec<f64>) -> Column {
    Column::new(name.into(), v)
}

/// One column per quantile level: `{prefix}_p05`, `{prefix}_p50`, …
fn band_columns(prefix: &str, bands: &[Band]) -> impl Iterator<Item = Column> {
    QUANTILES.iter().enumerate().map(move |(j, q)| {
        num(
            &format!("{prefix}_{}", q.suffix),
            bands.iter().map(|b| b.0[j]).collect(),
        )
    })
}

/// One row per scenario × working day × region basis × region × mode (only rows with a
/// non-zero baseline). Dates are Parquet/Arrow dates.
pub fn daily_frame(results: &Results, info: &RunInfo) -> PolarsResult<DataFrame> {
    let rows: usize = results.scenarios.iter().map(|s| s.daily.len()).sum();
    let columns = daily_columns();
    let mut scen = Vec::with_capacity(rows);
    let mut date = Vec::with_capacity(rows);
    let mut basis = Vec::with_capacity(rows);
    let mut region = Vec::with_capacity(rows);
    let mut mode = Vec::with_capacity(rows);
    let mut base = Vec::with_capacity(rows);
    let mut q: Vec<Vec<Band>> = vec![Vec::with_capacity(rows); columns.len()];
    for s in &results.scenarios {
        for r in &s.daily {
            scen.push(s.scenario.name.clone());
            date.push(r.date.0);
            basis.push(r.basis.as_str().to_string());
            region.push(
                r.region
                    .map_or("all".into(), |i| info.regions[i].code.clone()),
            );
            mode.push(r.mode.map_or("all".into(), |i| info.modes[i].code.clone()));
            base.push(r.baseline_trips);
            for (k, b) in r.q.iter().enumerate() {
                q[k].push(*b);
            }
        }
    }
    let mut cols = vec![
        text("scenario", scen),
        Column::new("date".into(), date).cast(&DataType::Date)?,
        text("region_basis", basis),
        text("region", region),
        text("mode", mode),
        num("baseline_trips", base),
    ];
    for (&(m, c), bands) in columns.iter().zip(&q) {
        cols.extend(band_columns(&daily_column(m, c), bands));
    }
    DataFrame::new(rows, cols)
}

/// One row per scenario × region basis × region × metric × component: totals over the
/// policy window, per policy day, and percent of the baseline.
pub fn summary_frame(results: &Results, info: &RunInfo) -> PolarsResult<DataFrame> {
    const TEXT: [&str; 10] = [
        "scenario",
        "title",
        "region_basis",
        "region",
        "region_name",
        "metric",
        "component",
        "unit",
        "window_start",
        "window_end",
    ];
    let mut c: Vec<Vec<String>> = vec![Vec::new(); TEXT.len()];
    let mut wd: Vec<i64> = Vec::new();
    let (mut total, mut per_day, mut baseline, mut pct) = (vec![], vec![], vec![], vec![]);
    let mut dki: Vec<Vec<Option<f64>>> = vec![Vec::new(); QUANTILES.len()];
    for s in &results.scenarios {
        let (ws, we) = s.window.map_or((String::new(), String::new()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
        for r in &s.summary {
            let region = r.region.map(|i| &info.regions[i]);
            let metric = schema::metric(r.metric);
            let vals = [
                s.scenario.name.clone(),
                s.scenario.title.clone(),
                r.basis.as_str().to_string(),
                match (region, r.basis.is_dki_aggregate()) {
                    (Some(g), _) => g.code.clone(),
                    (None, true) => "dki".into(),
                    (None, false) => "all".into(),
                },
                match (region, r.basis.is_dki_aggregate()) {
                    (Some(g), _) => g.name.clone(),
                    (None, true) => "DKI Jakarta".into(),
                    (None, false) => info.area_name.clone(),
                },
                metric.name.to_string(),
                r.component.as_str().to_string(),
                metric.unit.as_str().to_string(),
                ws.clone(),
                we.clone(),
            ];
            for (v, x) in c.iter_mut().zip(vals) {
                v.push(x);
            }
            wd.push(s.window_working_days as i64);
            total.push(r.total);
            per_day.push(r.per_day_p50);
            baseline.push(r.baseline_p50);
            pct.push(r.pct);
            for (j, v) in dki.iter_mut().enumerate() {
                v.push(r.pct_dki.map(|p| p.0[j]));
            }
        }
    }
    let n = wd.len();
    let mut cols: Vec<Column> = TEXT.iter().zip(c).map(|(n, v)| text(n, v)).collect();
    cols.push(Column::new("window_working_days".into(), wd));
    cols.extend(band_columns("total", &total));
    cols.push(num("per_day_p50", per_day));
    cols.push(num("baseline_total_p50", baseline));
    cols.extend(band_columns("pct_baseline", &pct));
    for (q, v) in QUANTILES.iter().zip(dki) {
        cols.push(Column::new(
            format!("pct_baseline_dki_{}", q.suffix).into(),
            v,
        ));
    }
    DataFrame::new(n, cols)
}

/// One row per scenario × policy × share window: what the charts shade.
pub fn windows_frame(results: &Results) -> PolarsResult<DataFrame> {
    let (mut s, mut p, mut a, mut b, mut sh) = (vec![], vec![], vec![], vec![], vec![]);
    for r in &results.scenarios {
        for pol in &r.scenario.policies {
            for w in &pol.windows {
                s.push(r.scenario.name.clone());
                p.push(pol.name.clone());
                a.push(w.from.to_string());
                b.push(w.to.to_string());
                sh.push(w.share);
            }
        }
    }
    let n = s.len();
    DataFrame::new(
        n,
        vec![
            text("scenario", s),
            text("policy", p),
            text("from", a),
            text("to", b),
            num("share", sh),
        ],
    )
}

pub fn read_parquet(path: &Path) -> PolarsResult<DataFrame> {
    ParquetReader::new(std::fs::File::open(path)?).finish()
}

pub fn read_csv(path: &Path) -> PolarsResult<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))?
        .finish()
}

/// One row per scenario × working day × region × vehicle class × period: all traffic on
/// the region's roads (baseline and scenario vehicle-km, speed) and what the scenario
/// avoids there by component. Medians unless a band.
pub fn traffic_frame(results: &Results, info: &RunInfo) -> PolarsResult<DataFrame> {
    use wfhsim_core::data::{POLLUTANTS, VehicleClass};
    use wfhsim_core::traffic::PERIODS;
    let rows: usize = results.scenarios.iter().map(|s| s.roads.rows.len()).sum();
    let (mut scen, mut date, mut region, mut class, mut period) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    let (mut base_vkm, mut vkm, mut gross, mut rebound, mut base_v, mut speed, mut vh) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut base_veh, mut veh) = (vec![], vec![]);
    let mut kg: Vec<Vec<f64>> = vec![Vec::with_capacity(rows); POLLUTANTS.len() * 4];
    for s in &results.scenarios {
        for r in &s.roads.rows {
            scen.push(s.scenario.name.clone());
            date.push(r.date.0);
            region.push(info.regions[r.region].code.clone());
            class.push(VehicleClass::ALL[r.class].as_str().to_string());
            period.push(PERIODS[r.period].to_string());
            base_vkm.push(r.baseline_vkm);
            vkm.push(r.vkm);
            base_veh.push(r.baseline_vehicles);
            veh.push(r.vehicles);
            gross.push(r.gross_vkm);
            rebound.push(r.rebound_vkm);
            base_v.push(r.baseline_speed);
            speed.push(r.speed);
            vh.push(r.congestion_vh);
            for (p, comps) in r.kg.iter().enumerate() {
                for (j, v) in comps.iter().enumerate() {
                    kg[p * 4 + j].push(*v);
                }
            }
        }
    }
    let mut cols = vec![
        text("scenario", scen),
        Column::new("date".into(), date).cast(&DataType::Date)?,
        text("region", region),
        text("vehicle_class", class),
        text("period", period),
        num("baseline_vehicles", base_veh),
    ];
    cols.extend(band_columns("vehicles", &veh));
    cols.push(num("baseline_vehicle_km", base_vkm));
    cols.extend(band_columns("vehicle_km", &vkm));
    cols.push(num("vehicle_km_gross_p50", gross));
    cols.push(num("vehicle_km_rebound_p50", rebound));
    cols.push(num("baseline_speed_kmh", base_v));
    cols.extend(band_columns("speed_kmh", &speed));
    cols.push(num("vehicle_hours_congestion_p50", vh));
    for (p, name) in POLLUTANTS.iter().enumerate() {
        for (j, c) in ["gross", "rebound", "congestion", "net"].iter().enumerate() {
            cols.push(num(
                &format!("{name}_{c}_kg_p50"),
                std::mem::take(&mut kg[p * 4 + j]),
            ));
        }
    }
    DataFrame::new(rows, cols)
}

/// One row per scenario × comparison: would DKI's traffic counts see the order?
pub fn detectability_frame(results: &Results) -> PolarsResult<DataFrame> {
    let mut scen = vec![];
    let mut comp = vec![];
    let mut days: Vec<i64> = vec![];
    let mut effect = vec![];
    let mut mde: [Vec<f64>; 6] = Default::default();
    let (mut vis_city, mut vis_site, mut p) = (vec![], vec![], vec![]);
    for s in &results.scenarios {
        for d in &s.roads.detect {
            scen.push(s.scenario.name.clone());
            comp.push(d.comparison.to_string());
            days.push(d.days as i64);
            effect.push(d.effect_pct);
            for j in 0..3 {
                mde[j].push(d.mde_city_pct[j]);
                mde[3 + j].push(d.mde_site_pct[j]);
            }
            vis_city.push(d.visible_city);
            vis_site.push(d.visible_site);
            p.push(d.p_visible_city);
        }
    }
    let n = scen.len();
    let mut cols = vec![
        text("scenario", scen),
        text("comparison", comp),
        Column::new("days_each_side".into(), days),
    ];
    cols.extend(band_columns("effect_pct", &effect));
    let [c0, c1, c2, s0, s1, s2] = mde;
    cols.extend([
        num("mde_city_pct", c0),
        num("mde_city_pct_low", c1),
        num("mde_city_pct_high", c2),
        num("mde_site_pct", s0),
        num("mde_site_pct_low", s1),
        num("mde_site_pct_high", s2),
        Column::new("visible_city".into(), vis_city),
        Column::new("visible_site".into(), vis_site),
        num("p_visible_city", p),
    ]);
    DataFrame::new(n, cols)
}
