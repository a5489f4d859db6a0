//! The records read from a run folder checked against its `run.json` before any command
//! uses them: every key known (scenario, region, mode), every date inside its scenario's
//! period, every value finite, every band ordered (p05 ≤ p50 ≤ p95), working days at least
//! one, each key once. A folder that breaks a rule is refused with the file, row, column,
//! value and what is allowed ([`Problem`]), so a damaged or edited table is never drawn,
//! summarised or compared — nor made to allocate without bound (a date in the year
//! 5,881,580 once asked the daily chart for billions of ticks).
//!
//! The traffic table is not checked here: no reader draws or summarises it; its SHA-256
//! in `manifest.json` covers it (see [`super::integrity`]).

use std::collections::BTreeMap;

use super::frames::*;
use super::info_check::Known;
use super::records::DKI;
use super::{
    ALL, CalibrationRecord, ComparisonRecord, DailyRecord, DecompositionRecord,
    DetectabilityRecord, ReplicateDayRecord, ReplicateRecord, SummaryRecord, WindowRecord,
};
use wfhsim_core::calendar::Date;
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::schema::{self, Band, QUANTILES};

/// A value of a run folder that its rules do not allow.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {at}: {value}; allowed: {allowed}")]
pub struct Problem {
    /// The file (as named inside the folder until [`Problem::in_folder`] gives its path).
    pub path: String,
    /// Where in it: `row 3, column total_p50` or a `run.json` key.
    pub at: String,
    pub value: String,
    pub allowed: String,
}

impl Problem {
    pub(super) fn new(file: &str, at: String, value: String, allowed: String) -> Problem {
        Problem {
            path: file.to_string(),
            at,
            value,
            allowed,
        }
    }

    /// The problem with the file's path in the run folder `dir`.
    pub(super) fn in_folder(mut self, dir: &std::path::Path) -> Problem {
        self.path = dir.join(&self.path).display().to_string();
        self
    }
}

/// A number as a message shows it: plain, or with an exponent when it is very large or
/// very small (a 309-digit number helps nobody).
pub(super) fn show(x: f64) -> String {
    if x.is_finite() && x != 0.0 && !(1e-6..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// A date as a message shows it; a day number far outside any calendar as the number.
pub(super) fn show_date(d: Date) -> String {
    if d.0.abs() < 3_000_000 {
        d.to_string()
    } else {
        format!("day {} since 1970-01-01", d.0)
    }
}

/// The problems of one table's rows: `file` and the 1-based row of each.
struct Rows<'a> {
    file: &'a str,
    row: usize,
}

impl Rows<'_> {
    fn bad(&self, column: &str, value: String, allowed: impl Into<String>) -> Problem {
        let at = format!("row {}, column {column}", self.row + 1);
        Problem::new(self.file, at, value, allowed.into())
    }

    fn finite(&self, column: &str, x: f64) -> Result<(), Problem> {
        if x.is_finite() {
            return Ok(());
        }
        Err(self.bad(column, show(x), "a finite number"))
    }

    /// A number in [0, 1]; `allowed` names it ("a share in [0, 1]").
    fn in_unit_interval(&self, column: &str, x: f64, allowed: &str) -> Result<(), Problem> {
        if (0.0..=1.0).contains(&x) {
            return Ok(());
        }
        Err(self.bad(column, show(x), allowed))
    }

    fn at_least_zero(&self, column: &str, x: f64) -> Result<(), Problem> {
        self.finite(column, x)?;
        if x >= 0.0 {
            return Ok(());
        }
        Err(self.bad(column, show(x), "a number >= 0"))
    }

    /// A band `{prefix}_p05`, `_p50`, `_p95`: finite (or, with `nan_ok`, NaN: a percent of
    /// no baseline) and in order.
    fn band(&self, prefix: &str, b: &Band, nan_ok: bool) -> Result<(), Problem> {
        let mut last: Option<(usize, f64)> = None;
        for (j, &x) in b.0.iter().enumerate() {
            if nan_ok && x.is_nan() {
                continue;
            }
            self.finite(&band_column(prefix, j), x)?;
            if let Some((i, y)) = last.filter(|&(_, y)| x < y) {
                let allowed = format!(
                    "{} >= {} ({}): the quantiles in order",
                    QUANTILES[j].suffix,
                    band_column(prefix, i),
                    show(y)
                );
                return Err(self.bad(&band_column(prefix, j), show(x), allowed));
            }
            last = Some((j, x));
        }
        Ok(())
    }

    fn known<'k, T>(
        &self,
        column: &str,
        key: &str,
        in_: &'k BTreeMap<String, T>,
    ) -> Result<&'k T, Problem> {
        in_.get(key).ok_or_else(|| {
            let names: Vec<&str> = in_.keys().map(String::as_str).collect();
            self.bad(
                column,
                format!("'{key}'"),
                format!("one of run.json's: {}", names.join(", ")),
            )
        })
    }
}

/// Each key once: the row of a key seen before is refused, naming both rows.
struct Once<K: Ord> {
    seen: BTreeMap<K, usize>,
    columns: &'static str,
}

impl<K: Ord + std::fmt::Debug> Once<K> {
    fn new(columns: &'static str) -> Self {
        Once {
            seen: BTreeMap::new(),
            columns,
        }
    }

    fn add(&mut self, rows: &Rows, key: K, shown: impl FnOnce() -> String) -> Result<(), Problem> {
        if let Some(first) = self.seen.get(&key) {
            let allowed = format!("each key once (row {} has it too)", first + 1);
            let at = format!("row {}, columns {}", rows.row + 1, self.columns);
            return Err(Problem::new(rows.file, at, shown(), allowed));
        }
        self.seen.insert(key, rows.row);
        Ok(())
    }
}

/// `daily.parquet`: known keys, dates in the period, finite ordered bands, each key once.
pub(super) fn daily(records: &[DailyRecord], known: &Known) -> Result<(), Problem> {
    let columns = schema::daily_columns();
    let mut once = Once::new("scenario, date, region_basis, region, mode");
    for (i, r) in records.iter().enumerate() {
        let rows = Rows {
            file: "daily.parquet",
            row: i,
        };
        let span = rows.known(SCENARIO, &r.scenario, &known.scenarios)?;
        let (start, end) = span.period;
        if !(start..=end).contains(&r.date) {
            let allowed = format!("a day of scenario {}'s period {start}..{end}", r.scenario);
            return Err(rows.bad(DATE, show_date(r.date), allowed));
        }
        rows.known(REGION, &r.region, &known.regions)?;
        rows.known(MODE, &r.mode, &known.modes)?;
        rows.at_least_zero(BASELINE_TRIPS, r.baseline_trips)?;
        for ((m, c), b) in columns.iter().zip(&r.values) {
            rows.band(&schema::daily_column(*m, *c), b, false)?;
        }
        let key = (&r.scenario, r.date, r.basis.as_str(), &r.region, &r.mode);
        once.add(&rows, key, || {
            format!(
                "{}, {}, {}, {}, {}",
                r.scenario,
                r.date,
                r.basis.as_str(),
                r.region,
                r.mode
            )
        })?;
    }
    Ok(())
}

/// The window and working days of a summary row: the scenario's window in `run.json`,
/// and between one working day and the window's days (none without a window).
fn summary_window(rows: &Rows, r: &SummaryRecord, known: &Known) -> Result<(), Problem> {
    let span = rows.known(SCENARIO, &r.scenario, &known.scenarios)?;
    if r.window != span.window {
        let text = |w: Option<(Date, Date)>| w.map_or("none".into(), |(a, b)| format!("{a}..{b}"));
        let allowed = format!(
            "scenario {}'s window in run.json, {}",
            r.scenario,
            text(span.window)
        );
        return Err(rows.bad(WINDOW_START, text(r.window), allowed));
    }
    let most = r
        .window
        .map_or(0, |(a, b)| i64::from(b.0) - i64::from(a.0) + 1);
    let least = most.min(1);
    if !(least..=most).contains(&r.window_working_days) {
        let allowed = match r.window {
            Some(_) => {
                format!("{least}..={most}: at least one working day, at most the window's days")
            }
            None => "0: the scenario has no policy window".into(),
        };
        return Err(rows.bad(
            WINDOW_WORKING_DAYS,
            r.window_working_days.to_string(),
            allowed,
        ));
    }
    Ok(())
}

/// `per_day_p50` is the total's p50 over the window's working days (at least one); a
/// level's is its total's p50 itself.
fn per_day(rows: &Rows, r: &SummaryRecord) -> Result<(), Problem> {
    rows.finite(PER_DAY_P50, r.per_day_p50)?;
    let level = r.metric.is_level();
    let days = if level {
        1.0
    } else {
        r.window_working_days.max(1) as f64
    };
    let expected = r.total.median() / days;
    if (r.per_day_p50 - expected).abs() <= 1e-9 * expected.abs().max(1e-300) {
        return Ok(());
    }
    let allowed = if level {
        format!(
            "total_p50 = {} ({} is a level: its per-day value is itself)",
            show(expected),
            r.metric_name()
        )
    } else {
        format!(
            "total_p50 / window_working_days = {} / {} = {}",
            show(r.total.median()),
            days,
            show(expected)
        )
    };
    Err(rows.bad(PER_DAY_P50, show(r.per_day_p50), allowed))
}

/// A level's row ([`schema::Unit::is_level`]) is on one of the bases that carry it
/// ([`Basis::LEVEL`]), with its one component.
fn level_key(rows: &Rows, r: &SummaryRecord) -> Result<(), Problem> {
    if !r.metric.is_level() {
        return Ok(());
    }
    if !Basis::LEVEL.contains(&r.basis) || &*r.region != DKI {
        let bases: Vec<&str> = Basis::LEVEL.iter().map(|b| b.as_str()).collect();
        let allowed = format!(
            "{} rows on region {DKI} of {} only",
            r.metric_name(),
            bases.join(", ")
        );
        let value = format!("{}, {}", r.basis.as_str(), r.region);
        return Err(rows.bad(REGION_BASIS, value, allowed));
    }
    if r.component != schema::LEVEL_COMPONENT {
        let allowed = format!(
            "{} ({} is a level: one row, with everything the scenario does)",
            schema::LEVEL_COMPONENT.as_str(),
            r.metric_name()
        );
        return Err(rows.bad(COMPONENT, r.component.as_str().to_string(), allowed));
    }
    Ok(())
}

/// `summary.parquet`: known keys, the scenario's window, finite ordered totals with
/// Monte Carlo errors >= 0 or empty, the per-day value their p50 gives, percents finite or empty (no baseline), each key once.
pub(super) fn summary(records: &[SummaryRecord], known: &Known) -> Result<(), Problem> {
    let mut once = Once::new("scenario, region_basis, region, metric, component");
    for (i, r) in records.iter().enumerate() {
        let rows = Rows {
            file: "summary.parquet",
            row: i,
        };
        summary_window(&rows, r, known)?;
        if &*r.region != DKI {
            rows.known(REGION, &r.region, &known.regions)?;
        }
        rows.band(TOTAL, &r.total, false)?;
        for (j, e) in r.total_error.iter().enumerate() {
            if let Some(e) = *e {
                rows.at_least_zero(&error_column(TOTAL, j), e)?;
            }
        }
        per_day(&rows, r)?;
        level_key(&rows, r)?;
        rows.at_least_zero(BASELINE_TOTAL_P50, r.baseline_total_p50)?;
        rows.band(PCT_BASELINE, &r.pct_baseline, true)?;
        if let Some(b) = &r.pct_baseline_dki {
            rows.band(PCT_BASELINE_DKI, b, true)?;
        }
        let key = (
            &r.scenario,
            r.basis.as_str(),
            &r.region,
            r.metric_name(),
            r.component.as_str(),
        );
        once.add(&rows, key, || {
            let (m, c) = (r.metric_name(), r.component.as_str());
            format!(
                "{}, {}, {}, {m}, {c}",
                r.scenario,
                r.basis.as_str(),
                r.region
            )
        })?;
    }
    Ok(())
}

/// `windows.csv`: known scenarios, each window inside its scenario's period, shares in [0, 1].
pub(super) fn windows(records: &[WindowRecord], known: &Known) -> Result<(), Problem> {
    for (i, r) in records.iter().enumerate() {
        let rows = Rows {
            file: "windows.csv",
            row: i,
        };
        let (start, end) = rows.known(SCENARIO, &r.scenario, &known.scenarios)?.period;
        if !(start <= r.from && r.from <= r.to && r.to <= end) {
            let allowed = format!(
                "from <= to, inside scenario {}'s period {start}..{end}",
                r.scenario
            );
            return Err(rows.bad(
                FROM,
                format!("{}..{}", show_date(r.from), show_date(r.to)),
                allowed,
            ));
        }
        rows.in_unit_interval(SHARE, r.share, "a share in [0, 1]")?;
    }
    Ok(())
}

/// `comparisons.parquet`: known, distinct scenarios; `dki` or `all` as the region; an
/// ordered difference band; a share in [0, 1]; at least one replicate; each pair and row
/// once.
pub(super) fn comparisons(records: &[ComparisonRecord], known: &Known) -> Result<(), Problem> {
    let mut once = Once::new("scenario_a, scenario_b, region_basis, metric, component");
    for (i, r) in records.iter().enumerate() {
        let rows = Rows {
            file: "comparisons.parquet",
            row: i,
        };
        rows.known(SCENARIO_A, &r.scenario_a, &known.scenarios)?;
        rows.known(SCENARIO_B, &r.scenario_b, &known.scenarios)?;
        if r.scenario_a == r.scenario_b {
            let allowed = format!("a scenario other than {SCENARIO_A} ('{}')", r.scenario_a);
            return Err(rows.bad(SCENARIO_B, format!("'{}'", r.scenario_b), allowed));
        }
        if !matches!(&*r.region, DKI | ALL) {
            let allowed = format!("'{DKI}' or '{ALL}' (rows without a region)");
            return Err(rows.bad(REGION, format!("'{}'", r.region), allowed));
        }
        rows.band(DIFFERENCE, &r.difference, false)?;
        if let Some(b) = &r.difference_per_day {
            rows.band(DIFFERENCE_PER_DAY, b, false)?;
        }
        for (name, p) in [(P_A_GREATER, r.p_a_greater), (P_B_GREATER, r.p_b_greater)] {
            rows.in_unit_interval(name, p, "a share in [0, 1]")?;
        }
        if r.p_a_greater + r.p_b_greater > 1.0 + 1e-9 {
            let allowed = format!("at most 1 - {P_A_GREATER} ({})", show(r.p_a_greater));
            return Err(rows.bad(P_B_GREATER, show(r.p_b_greater), allowed));
        }
        if r.replicates < 1 {
            return Err(rows.bad(REPLICATES, r.replicates.to_string(), "at least 1"));
        }
        let (m, c) = (r.metric_name(), r.component.as_str());
        let key = (&r.scenario_a, &r.scenario_b, r.basis.as_str(), m, c);
        once.add(&rows, key, || {
            let (a, b, basis) = (&r.scenario_a, &r.scenario_b, r.basis.as_str());
            format!("{a}, {b}, {basis}, {m}, {c}")
        })?;
    }
    Ok(())
}

/// `decomposition.parquet`: known scenarios; a part named; `dki` or `all` as the region;
/// an ordered contribution band; the run's replicates; each part and row once.
pub(super) fn decomposition(records: &[DecompositionRecord], known: &Known) -> Result<(), Problem> {
    let mut once = Once::new("scenario, part, region_basis, metric, component");
    for (i, r) in records.iter().enumerate() {
        let rows = Rows {
            file: DECOMPOSITION_FILE,
            row: i,
        };
        rows.known(SCENARIO, &r.scenario, &known.scenarios)?;
        if r.part.trim().is_empty() {
            return Err(rows.bad(PART, format!("'{}'", r.part), "a part's name"));
        }
        if !matches!(&*r.region, DKI | ALL) {
            let allowed = format!("'{DKI}' or '{ALL}' (rows without a region)");
            return Err(rows.bad(REGION, format!("'{}'", r.region), allowed));
        }
        rows.band(CONTRIBUTION, &r.contribution, false)?;
        if r.replicates != i64::from(known.replicates) {
            let allowed = format!("the run's replicates ({})", known.replicates);
            return Err(rows.bad(REPLICATES, r.replicates.to_string(), allowed));
        }
        let (m, c) = (r.metric_name(), r.component.as_str());
        let key = (&r.scenario, &r.part, r.basis.as_str(), m, c);
        once.add(&rows, key, || {
            format!("{}, {}, {}, {m}, {c}", r.scenario, r.part, r.basis.as_str())
        })?;
    }
    Ok(())
}

/// `replicates_daily.parquet`: known scenarios, replicates of the run, dates in the
/// scenario's period, finite values, each scenario × replicate × date once.
pub(super) fn replicates_daily(
    records: &[ReplicateDayRecord],
    known: &Known,
) -> Result<(), Problem> {
    let mut once = Once::new("scenario, replicate, date");
    let names = replicate_daily_columns();
    for (i, r) in records.iter().enumerate() {
        let rows = Rows {
            file: REPLICATES_DAILY_FILE,
            row: i,
        };
        let (start, end) = rows.known(SCENARIO, &r.scenario, &known.scenarios)?.period;
        if !(0..i64::from(known.replicates)).contains(&r.replicate) {
            let allowed = format!(
                "0..={} (run.json's {} replicates)",
                known.replicates - 1,
                known.replicates
            );
            return Err(rows.bad(REPLICATE, r.replicate.to_string(), allowed));
        }
        if !(start..=end).contains(&r.date) {
            let allowed = format!("a day of scenario {}'s period {start}..{end}", r.scenario);
            return Err(rows.bad(DATE, show_date(r.date), allowed));
        }
        for (name, &x) in names.iter().zip(&r.values) {
            rows.finite(name, x)?;
        }
        once.add(&rows, (&r.scenario, r.replicate, r.date), || {
            format!("{}, {}, {}", r.scenario, r.replicate, r.date)
        })?;
    }
    Ok(())
}

/// `detectability.parquet`: known scenarios, at least one day each side, finite values,
/// an ordered effect band, an expected power in [0, 1], each comparison once per scenario.
pub(super) fn detectability(records: &[DetectabilityRecord], known: &Known) -> Result<(), Problem> {
    let mut once = Once::new("scenario, comparison");
    for (i, r) in records.iter().enumerate() {
        let rows = Rows {
            file: "detectability.parquet",
            row: i,
        };
        rows.known(SCENARIO, &r.scenario, &known.scenarios)?;
        if r.days_each_side < 1 {
            return Err(rows.bad(DAYS_EACH_SIDE, r.days_each_side.to_string(), "at least 1"));
        }
        rows.band(EFFECT_PCT, &r.effect_pct, false)?;
        for (names, v) in [
            (MDE_CITY_PCT, r.mde_city_pct),
            (MDE_SITE_PCT, r.mde_site_pct),
        ] {
            for (name, x) in names.iter().zip(v) {
                rows.at_least_zero(name, x)?;
            }
        }
        rows.in_unit_interval(POWER_CITY, r.power_city, "an expected power in [0, 1]")?;
        once.add(&rows, (&r.scenario, r.comparison.as_str()), || {
            format!("{}, {}", r.scenario, r.comparison.as_str())
        })?;
    }
    Ok(())
}

/// `replicates.parquet`: known scenarios and regions, a replicate below the run's count,
/// finite totals, each scenario, replicate and summary row once.
pub(super) fn replicates(records: &[ReplicateRecord], known: &Known) -> Result<(), Problem> {
    let mut once = Once::new("scenario, replicate, region_basis, region, metric, component");
    for (i, r) in records.iter().enumerate() {
        let rows = Rows {
            file: "replicates.parquet",
            row: i,
        };
        rows.known(SCENARIO, &r.scenario, &known.scenarios)?;
        if !(0..i64::from(known.replicates)).contains(&r.replicate) {
            let allowed = format!(
                "0..={}: below run.json's reproduce.replicates ({})",
                i64::from(known.replicates) - 1,
                known.replicates
            );
            return Err(rows.bad(REPLICATE, r.replicate.to_string(), allowed));
        }
        if &*r.region != DKI {
            rows.known(REGION, &r.region, &known.regions)?;
        }
        rows.finite(TOTAL, r.total)?;
        let (m, c) = (r.metric_name(), r.component.as_str());
        let key = (&r.scenario, r.replicate, r.basis.as_str(), &r.region, m, c);
        once.add(&rows, key, || {
            let (s, k, b, g) = (&r.scenario, r.replicate, r.basis.as_str(), &r.region);
            format!("{s}, {k}, {b}, {g}, {m}, {c}")
        })?;
    }
    Ok(())
}

/// `calibration.parquet`: known scenarios, finite targets and ranges with the target
/// inside its range, an ordered modelled band, a verdict that agrees with the band's
/// median, each target once per scenario.
pub(super) fn calibration(records: &[CalibrationRecord], known: &Known) -> Result<(), Problem> {
    let mut once = Once::new("scenario, target");
    for (i, r) in records.iter().enumerate() {
        let rows = Rows {
            file: CALIBRATION_FILE,
            row: i,
        };
        rows.known(SCENARIO, &r.scenario, &known.scenarios)?;
        for (name, x) in [
            (TARGET_LOW, r.low),
            (TARGET_VALUE, r.value),
            (TARGET_HIGH, r.high),
        ] {
            rows.finite(name, x)?;
        }
        if !(r.low <= r.value && r.value <= r.high) {
            let allowed = format!(
                "between target_low ({}) and target_high ({})",
                show(r.low),
                show(r.high)
            );
            return Err(rows.bad(TARGET_VALUE, show(r.value), allowed));
        }
        rows.band(MODELLED, &r.modelled, false)?;
        let median = r.modelled.median();
        if r.inside != (r.low <= median && median <= r.high) {
            let allowed = format!(
                "{}: whether modelled_p50 ({}) is inside [{}, {}]",
                !r.inside,
                show(median),
                show(r.low),
                show(r.high)
            );
            return Err(rows.bad(INSIDE, r.inside.to_string(), allowed));
        }
        once.add(&rows, (&r.scenario, &r.target), || {
            format!("{}, {}", r.scenario, r.target)
        })?;
    }
    Ok(())
}
