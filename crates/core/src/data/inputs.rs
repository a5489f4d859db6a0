//! The dataset's numbers as typed inputs, read once from the provenance table when the
//! dataset loads: per region (population, area, centre), employment and formal shares,
//! distance inputs, commuting flows and destination shares, headcounts, role and mode
//! shares, unit sizes, trips per commute day, the gravity β search bracket, and the
//! accounting inputs the replicates draw, with the bounds a scenario may override them
//! within.
//!
//! Reading (`inputs/read.rs`) is the declaration: the rows a dataset must have are exactly
//! the rows it reads, so no second list of required keys can drift from it. Everything
//! downstream (derivations, accounting, the structural draws, a scenario's `[parameters]`)
//! uses these fields, never a key string: a number the replicates draw is an [`Uncertain`]
//! row here (key, low, central, high), owned once, and a sweep that fixes it fixes it here
//! and in [`Params`](super::Params) together ([`Inputs::fix_structural`]). `Params` stays
//! the record of where each number came from, for `wfhsim data` and export. This module must not touch scenarios: a scenario's
//! overrides arrive as plain (key, value, low, high).

pub mod calibration;
pub mod measures;
pub mod non_exhaust;
mod read;
mod reader;
pub mod roads;

use std::collections::BTreeMap;

use super::DataError;

/// A quantity the replicates draw from a triangular distribution (an accounting or road
/// input, or, under `--uncertainty full`, a structural one). It keeps its provenance key
/// because the draw is keyed by name: the same key gives the same quantile in every
/// scenario (common random numbers), so results do not depend on the order of draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertain {
    pub key: String,
    pub low: f64,
    pub central: f64,
    pub high: f64,
}

impl Uncertain {
    /// (low, central, high), the argument of `rng::triangular`.
    pub fn range(&self) -> (f64, f64, f64) {
        (self.low, self.central, self.high)
    }

    /// Held at `value` in every replicate (low = central = high), as
    /// [`Params::fix`](super::Params::fix) holds its row.
    fn fix(&mut self, value: f64) {
        (self.low, self.central, self.high) = (value, value, value);
    }
}

/// A number with its key and row, for the checks that can only be made after derivation
/// and must still point at the row to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub key: String,
    pub value: f64,
    /// `file:line` of its row.
    pub at: String,
}

/// A required parameter row the dataset lacks: which file it belongs in and what every
/// row of its kind is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRow {
    pub file: String,
    pub key: String,
    pub what: String,
}

/// Lists missing rows grouped by file and kind, one line per group, in reading order.
pub(crate) fn describe_missing(rows: &[MissingRow]) -> String {
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for r in rows {
        match groups
            .iter_mut()
            .find(|g| g.0 == r.file.as_str() && g.1 == r.what.as_str())
        {
            Some(g) => g.2.push(&r.key),
            None => groups.push((&r.file, &r.what, vec![&r.key])),
        }
    }
    groups
        .iter()
        .map(|(file, what, keys)| match keys.as_slice() {
            [key] => {
                format!("{file}: the dataset has no parameter '{key}' ({what}); add a row for it")
            }
            _ => format!(
                "{file}: the dataset has no parameters {} ({what}); add a row for each",
                keys.iter()
                    .map(|k| format!("'{k}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegionInputs {
    /// Residents, persons (structural: drawn under `--uncertainty full`).
    pub population: Uncertain,
    pub area_km2: f64,
    /// Administrative centre, degrees.
    pub lat: f64,
    pub lon: f64,
}

/// A structural number given separately for DKI regions and Bodetabek (every other)
/// region.
#[derive(Debug, Clone, PartialEq)]
pub struct ByDki {
    pub dki: Uncertain,
    pub bodetabek: Uncertain,
}

impl ByDki {
    /// The central value for a region of DKI or of Bodetabek.
    pub fn get(&self, is_dki: bool) -> f64 {
        if is_dki {
            self.dki.central
        } else {
            self.bodetabek.central
        }
    }
}

/// The distance model's structural inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Distance {
    /// Road km per great-circle km.
    pub circuity: Uncertain,
    /// Mean home–work distance inside a region as a fraction of √area.
    pub intrazonal_factor: Uncertain,
    pub intrazonal_cap_km: Uncertain,
}

/// Where Bodetabek commuters into DKI and DKI residents' commutes end, per DKI kota.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DestinationShare {
    pub into_dki: f64,
    pub dki_residents: f64,
}

/// Published commuter counts (persons/day, all purposes) and their shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Commuting {
    /// Share of commutes that are for work, applied to every count.
    pub work_purpose_share: f64,
    pub cross_boundary_2019: f64,
    pub bodetabek_to_dki_2019: f64,
    pub between_dki_kota_2019: f64,
    pub dki_to_bodetabek_2014: f64,
    pub bodetabek_to_dki_2014: f64,
    /// Per region: 2014 commuters into DKI by origin, where published (Bodetabek only).
    pub to_dki_2014: Vec<Option<Located>>,
    /// Per region: destination shares, for the DKI kota that have them; the regions with
    /// a share are the kota commuters are distributed over.
    pub destination: Vec<Option<DestinationShare>>,
}

/// How many commuter trips a working day is: the baseline every worker makes and what a
/// worker at home avoids. Structural: drawn under `--uncertainty full`
/// ([`crate::structural`]), central otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct CommutePattern {
    /// Out and back.
    pub trips_per_commute_day: Uncertain,
    /// Share of working days a worker commutes on.
    pub commute_days_per_working_day: Uncertain,
}

impl CommutePattern {
    /// At the central values.
    pub fn trips_per_working_day(&self) -> f64 {
        self.trips_per_commute_day.central * self.commute_days_per_working_day.central
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EmployerInputs {
    /// Staff in Jabodetabek; `None` for private and informal employers, whose jobs are
    /// what the formal share leaves.
    pub headcount: Option<Uncertain>,
    /// Per region: the share of its staff working there, where given (otherwise staff
    /// are spread by formal jobs).
    pub work_share: Vec<Option<Uncertain>>,
}

/// The accounting inputs of one mode.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeFactors {
    pub mode: String,
    /// Persons per vehicle, for modes whose vehicle-km a commuter at home can remove
    /// (private, ride-hail, road transit).
    pub occupancy: Option<Uncertain>,
    /// Grams per vehicle-km (road) or passenger-km (rail) of each pollutant with its own
    /// factors ([`crate::data::emitted`]), in order; `None` for active modes.
    pub ef: Option<Vec<Uncertain>>,
}

/// Everything the accounting draws per replicate; exactly what a scenario may override.
#[derive(Debug, Clone, PartialEq)]
pub struct Accounting {
    /// Per mode of modes.csv, in order.
    pub modes: Vec<ModeFactors>,
    /// The driver's empty km per passenger-km of a ride-hail trip.
    pub ridehail_empty_return: Uncertain,
    pub grid_co2_kg_per_kwh: Uncertain,
    pub rebound_nonwork_trips_per_wfh_day: Uncertain,
    /// One-way km of an extra errand trip.
    pub rebound_nonwork_trip_km: Uncertain,
    pub rebound_home_kwh_per_wfh_day: Uncertain,
}

impl Accounting {
    pub fn occupancy(&self, mode: usize) -> Result<&Uncertain, DataError> {
        let m = &self.modes[mode];
        m.occupancy.as_ref().ok_or_else(|| DataError::NotLoaded {
            what: format!("the occupancy of mode '{}'", m.mode),
        })
    }

    /// The factor of `pollutant` (an index into [`crate::data::POLLUTANTS`]); a total
    /// (exhaust + non-exhaust) has none of its own.
    pub fn ef(&self, mode: usize, pollutant: usize) -> Result<&Uncertain, DataError> {
        let m = &self.modes[mode];
        let i = crate::data::emitted().position(|p| p == pollutant);
        m.ef.as_ref()
            .zip(i)
            .and_then(|(e, i)| e.get(i))
            .ok_or_else(|| DataError::NotLoaded {
                what: format!("emission factor {pollutant} of mode '{}'", m.mode),
            })
    }

    /// Every input, in declaration order.
    pub fn all(&self) -> impl Iterator<Item = &Uncertain> {
        self.modes
            .iter()
            .flat_map(|m| m.occupancy.iter().chain(m.ef.iter().flatten()))
            .chain([
                &self.ridehail_empty_return,
                &self.grid_co2_kg_per_kwh,
                &self.rebound_nonwork_trips_per_wfh_day,
                &self.rebound_nonwork_trip_km,
                &self.rebound_home_kwh_per_wfh_day,
            ])
    }

    fn all_mut(&mut self) -> impl Iterator<Item = &mut Uncertain> {
        self.modes
            .iter_mut()
            .flat_map(|m| m.occupancy.iter_mut().chain(m.ef.iter_mut().flatten()))
            .chain([
                &mut self.ridehail_empty_return,
                &mut self.grid_co2_kg_per_kwh,
                &mut self.rebound_nonwork_trips_per_wfh_day,
                &mut self.rebound_nonwork_trip_km,
                &mut self.rebound_home_kwh_per_wfh_day,
            ])
    }
}

/// The group of an accounting key, `ef` of `ef.car.co2`: override bounds are per group.
fn group(key: &str) -> &str {
    key.split('.').next().unwrap_or(key)
}

/// The dataset's typed inputs. Per-region, per-employer, per-role and per-mode vectors
/// follow the order of regions.csv, employers.csv, roles.csv and modes.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    pub regions: Vec<RegionInputs>,
    /// Employed persons per resident.
    pub employment_rate: ByDki,
    /// Formal share of jobs.
    pub formal_share: ByDki,
    pub distance: Distance,
    pub commuting: Commuting,
    /// Where the bisection for the gravity model's β (per km) searches; the fit must end
    /// strictly inside.
    pub beta_search_per_km: (f64, f64),
    pub commute: CommutePattern,
    pub employers: Vec<EmployerInputs>,
    /// Row-major employer × role: shares summing to 1 per employer, `None` for a role
    /// its role mix does not list (a share of 0). Employers of one role mix share its rows.
    pub role_share: Vec<Option<Uncertain>>,
    /// Row-major OD class × mode: shares summing to 1 per class, `None` for a mode the
    /// class does not list (a share of 0).
    pub mode_share: Vec<Option<Uncertain>>,
    /// Per role: mean size of a work unit of its family, workers.
    pub unit_size: Vec<f64>,
    pub accounting: Accounting,
    /// Per accounting group (`ef`, `occupancy`, …): (min, max) of a scenario override.
    pub override_bounds: BTreeMap<String, (f64, f64)>,
    /// All road traffic, speeds, speed-dependent emission curves, the inventory and the
    /// day-to-day noise of traffic counts.
    pub roads: roads::RoadInputs,
    /// The observations before the 2023 orders that the road layer's baseline is checked
    /// against.
    pub calibration: calibration::CalibrationInputs,
    /// Per structural row a sweep fixed ([`Inputs::fix_structural`]): its central value
    /// before, the one the derived tables (and so a population) were built with.
    pub built_with: BTreeMap<String, f64>,
}

/// The central values of a table of optional shares, 0 where a share is not given.
fn centrals(shares: &[Option<Uncertain>]) -> Vec<f64> {
    shares
        .iter()
        .map(|u| u.as_ref().map_or(0.0, |u| u.central))
        .collect()
}

impl Inputs {
    /// [`Inputs::role_share`] at the central values (0 where not given).
    pub fn role_shares(&self) -> Vec<f64> {
        centrals(&self.role_share)
    }

    /// [`Inputs::mode_share`] at the central values (0 where not given).
    pub fn mode_shares(&self) -> Vec<f64> {
        centrals(&self.mode_share)
    }

    /// Every structural row (what `--uncertainty full` draws besides the accounting and
    /// road inputs), in declaration order; a role-mix row once per employer of the mix.
    fn structural_mut(&mut self) -> impl Iterator<Item = &mut Uncertain> {
        let shares = self.mode_share.iter_mut().chain(self.role_share.iter_mut());
        let employers = self.employers.iter_mut().flat_map(|e| {
            e.headcount
                .iter_mut()
                .chain(e.work_share.iter_mut().flatten())
        });
        let regions = self.regions.iter_mut().map(|r| &mut r.population);
        let (d, c) = (&mut self.distance, &mut self.commute);
        shares.flatten().chain(employers).chain(regions).chain([
            &mut self.formal_share.dki,
            &mut self.formal_share.bodetabek,
            &mut self.employment_rate.dki,
            &mut self.employment_rate.bodetabek,
            &mut d.circuity,
            &mut d.intrazonal_factor,
            &mut d.intrazonal_cap_km,
            &mut c.trips_per_commute_day,
            &mut c.commute_days_per_working_day,
        ])
    }

    /// Holds the structural row `key` at `value` in every replicate, as a sweep does
    /// (with [`Params::fix`](super::Params::fix) on the same row). The derived tables
    /// (commuter matrix, jobs, distances) are not rebuilt: the replicates' structure
    /// weighs the population by the fixed value ([`crate::structural`]). False if no
    /// structural row has that key.
    pub fn fix_structural(&mut self, key: &str, value: f64) -> bool {
        let mut before = None;
        for u in self.structural_mut().filter(|u| u.key == key) {
            before.get_or_insert(u.central);
            u.fix(value);
        }
        if let Some(c) = before {
            self.built_with.entry(key.to_string()).or_insert(c);
        }
        before.is_some()
    }

    /// The central value the derived tables were built with for the structural row `u`:
    /// its central value, unless a sweep has fixed the row since.
    pub fn built_central(&self, u: &Uncertain) -> f64 {
        self.built_with.get(&u.key).copied().unwrap_or(u.central)
    }

    /// The keys a scenario's `[parameters]` may override: the accounting inputs, sorted.
    pub fn overridable_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.accounting.all().map(|u| u.key.as_str()).collect();
        keys.sort_unstable();
        keys
    }

    /// The accounting input with provenance key `key`, if there is one.
    pub fn uncertain(&self, key: &str) -> Option<&Uncertain> {
        self.accounting.all().find(|u| u.key == key)
    }

    /// (min, max) that an override of `key` (its value, low and high) must lie within;
    /// `None` if the key cannot be overridden.
    pub fn override_bounds(&self, key: &str) -> Option<(f64, f64)> {
        self.uncertain(key)?;
        self.override_bounds.get(group(key)).copied()
    }

    /// These inputs with one accounting input replaced by a scenario's value and range
    /// (a missing low or high collapses to the value, as a row without a range does).
    pub fn with_override(
        &self,
        key: &str,
        value: f64,
        low: Option<f64>,
        high: Option<f64>,
    ) -> Result<Inputs, DataError> {
        let (min, max) = self
            .override_bounds(key)
            .ok_or_else(|| DataError::NotOverridable {
                key: key.to_string(),
                groups: self.override_bounds.keys().cloned().collect(),
            })?;
        let (low, high) = (low.unwrap_or(value), high.unwrap_or(value));
        let within = |v: f64| (min..=max).contains(&v);
        if !(within(low) && within(value) && within(high) && low <= value && value <= high) {
            return Err(DataError::OverrideOutOfBounds {
                key: key.to_string(),
                value,
                low,
                high,
                min,
                max,
            });
        }
        let mut out = self.clone();
        for u in out.accounting.all_mut().filter(|u| u.key == key) {
            (u.low, u.central, u.high) = (low, value, high);
        }
        Ok(out)
    }
}
