//! `wfhsim evaluate`: what an observed series says an order did. The series (and a
//! control) are read and checked, the days used are placed in the dataset's calendar, each
//! site is fitted by every method its inputs allow ([`sites`]), the effect is set beside a
//! run's simulated one when they measure the same thing ([`simulated`]), and the folder is
//! written atomically (nothing is written when anything is refused).

pub mod observed;
mod simulated;
mod sites;

use std::path::{Path, PathBuf};

use super::JobError;
use wfhsim_core::calendar::{Date, DayFlags};
use wfhsim_core::data::Dataset;
use wfhsim_core::evaluate::{Daily, ItsSpec, SEASON_MIN_DAYS, Scale, Season, Window};
use wfhsim_report::evaluation::{
    CalendarInfo, EvalManifest, EvalOptions, Evaluation, InputFile, MANIFEST_VERSION, WindowInfo,
};
use wfhsim_report::labels::Langs;
use wfhsim_report::runfolder::RunDir;
use wfhsim_report::series::{self, Observed};

/// The most series (sites) one evaluation reads: each has its own fits, placebos, chart
/// and page section.
pub const MAX_SITES: usize = 100;

/// What the series measures (`--quantity`): only `counts` can be set beside a run's
/// simulated change in counted vehicle passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Counts,
    Mobility,
    Pm25,
    Other,
}

impl Quantity {
    pub const ALLOWED: &'static str = "counts, mobility, pm25 or other";

    pub fn parse(s: &str) -> Option<Quantity> {
        [
            Quantity::Counts,
            Quantity::Mobility,
            Quantity::Pm25,
            Quantity::Other,
        ]
        .into_iter()
        .find(|q| q.as_str() == s)
    }

    /// What is added to the values to make them a level: a % change against a baseline
    /// (`mobility`) is read as an index with the baseline at 100, so an effect in % of the
    /// counterfactual is a share of visits, not of a change; tables and charts show the
    /// values as given.
    pub fn index_offset(self) -> f64 {
        match self {
            Quantity::Mobility => 100.0,
            _ => 0.0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Quantity::Counts => "counts",
            Quantity::Mobility => "mobility",
            Quantity::Pm25 => "pm25",
            Quantity::Other => "other",
        }
    }
}

/// The model's choices; `None` = chosen from the series (see [`resolve_spec`]).
#[derive(Debug, Clone)]
pub struct ModelChoice {
    pub scale: Option<Scale>,
    /// `None`: a trend when the days before the first window are at least as many as it
    /// must be carried forward (see [`resolve_spec`]).
    pub trend: Option<bool>,
    pub season: Option<u32>,
    pub weekday: bool,
    pub calendar: bool,
    /// Days before the first window to use (default: all the series has).
    pub pre_days: Option<u32>,
    /// Window terms on working days only (weekdays that are not holidays or cuti bersama):
    /// what an order that sends workers home acts on.
    pub working_days: bool,
}

/// Everything `evaluate` was asked, checked by the command line.
#[derive(Debug, Clone)]
pub struct EvalInputs {
    pub series: PathBuf,
    pub columns: Vec<String>,
    pub control: Option<PathBuf>,
    pub control_columns: Vec<String>,
    /// The windows and where each came from (`--window`, a scenario file, a run folder).
    pub windows: Vec<(Window, String)>,
    pub model: ModelChoice,
    pub quantity: Quantity,
    /// The series' attribution, shown wherever the evaluation is (`--source`).
    pub source: Option<String>,
    /// A run folder and (optionally) the scenario in it to compare with.
    pub run: Option<PathBuf>,
    pub scenario: Option<String>,
    pub out: PathBuf,
    pub name: String,
    pub force: bool,
    pub langs: Langs,
    /// The command line, for the "reproduce" line.
    pub command: String,
    /// `built-in` or the dataset folder.
    pub dataset: String,
}

/// Runs the evaluation and writes its folder; returns the folder and what it holds.
pub fn evaluate(ds: &Dataset, inp: &EvalInputs) -> Result<(PathBuf, Evaluation), JobError> {
    super::check_name("--name", &inp.name)?;
    let dir = RunDir::create(&inp.out.join(&inp.name), inp.force).map_err(JobError::Output)?;
    let ev = compute(ds, inp)?;
    let files = wfhsim_report::evaluation::files(&ev, inp.langs)?;
    dir.write(&files)?;
    Ok((dir.commit()?, ev))
}

/// Everything but the writing: the series read, fitted and compared.
pub fn compute(ds: &Dataset, inp: &EvalInputs) -> Result<Evaluation, JobError> {
    let offset = inp.quantity.index_offset();
    let observed = shifted(read(&inp.series, &inp.columns)?, offset);
    if observed.sites.len() > MAX_SITES {
        return Err(JobError::Input(format!(
            "{}: {} series; evaluate reads at most {MAX_SITES} at once (each gets its fits, placebos and chart): pick them with --column",
            observed.name,
            observed.sites.len()
        )));
    }
    let control = match &inp.control {
        Some(p) => Some(shifted(read(p, &inp.control_columns)?, offset)),
        None => None,
    };
    let windows = check_windows(&observed, &inp.windows)?;
    let spec = resolve_spec(&observed, &windows, &inp.model)?;
    let flags = calendar_flags(ds, &observed.name, spec.first, spec.last)?;
    let mut fitted = sites::fit_all(&observed, control.as_ref(), &flags, &spec, &inp.model)?;
    fitted.shift(-offset);
    let simulated = match &inp.run {
        Some(run) => Some(simulated::compare(
            run,
            inp.scenario.as_deref(),
            inp.quantity,
            &windows,
            inp.model.working_days,
            &fitted.effects,
        )?),
        None => None,
    };
    let manifest = EvalManifest {
        manifest_version: MANIFEST_VERSION,
        wfhsim_version: env!("CARGO_PKG_VERSION").to_string(),
        name: inp.name.clone(),
        quantity: inp.quantity.as_str().to_string(),
        series: input_file(&observed, &inp.series, inp.source.clone()),
        control: control
            .as_ref()
            .zip(inp.control.as_ref())
            .map(|(c, p)| input_file(c, p, None)),
        windows: inp
            .windows
            .iter()
            .map(|(w, origin)| WindowInfo {
                from: w.from.to_string(),
                to: w.to.to_string(),
                origin: origin.clone(),
            })
            .collect(),
        options: options(&spec, &inp.model),
        calendar: calendar_info(ds, &inp.dataset),
        sites: fitted.notes,
        synth: fitted.synth,
        simulated,
        command: inp.command.clone(),
        files: Default::default(),
    };
    Ok(Evaluation {
        manifest,
        effects: fitted.effects,
        days: fitted.days,
    })
}

fn read(path: &Path, columns: &[String]) -> Result<Observed, JobError> {
    series::read(path, columns).map_err(|e| JobError::Input(e.0))
}

/// The series with `offset` added to every value.
fn shifted(mut o: Observed, offset: f64) -> Observed {
    if offset != 0.0 {
        for (_, s) in &mut o.sites {
            for v in s.values.iter_mut().flatten() {
                *v += offset;
            }
        }
    }
    o
}

fn input_file(o: &Observed, path: &Path, source: Option<String>) -> InputFile {
    let (first, last) = span(o);
    InputFile {
        name: path
            .file_name()
            .map_or_else(|| o.name.clone(), |n| n.to_string_lossy().into_owned()),
        sha256: o.sha256.clone(),
        columns: o.sites.iter().map(|(n, _)| n.clone()).collect(),
        first_day: first.to_string(),
        last_day: last.to_string(),
        source,
    }
}

/// The first and last day of a file's series (every site spans the file's days).
fn span(o: &Observed) -> (Date, Date) {
    let s = &o.sites[0].1;
    (s.start, s.end())
}

/// Windows sorted, not overlapping, inside the series, and with days before them.
fn check_windows(o: &Observed, given: &[(Window, String)]) -> Result<Vec<Window>, JobError> {
    if given.is_empty() {
        return Err(JobError::Input(
            "no policy window: give --window FROM..TO or --window-from a scenario file or run folder".into(),
        ));
    }
    let mut w: Vec<Window> = given.iter().map(|(w, _)| *w).collect();
    w.sort_by_key(|w| w.from);
    let (first, last) = span(o);
    for (i, x) in w.iter().enumerate() {
        if x.from < first || x.to > last {
            return Err(JobError::Input(format!(
                "{}: the window {}..{} is outside the series, which runs {first}..{last}",
                o.name, x.from, x.to
            )));
        }
        if x.from <= first {
            return Err(JobError::Input(format!(
                "{}: the window {}..{} starts on the series' first day; the counterfactual needs days before it",
                o.name, x.from, x.to
            )));
        }
        if i > 0 && x.from <= w[i - 1].to {
            return Err(JobError::Input(format!(
                "the windows {}..{} and {}..{} overlap; give each day to one window",
                w[i - 1].from,
                w[i - 1].to,
                x.from,
                x.to
            )));
        }
    }
    Ok(w)
}

/// The model for this series: the days used, the scale (log when every used value is
/// above 0), the pre-trend (when the days before the first window are at least as many
/// as the days it must be carried forward, to the last window's end: a line learnt from
/// fewer days than it is extrapolated over is not trusted) and the seasonal terms (two
/// annual harmonics when two years or more precede the first window: with less, a year's
/// shape cannot be told from the window's effect).
fn resolve_spec(o: &Observed, windows: &[Window], m: &ModelChoice) -> Result<ItsSpec, JobError> {
    let (start, _) = span(o);
    let first_window = windows[0].from;
    let first = match m.pre_days {
        Some(n) => Date((first_window.0 - n as i32).max(start.0)),
        None => start,
    };
    let last = windows.last().expect("a window").to;
    let positive = o.sites.iter().all(|(_, s)| all_positive(s, first, last));
    let scale = match m.scale {
        Some(Scale::Log) if !positive => {
            return Err(JobError::Input(format!(
                "{}: --scale log needs every value above 0 between {first} and {last}; use --scale level",
                o.name
            )));
        }
        Some(s) => s,
        None if positive => Scale::Log,
        None => Scale::Level,
    };
    let pre = (first_window.0 - first.0) as u32;
    let horizon = (last.0 - first_window.0 + 1) as u32;
    let trend = m.trend.unwrap_or(pre >= horizon);
    let season = match m.season {
        Some(0) => Season::None,
        Some(k) => Season::Annual(k),
        None if pre as i32 >= SEASON_MIN_DAYS => Season::Annual(2),
        None => Season::None,
    };
    Ok(ItsSpec {
        windows: windows.to_vec(),
        scale,
        trend,
        season,
        weekday: m.weekday,
        calendar: m.calendar,
        first,
        last,
        working_days: m.working_days,
    })
}

fn all_positive(s: &Daily, first: Date, last: Date) -> bool {
    (first.0..=last.0)
        .filter_map(|d| s.index(Date(d)).and_then(|i| s.values[i]))
        .all(|v| v > 0.0)
}

/// The calendar's flags for each day used; a day outside the calendar is refused.
fn calendar_flags(
    ds: &Dataset,
    file: &str,
    first: Date,
    last: Date,
) -> Result<Vec<DayFlags>, JobError> {
    (first.0..=last.0)
        .map(|d| {
            ds.day_flags(Date(d))
                .map_err(|e| JobError::Input(format!("{file}: {e}")))
        })
        .collect()
}

fn options(spec: &ItsSpec, m: &ModelChoice) -> EvalOptions {
    let pre = spec.windows[0].from.0 - spec.first.0;
    let horizon = spec.last.0 - spec.windows[0].from.0 + 1;
    let trend_rule = match m.trend {
        Some(true) => "--trend on".to_string(),
        Some(false) => "--trend off".to_string(),
        None => format!(
            "auto: {pre} days before the first window, {horizon} to carry the trend forward ({})",
            if spec.trend {
                "on"
            } else {
                "off: fewer days before than after"
            }
        ),
    };
    EvalOptions {
        scale: match spec.scale {
            Scale::Log => "log",
            Scale::Level => "level",
        }
        .to_string(),
        trend: spec.trend,
        trend_rule,
        season_harmonics: match spec.season {
            Season::None => 0,
            Season::Annual(k) => k,
        },
        weekday: spec.weekday,
        calendar: spec.calendar,
        working_days: m.working_days,
        first_day: spec.first.to_string(),
        last_day: spec.last.to_string(),
    }
}

fn calendar_info(ds: &Dataset, dataset: &str) -> CalendarInfo {
    let (y0, y1) = ds.calendar_years();
    CalendarInfo {
        first: format!("{y0:04}-01-01"),
        last: format!("{y1:04}-12-31"),
        dataset: dataset.to_string(),
    }
}
