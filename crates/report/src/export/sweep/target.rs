//! A target search's tables: `target.csv` (per criterion, the setting with its 95%
//! interval and the replicates behind it) and `crossings.csv` (per replicate, where its
//! outcome crosses the level). Serialised from the core's [`Found`]; nothing is computed.

use polars::prelude::*;

use super::super::{ExportError, ExportFile, table};
use super::csv;
use wfhsim_core::sweep::SweepResults;
use wfhsim_core::sweep::crossing::Crossing;
use wfhsim_core::sweep::search::Found;

/// Where a crossing (or an interval's end) lies: `in_range`, `below_range`,
/// `above_range`, or `too_few_replicates` for an interval's end the replicates cannot bound.
fn place(c: Option<Crossing>) -> &'static str {
    match c {
        None => "too_few_replicates",
        Some(Crossing::Below) => "below_range",
        Some(Crossing::At(_)) => "in_range",
        Some(Crossing::Above) => "above_range",
    }
}

/// `target.csv`: per criterion (the median, the design's share of replicates) the setting
/// (empty when the level is not reached in the range), its 95% interval (ends empty when
/// not a setting in the range, and where each lies), how many replicates it rests on, how
/// many crossed before the range or not within it, how many curves are not monotone, the
/// factor's range and the search's tolerance; `None` for a sweep.
pub fn target_table(r: &SweepResults) -> Result<Option<ExportFile>, ExportError> {
    let Some((spec, (lo, hi), found)) = r.target_search() else {
        return Ok(None);
    };
    let d = &r.design;
    let f = &d.factors[spec.factor];
    let qs = [&found.median, &found.probable];
    let ends = |end: fn(&wfhsim_core::sweep::crossing::Quantile) -> Option<Crossing>| {
        let at: Vec<Option<f64>> = qs
            .iter()
            .map(|q| end(q).and_then(Crossing::setting))
            .collect();
        let kind: Vec<&str> = qs.iter().map(|q| place(end(q))).collect();
        (at, kind)
    };
    let (low, low_kind) = ends(|q| q.low);
    let (high, high_kind) = ends(|q| q.high);
    let c = &found.crossings;
    let (below, above) = c.outside();
    let count = |v: usize| vec![v as u32; 2];
    let setting: Vec<Option<f64>> = qs.iter().map(|q| found.answer(q)).collect();
    let mut df = DataFrame::new(
        2,
        vec![
            Column::new("scenario".into(), vec![d.scenarios[0].name.clone(); 2]),
            Column::new("factor".into(), vec![f.key.clone(); 2]),
            Column::new("outcome".into(), vec![spec.outcome.name.to_string(); 2]),
            Column::new("target".into(), vec![spec.value; 2]),
            Column::new(
                "criterion".into(),
                vec![
                    "median".to_string(),
                    format!("{:.0}% of replicates", 100.0 * spec.probability),
                ],
            ),
            Column::new("setting".into(), setting.clone()),
            Column::new(
                "reached_in_range".into(),
                setting.iter().map(Option::is_some).collect::<Vec<_>>(),
            ),
            Column::new("ci95_low".into(), low),
            Column::new("ci95_high".into(), high),
            Column::new("ci95_low_place".into(), low_kind),
            Column::new("ci95_high_place".into(), high_kind),
            Column::new("replicates".into(), count(c.per_replicate.len())),
            Column::new("crossed_below_range".into(), count(below)),
            Column::new("not_crossed_in_range".into(), count(above)),
            Column::new("not_monotone".into(), count(c.non_monotone.len())),
            Column::new("range_low".into(), vec![lo; 2]),
            Column::new("range_high".into(), vec![hi; 2]),
            Column::new("tolerance".into(), vec![spec.tolerance; 2]),
        ],
    )
    .map_err(table("target.csv"))?;
    Ok(Some(csv("target.csv", &mut df)?))
}

/// `crossings.csv`: per replicate, where its outcome crosses the level (empty outside the
/// range, and where it lies), the evaluated settings bracketing it, whether its curve is
/// monotone over the settings evaluated and its largest move against the outcome's
/// direction between two adjacent settings (outcome units); `None` for a sweep.
pub fn crossings_table(r: &SweepResults) -> Result<Option<ExportFile>, ExportError> {
    let Some((spec, _, found)) = r.target_search() else {
        return Ok(None);
    };
    let d = &r.design;
    let Found { crossings: c, .. } = found;
    let n = c.per_replicate.len();
    let bracket = |pick: fn((f64, f64)) -> f64| -> Vec<Option<f64>> {
        c.brackets.iter().map(|b| b.map(pick)).collect()
    };
    let mut df = DataFrame::new(
        n,
        vec![
            Column::new("scenario".into(), vec![d.scenarios[0].name.clone(); n]),
            Column::new("factor".into(), vec![d.factors[spec.factor].key.clone(); n]),
            Column::new("outcome".into(), vec![spec.outcome.name.to_string(); n]),
            Column::new("target".into(), vec![spec.value; n]),
            Column::new("replicate".into(), (0..n as u32).collect::<Vec<_>>()),
            Column::new(
                "crossing".into(),
                c.per_replicate
                    .iter()
                    .map(|x| x.setting())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "place".into(),
                c.per_replicate
                    .iter()
                    .map(|&x| place(Some(x)))
                    .collect::<Vec<_>>(),
            ),
            Column::new("bracket_low".into(), bracket(|b| b.0)),
            Column::new("bracket_high".into(), bracket(|b| b.1)),
            Column::new(
                "monotone".into(),
                (0..n as u32)
                    .map(|i| !c.non_monotone.contains(&i))
                    .collect::<Vec<_>>(),
            ),
            Column::new("largest_dip".into(), c.dips.clone()),
        ],
    )
    .map_err(table("crossings.csv"))?;
    Ok(Some(csv("crossings.csv", &mut df)?))
}
