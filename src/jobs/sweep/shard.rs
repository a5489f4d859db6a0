//! Which shard this process runs: `--shard K/N` or a scheduler's variables; the folder
//! name of a shard; the command that runs a missing one.

use crate::jobs::command::shell_line;
use wfhsim_core::simulate::OptionError;

/// `K/N`, 1-based.
pub fn parse_shard(s: &str) -> Result<(usize, usize), OptionError> {
    let bad = || {
        OptionError(format!(
            "--shard {s} is not allowed: give K/N with 1 <= K <= N, e.g. --shard 2/4 (shards are numbered from 1)"
        ))
    };
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The shard a scheduler gave this task: Slurm job arrays (`SLURM_ARRAY_TASK_ID` minus
/// `SLURM_ARRAY_TASK_MIN`, divided by `SLURM_ARRAY_TASK_STEP` when set, of
/// `SLURM_ARRAY_TASK_COUNT`) or Kubernetes Indexed Jobs
/// (`JOB_COMPLETION_INDEX`, and `WFHSIM_SHARDS` = the Job's completions).
pub fn shard_from_env(
    kind: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(usize, usize), OptionError> {
    let num = |name: &str| -> Result<usize, OptionError> {
        let v = env(name).ok_or_else(|| {
            OptionError(format!(
                "--shard-from-env {kind}: the environment variable {name} is not set; is this running as a {} task?",
                if kind == "slurm" { "Slurm job-array" } else { "Kubernetes Indexed Job" }
            ))
        })?;
        v.trim().parse().map_err(|_| {
            OptionError(format!(
                "--shard-from-env {kind}: {name} = '{v}' is not a whole number"
            ))
        })
    };
    let (k, n) = match kind {
        "slurm" => {
            let id = num("SLURM_ARRAY_TASK_ID")?;
            let min = env("SLURM_ARRAY_TASK_MIN").map_or(Ok(0), |_| num("SLURM_ARRAY_TASK_MIN"))?;
            if id < min {
                return Err(OptionError(format!(
                    "--shard-from-env slurm: SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}"
                )));
            }
            // An array with a step (`--array=1-7:2`) numbers its tasks 1, 3, 5, 7: the
            // shards are the task's place in the array, not its id.
            let step =
                env("SLURM_ARRAY_TASK_STEP").map_or(Ok(1), |_| num("SLURM_ARRAY_TASK_STEP"))?;
            if step == 0 || (id - min) % step != 0 {
                return Err(OptionError(format!(
                    "--shard-from-env slurm: SLURM_ARRAY_TASK_ID {id} is not SLURM_ARRAY_TASK_MIN {min} plus a multiple of SLURM_ARRAY_TASK_STEP {step}; submit a regular array such as --array=1-N"
                )));
            }
            ((id - min) / step + 1, num("SLURM_ARRAY_TASK_COUNT")?)
        }
        "k8s" => (num("JOB_COMPLETION_INDEX")? + 1, num("WFHSIM_SHARDS")?),
        _ => {
            return Err(OptionError(format!(
                "--shard-from-env {kind} is not allowed: use slurm or k8s"
            )));
        }
    };
    parse_shard(&format!("{k}/{n}")).map_err(|_| {
        OptionError(format!(
            "--shard-from-env {kind} gives shard {k} of {n}: it must be 1..{n}"
        ))
    })
}

/// The folder name of shard `k` of `n`.
pub fn shard_dir_name(k: usize, n: usize) -> String {
    format!("shard={k:04}-of-{n:04}")
}

/// The command that ran a shard, with `--shard k/n` in place of the shard option, each
/// word shell-quoted (a pasted hint never runs anything but this command).
pub(super) fn shard_command(cmd: &[String], k: usize, n: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cmd.len() {
        match cmd[i].as_str() {
            "--shard" | "--shard-from-env" => i += 2,
            s if s.starts_with("--shard=") || s.starts_with("--shard-from-env=") => i += 1,
            s => {
                out.push(s.to_string());
                i += 1;
            }
        }
    }
    out.extend(["--shard".to_string(), format!("{k}/{n}")]);
    shell_line(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_one_based_and_bounded() {
        assert_eq!(parse_shard("1/4").unwrap(), (1, 4));
        assert_eq!(parse_shard("4/4").unwrap(), (4, 4));
        for s in ["0/4", "5/4", "1/0", "x/4", "3", "-1/4"] {
            assert_eq!(
                parse_shard(s).unwrap_err().0,
                format!(
                    "--shard {s} is not allowed: give K/N with 1 <= K <= N, e.g. --shard 2/4 (shards are numbered from 1)"
                )
            );
        }
    }

    #[test]
    fn schedulers_give_the_shard_through_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(a, _)| *a == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(shard_from_env("slurm", &slurm).unwrap(), (3, 4));
        let zero = env(&[
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(shard_from_env("slurm", &zero).unwrap(), (1, 4));
        // --array=1-7:2: tasks 1, 3, 5, 7 are shards 1 to 4.
        let stepped = env(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(shard_from_env("slurm", &stepped).unwrap(), (4, 4));
        let off = env(&[
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            shard_from_env("slurm", &off).unwrap_err().0,
            "--shard-from-env slurm: SLURM_ARRAY_TASK_ID 4 is not SLURM_ARRAY_TASK_MIN 1 plus a multiple of SLURM_ARRAY_TASK_STEP 2; submit a regular array such as --array=1-N"
        );
        let k8s = env(&[("JOB_COMPLETION_INDEX", "3"), ("WFHSIM_SHARDS", "4")]);
        assert_eq!(shard_from_env("k8s", &k8s).unwrap(), (4, 4));
        let bad = env(&[("JOB_COMPLETION_INDEX", "4"), ("WFHSIM_SHARDS", "4")]);
        assert_eq!(
            shard_from_env("k8s", &bad).unwrap_err().0,
            "--shard-from-env k8s gives shard 5 of 4: it must be 1..4"
        );
        let none = env(&[]);
        assert_eq!(
            shard_from_env("k8s", &none).unwrap_err().0,
            "--shard-from-env k8s: the environment variable JOB_COMPLETION_INDEX is not set; is this running as a Kubernetes Indexed Job task?"
        );
    }

    #[test]
    fn a_missing_shards_command_is_the_original_with_its_shard() {
        let cmd: Vec<String> = [
            "wfhsim",
            "sweep",
            "d.toml",
            "--name",
            "x",
            "--shard-from-env",
            "slurm",
            "--out",
            "a b/$(id);x",
            "--threads",
            "2",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            shard_command(&cmd, 2, 4),
            "wfhsim sweep d.toml --name x --out 'a b/$(id);x' --threads 2 --shard 2/4"
        );
    }
}
