//! Non-exhaust PM of road vehicles: tyre, brake and road-surface wear per vehicle-km
//! (EMEP/EEA Guidebook 2019, 1.A.3.b.vi–vii, Tier 1), per vehicle class and particle size.
//! Tier 1 factors do not depend on speed, so the wear follows vehicle-km: what commuting
//! stops, what the rebound adds and what the road layer moves. Read once at load from
//! `parameters/speed_emissions.csv`; drawn per replicate by key, so the accounting and the
//! road layer see the same draw.

use super::Uncertain;
use super::reader::Reader;
use super::roads::ByClass;
use crate::data::{VehicleClass, WEAR_SIZES, WEAR_SOURCES};

const FILE: &str = "parameters/speed_emissions.csv";

/// Grams per vehicle-km of one class: per source of [`WEAR_SOURCES`], per size of
/// [`WEAR_SIZES`].
pub type ClassWear = [[Uncertain; WEAR_SIZES.len()]; WEAR_SOURCES.len()];

#[derive(Debug, Clone, PartialEq)]
pub struct NonExhaust(pub ByClass<ClassWear>);

impl NonExhaust {
    /// Every factor, for listing and checks.
    pub fn all(&self) -> impl Iterator<Item = &Uncertain> {
        self.0.0.iter().flatten().flatten()
    }

    /// Grams per vehicle-km of a class, per size, summed over the sources, with each factor
    /// drawn by `g`.
    pub fn per_km(
        &self,
        class: VehicleClass,
        g: impl Fn(&Uncertain) -> f64,
    ) -> [f64; WEAR_SIZES.len()] {
        let w = self.0.get(class);
        std::array::from_fn(|s| w.iter().map(|source| g(&source[s])).sum())
    }
}

/// Reads `nonexhaust.<class>.<source>.<size>` for every class, source and size; a missing
/// row is remembered by the reader.
pub(super) fn read(r: &mut Reader) -> NonExhaust {
    let what = format!(
        "every vehicle class needs its non-exhaust PM per vehicle-km ({} wear; {})",
        WEAR_SOURCES.join(", "),
        WEAR_SIZES.join(", ")
    );
    NonExhaust(ByClass(VehicleClass::ALL.map(|class| {
        WEAR_SOURCES.map(|source| {
            WEAR_SIZES.map(|size| {
                r.drawn(
                    FILE,
                    &what,
                    format!("nonexhaust.{}.{source}.{size}", class.as_str()),
                )
            })
        })
    })))
}
