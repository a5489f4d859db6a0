//! Whether a run's `--scale` leaves each policy enough agents to act on. The population
//! is a sample of the workforce cut into work units; a policy sends home a whole number
//! of each unit's staff, rounded per unit. At a small scale the units a policy covers in
//! a work region hold a handful of agents, and that rounding (down, under the default
//! `share_rule = "ceiling"`) sends nobody home: the effect is biased low, or zero when the
//! group is empty. The run is not refused (small scales are useful for quick checks);
//! the job prints each warning and writes it into manifest.json, run.json and the
//! briefing.

use crate::data::Dataset;
use crate::population::Population;
use crate::scenario::Scenario;

/// Fewest agents a policy may cover in one work region before its effect there is
/// flagged. Below about 30 a unit of the sample is a few agents, and rounding each unit's
/// count at home biases the effect: the DKI order's avoided trips per day are 0 at
/// `--scale 0.0002`, about 5% low at 0.005 and steady (16,100–16,500) from 0.01 to 0.3
/// (docs/method.md, "Scale"). Regions where the full workforce itself has fewer covered
/// workers are not flagged: there the group is small in reality, not by sampling.
pub const MIN_COVERED_AGENTS: u64 = 30;

/// One warning per policy whose covered group is thinner than [`MIN_COVERED_AGENTS`] in
/// some work region at this population's scale, naming the scenario, the policy, the
/// regions with their agent counts and the scale that would give every region enough.
pub fn thin_coverage(ds: &Dataset, scenarios: &[Scenario], pop: &Population) -> Vec<String> {
    let ne = ds.employers.len();
    // Agents by (work region, employer) in the sample.
    let mut agents = vec![0u64; ds.n_regions() * ne];
    for u in &pop.units {
        agents[u.work as usize * ne + u.employer as usize] += u64::from(u.len);
    }
    let min = MIN_COVERED_AGENTS as f64;
    let mut warnings = Vec::new();
    for sc in scenarios {
        for p in sc
            .policies
            .iter()
            .filter(|p| p.windows.iter().any(|w| w.share > 0.0))
        {
            let mut thin: Vec<String> = Vec::new();
            let mut needed: f64 = 0.0;
            for r in (0..ds.n_regions()).filter(|&r| p.covers_work_region(r)) {
                let full: f64 = p.employers.iter().map(|&e| ds.jobs[r * ne + e]).sum();
                let n: u64 = p.employers.iter().map(|&e| agents[r * ne + e]).sum();
                if full >= min && n < MIN_COVERED_AGENTS {
                    thin.push(format!("{} {n}", ds.regions[r].code));
                    needed = needed.max(min / full);
                }
            }
            if thin.is_empty() {
                continue;
            }
            warnings.push(format!(
                "scenario '{}', policy '{}': at --scale {} it covers fewer than {MIN_COVERED_AGENTS} agents in {} work region{} ({}); rounding each work unit's count at home biases its effect low (to 0 for an empty group): use --scale {} or more",
                sc.name,
                crate::text::escape_controls(&p.name),
                crate::text::num(pop.scale),
                thin.len(),
                if thin.len() == 1 { "" } else { "s" },
                thin.join(", "),
                round_up(needed.min(1.0))
            ));
        }
    }
    warnings
}

/// `x` rounded up to two significant digits, as a scale to suggest.
fn round_up(x: f64) -> String {
    if x <= 0.0 {
        return "1".into();
    }
    let step = 10f64.powf(x.log10().floor() - 1.0);
    let v = ((x / step).ceil() * step).min(1.0);
    crate::text::num(format!("{v:.12}").parse().unwrap_or(v))
}

#[cfg(test)]
mod tests {
    use super::round_up;

    #[test]
    fn suggested_scales_round_up() {
        assert_eq!(round_up(0.0123), "0.013");
        assert_eq!(round_up(0.005), "0.005");
        assert_eq!(round_up(0.00041), "0.00041");
        assert_eq!(round_up(3.0), "1");
    }
}
