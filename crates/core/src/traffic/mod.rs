//! Roads and air: what a WFH order does to all road traffic, its speed and DKI's emission
//! inventory, and whether a traffic count could see it (docs/method.md §6).
//!
//! After the engine, per replicate: the all-traffic baseline per (region, vehicle class,
//! period) is built from the gasoline sold and the model's own commuters ([`step`]); commuters'
//! vehicle-km are put on the regions their trips cross ([`assign`]); per (day, region,
//! period) the change in passenger-car units moves the speed with a city-wide elasticity
//! and draws induced traffic back ([`congestion`]); the remaining traffic's saving at the
//! new speed is the congestion component and what the induced traffic adds the induced
//! component, with speed-dependent EMEP/EEA factors ([`emission`]). The inputs
//! of one replicate are drawn in [`draw`]; one working day's part of the step is `day`.
//! The replicates are reduced in [`reduce`] (the summary rows' window totals in
//! `totals`, DKI's congestion level rows in `level`); the detectability of the change
//! in DKI's daily counts is [`detect`]; the baseline against observations made before
//! the 2023 orders is [`calibration`].
//!
//! Must not import polars, plotters, clap or the filesystem.

pub mod assign;
pub mod calibration;
pub mod congestion;
mod day;
pub mod detect;
pub mod draw;
pub mod emission;
mod level;
pub mod measures;
pub mod reduce;
pub mod step;
mod totals;

pub use draw::{NK, PERIODS, RoadDraw};
pub use step::{RoadContext, RoadSums};
