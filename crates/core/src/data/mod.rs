//! The regional dataset: regions, employers, roles, modes, calendar and the provenance
//! table of every number, the typed inputs read from that table once at load, and what is
//! derived from them (workers, jobs, distances, the fitted commuter matrix, jobs per
//! employer).
//!
//! The built-in dataset lives in `scenarios/data/` and is compiled into the binary; a
//! folder with the same files replaces it. This module reads text and returns typed
//! tables: it never touches scenarios, the population or the engine.

mod about;
pub mod calendar;
pub mod csv;
mod derive;
mod export;
pub mod gravity;
pub mod inputs;
mod jobs;
pub mod observed;
pub mod params;
pub mod pools;

use std::path::Path;

use crate::calendar::{Date, DayFlags, DayKind};
use crate::files;
pub use about::About;
pub use calendar::{CalendarEntry, DayIndex, OutsideCalendar};
use csv::Table;
pub use export::export;
pub use gravity::GravityFit;
pub use inputs::{Inputs, MissingRow, Uncertain};
pub use params::{Kind, Param, Params};

/// Pollutants tracked, in column order. Units: grams per vehicle-km (road) or per
/// passenger-km (rail) in the dataset; kilograms in outputs. `pm25` and `pm10` are exhaust
/// PM only; `pm25_total` and `pm10_total` add the non-exhaust PM (tyre, brake and road
/// surface wear) of road vehicles to them ([`total_of`]).
pub const POLLUTANTS: [&str; 9] = [
    "co2",
    "pm25",
    "pm10",
    "pm25_total",
    "pm10_total",
    "nox",
    "co",
    "hc",
    "so2",
];

/// The particle sizes non-exhaust PM is given for, in the order of [`total_of`]'s size index.
pub const WEAR_SIZES: [&str; 2] = ["pm25", "pm10"];

/// The sources of non-exhaust PM (EMEP/EEA 1.A.3.b.vi tyre and brake wear, 1.A.3.b.vii road
/// surface wear), as named in the dataset's `nonexhaust.<class>.<source>.<size>` rows.
pub const WEAR_SOURCES: [&str; 3] = ["tyre", "brake", "road"];

/// For a pollutant that is exhaust plus non-exhaust PM (`pm25_total`, `pm10_total`): its
/// exhaust pollutant (an index into [`POLLUTANTS`]) and its size (an index into
/// [`WEAR_SIZES`]). `None` for every pollutant with its own emission factors.
pub const fn total_of(p: usize) -> Option<(usize, usize)> {
    match p {
        3 => Some((1, 0)),
        4 => Some((2, 1)),
        _ => None,
    }
}

/// The pollutants with their own emission-factor rows (every one but the totals), as
/// indices into [`POLLUTANTS`], in order.
pub fn emitted() -> impl Iterator<Item = usize> {
    (0..POLLUTANTS.len()).filter(|&p| total_of(p).is_none())
}

/// Origin–destination classes that mode shares depend on.
pub const OD_CLASSES: [&str; 4] = ["local", "within_dki", "into_dki", "other_cross"];

/// Files of a dataset folder, in hashing order.
pub const FILES: [&str; 17] = [
    "about.csv",
    "regions.csv",
    "employers.csv",
    "roles.csv",
    "modes.csv",
    "calendar.csv",
    "parameters/population.csv",
    "parameters/geography.csv",
    "parameters/commuting.csv",
    "parameters/headcounts.csv",
    "parameters/role_mix.csv",
    "parameters/travel.csv",
    "parameters/emissions.csv",
    "parameters/rebound.csv",
    "parameters/traffic.csv",
    "parameters/speed_emissions.csv",
    "parameters/calibration.csv",
];

const BUILTIN: [&str; 17] = [
    include_str!("../../../../scenarios/data/about.csv"),
    include_str!("../../../../scenarios/data/regions.csv"),
    include_str!("../../../../scenarios/data/employers.csv"),
    include_str!("../../../../scenarios/data/roles.csv"),
    include_str!("../../../../scenarios/data/modes.csv"),
    include_str!("../../../../scenarios/data/calendar.csv"),
    include_str!("../../../../scenarios/data/parameters/population.csv"),
    include_str!("../../../../scenarios/data/parameters/geography.csv"),
    include_str!("../../../../scenarios/data/parameters/commuting.csv"),
    include_str!("../../../../scenarios/data/parameters/headcounts.csv"),
    include_str!("../../../../scenarios/data/parameters/role_mix.csv"),
    include_str!("../../../../scenarios/data/parameters/travel.csv"),
    include_str!("../../../../scenarios/data/parameters/emissions.csv"),
    include_str!("../../../../scenarios/data/parameters/rebound.csv"),
    include_str!("../../../../scenarios/data/parameters/traffic.csv"),
    include_str!("../../../../scenarios/data/parameters/speed_emissions.csv"),
    include_str!("../../../../scenarios/data/parameters/calibration.csv"),
];

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{file}:{line}: {message}")]
    Malformed {
        file: String,
        line: usize,
        message: String,
    },
    #[error(
        "{file}:{line}: missing column '{column}' (the header must have {required}; it has {found})"
    )]
    MissingColumn {
        file: String,
        line: usize,
        column: String,
        required: String,
        found: String,
    },
    #[error("{file}:{line}: column '{column}': {message}")]
    BadValue {
        file: String,
        line: usize,
        column: String,
        message: String,
    },
    /// `file` is where rows of the same group live (`parameters/emissions.csv: `), if any.
    #[error("{file}the dataset has no parameter '{key}'; add a row for it")]
    MissingParameter { key: String, file: String },
    /// Every required row the dataset lacks, found when its typed inputs are read.
    #[error("{}", inputs::describe_missing(.rows))]
    MissingParameters { rows: Vec<MissingRow> },
    /// An accounting input asked of typed inputs that were built without it.
    #[error("{what} is not among the loaded inputs")]
    NotLoaded { what: String },
    #[error(
        "parameter '{key}' cannot be overridden by a scenario: only the accounting inputs can ({})",
        .groups.iter().map(|g| format!("{g}.*")).collect::<Vec<_>>().join(", ")
    )]
    NotOverridable { key: String, groups: Vec<String> },
    #[error(
        "parameter '{key}': value {value} (low {low}, high {high}) must be between {min} and {max}, with low <= value <= high"
    )]
    OverrideOutOfBounds {
        key: String,
        value: f64,
        low: f64,
        high: f64,
        min: f64,
        max: f64,
    },
    /// A value that breaks a rule across rows; `at` is `file` or `file:line`.
    #[error("{at}: {message}")]
    Invalid { at: String, message: String },
    /// The folder is named by the caller's context and the OS error by the source, so
    /// that each is printed once.
    #[error("cannot read {file}")]
    Io {
        dir: String,
        file: String,
        source: crate::files::ReadError,
    },
    #[error("inconsistent dataset: {0}")]
    Inconsistent(String),
    /// `--pool` names a definition the dataset does not have ([`pools`]).
    #[error("--pool {name}: the dataset has no such definition; it has {known}")]
    UnknownPool { name: String, known: String },
}

#[derive(Debug, Clone)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub province: String,
    pub is_dki: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmployerKind {
    Central,
    Provincial,
    Local,
    Enterprise,
    Private,
    Informal,
}

#[derive(Debug, Clone)]
pub struct Employer {
    pub code: String,
    pub name: String,
    pub kind: EmployerKind,
    /// Which `role_share.<mix>.*` parameters give its role mix.
    pub role_mix: String,
    /// Regions its offices are in (empty: everywhere).
    pub work_regions: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub code: String,
    pub name: String,
    /// Work-unit family: roles of one family share units (e.g. office staff).
    pub family: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeKind {
    /// Own car or motorcycle: a commuter at home removes vehicle-km.
    Private,
    /// Ride-hailing: removes the trip and the driver's empty return.
    RideHail,
    /// Bus, minibus: runs anyway; marginal accounting saves nothing.
    RoadTransit,
    /// Electric rail: runs anyway; factors are per passenger-km.
    Rail,
    /// Walking and cycling.
    Active,
}

#[derive(Debug, Clone)]
pub struct Mode {
    pub code: String,
    pub name: String,
    pub kind: ModeKind,
    /// The road vehicle it puts on the road; `None` for rail and active modes.
    pub vehicle: Option<VehicleClass>,
}

/// Classes of road vehicle that all-traffic baselines, speeds and speed-dependent emission
/// curves are given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum VehicleClass {
    Motorcycle,
    Car,
    Bus,
    Truck,
}

impl VehicleClass {
    pub const ALL: [VehicleClass; 4] = [
        VehicleClass::Motorcycle,
        VehicleClass::Car,
        VehicleClass::Bus,
        VehicleClass::Truck,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VehicleClass::Motorcycle => "motorcycle",
            VehicleClass::Car => "car",
            VehicleClass::Bus => "bus",
            VehicleClass::Truck => "truck",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The loaded and derived dataset.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The study area's name and the source note (`about.csv`).
    pub about: About,
    pub regions: Vec<Region>,
    pub employers: Vec<Employer>,
    pub roles: Vec<Role>,
    pub modes: Vec<Mode>,
    /// `calendar.csv`'s rows in file order.
    pub calendar: Vec<CalendarEntry>,
    /// The calendar's flags of every covered day ([`Dataset::day_flags`]).
    pub calendar_days: DayIndex,
    /// The provenance table: every number with its unit, source and row.
    pub params: Params,
    /// The same numbers, typed and checked once.
    pub inputs: Inputs,
    /// Employed persons by home region.
    pub workers_by_home: Vec<f64>,
    /// Jobs by work region (same total as workers).
    pub jobs_by_work: Vec<f64>,
    /// Row-major regions×regions one-way trip distance, km.
    pub distance_km: Vec<f64>,
    pub gravity: GravityFit,
    /// Row-major work region × employer: jobs.
    pub jobs: Vec<f64>,
    /// Row-major employer × role: shares summing to 1 per employer.
    pub role_share: Vec<f64>,
    /// Row-major OD class × mode: shares summing to 1 per class.
    pub mode_share: Vec<f64>,
    /// Mean work-unit size per role (from the role's family).
    pub unit_size_mean: Vec<f64>,
    /// (file name, text) of every input file, for hashing and export.
    pub files: Vec<(String, String)>,
}

impl Dataset {
    /// The dataset compiled into the binary.
    pub fn builtin() -> Result<Dataset, DataError> {
        let files = FILES
            .iter()
            .zip(BUILTIN)
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        Dataset::from_files(files)
    }

    /// A dataset folder with the same files as `scenarios/data/`, each a regular file of
    /// at most [`files::DATASET_FILE`] bytes.
    pub fn from_dir(dir: &Path) -> Result<Dataset, DataError> {
        let files = FILES
            .iter()
            .map(|f| {
                files::read(&dir.join(f), files::DATASET_FILE)
                    .map(|b| (f.to_string(), b))
                    .map_err(|source| DataError::Io {
                        dir: dir.display().to_string(),
                        file: f.to_string(),
                        source,
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Dataset::from_bytes(files)
    }

    /// The files of a dataset folder as read from disk, (name, bytes) for every one of
    /// [`FILES`]: what `from_dir` loads once it has read them, and what the fuzz target
    /// feeds. A file that is not UTF-8 is refused at its first bad byte.
    pub fn from_bytes(files: Vec<(String, Vec<u8>)>) -> Result<Dataset, DataError> {
        let files = files
            .into_iter()
            .map(|(name, bytes)| csv::decode(&name, bytes).map(|text| (name, text)))
            .collect::<Result<Vec<_>, _>>()?;
        Dataset::from_files(files)
    }

    fn from_files(files: Vec<(String, String)>) -> Result<Dataset, DataError> {
        let table = |name: &str| -> Result<Table, DataError> {
            let (_, text) = files
                .iter()
                .find(|(n, _)| n == name)
                .ok_or_else(|| DataError::Inconsistent(format!("{name} is missing")))?;
            Table::parse(name, text)
        };
        let about = about::read(&table("about.csv")?)?;
        let regions = derive::regions(&table("regions.csv")?)?;
        let roles = derive::roles(&table("roles.csv")?)?;
        let modes = derive::modes(&table("modes.csv")?)?;
        let employers = derive::employers(&table("employers.csv")?, &regions)?;
        let calendar = calendar::read(&table("calendar.csv")?)?;
        let calendar_days = DayIndex::new(&calendar);
        derive::check_sizes(&regions, &employers, &roles, &modes)?;
        let mut params = Params::default();
        for f in FILES.iter().filter(|f| f.starts_with("parameters/")) {
            params.add_table(&table(f)?)?;
        }
        let inputs = Inputs::from_params(&params, &regions, &employers, &roles, &modes)?;
        let mut ds = Dataset {
            about,
            regions,
            employers,
            roles,
            modes,
            calendar,
            calendar_days,
            params,
            inputs,
            workers_by_home: vec![],
            jobs_by_work: vec![],
            distance_km: vec![],
            gravity: GravityFit {
                flows: vec![],
                beta_per_km: 0.0,
                cross_boundary: 0.0,
                into_dki: 0.0,
                margin_error: 0.0,
            },
            jobs: vec![],
            role_share: vec![],
            mode_share: vec![],
            unit_size_mean: vec![],
            files,
        };
        derive::derive_all(&mut ds)?;
        Ok(ds)
    }

    pub fn n_regions(&self) -> usize {
        self.regions.len()
    }

    pub fn region_index(&self, code: &str) -> Option<usize> {
        self.regions.iter().position(|r| r.code == code)
    }
    pub fn employer_index(&self, code: &str) -> Option<usize> {
        self.employers.iter().position(|r| r.code == code)
    }
    pub fn role_index(&self, code: &str) -> Option<usize> {
        self.roles.iter().position(|r| r.code == code)
    }

    /// OD class index (into [`OD_CLASSES`]) of a home→work pair.
    pub fn od_class(&self, home: usize, work: usize) -> usize {
        let (h, w) = (self.regions[home].is_dki, self.regions[work].is_dki);
        match (home == work, h, w) {
            (true, _, _) => 0,
            (false, true, true) => 1,
            (false, false, true) => 2,
            _ => 3,
        }
    }

    /// The national holidays (`holiday` rows, ranges expanded), in date order: the days
    /// without commutes besides weekends. Cuti bersama are working days here.
    pub fn holidays(&self) -> Vec<Date> {
        let mut days: Vec<Date> = self
            .calendar
            .iter()
            .filter(|c| c.kind == DayKind::Holiday)
            .flat_map(|c| c.days())
            .collect();
        days.sort();
        days
    }

    /// Years the calendar covers (see [`calendar::years`]): a scenario period must lie
    /// inside them. `(0, 0)` for an empty calendar.
    pub fn calendar_years(&self) -> (i32, i32) {
        calendar::years(&self.calendar).unwrap_or((0, 0))
    }

    /// The calendar's flags of a day; an error naming the covered days for a date outside
    /// the calendar's years.
    pub fn day_flags(&self, d: Date) -> Result<DayFlags, OutsideCalendar> {
        self.calendar_days.flags(d)
    }

    /// SHA-256 over every input file (name and bytes), hex.
    pub fn hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for (n, t) in &self.files {
            h.update(n.as_bytes());
            h.update([0]);
            h.update(t.as_bytes());
            h.update([0]);
        }
        format!("{:x}", h.finalize())
    }
}
