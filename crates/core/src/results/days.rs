//! One replicate's per-day records over a plan's working days, keeping a "quiet" day once.
//!
//! A working day on which nobody of the plan is at home and no measure acts gives the same
//! record every time within a replicate (the daily sums are all +0.0; the road layer's day
//! is a function of the day's counts and measures alone), so it is kept once and every
//! quiet day reads it. The shipped scenarios' plans run from the start of August to the
//! end of October around a window of 44 working days: a third of their days are quiet,
//! and a third of each replicate's tables is not kept (docs/performance.md).

use rayon::prelude::*;

/// Marks a quiet day in [`Days::slot`].
const QUIET: u32 = u32::MAX;

/// A record per working day of a plan, quiet days sharing one.
#[derive(Debug, Clone, PartialEq)]
pub struct Days<T> {
    /// The records of the days that are not quiet, in day order.
    kept: Vec<T>,
    /// The quiet days' record (`None` when no day is quiet).
    quiet: Option<T>,
    /// Per day: its index in `kept`, or [`QUIET`].
    slot: Vec<u32>,
}

impl<T> Days<T> {
    /// Every day its own record (no day treated as quiet).
    pub fn all(records: Vec<T>) -> Days<T> {
        Days {
            slot: (0..records.len() as u32).collect(),
            kept: records,
            quiet: None,
        }
    }

    /// The records of `n` days: `make(d)` for each day that is not `quiet(d)`, and once
    /// for the first quiet day, in day order.
    pub fn build(
        n: usize,
        quiet: impl Fn(usize) -> bool,
        mut make: impl FnMut(usize) -> T,
    ) -> Self {
        let (slot, first_quiet) = layout(n, quiet);
        let mut d = Days {
            kept: Vec::new(),
            quiet: None,
            slot,
        };
        for day in 0..n {
            if d.slot[day] != QUIET {
                d.kept.push(make(day));
            } else if Some(day) == first_quiet {
                d.quiet = Some(make(day));
            }
        }
        d
    }

    /// The record of day `d`.
    pub fn get(&self, d: usize) -> &T {
        match self.slot[d] {
            QUIET => self
                .quiet
                .as_ref()
                .expect("a quiet day has the quiet record"),
            i => &self.kept[i as usize],
        }
    }

    /// Days in the plan (quiet or not).
    pub fn len(&self) -> usize {
        self.slot.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slot.is_empty()
    }

    /// Quiet days.
    pub fn quiet_days(&self) -> usize {
        self.slot.iter().filter(|&&s| s == QUIET).count()
    }

    /// The same days with each record mapped by `f`.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Days<U> {
        Days {
            kept: self.kept.into_iter().map(&mut f).collect(),
            quiet: self.quiet.map(f),
            slot: self.slot,
        }
    }

    /// The sum over every day (quiet ones each counted) of a whole number of its record.
    pub fn sum_over_days(&self, f: impl Fn(&T) -> u32) -> u32 {
        let kept: u32 = self.kept.iter().map(&f).sum();
        kept + self.quiet.as_ref().map_or(0, f) * self.quiet_days() as u32
    }
}

impl<T: Send> Days<T> {
    /// [`Days::build`], the records made side by side (each a function of its day alone).
    pub fn par_build(
        n: usize,
        quiet: impl Fn(usize) -> bool,
        make: impl Fn(usize) -> T + Sync,
    ) -> Self {
        let (slot, first_quiet) = layout(n, quiet);
        let made: Vec<usize> = (0..n)
            .filter(|&d| slot[d] != QUIET)
            .chain(first_quiet)
            .collect();
        let mut kept: Vec<T> = made.par_iter().map(|&d| make(d)).collect();
        let quiet = first_quiet.and_then(|_| kept.pop());
        Days { kept, quiet, slot }
    }
}

/// Each of `n` days' place among the records kept ([`QUIET`] for a quiet day), and the
/// first quiet day, whose record the quiet days share.
fn layout(n: usize, quiet: impl Fn(usize) -> bool) -> (Vec<u32>, Option<usize>) {
    let mut kept = 0u32;
    let mut first_quiet = None;
    let slot = (0..n)
        .map(|d| {
            if quiet(d) {
                first_quiet.get_or_insert(d);
                QUIET
            } else {
                kept += 1;
                kept - 1
            }
        })
        .collect();
    (slot, first_quiet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_days_read_the_one_record_and_the_others_their_own() {
        let quiet = |d: usize| d < 2 || d == 4;
        let d = Days::build(6, quiet, |day| day * 10);
        assert_eq!(
            (0..6).map(|i| *d.get(i)).collect::<Vec<_>>(),
            [0, 0, 20, 30, 0, 50]
        );
        assert_eq!((d.len(), d.quiet_days()), (6, 3));
        assert_eq!(d.sum_over_days(|&r| r as u32 + 1), 1 + 1 + 21 + 31 + 1 + 51);
        let p = Days::par_build(6, quiet, |day| day * 10);
        assert_eq!(p, d);
        let all = Days::all(vec![1, 2, 3]);
        assert_eq!((all.quiet_days(), *all.get(2)), (0, 3));
        let none = Days::par_build(3, |_| false, |day| day);
        assert_eq!(none, Days::all(vec![0, 1, 2]));
    }
}
