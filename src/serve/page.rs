//! `GET /`: the what-if page — one HTML file with its style and script inline, compiled in,
//! so it loads nothing from elsewhere and works offline. Its words come from the label
//! catalogue (`assets/labels.toml`, keys `page.*` and the metrics' labels) in the language
//! asked for (`/?lang=en`, or the server's `--lang`); its colours are the charts' palette.
//! It uses only the documented API (docs/serve.md).

use http::header::{self, HeaderValue};
use http::{Response, StatusCode};
use serde_json::{Map, Value};

use super::App;
use super::limits;
use super::reply::{ApiError, Body, typed, whole};
use wfhsim_report::labels::{Labels, Lang};

const HTML: &str = include_str!("../../assets/serve/page.html");
const STYLE: &str = include_str!("../../assets/serve/page.css");
const SCRIPT: &str = include_str!("../../assets/serve/page.js");

/// Label kinds the page shows besides its own `page.*` texts.
const KINDS: [&str; 6] = ["page.", "metric.", "unit.", "component.", "basis.", "lang."];

/// The page in the language of `?lang=` (or the server's).
pub fn page(query: Option<&str>, app: &App) -> Response<Body> {
    match page_lang(query, app.lang) {
        Ok(lang) => {
            let mut r = typed(whole(render(lang)), "text/html; charset=utf-8");
            *r.status_mut() = StatusCode::OK;
            // No other site may frame it (a meta policy cannot say so).
            let h = r.headers_mut();
            h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("frame-ancestors 'none'"),
            );
            r
        }
        Err(e) => e.response(),
    }
}

fn page_lang(query: Option<&str>, default: Lang) -> Result<Lang, ApiError> {
    let mut lang = default;
    for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "lang" => lang = limits::lang(&value)?,
            other => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "unknown query parameter '{}' (the page takes only lang=id|en)",
                        wfhsim_core::text::escape_controls(other)
                    ),
                ));
            }
        }
    }
    Ok(lang)
}

/// The page's HTML in `lang`.
pub fn render(lang: Lang) -> String {
    let labels = Labels::builtin();
    let mut texts = Map::new();
    for key in labels
        .keys()
        .filter(|k| KINDS.iter().any(|p| k.starts_with(p)))
    {
        texts.insert(key.to_string(), Value::from(labels.get(key, lang)));
    }
    // An edited scenario's titles are marked in their own language, whatever the page's.
    for (code, l) in [("id", Lang::Id), ("en", Lang::En)] {
        texts.insert(
            format!("page.edited.in_{code}"),
            Value::from(labels.get("page.edited", l)),
        );
    }
    // Inside <script>: no `<` can close it or open a comment.
    let json = Value::Object(texts).to_string().replace('<', "\\u003c");
    HTML.replace("{{lang}}", lang.code())
        .replace("{{title}}", &escape(&labels.get("page.title", lang)))
        .replace("/*{{style}}*/", STYLE)
        .replace("{{labels}}", &json)
        .replace("/*{{script}}*/", SCRIPT)
}

/// Text for HTML: the five characters that could change its meaning, escaped.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}
