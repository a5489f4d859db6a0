//! Writes a dataset to a folder: its input files as they are (so the folder can be edited
//! and passed back with `--data`) plus, under `derived/`, the derived tables for
//! inspection. `--data` never reads `derived/` (the tables are recomputed from the
//! inputs), and its README says so, so nobody edits them expecting an effect.

use std::fmt::Write as _;
use std::path::Path;

use super::Dataset;

/// What `derived/README.txt` says.
const DERIVED_README: &str =
    "These tables are computed by wfhsim from the input files one folder up, for
reading only: wfhsim never reads this folder. To change the commuter matrix or the jobs,
edit the inputs (parameters/*.csv, regions.csv, employers.csv); `wfhsim data --data DIR`
shows the result.
";

pub fn export(ds: &Dataset, dir: &Path) -> std::io::Result<()> {
    for (name, text) in &ds.files {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)?;
    }
    let n = ds.n_regions();
    let mut od = String::from("home,work,workers,distance_km\n");
    for i in 0..n {
        for j in 0..n {
            let _ = writeln!(
                od,
                "{},{},{:.1},{:.2}",
                ds.regions[i].code,
                ds.regions[j].code,
                ds.gravity.flows[i * n + j],
                ds.distance_km[i * n + j]
            );
        }
    }
    let derived = dir.join("derived");
    std::fs::create_dir_all(&derived)?;
    std::fs::write(derived.join("README.txt"), DERIVED_README)?;
    std::fs::write(derived.join("commuter_matrix.csv"), od)?;
    let mut jobs = String::from("work_region,employer,jobs\n");
    for j in 0..n {
        for (e, emp) in ds.employers.iter().enumerate() {
            let _ = writeln!(
                jobs,
                "{},{},{:.1}",
                ds.regions[j].code,
                emp.code,
                ds.jobs[j * ds.employers.len() + e]
            );
        }
    }
    std::fs::write(derived.join("jobs_by_employer.csv"), jobs)
}
