//! Counter-based random streams.
//!
//! Every random number in wfhsim is a pure function of (seed, replicate, stream, key...):
//! there is no generator state shared between agents, threads or scenarios. This gives
//! byte-identical results on any thread count and *common random numbers* across
//! scenarios: agent 17 on 5 Sep draws the same compliance number in every scenario of a
//! run, so scenario differences are policy differences, not sampling noise.
//!
//! The mixing function is the SplitMix64 finaliser (a bijection on `u64` with full
//! avalanche); keys are folded in with distinct odd multipliers so that different
//! (agent, day) pairs never collide before mixing.
//!
//! This module must not depend on anything else in the crate.

use rand_core::RngCore;

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xD6E8_FEB8_6659_FD93;

/// SplitMix64's multipliers (public for the engine's vectorised draws).
pub const MIX_M1: u64 = 0xBF58_476D_1CE4_E5B9;
pub const MIX_M2: u64 = 0x94D0_49BB_1331_11EB;

/// SplitMix64 finaliser.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(MIX_M1);
    z = (z ^ (z >> 27)).wrapping_mul(MIX_M2);
    z ^ (z >> 31)
}

/// [`StreamKey::agent_day`] in split form, for loops that reuse an agent's or a day's
/// part of the counter: with ctr = agent·2^32 + day, ctr·φ ≡ (agent·φ mod 2^32)·2^32 +
/// day·φ (mod 2^64), so `agent_day(a, d) == draw_from_terms(key, agent_term(a),
/// day_term(d))` (checked in the tests).
#[inline(always)]
pub fn agent_term(agent: u32) -> u32 {
    agent.wrapping_mul(GOLDEN as u32)
}

/// The day's part of the counter; see [`agent_term`].
#[inline(always)]
pub fn day_term(day: i32) -> u64 {
    (day as u32 as u64).wrapping_mul(GOLDEN)
}

/// A draw from a stream key's bits and the two counter terms; see [`agent_term`].
#[inline(always)]
pub fn draw_from_terms(key: u64, agent_term: u32, day_term: u64) -> u32 {
    (mix64(key ^ ((agent_term as u64) << 32).wrapping_add(day_term)) >> 32) as u32
}

/// Named streams. Adding draws to one stream never shifts another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Stream {
    /// Population synthesis: home region, mode, unit sizes, shuffles.
    Population = 1,
    /// Daily WFH assignment under `random_daily`.
    Assignment = 2,
    /// Daily compliance of an assigned worker.
    Compliance = 3,
    /// Per-replicate draws of uncertain parameters.
    Parameters = 4,
}

/// A stream's base key: everything but the per-draw counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamKey(u64);

impl StreamKey {
    pub fn new(seed: u64, replicate: u32, stream: Stream) -> Self {
        let a = mix64(seed.wrapping_mul(GOLDEN) ^ 0x5743_4853_494D_0001);
        let b = mix64(a ^ ((replicate as u64) << 32 | stream as u64).wrapping_mul(K2));
        StreamKey(b)
    }

    /// The draw for one agent on one day (day = days since 1970-01-01, any i32).
    #[inline(always)]
    pub fn agent_day(self, agent: u32, day: i32) -> u32 {
        let ctr = ((agent as u64) << 32) | (day as u32 as u64);
        (mix64(self.0 ^ ctr.wrapping_mul(GOLDEN)) >> 32) as u32
    }

    /// The key's bits, for [`draw_from_terms`].
    pub fn bits(self) -> u64 {
        self.0
    }

    /// A uniform number in [0, 1) for a named item (parameter keys, block ids...).
    pub fn unit_f64(self, item: u64) -> f64 {
        let z = mix64(self.0 ^ mix64(item.wrapping_add(K2)));
        (z >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A sequential generator for one item (e.g. one population block).
    pub fn rng(self, item: u64) -> CounterRng {
        CounterRng {
            key: mix64(self.0 ^ mix64(item ^ GOLDEN)),
            counter: 0,
        }
    }
}

/// Stable 64-bit hash of a name (FNV-1a), for keying draws by parameter name.
pub fn name_hash(name: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in name.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// Probability as a 32-bit threshold: `draw < threshold(p)` happens with probability p
/// (exactly, up to 2^-32). p = 1 maps to a threshold above every u32.
#[inline]
pub fn threshold(p: f64) -> u64 {
    (p.clamp(0.0, 1.0) * 4_294_967_296.0).round() as u64
}

/// A counter-based generator implementing `rand_core::RngCore`, so population synthesis can
/// use `rand`'s distributions while staying portable: output `i` is `mix64(key ^ i·φ)`.
#[derive(Debug, Clone)]
pub struct CounterRng {
    key: u64,
    counter: u64,
}

impl RngCore for CounterRng {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.counter = self.counter.wrapping_add(1);
        mix64(self.key ^ self.counter.wrapping_mul(GOLDEN))
    }
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn value_stability_pins_exact_draws() {
        // These values pin the generator: if they change, every published result changes.
        let k = StreamKey::new(42, 0, Stream::Compliance);
        let v: Vec<u32> = (0..3).map(|a| k.agent_day(a, 19_590)).collect();
        assert_eq!(v, PINNED);
        assert_eq!(mix64(0), 0);
        // Independent known answer: the SplitMix64 reference sequence for seed 1234567
        // starts 6457827717110365317, 3203168211198807973 (state advances by φ, then mixes).
        assert_eq!(
            mix64(1_234_567u64.wrapping_add(GOLDEN)),
            6_457_827_717_110_365_317
        );
        assert_eq!(
            mix64(1_234_567u64.wrapping_add(GOLDEN.wrapping_mul(2))),
            3_203_168_211_198_807_973
        );
    }
    /// Value-stability pin (as rand does for its generators): recorded when the stream
    /// layout was fixed. A change here means published runs can no longer be reproduced
    /// and must be a deliberate, versioned decision. The mixer itself is checked against
    /// the independent SplitMix64 reference values above.
    const PINNED: [u32; 3] = [1_435_651_017, 822_116_047, 1_393_845_454];

    #[test]
    fn split_form_equals_agent_day() {
        let k = StreamKey::new(42, 3, Stream::Compliance);
        for a in [0u32, 1, 17, 65_535, 1 << 24, u32::MAX] {
            for d in [-5i32, 0, 19_590, 19_652, i32::MAX] {
                let split = draw_from_terms(k.bits(), agent_term(a), day_term(d));
                assert_eq!(split, k.agent_day(a, d), "agent {a}, day {d}");
            }
        }
    }

    #[test]
    fn streams_replicates_and_seeds_are_distinct() {
        let a = StreamKey::new(1, 0, Stream::Compliance);
        assert_ne!(a, StreamKey::new(1, 1, Stream::Compliance));
        assert_ne!(a, StreamKey::new(1, 0, Stream::Assignment));
        assert_ne!(a, StreamKey::new(2, 0, Stream::Compliance));
    }

    #[test]
    fn agent_day_draws_are_uniform() {
        let k = StreamKey::new(7, 3, Stream::Assignment);
        let t = threshold(0.3);
        let n = 200_000u32;
        let hits = (0..n)
            .filter(|&a| (k.agent_day(a, 19_600 + (a % 7) as i32) as u64) < t)
            .count();
        let p = hits as f64 / n as f64;
        // 6 standard deviations of a binomial proportion.
        assert!(
            (p - 0.3).abs() < 6.0 * (0.3f64 * 0.7 / n as f64).sqrt(),
            "p = {p}"
        );
    }

    #[test]
    fn threshold_edges() {
        assert_eq!(threshold(0.0), 0);
        assert!(threshold(1.0) > u32::MAX as u64);
        assert_eq!(threshold(0.5), 1 << 31);
    }

    #[test]
    fn counter_rng_drives_rand_distributions() {
        let mut r = StreamKey::new(5, 0, Stream::Population).rng(9);
        let mut r2 = StreamKey::new(5, 0, Stream::Population).rng(9);
        let a: f64 = r.random();
        let b: f64 = r2.random();
        assert_eq!(a.to_bits(), b.to_bits());
        assert!((0.0..1.0).contains(&a));
        let mean = (0..50_000).map(|_| r.random::<f64>()).sum::<f64>() / 50_000.0;
        assert!((mean - 0.5).abs() < 0.01);
    }
}
