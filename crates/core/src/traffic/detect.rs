//! Would a traffic count see it? A before/after comparison of daily counts (n₁ working
//! days before, n₂ during) with a two-sided 5% z-test. Day-to-day noise is an AR(1) series
//! over working days (lag-1 correlation ρ, standard deviation σ as a fraction of the
//! count), so the two window means are neither each as precise as n independent days nor
//! independent of each other. The standard error of their difference is
//! se = σ · √(wᵀ R w), R the series' correlation matrix ρ^|i−j| and w the weights −1/n₁ on
//! the before days and 1/n₂ on the during days. The minimum detectable effect (80% power)
//! is MDE = (z₀.₉₇₅ + z₀.₈₀) · se, and the power at an effect δ is
//! Φ(δ/se − z₀.₉₇₅) + Φ(−δ/se − z₀.₉₇₅). With ρ = 0: MDE = 2.8 · σ · √(1/n₁ + 1/n₂).

/// z of a two-sided 5% test.
pub const Z_ALPHA: f64 = 1.96;
/// z of 80% power.
pub const Z_POWER: f64 = 0.84;

/// Where the compared days lie in the series of working days: the before window's n₁ days,
/// then `gap` working days, then the n₂ days compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Design {
    pub n_before: usize,
    pub n_during: usize,
    pub gap: usize,
}

/// Standard error of (during mean − before mean) in units of σ, for AR(1) noise with lag-1
/// correlation `rho`: each mean's variance Σ ρ^|i−j| / n², less twice their covariance,
/// which for days k apart is ρ^k.
pub fn se_factor(d: Design, rho: f64) -> f64 {
    let within = |n: usize| -> f64 {
        let n = n.max(1);
        let lags: f64 = (1..n).map(|k| (n - k) as f64 * rho.powi(k as i32)).sum();
        (n as f64 + 2.0 * lags) / (n * n) as f64
    };
    // Σ over before day i (a = days to the boundary − 1) and during day j (b) of
    // ρ^(a + 1 + gap + b) = ρ^(1 + gap) · Σₐ ρᵃ · Σ_b ρᵇ.
    let geometric = |n: usize| -> f64 { (0..n.max(1)).map(|a| rho.powi(a as i32)).sum() };
    let between = rho.powi(1 + d.gap as i32) * geometric(d.n_before) * geometric(d.n_during)
        / (d.n_before.max(1) * d.n_during.max(1)) as f64;
    (within(d.n_before) + within(d.n_during) - 2.0 * between)
        .max(0.0)
        .sqrt()
}

/// Minimum detectable relative change of a daily count (a fraction): 80% power.
pub fn mde(sigma: f64, d: Design, rho: f64) -> f64 {
    (Z_ALPHA + Z_POWER) * sigma * se_factor(d, rho)
}

/// Power of the two-sided 5% z-test to see an expected change `effect` whose estimate
/// has standard error `se` (both fractions of the count). Without noise, any change is
/// seen and no change is not.
pub fn power(effect: f64, se: f64) -> f64 {
    if se <= 0.0 {
        return if effect != 0.0 { 1.0 } else { 0.0 };
    }
    let z = effect / se;
    normal_cdf(z - Z_ALPHA) + normal_cdf(-z - Z_ALPHA)
}

/// Standard normal distribution function Φ, from the complementary error function
/// (Abramowitz & Stegun 7.1.26, absolute error below 1.5·10⁻⁷).
pub fn normal_cdf(x: f64) -> f64 {
    let t_of = |y: f64| 1.0 / (1.0 + 0.327_591_1 * y);
    let y = x.abs() / std::f64::consts::SQRT_2;
    let t = t_of(y);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-y * y).exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
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
        self.strongest(daily).1
    }

    /// The days this comparison picks from a series of daily changes, as (index of its
    /// first day, its mean change): the earliest of equally strong windows.
    pub fn strongest(self, daily: &[f64]) -> (usize, f64) {
        let k = self.days(daily.len()).min(daily.len());
        if k == 0 {
            return (0, 0.0);
        }
        daily
            .windows(k)
            .map(|w| w.iter().sum::<f64>() / k as f64)
            .enumerate()
            .fold((0, f64::NEG_INFINITY), |best, (i, m)| {
                if m > best.1 { (i, m) } else { best }
            })
    }
}

/// Whether a count would see an expected change `effect` (a fraction) against `mde`.
pub fn visible(effect: f64, mde: f64) -> bool {
    effect.abs() >= mde
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Variance of (mean of the during days − mean of the before days), in units of σ²,
    /// summed element by element over the covariance matrix ρ^|i−j| of the whole series:
    /// before days at 0..n₁, during days at n₁+gap..n₁+gap+n₂.
    fn brute_force_se(n1: usize, n2: usize, gap: usize, rho: f64) -> f64 {
        let pos: Vec<(usize, f64)> = (0..n1)
            .map(|i| (i, -1.0 / n1 as f64))
            .chain((0..n2).map(|j| (n1 + gap + j, 1.0 / n2 as f64)))
            .collect();
        let mut v = 0.0;
        for &(i, wi) in &pos {
            for &(j, wj) in &pos {
                v += wi * wj * rho.powi((i as i32 - j as i32).abs());
            }
        }
        v.sqrt()
    }

    #[test]
    fn ar1_standard_error_has_its_known_answer() {
        // ρ = 0: today's formula, √(1/n₁ + 1/n₂), whatever the gap.
        for (n1, n2, gap) in [(1, 1, 0), (5, 5, 3), (44, 44, 0), (10, 3, 7)] {
            let want = (1.0 / n1 as f64 + 1.0 / n2 as f64).sqrt();
            assert!(
                (se_factor(
                    Design {
                        n_before: n1,
                        n_during: n2,
                        gap
                    },
                    0.0
                ) - want)
                    .abs()
                    < 1e-14
            );
        }
        // ρ = 0.5, against the covariance-matrix sum.
        for (n1, n2, gap) in [(1, 1, 0), (5, 5, 0), (5, 5, 12), (44, 44, 0), (7, 3, 2)] {
            let got = se_factor(
                Design {
                    n_before: n1,
                    n_during: n2,
                    gap,
                },
                0.5,
            );
            let want = brute_force_se(n1, n2, gap, 0.5);
            assert!(
                (got - want).abs() < 1e-12,
                "{n1} {n2} {gap}: {got} vs {want}"
            );
        }
        // One day on each side of the boundary: Var = 2σ²(1 − ρ).
        let one = Design {
            n_before: 1,
            n_during: 1,
            gap: 0,
        };
        assert!((se_factor(one, 0.5) - 1.0).abs() < 1e-15);
        // The figure: σ = 2%, 44 working days on each side, ρ = 0.5 → 2.02% (1.19% at ρ = 0).
        let whole = Design {
            n_before: 44,
            n_during: 44,
            gap: 0,
        };
        assert!((mde(0.02, whole, 0.0) - 0.011939).abs() < 1e-6);
        assert!((mde(0.02, whole, 0.5) - 0.020204).abs() < 1e-6);
    }

    #[test]
    fn expected_power_of_the_two_sided_test() {
        // Φ at known points.
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.9750021).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.1586553).abs() < 1e-6);
        let d = Design {
            n_before: 44,
            n_during: 44,
            gap: 0,
        };
        for rho in [0.0, 0.5] {
            let se = 0.02 * se_factor(d, rho);
            // At δ = MDE the power is 80%, at δ = 0 it is the test's size, 5%.
            assert_eq!(format!("{:.2}", power(mde(0.02, d, rho), se)), "0.80");
            assert!((power(0.0, se) - 0.05).abs() < 1e-4);
            // A fall and a rise of one size are seen alike; more effect, more power.
            assert_eq!(power(-0.01, se), power(0.01, se));
            assert!(power(0.02, se) > power(0.01, se));
        }
        assert_eq!(power(0.01, 0.0), 1.0);
        assert_eq!(power(0.0, 0.0), 0.0);
    }

    #[test]
    fn mde_matches_its_formula() {
        // σ = 2%, 40 days each side: 2.8 · 0.02 · √(2/40) = 1.252%.
        let d = |n| Design {
            n_before: n,
            n_during: n,
            gap: 0,
        };
        assert!((mde(0.02, d(40), 0.0) - 2.8 * 0.02 * (0.05f64).sqrt()).abs() < 1e-15);
        assert!((mde(0.02, d(40), 0.0) - 0.012522).abs() < 1e-6);
        // One day each side: 2.8 · 0.02 · √2 = 7.92%.
        assert!((mde(0.02, d(1), 0.0) - 0.0791960).abs() < 1e-6);
    }

    #[test]
    fn the_verdict_flips_at_the_mde() {
        let m = mde(
            0.02,
            Design {
                n_before: 5,
                n_during: 5,
                gap: 0,
            },
            0.0,
        );
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
        // Where each comparison's days start: day 3 (index 2), the week from index 2.
        assert_eq!(Comparison::OneDay.strongest(&d).0, 2);
        assert_eq!(Comparison::OneWeek.strongest(&d).0, 2);
        assert_eq!(Comparison::WholeWindow.strongest(&d).0, 0);
    }
}
