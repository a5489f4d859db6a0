//! The synthetic population: one compact record per worker of Jabodetabek, grouped into
//! work units (offices, schools, sites) so that per-unit rotation and rounding can be
//! simulated.
//!
//! Owns synthesis and the population's aggregate counts. Must not know about scenarios,
//! policies or outputs; it reads the dataset only.

mod synth;

pub use synth::synthesize;

/// One worker, 4 bytes. Work region and employer are also those of the worker's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C)]
pub struct Agent {
    /// home_region × n_regions + work_region.
    pub od: u8,
    pub mode: u8,
    pub role: u8,
    pub employer: u8,
}

/// A work unit: agents `start .. start + len` of the population, one employer, one work
/// region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub start: u32,
    pub len: u32,
    pub employer: u8,
    pub work: u8,
}

#[derive(Debug, Clone)]
pub struct Population {
    /// Fraction of the real workforce simulated; results are divided by it.
    pub scale: f64,
    pub n_regions: usize,
    pub n_modes: usize,
    pub n_employers: usize,
    pub n_roles: usize,
    pub agents: Vec<Agent>,
    pub units: Vec<Unit>,
}

impl Population {
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }

    /// Workers per (od, mode): the baseline, since every worker commutes on a working day.
    pub fn counts_by_od_mode(&self) -> Vec<u64> {
        let mut c = vec![0u64; self.n_regions * self.n_regions * self.n_modes];
        for a in &self.agents {
            c[a.od as usize * self.n_modes + a.mode as usize] += 1;
        }
        c
    }

    /// Workers per (cell, class) as a dense `cell × (employers × roles)` table, cell =
    /// od × modes + mode, class = employer × roles + role: what a replicate's structural
    /// weights ([`crate::structural`]) apply to.
    pub fn counts_by_cell_class(&self) -> Vec<f64> {
        let nc = self.n_employers * self.n_roles;
        let mut c = vec![0.0; self.n_regions * self.n_regions * self.n_modes * nc];
        for a in &self.agents {
            let cell = a.od as usize * self.n_modes + a.mode as usize;
            c[cell * nc + a.employer as usize * self.n_roles + a.role as usize] += 1.0;
        }
        c
    }

    /// Bytes used by the agent records and unit table.
    pub fn memory_bytes(&self) -> usize {
        self.agents.len() * std::mem::size_of::<Agent>()
            + self.units.len() * std::mem::size_of::<Unit>()
    }
}

/// Bytes of agents and units for `workers` simulated workers, used to refuse a scale the
/// machine cannot hold before allocating. Units average at least ~3 agents, so 4 + 12/3
/// bytes per agent is an upper bound with margin.
pub fn estimate_bytes(workers: f64) -> f64 {
    const BYTES_PER_AGENT: f64 = 8.0;
    workers * BYTES_PER_AGENT
}

#[cfg(test)]
mod tests {
    #[test]
    fn agent_record_is_compact() {
        assert_eq!(std::mem::size_of::<super::Agent>(), 4);
        assert_eq!(std::mem::size_of::<super::Unit>(), 12);
    }
}
