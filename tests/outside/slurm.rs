//! A sharded sweep on a real scheduler: `scripts/slurm-smoke.sh` starts a throwaway
//! single-node Slurm cluster (installing slurm-wlm and munge from Debian's packages when
//! they are missing: it needs root), submits the smoke sweep as a 4-task job array and the
//! dependent merge job exactly as `examples/slurm-sweep.sbatch` tells a user, and compares
//! the merge with the unsharded sweep byte for byte.

use std::path::Path;
use std::process::Command;

#[test]
fn a_sharded_sweep_on_slurm_merges_to_the_unsharded_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .arg(root.join("scripts/slurm-smoke.sh"))
        .arg(env!("CARGO_BIN_EXE_wfhsim"))
        .current_dir(root)
        .output()
        .expect("bash runs scripts/slurm-smoke.sh");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "the Slurm smoke test failed (it needs root and Debian's slurm-wlm and munge):\n{text}"
    );
    assert!(
        text.contains("PASS"),
        "no PASS from the smoke test:\n{text}"
    );
}
