//! A bundle's effect split among its parts, as `simulate::decompose` computes it: per part
//! and summary row, the band over replicates of its Shapley value.

use super::schema::Band;

/// One bundle's decomposition.
#[derive(Debug, Clone)]
pub struct Decomposition {
    /// The bundle scenario's name.
    pub scenario: String,
    /// The parts, in order: the WFH orders (if any), then the measures by first appearance.
    pub parts: Vec<String>,
    /// Per summary row of the bundle (its `summary`'s order), per part: the band of its
    /// contribution to the row's total.
    pub bands: Vec<Vec<Band>>,
    /// Per replicate, per summary row, per part: its contribution.
    pub replicates: Vec<Vec<Vec<f64>>>,
}
