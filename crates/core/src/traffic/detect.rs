//! Would a traffic count see it? A before/after comparison of daily counts (n₁ days
//! before, n₂ during) detects a change, with a two-sided 5% test and 80% power, when
//! the change is at least the minimum detectable effect
//! MDE = (z₀.₉₇₅ + z₀.₈₀) · σ · √(1/n₁ + 1/n₂), σ the day-to-day standard deviation of
//! a daily count (as a fraction of it).

/// z of a two-sided 5% test.
pub const Z_ALPHA: f64 = 1.96;
/// z of 80% power.
pub const Z_POWER: f64 = 0.84;

/// Minimum detectable relative change of a daily count (a fraction).
pub fn mde(sigma: f64, n_before: usize, n_during: usize) -> f64 {
    (Z_ALPHA + Z_POWER) * sigma * (1.0 / n_before as f64 + 1.0 / n_during as f64).sqrt()
}

/// A comparison a planner could make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// The strongest single day against one normal day.
    OneDay,
    /// The strongest five consecutive working days against five normal ones.
    OneWeek,
    /// Every working day of the policy window against as many before it.
    WholeWindow,
}

impl Comparison {
    pub const ALL: [Comparison; 3] = [
        Comparison::OneDay,
        Comparison::OneWeek,
        Comparison::WholeWindow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::OneDay => "one_day",
            Comparison::OneWeek => "one_week",
            Comparison::WholeWindow => "whole_window",
        }
    }

    /// Days on each side for a window of `window_days` working days.
    pub fn days(self, window_days: usize) -> usize {
        match self {
            Comparison::OneDay => 1,
            Comparison::OneWeek => 5.min(window_days.max(1)),
            Comparison::WholeWindow => window_days.max(1),
        }
    }

    /// The expected change this comparison sees in a series of daily changes (policy
    /// days only, in date order): the largest day, the largest mean of `days` consecutive
    /// days, or the mean of all.
    pub fn effect(self, daily: &[f64]) -> f64 {
        let k = self.days(daily.len()).min(daily.len());
        if k == 0 {
            return 0.0;
        }
        daily
            .windows(k)
            .map(|w| w.iter().sum::<f64>() / k as f64)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Whether a count would see an expected change `effect` (a fraction) against `mde`.
pub fn visible(effect: f64, mde: f64) -> bool {
    effect.abs() >= mde
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mde_matches_its_formula() {
        // σ = 2%, 40 days each side: 2.8 · 0.02 · √(2/40) = 1.252%.
        assert!((mde(0.02, 40, 40) - 2.8 * 0.02 * (0.05f64).sqrt()).abs() < 1e-15);
        assert!((mde(0.02, 40, 40) - 0.012522).abs() < 1e-6);
        // One day each side: 2.8 · 0.02 · √2 = 7.92%.
        assert!((mde(0.02, 1, 1) - 0.0791960).abs() < 1e-6);
    }

    #[test]
    fn the_verdict_flips_at_the_mde() {
        let m = mde(0.02, 5, 5);
        assert!(visible(m, m));
        assert!(visible(-m * 1.01, m));
        assert!(!visible(m * 0.99, m));
    }

    #[test]
    fn effects_of_each_comparison() {
        let d = [0.01, 0.01, 0.05, 0.01, 0.01, 0.01, 0.02];
        assert_eq!(Comparison::OneDay.effect(&d), 0.05);
        // Best 5 days: days 1..6 or 2..7: (0.01+0.05+0.01+0.01+0.01)/5 vs (0.05+…+0.02)/5.
        assert!((Comparison::OneWeek.effect(&d) - 0.10 / 5.0).abs() < 1e-12);
        assert!((Comparison::WholeWindow.effect(&d) - 0.12 / 7.0).abs() < 1e-12);
        assert_eq!(Comparison::WholeWindow.days(7), 7);
        assert_eq!(Comparison::OneWeek.days(3), 3);
    }
}
