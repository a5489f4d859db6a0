//! Where a commute's vehicle-km are driven: along the straight line between the home and
//! work regions' centres, each point of it counted in the region whose centre is nearest
//! (the Voronoi cells of the centres stand in for the boundaries, which the dataset does
//! not carry). A trip inside one region stays there. The same walk counts how often a
//! trip enters DKI: a cross-boundary commute enters once a day, a trip from Tangerang to
//! Bekasi may cross DKI and enter it on both legs.

/// Points sampled along each line (more than enough for 14 regions).
pub const SAMPLES: usize = 200;

/// Per home × work pair (row-major), the regions its vehicle-km are on and how often a
/// one-way trip enters DKI.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub n: usize,
    /// Per pair: (region, share of the trip's km), shares summing to 1.
    pub shares: Vec<Vec<(usize, f64)>>,
    /// Per pair: entries into DKI per one-way trip, averaged over the way out and back.
    pub dki_entries_per_trip: Vec<f64>,
}

/// Assigns every pair of `centres` (latitude, longitude in degrees); `is_dki` marks the
/// regions inside the cordon.
pub fn assign(centres: &[(f64, f64)], is_dki: &[bool]) -> Assignment {
    let n = centres.len();
    // Local flat coordinates (km) around the mean latitude: fine over 100 km.
    let lat0 = centres.iter().map(|c| c.0).sum::<f64>() / n.max(1) as f64;
    let kx = 111.32 * lat0.to_radians().cos();
    let xy: Vec<(f64, f64)> = centres
        .iter()
        .map(|&(la, lo)| (lo * kx, la * 110.57))
        .collect();
    let nearest = |p: (f64, f64)| {
        let d2 = |q: &(f64, f64)| (q.0 - p.0).powi(2) + (q.1 - p.1).powi(2);
        (0..n)
            .min_by(|&a, &b| d2(&xy[a]).total_cmp(&d2(&xy[b])))
            .unwrap_or(0)
    };
    let mut shares = Vec::with_capacity(n * n);
    let mut entries = Vec::with_capacity(n * n);
    for h in 0..n {
        for w in 0..n {
            if h == w {
                shares.push(vec![(h, 1.0)]);
                entries.push(0.0);
                continue;
            }
            let mut count = vec![0usize; n];
            let (mut ins, mut outs) = (0usize, 0usize);
            let mut prev = is_dki[h];
            for i in 0..SAMPLES {
                let t = (i as f64 + 0.5) / SAMPLES as f64;
                let p = (
                    xy[h].0 + t * (xy[w].0 - xy[h].0),
                    xy[h].1 + t * (xy[w].1 - xy[h].1),
                );
                let r = nearest(p);
                count[r] += 1;
                if is_dki[r] != prev {
                    if is_dki[r] {
                        ins += 1
                    } else {
                        outs += 1
                    }
                    prev = is_dki[r];
                }
            }
            if is_dki[w] != prev {
                if is_dki[w] { ins += 1 } else { outs += 1 }
            }
            shares.push(
                count
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(r, &c)| (r, c as f64 / SAMPLES as f64))
                    .collect(),
            );
            // The way back enters where the way out left.
            entries.push((ins + outs) as f64 / 2.0);
        }
    }
    Assignment {
        n,
        shares,
        dki_entries_per_trip: entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three regions on a line of longitudes: A (DKI) at 0, B at 1, C at 2 degrees.
    fn line() -> Assignment {
        assign(&[(0.0, 0.0), (0.0, 1.0), (0.0, 2.0)], &[true, false, false])
    }

    #[test]
    fn shares_sum_to_one_and_split_at_the_midpoints() {
        let a = line();
        for s in &a.shares {
            let t: f64 = s.iter().map(|x| x.1).sum();
            assert!((t - 1.0).abs() < 1e-12, "{s:?}");
        }
        // A → C: half the way is nearer A or C (a quarter each), half nearer B.
        let ac = &a.shares[2];
        assert_eq!(ac, &vec![(0, 0.25), (1, 0.5), (2, 0.25)]);
        assert_eq!(a.shares[4], vec![(1, 1.0)]);
    }

    #[test]
    fn a_cross_boundary_trip_enters_once_a_day_and_a_through_trip_twice() {
        let a = line();
        // A → B (DKI to outside): the way back enters once: 0.5 per one-way trip.
        assert_eq!(a.dki_entries_per_trip[1], 0.5);
        assert_eq!(a.dki_entries_per_trip[3], 0.5);
        // B → C never touches DKI.
        assert_eq!(a.dki_entries_per_trip[5], 0.0);
        // Through DKI: outside X(-1) → outside Y(+1) across A(0).
        let t = assign(
            &[(0.0, -1.0), (0.0, 0.0), (0.0, 1.0)],
            &[false, true, false],
        );
        assert_eq!(t.dki_entries_per_trip[2], 1.0);
        assert_eq!(t.dki_entries_per_trip[4], 0.0);
    }
}
