//! A job's events as a server-sent event stream (`text/event-stream`): `queued`, `start`,
//! `progress`, `answer` (a full answer), `done` or `error`, each one `event:` line and one
//! `data:` line of JSON. The body holds the client's [`Handle`]: when the client leaves,
//! the connection drops the body, and with it the handle, which stops the job. The
//! request's log line is written when the body ends.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::Frame;
use serde_json::json;

use super::jobs::{Event, Handle};
use super::log::RequestLog;

/// The streamed body of `/api/run/stream`.
pub struct EventBody {
    handle: Handle,
    log: RequestLog,
    /// Replicates of the last answer sent.
    answered: Option<u32>,
    finished: bool,
}

impl EventBody {
    pub fn new(handle: Handle, log: RequestLog) -> EventBody {
        EventBody {
            handle,
            log,
            answered: None,
            finished: false,
        }
    }

    /// The event's text, and what it changes in the log line.
    fn frame(&mut self, e: Event) -> String {
        let (name, data) = match e {
            Event::Queued { ahead } => ("queued", json!({ "ahead": ahead }).to_string()),
            Event::Started { stages } => ("start", json!({ "stages": stages }).to_string()),
            Event::Progress { replicates, done } => (
                "progress",
                json!({ "replicates": replicates, "done": done }).to_string(),
            ),
            Event::Answer { replicates, json } => {
                self.answered = Some(replicates);
                ("answer", json)
            }
            // A stream never asks for a briefing file (`/api/briefing` answers whole).
            Event::File { name, .. } => ("file", json!({ "name": name }).to_string()),
            Event::Failed(e) => {
                self.finished = true;
                self.log.note = Some(format!("error {}: {}", e.status.as_u16(), e.message));
                ("error", serde_json::to_string(&e).unwrap_or_default())
            }
            Event::Done { seconds } => {
                self.finished = true;
                ("done", json!({ "seconds": seconds }).to_string())
            }
        };
        format!("event: {name}\ndata: {data}\n\n")
    }
}

impl http_body::Body for EventBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.handle.events.poll_recv(cx) {
            Poll::Ready(Some(e)) => {
                let text = self.frame(e);
                Poll::Ready(Some(Ok(Frame::data(Bytes::from(text)))))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for EventBody {
    fn drop(&mut self) {
        if !self.finished {
            let answered = self.answered.map_or("before any answer".to_string(), |k| {
                format!("after the {k}-replicate answer")
            });
            self.log.note = Some(format!(
                "the client closed the stream {answered}; its job was stopped"
            ));
        }
    }
}
