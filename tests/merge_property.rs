//! The merge's promise as a property, through the real binary: given shard tables edited
//! at random — rows moved between shards, duplicated, dropped, reordered, their point or
//! replicate changed (in or out of range), a factor value nudged — `wfhsim sweep merge`
//! either publishes exactly the unsharded sweep's bytes or refuses with exit 2 and
//! publishes nothing. Never a third outcome. The shards and the unsharded sweep are run
//! once; each case edits a copy.

use std::path::Path;

use polars::prelude::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::shards::{copy_tree, read_table, write_table};
use crate::support::wfhsim;
use crate::sweep::{SMOKE, files, repo, sweep};

const R: [&str; 4] = ["--scale", "0.02", "--replicates", "2"];
const N: usize = 4;

/// One edit of the shard tables; rows and shards are taken modulo what there is.
#[derive(Debug, Clone)]
enum Edit {
    /// A row moved from one shard's table to another's (the same: a reordering).
    Move {
        from: usize,
        row: usize,
        to: usize,
    },
    Duplicate {
        shard: usize,
        row: usize,
    },
    Drop {
        shard: usize,
        row: usize,
    },
    /// Two rows of one table swapped: the merge must not care.
    Swap {
        shard: usize,
        a: usize,
        b: usize,
    },
    Point {
        shard: usize,
        row: usize,
        point: u32,
    },
    Replicate {
        shard: usize,
        row: usize,
        replicate: u32,
    },
    /// `policy.1.share` plus `delta` (0 leaves it as it was).
    Factor {
        shard: usize,
        row: usize,
        delta: f64,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let s = 0..N;
    let r = 0..8usize;
    prop_oneof![
        (s.clone(), r.clone(), 0..N).prop_map(|(from, row, to)| Edit::Move { from, row, to }),
        (s.clone(), r.clone()).prop_map(|(shard, row)| Edit::Duplicate { shard, row }),
        (s.clone(), r.clone()).prop_map(|(shard, row)| Edit::Drop { shard, row }),
        (s.clone(), r.clone(), r.clone()).prop_map(|(shard, a, b)| Edit::Swap { shard, a, b }),
        (
            s.clone(),
            r.clone(),
            prop_oneof![0..12u32, Just(999u32), Just(u32::MAX)]
        )
            .prop_map(|(shard, row, point)| Edit::Point { shard, row, point }),
        (s.clone(), r.clone(), 0..4u32).prop_map(|(shard, row, replicate)| {
            Edit::Replicate {
                shard,
                row,
                replicate,
            }
        }),
        (s, r, prop_oneof![Just(0.0), Just(1e-9), Just(0.5)])
            .prop_map(|(shard, row, delta)| Edit::Factor { shard, row, delta }),
    ]
}

/// `df` without row `i`.
fn without(df: &DataFrame, i: usize) -> DataFrame {
    let mut head = df.slice(0, i);
    head.vstack_mut(&df.slice(i as i64 + 1, df.height()))
        .unwrap();
    head
}

/// `df` with row `i` of the u32 column `name` set to `v`.
fn set_u32(df: &mut DataFrame, name: &str, i: usize, v: u32) {
    let mut all: Vec<u32> = df
        .column(name)
        .unwrap()
        .u32()
        .unwrap()
        .into_no_null_iter()
        .collect();
    all[i] = v;
    df.with_column(Column::new(name.into(), all)).unwrap();
}

/// `df` with `delta` added to row `i` of the f64 column `name`.
fn add_f64(df: &mut DataFrame, name: &str, i: usize, delta: f64) {
    let mut all: Vec<f64> = df
        .column(name)
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    all[i] += delta;
    df.with_column(Column::new(name.into(), all)).unwrap();
}

/// Applies `e` to the tables (one per shard; an empty table is left as it is).
fn apply(t: &mut [DataFrame], e: &Edit) {
    let row = |df: &DataFrame, r: usize| r % df.height().max(1);
    match *e {
        Edit::Move { from, row: r, to } if t[from].height() > 0 => {
            let i = row(&t[from], r);
            let moved = t[from].slice(i as i64, 1);
            t[from] = without(&t[from], i);
            t[to].vstack_mut(&moved).unwrap();
        }
        Edit::Duplicate { shard, row: r } if t[shard].height() > 0 => {
            let copy = t[shard].slice(row(&t[shard], r) as i64, 1);
            t[shard].vstack_mut(&copy).unwrap();
        }
        Edit::Drop { shard, row: r } if t[shard].height() > 0 => {
            t[shard] = without(&t[shard], row(&t[shard], r));
        }
        Edit::Swap { shard, a, b } if t[shard].height() > 0 => {
            let (a, b) = (row(&t[shard], a), row(&t[shard], b));
            let mut order: Vec<u32> = (0..t[shard].height() as u32).collect();
            order.swap(a, b);
            t[shard] = t[shard].take(&IdxCa::from_vec("i".into(), order)).unwrap();
        }
        Edit::Point {
            shard,
            row: r,
            point,
        } if t[shard].height() > 0 => {
            let i = row(&t[shard], r);
            set_u32(&mut t[shard], "point", i, point);
        }
        Edit::Replicate {
            shard,
            row: r,
            replicate,
        } if t[shard].height() > 0 => {
            let i = row(&t[shard], r);
            set_u32(&mut t[shard], "replicate", i, replicate);
        }
        Edit::Factor {
            shard,
            row: r,
            delta,
        } if t[shard].height() > 0 => {
            let i = row(&t[shard], r);
            add_f64(&mut t[shard], "policy.1.share", i, delta);
        }
        _ => {}
    }
}

/// The shards of `base` with `edits` applied, merged in `case`: the unsharded sweep's
/// bytes (`whole`), or exit 2 and nothing published.
fn check(base: &Path, whole: &Path, case: &Path, edits: &[Edit]) -> Result<(), TestCaseError> {
    copy_tree(&base.join("shards"), &case.join("shards"));
    let table = |k: usize| case.join(format!("shards/shard={k:04}-of-{N:04}/experiments.parquet"));
    let mut tables: Vec<DataFrame> = (1..=N).map(|k| read_table(&table(k))).collect();
    for e in edits {
        apply(&mut tables, e);
    }
    for (k, t) in tables.iter_mut().enumerate() {
        write_table(&table(k + 1), t);
    }
    let out = wfhsim()
        .args(["sweep", "merge"])
        .arg(case)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    match out.status.code() {
        Some(0) => {
            prop_assert_eq!(files(whole), files(case));
            for f in files(whole) {
                let same =
                    std::fs::read(whole.join(&f)).unwrap() == std::fs::read(case.join(&f)).unwrap();
                prop_assert!(same, "{} differs after {:?}", f.display(), edits);
            }
        }
        Some(2) => {
            let left: Vec<String> = std::fs::read_dir(case)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            prop_assert_eq!(
                left,
                vec!["shards".to_string()],
                "published after {:?}",
                edits
            );
            prop_assert!(err.starts_with("Error: "), "{}", err);
        }
        code => prop_assert!(false, "exit {:?} after {:?}: {}", code, edits, err),
    }
    Ok(())
}

#[test]
fn a_merge_of_edited_shards_publishes_the_unsharded_sweep_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let design = repo(SMOKE);
    sweep(tmp.path(), "whole", &design, &R).success();
    for k in 1..=N {
        let shard = format!("{k}/{N}");
        let extra: Vec<&str> = R.iter().copied().chain(["--shard", &shard]).collect();
        sweep(tmp.path(), "base", &design, &extra).success();
    }
    let (base, whole) = (tmp.path().join("base"), tmp.path().join("whole"));
    // Untouched, and merely reordered, the shards merge to the unsharded bytes.
    check(&base, &whole, &tmp.path().join("case-plain"), &[]).unwrap();
    let reordered = [
        Edit::Swap {
            shard: 0,
            a: 0,
            b: 3,
        },
        Edit::Move {
            from: 2,
            row: 1,
            to: 2,
        },
        Edit::Factor {
            shard: 1,
            row: 2,
            delta: 0.0,
        },
    ];
    let case = tmp.path().join("case-reordered");
    check(&base, &whole, &case, &reordered).unwrap();
    assert!(case.join("points.parquet").is_file());
    let mut runner = TestRunner::new(Config {
        cases: 16,
        failure_persistence: None,
        ..Config::default()
    });
    let n = std::cell::Cell::new(0);
    runner
        .run(&proptest::collection::vec(edit(), 1..4), |edits| {
            n.set(n.get() + 1);
            check(
                &base,
                &whole,
                &tmp.path().join(format!("case-{}", n.get())),
                &edits,
            )
        })
        .unwrap();
}
