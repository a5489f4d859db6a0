//! The JSON API: each request routed to its endpoint, checked against the limits, and
//! answered; every error is [`ApiError`]'s JSON. docs/serve.md has the shapes.
//!
//! - `GET /api/info`: the server's options, limits and queue.
//! - `GET /api/scenarios`: the shipped scenarios to start from.
//! - `POST /api/run?replicates=N&lang=id|en`: a scenario (TOML body) → its answer.
//! - `POST /api/run/stream?...`: the same job as server-sent events, with early answers.
//! - `POST /api/scenario`: a scenario and edits of its keys → the edited scenario's TOML.
//! - `POST /api/briefing?format=html|xlsx&...`: the job's `briefing.html` or `.xlsx`.
//! - `GET /`: the what-if page, which uses only the endpoints above.

use std::sync::Arc;

use http::{Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use serde_json::json;

use super::jobs::{Event, Handle, JobRequest};
use super::limits::{self, Format, MAX_BODY_BYTES, REQUEST_FILE};
use super::log::RequestLog;
use super::reply::{ApiError, Body, json, json_text};
use super::sse::EventBody;
use super::{App, edit, page};
use wfhsim_core::scenario;

/// The endpoints and the method each takes.
const ROUTES: [(&str, Method); 7] = [
    ("/", Method::GET),
    ("/api/info", Method::GET),
    ("/api/scenarios", Method::GET),
    ("/api/scenario", Method::POST),
    ("/api/run", Method::POST),
    ("/api/run/stream", Method::POST),
    ("/api/briefing", Method::POST),
];

/// Answers one request and logs it.
pub async fn handle(req: Request<Incoming>, app: Arc<App>) -> Response<Body> {
    let path = req.uri().path().to_string();
    let mut log = RequestLog::start(req.method().as_str(), &path);
    if let Err(e) = limits::check_host(req.headers(), app.hosts.as_deref()) {
        return finish(&mut log, e.response());
    }
    let Some((_, method)) = ROUTES.iter().find(|(p, _)| *p == path) else {
        return finish(&mut log, not_found(&path).response());
    };
    if req.method() != method {
        let e = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{} is not allowed on {path}; use {method}", req.method()),
        );
        let mut r = e.response();
        r.headers_mut().insert(
            header::ALLOW,
            header::HeaderValue::from_static(method.as_str()),
        );
        return finish(&mut log, r);
    }
    let r = match path.as_str() {
        "/" => page::page(req.uri().query(), &app),
        "/api/info" => json(StatusCode::OK, &info(&app)),
        "/api/scenarios" => json(StatusCode::OK, &json!({ "scenarios": app.shipped })),
        "/api/scenario" => scenario(req, &app, &mut log).await,
        "/api/run" => run(req, &app, &mut log).await,
        "/api/briefing" => briefing(req, &app, &mut log).await,
        _ => match submit(req, &app, &mut log, true).await {
            Ok(handle) => return stream(handle, log),
            Err(e) => e.response(),
        },
    };
    finish(&mut log, r)
}

fn finish(log: &mut RequestLog, r: Response<Body>) -> Response<Body> {
    log.status = Some(r.status().as_u16());
    r
}

fn not_found(path: &str) -> ApiError {
    let list: Vec<String> = ROUTES.iter().map(|(p, m)| format!("{m} {p}")).collect();
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "no such path: {}; the API is {} (docs/serve.md)",
            wfhsim_core::text::escape_controls(path),
            list.join(", ")
        ),
    )
}

/// The server's options, limits and queue now.
fn info(app: &App) -> serde_json::Value {
    let (running, waiting) = app.queue.counts();
    let e = &app.engine;
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "dataset": e.dataset_origin,
        "scale": e.opt.scale,
        "seed": e.opt.seed,
        "uncertainty": e.opt.uncertainty.as_str(),
        "threads": e.opt.threads,
        "agents": e.built.pop.len(),
        "build_seconds": e.built.seconds,
        "lang": app.lang.code(),
        "limits": {
            "body_bytes": MAX_BODY_BYTES,
            "body_type": limits::BODY_TYPE,
            "replicates": {
                "min": limits::MIN_REPLICATES,
                "max": limits::MAX_REPLICATES,
                "default": limits::DEFAULT_REPLICATES,
            },
            "running": limits::MAX_RUNNING,
            "waiting": limits::MAX_WAITING,
        },
        "queue": { "running": running, "waiting": waiting },
        "choices": edit::choices(&e.ds),
    })
}

/// The body as UTF-8 text, at most [`MAX_BODY_BYTES`] (its headers checked already).
async fn body(req: Request<Incoming>) -> Result<String, ApiError> {
    let bytes = match Limited::new(req.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes().to_vec(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return Err(limits::too_large(&format!(
                "larger than {MAX_BODY_BYTES} bytes"
            )));
        }
        Err(e) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("cannot read the body: {e}"),
            ));
        }
    };
    limits::body_text(bytes)
}

/// `/api/scenario`: the edited scenario, or the problems of the text or of an edit.
async fn scenario(req: Request<Incoming>, app: &App, log: &mut RequestLog) -> Response<Body> {
    if let Err(e) = limits::check_json_headers(req.headers()) {
        return e.response();
    }
    let text = match body(req).await {
        Ok(t) => t,
        Err(e) => return e.response(),
    };
    match edit::edit(&text, &app.engine.ds) {
        Ok(edited) => {
            log.scenario = Some(edited.name.clone());
            json(StatusCode::OK, &edited)
        }
        Err(e) => e.response(),
    }
}

/// The query, the body and the scenario checked, then the job admitted.
async fn submit(
    req: Request<Incoming>,
    app: &App,
    log: &mut RequestLog,
    stream: bool,
) -> Result<Handle, ApiError> {
    let q = limits::run_query(req.uri().query(), app.lang)?;
    admit(req, app, log, q, stream, None).await
}

async fn admit(
    req: Request<Incoming>,
    app: &App,
    log: &mut RequestLog,
    q: limits::RunQuery,
    stream: bool,
    briefing: Option<Format>,
) -> Result<Handle, ApiError> {
    log.replicates = Some(q.replicates);
    limits::check_headers(req.headers())?;
    let text = body(req).await?;
    let sc = scenario::parse_scenario(REQUEST_FILE, &text, &app.engine.ds)
        .map_err(|e| ApiError::scenario(&e))?;
    log.scenario = Some(sc.name.clone());
    app.queue.submit(JobRequest {
        scenario: sc,
        replicates: q.replicates,
        lang: q.lang,
        stream,
        briefing,
    })
}

/// `/api/briefing`: the job's briefing page or workbook, as a download.
async fn briefing(req: Request<Incoming>, app: &App, log: &mut RequestLog) -> Response<Body> {
    let (q, format) = match limits::briefing_query(req.uri().query(), app.lang) {
        Ok(q) => q,
        Err(e) => return e.response(),
    };
    let mut handle = match admit(req, app, log, q, false, Some(format)).await {
        Ok(h) => h,
        Err(e) => return e.response(),
    };
    while let Some(e) = handle.events.recv().await {
        match e {
            Event::File { name, bytes } => {
                return super::reply::download(format.content_type(), &name, bytes);
            }
            Event::Failed(e) => return e.response(),
            _ => {}
        }
    }
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the job ended without its file",
    )
    .response()
}

/// `/api/run`: the job's one answer, or its error.
async fn run(req: Request<Incoming>, app: &App, log: &mut RequestLog) -> Response<Body> {
    let mut handle = match submit(req, app, log, false).await {
        Ok(h) => h,
        Err(e) => return e.response(),
    };
    while let Some(e) = handle.events.recv().await {
        match e {
            Event::Answer { json, .. } => return json_text(StatusCode::OK, json),
            Event::Failed(e) => return e.response(),
            _ => {}
        }
    }
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the job ended without an answer",
    )
    .response()
}

/// `/api/run/stream`: the job's events as they come.
fn stream(handle: Handle, mut log: RequestLog) -> Response<Body> {
    log.status = Some(StatusCode::OK.as_u16());
    let body = EventBody::new(handle, log);
    super::reply::typed(BodyExt::boxed_unsync(body), "text/event-stream")
}
