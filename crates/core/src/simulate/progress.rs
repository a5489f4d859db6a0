//! What a simulation reports while it runs (a front end draws its bars from it).

/// Progress events for a front end to display.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    PopulationBlocks {
        total: u64,
    },
    PopulationBlockDone,
    Replicates {
        scenario: usize,
        total: u64,
    },
    /// The runs of a bundle's decomposition: replicates of every other coalition of its
    /// parts.
    Decomposition {
        scenario: usize,
        total: u64,
    },
    ReplicateDone,
}
