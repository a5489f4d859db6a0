//! The provenance table: every number of the built-in dataset is a row here, with its unit,
//! year, source and confidence, or is marked as an assumption with a low–high range.
//! The typed inputs (`inputs.rs`) are read from it, so a number without a provenance row
//! cannot exist; it stays the record of where each number came from.

use std::collections::BTreeMap;
use std::fmt;

use super::DataError;
use super::csv::{Row, Table};
use crate::text::num;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A public source states the number.
    Cited,
    /// Computed from cited numbers (the note says how).
    Derived,
    /// Our choice where no source was found; always carries a range.
    Assumption,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Cited => "cited",
            Kind::Derived => "derived",
            Kind::Assumption => "assumption",
        })
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Param {
    pub key: String,
    pub value: f64,
    pub unit: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub year: Option<i32>,
    pub kind: Kind,
    pub confidence: String,
    pub source: String,
    pub note: String,
    /// Where the row lives, e.g. `parameters/emissions.csv:12`.
    pub origin: String,
}

impl Param {
    /// (low, central, high); a number without a range has low = central = high.
    pub fn range(&self) -> (f64, f64, f64) {
        (
            self.low.unwrap_or(self.value),
            self.value,
            self.high.unwrap_or(self.value),
        )
    }

    pub fn is_uncertain(&self) -> bool {
        let (l, _, h) = self.range();
        l < h
    }
}

pub const COLUMNS: [&str; 10] = [
    "key",
    "value",
    "unit",
    "low",
    "high",
    "year",
    "kind",
    "confidence",
    "source",
    "note",
];

/// What values a unit allows, checked at the row before anything is derived from it, so a
/// message names the file, line, key, value and range rather than a derived symptom:
/// counts of people are whole and not negative, shares and rates are fractions, factors
/// are not negative, distances, areas, occupancies and trip counts are positive, a road is
/// never shorter than the straight line, and coordinates are degrees. Rules are tried in
/// order; the first one a value breaks is reported.
type Rule = (&'static str, fn(f64) -> bool);

fn rules(unit: &str) -> &'static [Rule] {
    const COUNT: &[Rule] = &[
        (">= 0 (a count)", |v| v >= 0.0),
        ("a whole number (a count of people)", |v| v.fract() == 0.0),
        (
            "at most 1e10 (more than the world's people; a larger count overflows what is derived from it)",
            |v| v <= 1e10,
        ),
    ];
    const FRACTION: &[Rule] = &[("in 0..1 (a fraction: 0.5 means 50%)", |v| {
        (0.0..=1.0).contains(&v)
    })];
    const NON_NEGATIVE: &[Rule] = &[(">= 0", |v| v >= 0.0)];
    const POSITIVE: &[Rule] = &[("> 0", |v| v > 0.0)];
    const CIRCUITY: &[Rule] = &[(
        ">= 1 (a road is never shorter than the straight line)",
        |v| v >= 1.0,
    )];
    const CORRELATION: &[Rule] = &[(
        "in -1..1, both ends excluded (a lag-1 correlation of a stationary series)",
        |v| v > -1.0 && v < 1.0,
    )];
    const DEGREES: &[Rule] = &[("in -180..180 (degrees)", |v| (-180.0..=180.0).contains(&v))];
    match unit {
        "persons" | "persons/day" | "workers" | "vehicles/day" => COUNT,
        "share" | "share of eligible" | "workers/person" => FRACTION,
        "g/vkm"
        | "g/pkm"
        | "g/vkm or g/pkm"
        | "kg CO2/kWh"
        | "empty km/passenger km"
        | "trips/WFH day"
        | "kWh/WFH day"
        | "L/day"
        | "t/yr"
        | "ppm" => NON_NEGATIVE,
        "km" | "km2" | "km/trip" | "km/sqrt(km2)" | "1/km" | "persons/vehicle"
        | "passengers/vehicle" | "trips/commute day" | "km/h" | "km/L" | "pcu/vehicle"
        | "kg CO2/kg fuel" => POSITIVE,
        "road km/straight km" => CIRCUITY,
        "deg" => DEGREES,
        "lag-1 correlation" => CORRELATION,
        _ => &[],
    }
}

/// Years a source or an assumption may be dated.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// One row of a parameter file, read field by field; errors name its file, line and column.
struct RowFields<'a> {
    t: &'a Table,
    r: &'a Row,
    col: &'a [usize],
}

impl RowFields<'_> {
    /// The field of column `COLUMNS[i]`.
    fn f(&self, i: usize) -> &str {
        self.r.fields[self.col[i]].as_str()
    }

    fn bad(&self, column: &str, message: String) -> DataError {
        DataError::BadValue {
            file: self.t.file.clone(),
            line: self.r.line,
            column: column.to_string(),
            message,
        }
    }

    /// An optional finite number.
    fn num(&self, i: usize) -> Result<Option<f64>, DataError> {
        let s = self.f(i);
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| self.bad(COLUMNS[i], format!("'{s}' is not a number")))
    }

    fn year(&self) -> Result<Option<i32>, DataError> {
        Ok(match self.f(5) {
            "" => None,
            s => Some(
                s.parse::<i32>()
                    .ok()
                    .filter(|y| YEARS.contains(y))
                    .ok_or_else(|| {
                        self.bad(
                            "year",
                            format!("'{s}' is not a year in {}..{}", YEARS.start(), YEARS.end()),
                        )
                    })?,
            ),
        })
    }

    fn kind(&self) -> Result<Kind, DataError> {
        Ok(match self.f(6) {
            "cited" => Kind::Cited,
            "derived" => Kind::Derived,
            "assumption" => Kind::Assumption,
            s => {
                return Err(self.bad(
                    "kind",
                    format!("'{s}' is not one of cited, derived, assumption"),
                ));
            }
        })
    }

    /// The row's fields, each parsed; the rules across fields are [`Self::check`]'s.
    fn param(&self) -> Result<Param, DataError> {
        let key = self.f(0).to_string();
        let value = self
            .num(1)?
            .ok_or_else(|| self.bad("value", "a value is required".into()))?;
        let (low, high) = (self.num(3)?, self.num(4)?);
        let year = self.year()?;
        let kind = self.kind()?;
        Ok(Param {
            key,
            value,
            unit: self.f(2).to_string(),
            low,
            high,
            year,
            kind,
            confidence: self.f(7).to_string(),
            source: self.f(8).to_string(),
            note: self.f(9).to_string(),
            origin: format!("{}:{}", self.t.file, self.r.line),
        })
    }

    /// The confidence grade, the range an assumption needs, the source a cited number
    /// needs, the range containing the value, and the rules of the unit.
    fn check(&self, p: &Param) -> Result<(), DataError> {
        let (key, value, confidence) = (&p.key, p.value, &p.confidence);
        if !["H", "M", "L", "M-H", "L-M"].contains(&confidence.as_str()) {
            return Err(self.bad(
                "confidence",
                format!("'{confidence}' is not one of H, M-H, M, L-M, L"),
            ));
        }
        if p.kind == Kind::Assumption && (p.low.is_none() || p.high.is_none()) {
            return Err(self.bad("low", format!("assumption '{key}' needs a low–high range")));
        }
        if p.kind == Kind::Cited && p.source.is_empty() {
            return Err(self.bad("source", format!("cited number '{key}' has no source")));
        }
        if let (Some(l), Some(h)) = (p.low, p.high)
            && !(l <= value && value <= h)
        {
            // A reversed range is the range's fault; otherwise the value lies outside it.
            let reversed = l > h;
            let (l, h, v) = (num(l), num(h), num(value));
            let message = if reversed {
                format!("range {l}–{h} of '{key}' has its low above its high")
            } else {
                format!("{v} for '{key}' is outside its range {l}–{h} (columns low and high)")
            };
            return Err(self.bad(if reversed { "low" } else { "value" }, message));
        }
        for (allowed, ok) in rules(&p.unit) {
            for (i, v) in [(1, Some(value)), (3, p.low), (4, p.high)] {
                if let Some(v) = v.filter(|v| !ok(*v)) {
                    return Err(self.bad(
                        COLUMNS[i],
                        format!(
                            "{} for '{key}' is not allowed: a value in {} must be {allowed}",
                            num(v),
                            p.unit
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default)]
pub struct Params {
    map: BTreeMap<String, Param>,
}

impl Params {
    /// Adds the rows of one parameter file; a key may be defined only once across files.
    pub fn add_table(&mut self, t: &Table) -> Result<(), DataError> {
        let col = t.columns(&COLUMNS)?;
        for r in &t.rows {
            let row = RowFields { t, r, col: &col };
            let p = row.param()?;
            row.check(&p)?;
            if let Some(prev) = self.map.get(&p.key) {
                return Err(row.bad(
                    "key",
                    format!("'{}' is already defined at {}", p.key, prev.origin),
                ));
            }
            self.map.insert(p.key.clone(), p);
        }
        Ok(())
    }

    pub fn param(&self, key: &str) -> Result<&Param, DataError> {
        self.map.get(key).ok_or_else(|| {
            // Name the file that holds the rest of the key's group, e.g. `ef.*`.
            let group = key.split('.').next().unwrap_or(key);
            let file = self
                .map
                .values()
                .find(|p| p.key.split('.').next() == Some(group))
                .and_then(|p| p.origin.rsplit_once(':'))
                .map_or(String::new(), |(f, _)| format!("{f}: "));
            DataError::MissingParameter {
                key: key.to_string(),
                file,
            }
        })
    }

    pub fn get(&self, key: &str) -> Result<f64, DataError> {
        Ok(self.param(key)?.value)
    }

    /// The row of `key`, if the dataset has one.
    pub fn row(&self, key: &str) -> Option<&Param> {
        self.map.get(key)
    }

    /// The row of `key` to change, if the dataset has one.
    pub fn row_mut(&mut self, key: &str) -> Option<&mut Param> {
        self.map.get_mut(key)
    }

    /// Fixes `key` at `value` (low = central = high), as a sweep does with a dataset
    /// factor; false when the dataset has no such row.
    pub fn fix(&mut self, key: &str, value: f64) -> bool {
        match self.map.get_mut(key) {
            Some(p) => {
                p.value = value;
                p.low = Some(value);
                p.high = Some(value);
                true
            }
            None => false,
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Param> {
        self.map.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "key,value,unit,low,high,year,kind,confidence,source,note\n";

    fn load(body: &str) -> Result<Params, DataError> {
        let mut p = Params::default();
        p.add_table(&Table::parse("p.csv", &format!("{HEAD}{body}"))?)?;
        Ok(p)
    }

    #[test]
    fn reads_values_and_ranges() {
        let p =
            load("a,1.5,km,1,2,2020,assumption,L,,why\nb,3,x,,,2019,cited,H,https://x,\n").unwrap();
        assert_eq!(p.param("a").unwrap().range(), (1.0, 1.5, 2.0));
        assert_eq!(p.get("b").unwrap(), 3.0);
        assert!(!p.param("b").unwrap().is_uncertain());
    }

    #[test]
    fn assumption_without_range_is_rejected() {
        let e = load("a,1,km,,,,assumption,L,,\n").unwrap_err().to_string();
        assert!(
            e.contains("p.csv:2") && e.contains("needs a low–high range"),
            "{e}"
        );
    }

    #[test]
    fn cited_without_source_is_rejected() {
        let e = load("a,1,km,,,,cited,H,,\n").unwrap_err().to_string();
        assert!(e.contains("has no source"), "{e}");
    }

    #[test]
    fn range_must_contain_value_and_keys_are_unique() {
        assert_eq!(
            load("a,5,km,1,2,,assumption,L,,\n")
                .unwrap_err()
                .to_string(),
            "p.csv:2: column 'value': 5 for 'a' is outside its range 1–2 (columns low and high)"
        );
        assert_eq!(
            load("a,1e308,km,1.8,2.4,,assumption,L,,\n")
                .unwrap_err()
                .to_string(),
            "p.csv:2: column 'value': 1e308 for 'a' is outside its range 1.8–2.4 (columns low and high)"
        );
        assert_eq!(
            load("a,2,km,3,1,,assumption,L,,\n")
                .unwrap_err()
                .to_string(),
            "p.csv:2: column 'low': range 3–1 of 'a' has its low above its high"
        );
        assert!(
            load("a,1,km,,,,derived,M,,\na,2,km,,,,derived,M,,\n")
                .unwrap_err()
                .to_string()
                .contains("already defined")
        );
    }

    #[test]
    fn missing_parameter_names_the_key() {
        let p = load("").unwrap();
        assert_eq!(
            p.get("ef.car.co2").unwrap_err().to_string(),
            "the dataset has no parameter 'ef.car.co2'; add a row for it"
        );
        let p = load("ef.car.pm25,1,g/vkm,,,,derived,M,,\n").unwrap();
        assert_eq!(
            p.get("ef.car.co2").unwrap_err().to_string(),
            "p.csv: the dataset has no parameter 'ef.car.co2'; add a row for it"
        );
    }

    #[test]
    fn values_are_checked_against_their_units_range_at_their_row() {
        let err = |row: &str| load(row).unwrap_err().to_string();
        assert_eq!(
            err("population.x,10.5,persons,,,,derived,M,,\n"),
            "p.csv:2: column 'value': 10.5 for 'population.x' is not allowed: a value in persons must be a whole number (a count of people)"
        );
        assert_eq!(
            err("distance.cap,0,km,0,1,,assumption,L,,\n"),
            "p.csv:2: column 'value': 0 for 'distance.cap' is not allowed: a value in km must be > 0"
        );
        assert_eq!(
            err("distance.circuity,0.9,road km/straight km,0.8,1.2,,assumption,L,,\n"),
            "p.csv:2: column 'value': 0.9 for 'distance.circuity' is not allowed: a value in road km/straight km must be >= 1 (a road is never shorter than the straight line)"
        );
        assert_eq!(
            err("lat.x,-616,deg,,,,cited,H,https://x,\n"),
            "p.csv:2: column 'value': -616 for 'lat.x' is not allowed: a value in deg must be in -180..180 (degrees)"
        );
        assert_eq!(
            err("a,1,km,,,20023,cited,H,https://x,\n"),
            "p.csv:2: column 'year': '20023' is not a year in 1900..2100"
        );
        assert!(load("population.x,10,persons,,,2020,derived,M,,\n").is_ok());
    }

    /// A negative count is checked at the binary level (tests/bad_input.rs), where the
    /// message is documented; a range end outside a share's bounds only here.
    #[test]
    fn a_range_end_above_one_for_a_share_is_rejected() {
        assert_eq!(
            load("s,0.5,share,0.4,1.2,,assumption,L,,\n")
                .unwrap_err()
                .to_string(),
            "p.csv:2: column 'high': 1.2 for 's' is not allowed: a value in share must be in 0..1 (a fraction: 0.5 means 50%)"
        );
    }
}
