//! Synthetic control: what the treated series would have done without the policy, read
//! from a weighted mix of series the policy did not touch (other sites, other cities),
//! with placebo-in-space inference (Abadie, Diamond & Hainmueller 2010, 2015).
//!
//! **How.** The weights are found on the days before the first policy window: each donor
//! gets a weight of at least 0, the weights add up to 1, and together they minimise the
//! sum of squared differences between the treated series and the weighted mix on those
//! days (a small quadratic programme on the simplex, solved below to its optimality
//! conditions). The mix, carried on through the windows with the same weights, is the
//! *synthetic* series; the effect of a window is the observed minus the synthetic value,
//! averaged over the window's days.
//!
//! **What it assumes.** (1) The donors were untouched by the policy: if the order reached
//! them too (or pushed traffic onto them), the synthetic series moves with the treated one
//! and the effect is understated (or overstated). (2) Before the policy a weighted mix of
//! the donors tracked the treated series, and would have kept tracking it: the pre-period
//! RMSPE ([`SynthFit::pre_rmspe`]) says how well it tracked; nothing can check the "would
//! have kept". Weights that cannot go below 0 or above 1 mean the synthetic series stays
//! within the donors' range: a treated series above every donor cannot be reproduced.
//!
//! **Inference.** Each donor in turn is treated as if it were the treated series, with the
//! remaining donors (never the real treated series) as its donors; the ratio of its
//! RMSPE over the windows' days to its RMSPE before them measures how far it parted from
//! its own synthetic series. The p-value is the treated series' rank among all these
//! ratios: (1 + the number of placebos whose ratio is at least the treated one's) /
//! (1 + the number of placebos), the rank convention of Abadie et al. (2010) and SCtools'
//! `mspe.test`. With J donors the smallest possible p-value is 1/(J + 1): with 5 donors a
//! real effect can reach at best 1/6 ≈ 0.17, never 0.05.
//!
//! **Days.** The series are read over `first..=last`. A day where the treated series or any
//! donor is missing is left out of the weights' fit; a day where a donor with a positive
//! weight is missing has no synthetic value (and so does not count in an effect or an
//! RMSPE). Days after the first window that fall in no window are shown but used for
//! nothing.

use super::{Daily, EvalError, Window};
use crate::calendar::Date;

/// Fewest donors the method accepts: with 2, the placebos have one donor each (no choice
/// of weights) and the p-value cannot go below 1/3.
pub const MIN_DONORS: usize = 3;
/// Fewest donors a placebo may have (see [`SynthFit::placebos`]).
pub const MIN_PLACEBO_DONORS: usize = 2;
/// Days before the policy (with every series observed) beyond one per donor: with fewer
/// days than donors the weights can match the pre-period exactly in many ways (the fit
/// says nothing), and a few days more than donors are the least that leaves the fit room
/// to be wrong. A floor, not a guarantee: Abadie (2021) advises a long pre-period.
pub const PRE_MARGIN: usize = 5;

/// A synthetic control fit of one treated series.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SynthFit {
    /// Each donor's weight, in the order given (at least 0, adding up to 1).
    pub weights: Vec<(String, f64)>,
    /// Root mean squared difference between observed and synthetic before the first
    /// window (over the days the weights were fitted on), and over the windows' days.
    pub pre_rmspe: f64,
    pub post_rmspe: f64,
    pub effects: Vec<SynthEffect>,
    /// One per donor, in the donors' order. A donor is left out when its placebo cannot be
    /// fitted: fewer than [`MIN_PLACEBO_DONORS`] other donors (never, with the
    /// [`MIN_DONORS`] [`fit`] requires), fewer days before the policy than its donors +
    /// [`PRE_MARGIN`] with it and all of them observed, or no window day with a synthetic
    /// value.
    pub placebos: Vec<SynthPlacebo>,
    /// (1 + placebos with a ratio ≥ the treated one's) / (1 + placebos).
    pub p_value: f64,
    pub days: Vec<SynthDay>,
}

/// The effect of one window: observed − synthetic, over the window's days with both.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SynthEffect {
    pub from: Date,
    pub to: Date,
    /// Days of the window with an observed and a synthetic value.
    pub days: usize,
    pub observed_mean: f64,
    pub synthetic_mean: f64,
    /// observed_mean − synthetic_mean, in the series' units per day.
    pub units: f64,
    /// `units` in % of `synthetic_mean` (meaningful for a positive series: counts,
    /// concentrations; for a % change from a baseline, read `units`).
    pub pct: f64,
}

/// A donor treated as if it were the treated series.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SynthPlacebo {
    pub unit: String,
    pub pre_rmspe: f64,
    pub post_rmspe: f64,
    /// post_rmspe / pre_rmspe (infinite when the pre-period is matched exactly and the
    /// windows are not; 0 when both are).
    pub ratio: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SynthDay {
    pub date: Date,
    pub observed: Option<f64>,
    pub synthetic: Option<f64>,
    pub in_window: bool,
}

/// Fits the synthetic control of `treated` from `donors` over `first..=last` and runs
/// the placebos. The pre-period is the days from `first` before the earliest window;
/// days where the treated series or any donor is missing are left out of the weights' fit.
///
/// Refused, with a message naming what is wrong: fewer than [`MIN_DONORS`] donors; a
/// series that does not cover `first..=last` (a missing day inside is fine) or holds a
/// value that is not finite; no window, or a window outside `first..=last` or starting
/// on `first`; fewer pre-period days with every series observed than the donors +
/// [`PRE_MARGIN`]; a window with no day that has both an observed and a synthetic value
/// ([`EvalError::EmptyWindow`]).
pub fn fit(
    treated: &Daily,
    donors: &[(String, Daily)],
    windows: &[Window],
    first: Date,
    last: Date,
) -> Result<SynthFit, EvalError> {
    check_donor_count(donors)?;
    let panel = Panel::new(treated, donors, windows, first, last)?;
    let pool: Vec<usize> = (0..donors.len()).collect();
    let have = panel.pre_days(&panel.treated, &pool).len();
    let need = donors.len() + PRE_MARGIN;
    if have < need {
        return Err(EvalError::Other(format!(
            "too few days before the policy for synthetic control: {have} days before {} have the treated series and every donor observed; {} donors need at least {need} (the number of donors + {PRE_MARGIN})",
            panel.first_window,
            donors.len()
        )));
    }
    let main = panel.fit_unit(&panel.treated, &pool);
    let effects = windows
        .iter()
        .map(|w| panel.effect(*w, &main.synthetic))
        .collect::<Result<Vec<_>, _>>()?;
    let post_rmspe = panel
        .post_rmspe(&panel.treated, &main.synthetic)
        .unwrap_or(0.0);
    let placebos = panel.placebos(donors);
    let ratio = ratio(post_rmspe, main.pre_rmspe);
    let above = placebos.iter().filter(|p| p.ratio >= ratio).count();
    Ok(SynthFit {
        weights: donors
            .iter()
            .zip(&main.weights)
            .map(|((name, _), w)| (name.clone(), *w))
            .collect(),
        pre_rmspe: main.pre_rmspe,
        post_rmspe,
        effects,
        p_value: (1 + above) as f64 / (1 + placebos.len()) as f64,
        placebos,
        days: panel.days(&main.synthetic),
    })
}

fn check_donor_count(donors: &[(String, Daily)]) -> Result<(), EvalError> {
    if donors.len() >= MIN_DONORS {
        return Ok(());
    }
    let names: Vec<&str> = donors.iter().map(|(n, _)| n.as_str()).collect();
    let listed = if names.is_empty() {
        String::new()
    } else {
        format!(" ({})", names.join(", "))
    };
    Err(EvalError::Other(format!(
        "synthetic control needs at least {MIN_DONORS} untreated series; {} given{listed}",
        donors.len()
    )))
}

/// post / pre, with an exact pre fit giving ∞ (or 0 when the windows are exact too).
fn ratio(post: f64, pre: f64) -> f64 {
    if pre > 0.0 {
        post / pre
    } else if post > 0.0 {
        f64::INFINITY
    } else {
        0.0
    }
}

/// The series on the days `first..=last`, with each day's role.
struct Panel {
    first: Date,
    first_window: Date,
    treated: Vec<Option<f64>>,
    donors: Vec<Vec<Option<f64>>>,
    pre: Vec<bool>,
    in_window: Vec<bool>,
}

/// One unit's fit: weights over its pool, its synthetic series and pre-period RMSPE.
struct UnitFit {
    weights: Vec<f64>,
    synthetic: Vec<Option<f64>>,
    pre_rmspe: f64,
}

impl Panel {
    fn new(
        treated: &Daily,
        donors: &[(String, Daily)],
        windows: &[Window],
        first: Date,
        last: Date,
    ) -> Result<Panel, EvalError> {
        let first_window = check_windows(windows, first, last)?;
        let n = (last.0 - first.0 + 1) as usize;
        let dates = Date::range_inclusive(first, last);
        let in_window: Vec<bool> = dates
            .map(|d| windows.iter().any(|w| w.contains(d)))
            .collect();
        let pre = (0..n)
            .map(|i| first.0 + (i as i32) < first_window.0)
            .collect();
        Ok(Panel {
            first,
            first_window,
            treated: span("the treated series", treated, first, last)?,
            donors: donors
                .iter()
                .map(|(name, s)| span(&format!("donor '{name}'"), s, first, last))
                .collect::<Result<_, _>>()?,
            pre,
            in_window,
        })
    }

    /// The pre-period days where `target` and every donor of `pool` are observed.
    fn pre_days(&self, target: &[Option<f64>], pool: &[usize]) -> Vec<usize> {
        (0..self.pre.len())
            .filter(|&t| {
                self.pre[t]
                    && target[t].is_some()
                    && pool.iter().all(|&j| self.donors[j][t].is_some())
            })
            .collect()
    }

    fn fit_unit(&self, target: &[Option<f64>], pool: &[usize]) -> UnitFit {
        let days = self.pre_days(target, pool);
        let y: Vec<f64> = days.iter().map(|&t| value(target[t])).collect();
        let cols: Vec<Vec<f64>> = pool
            .iter()
            .map(|&j| days.iter().map(|&t| value(self.donors[j][t])).collect())
            .collect();
        let weights = simplex::least_squares(&cols, &y);
        let synthetic: Vec<Option<f64>> = (0..self.pre.len())
            .map(|t| {
                let mut s = 0.0;
                for (&j, &w) in pool.iter().zip(&weights) {
                    if w > 0.0 {
                        s += w * self.donors[j][t]?;
                    }
                }
                Some(s)
            })
            .collect();
        let pre_rmspe = rmspe(target, &synthetic, |t| days.binary_search(&t).is_ok());
        UnitFit {
            weights,
            synthetic,
            pre_rmspe: pre_rmspe.unwrap_or(0.0),
        }
    }

    fn post_rmspe(&self, target: &[Option<f64>], synthetic: &[Option<f64>]) -> Option<f64> {
        rmspe(target, synthetic, |t| self.in_window[t])
    }

    fn effect(&self, w: Window, synthetic: &[Option<f64>]) -> Result<SynthEffect, EvalError> {
        let (mut n, mut obs, mut syn) = (0usize, 0.0, 0.0);
        for d in Date::range_inclusive(w.from, w.to) {
            let t = (d.0 - self.first.0) as usize;
            if let (Some(o), Some(s)) = (self.treated[t], synthetic[t]) {
                n += 1;
                obs += o;
                syn += s;
            }
        }
        if n == 0 {
            return Err(EvalError::EmptyWindow {
                from: w.from,
                to: w.to,
            });
        }
        let (observed_mean, synthetic_mean) = (obs / n as f64, syn / n as f64);
        let units = observed_mean - synthetic_mean;
        Ok(SynthEffect {
            from: w.from,
            to: w.to,
            days: n,
            observed_mean,
            synthetic_mean,
            units,
            pct: 100.0 * units / synthetic_mean,
        })
    }

    /// Each donor as if treated, its pool the other donors (not the treated series).
    fn placebos(&self, donors: &[(String, Daily)]) -> Vec<SynthPlacebo> {
        let mut out = Vec::new();
        for (k, (name, _)) in donors.iter().enumerate() {
            let pool: Vec<usize> = (0..donors.len()).filter(|&j| j != k).collect();
            let target = &self.donors[k];
            if pool.len() < MIN_PLACEBO_DONORS
                || self.pre_days(target, &pool).len() < pool.len() + PRE_MARGIN
            {
                continue;
            }
            let f = self.fit_unit(target, &pool);
            let Some(post) = self.post_rmspe(target, &f.synthetic) else {
                continue;
            };
            out.push(SynthPlacebo {
                unit: name.clone(),
                pre_rmspe: f.pre_rmspe,
                post_rmspe: post,
                ratio: ratio(post, f.pre_rmspe),
            });
        }
        out
    }

    fn days(&self, synthetic: &[Option<f64>]) -> Vec<SynthDay> {
        (0..self.pre.len())
            .map(|t| SynthDay {
                date: Date(self.first.0 + t as i32),
                observed: self.treated[t],
                synthetic: synthetic[t],
                in_window: self.in_window[t],
            })
            .collect()
    }
}

/// An observed value (only called on days checked to have one).
fn value(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

/// Root mean squared (observed − synthetic) over the chosen days with both; `None` if none.
fn rmspe(
    target: &[Option<f64>],
    synthetic: &[Option<f64>],
    chosen: impl Fn(usize) -> bool,
) -> Option<f64> {
    let (mut n, mut ss) = (0usize, 0.0);
    for t in (0..target.len()).filter(|&t| chosen(t)) {
        if let (Some(o), Some(s)) = (target[t], synthetic[t]) {
            n += 1;
            ss += (o - s) * (o - s);
        }
    }
    (n > 0).then(|| (ss / n as f64).sqrt())
}

/// Checks the windows against `first..=last`; returns the earliest window's first day.
fn check_windows(windows: &[Window], first: Date, last: Date) -> Result<Date, EvalError> {
    if first > last {
        return Err(EvalError::Other(format!(
            "the evaluated days run from {first} to {last}: the first day must not be after the last"
        )));
    }
    for w in windows {
        if w.from > w.to || w.from < first || w.to > last {
            return Err(EvalError::Other(format!(
                "window {}..{} must lie within the evaluated days {first}..{last}, its first day not after its last",
                w.from, w.to
            )));
        }
    }
    let Some(earliest) = windows.iter().map(|w| w.from).min() else {
        return Err(EvalError::Other(
            "synthetic control needs at least one policy window".to_string(),
        ));
    };
    if earliest == first {
        return Err(EvalError::Other(format!(
            "window {earliest}.. starts on the first evaluated day: synthetic control needs days before the policy"
        )));
    }
    Ok(earliest)
}

/// The series' values on `first..=last`; refuses a series that does not span them or
/// holds a value that is not a finite number.
fn span(what: &str, s: &Daily, first: Date, last: Date) -> Result<Vec<Option<f64>>, EvalError> {
    let (Some(i0), Some(i1)) = (s.index(first), s.index(last)) else {
        return Err(EvalError::Other(format!(
            "{what} runs from {} to {}; synthetic control needs every series to cover {first}..{last}",
            s.start,
            s.end()
        )));
    };
    let values = s.values[i0..=i1].to_vec();
    if let Some(i) = values
        .iter()
        .position(|v| v.is_some_and(|x| !x.is_finite()))
    {
        return Err(EvalError::Other(format!(
            "{what} has the value {} on {}: every value must be a finite number (leave a missing day empty)",
            value(values[i]),
            Date(first.0 + i as i32)
        )));
    }
    Ok(values)
}

/// Least squares on the simplex: min ‖y − Σⱼ wⱼ xⱼ‖² subject to wⱼ ≥ 0, Σ wⱼ = 1.
mod simplex {
    /// Iterations of the accelerated projected gradient before giving up on exactness
    /// (the iterate is then returned as it stands; a handful of donors converge in tens
    /// to a few thousand).
    const MAX_ITER: usize = 200_000;
    /// How often the active set is tried for an exact solution.
    const POLISH_EVERY: usize = 10;
    /// Optimality tolerance on gradient components, relative to the problem's scale.
    const KKT_TOL: f64 = 1e-10;

    /// The weights for donor columns `cols` (each as long as `y`).
    ///
    /// Every day's values are first centred on that day's donor mean: with weights adding
    /// up to 1, subtracting the same number from the treated value and every donor's leaves
    /// each day's residual unchanged, and removing the level the series share keeps the
    /// quadratic programme well conditioned. The programme is then
    /// min ½ wᵀQw − cᵀw on the simplex (Q = XᵀX, c = Xᵀy), solved by accelerated projected
    /// gradient (FISTA, Beck & Teboulle 2009, with gradient restarts, O'Donoghue & Candès
    /// 2015; step 1/L with L = ‖Q‖_F ≥ Q's largest eigenvalue). Every few steps the
    /// current support S is tried for the exact answer: the equality-constrained solution
    /// Q_SS w_S − ν 1 = c_S, 1ᵀw_S = 1, accepted when it is ≥ 0 and every weight outside
    /// S has a gradient component ≥ ν (the Karush–Kuhn–Tucker conditions).
    pub(super) fn least_squares(cols: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
        let j = cols.len();
        let n = y.len();
        let mean: Vec<f64> = (0..n)
            .map(|t| cols.iter().map(|c| c[t]).sum::<f64>() / j as f64)
            .collect();
        let centre = |v: &[f64]| -> Vec<f64> { v.iter().zip(&mean).map(|(a, m)| a - m).collect() };
        let xc: Vec<Vec<f64>> = cols.iter().map(|c| centre(c)).collect();
        let yc = centre(y);
        let q: Vec<Vec<f64>> = xc
            .iter()
            .map(|a| xc.iter().map(|b| dot(a, b)).collect())
            .collect();
        let c: Vec<f64> = xc.iter().map(|a| dot(a, &yc)).collect();
        solve(&q, &c)
    }

    /// min ½ wᵀQw − cᵀw on the simplex (see [`least_squares`]).
    pub(super) fn solve(q: &[Vec<f64>], c: &[f64]) -> Vec<f64> {
        let j = c.len();
        let mut x = vec![1.0 / j as f64; j];
        let lipschitz = q.iter().flatten().map(|v| v * v).sum::<f64>().sqrt();
        if lipschitz == 0.0 || !lipschitz.is_finite() {
            return x; // every mix fits equally well: equal weights
        }
        let tol = KKT_TOL * scale(q, c);
        let (mut y, mut t) = (x.clone(), 1.0f64);
        for it in 0..MAX_ITER {
            let g = gradient(q, c, &y);
            let step: Vec<f64> = y.iter().zip(&g).map(|(a, b)| a - b / lipschitz).collect();
            let next = project(&step);
            let diff: Vec<f64> = next.iter().zip(&x).map(|(a, b)| a - b).collect();
            let uphill = y
                .iter()
                .zip(&next)
                .zip(&diff)
                .map(|((a, b), d)| (a - b) * d)
                .sum::<f64>()
                > 0.0;
            let t_next = if uphill {
                1.0
            } else {
                (1.0 + (1.0 + 4.0 * t * t).sqrt()) / 2.0
            };
            let momentum = if uphill { 0.0 } else { (t - 1.0) / t_next };
            y = next
                .iter()
                .zip(&diff)
                .map(|(a, d)| a + momentum * d)
                .collect();
            x = next;
            t = t_next;
            if it % POLISH_EVERY == 0
                && let Some(w) = polish(q, c, &x, tol)
            {
                return w;
            }
            if violation(q, c, &x) <= tol {
                return x;
            }
        }
        x
    }

    /// The size of the programme's numbers: gradient components are sums of such terms.
    fn scale(q: &[Vec<f64>], c: &[f64]) -> f64 {
        let qmax = q.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
        let cmax = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        (qmax + cmax).max(f64::MIN_POSITIVE)
    }

    fn gradient(q: &[Vec<f64>], c: &[f64], w: &[f64]) -> Vec<f64> {
        q.iter().zip(c).map(|(row, ci)| dot(row, w) - ci).collect()
    }

    /// How far `w` is from optimal: the largest gradient component among positive
    /// weights less the smallest of all (0 at the optimum).
    fn violation(q: &[Vec<f64>], c: &[f64], w: &[f64]) -> f64 {
        let g = gradient(q, c, w);
        let low = g.iter().copied().fold(f64::INFINITY, f64::min);
        let high = g
            .iter()
            .zip(w)
            .filter(|(_, wi)| **wi > 0.0)
            .fold(f64::NEG_INFINITY, |m, (gi, _)| m.max(*gi));
        high - low
    }

    /// The exact solution on `w`'s support, if it satisfies the optimality conditions.
    fn polish(q: &[Vec<f64>], c: &[f64], w: &[f64], tol: f64) -> Option<Vec<f64>> {
        let support: Vec<usize> = (0..w.len()).filter(|&i| w[i] > 0.0).collect();
        let m = support.len();
        // [Q_SS −1; 1ᵀ 0] [w_S; ν] = [c_S; 1]
        let mut a = vec![vec![0.0; m + 1]; m + 1];
        let mut b = vec![0.0; m + 1];
        for (r, &i) in support.iter().enumerate() {
            for (k, &j) in support.iter().enumerate() {
                a[r][k] = q[i][j];
            }
            a[r][m] = -1.0;
            a[m][r] = 1.0;
            b[r] = c[i];
        }
        b[m] = 1.0;
        let sol = solve_linear(a, b)?;
        if sol[..m].iter().any(|v| *v < 0.0) {
            return None;
        }
        let mut out = vec![0.0; w.len()];
        for (r, &i) in support.iter().enumerate() {
            out[i] = sol[r];
        }
        let nu = sol[m];
        let g = gradient(q, c, &out);
        let optimal = (0..w.len()).all(|i| {
            if out[i] > 0.0 {
                (g[i] - nu).abs() <= tol
            } else {
                g[i] >= nu - tol
            }
        });
        optimal.then_some(out)
    }

    /// Gaussian elimination with partial pivoting; `None` when the system is singular.
    fn solve_linear(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
        let n = b.len();
        let size = a.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
        for col in 0..n {
            let p = (col..n).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))?;
            if a[p][col].abs() <= 1e-13 * size {
                return None;
            }
            a.swap(col, p);
            b.swap(col, p);
            let pivot = a[col].clone();
            for r in col + 1..n {
                let f = a[r][col] / pivot[col];
                for (x, p) in a[r][col..].iter_mut().zip(&pivot[col..]) {
                    *x -= f * p;
                }
                b[r] -= f * b[col];
            }
        }
        let mut x = vec![0.0; n];
        for r in (0..n).rev() {
            let s: f64 = (r + 1..n).map(|k| a[r][k] * x[k]).sum();
            x[r] = (b[r] - s) / a[r][r];
        }
        x.iter().all(|v| v.is_finite()).then_some(x)
    }

    /// Euclidean projection onto the simplex {w ≥ 0, Σ w = 1}: w = max(v − θ, 0) with θ
    /// from the sorted values (Held, Wolfe & Crowder 1974; Duchi et al. 2008): the largest
    /// k whose k-th largest value exceeds (sum of the k largest − 1)/k fixes θ.
    pub(super) fn project(v: &[f64]) -> Vec<f64> {
        let mut u = v.to_vec();
        u.sort_by(|a, b| b.total_cmp(a));
        let (mut sum, mut theta) = (0.0, 0.0);
        for (k, &uk) in u.iter().enumerate() {
            sum += uk;
            let t = (sum - 1.0) / (k + 1) as f64;
            if uk - t > 0.0 {
                theta = t;
            }
        }
        v.iter().map(|x| (x - theta).max(0.0)).collect()
    }

    fn dot(a: &[f64], b: &[f64]) -> f64 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::simplex::{least_squares, project};
    use crate::rng::{Stream, StreamKey};

    fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
    }

    #[test]
    fn projection_closed_forms() {
        // A point on the simplex is its own projection.
        for p in [vec![0.2, 0.3, 0.5], vec![1.0, 0.0, 0.0], vec![0.25; 4]] {
            assert!(close(&project(&p), &p, 1e-15), "{p:?}");
        }
        assert_eq!(project(&[2.0, 0.0, 0.0]), vec![1.0, 0.0, 0.0]);
        assert!(close(&project(&[0.5, 0.5, 0.5]), &[1.0 / 3.0; 3], 1e-15));
        // Shifting every coordinate by the same amount moves nothing.
        assert!(close(
            &project(&[-3.0, -3.0, -2.0]),
            &[0.0, 0.0, 1.0],
            1e-15
        ));
        assert!(close(
            &project(&[10.0, 10.5, -7.0]),
            &[0.25, 0.75, 0.0],
            1e-12
        ));
        // (1, 1, 0): the two ones share the excess equally; 0 stays out.
        assert!(close(&project(&[1.0, 1.0, 0.0]), &[0.5, 0.5, 0.0], 1e-15));
    }

    #[test]
    fn projection_is_the_nearest_point_of_the_simplex() {
        // Against random simplex points: none is closer to v than the projection, and
        // (v − p)·(z − p) ≤ 0 for every z on the simplex (the projection's obtuse angle).
        let mut r = StreamKey::new(11, 0, Stream::Design).rng(1);
        for _ in 0..200 {
            let n = 2 + r.below(6) as usize;
            let v: Vec<f64> = (0..n).map(|_| 4.0 * r.next_f64() - 2.0).collect();
            let p = project(&v);
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12 && p.iter().all(|x| *x >= 0.0));
            for _ in 0..20 {
                let raw: Vec<f64> = (0..n).map(|_| -r.next_f64().ln()).collect();
                let s: f64 = raw.iter().sum();
                let z: Vec<f64> = raw.iter().map(|x| x / s).collect();
                let angle: f64 = (0..n).map(|i| (v[i] - p[i]) * (z[i] - p[i])).sum();
                assert!(angle <= 1e-12, "{v:?} {p:?} {z:?}");
            }
        }
    }

    /// The gradient of ‖y − Xw‖² computed directly from the columns: 2 xⱼᵀ(Xw − y).
    fn direct_gradient(cols: &[Vec<f64>], y: &[f64], w: &[f64]) -> Vec<f64> {
        let r: Vec<f64> = (0..y.len())
            .map(|t| cols.iter().zip(w).map(|(c, wj)| wj * c[t]).sum::<f64>() - y[t])
            .collect();
        cols.iter()
            .map(|c| 2.0 * c.iter().zip(&r).map(|(a, b)| a * b).sum::<f64>())
            .collect()
    }

    /// A random problem: donors sharing a level and a factor with their own noise, the
    /// target a mix of some of them (inside the hull) or off to one side (outside).
    fn problem(r: &mut crate::rng::CounterRng, level: f64) -> (Vec<Vec<f64>>, Vec<f64>) {
        let j = 2 + r.below(11) as usize;
        let n = j + 5 + r.below(80) as usize;
        let factor: Vec<f64> = (0..n).map(|t| (t as f64 * 0.3).sin()).collect();
        let cols: Vec<Vec<f64>> = (0..j)
            .map(|_| {
                let load = 2.0 * r.next_f64();
                let noise = r.next_f64();
                (0..n)
                    .map(|t| level + load * factor[t] + noise * (r.next_f64() - 0.5))
                    .collect()
            })
            .collect();
        let shift = if r.next_f64() < 0.5 {
            0.0
        } else {
            3.0 * r.next_f64() - 1.5
        };
        let y = (0..n)
            .map(|t| {
                let mix = 0.6 * cols[0][t] + 0.4 * cols[j - 1][t];
                mix + shift + 0.3 * (r.next_f64() - 0.5)
            })
            .collect();
        (cols, y)
    }

    #[test]
    fn weights_satisfy_the_kkt_conditions() {
        // At the optimum of a convex programme on the simplex every positive weight has
        // the same gradient component (the multiplier of Σw = 1) and every zero weight one
        // at least as large. Checked on the original (uncentred) objective, its gradient
        // taken directly from the columns; tolerance relative to the gradients' size.
        let mut r = StreamKey::new(5, 0, Stream::Design).rng(23);
        for case in 0..300 {
            let level = [0.0, 1.0, 100.0][case % 3];
            let (cols, y) = problem(&mut r, level);
            let w = least_squares(&cols, &y);
            assert!(
                (w.iter().sum::<f64>() - 1.0).abs() < 1e-12,
                "case {case}: {w:?}"
            );
            assert!(w.iter().all(|x| *x >= 0.0), "case {case}: {w:?}");
            let g = direct_gradient(&cols, &y, &w);
            let size = direct_gradient(&cols, &vec![0.0; y.len()], &w)
                .iter()
                .fold(1.0f64, |m, v| m.max(v.abs()));
            let tol = 1e-9 * size;
            let nu = (0..w.len())
                .filter(|&i| w[i] > 0.0)
                .map(|i| g[i])
                .fold(f64::INFINITY, f64::min);
            for i in 0..w.len() {
                if w[i] > 0.0 {
                    assert!(
                        (g[i] - nu).abs() <= tol,
                        "case {case} weight {i}: {g:?} {w:?}"
                    );
                } else {
                    assert!(g[i] >= nu - tol, "case {case} zero weight {i}: {g:?} {w:?}");
                }
            }
        }
    }

    #[test]
    fn an_exact_mix_is_recovered() {
        let mut r = StreamKey::new(3, 0, Stream::Design).rng(4);
        let n = 60;
        let cols: Vec<Vec<f64>> = (0..4)
            .map(|_| (0..n).map(|_| 50.0 + 10.0 * r.next_f64()).collect())
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|t| 0.25 * cols[1][t] + 0.75 * cols[3][t])
            .collect();
        let w = least_squares(&cols, &y);
        assert!(close(&w, &[0.0, 0.25, 0.0, 0.75], 1e-12), "{w:?}");
    }

    #[test]
    fn identical_donors_share_equally() {
        // Every mix of identical donors fits the same: the answer is the equal split.
        let col: Vec<f64> = (0..20).map(|t| t as f64).collect();
        let w = least_squares(&[col.clone(), col.clone(), col], &[1.0; 20]);
        assert!(close(&w, &[1.0 / 3.0; 3], 1e-15), "{w:?}");
    }
}
