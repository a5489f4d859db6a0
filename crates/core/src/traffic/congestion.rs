//! Speed from volume: the Bureau of Public Roads volume–delay curve
//! t = t0 · (1 + α·x^β), so speed v(x) = v0 / (1 + α·x^β) with x the volume/capacity
//! ratio. The baseline ratio of each period is calibrated so that the curve reproduces
//! the observed speed; a scenario scales it by its change in passenger-car units.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bpr {
    /// Free-flow speed, km/h.
    pub v0: f64,
    pub alpha: f64,
    pub beta: f64,
}

impl Bpr {
    /// Speed (km/h) at volume/capacity ratio `x`.
    pub fn speed(&self, x: f64) -> f64 {
        self.v0 / (1.0 + self.alpha * x.max(0.0).powf(self.beta))
    }

    /// The ratio at which the curve gives speed `v`; 0 when `v` is at or above free flow.
    pub fn calibrate(&self, v: f64) -> f64 {
        if v >= self.v0 {
            return 0.0;
        }
        ((self.v0 / v - 1.0) / self.alpha).powf(1.0 / self.beta)
    }

    /// Elasticity of speed to volume at ratio `x`: d ln v / d ln x = −β·α·x^β / (1 + α·x^β).
    pub fn elasticity(&self, x: f64) -> f64 {
        let a = self.alpha * x.powf(self.beta);
        -self.beta * a / (1.0 + a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_reproduces_the_baseline_speed() {
        let b = Bpr {
            v0: 40.5,
            alpha: 0.15,
            beta: 4.0,
        };
        for v in [10.0, 22.0, 31.7, 40.0] {
            let x = b.calibrate(v);
            assert!((b.speed(x) - v).abs() < 1e-9, "{v}");
        }
        assert_eq!(b.calibrate(45.0), 0.0);
        assert_eq!(b.speed(0.0), 40.5);
    }

    #[test]
    fn by_hand() {
        // x = 2: 40 / (1 + 0.15 · 16) = 40 / 3.4
        let b = Bpr {
            v0: 40.0,
            alpha: 0.15,
            beta: 4.0,
        };
        assert_eq!(b.speed(2.0), 40.0 / 3.4);
        // Elasticity at x = 2: −4 · 2.4 / 3.4
        assert!((b.elasticity(2.0) + 4.0 * 2.4 / 3.4).abs() < 1e-12);
        // Less volume, more speed.
        assert!(b.speed(1.9) > b.speed(2.0));
    }
}
