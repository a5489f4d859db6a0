//! A count series' own noise in place of the assumed one (`wfhsim run --observed`): the
//! detectability table's day-to-day σ of the city-wide count and its AR(1) correlation
//! become the values read from a series before the policy, fixed (no range), with the
//! series named as their source.

use super::inputs::Inputs;
use super::{DataError, Dataset};

/// The provenance keys the observed noise replaces.
pub const SIGMA_KEY: &str = "detect.sigma_city";
pub const AR1_KEY: &str = "detect.daily_count_ar1";

impl Dataset {
    /// The dataset with `detect.sigma_city` = `sigma` (a fraction of the count) and
    /// `detect.daily_count_ar1` = `rho`, each fixed and sourced to `what`.
    pub fn with_observed_noise(
        mut self,
        sigma: f64,
        rho: f64,
        what: &str,
    ) -> Result<Dataset, DataError> {
        if !(sigma.is_finite() && sigma > 0.0 && (0.0..1.0).contains(&rho)) {
            return Err(DataError::Inconsistent(format!(
                "the observed series gives sigma {sigma} and AR(1) {rho}; the detectability table needs sigma above 0 and AR(1) in [0, 1)"
            )));
        }
        for (key, v) in [(SIGMA_KEY, sigma), (AR1_KEY, rho)] {
            if !self.params.fix(key, v) {
                return Err(DataError::Inconsistent(format!("{key} is missing")));
            }
            if let Some(p) = self.params.row_mut(key) {
                p.source = what.to_string();
                p.note = format!(
                    "observed: {what}; fixed at the series' own value in place of the assumed range"
                );
            }
        }
        self.inputs = Inputs::from_params(
            &self.params,
            &self.regions,
            &self.employers,
            &self.roles,
            &self.modes,
        )?;
        Ok(self)
    }
}
