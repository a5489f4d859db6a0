//! Records written as the run folder's tables and read back are the records written.

use std::io::Cursor;

use polars::prelude::*;

use super::{
    DailyRecord, DetectabilityRecord, ReplicateDayRecord, SummaryRecord, WindowRecord, frames, read,
};
use wfhsim_core::calendar::Date;
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::schema::{self, Band, Component, MetricId};
use wfhsim_core::traffic::detect::Comparison;

fn day(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).unwrap()
}

fn band(x: f64) -> Band {
    Band([x, x + 1.5, x + 3.25])
}

/// The frame through Parquet, as the Parquet exporter writes it and a run folder is read.
fn parquet(mut df: DataFrame) -> DataFrame {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut df).unwrap();
    ParquetReader::new(Cursor::new(bytes)).finish().unwrap()
}

/// The frame through CSV at the CSV exporter's precision.
fn csv(mut df: DataFrame) -> DataFrame {
    let mut bytes = Vec::new();
    CsvWriter::new(&mut bytes)
        .include_header(true)
        .with_float_precision(Some(3))
        .finish(&mut df)
        .unwrap();
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
        .unwrap()
}

fn summary_record(basis: Basis, metric: MetricId, component: Component) -> SummaryRecord {
    SummaryRecord {
        scenario: "wfh".into(),
        title: "Work from home".into(),
        basis,
        region: "dki".into(),
        region_name: "DKI Jakarta".into(),
        metric,
        component,
        window: Some((day(2025, 3, 3), day(2025, 3, 28))),
        window_working_days: 20,
        total: band(-4.0),
        total_error: [None, Some(0.5), Some(2.0)],
        per_day_p50: 0.125,
        baseline_total_p50: 1e6,
        pct_baseline: band(0.5),
        pct_baseline_dki: Some(band(0.25)),
    }
}

#[test]
fn summary_records_round_trip_through_parquet() {
    let mut road = summary_record(
        Basis::DkiCordonPeak,
        MetricId::VEHICLES,
        Component::Congestion,
    );
    road.window = None;
    road.pct_baseline_dki = None;
    road.total_error = [None; 3];
    let rows = vec![
        summary_record(Basis::DkiRoads, MetricId::CO2, Component::Net),
        road,
        summary_record(Basis::Home, MetricId::TRIPS, Component::Gross),
    ];
    let back = read::summary(&parquet(frames::summary(&rows).unwrap())).unwrap();
    assert_eq!(back, rows);
    assert_eq!(back[1].unit(), "vehicles");
}

#[test]
fn daily_records_round_trip_through_parquet() {
    let n = schema::daily_columns().len();
    let rows: Vec<DailyRecord> = [Basis::Home, Basis::All]
        .into_iter()
        .enumerate()
        .map(|(i, basis)| DailyRecord {
            scenario: "wfh".into(),
            date: day(2025, 3, 3 + i as u32),
            basis,
            region: if i == 0 {
                "jaksel".into()
            } else {
                super::ALL.into()
            },
            mode: "car".into(),
            baseline_trips: 1000.0 + i as f64,
            values: (0..n).map(|k| band(k as f64 + i as f64)).collect(),
        })
        .collect();
    let df = parquet(frames::daily(&rows).unwrap());
    assert_eq!(df.column("date").unwrap().dtype(), &DataType::Date);
    let back = read::daily(&df).unwrap();
    assert_eq!(back, rows);
    let (m, c) = schema::daily_columns()[n - 1];
    assert_eq!(back[1].value(m, c), Some(band((n - 1) as f64 + 1.0)));
}

#[test]
fn replicate_day_records_round_trip_through_parquet() {
    let rows: Vec<ReplicateDayRecord> = (0..6)
        .map(|i| ReplicateDayRecord {
            scenario: if i < 4 { "wfh" } else { "wfh-50" }.into(),
            replicate: i % 2,
            date: day(2025, 3, 3 + i as u32 / 2),
            values: [1234.5 + i as f64, -0.125 * i as f64, 1e-7 * (i + 1) as f64],
        })
        .collect();
    let df = parquet(frames::replicates_daily(&rows).unwrap());
    let names: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "scenario",
            "replicate",
            "date",
            "trips_avoided",
            "co2_avoided_kg",
            "pm25_avoided_kg"
        ]
    );
    assert_eq!(df.column("date").unwrap().dtype(), &DataType::Date);
    assert_eq!(read::replicates_daily(&df).unwrap(), rows);
}

#[test]
fn window_records_round_trip_through_csv() {
    let rows = vec![WindowRecord {
        scenario: "wfh".into(),
        policy: "ASN".into(),
        from: day(2025, 3, 3),
        to: day(2025, 12, 31),
        share: 0.5,
    }];
    assert_eq!(
        read::windows(&csv(frames::windows(&rows).unwrap())).unwrap(),
        rows
    );
}

#[test]
fn detectability_records_round_trip_through_parquet() {
    let rows: Vec<DetectabilityRecord> = Comparison::ALL
        .into_iter()
        .enumerate()
        .map(|(i, comparison)| DetectabilityRecord {
            scenario: "wfh".into(),
            comparison,
            days_each_side: 1 + 4 * i as i64,
            effect_pct: band(0.75),
            mde_city_pct: [1.0, 0.5, 2.0],
            mde_site_pct: [3.0, 1.5, 6.0],
            visible_city: i == 2,
            visible_site: false,
            power_city: 0.25 * i as f64,
        })
        .collect();
    let back = read::detectability(&parquet(frames::detectability(&rows).unwrap())).unwrap();
    assert_eq!(back, rows);
}

#[test]
fn a_key_the_schema_does_not_know_is_refused_naming_its_column() {
    let rows = vec![summary_record(
        Basis::All,
        MetricId::TRIPS,
        Component::Gross,
    )];
    let mut df = frames::summary(&rows).unwrap();
    df.replace("metric", Column::new("metric".into(), ["lorries"]))
        .unwrap();
    let err = read::summary(&df).unwrap_err().to_string();
    assert!(
        err.contains("column `metric`: 'lorries' is not a known key"),
        "{err}"
    );
}

/// What a run of one scenario, `wfh` (March–April 2025, its window 3–28 March), allows.
fn known() -> super::info_check::Known {
    let span = super::info_check::Span {
        period: (day(2025, 3, 1), day(2025, 4, 30)),
        window: Some((day(2025, 3, 3), day(2025, 3, 28))),
    };
    super::info_check::Known {
        scenarios: [("wfh".to_string(), span)].into_iter().collect(),
        regions: [(super::ALL.to_string(), ())].into_iter().collect(),
        modes: [(super::ALL.to_string(), ())].into_iter().collect(),
        replicates: 10,
    }
}

/// A congestion level row as the run writes it: the level over the window, its per-day
/// value the same, the baseline level, the change in points.
fn level_record(basis: Basis) -> SummaryRecord {
    let mut r = summary_record(basis, MetricId::CONGESTION_LEVEL, Component::Net);
    r.total = Band([46.375, 52.25, 61.375]);
    r.per_day_p50 = 52.25;
    r.baseline_total_p50 = 52.5;
    r.pct_baseline = Band([-0.5, -0.25, -0.125]);
    r.pct_baseline_dki = None;
    r
}

#[test]
fn congestion_level_rows_round_trip_and_pass_the_checks() {
    let rows = vec![
        level_record(Basis::DkiRoads),
        level_record(Basis::DkiRoadsPeak),
    ];
    for back in [
        read::summary(&parquet(frames::summary(&rows).unwrap())).unwrap(),
        read::summary(&csv(frames::summary(&rows).unwrap())).unwrap(),
    ] {
        assert_eq!(back, rows);
        assert_eq!(back[0].unit(), "percent");
        assert_eq!(back[0].metric_name(), "congestion_level");
        super::check::summary(&back, &known()).unwrap();
    }
}

#[test]
fn a_congestion_level_row_out_of_its_rules_is_refused_naming_the_rule() {
    let refused = |r: SummaryRecord| {
        super::check::summary(&[r], &known())
            .unwrap_err()
            .to_string()
    };
    // Divided by the window's working days like an amount.
    let mut r = level_record(Basis::DkiRoads);
    r.per_day_p50 = 52.25 / 20.0;
    assert_eq!(
        refused(r),
        "summary.parquet: row 1, column per_day_p50: 2.6125; allowed: total_p50 = 52.25 \
         (congestion_level is a level: its per-day value is itself)"
    );
    let mut r = level_record(Basis::DkiRoads);
    r.component = Component::Gross;
    assert_eq!(
        refused(r),
        "summary.parquet: row 1, column component: gross; allowed: net (congestion_level \
         is a level: one row, with everything the scenario does)"
    );
    let mut r = level_record(Basis::DkiCordon);
    r.component = Component::Net;
    assert_eq!(
        refused(r),
        "summary.parquet: row 1, column region_basis: dki_cordon, dki; allowed: \
         congestion_level rows on region dki of dki_roads, dki_roads_peak only"
    );
    // An amount keeps its rule: the total over the working days.
    let mut r = summary_record(Basis::DkiRoads, MetricId::VEHICLE_KM, Component::Net);
    r.per_day_p50 = r.total.median();
    r.pct_baseline_dki = None;
    assert!(refused(r).contains("allowed: total_p50 / window_working_days = -2.5 / 20"));
}

#[test]
fn a_unit_other_than_its_metric_s_is_refused_naming_the_row() {
    let rows = vec![
        summary_record(Basis::DkiRoads, MetricId::VEHICLE_KM, Component::Net),
        level_record(Basis::DkiRoads),
    ];
    let mut df = frames::summary(&rows).unwrap();
    df.replace("unit", Column::new("unit".into(), ["km", "km"]))
        .unwrap();
    let err = read::summary(&df).unwrap_err().to_string();
    assert!(
        err.contains("column `unit`: 'km' is not row 2's unit: congestion_level is in percent"),
        "{err}"
    );
}
