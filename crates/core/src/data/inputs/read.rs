//! Reads [`Inputs`] from the provenance table. This is the declaration of what a dataset
//! must contain: every required row is read here once, with the file it belongs in and
//! the rule that requires it, so a missing row is reported from here and the list of
//! required keys cannot drift from the code that uses them. All missing rows are
//! collected before failing; then the rules across rows are checked (shares summing to
//! one, origin and destination rows naming regions of the right kind, the β bracket and
//! the override bounds in order).

use std::collections::BTreeMap;

use super::reader::{Reader, optional_drawn};
use super::{
    Accounting, ByDki, CommutePattern, Commuting, DestinationShare, Distance, EmployerInputs,
    Inputs, Located, ModeFactors, RegionInputs, Uncertain,
};
use crate::data::{
    DataError, Employer, EmployerKind, Mode, ModeKind, OD_CLASSES, POLLUTANTS, Param, Params,
    Region, Role, emitted,
};

const POPULATION: &str = "parameters/population.csv";
const GEOGRAPHY: &str = "parameters/geography.csv";
const COMMUTING: &str = "parameters/commuting.csv";
const HEADCOUNTS: &str = "parameters/headcounts.csv";
const ROLE_MIX: &str = "parameters/role_mix.csv";
const TRAVEL: &str = "parameters/travel.csv";
const EMISSIONS: &str = "parameters/emissions.csv";
const REBOUND: &str = "parameters/rebound.csv";

fn shares_sum_to_one(what: &str, v: &[f64]) -> Result<(), DataError> {
    let s: f64 = v.iter().sum();
    if (s - 1.0).abs() > 1e-6 || v.iter().any(|x| *x < 0.0) {
        return Err(DataError::Inconsistent(format!(
            "the shares {what} sum to {s:.6}; they must be >= 0 and sum to 1"
        )));
    }
    Ok(())
}

/// Rows `{prefix}{region}` must name a region of one kind; `kind` says which, for the message.
fn rows_name_regions(
    params: &Params,
    prefix: &str,
    regions: &[Region],
    allowed: impl Fn(&Region) -> bool,
    kind: &str,
) -> Result<(), DataError> {
    for q in params.iter().filter(|q| q.key.starts_with(prefix)) {
        let code = &q.key[prefix.len()..];
        if !regions.iter().any(|r| r.code == code && allowed(r)) {
            let valid: Vec<&str> = regions
                .iter()
                .filter(|r| allowed(r))
                .map(|r| r.code.as_str())
                .collect();
            return Err(DataError::Invalid {
                at: q.origin.clone(),
                message: format!(
                    "column 'key': '{}' names no {kind} region of regions.csv (valid: {})",
                    q.key,
                    valid.join(", ")
                ),
            });
        }
    }
    Ok(())
}

fn located(p: &Param) -> Located {
    Located {
        key: p.key.clone(),
        value: p.value,
        at: p.origin.clone(),
    }
}

/// Population, land area and centre of every region.
fn region_inputs(r: &mut Reader, regions: &[Region]) -> Vec<RegionInputs> {
    regions
        .iter()
        .map(|reg| RegionInputs {
            population: r.drawn(
                POPULATION,
                "every region of regions.csv needs its population",
                format!("population.{}", reg.code),
            ),
            area_km2: r.value(
                GEOGRAPHY,
                "every region of regions.csv needs its land area",
                format!("area_km2.{}", reg.code),
            ),
            lat: r.value(
                GEOGRAPHY,
                "every region of regions.csv needs the latitude and longitude of its centre",
                format!("lat.{}", reg.code),
            ),
            lon: r.value(
                GEOGRAPHY,
                "every region of regions.csv needs the latitude and longitude of its centre",
                format!("lon.{}", reg.code),
            ),
        })
        .collect()
}

/// A pair of rows `{name}.dki` and `{name}.bodetabek`.
fn by_dki(r: &mut Reader, file: &str, what: &str, name: &str) -> ByDki {
    ByDki {
        dki: r.drawn(file, what, format!("{name}.dki")),
        bodetabek: r.drawn(file, what, format!("{name}.bodetabek")),
    }
}

fn distance(r: &mut Reader) -> Distance {
    let what = "the distance model needs its circuity and intrazonal rule";
    Distance {
        circuity: r.drawn(COMMUTING, what, "distance.circuity".into()),
        intrazonal_factor: r.drawn(COMMUTING, what, "distance.intrazonal_factor".into()),
        intrazonal_cap_km: r.drawn(COMMUTING, what, "distance.intrazonal_cap_km".into()),
    }
}

/// The published commuter counts the jobs and the commuter matrix are fitted to.
fn commuting(r: &mut Reader, regions: &[Region]) -> Commuting {
    let params: &Params = r.params;
    let what = "the jobs by work region and the commuter matrix are fitted to these counts";
    let origins = "commuters.to_dki_2014.";
    Commuting {
        work_purpose_share: r.value(COMMUTING, what, "commute.work_purpose_share".into()),
        cross_boundary_2019: r.value(COMMUTING, what, "commuters.cross_boundary_2019".into()),
        bodetabek_to_dki_2019: r.value(COMMUTING, what, "commuters.bodetabek_to_dki_2019".into()),
        between_dki_kota_2019: r.value(COMMUTING, what, "commuters.between_dki_kota_2019".into()),
        dki_to_bodetabek_2014: r.value(COMMUTING, what, "commuters.dki_to_bodetabek_2014".into()),
        bodetabek_to_dki_2014: r.value(COMMUTING, what, "commuters.bodetabek_to_dki_2014".into()),
        to_dki_2014: regions
            .iter()
            .map(|reg| {
                (!reg.is_dki)
                    .then(|| params.row(&format!("{origins}{}", reg.code)).map(located))
                    .flatten()
            })
            .collect(),
        destination: destination_shares(r, regions),
    }
}

/// Where commuters into DKI work, by kota: only the kota with a `dest_share.into_dki` row.
fn destination_shares(r: &mut Reader, regions: &[Region]) -> Vec<Option<DestinationShare>> {
    regions
        .iter()
        .map(|reg| {
            let into_dki = r.optional(&format!("dest_share.into_dki.{}", reg.code))?;
            Some(DestinationShare {
                into_dki,
                dki_residents: r.value(
                    COMMUTING,
                    "every DKI kota with a dest_share.into_dki row needs a dest_share.dki_residents row",
                    format!("dest_share.dki_residents.{}", reg.code),
                ),
            })
        })
        .collect()
}

fn commute_pattern(r: &mut Reader) -> CommutePattern {
    let what = "commuter trips per commute day and commute days per working day";
    CommutePattern {
        trips_per_commute_day: r.drawn(COMMUTING, what, "commute.trips_per_commute_day".into()),
        commute_days_per_working_day: r.drawn(
            COMMUTING,
            what,
            "commute.commute_days_per_working_day".into(),
        ),
    }
}

fn beta_search_per_km(r: &mut Reader) -> (f64, f64) {
    let what = "the search bracket of the gravity model's β";
    (
        r.value(COMMUTING, what, "gravity.beta_min_per_km".into()),
        r.value(COMMUTING, what, "gravity.beta_max_per_km".into()),
    )
}

/// Staff of the public employers, and every employer's optional work shares by region.
fn employer_inputs(
    r: &mut Reader,
    employers: &[Employer],
    regions: &[Region],
) -> Vec<EmployerInputs> {
    employers
        .iter()
        .map(|e| EmployerInputs {
            headcount: match e.kind {
                EmployerKind::Private | EmployerKind::Informal => None,
                _ => Some(r.drawn(
                    HEADCOUNTS,
                    "every employer of employers.csv except kinds private and informal needs its staff",
                    format!("headcount.{}", e.code),
                )),
            },
            work_share: regions
                .iter()
                .map(|reg| optional_drawn(r.params, format!("work_share.{}.{}", e.code, reg.code)))
                .collect(),
        })
        .collect()
}

/// Role shares by employer (employer-major), from each employer's role mix. Shares not
/// given are zero: a role mix or OD class lists only the roles or modes it has.
fn role_shares(r: &Reader, employers: &[Employer], roles: &[Role]) -> Vec<Option<Uncertain>> {
    employers
        .iter()
        .flat_map(|e| {
            roles.iter().map(move |role| {
                optional_drawn(r.params, format!("role_share.{}.{}", e.role_mix, role.code))
            })
        })
        .collect()
}

/// Mode shares by origin–destination class (class-major); shares not given are zero.
fn mode_shares(r: &Reader, modes: &[Mode]) -> Vec<Option<Uncertain>> {
    OD_CLASSES
        .iter()
        .flat_map(|class| {
            modes
                .iter()
                .map(move |m| optional_drawn(r.params, format!("mode_share.{class}.{}", m.code)))
        })
        .collect()
}

fn unit_sizes(r: &mut Reader, roles: &[Role]) -> Vec<f64> {
    roles
        .iter()
        .map(|role| {
            r.value(
                ROLE_MIX,
                "every work-unit family of roles.csv needs its mean unit size",
                format!("unit_size.{}", role.family),
            )
        })
        .collect()
}

/// Occupancies, emission factors and the rebound: drawn per replicate, overridable.
fn accounting(r: &mut Reader, modes: &[Mode]) -> Accounting {
    Accounting {
        modes: modes.iter().map(|m| mode_factors(r, m)).collect(),
        ridehail_empty_return: r.uncertain(
            TRAVEL,
            "the accounting of ride-hail trips",
            "ridehail.empty_return".into(),
        ),
        grid_co2_kg_per_kwh: r.uncertain(
            REBOUND,
            "the accounting of home electricity",
            "grid.co2_kg_per_kwh".into(),
        ),
        rebound_nonwork_trips_per_wfh_day: r.uncertain(
            REBOUND,
            "the rebound on WFH days",
            "rebound.nonwork_trips_per_wfh_day".into(),
        ),
        rebound_nonwork_trip_km: r.uncertain(
            REBOUND,
            "the rebound on WFH days",
            "rebound.nonwork_trip_km".into(),
        ),
        rebound_home_kwh_per_wfh_day: r.uncertain(
            REBOUND,
            "the rebound on WFH days",
            "rebound.home_kwh_per_wfh_day".into(),
        ),
    }
}

/// A road mode's occupancy and every motorised mode's emission factors.
fn mode_factors(r: &mut Reader, m: &Mode) -> ModeFactors {
    let ef_rule = format!(
        "every mode of modes.csv except kind 'active' needs one row per pollutant: {}",
        emitted()
            .map(|p| POLLUTANTS[p])
            .collect::<Vec<_>>()
            .join(", ")
    );
    ModeFactors {
        mode: m.code.clone(),
        occupancy: matches!(
            m.kind,
            ModeKind::Private | ModeKind::RideHail | ModeKind::RoadTransit
        )
        .then(|| {
            r.uncertain(
                TRAVEL,
                "every mode of kind private, ridehail or road_transit needs its occupancy",
                format!("occupancy.{}", m.code),
            )
        }),
        ef: (m.kind != ModeKind::Active).then(|| {
            emitted()
                .map(|p| {
                    let pol = POLLUTANTS[p];
                    r.uncertain(EMISSIONS, &ef_rule, format!("ef.{}.{pol}", m.code))
                })
                .collect()
        }),
    }
}

/// The range a scenario may override each group of accounting inputs within, read from
/// the file of the group's inputs.
fn override_bounds(r: &mut Reader) -> BTreeMap<String, (f64, f64)> {
    let what = "every group of accounting inputs needs the range a scenario may override it within";
    std::mem::take(&mut r.groups)
        .into_iter()
        .map(|(g, file)| {
            let min = r.value(file, what, format!("override.{g}.min"));
            let max = r.value(file, what, format!("override.{g}.max"));
            (g, (min, max))
        })
        .collect()
}

impl Inputs {
    /// Reads the typed inputs of a dataset whose tables are `regions` … `modes`. Fails
    /// with every missing required row at once, or with the first rule across rows that
    /// is broken.
    pub fn from_params(
        params: &Params,
        regions: &[Region],
        employers: &[Employer],
        roles: &[Role],
        modes: &[Mode],
    ) -> Result<Inputs, DataError> {
        let mut r = Reader {
            params,
            missing: Vec::new(),
            groups: Vec::new(),
        };
        // The rows are read in this order, which is the order missing ones are listed in.
        let per_region = region_inputs(&mut r, regions);
        let employment_rate = by_dki(
            &mut r,
            POPULATION,
            "employed persons per resident, for DKI and for Bodetabek",
            "employment_rate",
        );
        let formal_share = by_dki(
            &mut r,
            POPULATION,
            "the formal share of jobs, for DKI and for Bodetabek",
            "formal_share",
        );
        let distance = distance(&mut r);
        let commuting = commuting(&mut r, regions);
        let commute = commute_pattern(&mut r);
        let beta_search_per_km = beta_search_per_km(&mut r);
        let employer_inputs = employer_inputs(&mut r, employers, regions);
        let role_share = role_shares(&r, employers, roles);
        let mode_share = mode_shares(&r, modes);
        let unit_size = unit_sizes(&mut r, roles);
        let accounting = accounting(&mut r, modes);
        let roads = super::roads::read(&mut r, regions);
        let calibration = super::calibration::read(&mut r);
        let override_bounds = override_bounds(&mut r);

        if !r.missing.is_empty() {
            return Err(DataError::MissingParameters { rows: r.missing });
        }
        let inputs = Inputs {
            regions: per_region,
            employment_rate,
            formal_share,
            distance,
            commuting,
            beta_search_per_km,
            commute,
            employers: employer_inputs,
            role_share,
            mode_share,
            unit_size,
            accounting,
            override_bounds,
            roads,
            calibration,
            built_with: Default::default(),
        };
        inputs.check(params, regions, employers, roles, modes)?;
        super::roads::check(&inputs.roads, params)?;
        Ok(inputs)
    }

    /// The rules across rows, checked once all rows are read.
    fn check(
        &self,
        params: &Params,
        regions: &[Region],
        employers: &[Employer],
        roles: &[Role],
        modes: &[Mode],
    ) -> Result<(), DataError> {
        let origin = |key: &str| params.row(key).map_or(String::new(), |p| p.origin.clone());
        for prefix in ["dest_share.into_dki.", "dest_share.dki_residents."] {
            rows_name_regions(params, prefix, regions, |r| r.is_dki, "DKI")?;
        }
        let origins = "commuters.to_dki_2014.";
        rows_name_regions(params, origins, regions, |r| !r.is_dki, "Bodetabek")?;
        let dest: Vec<DestinationShare> = self
            .commuting
            .destination
            .iter()
            .flatten()
            .copied()
            .collect();
        let into: Vec<f64> = dest.iter().map(|d| d.into_dki).collect();
        shares_sum_to_one("dest_share.into_dki", &into)?;
        let res: Vec<f64> = dest.iter().map(|d| d.dki_residents).collect();
        shares_sum_to_one("dest_share.dki_residents", &res)?;
        let total_2014 = self.commuting.bodetabek_to_dki_2014;
        let known_share: f64 = self
            .commuting
            .to_dki_2014
            .iter()
            .flatten()
            .map(|o| o.value / total_2014)
            .sum();
        if known_share > 1.0 {
            return Err(DataError::Invalid {
                at: origin("commuters.bodetabek_to_dki_2014"),
                message: format!(
                    "column 'value': commuters.bodetabek_to_dki_2014 = {total_2014} is less than the sum of the origin counts commuters.to_dki_2014.* ({:.0}); the counts by origin must not add up to more than the total",
                    known_share * total_2014
                ),
            });
        }
        let (lo, hi) = self.beta_search_per_km;
        if !(0.0 < lo && lo < hi) {
            return Err(DataError::Invalid {
                at: origin("gravity.beta_min_per_km"),
                message: format!(
                    "column 'value': the β search bracket gravity.beta_min_per_km .. gravity.beta_max_per_km is {lo} .. {hi}; it must have 0 < min < max"
                ),
            });
        }
        for (g, &(min, max)) in &self.override_bounds {
            if min > max {
                return Err(DataError::Invalid {
                    at: origin(&format!("override.{g}.min")),
                    message: format!(
                        "column 'value': override.{g}.min = {min} is above override.{g}.max = {max}"
                    ),
                });
            }
        }
        let (nr, role_share) = (roles.len(), self.role_shares());
        for (e, emp) in employers.iter().enumerate() {
            shares_sum_to_one(
                &format!("role_share.{}.*", emp.role_mix),
                &role_share[e * nr..(e + 1) * nr],
            )?;
        }
        let (nm, mode_share) = (modes.len(), self.mode_shares());
        for (c, class) in OD_CLASSES.iter().enumerate() {
            shares_sum_to_one(
                &format!("mode_share.{class}.*"),
                &mode_share[c * nm..(c + 1) * nm],
            )?;
        }
        Ok(())
    }
}
