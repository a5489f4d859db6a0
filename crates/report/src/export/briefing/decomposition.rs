//! The briefing's section on bundles of measures: for each bundle scenario its
//! decomposition chart (`charts/decomposition-<scenario>.svg`), a table of its parts and
//! total on DKI's roads per working day (vehicle-km, vehicles counted fewer when the run
//! has that row, CO₂, exhaust PM2.5: each median with its 5–95% range), two sentences
//! read from those numbers (what the parts did together, which did most) and a note on
//! what a part's number is (Shapley). The numbers are those of the chart
//! ([`crate::plot::decomposition::bundles`]).

use serde::Serialize;

use super::tables::{Table, cell_name, cell_num};
use super::text::{Text, Tr};
use crate::export::{ExportFile, RunView};
use crate::labels::{Lang, format};
use crate::plot::decomposition::{self as d, BundleRows, PerDay, STEM_PREFIX};
use crate::plot::measures::{self as m, Measure};

/// The table's measures, each with its header's catalogue key and its divisor to the
/// unit the header names; vehicle-km first (the sentences read it).
const COLUMNS: [(Measure, &str, f64); 4] = [
    (
        m::VEHICLE_KM_NET,
        "briefing.decomposition.col.vehicle_km",
        1.0,
    ),
    (m::VEHICLES_NET, "briefing.decomposition.col.vehicles", 1.0),
    (m::CO2_NET, "briefing.decomposition.col.co2", 1000.0),
    (m::PM25_NET, "briefing.decomposition.col.pm25", 1.0),
];

/// One bundle scenario's block.
#[derive(Debug, Serialize)]
pub struct DecompositionSection {
    /// The scenario's name (the block's anchor).
    pub scenario: String,
    /// The scenario's title.
    pub title: Text,
    /// The chart's SVG, written into the page as it is; none if the chart was not drawn.
    pub svg: Option<minijinja::Value>,
    pub table: Table,
    /// What the parts did together, and which did most.
    pub reading: Vec<Text>,
    /// What a part's number is.
    pub note: Text,
}

/// A block per bundle scenario of the run (none without measures), with its chart from
/// `svgs` (`charts/<stem>.svg`).
pub fn sections(tr: Tr, run: &RunView, svgs: &[ExportFile]) -> Vec<DecompositionSection> {
    let measures = COLUMNS.map(|c| c.0);
    d::bundles(&run.decomposition, &run.summary, &measures)
        .into_iter()
        .map(|b| {
            let path = format!("{}/{STEM_PREFIX}{}.svg", super::CHARTS_DIR, b.scenario);
            let svg = svgs.iter().find(|f| f.path == path).map(|f| {
                minijinja::Value::from_safe_string(String::from_utf8_lossy(&f.bytes).into_owned())
            });
            let title = run
                .info
                .scenarios
                .iter()
                .find(|s| s.name == b.scenario)
                .map_or_else(
                    || Text::plain(tr.langs, &b.scenario),
                    |s| Text::per_lang(tr.langs, |l| s.title_in(l).to_string()),
                );
            DecompositionSection {
                scenario: b.scenario.clone(),
                title,
                svg,
                table: table(tr, &b),
                reading: reading(tr, &b),
                note: tr.t("briefing.decomposition.note"),
            }
        })
        .collect()
}

/// "1,64 jt (1,03 jt–2,41 jt)"; a range below zero is written "a to b" (a dash after
/// a minus sign would read as one).
pub(crate) fn band(v: PerDay, div: f64, l: Lang) -> String {
    let s = |x: f64| format::sig(x / div, 3, l);
    let to = if v[0] < 0.0 {
        format!(
            " {} ",
            crate::labels::Labels::builtin().get("briefing.decomposition.to", l)
        )
    } else {
        "–".to_string()
    };
    format!("{} ({}{to}{})", s(v[1]), s(v[0]), s(v[2]))
}

fn table(tr: Tr, b: &BundleRows) -> Table {
    let n = tr.num_lang();
    // The vehicles column only where the run counts vehicles.
    let shown: Vec<usize> = (0..COLUMNS.len())
        .filter(|&k| b.total[k].is_some() || b.values.iter().any(|r| r[k].is_some()))
        .collect();
    let mut headers = vec![tr.t("briefing.decomposition.col.part")];
    headers.extend(shown.iter().map(|&k| tr.t(COLUMNS[k].1)));
    let row = |name: String, values: &[Option<PerDay>]| {
        let mut cells = vec![cell_name(name)];
        cells.extend(
            shown
                .iter()
                .map(|&k| cell_num(values[k].map_or("–".into(), |v| band(v, COLUMNS[k].2, n)))),
        );
        cells
    };
    let mut rows: Vec<_> = b
        .parts
        .iter()
        .zip(&b.values)
        .map(|(p, v)| row(d::part_label(p, n), v))
        .collect();
    rows.push(row(tr.labels.get("chart.decomposition.total", n), &b.total));
    Table { headers, rows }
}

/// The part whose vehicle-km goes furthest the way the total goes, with its band.
fn leading(b: &BundleRows, total: f64) -> Option<(&str, PerDay)> {
    let sign = if total < 0.0 { -1.0 } else { 1.0 };
    b.parts
        .iter()
        .zip(&b.values)
        .filter_map(|(p, v)| Some((p.as_str(), v[0]?)))
        .max_by(|x, y| (sign * x.1[1]).total_cmp(&(sign * y.1[1])))
}

/// Two sentences: the parts together (the total), and the part that did most.
fn reading(tr: Tr, b: &BundleRows) -> Vec<Text> {
    let Some(total) = b.total[0] else {
        return Vec::new();
    };
    let net = |k: usize, l: Lang| b.total[k].map_or("–".into(), |v| band(v, COLUMNS[k].2, l));
    // A total that adds vehicle-km is said as an addition, in positive numbers.
    let (key, shown) = if total[1] < 0.0 {
        let added = [-total[2], -total[1], -total[0]];
        ("briefing.decomposition.together_more", added)
    } else {
        ("briefing.decomposition.together", total)
    };
    let mut out = vec![tr.fill(key, |l| {
        vec![
            ("parts", format::int(b.parts.len() as f64, l)),
            ("vkm", band(shown, 1.0, l)),
            ("co2", net(2, l)),
            ("pm25", net(3, l)),
        ]
    })];
    if let Some((part, v)) = leading(b, total[1]) {
        let share = 100.0 * v[1] / total[1];
        let key = if total[1] > 0.0 && v[1] > 0.0 {
            "briefing.decomposition.most"
        } else {
            "briefing.decomposition.most_plain"
        };
        out.push(tr.fill(key, |l| {
            vec![
                ("part", d::part_label(part, l)),
                ("vkm", band(v, 1.0, l)),
                ("share", format::pct(share, 0, l)),
            ]
        }));
    }
    out
}
