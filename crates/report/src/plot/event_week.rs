//! Chart 2: the working days around an event — grouped daily bars with p05–p95 whiskers
//! for trips, CO₂ and PM2.5 avoided, one bar per compared scenario; under each panel, the
//! difference between the first two compared scenarios (A − B) per day, replicate by
//! replicate ([`super::event_paired`]): its median, its 5–95% band and in how many
//! replicates A exceeds B. Two bars' whiskers are per-day quantiles of each scenario and
//! say nothing about the difference; with common random numbers its own band does.
//!
//! Which event, days and scenarios it shows comes from [`ChartData`], by this rule:
//! - **Event**: event days are grouped into spans (one name, days at most 3 apart); the
//!   chart is about the earliest span.
//! - **Days**: the span's days that have rows in the `daily` table, plus the nearest such
//!   day before it and after it — one working day either side, so the chart shows the
//!   share stepping up for the event and back down.
//! - **Scenarios**: those of [`ChartData::scenarios`] with a non-zero WFH share (the
//!   `windows` table) on at least one day of the span, in run order. Each has a share
//!   profile over the shown days: the highest share of its windows covering each day.
//!   The chart compares schedules, so a scenario whose profile repeats an earlier one is
//!   left out — unless they all have the same profile, in which case the scenarios
//!   themselves are compared. At most [`MAX_SCENARIOS`] are kept, each labelled by its
//!   title and its share on the shown days.
//! - **The difference** of the first two compared scenarios (legend "A" and "B"), when
//!   both have every replicate's values on every shown day (`replicates_daily`).
//! - **Skipped** when there are no events, no scenario has a share on the span, or the
//!   `daily` table has no row in the window.

use std::collections::{BTreeSet, HashMap};

use crate::view::records::DailyRecord;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartData;
use super::axis::Axis;
use super::event_paired::{PairedDays, measure_index};
use super::frame::{self, Chart, DrawResult, FrameText, Swatch, de};
use super::input::ScenarioInfo;
use super::measures::{CO2_NET, Measure, PM25_NET, TRIPS, whole_area};
use super::numbers;
use super::style;
use super::text::ChartText;
use super::timeline::{EventSpan, ShareWindow, event_spans, share_windows};

pub(super) const STEM: &str = "event_week";

/// More bars per day than this would be too thin to read on a slide.
pub(super) const MAX_SCENARIOS: usize = 4;

/// One panel: (daily measure, catalogue keys of its title and y-axis label, divisor).
pub(super) const PANELS: [(Measure, &str, &str, f64); 3] = [
    (TRIPS, "chart.trips_avoided", "chart.trips_per_day", 1.0),
    (
        CO2_NET,
        "chart.event.co2",
        "chart.event.co2_per_day",
        1000.0,
    ),
    (
        PM25_NET,
        "chart.event.pm25",
        "chart.event.pm25_per_day",
        1.0,
    ),
];

/// What the rule picked, before any drawing.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Selection {
    pub event: EventSpan,
    /// Shown days (days since 1970-01-01), ascending.
    pub days: Vec<i32>,
    /// The compared scenarios in run order.
    pub scenarios: Vec<Compared>,
    /// True when the scenarios were picked for having different profiles.
    pub by_schedule: bool,
}

/// A compared scenario and its WFH share on the shown days.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Compared {
    pub scenario: ScenarioInfo,
    /// The highest share of its windows covering each shown day (0 when none does).
    pub profile: Vec<f64>,
    /// How many of its policies set a share on the shown days.
    pub policies: usize,
}

/// Applies the module's rule; `data_days` are the days with rows in the `daily` table.
pub(super) fn select(input: &ChartData, data_days: &BTreeSet<i32>) -> Option<Selection> {
    let event = event_spans(&input.events).into_iter().next()?;
    let (first, last) = (event.0, event.1);
    let before = data_days.range(..first).next_back();
    let after = data_days.range(last + 1..).next();
    let days: Vec<i32> = before
        .into_iter()
        .chain(data_days.range(first..=last))
        .chain(after)
        .copied()
        .collect();
    if days.is_empty() {
        return None;
    }

    let windows = share_windows(input);
    let active: Vec<Compared> = input
        .scenarios
        .iter()
        .filter_map(|s| {
            let own: Vec<&ShareWindow> = windows
                .iter()
                .filter(|w| w.scenario == s.name && w.share > 0.0)
                .collect();
            let on_event = own.iter().any(|w| w.from <= last && w.to >= first);
            let policies: BTreeSet<&str> = own
                .iter()
                .filter(|w| days.iter().any(|d| w.covers(*d)))
                .map(|w| w.policy.as_str())
                .collect();
            on_event.then(|| Compared {
                scenario: s.clone(),
                profile: profile(&own, &days),
                policies: policies.len(),
            })
        })
        .collect();

    let mut distinct: Vec<Compared> = Vec::new();
    for a in &active {
        if !distinct.iter().any(|d| d.profile == a.profile) {
            distinct.push(a.clone());
        }
    }
    let by_schedule = distinct.len() > 1;
    let mut scenarios = if by_schedule { distinct } else { active };
    if scenarios.is_empty() {
        return None;
    }
    scenarios.truncate(MAX_SCENARIOS);
    Some(Selection {
        event,
        days,
        scenarios,
        by_schedule,
    })
}

/// The highest share of `windows` covering each day (0 when none does).
fn profile(windows: &[&ShareWindow], days: &[i32]) -> Vec<f64> {
    days.iter()
        .map(|d| {
            windows
                .iter()
                .filter(|w| w.covers(*d))
                .map(|w| w.share)
                .fold(0.0, f64::max)
        })
        .collect()
}

/// "WFH share 75% 4–7 Sep, 50% 8 Sep": the profile with runs of equal days merged (the
/// shares and days in the chart's first language).
pub(super) fn schedule_label(
    profile: &[f64],
    days: &[i32],
    several_policies: bool,
    t: ChartText,
) -> String {
    let lang = t.lang();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && profile[j + 1] == profile[i] {
            j += 1;
        }
        let share = if profile[i] > 0.0 {
            numbers::percent(profile[i], lang)
        } else {
            t.one("chart.event.none")
        };
        parts.push(format!(
            "{share} {}",
            numbers::day_span(days[i], days[j], lang)
        ));
        i = j + 1;
    }
    let what = if several_policies {
        t.label("chart.event.highest_share")
    } else {
        t.label("chart.event.share")
    };
    format!("{what} {}", parts.join(", "))
}

/// (p05, p50, p95) per panel, for one scenario on one day.
type Triple = (f64, f64, f64);

/// The first two compared scenarios' difference A − B, replicate by replicate.
pub(super) struct Difference {
    /// values[panel][day], divided as the panel's bars are.
    pub values: Vec<Vec<Triple>>,
    /// more[panel][day]: replicates in which A exceeds B.
    pub more: Vec<Vec<usize>>,
    pub replicates: usize,
    /// Legend entry, in every language then in the first only.
    legend: [String; 2],
    axis: String,
    /// What the count under each day is, in every language then in the first only.
    more_desc: [String; 2],
}

pub(super) struct EventWeekChart {
    text: FrameText,
    t: ChartText,
    /// Legend heading: what is compared and how to read the bars, in every language, then
    /// in the first only (drawn when the first does not fit).
    heading: [String; 2],
    /// Legend entry of the event days.
    event_label: String,
    /// Panel titles and y-axis labels, each in every language then in the first only.
    panel_words: Vec<([String; 2], [String; 2])>,
    days: Vec<i32>,
    /// The event span (first, last day) and its name.
    event: EventSpan,
    /// (legend label, values[panel][day])
    groups: Vec<(String, Vec<Vec<Triple>>)>,
    /// None with fewer than two compared scenarios or without their replicates' values.
    pub difference: Option<Difference>,
}

/// One scenario's bars: (p05, p50, p95) per panel and shown day, divided as the panel is.
fn bars(index: &HashMap<(&str, i32), &DailyRecord>, name: &str, days: &[i32]) -> Vec<Vec<Triple>> {
    PANELS
        .iter()
        .map(|&(m, .., div)| {
            days.iter()
                .map(|d| match index.get(&(name, *d)) {
                    Some(r) => {
                        let [p05, p50, p95] = m.on_day(r).map_or([f64::NAN; 3], |b| b.0);
                        let f = |x: f64| if x.is_finite() { x / div } else { 0.0 };
                        (f(p05), f(p50), f(p95))
                    }
                    None => (0.0, 0.0, 0.0),
                })
                .collect()
        })
        .collect()
}

/// A − B per panel and shown day for the first two compared scenarios.
fn difference(input: &ChartData, sel: &Selection, tx: ChartText) -> Option<Difference> {
    let [a, b] = [sel.scenarios.first()?, sel.scenarios.get(1)?];
    let pairs = PairedDays::new(
        input.replicates_daily,
        &a.scenario.name,
        &b.scenario.name,
        &sel.days,
    )?;
    let n = pairs.replicates();
    let mut values = Vec::new();
    let mut more = Vec::new();
    for (m, .., div) in PANELS {
        let per_day = pairs.per_day(measure_index(m.metric, m.component)?);
        values.push(
            per_day
                .iter()
                .map(|d| (d.total.0[0] / div, d.total.0[1] / div, d.total.0[2] / div))
                .collect(),
        );
        more.push(
            per_day
                .iter()
                .map(|d| (d.a_greater * n as f64).round() as usize)
                .collect(),
        );
    }
    Some(Difference {
        values,
        more,
        replicates: n,
        legend: tx.choices("chart.event.diff"),
        axis: tx.label("chart.event.diff_axis"),
        more_desc: tx.choices("chart.event.diff_more"),
    })
}

pub(super) fn prepare(input: &ChartData) -> Option<EventWeekChart> {
    let rows: Vec<&DailyRecord> = input.daily.iter().filter(|r| whole_area(r)).collect();
    let data_days: BTreeSet<i32> = rows.iter().map(|r| r.date.0).collect();
    let sel = select(input, &data_days)?;

    // (scenario, day) -> record
    let index: HashMap<(&str, i32), &DailyRecord> = rows
        .iter()
        .map(|&r| ((&*r.scenario, r.date.0), r))
        .collect();
    let tx = ChartText::new(input.langs);
    let difference = difference(input, &sel, tx);
    let groups = sel
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let schedule = schedule_label(&c.profile, &sel.days, c.policies > 1, tx);
            let label = match (&difference, i) {
                (Some(_), 0 | 1) => {
                    format!("{} · {} · {schedule}", ["A", "B"][i], c.scenario.title)
                }
                _ => format!("{} · {schedule}", c.scenario.title),
            };
            (label, bars(&index, &c.scenario.name, &sel.days))
        })
        .collect();

    let title = tx.title("chart.event.title", |l| {
        vec![
            ("event", sel.event.2.clone()),
            ("days", numbers::day_span_year(sel.event.0, sel.event.1, l)),
        ]
    });
    let compared = if sel.by_schedule {
        "chart.event.by_schedule"
    } else {
        "chart.event.by_scenario"
    };
    let one = tx.first_only();
    let heading = |t: ChartText| format!("{} · {}", t.label(compared), t.label("chart.event.bars"));
    Some(EventWeekChart {
        text: FrameText {
            title,
            run_label: input.run_label.clone(),
            source_note: tx.source(&input.source_note),
        },
        heading: [heading(tx), heading(one)],
        event_label: format!("{}: {}", tx.label("chart.event.days"), sel.event.2),
        panel_words: PANELS
            .iter()
            .map(|p| (tx.choices(p.1), tx.choices(p.2)))
            .collect(),
        t: tx,
        days: sel.days,
        event: sel.event,
        groups,
        difference,
    })
}

/// The colour of the difference's dot and band.
const DIFFERENCE_COLOR: RGBColor = style::TEXT;

/// A panel's y range: from 0 (or below, for negative values) to above the highest value.
fn y_range(lows: impl Iterator<Item = f64>, highs: impl Iterator<Item = f64>) -> (f64, f64) {
    let top = highs.fold(0.0, f64::max);
    let bottom = lows.fold(0.0, f64::min);
    let top = if top > 0.0 {
        top * 1.1
    } else if bottom < 0.0 {
        0.0
    } else {
        1.0
    };
    let bottom = if bottom < 0.0 { bottom * 1.1 } else { 0.0 };
    (bottom, top)
}

impl Chart for EventWeekChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let (bw, _) = body.dim_in_pixel();
        let mut entries: Vec<(String, RGBColor, Swatch)> = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.0.clone(), style::series_color(i), Swatch::Block))
            .collect();
        entries.push((self.event_label.clone(), style::EVENT_SHADE, Swatch::Block));
        if let Some(d) = &self.difference {
            let font = style::font(style::TICK_PX);
            let shown = frame::fit(root, &d.legend, &font, bw - 100);
            entries.push((shown.to_string(), DIFFERENCE_COLOR, Swatch::Line));
        }
        let heading_font = style::bold(style::LABEL_PX);
        let heading = frame::fit(root, &self.heading, &heading_font, bw - 56);
        // Heading row plus one 34 px row per entry (legend_column's roomiest spacing).
        let legend_h = 4 + 32 + 34 * entries.len() as u32 + 6;
        let (legend_area, panels_area) = body.split_vertically(legend_h);
        frame::legend_column(&legend_area.margin(0, 0, 20, 20), Some(heading), &entries)?;
        let panels = panels_area.split_evenly((1, PANELS.len()));
        for (p, area) in panels.iter().enumerate() {
            match &self.difference {
                Some(d) => {
                    let (_, ah) = area.dim_in_pixel();
                    let (top, bottom) = area.split_vertically(ah * 3 / 5);
                    self.draw_bars(root, &top, p, false)?;
                    self.draw_difference(root, &bottom, p, d)?;
                }
                None => self.draw_bars(root, area, p, true)?,
            }
        }
        Ok(())
    }
}

impl EventWeekChart {
    /// The x axis of every panel: one slot per shown day.
    fn x_axis(&self) -> Axis {
        let n = self.days.len();
        Axis::new(-0.5, n as f64 - 0.5, (0..n).map(|d| d as f64).collect())
    }

    /// Panel `p`'s grouped bars and whiskers; the month under the days when `month`.
    fn draw_bars<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        p: usize,
        month: bool,
    ) -> DrawResult {
        let lang = self.t.lang();
        let x_desc = match (self.days.first(), self.days.last(), month) {
            (Some(a), Some(b), true) => numbers::month_span(*a, *b, lang),
            _ => String::new(),
        };
        let (titles, y_descs) = &self.panel_words[p];
        let (aw, ah) = area.dim_in_pixel();
        let (title, title_px) = frame::fit_sized(
            root,
            titles,
            &frame::PANEL_SIZES,
            true,
            aw.saturating_sub(40),
        );
        let (y_desc, y_px) = frame::fit_sized(
            root,
            y_descs,
            &[style::LABEL_PX, 22.0, 20.0, style::MIN_PX],
            false,
            ah.saturating_sub(if month { 150 } else { 90 }),
        );
        let vals = || self.groups.iter().flat_map(|g| g.1[p].iter());
        let (bottom, top) = y_range(vals().map(|v| v.0.min(v.1)), vals().map(|v| v.2.max(v.1)));
        let days = &self.days;
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .margin_right(22)
            .caption(title, style::bold(title_px).color(&style::TEXT))
            .x_label_area_size(if month { 70 } else { 40 })
            .y_label_area_size(100)
            .build_cartesian_2d(
                self.x_axis(),
                Axis::new(bottom, top, style::nice_ticks(bottom, top, 6)),
            )
            .map_err(de)?;
        self.shade_event(&mut chart, bottom, top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(x_desc.as_str())
            .y_desc(y_desc)
            .x_label_formatter(&|x| {
                let i = x.round().max(0.0) as usize;
                days.get(i)
                    .map(|d| numbers::weekday_day(*d, lang))
                    .unwrap_or_default()
            })
            .y_label_formatter(&|v| numbers::tick(*v, lang))
            .label_style(style::text(style::TICK_PX))
            .axis_desc_style(style::text(y_px))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED)
            .draw()
            .map_err(de)?;
        self.draw_groups(&mut chart, p)
    }

    /// The event days' shade, behind everything else.
    fn shade_event<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
        bottom: f64,
        top: f64,
    ) -> DrawResult {
        chart
            .draw_series(
                self.days
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| self.event.0 <= **d && **d <= self.event.1)
                    .map(|(i, _)| {
                        Rectangle::new(
                            [(i as f64 - 0.5, bottom), (i as f64 + 0.5, top)],
                            style::EVENT_SHADE.filled(),
                        )
                    }),
            )
            .map(|_| ())
            .map_err(de)
    }

    /// One bar (p50) with p05–p95 whiskers per compared scenario and day.
    fn draw_groups<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
        p: usize,
    ) -> DrawResult {
        let k = self.groups.len().max(1);
        let group_w = 0.8;
        let bar_w = group_w / k as f64;
        for (g, (_, per_panel)) in self.groups.iter().enumerate() {
            let color = style::series_color(g);
            for (d, v) in per_panel[p].iter().enumerate() {
                let cx = d as f64 - group_w / 2.0 + (g as f64 + 0.5) * bar_w;
                let half = bar_w * 0.45;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(cx - half, 0.0), (cx + half, v.1)],
                        color.filled(),
                    )))
                    .map_err(de)?;
                let cap = bar_w * 0.18;
                let ws = ShapeStyle::from(&BLACK).stroke_width(2);
                chart
                    .draw_series([
                        PathElement::new(vec![(cx, v.0), (cx, v.2)], ws),
                        PathElement::new(vec![(cx - cap, v.0), (cx + cap, v.0)], ws),
                        PathElement::new(vec![(cx - cap, v.2), (cx + cap, v.2)], ws),
                    ])
                    .map_err(de)?;
            }
        }
        Ok(())
    }

    /// Panel `p`'s difference A − B per day: a band from p05 to p95 and a dot at the
    /// median, from zero; under each day, in how many replicates A exceeds B.
    fn draw_difference<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        p: usize,
        d: &Difference,
    ) -> DrawResult {
        let (aw, _) = area.dim_in_pixel();
        let (more_desc, more_px) = frame::fit_sized(
            root,
            &d.more_desc,
            &[style::TICK_PX, 20.0, style::MIN_PX],
            false,
            aw.saturating_sub(130),
        );
        let vals = &d.values[p];
        let (bottom, top) = y_range(vals.iter().map(|v| v.0), vals.iter().map(|v| v.2));
        let more = &d.more[p];
        let n = d.replicates;
        let lang = self.t.lang();
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .margin_right(22)
            .x_label_area_size(64)
            .y_label_area_size(100)
            .build_cartesian_2d(
                self.x_axis(),
                Axis::new(bottom, top, style::nice_ticks(bottom, top, 3)),
            )
            .map_err(de)?;
        self.shade_event(&mut chart, bottom, top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(more_desc)
            .y_desc(d.axis.as_str())
            .x_label_formatter(&|x| {
                let i = x.round().max(0.0) as usize;
                // A share, not "m/n": 500/500 under each of five days runs together.
                more.get(i)
                    .map(|&m| {
                        let decimals = if m == 0 || m == n { 0 } else { 1 };
                        crate::labels::format::pct(100.0 * m as f64 / n as f64, decimals, lang)
                    })
                    .unwrap_or_default()
            })
            .y_label_formatter(&|v| numbers::tick(*v, lang))
            .label_style(style::text(style::TICK_PX))
            .axis_desc_style(style::text(more_px))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED)
            .draw()
            .map_err(de)?;
        let zero = ShapeStyle::from(&style::MUTED).stroke_width(2);
        let n_days = self.days.len() as f64;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(-0.5, 0.0), (n_days - 0.5, 0.0)],
                zero,
            )))
            .map_err(de)?;
        let band = ShapeStyle::from(&DIFFERENCE_COLOR).stroke_width(6);
        for (i, v) in vals.iter().enumerate() {
            let x = i as f64;
            chart
                .draw_series([PathElement::new(vec![(x, v.0), (x, v.2)], band)])
                .map_err(de)?;
            chart
                .draw_series([Circle::new((x, v.1), 8, DIFFERENCE_COLOR.filled())])
                .map_err(de)?;
        }
        Ok(())
    }
}
