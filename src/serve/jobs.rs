//! The job queue: one thread runs the jobs one after another on the job layer's worker
//! pool, never on the HTTP runtime's threads; at most [`MAX_RUNNING`] runs and
//! [`MAX_WAITING`] wait, a request beyond that is refused as busy. A job answers through
//! its events: queued, started, progress, an answer per stage (1, 10, then the replicates
//! asked for, when streamed; only the last otherwise), done — or failed.
//!
//! A client holds its job through a [`Handle`]; dropping it (the answer sent, or the client
//! gone) takes a waiting job out of the queue and stops a running one before its next
//! replicate: no more work is spent on it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::time::Instant;

use http::StatusCode;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::limits::{Format, MAX_RUNNING, MAX_WAITING, busy};
use super::reply::ApiError;
use super::{Engine, answer, briefing, log};
use wfhsim_core::data::DataError;
use wfhsim_core::scenario::Scenario;
use wfhsim_core::simulate::{self, MemoryEstimate, Progress, RunOptions};
use wfhsim_report::labels::Lang;

/// What a job tells its client, in order.
#[derive(Debug)]
pub enum Event {
    /// Admitted, with this many jobs before it (running or waiting).
    Queued {
        ahead: usize,
    },
    /// Begun: the replicates of each answer to come.
    Started {
        stages: Vec<u32>,
    },
    /// Replicates done of the stage of `replicates` (streamed jobs only).
    Progress {
        replicates: u32,
        done: u32,
    },
    /// A full answer computed with `replicates` replicates (JSON).
    Answer {
        replicates: u32,
        json: String,
    },
    /// A briefing's file (`briefing.html` or `.xlsx`), for a job that asked for one.
    File {
        name: String,
        bytes: Vec<u8>,
    },
    Failed(ApiError),
    /// Every stage answered, in `seconds` since the job began.
    Done {
        seconds: f64,
    },
}

/// A checked request: the scenario, replicates and language, and whether the client wants
/// the early answers too.
pub struct JobRequest {
    pub scenario: Scenario,
    pub replicates: u32,
    pub lang: Lang,
    pub stream: bool,
    /// A briefing file instead of the JSON answer.
    pub briefing: Option<Format>,
}

/// The replicates of each answer: 1 (at central values, fast), 10, then all, when
/// streamed; only all otherwise.
pub fn stages(replicates: u32, stream: bool) -> Vec<u32> {
    if !stream {
        return vec![replicates];
    }
    let mut s: Vec<u32> = [1, 10].into_iter().filter(|&k| k < replicates).collect();
    s.push(replicates);
    s
}

#[derive(Debug, Default)]
struct Counts {
    running: usize,
    waiting: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Waiting,
    Running,
    Finished,
    Cancelled,
}

/// One job's state, changed only under the queue's lock, and its stop flag, which the
/// running job reads before each replicate.
struct Ticket {
    state: Mutex<State>,
    stop: AtomicBool,
}

struct Job {
    request: JobRequest,
    ticket: Arc<Ticket>,
    events: UnboundedSender<Event>,
}

/// The queue's end the HTTP side holds.
pub struct Queue {
    counts: Arc<Mutex<Counts>>,
    jobs: mpsc::Sender<Job>,
}

/// A client's hold on its job and the job's events.
pub struct Handle {
    pub events: UnboundedReceiver<Event>,
    ticket: Arc<Ticket>,
    counts: Arc<Mutex<Counts>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Queue {
    /// Starts the job thread.
    pub fn start(engine: Arc<Engine>) -> std::io::Result<Queue> {
        let (jobs, rx) = mpsc::channel::<Job>();
        let counts = Arc::new(Mutex::new(Counts::default()));
        let shared = counts.clone();
        std::thread::Builder::new()
            .name("wfhsim-jobs".into())
            .spawn(move || {
                for job in rx {
                    work(&engine, &shared, job);
                }
            })?;
        Ok(Queue { counts, jobs })
    }

    /// Jobs running and waiting now.
    pub fn counts(&self) -> (usize, usize) {
        let c = lock(&self.counts);
        (c.running, c.waiting)
    }

    /// Admits a job, or refuses it when [`MAX_RUNNING`] run and [`MAX_WAITING`] wait.
    pub fn submit(&self, request: JobRequest) -> Result<Handle, ApiError> {
        let mut c = lock(&self.counts);
        let ahead = c.running + c.waiting;
        if ahead >= MAX_RUNNING + MAX_WAITING {
            return Err(busy(c.waiting));
        }
        let (events, rx) = unbounded_channel();
        let ticket = Arc::new(Ticket {
            state: Mutex::new(State::Waiting),
            stop: AtomicBool::new(false),
        });
        // The receiver is alive here: this send cannot fail.
        let _ = events.send(Event::Queued { ahead });
        let job = Job {
            request,
            ticket: ticket.clone(),
            events,
        };
        self.jobs.send(job).map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the job thread has stopped; restart wfhsim serve",
            )
        })?;
        c.waiting += 1;
        Ok(Handle {
            events: rx,
            ticket,
            counts: self.counts.clone(),
        })
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let mut c = lock(&self.counts);
        let mut state = lock(&self.ticket.state);
        match *state {
            State::Waiting => {
                *state = State::Cancelled;
                c.waiting -= 1;
            }
            State::Running => self.ticket.stop.store(true, Ordering::SeqCst),
            State::Finished | State::Cancelled => {}
        }
    }
}

/// Runs one job unless its client left while it waited; a panic is reported as a failed
/// job and the thread goes on with the next.
fn work(engine: &Engine, counts: &Mutex<Counts>, job: Job) {
    {
        let mut c = lock(counts);
        let mut state = lock(&job.ticket.state);
        if *state == State::Cancelled {
            return;
        }
        *state = State::Running;
        c.waiting -= 1;
        c.running += 1;
    }
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(engine, &job)));
    if let Err(panic) = &ran {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let _ = job.events.send(Event::Failed(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the job failed unexpectedly ({what}); the server goes on"),
        )));
    }
    {
        let mut c = lock(counts);
        *lock(&job.ticket.state) = State::Finished;
        c.running -= 1;
    }
    // Written once the engine is free.
    if let Ok(Some(Halt::Stopped { replicates, done })) = ran {
        log::job_stopped(&job.request.scenario.name, replicates, done);
    }
}

/// Why a stage did not answer.
enum Halt {
    /// The client left before replicate `done + 1` of the answer of `replicates`: nothing
    /// more is computed or sent.
    Stopped {
        replicates: u32,
        done: u32,
    },
    Failed(ApiError),
}

impl From<DataError> for Halt {
    fn from(e: DataError) -> Self {
        Halt::Failed(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the simulation failed: {e}"),
        ))
    }
}

/// Each stage's answer in turn, then done; what stopped it, if anything did.
fn run(engine: &Engine, job: &Job) -> Option<Halt> {
    let send = |e: Event| {
        let _ = job.events.send(e);
    };
    let stages = stages(job.request.replicates, job.request.stream);
    let most = stages.last().copied().unwrap_or(1);
    if let Err(e) = check_memory(engine, &job.request.scenario, most) {
        send(Event::Failed(e.clone()));
        return Some(Halt::Failed(e));
    }
    send(Event::Started {
        stages: stages.clone(),
    });
    let began = Instant::now();
    for &replicates in &stages {
        match stage(engine, job, replicates) {
            Ok(answer) => send(answer),
            Err(Halt::Failed(e)) => {
                send(Event::Failed(e.clone()));
                return Some(Halt::Failed(e));
            }
            Err(stopped) => return Some(stopped),
        }
    }
    send(Event::Done {
        seconds: began.elapsed().as_secs_f64(),
    });
    None
}

/// One answer (or the briefing's file), computed with `replicates` replicates in the
/// worker pool.
fn stage(engine: &Engine, job: &Job, replicates: u32) -> Result<Event, Halt> {
    let started = Instant::now();
    let opt = RunOptions {
        replicates,
        ..engine.opt
    };
    // Replicates finish side by side: counting and sending under one lock keeps the
    // progress events in order.
    let done = Mutex::new(0u32);
    let count = || lock(&done);
    let progress = |p: Progress| {
        if matches!(p, Progress::ReplicateDone) {
            let mut n = count();
            *n += 1;
            if job.request.stream {
                let _ = job.events.send(Event::Progress {
                    replicates,
                    done: *n,
                });
            }
        }
    };
    let check = || match job.ticket.stop.load(Ordering::SeqCst) || job.events.is_closed() {
        true => Err(Halt::Stopped {
            replicates,
            done: *count(),
        }),
        false => Ok(()),
    };
    let (ds, built, sc) = (&engine.ds, &engine.built, &job.request.scenario);
    let results = engine.pool.install(|| {
        simulate::simulate_one(ds, &built.pop, &built.base, sc, opt, &progress, &check)
    })?;
    let failed = |e: wfhsim_report::export::ExportError| {
        Halt::Failed(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot make the answer: {e}"),
        ))
    };
    let lang = job.request.lang;
    match job.request.briefing {
        None => answer::answer(engine, sc, &results, lang, started)
            .map(|json| Event::Answer { replicates, json })
            .map_err(failed),
        Some(format) => briefing::file(engine, sc, &results, lang, format)
            .map(|(name, bytes)| Event::File { name, bytes })
            .map_err(failed),
    }
}

/// Refuses a job whose replicate tables do not fit in the memory free now (the population
/// is built already: only the tables are still to come).
fn check_memory(engine: &Engine, sc: &Scenario, replicates: u32) -> Result<(), ApiError> {
    let Some(available) = crate::jobs::host::available() else {
        return Ok(());
    };
    let scale = engine.opt.scale;
    let need = simulate::estimate(&engine.ds, std::slice::from_ref(sc), scale, replicates);
    let tables = MemoryEstimate {
        population: 0.0,
        ..need
    };
    tables.check(scale, replicates, available).map_err(|e| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not enough memory for this job now: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::stages;

    #[test]
    fn a_stream_answers_at_1_10_and_the_replicates_asked_for() {
        assert_eq!(stages(100, true), [1, 10, 100]);
        assert_eq!(stages(30, true), [1, 10, 30]);
        assert_eq!(stages(10, true), [1, 10]);
        assert_eq!(stages(3, true), [1, 3]);
        assert_eq!(stages(1, true), [1]);
        assert_eq!(stages(30, false), [30]);
    }
}
