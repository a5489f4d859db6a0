//! `wfhsim serve`: binds the address, loads the dataset, builds the population and its
//! baseline once (the job layer's steps, with a progress bar), prints what was loaded and
//! where it listens, then hands over to the server ([`crate::serve`]) until stopped.

use std::net::TcpListener;
use std::sync::Arc;

use anyhow::anyhow;

use super::args::ServeArgs;
use super::failure::{Failure, bad_input, failed};
use super::inputs::load_data;
use super::progress::Bars;
use crate::jobs;
use crate::serve::{self, App, Engine, Shipped, jobs::Queue, limits};
use wfhsim_core::scenario;

pub(super) fn serve(a: ServeArgs) -> Result<(), Failure> {
    // Bound first: an address in use is refused before the population is built.
    let listener = TcpListener::bind(a.bind)
        .map_err(|e| bad_input(anyhow!("--bind {}: cannot listen there: {e}", a.bind)))?;
    let addr = listener.local_addr().map_err(failed)?;
    let ds = load_data(&a.data)?;
    let scenarios = scenario::builtin_scenarios(&ds).map_err(bad_input)?;
    // The options and the memory check for the most a request may ask of a shipped one.
    let request = a.sim.request(limits::MAX_REPLICATES);
    let opt = jobs::resolve_options(&ds, &scenarios, &request)?;
    let pool = jobs::pool(opt.threads)?;
    let bars = Bars::new(Vec::new());
    let built = pool.install(|| jobs::build(&ds, opt, false, &|p| bars.update(p)));
    bars.finish();
    let dataset_origin = a
        .data
        .data
        .as_ref()
        .map_or("builtin".to_string(), |d| d.display().to_string());
    let engine = Arc::new(Engine {
        ds,
        dataset_origin,
        built,
        opt,
        pool,
    });
    let (shipped, left_out) = Shipped::all(&scenarios, &engine.ds);
    print_start(&engine, shipped.len(), &a);
    if !left_out.is_empty() {
        println!(
            "Left out as starting points (this dataset does not read them): {}",
            left_out.join(", ")
        );
    }
    let queue = Queue::start(engine.clone()).map_err(failed)?;
    if let Some(w) = serve::exposure_warning(addr) {
        eprintln!("{w}");
    }
    println!(
        "Listening on http://{addr} (open it in a browser for the what-if page; the API is in docs/serve.md); Ctrl-C stops it"
    );
    let app = App {
        engine,
        queue,
        shipped,
        lang: a.lang,
        hosts: limits::allowed_hosts(addr),
    };
    serve::run(listener, app).map_err(|e| failed(anyhow!("serving on {addr}: {e}")))
}

/// What was loaded and built, and the limits of a request.
fn print_start(e: &Engine, shipped: usize, a: &ServeArgs) {
    let o = &e.opt;
    println!(
        "Dataset: {} ({} parameters with their sources); {shipped} shipped scenarios to start from",
        e.dataset_origin,
        e.ds.params.iter().count()
    );
    println!(
        "Population: {} agents (scale {}, seed {}, uncertainty {}) and its baseline, built in {:.1} s on {} threads",
        e.built.pop.len(),
        o.scale,
        o.seed,
        o.uncertainty.as_str(),
        e.built.seconds,
        o.threads
    );
    println!(
        "Requests: a scenario of at most {} KiB ({}), replicates {} to {} (default {}), lang id or en (default {}); {} job runs at a time, {} may wait",
        limits::MAX_BODY_BYTES / 1024,
        limits::BODY_TYPE,
        limits::MIN_REPLICATES,
        limits::MAX_REPLICATES,
        limits::DEFAULT_REPLICATES,
        a.lang.code(),
        limits::MAX_RUNNING,
        limits::MAX_WAITING
    );
}
