//! `wfhsim serve`: a small HTTP server that answers what-if questions in a meeting. The
//! dataset, the population and its baseline are loaded and built once, at start (the job
//! layer's steps); each request's scenario is read by the scenario reader, as `wfhsim run`
//! reads a file, and run on the job layer's worker pool by one job thread ([`jobs`]),
//! never on the HTTP runtime's threads. It writes no file.
//!
//! `api` routes and answers requests, `limits` holds what a request may ask, `jobs` the
//! queue, `answer` a job's JSON, `briefing` a job's briefing file, `edit` a scenario's
//! edits, `page` the what-if page, `sse` the event stream, `reply` responses and errors,
//! `log` the request log. docs/serve.md describes the API and the page.

mod answer;
pub mod api;
mod briefing;
mod edit;
pub mod jobs;
pub mod limits;
mod log;
mod page;
mod reply;
mod sse;

use std::convert::Infallible;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Serialize;

use crate::jobs::Built;
use wfhsim_core::data::Dataset;
use wfhsim_core::scenario::{self, BUILTIN_SCENARIOS, Scenario};
use wfhsim_core::simulate::RunOptions;
use wfhsim_report::labels::Lang;

/// What every job runs on, made once at start.
pub struct Engine {
    pub ds: Dataset,
    /// `builtin` or the dataset folder.
    pub dataset_origin: String,
    pub built: Built,
    pub opt: RunOptions,
    pub pool: rayon::ThreadPool,
}

/// A shipped scenario to start from: its name, title in both languages and TOML text.
#[derive(Debug, Clone, Serialize)]
pub struct Shipped {
    pub name: String,
    pub title: Titles,
    pub toml: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Titles {
    pub id: String,
    pub en: String,
}

/// Starting points besides the default study: the bundle of the summit week's measures
/// and the 2020–21 restrictions (`scenarios/bundles/`, `scenarios/natural-experiments/`),
/// compiled in.
pub const MORE_SCENARIOS: [(&str, &str); 8] = [
    (
        "asean-summit-2023-bundle.toml",
        include_str!("../../scenarios/bundles/asean-summit-2023-bundle.toml"),
    ),
    (
        "psbb-2020-i.toml",
        include_str!("../../scenarios/natural-experiments/psbb-2020-i.toml"),
    ),
    (
        "psbb-2020-transisi.toml",
        include_str!("../../scenarios/natural-experiments/psbb-2020-transisi.toml"),
    ),
    (
        "psbb-2020-ii.toml",
        include_str!("../../scenarios/natural-experiments/psbb-2020-ii.toml"),
    ),
    (
        "psbb-2020-voluntary.toml",
        include_str!("../../scenarios/natural-experiments/psbb-2020-voluntary.toml"),
    ),
    (
        "psbb-2020-extreme.toml",
        include_str!("../../scenarios/natural-experiments/psbb-2020-extreme.toml"),
    ),
    (
        "ppkm-june-2021.toml",
        include_str!("../../scenarios/natural-experiments/ppkm-june-2021.toml"),
    ),
    (
        "ppkm-darurat-2021.toml",
        include_str!("../../scenarios/natural-experiments/ppkm-darurat-2021.toml"),
    ),
];

impl Shipped {
    /// The default study's scenarios (read and checked: `scenarios`, in the same order),
    /// then those of [`MORE_SCENARIOS`] the dataset reads (another dataset may lack
    /// their regions or employers: their names are returned, left out).
    pub fn all(scenarios: &[Scenario], ds: &Dataset) -> (Vec<Shipped>, Vec<String>) {
        let mut all: Vec<Shipped> = scenarios
            .iter()
            .zip(BUILTIN_SCENARIOS)
            .map(|(s, (_, text))| Shipped::of(s, text))
            .collect();
        let mut left_out = Vec::new();
        for (file, text) in MORE_SCENARIOS {
            match scenario::parse_scenario(file, text, ds) {
                Ok(s) => all.push(Shipped::of(&s, text)),
                Err(_) => left_out.push(file.to_string()),
            }
        }
        (all, left_out)
    }

    fn of(s: &Scenario, text: &str) -> Shipped {
        Shipped {
            name: s.name.clone(),
            title: Titles {
                id: s.title_id.clone().unwrap_or_else(|| s.title.clone()),
                en: s.title.clone(),
            },
            toml: text.to_string(),
        }
    }
}

/// What the request handlers share.
pub struct App {
    pub engine: Arc<Engine>,
    pub queue: jobs::Queue,
    pub shipped: Vec<Shipped>,
    /// The language of answers that do not ask for one.
    pub lang: Lang,
    /// The `Host` values answered (`limits::allowed_hosts`); `None` = any.
    pub hosts: Option<Vec<String>>,
}

/// The warning printed when the address is not a loopback one: who can reach it.
pub fn exposure_warning(addr: SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "warning: listening on {addr}, which is not a loopback address: anyone who can reach this machine on port {} can run simulations here (there is no login); use --bind 127.0.0.1:{0} unless other machines must reach it",
            addr.port()
        )
    })
}

/// Serves the API on `listener` until the process is stopped, on a runtime of two threads
/// (the engine runs on the job thread's pool).
pub fn run(listener: TcpListener, app: App) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("wfhsim-http")
        .enable_io()
        .build()?;
    let listener = {
        let _in_runtime = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    runtime.block_on(accept(listener, Arc::new(app)));
    Ok(())
}

/// Accepts connections for ever, each served on its own task.
async fn accept(listener: tokio::net::TcpListener, app: Arc<App>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                eprintln!("warning: cannot accept a connection: {e}");
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let app = app.clone();
                async move { Ok::<_, Infallible>(api::handle(req, app).await) }
            });
            // A client that leaves mid-request is no error of the server's.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::exposure_warning;

    #[test]
    fn only_a_loopback_address_is_served_without_a_warning() {
        for quiet in ["127.0.0.1:8080", "127.0.0.2:80", "[::1]:8080"] {
            assert_eq!(exposure_warning(quiet.parse().unwrap()), None, "{quiet}");
        }
        for open in ["0.0.0.0:8080", "192.168.1.20:8080", "[::]:8080"] {
            let w = exposure_warning(open.parse().unwrap()).unwrap();
            assert!(
                w.starts_with(&format!(
                    "warning: listening on {open}, which is not a loopback address"
                )),
                "{w}"
            );
        }
    }
}
