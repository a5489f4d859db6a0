//! A small WebDriver client (W3C WebDriver, over the test server's HTTP client): it starts
//! Debian's `chromedriver` on a free loopback port, opens a session of headless Chromium
//! (1280×1800) and drives a page as a reader would — open it, find elements by CSS, clear
//! and type into fields, read attributes, properties and text, run a script, take a
//! screenshot. Dropping the [`Browser`] ends the session (closing Chromium) and stops
//! chromedriver.
//!
//! chromedriver is required, not optional: `.ci/run` installs it (`apt-get install -y
//! chromium chromium-driver`); without it the tests that use it fail and say so.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::server;

/// The keys WebDriver sends as Enter and Control (W3C WebDriver, "Keyboard actions"); in
/// the text of [`Element::send_keys`], Control stays down until it is sent again.
pub const ENTER: char = '\u{E007}';
pub const CONTROL: char = '\u{E009}';

/// How long chromedriver may take to answer `/status` as ready.
const READY: Duration = Duration::from_secs(30);

/// The property name of an element reference in W3C WebDriver.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver on the PATH, or Debian's where `apt-get install chromium-driver` puts it.
fn chromedriver() -> String {
    for c in ["chromedriver", "/usr/bin/chromedriver"] {
        let ok = Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return c.to_string();
        }
    }
    panic!(
        "the page tests need chromedriver to drive Chromium (WebDriver): install it with \
         `apt-get install -y chromium chromium-driver` (Debian; .ci/run does)"
    );
}

/// A running chromedriver; dropping it stops the process.
struct Driver {
    child: Child,
    addr: SocketAddr,
}

impl Driver {
    /// `chromedriver --port=PORT` on a free loopback port, once `/status` says it is ready.
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("chromedriver starts");
        let mut driver = Driver {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let until = Instant::now() + READY;
        while !driver.ready() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver stopped before it was ready: {status}");
            }
            assert!(
                Instant::now() < until,
                "chromedriver was not ready in {READY:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    /// `GET /status` answers `ready: true`.
    fn ready(&self) -> bool {
        TcpStream::connect(self.addr).is_ok()
            && server::request(self.addr, "GET", "/status", &[], None).json()["value"]["ready"]
                == true
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // This test's own child, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebDriver session of headless Chromium.
pub struct Browser {
    session: String,
    // Dropped after the session is deleted (fields drop in order after `Drop::drop`).
    driver: Driver,
}

impl Browser {
    /// chromedriver and a new session: headless Chromium, 1280×1800, no sandbox (CI runs
    /// as root), no GPU, no scroll bars in the screenshots.
    pub fn start() -> Browser {
        let driver = Driver::start();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1280,1800",
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"args": args},
        }}});
        let reply = command(driver.addr, "POST", "/session", Some(&caps)).unwrap_or_else(|e| {
            panic!(
                "chromedriver could not start Chromium ({e}); install it with \
                 `apt-get install -y chromium chromium-driver` (Debian; .ci/run does)"
            )
        });
        let session = reply["sessionId"]
            .as_str()
            .expect("a new session has an id")
            .to_string();
        Browser { session, driver }
    }

    /// A command of this session (`path` after `/session/ID`); fails on a WebDriver error.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    fn try_call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let path = format!("/session/{}{path}", self.session);
        command(self.driver.addr, method, &path, body)
    }

    /// Opens `url` and returns once it has loaded (the document's `load`).
    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(&json!({ "url": url })));
    }

    /// The first element `css` selects; fails if there is none.
    pub fn find(&self, css: &str) -> Element<'_> {
        self.try_find(css)
            .unwrap_or_else(|| panic!("no element on the page matches {css}"))
    }

    /// The first element `css` selects, if any.
    pub fn try_find(&self, css: &str) -> Option<Element<'_>> {
        let by = json!({"using": "css selector", "value": css});
        match self.try_call("POST", "/element", Some(&by)) {
            Ok(v) => Some(Element {
                browser: self,
                id: v[ELEMENT].as_str().expect("an element reference").into(),
            }),
            Err(e) if e.starts_with("no such element") => None,
            Err(e) => panic!("WebDriver find {css}: {e}"),
        }
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its value.
    pub fn execute(&self, script: &str, args: &[Value]) -> Value {
        let body = json!({"script": script, "args": args});
        self.call("POST", "/execute/sync", Some(&body))
    }

    /// The visible part of the page as a PNG file's bytes.
    pub fn screenshot(&self) -> Vec<u8> {
        let text = self.call("GET", "/screenshot", None);
        base64(text.as_str().expect("a screenshot is base64 text"))
    }

    /// Asks `probe` until it returns `Ok`, and returns that; fails after `patience` with
    /// the last `Err` (what it saw instead) and `what` it waited for.
    pub fn wait_for<T>(
        &self,
        what: &str,
        patience: Duration,
        probe: impl FnMut(&Browser) -> Result<T, String>,
    ) -> T {
        self.poll(what, patience, probe)
            .unwrap_or_else(|message| panic!("{message}"))
    }

    /// [`Browser::wait_for`], its failure returned as the message.
    fn poll<T>(
        &self,
        what: &str,
        patience: Duration,
        mut probe: impl FnMut(&Browser) -> Result<T, String>,
    ) -> Result<T, String> {
        let until = Instant::now() + patience;
        loop {
            match probe(self) {
                Ok(t) => return Ok(t),
                Err(seen) if Instant::now() >= until => {
                    return Err(format!(
                        "waited {patience:?} for {what}; the page shows {seen}"
                    ));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }
}

impl Drop for Browser {
    /// Ends the session, which closes Chromium (killing chromedriver alone would leave it
    /// running). Written out rather than through the client, whose failures panic: this
    /// also runs while a failed test unwinds, where a second panic would abort.
    fn drop(&mut self) {
        let Ok(mut s) = TcpStream::connect(self.driver.addr) else {
            return;
        };
        let _ = s.set_read_timeout(Some(READY));
        let head = format!(
            "DELETE /session/{} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.session, self.driver.addr
        );
        // The answer comes once the session has ended (chromedriver keeps the connection
        // open after it: its first bytes are enough).
        if s.write_all(head.as_bytes()).is_ok() {
            let _ = s.read(&mut [0u8; 256]);
        }
    }
}

/// An element of the page.
pub struct Element<'a> {
    browser: &'a Browser,
    id: String,
}

impl Element<'_> {
    fn call(&self, method: &str, what: &str, body: Option<&Value>) -> Value {
        let path = format!("/element/{}{what}", self.id);
        self.browser.call(method, &path, body)
    }

    /// Empties a field (WebDriver focuses it, clears it and leaves it).
    pub fn clear(&self) {
        self.call("POST", "/clear", Some(&json!({})));
    }

    /// Types `text` into it, as keys (`ENTER` and the like included).
    pub fn send_keys(&self, text: &str) {
        self.call("POST", "/value", Some(&json!({ "text": text })));
    }

    /// Its attribute `name` as the markup has it (`None` if absent).
    pub fn attribute(&self, name: &str) -> Option<String> {
        let v = self.call("GET", &format!("/attribute/{name}"), None);
        v.as_str().map(str::to_string)
    }

    /// Its DOM property `name` (a field's current `value`, say).
    pub fn property(&self, name: &str) -> Value {
        self.call("GET", &format!("/property/{name}"), None)
    }

    /// Its text as rendered (hidden parts left out).
    pub fn text(&self) -> String {
        let v = self.call("GET", "/text", None);
        v.as_str().expect("an element's text").to_string()
    }

    /// Whether a reader can see it.
    pub fn displayed(&self) -> bool {
        let v = self.call("GET", "/displayed", None);
        v.as_bool().expect("displayed is true or false")
    }
}

/// One WebDriver command: its answer's `value`, or the error's name and message.
fn command(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<Value, String> {
    let body = body.map(|b| b.to_string());
    let headers: &[(&str, &str)] = match body {
        Some(_) => &[("Content-Type", "application/json; charset=utf-8")],
        None => &[],
    };
    let reply = server::request(
        addr,
        method,
        path,
        headers,
        body.as_deref().map(str::as_bytes),
    );
    let mut answer = reply.json();
    let value = answer["value"].take();
    if reply.status == 200 {
        return Ok(value);
    }
    Err(format!(
        "{}: {}",
        value["error"].as_str().unwrap_or("an error"),
        value["message"].as_str().unwrap_or("")
    ))
}

/// Standard base64 (RFC 4648 §4, padded), as WebDriver sends a screenshot.
fn base64(text: &str) -> Vec<u8> {
    let sextet = |c: u8| -> u32 {
        (match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("{:?} is not a base64 character", c as char),
        }) as u32
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
    {
        acc = (acc << 6) | sextet(c);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes_the_rfcs_test_vectors() {
    // RFC 4648 §10.
    for (text, bytes) in [
        ("", ""),
        ("Zg==", "f"),
        ("Zm8=", "fo"),
        ("Zm9v", "foo"),
        ("Zm9vYg==", "foob"),
        ("Zm9vYmE=", "fooba"),
        ("Zm9vYmFy", "foobar"),
    ] {
        assert_eq!(base64(text), bytes.as_bytes(), "{text}");
    }
    assert_eq!(base64("+/8="), [0xfb, 0xff]);
}

/// A page of a field, a text area and a script that counts the field's events.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>client</title></head>
<body style="font: 24px sans-serif; margin: 40px">
<h1 id="title">WebDriver &amp; Chromium</h1>
<input id="share" type="number" value="50">
<p id="log" data-input="0" data-change="0" style="background: #223; color: #fff; height: 200px">events</p>
<p id="hidden" hidden>not shown</p>
<textarea id="toml">a = 1
b = "x"</textarea>
<script>
const share = document.getElementById('share'), log = document.getElementById('log');
for (const kind of ['input', 'change']) {
  share.addEventListener(kind, () => {
    log.dataset[kind] = Number(log.dataset[kind]) + 1;
    log.dataset.last = kind + ' ' + share.value;
  });
}
setTimeout(() => { log.dataset.late = 'yes'; }, 300);
</script>
</body></html>
"#;

#[test]
fn the_client_drives_a_page_in_headless_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("page.html");
    std::fs::write(&page, PAGE).unwrap();
    let b = Browser::start();
    b.goto(&format!("file://{}", page.display()));
    assert_eq!(b.execute("return document.documentElement.lang", &[]), "en");
    assert_eq!(
        b.execute("return arguments[0] * arguments[1]", &[json!(6), json!(7)]),
        42
    );

    // Text as rendered (the entity decoded), attributes as written, what a reader sees.
    assert_eq!(b.find("h1#title").text(), "WebDriver & Chromium");
    assert!(b.find("#title").displayed());
    assert!(!b.find("#hidden").displayed());
    assert!(b.try_find("#absent").is_none());
    assert_eq!(b.find("#toml").property("value"), "a = 1\nb = \"x\"");

    // Clearing leaves the emptied field (a `change`); each key typed is an `input`; Enter
    // commits the value (a `change`). The attribute keeps the markup's value.
    let (share, log) = (b.find("#share"), b.find("#log"));
    let events = || ["input", "change", "last"].map(|k| log.attribute(&format!("data-{k}")));
    share.clear();
    assert_eq!(
        events(),
        [Some("0".into()), Some("1".into()), Some("change ".into())]
    );
    share.send_keys(&format!("30{ENTER}"));
    assert_eq!(
        events(),
        [Some("2".into()), Some("2".into()), Some("change 30".into())]
    );
    assert_eq!(share.property("value"), "30");
    assert_eq!(share.attribute("value").as_deref(), Some("50"));
    // Typing over a selection, as a reader does, leaves no empty field between.
    share.send_keys(&format!("{CONTROL}a{CONTROL}45{ENTER}"));
    assert_eq!(
        events(),
        [Some("4".into()), Some("3".into()), Some("change 45".into())]
    );
    assert_eq!(share.attribute("data-absent"), None);

    // Waiting is a deadline: what the page does later is seen when it happens, and a wait
    // that cannot end says what it saw.
    let late = |b: &Browser| match b.find("#log").attribute("data-late") {
        Some(v) => Ok(v),
        None => Err("no data-late yet".to_string()),
    };
    assert_eq!(
        b.wait_for("data-late", Duration::from_secs(10), late),
        "yes"
    );
    let never = b.poll("never", Duration::from_millis(300), |_| {
        Err::<(), _>("nothing".to_string())
    });
    assert_eq!(
        never.unwrap_err(),
        "waited 300ms for never; the page shows nothing"
    );

    // The screenshot: a PNG of the window's width, not blank.
    let shot = image::load_from_memory(&b.screenshot()).unwrap().to_luma8();
    assert_eq!(shot.width(), 1280);
    crate::briefing::assert_not_blank(&shot, "the client's page");
}
