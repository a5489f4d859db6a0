//! The road layer's inputs: the all-traffic baseline (gasoline sold and burnt, its
//! density, heavy vehicles, how the non-commute remainder spreads over regions), peak
//! shares, speeds and their city-wide response to traffic with the induced-traffic
//! elasticity, passenger-car units, traffic counts and their day-to-day
//! noise, the DKI emission inventory, and the EMEP/EEA (COPERT) speed-dependent
//! hot-exhaust curves with the fleet's Euro mix, and the non-exhaust PM per vehicle-km.
//! Read once at load from `parameters/traffic.csv` and `parameters/speed_emissions.csv`; every uncertain number
//! is drawn per replicate by the road layer (`crate::traffic`), none is a scenario override.

use super::Uncertain;
use super::non_exhaust::NonExhaust;
use super::reader::Reader;
use crate::data::{DataError, POLLUTANTS, Region, VehicleClass, total_of};

const TRAFFIC: &str = "parameters/traffic.csv";
const CURVES: &str = "parameters/speed_emissions.csv";

/// A hot-exhaust curve of the EMEP/EEA Guidebook: grams per km at speed `v` km/h.
#[derive(Debug, Clone, PartialEq)]
pub enum Curve {
    /// a0 + a1·v + a2·v² + a3·v³ + a4·v⁴ + a5·v⁵ (motorcycles).
    Polynomial([f64; 6]),
    /// (a + c·v + e·v²) / (1 + b·v + d·v²), coefficients `[a, b, c, d, e]` (petrol cars).
    Rational([f64; 5]),
    /// The heavy-duty (bus and truck) function set of the Guidebook's HDV annex, at 50%
    /// load and 0% slope: a function id of [`HDV_FORMS`] and coefficients `[a, b, c, d, e]`.
    HeavyDuty { form: u8, c: [f64; 5] },
}

/// Function ids of the heavy-duty annex and their formulas (v in km/h).
pub const HDV_FORMS: [(u8, &str); 6] = [
    (0, "a·b^v·v^c"),
    (1, "a·v^b + c·v^d"),
    (5, "1 / (a + b·v + c·v²)"),
    (8, "a − b·exp(−c·v^d)"),
    (10, "a + b / (1 + exp(−c + d·ln v + e·v))"),
    (14, "a·v³ + b·v² + c·v + d"),
];

impl Curve {
    /// Grams per km at `v` km/h (no clamping: callers clamp to the valid range).
    pub fn at(&self, v: f64) -> f64 {
        match self {
            Curve::Polynomial(a) => a.iter().rev().fold(0.0, |acc, &c| acc * v + c),
            Curve::Rational([a, b, c, d, e]) => (a + c * v + e * v * v) / (1.0 + b * v + d * v * v),
            Curve::HeavyDuty {
                form,
                c: [a, b, c, d, e],
            } => match form {
                0 => a * b.powf(v) * v.powf(*c),
                1 => a * v.powf(*b) + c * v.powf(*d),
                5 => 1.0 / (a + b * v + c * v * v),
                8 => a - b * (-c * v.powf(*d)).exp(),
                10 => a + b / (1.0 + (-c + d * v.ln() + e * v).exp()),
                14 => a * v.powi(3) + b * v * v + c * v + d,
                _ => f64::NAN,
            },
        }
    }
}

/// The curves of one Euro class of one vehicle class.
#[derive(Debug, Clone, PartialEq)]
pub struct EuroCurves {
    /// Its name in the provenance keys (`euro2`, `euro3`, `euro4`).
    pub euro: String,
    /// Fuel consumption, g/km.
    pub fuel: Curve,
    pub co: Curve,
    pub nox: Curve,
    pub hc: Curve,
    /// Exhaust PM (taken as PM2.5 and PM10 alike).
    pub pm: Curve,
}

/// A vehicle class's speed-dependent emissions.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassCurves {
    pub class: VehicleClass,
    /// Speeds (km/h) the curves are valid for; outside, the speed is clamped.
    pub v_min: f64,
    pub v_max: f64,
    /// The older and the newer Euro class.
    pub older: EuroCurves,
    pub newer: EuroCurves,
    /// The fleet's share of the newer class (`fleet.<euro>_share.<class>`).
    pub newer_share: Uncertain,
    /// kg CO2 per kg fuel.
    pub co2_per_fuel: Uncertain,
    /// Sulphur in the fuel, ppm by mass: SO2 = 2 × S × fuel.
    pub sulphur_ppm: Uncertain,
    /// The fuel curve's scale for the local fleet (`copert.fuel_factor.<class>`).
    pub fuel_factor: Uncertain,
}

/// Per vehicle class of [`VehicleClass::ALL`].
#[derive(Debug, Clone, PartialEq)]
pub struct ByClass<T>(pub [T; 4]);

impl<T> ByClass<T> {
    pub fn get(&self, c: VehicleClass) -> &T {
        &self.0[c.index()]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoadInputs {
    /// Gasoline sold per day in the fuel area (L/day): the ceiling of the fuel rows.
    pub gasoline_sales: Uncertain,
    /// Gasoline burnt per day by the fleet of the fuel area: motorcycles, cars (L/day).
    pub fuel_l_per_day: [Uncertain; 2],
    /// Kg per litre of gasoline.
    pub petrol_density: Uncertain,
    /// Bus + truck vehicle-km per car vehicle-km.
    pub heavy_per_car_vkm: Uncertain,
    pub bus_share_of_heavy: Uncertain,
    /// 0: the non-commute remainder follows residents; 1: jobs.
    pub remainder_jobs_weight: Uncertain,
    /// Per region: inside the area the fuel totals are for.
    pub in_fuel_area: Vec<bool>,
    /// Shares of vehicle-km in the peaks (06–10, 16–20): non-commute traffic, commutes, errands.
    pub peak_share_other: Uncertain,
    pub peak_share_commute: Uncertain,
    pub peak_share_errand: Uncertain,
    /// Speeds, km/h: peak average, off-peak average, free flow (the ceiling).
    pub speed_peak: Uncertain,
    pub speed_offpeak: Uncertain,
    pub speed_free_flow: Uncertain,
    /// Per period (peak, off-peak): city-wide elasticity of speed to traffic volume.
    pub speed_elasticity: [Uncertain; 2],
    /// Short-run elasticity of the remaining traffic to its travel time per km.
    pub induced_elasticity: Uncertain,
    /// Passenger-car units per vehicle.
    pub pcu: ByClass<Uncertain>,
    /// Vehicles counted per weekday by Dishub's cameras in DKI, and entering DKI.
    pub counted_dki: Uncertain,
    pub cordon_entries: Uncertain,
    /// Day-to-day standard deviation of a daily count, as a fraction: one site, city-wide.
    pub sigma_site: Uncertain,
    pub sigma_city: Uncertain,
    /// Lag-1 autocorrelation of the day-to-day noise of a daily count (AR(1) over working days).
    pub ar1: Uncertain,
    /// Per pollutant of [`POLLUTANTS`]: DKI's transport emissions, tonnes per year. DKI's
    /// inventory has exhaust PM only (docs/method.md §6.4): a total (exhaust + non-exhaust)
    /// holds its exhaust pollutant's row, and its share of it is not like for like.
    pub inventory_t_per_year: Vec<Uncertain>,
    pub curves: ByClass<ClassCurves>,
    /// Tyre, brake and road-surface wear per vehicle-km.
    pub non_exhaust: NonExhaust,
    /// Per purpose of [`crate::scenario::Purpose::ALL`] and period (peak, off-peak): its
    /// share of the period's motorcycle and car vehicle-km (what measures act on).
    pub purpose_share: [[Uncertain; 2]; crate::scenario::N_PURPOSES],
    /// What an odd-even measure acts through.
    pub odd_even: super::measures::OddEvenInputs,
    /// What a transit cap acts through.
    pub transit: super::measures::TransitInputs,
}

impl RoadInputs {
    /// Every uncertain input, for listing and checks.
    pub fn all(&self) -> impl Iterator<Item = &Uncertain> {
        self.fuel_l_per_day
            .iter()
            .chain(&self.speed_elasticity)
            .chain([
                &self.petrol_density,
                &self.induced_elasticity,
                &self.heavy_per_car_vkm,
                &self.bus_share_of_heavy,
                &self.remainder_jobs_weight,
                &self.peak_share_other,
                &self.peak_share_commute,
                &self.peak_share_errand,
                &self.speed_peak,
                &self.speed_offpeak,
                &self.speed_free_flow,
                &self.counted_dki,
                &self.cordon_entries,
                &self.sigma_site,
                &self.sigma_city,
                &self.ar1,
            ])
            .chain(&self.pcu.0)
            .chain(
                // A total's inventory row is its exhaust pollutant's: listed once.
                self.inventory_t_per_year
                    .iter()
                    .enumerate()
                    .filter(|(p, _)| total_of(*p).is_none())
                    .map(|(_, u)| u),
            )
            .chain(self.non_exhaust.all())
            .chain(self.purpose_share.iter().flatten())
            .chain(self.odd_even.all())
            .chain(self.transit.all())
            .chain(self.curves.0.iter().flat_map(|c| {
                [
                    &c.newer_share,
                    &c.sulphur_ppm,
                    &c.co2_per_fuel,
                    &c.fuel_factor,
                ]
            }))
    }
}

/// The Euro classes read for each vehicle class (older, newer), the fleet-share key of the
/// newer one, the curve form and the fuel.
fn class_spec(c: VehicleClass) -> (&'static str, &'static str, Form, &'static str) {
    match c {
        VehicleClass::Motorcycle => ("euro2", "euro3", Form::Polynomial, "petrol"),
        VehicleClass::Car => ("euro2", "euro4", Form::Rational, "petrol"),
        VehicleClass::Bus => ("euro2", "euro3", Form::HeavyDuty, "diesel"),
        VehicleClass::Truck => ("euro2", "euro3", Form::HeavyDuty, "diesel"),
    }
}

#[derive(Debug, Clone, Copy)]
enum Form {
    Polynomial,
    Rational,
    HeavyDuty,
}

impl Form {
    fn names(self) -> &'static [&'static str] {
        match self {
            Form::Polynomial => &["a0", "a1", "a2", "a3", "a4", "a5"],
            Form::Rational => &["a", "b", "c", "d", "e"],
            Form::HeavyDuty => &["a", "b", "c", "d", "e"],
        }
    }
}

fn curve(r: &mut Reader, prefix: &str, form: Form, what: &str) -> Curve {
    // The first coefficient is required; the others default to 0 (a constant factor
    // such as exhaust PM is one row).
    let names = form.names();
    let v: Vec<f64> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let key = format!("{prefix}.{n}");
            if i == 0 {
                r.value(CURVES, what, key)
            } else {
                r.optional(&key).unwrap_or(0.0)
            }
        })
        .collect();
    match form {
        Form::Polynomial => Curve::Polynomial(v.try_into().expect("6 names")),
        Form::Rational => Curve::Rational(v.try_into().expect("5 names")),
        Form::HeavyDuty => {
            let id = r.value(CURVES, what, format!("{prefix}.form"));
            // An id outside the set is refused by `check` with its row; NaN meanwhile.
            let form = HDV_FORMS
                .iter()
                .find(|f| f64::from(f.0) == id)
                .map_or(u8::MAX, |f| f.0);
            Curve::HeavyDuty {
                form,
                c: v.try_into().expect("5 names"),
            }
        }
    }
}

/// Reads the road layer's rows; a missing one is remembered by the reader.
pub(super) fn read(r: &mut Reader, regions: &[Region]) -> RoadInputs {
    let base =
        "the all-traffic baseline is derived from fuel sold, the fuel curves and composition";
    let two = |r: &mut Reader, name: &str| {
        [
            r.drawn(TRAFFIC, base, format!("{name}.motorcycle")),
            r.drawn(TRAFFIC, base, format!("{name}.car")),
        ]
    };
    let fuel_l_per_day = two(r, "traffic.fuel_l_per_day");
    let heavy_per_car_vkm = r.drawn(TRAFFIC, base, "traffic.heavy_per_car_vkm".into());
    let bus_share_of_heavy = r.drawn(TRAFFIC, base, "traffic.bus_share_of_heavy".into());
    let remainder_jobs_weight = r.drawn(TRAFFIC, base, "traffic.remainder_jobs_weight".into());
    let in_fuel_area = in_fuel_area(r, regions);
    let peak = "the peak (06-10 and 16-20) shares of vehicle-km";
    let speed = "baseline speeds and their city-wide response to traffic";
    let counts = "traffic counts and their day-to-day variation";
    let pcu = ByClass(VehicleClass::ALL.map(|c| {
        r.drawn(
            TRAFFIC,
            "every vehicle class needs its passenger-car units",
            format!("pcu.{}", c.as_str()),
        )
    }));
    let inventory_t_per_year = (0..POLLUTANTS.len())
        .map(|p| {
            let own = total_of(p).map_or(p, |(exhaust, _)| exhaust);
            r.drawn(
                TRAFFIC,
                "every pollutant needs DKI's transport emission inventory (t/yr)",
                format!("inventory.dki.{}", POLLUTANTS[own]),
            )
        })
        .collect();
    let non_exhaust = super::non_exhaust::read(r);
    let purpose_share = crate::scenario::Purpose::ALL.map(|p| {
        crate::traffic::PERIODS.map(|period| {
            r.drawn(
                TRAFFIC,
                "the purposes of the non-commute traffic that measures act on",
                format!("traffic.purpose.{}.{period}", p.as_str()),
            )
        })
    });
    let (odd_even, transit) = super::measures::read(r);
    let curves = ByClass(VehicleClass::ALL.map(|class| class_curves(r, class)));
    RoadInputs {
        gasoline_sales: r.drawn(TRAFFIC, base, "traffic.gasoline_sales.fuel_area".into()),
        fuel_l_per_day,
        petrol_density: r.drawn(TRAFFIC, base, "fuel.density.petrol".into()),
        heavy_per_car_vkm,
        bus_share_of_heavy,
        remainder_jobs_weight,
        in_fuel_area,
        peak_share_other: r.drawn(TRAFFIC, peak, "traffic.peak_share.other".into()),
        peak_share_commute: r.drawn(TRAFFIC, peak, "traffic.peak_share.commute".into()),
        peak_share_errand: r.drawn(TRAFFIC, peak, "traffic.peak_share.errand".into()),
        speed_peak: r.drawn(TRAFFIC, speed, "speed.peak_kmh".into()),
        speed_offpeak: r.drawn(TRAFFIC, speed, "speed.offpeak_kmh".into()),
        speed_free_flow: r.drawn(TRAFFIC, speed, "speed.free_flow_kmh".into()),
        speed_elasticity: [
            r.drawn(TRAFFIC, speed, "speed.elasticity.peak".into()),
            r.drawn(TRAFFIC, speed, "speed.elasticity.offpeak".into()),
        ],
        induced_elasticity: r.drawn(TRAFFIC, speed, "traffic.induced_elasticity".into()),
        pcu,
        counted_dki: r.drawn(TRAFFIC, counts, "counts.dki_daily_vehicles".into()),
        cordon_entries: r.drawn(TRAFFIC, counts, "counts.dki_cordon_entries".into()),
        sigma_site: r.drawn(TRAFFIC, counts, "detect.sigma_site".into()),
        sigma_city: r.drawn(TRAFFIC, counts, "detect.sigma_city".into()),
        ar1: r.drawn(TRAFFIC, counts, "detect.daily_count_ar1".into()),
        inventory_t_per_year,
        curves,
        non_exhaust,
        purpose_share,
        odd_even,
        transit,
    }
}

/// Whether the fuel totals include each region (a row of 1) or not (0).
fn in_fuel_area(r: &mut Reader, regions: &[Region]) -> Vec<bool> {
    regions
        .iter()
        .map(|reg| {
            r.value(
                TRAFFIC,
                "every region of regions.csv says whether the fuel totals include it (1) or not (0)",
                format!("fuel_area.{}", reg.code),
            ) > 0.5
        })
        .collect()
}

/// One vehicle class's hot-exhaust curves for its older and newer Euro class, their valid
/// speeds, the fleet's mix of the two, and its fuel's CO2 and sulphur.
fn class_curves(r: &mut Reader, class: VehicleClass) -> ClassCurves {
    let (old, new, form, fuel) = class_spec(class);
    let c = class.as_str();
    let what = format!(
        "every vehicle class needs its EMEP/EEA hot-exhaust curves (fuel, co, nox, hc, pm) for {old} and {new}"
    );
    let older = euro_curves(r, &format!("copert.{c}.{old}"), old, form, &what);
    let newer = euro_curves(r, &format!("copert.{c}.{new}"), new, form, &what);
    ClassCurves {
        class,
        v_min: r.value(CURVES, &what, format!("copert.{c}.vmin")),
        v_max: r.value(CURVES, &what, format!("copert.{c}.vmax")),
        older,
        newer,
        newer_share: r.drawn(
            CURVES,
            "every vehicle class needs its fleet's share of the newer Euro class",
            format!("fleet.{new}_share.{c}"),
        ),
        co2_per_fuel: r.drawn(
            CURVES,
            "CO2 is computed from fuel: kg CO2 per kg of each fuel",
            format!("copert.co2_per_fuel.{fuel}"),
        ),
        sulphur_ppm: r.drawn(
            CURVES,
            "SO2 is computed from the fuel's sulphur content",
            format!("fuel.sulphur_ppm.{fuel}"),
        ),
        fuel_factor: r.drawn(
            TRAFFIC,
            "every vehicle class needs its fuel curve's scale for the local fleet",
            format!("copert.fuel_factor.{c}"),
        ),
    }
}

/// The curves of Euro class `euro` under rows `{prefix}.fuel` … `{prefix}.pm`.
fn euro_curves(r: &mut Reader, prefix: &str, euro: &str, form: Form, what: &str) -> EuroCurves {
    EuroCurves {
        euro: euro.to_string(),
        fuel: curve(r, &format!("{prefix}.fuel"), form, what),
        co: curve(r, &format!("{prefix}.co"), form, what),
        nox: curve(r, &format!("{prefix}.nox"), form, what),
        hc: curve(r, &format!("{prefix}.hc"), form, what),
        pm: curve(r, &format!("{prefix}.pm"), form, what),
    }
}

/// The road rows' rules: fuel within sales, response elasticities not positive, and
/// heavy-duty curve forms known.
pub(super) fn check(
    roads: &RoadInputs,
    params: &crate::data::Params,
) -> Result<(), crate::data::DataError> {
    check_fuel(roads, params)?;
    check_purposes(roads, params)?;
    super::measures::check(&roads.odd_even, &roads.transit, |k| origin(params, k))?;
    check_elasticities(roads, params)?;
    check_forms(roads, params)
}

/// Refuses fuel rows that burn more than is sold: their central values' sum above the
/// sales row's central value, or their high ends' sum above its high end.
fn check_fuel(roads: &RoadInputs, params: &crate::data::Params) -> Result<(), DataError> {
    let [m, c] = &roads.fuel_l_per_day;
    let sales = &roads.gasoline_sales;
    for (column, what, sum, limit) in [
        (
            "value",
            "central values",
            m.central + c.central,
            sales.central,
        ),
        ("high", "high ends", m.high + c.high, sales.high),
    ] {
        if sum > limit {
            return Err(DataError::Invalid {
                at: origin(params, &m.key),
                message: format!(
                    "column '{column}': {} + {} = {} L/day at their {what} exceeds the gasoline sold in the fuel area ({} = {} ({}-{}) L/day); allowed: a sum at most {} (re-base the fuel rows on sales)",
                    m.key, c.key, sum, sales.key, sales.central, sales.low, sales.high, limit
                ),
            });
        }
    }
    Ok(())
}

/// Refuses purpose shares of a period whose high ends add up to more than the period's
/// light-vehicle traffic.
fn check_purposes(roads: &RoadInputs, params: &crate::data::Params) -> Result<(), DataError> {
    for p in 0..2 {
        let rows: Vec<&Uncertain> = roads.purpose_share.iter().map(|s| &s[p]).collect();
        let sum: f64 = rows.iter().map(|u| u.high).sum();
        if sum > 1.0 {
            let keys: Vec<&str> = rows.iter().map(|u| u.key.as_str()).collect();
            return Err(DataError::Invalid {
                at: origin(params, &rows[0].key),
                message: format!(
                    "column 'high': {} add up to {} at their high ends; allowed: a sum at most 1 (shares of one period's motorcycle and car vehicle-km)",
                    keys.join(" + "),
                    crate::text::num(sum)
                ),
            });
        }
    }
    Ok(())
}

/// Refuses a speed or induced-traffic elasticity above zero anywhere in its range: less
/// traffic never slows the roads, faster roads never shed traffic.
fn check_elasticities(roads: &RoadInputs, params: &crate::data::Params) -> Result<(), DataError> {
    let rows = roads
        .speed_elasticity
        .iter()
        .chain([&roads.induced_elasticity]);
    for u in rows {
        if u.high > 0.0 || u.central > 0.0 {
            return Err(DataError::Invalid {
                at: origin(params, &u.key),
                message: format!(
                    "column 'high': {} = {} ({} to {}) must not be above 0 anywhere in its range; allowed: -inf to 0",
                    u.key, u.central, u.low, u.high
                ),
            });
        }
    }
    Ok(())
}

/// The file and line of a row, or the traffic file when the row is not found.
fn origin(params: &crate::data::Params, key: &str) -> String {
    params
        .row(key)
        .map_or(TRAFFIC.to_string(), |p| p.origin.clone())
}

/// Refuses a heavy-duty curve whose function id is not one of [`HDV_FORMS`], naming its row.
fn check_forms(roads: &RoadInputs, params: &crate::data::Params) -> Result<(), DataError> {
    for cc in &roads.curves.0 {
        for e in [&cc.older, &cc.newer] {
            for (name, curve) in [
                ("fuel", &e.fuel),
                ("co", &e.co),
                ("nox", &e.nox),
                ("hc", &e.hc),
                ("pm", &e.pm),
            ] {
                if let Curve::HeavyDuty { form: u8::MAX, .. } = curve {
                    let key = format!("copert.{}.{}.{name}.form", cc.class.as_str(), e.euro);
                    let (at, value) = params
                        .row(&key)
                        .map_or((CURVES.to_string(), f64::NAN), |p| {
                            (p.origin.clone(), p.value)
                        });
                    return Err(DataError::Invalid {
                        at,
                        message: format!(
                            "column 'value': {key} = {value} is not a heavy-duty function id; allowed: {}",
                            HDV_FORMS
                                .iter()
                                .map(|f| format!("{} ({})", f.0, f.1))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curve_forms_by_hand() {
        // 1 + 2·3 + 3·9 = 34
        assert_eq!(
            Curve::Polynomial([1.0, 2.0, 3.0, 0.0, 0.0, 0.0]).at(3.0),
            34.0
        );
        // (1 + 3·2 + 5·4) / (1 + 2·2 + 4·4) = 27 / 21
        assert_eq!(
            Curve::Rational([1.0, 2.0, 3.0, 4.0, 5.0]).at(2.0),
            27.0 / 21.0
        );
        let hdv = |form, c| Curve::HeavyDuty { form, c };
        // 2 · 3^2 · 2^0.5
        assert_eq!(
            hdv(0, [2.0, 3.0, 0.5, 0.0, 0.0]).at(2.0),
            18.0 * 2f64.sqrt()
        );
        // 1·2^2 + 3·2^-1 = 5.5
        assert_eq!(hdv(1, [1.0, 2.0, 3.0, -1.0, 0.0]).at(2.0), 5.5);
        // 1 / (1 + 2·2 + 3·4) = 1/17
        assert_eq!(hdv(5, [1.0, 2.0, 3.0, 0.0, 0.0]).at(2.0), 1.0 / 17.0);
        // 5 − 2·exp(−1·2^1) = 5 − 2e^-2
        assert_eq!(
            hdv(8, [5.0, 2.0, 1.0, 1.0, 0.0]).at(2.0),
            5.0 - 2.0 * (-2f64).exp()
        );
        // 1 + 4 / (1 + exp(0 + 0 + 0)) = 3
        assert_eq!(hdv(10, [1.0, 4.0, 0.0, 0.0, 0.0]).at(7.0), 3.0);
        // 8 + 4 + 3·2 + 1 = 19
        assert_eq!(hdv(14, [1.0, 1.0, 3.0, 1.0, 0.0]).at(2.0), 19.0);
        assert!(hdv(7, [1.0; 5]).at(2.0).is_nan());
    }
}
