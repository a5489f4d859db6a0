//! Responses: a JSON body with its status, and [`ApiError`], the one shape of every error
//! (`{ "error": ..., "problems": [...] }`, the problems only for a scenario the reader
//! refused).

use std::convert::Infallible;

use bytes::Bytes;
use http::{Response, StatusCode, header};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use serde::Serialize;

use wfhsim_core::scenario::ScenarioError;

/// Every response's body: whole (JSON) or streamed (events).
pub type Body = UnsyncBoxBody<Bytes, Infallible>;

/// One problem the scenario reader found: its key, where it is (1-based), and its message;
/// `file` names a shipped scenario the request extends when the value is written there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemJson {
    pub key: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A request refused or a job that failed: the status and the JSON body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    #[serde(rename = "error")]
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ProblemJson>>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            problems: None,
        }
    }

    /// A scenario the reader refused (422): its message as `wfhsim validate` prints it, and
    /// each problem with its position.
    pub fn scenario(e: &ScenarioError) -> ApiError {
        let problems = e
            .problems
            .iter()
            .map(|p| ProblemJson {
                key: p.key.clone(),
                line: p.at.map(|(l, _)| l),
                column: p.at.map(|(_, c)| c),
                message: p.message.clone(),
                file: p.file.clone(),
            })
            .collect();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: e.to_string(),
            problems: Some(problems),
        }
    }

    pub fn response(&self) -> Response<Body> {
        json(self.status, self)
    }
}

/// `value` as JSON with `status`.
pub fn json(status: StatusCode, value: &impl Serialize) -> Response<Body> {
    match serde_json::to_string(value) {
        Ok(text) => json_text(status, text),
        Err(e) => json_text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "{{\"error\":{}}}",
                serde_json::Value::from(format!("cannot write the answer as JSON: {e}"))
            ),
        ),
    }
}

/// A JSON text already made, with `status`.
pub fn json_text(status: StatusCode, text: String) -> Response<Body> {
    let mut r = typed(whole(text), "application/json");
    *r.status_mut() = status;
    r
}

/// A 200 response of `body`, its content type `kind`, never cached.
pub fn typed(body: Body, kind: &'static str) -> Response<Body> {
    let mut r = Response::new(body);
    let headers = r.headers_mut();
    headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

/// A whole body.
pub fn whole(text: String) -> Body {
    Full::new(Bytes::from(text)).boxed_unsync()
}
