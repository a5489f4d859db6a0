//! What the odd-even and transit-cap measures act through (`parameters/traffic.csv`):
//! the share of DKI's peak car traffic on the roads odd-even covers, the share of those
//! cars barred on a day, and the responses of a barred car trip (switch to transit, to a
//! taxi or to a motorcycle, retime, reroute, second car, no heed; their central values
//! add up to 1); transit's peak load factors and what the commuters a cap leaves off do.
//! Read once at load; drawn per replicate by key (`traffic::draw`).

use super::Uncertain;
use super::reader::Reader;
use crate::data::DataError;

const TRAFFIC: &str = "parameters/traffic.csv";

/// The responses of a barred car trip, in the rows' order.
pub const RESPONSES: [&str; 7] = [
    "transit",
    "taxi",
    "motorcycle",
    "retime",
    "reroute",
    "second_car",
    "ignore",
];

#[derive(Debug, Clone, PartialEq)]
pub struct OddEvenInputs {
    /// Share of a DKI region's peak car vehicle-km on the covered roads.
    pub covered: Uncertain,
    /// Share of the cars there barred on a day.
    pub barred: Uncertain,
    /// Per response of [`RESPONSES`]: its share of the barred car trips.
    pub responses: [Uncertain; RESPONSES.len()],
}

#[derive(Debug, Clone, PartialEq)]
pub struct TransitInputs {
    /// Riders over normal capacity in the peaks: rail, then bus.
    pub peak_load: [Uncertain; 2],
    /// Of the commuters a cap leaves off: the share who drive.
    pub drive: Uncertain,
    /// Of those who drive: the share on a motorcycle (the rest by car).
    pub motorcycle: Uncertain,
}

impl OddEvenInputs {
    pub fn response(&self, name: &str) -> &Uncertain {
        let j = RESPONSES.iter().position(|r| *r == name);
        &self.responses[j.expect("a response of RESPONSES")]
    }
}

impl OddEvenInputs {
    pub fn all(&self) -> impl Iterator<Item = &Uncertain> {
        [&self.covered, &self.barred]
            .into_iter()
            .chain(&self.responses)
    }
}

impl TransitInputs {
    pub fn all(&self) -> impl Iterator<Item = &Uncertain> {
        self.peak_load.iter().chain([&self.drive, &self.motorcycle])
    }
}

pub(super) fn read(r: &mut Reader) -> (OddEvenInputs, TransitInputs) {
    let odd = "an odd-even measure needs the covered share, the barred share and each response";
    let cap =
        "a transit cap needs transit's peak load factors and what the riders it leaves off do";
    let odd_even = OddEvenInputs {
        covered: r.drawn(TRAFFIC, odd, "traffic.odd_even.covered".into()),
        barred: r.drawn(TRAFFIC, odd, "traffic.odd_even.barred".into()),
        responses: RESPONSES
            .map(|n| r.drawn(TRAFFIC, odd, format!("traffic.odd_even.response.{n}"))),
    };
    let transit = TransitInputs {
        peak_load: ["rail", "bus"]
            .map(|m| r.drawn(TRAFFIC, cap, format!("transit.peak_load_factor.{m}"))),
        drive: r.drawn(TRAFFIC, cap, "transit.capped.drive".into()),
        motorcycle: r.drawn(TRAFFIC, cap, "transit.capped.motorcycle".into()),
    };
    (odd_even, transit)
}

/// Refuses responses whose central values do not add up to 1 (to 0.005), or whose ones
/// that move traffic (transit, motorcycle, retime) add up to more than 1 at their high
/// ends; and a load factor at or below 0.
pub(super) fn check(
    o: &OddEvenInputs,
    t: &TransitInputs,
    origin: impl Fn(&str) -> String,
) -> Result<(), DataError> {
    let sum: f64 = o.responses.iter().map(|u| u.central).sum();
    let keys = || {
        let k: Vec<&str> = o.responses.iter().map(|u| u.key.as_str()).collect();
        k.join(" + ")
    };
    if (sum - 1.0).abs() > 0.005 {
        return Err(DataError::Invalid {
            at: origin(&o.responses[0].key),
            message: format!(
                "column 'value': {} add up to {}; allowed: 1 (every barred car trip responds one way)",
                keys(),
                crate::text::num(sum)
            ),
        });
    }
    let moving: f64 = ["transit", "motorcycle", "retime"]
        .map(|n| o.response(n).high)
        .iter()
        .sum();
    if moving > 1.0 {
        return Err(DataError::Invalid {
            at: origin(&o.response("transit").key),
            message: format!(
                "column 'high': the transit, motorcycle and retime responses add up to {} at their high ends; allowed: at most 1",
                crate::text::num(moving)
            ),
        });
    }
    if let Some(u) = t.peak_load.iter().find(|u| u.low.is_nan() || u.low <= 0.0) {
        return Err(DataError::Invalid {
            at: origin(&u.key),
            message: format!(
                "column 'low': {} is not above 0; allowed: riders over normal capacity above 0",
                crate::text::num(u.low)
            ),
        });
    }
    Ok(())
}
