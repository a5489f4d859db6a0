//! The scenario files shipped in `scenarios/` and compiled into the binary: the default
//! study run by `wfhsim run` with no arguments, and the benchmark workload.

/// Scenario files shipped in `scenarios/` and compiled in, run by `wfhsim run` with no
/// arguments (the default study).
pub const BUILTIN_SCENARIOS: [(&str, &str); 9] = [
    (
        "dki-2023.toml",
        include_str!("../../../../scenarios/dki-2023.toml"),
    ),
    (
        "dki-2023-50-only.toml",
        include_str!("../../../../scenarios/dki-2023-50-only.toml"),
    ),
    (
        "dki-2023-one-month.toml",
        include_str!("../../../../scenarios/dki-2023-one-month.toml"),
    ),
    (
        "dki-2023-day-one-uptake.toml",
        include_str!("../../../../scenarios/dki-2023-day-one-uptake.toml"),
    ),
    (
        "jabodetabek-2023-as-implemented.toml",
        include_str!("../../../../scenarios/jabodetabek-2023-as-implemented.toml"),
    ),
    (
        "inmendagri-full.toml",
        include_str!("../../../../scenarios/inmendagri-full.toml"),
    ),
    (
        "private-sector-joins.toml",
        include_str!("../../../../scenarios/private-sector-joins.toml"),
    ),
    (
        "narrow-exemptions.toml",
        include_str!("../../../../scenarios/narrow-exemptions.toml"),
    ),
    (
        "wide-exemptions.toml",
        include_str!("../../../../scenarios/wide-exemptions.toml"),
    ),
];

/// The performance workload of docs/performance.md: shipped in `scenarios/` so that it runs
/// with the ordinary `wfhsim run scenarios/bench-all-workers.toml`, but not part of the
/// default study (it is not a policy anyone proposed).
pub const BENCHMARK_SCENARIO: (&str, &str) = (
    "bench-all-workers.toml",
    include_str!("../../../../scenarios/bench-all-workers.toml"),
);
