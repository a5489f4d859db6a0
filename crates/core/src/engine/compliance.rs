//! Who complies, per policy, in one replicate: the 16-bit thresholds the kernel compares
//! the compliance draws with (docs/method.md §3).
//!
//! - `iid`: every assigned member complies each day with probability c × ramp(day), one
//!   16-bit lane of the daily compliance stream per member (as before the models existed:
//!   without a ramp the thresholds, and so the counts, are the same bits).
//! - `persistent`: each member carries one 16-bit type for the replicate, keyed by the
//!   agent on its own stream ([`Stream::ComplianceType`]); it stays home on the days its
//!   type is below the day's threshold. As the ramp rises the compliers of an earlier day
//!   stay compliers (the thresholds nest).
//! - `clustered`: each work unit draws p_u ~ Beta with mean c and intra-unit correlation
//!   rho, by inversion of one uniform keyed by (seed, replicate, unit) on
//!   [`Stream::ComplianceUnit`] ([`crate::beta`]); its members then comply each day as
//!   under `iid` with p_u × ramp(day). rho = 0 is `iid` exactly.
//!
//! Every draw is keyed by the agent or the unit, never by the scenario, so scenarios that
//! cover the same staff share them (common random numbers).

use crate::beta;
use crate::policy::{PolicyDays, ramp};
use crate::rng::{Stream, StreamKey, draw_from_terms};
use crate::scenario::ComplianceModel;

/// Below this rho the Beta's spread changes a unit of 100 by less than 1% in variance
/// (design effect 1 + 99·rho); it is drawn as 0, where the Beta's shapes would be large
/// enough to make the quantile slow.
const MIN_RHO: f64 = 1e-4;

/// One policy's drawn compliance in a replicate: the share of assigned staff who comply
/// at full uptake, the intra-unit correlation (`clustered`) and the ramp.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compliance {
    pub share: f64,
    pub rho: f64,
    pub ramp_days: f64,
    pub ramp_from: f64,
}

/// A bare compliance share: no clustering, no ramp.
impl From<f64> for Compliance {
    fn from(share: f64) -> Compliance {
        Compliance {
            share,
            rho: 0.0,
            ramp_days: 0.0,
            ramp_from: 1.0,
        }
    }
}

/// A probability as a threshold on 16-bit draws (the kernel's lanes), or `None` when it
/// is certain.
pub(super) fn thr16(p: f64) -> Option<u32> {
    let t = (p.clamp(0.0, 1.0) * 65_536.0).round() as u32;
    (t < 65_536).then_some(t)
}

/// One policy's compliance prepared for the day loop.
pub(super) struct PolicyCompliance {
    model: ComplianceModel,
    share: f64,
    rho: f64,
    /// Per working day: the ramp's factor (1 at full uptake).
    ramp: Vec<f64>,
    /// Whether the ramp is below 1 on some day (else every day's threshold is day 0's).
    ramped: bool,
    /// Per working day: the threshold of share × ramp (`iid`, `persistent`).
    day_thr: Vec<Option<u32>>,
    /// `clustered`: the units' stream.
    unit_key: StreamKey,
    /// `persistent`: the types' stream (its bits).
    type_key: u64,
}

impl PolicyCompliance {
    pub(super) fn new(pd: &PolicyDays, c: Compliance, seed: u64, replicate: u32) -> Self {
        let ramp: Vec<f64> = pd
            .order_day
            .iter()
            .map(|&j| ramp(j, c.ramp_days, c.ramp_from))
            .collect();
        PolicyCompliance {
            model: pd.uptake.model,
            share: c.share,
            rho: if c.rho < MIN_RHO { 0.0 } else { c.rho },
            day_thr: ramp.iter().map(|&r| thr16(c.share * r)).collect(),
            ramped: ramp.iter().any(|&r| r < 1.0),
            ramp,
            unit_key: StreamKey::new(seed, replicate, Stream::ComplianceUnit),
            type_key: StreamKey::new(seed, replicate, Stream::ComplianceType).bits(),
        }
    }

    pub(super) fn is_persistent(&self) -> bool {
        self.model == ComplianceModel::Persistent
    }

    /// Whether the compliance changes from day to day (a ramp below 1 on some day); if
    /// not, every day's threshold is day 0's.
    pub(super) fn is_ramped(&self) -> bool {
        self.ramped
    }

    /// The compliance of population unit `unit`: its own p_u under `clustered`, else the
    /// policy's.
    pub(super) fn unit(&self, unit: u32) -> UnitCompliance<'_> {
        let p = match self.model {
            ComplianceModel::Clustered if self.rho > 0.0 => {
                let u = self.unit_key.unit_f64(unit as u64);
                Some(beta::quantile_mean_icc(u, self.share, self.rho))
            }
            _ => None,
        };
        UnitCompliance {
            policy: self,
            p,
            thr: p.and_then(thr16),
        }
    }

    /// A member's persistent type: 16 bits keyed by the agent's term; it complies on a day
    /// whose threshold is above it.
    #[inline]
    pub(super) fn member_type(&self, hi: u32) -> u16 {
        (draw_from_terms(self.type_key, hi, 0) >> 16) as u16
    }
}

/// A unit's compliance under its policy.
pub(super) struct UnitCompliance<'a> {
    policy: &'a PolicyCompliance,
    /// The unit's own compliance (`clustered`), else `None` (the policy's).
    p: Option<f64>,
    /// Its threshold at full uptake.
    thr: Option<u32>,
}

impl UnitCompliance<'_> {
    /// The threshold on working day `d`; `None` = every assigned member complies. A plan
    /// without working days asks for day 0: it gets the full level's.
    #[inline]
    pub(super) fn threshold(&self, d: usize) -> Option<u32> {
        let r = self.policy.ramp.get(d).copied().unwrap_or(1.0);
        match self.p {
            None if r < 1.0 => self.policy.day_thr[d],
            None => thr16(self.policy.share),
            Some(p) if r < 1.0 => thr16(p * r),
            Some(_) => self.thr,
        }
    }
}
