//! The synthesised population pinned by fingerprint: SHA-256 of the first 100,000 agents
//! (every field) and of the whole unit table, builtin dataset, scale 0.01, seed 42.
//!
//! Synthesis draws only from the crate's own counter-based generator (`rng::CounterRng`),
//! so these hashes change only when the crate's synthesis, generator or dataset change:
//! never through a dependency update. A change here moves every published figure and must
//! be deliberate (update the README's numbers and say so in the change).

use crate::common;

use common::*;
use sha2::{Digest, Sha256};
use wfhsim_core::population::Population;

const SCALE: f64 = 0.01;
const SEED: u64 = 42;
const PINNED_AGENTS: usize = 144_089;
const PINNED_UNITS: usize = 10_093;
const PINNED_FIRST_100K_SHA256: &str =
    "aab8bf9fa60b2518557549770edc4489f18a2895075fc72e02c658ff6bec8b71";
const PINNED_UNITS_SHA256: &str =
    "c13ed1b90ce14df2dcc5d60bbfe51e2293aec3085593186ad121fa024de8e362";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Each agent as its four bytes in field order: od, mode, role, employer.
fn agents_sha256(pop: &Population, n: usize) -> String {
    let mut h = Sha256::new();
    for a in &pop.agents[..n] {
        h.update([a.od, a.mode, a.role, a.employer]);
    }
    hex(&h.finalize())
}

/// Each unit as start and len (u32, little-endian), then employer and work region.
fn units_sha256(pop: &Population) -> String {
    let mut h = Sha256::new();
    for u in &pop.units {
        h.update(u.start.to_le_bytes());
        h.update(u.len.to_le_bytes());
        h.update([u.employer, u.work]);
    }
    hex(&h.finalize())
}

#[test]
fn population_fingerprint_is_pinned_on_any_thread_count() {
    let ds = dataset();
    for threads in [1, 2] {
        let pop = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| population(ds, SCALE, SEED));
        assert_eq!(
            (pop.len(), pop.units.len()),
            (PINNED_AGENTS, PINNED_UNITS),
            "{threads} thread(s)"
        );
        assert_eq!(
            agents_sha256(&pop, 100_000),
            PINNED_FIRST_100K_SHA256,
            "{threads} thread(s)"
        );
        assert_eq!(
            units_sha256(&pop),
            PINNED_UNITS_SHA256,
            "{threads} thread(s)"
        );
    }
}

#[test]
fn units_tile_the_population_in_block_order() {
    // The fingerprint fixes the layout the engine relies on: units are consecutive,
    // non-empty runs that cover every agent once, and a unit's agents share its employer.
    let pop = population(dataset(), SCALE, SEED);
    let mut next = 0u32;
    for u in &pop.units {
        assert_eq!(u.start, next);
        assert!(u.len > 0);
        next += u.len;
        for a in &pop.agents[u.start as usize..(u.start + u.len) as usize] {
            assert_eq!(a.employer, u.employer);
            assert_eq!(a.od as usize % pop.n_regions, u.work as usize);
        }
    }
    assert_eq!(next as usize, pop.len());
}
