//! Progress bars for a run: one for building the population, then one per scenario's
//! replicates, driven by the pipeline's progress events.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use wfhsim_core::simulate::Progress;

pub struct Bars {
    names: Vec<String>,
    current: Mutex<Option<ProgressBar>>,
}

fn bar(total: u64, what: &str) -> ProgressBar {
    let b = ProgressBar::new(total);
    b.set_style(
        ProgressStyle::with_template("{msg:>28} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b.set_message(what.to_string());
    b
}

impl Bars {
    /// `names`: the scenarios in run order.
    pub fn new(names: Vec<String>) -> Bars {
        Bars {
            names,
            current: Mutex::new(None),
        }
    }

    pub fn update(&self, p: Progress) {
        let mut cur = self.current.lock().unwrap_or_else(|e| e.into_inner());
        match p {
            Progress::PopulationBlocks { total } => *cur = Some(bar(total, "building population")),
            Progress::Replicates { scenario, total } => {
                if let Some(b) = cur.take() {
                    b.finish();
                }
                let name = self.names.get(scenario).map_or("scenario", String::as_str);
                *cur = Some(bar(total, name));
            }
            Progress::Decomposition { scenario, total } => {
                if let Some(b) = cur.take() {
                    b.finish();
                }
                let name = self.names.get(scenario).map_or("scenario", String::as_str);
                *cur = Some(bar(total, &format!("{name}: its parts (Shapley)")));
            }
            Progress::PopulationBlockDone | Progress::ReplicateDone => {
                if let Some(b) = cur.as_ref() {
                    b.inc(1);
                }
            }
        }
    }

    pub fn finish(&self) {
        if let Some(b) = self
            .current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            b.finish();
        }
    }
}

/// Progress of a sweep: building the population, then points done with the rate and the
/// time left. On a terminal, a bar; otherwise (a scheduler's log) a plain line every ~10 s
/// or 5% of the points, whichever comes first.
pub struct SweepBars {
    tty: bool,
    state: Mutex<SweepState>,
}

struct SweepState {
    bar: Option<ProgressBar>,
    total: u64,
    done: u64,
    start: std::time::Instant,
    last_line: std::time::Instant,
    last_done: u64,
}

impl SweepBars {
    pub fn new() -> SweepBars {
        use std::io::IsTerminal;
        let now = std::time::Instant::now();
        SweepBars {
            tty: std::io::stderr().is_terminal(),
            state: Mutex::new(SweepState {
                bar: None,
                total: 0,
                done: 0,
                start: now,
                last_line: now,
                last_done: 0,
            }),
        }
    }

    pub fn update(&self, p: crate::jobs::sweep::SweepProgress) {
        use crate::jobs::sweep::SweepProgress as P;
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match p {
            P::Population { blocks } => {
                if self.tty {
                    s.bar = Some(bar(blocks, "building population"));
                } else {
                    eprintln!("sweep: building the population");
                }
            }
            P::PopulationBlockDone => {
                if let Some(b) = s.bar.as_ref() {
                    b.inc(1);
                }
            }
            P::Points { total } => {
                if let Some(b) = s.bar.take() {
                    b.finish();
                }
                s.total = total;
                s.start = std::time::Instant::now();
                s.last_line = s.start;
                if self.tty {
                    let b = ProgressBar::new(total);
                    b.set_style(
                        ProgressStyle::with_template(
                            "{msg:>12} [{bar:30}] {pos}/{len} points · {per_sec} · ETA {eta}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                    b.set_message("sweep");
                    s.bar = Some(b);
                } else {
                    eprintln!("sweep: {total} points to run");
                }
            }
            P::PointDone => {
                s.done += 1;
                if let Some(b) = s.bar.as_ref() {
                    b.inc(1);
                    return;
                }
                let now = std::time::Instant::now();
                let step = (s.total / 20).max(1);
                if now.duration_since(s.last_line).as_secs_f64() >= 10.0
                    || s.done >= s.last_done + step
                    || s.done == s.total
                {
                    let el = now.duration_since(s.start).as_secs_f64();
                    let rate = s.done as f64 / el.max(1e-9);
                    let left = s.total.saturating_sub(s.done) as f64 / rate.max(1e-9);
                    eprintln!(
                        "sweep: {}/{} points ({:.0}%), {:.2} points/s, elapsed {:.0} s, ETA {:.0} s",
                        s.done,
                        s.total,
                        100.0 * s.done as f64 / s.total.max(1) as f64,
                        rate,
                        el,
                        left
                    );
                    s.last_line = now;
                    s.last_done = s.done;
                }
            }
        }
    }

    pub fn finish(&self) {
        if let Some(b) = self
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .bar
            .take()
        {
            b.finish();
        }
    }
}
