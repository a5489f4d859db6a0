//! A `wfhsim serve` under test, and a small HTTP/1.1 client for it (std only, so any test
//! binary can include this module: `#[path = "../server/mod.rs"] mod server;`).
//!
//! [`Server::start`] runs the binary on a free loopback port (`--bind 127.0.0.1:0`), reads
//! the port from its `Listening on` line and returns once `GET /api/info` answers; its log
//! lines are kept for [`Server::wait_line`]; dropping it stops the process. Each request is
//! a connection of its own (`Connection: close`); [`Events`] reads a server-sent event
//! stream as it comes, and dropping it closes the connection, as a page that aborts does.
//! [`request`] and [`send`] speak to any HTTP/1.1 server by its address (the outside
//! suite's WebDriver client uses them).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long a test waits for the server before it fails (never a pause: a deadline).
pub const PATIENCE: Duration = Duration::from_secs(180);

/// A running `wfhsim serve`.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// The lines it printed before it listened (what it loaded and built).
    pub start_lines: Vec<String>,
    /// In a lock so that threads can share the server (a load test's clients).
    lines: Mutex<Receiver<String>>,
    /// Lines read but not yet asked for, in order.
    unseen: Mutex<Vec<String>>,
}

impl Server {
    /// `wfhsim serve --bind 127.0.0.1:0 ARGS`, answering.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wfhsim"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("wfhsim serve starts");
        let stdout = child.stdout.take().expect("its output is piped");
        let (tx, lines) = channel();
        // Read on, so the server never blocks on a full pipe; the test reads the channel.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut start_lines = Vec::new();
        let addr = loop {
            let line = lines
                .recv_timeout(PATIENCE)
                .expect("wfhsim serve prints its address");
            if let Some(rest) = line.strip_prefix("Listening on http://") {
                let addr = rest.split_whitespace().next().unwrap_or("");
                break addr.parse().expect("an address and port");
            }
            start_lines.push(line);
        };
        let server = Server {
            child,
            addr,
            start_lines,
            lines: Mutex::new(lines),
            unseen: Mutex::new(Vec::new()),
        };
        assert_eq!(server.get("/api/info").status, 200, "the server answers");
        server
    }

    /// The server's process id (to read its memory from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], None)
    }

    /// `POST path` with a scenario's TOML.
    pub fn post_toml(&self, path: &str, toml: &str) -> Reply {
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/toml")],
            Some(toml.as_bytes()),
        )
    }

    /// Any request: its method, path, extra headers and body (sent with its length).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Reply {
        request(self.addr, method, path, headers, body)
    }

    /// Sends a request and returns the connection, its response unread.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> BufReader<TcpStream> {
        send(self.addr, method, path, headers, body)
    }

    /// `POST path` with a scenario's TOML, read as a server-sent event stream. Fails unless
    /// the answer is 200 `text/event-stream`.
    pub fn stream(&self, path: &str, toml: &str) -> Events {
        let mut s = self.send(
            "POST",
            path,
            &[("Content-Type", "application/toml")],
            Some(toml.as_bytes()),
        );
        let (status, headers) = read_head(&mut s);
        assert_eq!(status, 200, "{path}");
        assert_eq!(header(&headers, "content-type"), Some("text/event-stream"));
        Events {
            body: BufReader::new(body_reader(s, &headers)),
        }
    }

    /// The first log line not yet returned that `pred` accepts, printed already or
    /// waited for; fails after [`PATIENCE`].
    pub fn wait_line(&self, pred: impl Fn(&str) -> bool) -> String {
        let mut unseen = self.unseen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = unseen.iter().position(|l| pred(l)) {
            return unseen.remove(i);
        }
        let until = Instant::now() + PATIENCE;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let got = self
                .lines
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .recv_timeout(left);
            match got {
                Ok(line) if pred(&line) => return line,
                Ok(line) => unseen.push(line),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no such log line in {PATIENCE:?}; it printed {unseen:#?}")
                }
                Err(RecvTimeoutError::Disconnected) => panic!("the server stopped: {unseen:#?}"),
            }
        }
    }

    /// Asks `GET /api/info` until its queue is (running, waiting); fails after
    /// [`PATIENCE`].
    pub fn wait_queue(&self, running: u64, waiting: u64) {
        let until = Instant::now() + PATIENCE;
        while self.queue() != (running, waiting) {
            assert!(Instant::now() < until, "the queue is {:?}", self.queue());
        }
    }

    /// `GET /api/info`'s queue: jobs running and waiting.
    pub fn queue(&self) -> (u64, u64) {
        let info = self.get("/api/info").json();
        let q = &info["queue"];
        (
            q["running"].as_u64().expect("running"),
            q["waiting"].as_u64().expect("waiting"),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // This test's own child, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Any request to the HTTP/1.1 server at `addr` (this one's, or another a test talks to,
/// such as a WebDriver): its method, path, extra headers and body (sent with its length).
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Reply {
    let mut s = send(addr, method, path, headers, body);
    let (status, headers) = read_head(&mut s);
    let mut body = Vec::new();
    body_reader(s, &headers)
        .read_to_end(&mut body)
        .expect("the body reads");
    Reply {
        status,
        headers,
        body,
    }
}

/// Sends a request to `addr` and returns the connection, its response unread.
pub fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).expect("the server accepts");
    s.set_read_timeout(Some(PATIENCE)).expect("a timeout");
    // The server's own address as Host, unless the caller names one.
    let own_host = !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host"));
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if own_host {
        head += &format!("Host: {addr}\r\n");
    }
    for (k, v) in headers {
        head += &format!("{k}: {v}\r\n");
    }
    if let Some(b) = body {
        head += &format!("Content-Length: {}\r\n", b.len());
    }
    head += "\r\n";
    s.write_all(head.as_bytes()).expect("the request is sent");
    if let Some(b) = body {
        s.write_all(b).expect("the body is sent");
    }
    BufReader::new(s)
}

/// A whole response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(500)])
            )
        })
    }

    /// The `error` text of a JSON error, after checking the status.
    pub fn error(&self, status: u16) -> String {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(
            header(&self.headers, "content-type"),
            Some("application/json")
        );
        self.json()["error"]
            .as_str()
            .expect("an error text")
            .to_string()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The status line and headers.
fn read_head(s: &mut BufReader<TcpStream>) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    s.read_line(&mut line).expect("a status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP status line: {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        s.read_line(&mut line).expect("a header line");
        let l = line.trim_end();
        if l.is_empty() {
            return (status, headers);
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
}

/// The body as it is framed: chunked, of a length, or to the end of the connection.
fn body_reader(s: BufReader<TcpStream>, headers: &[(String, String)]) -> Box<dyn Read + Send> {
    if header(headers, "transfer-encoding") == Some("chunked") {
        return Box::new(Chunked {
            s,
            left: 0,
            end: false,
        });
    }
    match header(headers, "content-length").and_then(|n| n.parse::<u64>().ok()) {
        Some(n) => Box::new(s.take(n)),
        None => Box::new(s),
    }
}

/// A chunked body's data (RFC 9112 §7.1).
struct Chunked {
    s: BufReader<TcpStream>,
    left: usize,
    end: bool,
}

impl Read for Chunked {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.end {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            self.s.read_line(&mut line)?;
            let size = line.trim().split(';').next().unwrap_or("");
            self.left = usize::from_str_radix(size, 16).map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, format!("chunk {line:?}"))
            })?;
            if self.left == 0 {
                self.end = true;
                return Ok(0);
            }
        }
        let n = buf.len().min(self.left);
        let got = self.s.read(&mut buf[..n])?;
        self.left -= got;
        if self.left == 0 {
            let mut crlf = [0u8; 2];
            self.s.read_exact(&mut crlf)?;
        }
        Ok(got)
    }
}

/// A server-sent event stream, read event by event.
pub struct Events {
    body: BufReader<Box<dyn Read + Send>>,
}

/// One event: its name and its data (one line of JSON here).
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: String,
}

impl Event {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data).expect("an event's data is JSON")
    }
}

impl Iterator for Events {
    type Item = Event;

    /// The next event, or `None` at the end of the stream.
    fn next(&mut self) -> Option<Event> {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            if self.body.read_line(&mut line).expect("the stream reads") == 0 {
                return None;
            }
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if !name.is_empty() || !data.is_empty() {
                    return Some(Event { name, data });
                }
            } else if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_string();
            }
        }
    }
}

impl Events {
    /// Reads events until one named `name`, and returns it with those before it.
    pub fn until(&mut self, name: &str) -> (Vec<Event>, Event) {
        let mut before = Vec::new();
        for e in self.by_ref() {
            if e.name == name {
                return (before, e);
            }
            before.push(e);
        }
        panic!("the stream ended before a '{name}' event; it had {before:?}");
    }
}
