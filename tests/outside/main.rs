//! The outside suite: the checks that need programs from outside Rust, each a real
//! component a user would use — the briefing page in a real browser (Chromium), the page
//! of `wfhsim serve` driven in that browser over WebDriver (chromedriver), the workbook
//! read back by Python's openpyxl and pandas, and a sharded sweep on a real Slurm cluster.
//! It is not part of `cargo test`; run it by name after installing them:
//!
//! ```sh
//! cargo test --release --test outside
//! ```
//!
//! `.ci/run` installs Chromium with chromium-driver, python3-openpyxl, python3-pandas (and
//! Slurm with munge, through the smoke script) and runs it. A missing program fails its
//! test with a message that says how to install it: nothing here skips.

#[path = "../server/mod.rs"]
mod server;

mod briefing;
mod evaluation;
mod serve_page;
mod slurm;
mod webdriver;
mod workbook;
