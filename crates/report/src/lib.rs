//! wfhsim-report — what a reader sees of a run: every label in Indonesian and English
//! ([`labels`]), the charts ([`plot`]), one exporter per output format turning a run into
//! files in memory ([`export`]: tables, charts, the briefing page and workbook, sweep
//! tables), the comparison of two finished runs ([`compare`]) and the atomic run folder
//! writer ([`runfolder`]).
//!
//! It depends on `wfhsim-core` and never the other way round; it never prints, exits or
//! parses a command line (that is the `wfhsim` binary).

pub mod compare;
pub mod evaluation;
pub mod export;
pub mod labels;
pub mod plot;
pub mod runfolder;
pub mod series;
pub mod view;
