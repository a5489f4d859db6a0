//! The briefing's "checked against" section: the baseline against observations made
//! before the 2023 orders (`calibration.csv`), one row per target — what it is, its
//! source and year, the observed value and the range counted as inside, the modelled
//! median with its 5–95% range, and the verdict — with how many targets are met.

use serde::Serialize;

use super::tables::{Table, cell_name, cell_num};
use super::text::{Text, Tr};
use crate::labels::{Lang, format};
use crate::view::CalibrationRecord;

#[derive(Debug, Serialize)]
pub struct CalibrationSection {
    /// "N of M targets inside", and which scenario's baseline is shown.
    pub verdict: Text,
    pub table: Table,
    /// What the comparisons can and cannot say (passages vs vehicle-km, scopes).
    pub caveat: Text,
}

/// A target's value in its unit, as the briefing writes it.
pub fn value(unit: &str, x: f64, l: Lang) -> String {
    match unit {
        "share" => format::pct(100.0 * x, 1, l),
        "km/h" => format!("{} km/h", format::number(x, 1, l)),
        "L/day" => format!("{} {}", format::sig(x / 1e6, 3, l), million_l(l)),
        "t/yr" => format!("{} t/{}", format::sig(x, 3, l), year(l)),
        _ => format!("{} {unit}", format::sig(x, 3, l)),
    }
}

fn million_l(l: Lang) -> &'static str {
    match l {
        Lang::Id => "juta L/hari",
        Lang::En => "M L/day",
    }
}

fn year(l: Lang) -> &'static str {
    match l {
        Lang::Id => "th",
        Lang::En => "yr",
    }
}

/// The rows of the first scenario (every scenario's baseline is drawn alike); none
/// without rows (a run written before the report).
pub fn section(tr: Tr, records: &[CalibrationRecord]) -> Option<CalibrationSection> {
    let first = records.first()?;
    let rows: Vec<&CalibrationRecord> = records
        .iter()
        .filter(|r| r.scenario == first.scenario)
        .collect();
    let n = tr.num_lang();
    let headers = [
        "briefing.calibration.col.target",
        "common.source",
        "briefing.calibration.col.observed",
        "briefing.calibration.col.modelled",
        "briefing.calibration.col.inside",
    ]
    .map(|k| tr.t(k))
    .to_vec();
    let table_rows = rows
        .iter()
        .map(|r| {
            let range = format!(
                "{} ({}–{})",
                value(&r.unit, r.value, n),
                value(&r.unit, r.low, n),
                value(&r.unit, r.high, n)
            );
            let m = &r.modelled;
            let modelled = format!(
                "{} ({}–{})",
                value(&r.unit, m.median(), n),
                value(&r.unit, m.low(), n),
                value(&r.unit, m.high(), n)
            );
            let yes = if r.inside { "common.yes" } else { "common.no" };
            vec![
                cell_name(target_name(tr, &r.target, n)),
                cell_name(format!("{} ({})", r.source, r.year)),
                cell_num(range),
                cell_num(modelled),
                cell_name(tr.labels.get(yes, n)),
            ]
        })
        .collect();
    let inside = rows.iter().filter(|r| r.inside).count();
    let verdict = tr.fill("briefing.calibration.verdict", |l| {
        vec![
            ("inside", format::int(inside as f64, l)),
            ("targets", format::int(rows.len() as f64, l)),
            ("scenario", first.scenario.clone()),
        ]
    });
    Some(CalibrationSection {
        verdict,
        table: Table {
            headers,
            rows: table_rows,
        },
        caveat: tr.t("briefing.calibration.caveat"),
    })
}

/// The target's name from the catalogue (`briefing.calibration.target.<key with _ for .>`),
/// or its key.
fn target_name(tr: Tr, key: &str, l: Lang) -> String {
    let label = format!("briefing.calibration.target.{}", key.replace('.', "_"));
    if tr.labels.has(&label) {
        tr.labels.get(&label, l)
    } else {
        key.to_string()
    }
}
