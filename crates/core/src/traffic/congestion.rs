//! Speed from volume, city-wide, and the traffic a faster road draws back.
//!
//! A region's average speed in a period responds to its traffic with a constant
//! elasticity ε (d ln v / d ln PCU, a dataset row per period): v = v0 · (Q / B)^ε for
//! traffic Q against the baseline B. The remaining traffic answers the change in its
//! travel time per km with a constant elasticity η (induced traffic): Q = Q_r · (t / t0)^η
//! = Q_r · (v0 / v)^η, where Q_r is what remains once the workers at home are off the
//! road. Both hold at once; in logs, with s = ln(v / v0) and a = ln(Q_r / B),
//! s = ε (a − η s), so s = ε a / (1 + ε η) — a closed form, no iteration. η = 0 gives
//! s = ε a (no induced traffic). The speed never exceeds free flow.

/// The speed response of one period and the induced-traffic elasticity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Response {
    /// Elasticity of speed to volume, ≤ 0.
    pub elasticity: f64,
    /// Elasticity of traffic to its travel time per km, ≤ 0.
    pub induced: f64,
    /// Free-flow speed, km/h: the ceiling.
    pub v_free: f64,
}

/// A period's new state: its speed and how much the remaining traffic grows by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reached {
    /// Speed, km/h.
    pub speed: f64,
    /// Induced traffic as a fraction of the remaining traffic (> 0 when the roads are
    /// faster, < 0 when slower).
    pub induced: f64,
}

impl Response {
    /// The elasticity of speed to an outside change in traffic once the induced traffic
    /// has answered it: d s / d a = ε / (1 + ε η).
    pub fn effective_elasticity(&self) -> f64 {
        self.elasticity / (1.0 + self.elasticity * self.induced)
    }

    /// From baseline speed `v0` when the traffic left on the road, before any induced
    /// traffic, is `ratio` of the baseline (in passenger-car units).
    pub fn reach(&self, v0: f64, ratio: f64) -> Reached {
        let denominator = 1.0 + self.elasticity * self.induced;
        let s_free = (self.v_free / v0).ln();
        let s = if ratio > 0.0 {
            (self.elasticity * ratio.ln() / denominator).min(s_free)
        } else {
            s_free
        };
        Reached {
            speed: v0 * s.exp(),
            induced: (-self.induced * s).exp() - 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} vs {b}");
    }

    #[test]
    fn no_induced_traffic_is_a_power_law() {
        let r = Response {
            elasticity: -0.2,
            induced: 0.0,
            v_free: 40.0,
        };
        // 10% less traffic at ε = −0.2: 22 · 0.9^−0.2.
        let x = r.reach(22.0, 0.9);
        close(x.speed, 22.0 * 0.9f64.powf(-0.2));
        assert_eq!(x.induced, 0.0);
        // No change, no change.
        assert_eq!(
            r.reach(22.0, 1.0),
            Reached {
                speed: 22.0,
                induced: 0.0
            }
        );
        // More traffic, slower.
        assert!(r.reach(22.0, 1.1).speed < 22.0);
    }

    /// The closed form is the fixed point of the two relations: the speed the total
    /// traffic (remaining + induced) gives is the speed that induced it.
    #[test]
    fn the_closed_form_is_the_equilibrium() {
        let r = Response {
            elasticity: -0.15,
            induced: -0.4,
            v_free: 40.0,
        };
        let (v0, ratio) = (22.0, 0.97);
        let x = r.reach(v0, ratio);
        let total = ratio * (1.0 + x.induced);
        close(x.speed, v0 * total.powf(-0.15));
        close(1.0 + x.induced, (v0 / x.speed).powf(-0.4));
        // Induced traffic takes back part of the speed gain, never all of it.
        let without = Response { induced: 0.0, ..r }.reach(v0, ratio).speed;
        assert!(x.speed > v0 && x.speed < without);
        assert!(x.induced > 0.0 && total < 1.0);
    }

    #[test]
    fn effective_elasticity_by_hand() {
        let r = Response {
            elasticity: -0.15,
            induced: -0.4,
            v_free: 40.0,
        };
        // −0.15 / (1 + 0.06)
        close(r.effective_elasticity(), -0.15 / 1.06);
        // The log of the speed change is the effective elasticity × the log of the ratio.
        let x = r.reach(22.0, 0.99);
        close(
            (x.speed / 22.0).ln(),
            r.effective_elasticity() * 0.99f64.ln(),
        );
    }

    #[test]
    fn free_flow_caps_the_speed() {
        let r = Response {
            elasticity: -0.9,
            induced: -0.4,
            v_free: 30.0,
        };
        let x = r.reach(22.0, 0.5);
        close(x.speed, 30.0);
        close(1.0 + x.induced, (22.0f64 / 30.0).powf(-0.4));
        close(r.reach(22.0, 0.0).speed, 30.0);
    }
}
