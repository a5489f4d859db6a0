//! Student's t and the normal quantile, for intervals and p-values of the evaluation's
//! regressions.
//!
//! - The t distribution's tails through the regularized incomplete beta function
//!   ([`crate::beta::cdf`]): P(|T| > t) = I_x(df/2, 1/2) with x = df / (df + t²)
//!   (Abramowitz & Stegun 26.7.1 and 26.5.27), so both the p-value and the quantile are as
//!   accurate as that function (about 1e-13).
//! - The t quantile inverts the same identity with the beta quantile
//!   ([`crate::beta::quantile`]): t = √(df (1 − x) / x) with x the Beta(df/2, 1/2) quantile
//!   of the two-sided tail 2(1 − p).
//! - The normal quantile by Acklam's rational approximation (2003; relative error below
//!   1.2e-9 over (0, 1)). The normal distribution function itself is
//!   [`crate::traffic::detect::normal_cdf`].

use crate::beta;

/// Two-sided p-value of a t statistic with `df` degrees of freedom: P(|T| ≥ |t|).
pub fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    beta::cdf(df / (df + t * t), 0.5 * df, 0.5)
}

/// The `p` quantile of Student's t with `df` degrees of freedom (`0 < p < 1`).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    let x = beta::quantile(2.0 * (1.0 - p), 0.5 * df, 0.5);
    (df * (1.0 - x) / x).sqrt()
}

/// The `p` quantile of the standard normal distribution (`0 < p < 1`), Acklam's
/// algorithm: a rational function of q = p − 1/2 in the centre, of √(−2 ln p) in the tails.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.024_25;
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    let tail = |p: f64| {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail(p)
    } else if p > 1.0 - P_LOW {
        -tail(1.0 - p)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// t₀.₉₇₅ with `df` degrees of freedom: the half-width of a 95% interval in standard errors.
pub fn t975(df: usize) -> f64 {
    t_quantile(0.975, df as f64)
}

/// z₀.₈: the standard errors an effect must add to the critical value for 80% power.
pub fn z80() -> f64 {
    normal_quantile(0.8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::detect::normal_cdf;

    #[test]
    fn t_quantiles_match_the_printed_table() {
        // Two-sided 95% critical values (any statistics table, e.g. Fisher & Yates).
        for (df, want) in [
            (1.0, 12.706_205),
            (2.0, 4.302_653),
            (5.0, 2.570_582),
            (10.0, 2.228_139),
            (30.0, 2.042_272),
            (120.0, 1.979_930),
        ] {
            let got = t_quantile(0.975, df);
            assert!((got - want).abs() < 1e-6, "df {df}: {got} vs {want}");
        }
        // One-sided 99% with 4 df, 90% with 20 df.
        assert!((t_quantile(0.99, 4.0) - 3.746_947).abs() < 1e-6);
        assert!((t_quantile(0.90, 20.0) - 1.325_341).abs() < 1e-6);
        assert!((t_quantile(0.025, 10.0) + 2.228_139).abs() < 1e-6);
        assert_eq!(t_quantile(0.5, 7.0), 0.0);
        assert!(t_quantile(1.0, 7.0).is_nan() && t_quantile(0.9, 0.0).is_nan());
    }

    #[test]
    fn t_p_values_are_the_quantiles_inverse() {
        for df in [1.0, 3.0, 10.0, 57.0, 400.0] {
            for p in [0.5, 0.2, 0.05, 0.01, 1e-4] {
                let t = t_quantile(1.0 - p / 2.0, df);
                let back = t_two_sided_p(t, df);
                assert!((back - p).abs() < 1e-10 * p.max(1e-3), "{df} {p}: {back}");
            }
        }
        // df = 1 is the Cauchy: P(|T| > 1) = 1/2 exactly; df = 2: P(|T| > t) = 1 − t/√(t² + 2).
        assert!((t_two_sided_p(1.0, 1.0) - 0.5).abs() < 1e-13);
        let t: f64 = 1.7;
        assert!((t_two_sided_p(t, 2.0) - (1.0 - t / (t * t + 2.0).sqrt())).abs() < 1e-13);
        assert_eq!(t_two_sided_p(0.0, 9.0), 1.0);
        assert_eq!(t_two_sided_p(f64::INFINITY, 9.0), 0.0);
        assert_eq!(t_two_sided_p(-2.0, 9.0), t_two_sided_p(2.0, 9.0));
    }

    #[test]
    fn normal_quantiles_match_the_table_and_the_distribution_function() {
        for (p, want) in [
            (0.975, 1.959_963_985),
            (0.8, 0.841_621_234),
            (0.5, 0.0),
            (0.999, 3.090_232_306),
            (0.01, -2.326_347_874),
            (1e-6, -4.753_424_309),
        ] {
            let got = normal_quantile(p);
            assert!((got - want).abs() < 1e-8, "{p}: {got} vs {want}");
        }
        // Round trip through Φ (whose own error is below 1.5e-7).
        for p in [0.001, 0.03, 0.3, 0.6, 0.97, 0.9999] {
            assert!((normal_cdf(normal_quantile(p)) - p).abs() < 2e-7, "{p}");
        }
        // Large df approaches the normal: t₀.₉₇₅(df) − z₀.₉₇₅ ≈ z(z² + 1)/(4 df) (Cornish–Fisher,
        // the next term is below 1e-9 here): 2.3723e-5 at df = 1e5.
        let gap = t_quantile(0.975, 1e5) - normal_quantile(0.975);
        assert!((gap - 2.3723e-5).abs() < 1e-8, "{gap}");
        assert!(normal_quantile(0.0).is_nan());
    }
}
