//! Progress bars for a run: one for building the population, then one per scenario's
//! replicates, driven by the pipeline's progress events.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use crate::pipeline::Progress;

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
