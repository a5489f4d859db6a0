//! Each site through every method its inputs allow: the interrupted time series and its
//! in-time placebos always; difference-in-differences when a control with one series (or
//! one per site, by name) is given; synthetic control when the control file has three or
//! more untreated series. Every refusal names the file and the column.

use super::ModelChoice;
use crate::jobs::JobError;
use wfhsim_core::calendar::DayFlags;
use wfhsim_core::evaluate::{
    Daily, EvalError, ItsFit, ItsSpec, Placebos, Scale, did, its, placebo, synth,
};
use wfhsim_report::evaluation::{DayRow, EffectRow, SameWeeks, SiteNote, SynthNote};
use wfhsim_report::series::{self, Observed};

/// Every site's rows and notes.
#[derive(Default)]
pub struct Fitted {
    pub effects: Vec<EffectRow>,
    pub days: Vec<DayRow>,
    pub notes: Vec<SiteNote>,
    pub synth: Vec<SynthNote>,
}

impl Fitted {
    /// Adds `offset` to every level (observed, counterfactual, band, means): the values
    /// back in the series' own units after fitting an index ([`super::Quantity::index_offset`]).
    pub fn shift(&mut self, offset: f64) {
        if offset == 0.0 {
            return;
        }
        for r in &mut self.effects {
            r.observed_mean += offset;
            r.counterfactual_mean += offset;
        }
        for d in &mut self.days {
            d.observed = d.observed.map(|v| v + offset);
            d.counterfactual += offset;
            d.counterfactual_lo = d.counterfactual_lo.map(|v| v + offset);
            d.counterfactual_hi = d.counterfactual_hi.map(|v| v + offset);
        }
    }
}

pub fn fit_all(
    o: &Observed,
    control: Option<&Observed>,
    flags: &[DayFlags],
    spec: &ItsSpec,
    _m: &ModelChoice,
) -> Result<Fitted, JobError> {
    let mut out = Fitted::default();
    for (site, s) in &o.sites {
        let at = |e: EvalError| JobError::Input(format!("{}, column '{site}': {e}", o.name));
        let fit = its::fit(s, flags, spec).map_err(at)?;
        let placebos = placebo::in_time(s, flags, spec, &fit);
        out.effects.extend(its_rows(site, &fit, &placebos));
        out.days.extend(day_rows(site, "its", &fit));
        let mut note = site_note(site, s, spec, &fit);
        note.same_weeks = placebo::same_weeks(s, flags, spec, &fit)
            .into_iter()
            .map(|w| SameWeeks {
                from: w.from.to_string(),
                to: w.to.to_string(),
                pct: w.pct,
                pct_lo: w.pct_lo,
                pct_hi: w.pct_hi,
            })
            .collect();
        if let Some(c) = control {
            match c.sites.len() {
                n if n >= 3 => out.synth.push(synth_site(
                    site,
                    s,
                    c,
                    spec,
                    &mut out.effects,
                    &mut out.days,
                )?),
                _ => {
                    let ctl = control_for(site, c)?;
                    let d = did::fit(s, ctl, flags, spec).map_err(|e| {
                        JobError::Input(format!("{} against {}: {e}", o.name, c.name))
                    })?;
                    out.effects.extend(did_rows(site, &d.fit));
                    note.did_assumption = Some(d.assumption.to_string());
                    note.did_pre_trend = Some((d.pre_gap_trend.estimate, d.pre_gap_trend.se));
                }
            }
        }
        out.notes.push(note);
    }
    Ok(out)
}

/// The control series for a site: the control file's only series, or the one of the
/// same name.
fn control_for<'a>(site: &str, c: &'a Observed) -> Result<&'a Daily, JobError> {
    if c.sites.len() == 1 {
        return Ok(&c.sites[0].1);
    }
    c.sites
        .iter()
        .find(|(n, _)| n == site)
        .map(|(_, s)| s)
        .ok_or_else(|| {
            let names: Vec<&str> = c.sites.iter().map(|(n, _)| n.as_str()).collect();
            JobError::Input(format!(
                "{}: no control column for site '{site}' (its columns: {}); give one control series, one per site by name, or three or more untreated series for synthetic control",
                c.name,
                names.join(", ")
            ))
        })
}

fn scale_name(s: Scale) -> &'static str {
    match s {
        Scale::Log => "log",
        Scale::Level => "level",
    }
}

fn its_rows(site: &str, fit: &ItsFit, p: &Placebos) -> Vec<EffectRow> {
    let mut rows = effect_rows(site, "its", fit);
    if let Some(first) = rows.first_mut() {
        first.placebos = p.windows.len() as u32;
        first.placebo_share_significant = (!p.windows.is_empty()).then_some(p.share_significant);
        first.placebo_rank_p = (!p.windows.is_empty()).then_some(p.rank_p);
    }
    rows
}

fn did_rows(site: &str, fit: &ItsFit) -> Vec<EffectRow> {
    effect_rows(site, "did", fit)
}

fn effect_rows(site: &str, method: &str, fit: &ItsFit) -> Vec<EffectRow> {
    fit.effects
        .iter()
        .map(|e| EffectRow {
            site: site.to_string(),
            method: method.to_string(),
            window_from: e.from.to_string(),
            window_to: e.to.to_string(),
            days: e.days as u32,
            observed_mean: e.observed_mean,
            counterfactual_mean: e.counterfactual_mean,
            effect_units: e.units,
            effect_units_lo: Some(e.units_lo),
            effect_units_hi: Some(e.units_hi),
            effect_pct: e.pct,
            effect_pct_lo: Some(e.pct_lo),
            effect_pct_hi: Some(e.pct_hi),
            p_value: e.p_value,
            mde_pct: Some(e.mde_pct),
            scale: scale_name(fit.scale).to_string(),
            rho: Some(fit.rho),
            sigma: Some(fit.sigma_residual),
            placebos: 0,
            placebo_share_significant: None,
            placebo_rank_p: None,
        })
        .collect()
}

fn day_rows(site: &str, method: &str, fit: &ItsFit) -> Vec<DayRow> {
    fit.days
        .iter()
        .map(|d| DayRow {
            site: site.to_string(),
            method: method.to_string(),
            date: d.date.to_string(),
            observed: d.observed,
            counterfactual: d.counterfactual,
            counterfactual_lo: Some(d.counterfactual_lo),
            counterfactual_hi: Some(d.counterfactual_hi),
            in_window: d.in_window,
        })
        .collect()
}

fn site_note(site: &str, s: &Daily, spec: &ItsSpec, fit: &ItsFit) -> SiteNote {
    let (missing, longest) = series::gaps(s, spec.first, spec.last);
    SiteNote {
        site: site.to_string(),
        days: fit.n as u32,
        days_before: fit.n_pre as u32,
        missing_days: missing,
        longest_gap: longest,
        rho: fit.rho,
        sigma_residual: fit.sigma_residual,
        iterations: fit.iterations as u32,
        dropped: fit.dropped.clone(),
        did_assumption: None,
        did_pre_trend: None,
        same_weeks: Vec::new(),
    }
}

/// Synthetic control of one site from every control series; its rows are added to the
/// tables.
fn synth_site(
    site: &str,
    s: &Daily,
    c: &Observed,
    spec: &ItsSpec,
    effects: &mut Vec<EffectRow>,
    days: &mut Vec<DayRow>,
) -> Result<SynthNote, JobError> {
    let fit = synth::fit(s, &c.sites, &spec.windows, spec.first, spec.last).map_err(|e| {
        JobError::Input(format!(
            "synthetic control of '{site}' from {}: {e}",
            c.name
        ))
    })?;
    for e in &fit.effects {
        effects.push(EffectRow {
            site: site.to_string(),
            method: "synth".into(),
            window_from: e.from.to_string(),
            window_to: e.to.to_string(),
            days: e.days as u32,
            observed_mean: e.observed_mean,
            counterfactual_mean: e.synthetic_mean,
            effect_units: e.units,
            effect_units_lo: None,
            effect_units_hi: None,
            effect_pct: e.pct,
            effect_pct_lo: None,
            effect_pct_hi: None,
            p_value: fit.p_value,
            mde_pct: None,
            scale: "level".into(),
            rho: None,
            sigma: None,
            placebos: fit.placebos.len() as u32,
            placebo_share_significant: None,
            placebo_rank_p: None,
        });
    }
    days.extend(fit.days.iter().filter_map(|d| {
        Some(DayRow {
            site: site.to_string(),
            method: "synth".into(),
            date: d.date.to_string(),
            observed: d.observed,
            counterfactual: d.synthetic?,
            counterfactual_lo: None,
            counterfactual_hi: None,
            in_window: d.in_window,
        })
    }));
    Ok(SynthNote {
        site: site.to_string(),
        weights: fit.weights.clone(),
        pre_rmspe: fit.pre_rmspe,
        post_rmspe: fit.post_rmspe,
        placebos: fit
            .placebos
            .iter()
            .map(|p| (p.unit.clone(), p.ratio))
            .collect(),
        p_value: fit.p_value,
    })
}
