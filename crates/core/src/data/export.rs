//! A dataset as the files of a folder (the front end writes them): its input files as they are (so the folder can be edited
//! and passed back with `--data`) plus, under `derived/`, the derived tables for
//! inspection. `--data` never reads `derived/` (the tables are recomputed from the
//! inputs), and its README says so, so nobody edits them expecting an effect.

use super::Dataset;
use std::fmt::Write as _;

/// What `derived/README.txt` says.
const DERIVED_README: &str =
    "These tables are computed by wfhsim from the input files one folder up, for
reading only: wfhsim never reads this folder. To change the commuter matrix or the jobs,
edit the inputs (parameters/*.csv, regions.csv, employers.csv); `wfhsim data --data DIR`
shows the result.
";

/// Every file of a dataset folder, as (path relative to the folder, `/`-separated; text):
/// its input files as they are, then `derived/`. The caller writes them.
pub fn export(ds: &Dataset) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = ds.files.clone();
    files.push(("derived/README.txt".into(), DERIVED_README.into()));
    files.push(("derived/commuter_matrix.csv".into(), commuter_matrix(ds)));
    files.push(("derived/jobs_by_employer.csv".into(), jobs_by_employer(ds)));
    files
}

fn commuter_matrix(ds: &Dataset) -> String {
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
    od
}

fn jobs_by_employer(ds: &Dataset) -> String {
    let n = ds.n_regions();
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
    jobs
}
