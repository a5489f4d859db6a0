//! Exact Shapley values: each player's average marginal contribution over every order in
//! which the players could join, from the values of all 2^m coalitions (Shapley 1953).
//! φ_i = Σ_{S ∌ i} |S|! (m − |S| − 1)! / m! · (v(S ∪ {i}) − v(S)). The values add up to
//! v(all) − v(none) (efficiency); a player that changes no coalition's value gets 0.

/// Shapley values of the `m` players whose coalitions' values `v` are indexed by bit mask
/// (bit i set: player i is in the coalition); `v.len()` must be 2^m.
pub fn shapley(v: &[f64]) -> Vec<f64> {
    let m = v.len().trailing_zeros() as usize;
    assert_eq!(v.len(), 1 << m, "2^m coalition values");
    let fact: Vec<f64> = (0..=m)
        .scan(1.0, |f, k| {
            if k > 0 {
                *f *= k as f64;
            }
            Some(*f)
        })
        .collect();
    (0..m)
        .map(|i| {
            let bit = 1usize << i;
            (0..v.len())
                .filter(|s| s & bit == 0)
                .map(|s| {
                    let size = s.count_ones() as usize;
                    let w = fact[size] * fact[m - size - 1] / fact[m];
                    w * (v[s | bit] - v[s])
                })
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::shapley;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn an_additive_game_gives_each_player_its_own_value() {
        let own = [3.0, -1.0, 0.5];
        let v: Vec<f64> = (0..8)
            .map(|s: usize| (0..3).filter(|i| s >> i & 1 == 1).map(|i| own[i]).sum())
            .collect();
        for (phi, x) in shapley(&v).iter().zip(own) {
            close(*phi, x);
        }
    }

    #[test]
    fn overlap_is_split_evenly_and_a_null_player_gets_zero() {
        // Players 0 and 1 each remove the same 10 trips (either suffices); player 2 is null.
        let v: Vec<f64> = (0..8)
            .map(|s: usize| if s & 3 != 0 { 10.0 } else { 0.0 })
            .collect();
        let phi = shapley(&v);
        close(phi[0], 5.0);
        close(phi[1], 5.0);
        assert_eq!(phi[2], 0.0);
    }

    #[test]
    fn values_add_up_to_the_whole_bundle() {
        // A game with interactions of every order.
        let v: Vec<f64> = (0..16)
            .map(|s: usize| (s as f64).sin() * 7.0 + (s.count_ones() as f64).powi(2))
            .collect();
        let total: f64 = shapley(&v).iter().sum();
        close(total, v[15] - v[0]);
        // Two players: the closed form ½(v1 − v0) + ½(v3 − v2).
        let two = [1.0, 4.0, 2.0, 9.0];
        close(shapley(&two)[0], 0.5 * (4.0 - 1.0) + 0.5 * (9.0 - 2.0));
    }
}
