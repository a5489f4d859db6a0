//! Where reported rows are: the per-day row grid (home regions, work regions and the
//! whole area, each by mode and for all modes) and the summary rows.

/// Which region a row is counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The workers' home region.
    Home,
    /// Their workplace region.
    Work,
    /// The whole area.
    All,
    /// On a region's roads (region rows), against all traffic there.
    Roads,
    /// On DKI's roads, all day: vehicles against Dishub's counts, emissions against
    /// DKI's inventory.
    DkiRoads,
    /// On DKI's roads in the peaks (06–10, 16–20).
    DkiRoadsPeak,
    /// Vehicles entering DKI, all day.
    DkiCordon,
    /// Vehicles entering DKI in the peaks.
    DkiCordonPeak,
}

impl Basis {
    /// Every basis, in the order of the enum (for reading a table's keys back).
    pub const ALL: [Basis; 8] = [
        Basis::Home,
        Basis::Work,
        Basis::All,
        Basis::Roads,
        Basis::DkiRoads,
        Basis::DkiRoadsPeak,
        Basis::DkiCordon,
        Basis::DkiCordonPeak,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Home => "home",
            Basis::Work => "work",
            Basis::All => "all",
            Basis::Roads => "roads",
            Basis::DkiRoads => "dki_roads",
            Basis::DkiRoadsPeak => "dki_roads_peak",
            Basis::DkiCordon => "dki_cordon",
            Basis::DkiCordonPeak => "dki_cordon_peak",
        }
    }

    /// The bases with a congestion level row ([`super::MetricId::CONGESTION_LEVEL`]):
    /// DKI's roads all day and at the peak.
    pub const LEVEL: [Basis; 2] = [Basis::DkiRoads, Basis::DkiRoadsPeak];

    /// Rows about DKI as a whole (their region is DKI, not the whole area).
    pub fn is_dki_aggregate(self) -> bool {
        matches!(
            self,
            Basis::DkiRoads | Basis::DkiRoadsPeak | Basis::DkiCordon | Basis::DkiCordonPeak
        )
    }
}

/// Shape of the per-day row grid: home regions × (modes + all), work regions × (modes +
/// all), then the all-regions row × (modes + all).
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    pub n: usize,
    pub nm: usize,
    pub days: usize,
}

impl Grid {
    pub fn rows_per_day(&self) -> usize {
        (2 * self.n + 1) * (self.nm + 1)
    }
    pub fn row(&self, basis: Basis, region: usize, mode: usize) -> usize {
        let w = self.nm + 1;
        match basis {
            Basis::Home => region * w + mode,
            Basis::Work => (self.n + region) * w + mode,
            _ => 2 * self.n * w + mode,
        }
    }
    /// (basis, region, mode) of a row; region/mode `None` = all.
    pub fn key(&self, row: usize) -> (Basis, Option<usize>, Option<usize>) {
        let w = self.nm + 1;
        let (r, m) = (row / w, row % w);
        let mode = (m < self.nm).then_some(m);
        if r < self.n {
            (Basis::Home, Some(r), mode)
        } else if r < 2 * self.n {
            (Basis::Work, Some(r - self.n), mode)
        } else {
            (Basis::All, None, mode)
        }
    }
    /// Summary rows: 0 = all, 1..=n home regions, n+1..=2n work regions, then the DKI
    /// workplaces row (used for the DKI percentages only).
    pub fn summary_rows(&self) -> usize {
        2 * self.n + 2
    }
    /// The summary row of workers with a DKI workplace.
    pub fn dki_summary_row(&self) -> usize {
        2 * self.n + 1
    }
    /// (basis, region) of a summary row other than the DKI one.
    pub fn summary_key(&self, s: usize) -> (Basis, Option<usize>) {
        match s {
            0 => (Basis::All, None),
            s if s <= self.n => (Basis::Home, Some(s - 1)),
            s => (Basis::Work, Some(s - 1 - self.n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_rows_round_trip() {
        let g = Grid {
            n: 3,
            nm: 2,
            days: 1,
        };
        for row in 0..g.rows_per_day() {
            let (b, r, m) = g.key(row);
            let back = g.row(b, r.unwrap_or(0), m.unwrap_or(g.nm));
            assert_eq!(back, row);
        }
        assert_eq!(g.summary_key(0), (Basis::All, None));
        assert_eq!(g.summary_key(3), (Basis::Home, Some(2)));
        assert_eq!(g.summary_key(4), (Basis::Work, Some(0)));
    }
}
