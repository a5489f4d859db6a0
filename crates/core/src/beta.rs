//! The Beta distribution: its regularized incomplete beta function (the CDF) and the
//! quantile (inverse CDF), written out here so that a unit's compliance can be drawn by
//! inversion from one keyed uniform (common random numbers: a unit at the same quantile in
//! every scenario). No random numbers are drawn here.
//!
//! - ln Γ by the Lanczos approximation (g = 7, nine coefficients; relative error below
//!   1e-15 for x > 0; Lanczos 1964, coefficients as tabulated by Godfrey);
//! - I_x(a, b) by its continued fraction (DLMF 8.17.22) evaluated with the modified Lentz
//!   method, on the side of the mean where it converges fast (DLMF 8.17.4 for the other);
//! - the quantile by Newton's method kept inside a shrinking bracket (a bisection step
//!   whenever Newton would leave it), so it always converges and is deterministic.
//!
//! Accurate to about 1e-13 in x for 1e-3 ≤ a, b ≤ 1e5 (the tests compare with closed
//! forms: Beta(1, 1), Beta(a, 1), Beta(1, b), integer a and b through the binomial sum,
//! the mean and variance).

/// ln Γ(x) for x > 0.
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 - x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut s = C[0];
    for (i, &c) in C.iter().enumerate().skip(1) {
        s += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + s.ln()
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The regularized incomplete beta function I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b),
/// a, b > 0.
pub fn cdf(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    // The continued fraction converges fast for x below the mean's neighbourhood;
    // above it, I_x(a, b) = 1 − I_{1−x}(b, a).
    if x < (a + 1.0) / (a + b + 2.0) {
        front(x, a, b) * fraction(x, a, b)
    } else {
        1.0 - front(1.0 - x, b, a) * fraction(1.0 - x, b, a)
    }
}

/// x^a (1 − x)^b / (a B(a, b)): the factor in front of the continued fraction.
fn front(x: f64, a: f64, b: f64) -> f64 {
    (a * x.ln() + b * (1.0 - x).ln() - ln_beta(a, b)).exp() / a
}

/// 1 / (1 + d1 / (1 + d2 / (1 + ...))) with DLMF 8.17.22's coefficients
/// d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)), d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)),
/// by the modified Lentz method.
fn fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (mut f, mut c, mut d) = (1.0f64, 1.0f64, 0.0f64);
    for j in 1..=100_000u32 {
        let m = (j / 2) as f64;
        let dj = if j % 2 == 1 {
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0))
        } else {
            m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m))
        };
        d = 1.0 / guard(1.0 + dj * d);
        c = guard(1.0 + dj / c);
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < EPS {
            break;
        }
    }
    1.0 / f
}

/// The density of Beta(a, b) at x in (0, 1).
fn pdf(x: f64, a: f64, b: f64) -> f64 {
    ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_beta(a, b)).exp()
}

/// The `u` quantile of Beta(a, b) (a, b > 0): the x in [0, 1] with I_x(a, b) = u.
pub fn quantile(u: f64, a: f64, b: f64) -> f64 {
    if u <= 0.0 {
        return 0.0;
    }
    if u >= 1.0 {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let mut x = a / (a + b);
    for _ in 0..400 {
        let f = cdf(x, a, b) - u;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let p = pdf(x, a, b);
        let newton = x - f / p;
        let next = if p.is_finite() && p > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            split(lo, hi)
        };
        if hi <= 1e-300 {
            // Under the smallest normal double: the quantile is 0 for every use here.
            return 0.0;
        }
        if (next - x).abs() <= 1e-15 * x {
            return next;
        }
        x = next;
    }
    x
}

/// A point inside (lo, hi) for a bisection step: the middle, or, when the bracket spans
/// orders of magnitude near 0 (shapes below 1 put quantiles at 1e-100 and less), its
/// geometric middle, so that tiny quantiles are reached in a few dozen steps.
fn split(lo: f64, hi: f64) -> f64 {
    if lo == 0.0 && hi < 1e-3 {
        hi * 1e-6
    } else if lo > 0.0 && hi > 4.0 * lo {
        (lo * hi).sqrt()
    } else {
        0.5 * (lo + hi)
    }
}

/// Beta(a, b) with mean `mean` and intra-class correlation `rho` (0 < rho < 1): the
/// beta-binomial's correlation between two members of a cluster, so that a cluster of m
/// has variance m·mean·(1 − mean)·(1 + (m − 1)·rho). a = mean(1 − rho)/rho,
/// b = (1 − mean)(1 − rho)/rho.
pub fn shape_from_mean_icc(mean: f64, rho: f64) -> (f64, f64) {
    let k = (1.0 - rho) / rho;
    (mean * k, (1.0 - mean) * k)
}

/// The `u` quantile of the Beta with mean `mean` and intra-class correlation `rho`, with
/// its limits written out: `rho` = 0 gives `mean` (no clustering), `rho` = 1 gives 0 or 1
/// (everyone or no one: P(1) = mean), and a mean of 0 or 1 is itself.
pub fn quantile_mean_icc(u: f64, mean: f64, rho: f64) -> f64 {
    if mean <= 0.0 || mean >= 1.0 || rho <= 0.0 {
        return mean.clamp(0.0, 1.0);
    }
    if rho >= 1.0 {
        return if u < 1.0 - mean { 0.0 } else { 1.0 };
    }
    let (a, b) = shape_from_mean_icc(mean, rho);
    quantile(u, a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn ln_gamma_matches_factorials_and_half_integers() {
        let mut fact = 1.0f64;
        for n in 1..30u32 {
            // Γ(n) = (n − 1)!
            assert!(close(ln_gamma(n as f64), fact.ln(), 1e-12), "n = {n}");
            fact *= n as f64;
        }
        // Γ(1/2) = √π, Γ(3/2) = √π / 2.
        let sqrt_pi = std::f64::consts::PI.sqrt();
        assert!(close(ln_gamma(0.5), sqrt_pi.ln(), 1e-13));
        assert!(close(ln_gamma(1.5), (sqrt_pi / 2.0).ln(), 1e-13));
        // Γ(0.01) = 99.4325851191506... (Γ(1.01)/0.01, Γ(1.01) = 0.994325851191506).
        assert!(close(ln_gamma(0.01), 99.432_585_119_150_6f64.ln(), 1e-12));
    }

    #[test]
    fn cdf_of_integer_shapes_is_the_binomial_tail() {
        // I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a) for integer a, b.
        fn binom_tail(n: u32, k: u32, x: f64) -> f64 {
            let mut s = 0.0;
            let mut c = 1.0f64; // C(n, j)
            for j in 0..=n {
                if j >= k {
                    s += c * x.powi(j as i32) * (1.0 - x).powi((n - j) as i32);
                }
                c = c * (n - j) as f64 / (j + 1) as f64;
            }
            s
        }
        for (a, b) in [(1u32, 1u32), (2, 2), (3, 7), (10, 4), (25, 30)] {
            for x in [0.01, 0.2, 0.37, 0.5, 0.81, 0.99] {
                let want = binom_tail(a + b - 1, a, x);
                let got = cdf(x, a as f64, b as f64);
                assert!(
                    close(got, want, 1e-13),
                    "a={a} b={b} x={x}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn quantiles_match_closed_forms() {
        for i in 0..=100 {
            let u = i as f64 / 100.0;
            // Beta(1, 1) is uniform.
            assert!(close(quantile(u, 1.0, 1.0), u, 1e-13), "u={u}");
            // Beta(a, 1): F(x) = x^a, so the quantile is u^(1/a).
            for a in [0.05, 0.3, 2.0, 7.5, 400.0] {
                let want = u.powf(1.0 / a);
                assert!(close(quantile(u, a, 1.0), want, 1e-12), "a={a} u={u}");
                // Beta(1, b) = 1 − Beta(b, 1): 1 − (1 − u)^(1/b).
                let want = 1.0 - (1.0 - u).powf(1.0 / a);
                assert!(close(quantile(u, 1.0, a), want, 1e-12), "b={a} u={u}");
            }
        }
        // Beta(2, 2): F(x) = 3x² − 2x³; F(0.2) = 0.104, F(0.5) = 0.5, F(0.9) = 0.972.
        assert!(close(quantile(0.104, 2.0, 2.0), 0.2, 1e-13));
        assert!(close(quantile(0.5, 2.0, 2.0), 0.5, 1e-13));
        assert!(close(quantile(0.972, 2.0, 2.0), 0.9, 1e-13));
    }

    #[test]
    fn quantile_inverts_cdf_over_wide_shapes() {
        for (a, b) in [
            (0.002, 0.5),
            (0.05, 0.2),
            (0.5, 0.5),
            (3.0, 40.0),
            (2e4, 3e4),
        ] {
            for i in 1..50 {
                let u = i as f64 / 50.0;
                let x = quantile(u, a, b);
                assert!((0.0..=1.0).contains(&x));
                // Below 1e-300 the quantile may lie under the smallest double (a = 0.002
                // puts the 2% quantile near 1e-850): then only F(x) ≤ u can hold.
                if x > 1e-300 {
                    assert!(close(cdf(x, a, b), u, 1e-10), "a={a} b={b} u={u} x={x}");
                } else {
                    assert!(cdf(x, a, b) <= u, "a={a} b={b} u={u} x={x}");
                }
            }
        }
    }

    #[test]
    fn draws_by_inversion_have_the_mean_and_icc_asked_for() {
        // Midpoint quadrature of the quantile function: E[X] = ∫ Q(u) du, and the
        // variance is mean(1 − mean)·rho by construction of (a, b).
        let n = 20_000;
        for (mean, rho) in [(0.26, 0.1), (0.85, 0.3), (0.5, 0.02), (0.6, 0.7)] {
            let xs: Vec<f64> = (0..n)
                .map(|i| quantile_mean_icc((i as f64 + 0.5) / n as f64, mean, rho))
                .collect();
            let m = xs.iter().sum::<f64>() / n as f64;
            let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
            let want_v = mean * (1.0 - mean) * rho;
            assert!(close(m, mean, 2e-3), "mean {mean} rho {rho}: {m}");
            assert!(
                (v / want_v - 1.0).abs() < 0.01,
                "mean {mean} rho {rho}: {v} vs {want_v}"
            );
        }
    }

    #[test]
    fn limits_of_the_icc() {
        assert_eq!(quantile_mean_icc(0.3, 0.7, 0.0), 0.7);
        assert_eq!(quantile_mean_icc(0.29, 0.7, 1.0), 0.0);
        assert_eq!(quantile_mean_icc(0.31, 0.7, 1.0), 1.0);
        assert_eq!(quantile_mean_icc(0.9, 1.0, 0.4), 1.0);
        assert_eq!(quantile_mean_icc(0.9, 0.0, 0.4), 0.0);
        let (a, b) = shape_from_mean_icc(0.26, 0.2);
        assert!(close(a, 1.04, 1e-12) && close(b, 2.96, 1e-12));
    }
}
