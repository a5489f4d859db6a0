//! One working day of the road step: the commutes the workers at home no longer drive
//! and the errands they drive instead, put on the roads they use; then, per (region,
//! period), the change in passenger-car units, the new speed from the city-wide speed
//! response, what the remaining traffic saves at that speed and the traffic the change in
//! speed draws in. Days are independent of each other.

use super::congestion::Reached;
use super::draw::NK;
use super::emission::{Clamp, NP};
use super::measures::{DayMeasures, TransitCapDay};
use super::step::{ReplicateInputs, RoadCell, RoadContext, RoadDay, period_split};
use crate::data::VehicleClass;
use crate::results::Coefficients;
use crate::results::schema::{MetricId, N_SLOTS, slot};
use crate::scenario::N_PURPOSES;

/// The classes whose non-commute traffic has purposes that measures act on.
const LIGHT: [VehicleClass; 2] = [VehicleClass::Motorcycle, VehicleClass::Car];

/// How a cell's gross grams split over the periods, per (class, pollutant): by vehicle-km
/// × the period's factor (under the fixed model the factor is the same in both periods).
fn kg_split(rep: &ReplicateInputs) -> [[[f64; 2]; NP]; NK] {
    let sc = rep.draw.peak_share_commute;
    std::array::from_fn(|k| {
        std::array::from_fn(|q| {
            let (a, b) = if rep.speed_model {
                (sc * rep.grams[k][0][q], (1.0 - sc) * rep.grams[k][1][q])
            } else {
                (sc, 1.0 - sc)
            };
            if a + b > 0.0 {
                [a / (a + b), b / (a + b)]
            } else {
                [sc, 1.0 - sc]
            }
        })
    })
}

/// Kg of pollutant `p` a worker at home in cell `c` avoids by not commuting.
fn gross_kg(coef: &Coefficients, c: usize, p: usize) -> f64 {
    coef.wfh[c * N_SLOTS + slot(MetricId::pollutant(p), false)]
}

/// Kg of pollutant `p` a worker at home in cell `c` adds on the roads (errands): the
/// rebound without the home electricity's CO2, which is not on any road.
fn rebound_kg(coef: &Coefficients, c: usize, p: usize) -> f64 {
    let v = coef.wfh[c * N_SLOTS + slot(MetricId::pollutant(p), true)];
    if MetricId::pollutant(p) == MetricId::CO2 {
        v - coef.electricity_co2_kg
    } else {
        v
    }
}

/// Vehicle-km and kg of each pollutant, before they are put on roads.
#[derive(Debug, Clone, Copy, Default)]
struct Driven {
    vkm: f64,
    kg: [f64; NP],
}

impl Driven {
    fn is_zero(&self) -> bool {
        self.vkm == 0.0 && self.kg.iter().all(|v| *v == 0.0)
    }
}

/// What one day's workers at home change, before it is put on roads.
struct Avoided {
    /// Per (pair, class): the commutes not driven.
    by_pair: Vec<Driven>,
    /// Per (home, class): the errands driven instead.
    by_home: Vec<Driven>,
    /// Vehicles entering DKI that are avoided.
    cordon: f64,
}

/// What every day of a replicate shares.
pub(super) struct DayStep<'a> {
    ctx: &'a RoadContext,
    rep: &'a ReplicateInputs<'a>,
    /// The all-traffic baseline per (region, class, period).
    baseline: &'a [f64],
    /// The baseline commuters' part of it.
    commuter: &'a [f64],
    /// Workers per cell (population units).
    workers: &'a [f64],
    kg_split: [[[f64; 2]; NP]; NK],
    /// Baseline speed per period, km/h.
    pub(super) speed: [f64; 2],
    inv_scale: f64,
}

impl<'a> DayStep<'a> {
    pub(super) fn new(
        ctx: &'a RoadContext,
        rep: &'a ReplicateInputs<'a>,
        baseline: &'a [f64],
        commuter: &'a [f64],
        workers: &'a [f64],
        scale: f64,
    ) -> DayStep<'a> {
        let speed = rep.draw.speeds();
        DayStep {
            ctx,
            rep,
            baseline,
            commuter,
            workers,
            kg_split: kg_split(rep),
            speed,
            inv_scale: 1.0 / scale,
        }
    }

    /// One day from its workers at home per cell and the measures in force on it; and
    /// how many emission-curve evaluations were clamped.
    pub(super) fn day(&self, counts: &[f64], measures: Option<&DayMeasures>) -> (RoadDay, u32) {
        let avoided = self.avoided(counts);
        let mut cells = vec![RoadCell::default(); self.ctx.rows_per_day()];
        self.put_commutes_on_roads(&avoided.by_pair, &mut cells);
        self.put_errands_near_home(&avoided.by_home, measures, &mut cells);
        if let Some(m) = measures {
            self.take_purpose_trips(m, &mut cells);
            if let Some(cap) = &m.transit_cap {
                self.transit_cap(cap, counts, &mut cells);
            }
            self.odd_even(m, &mut cells);
            self.divert(m, &mut cells);
        }
        let mut new_speed = vec![0.0; self.ctx.n * 2];
        let mut clamped = 0;
        for r in 0..self.ctx.n {
            for p in 0..2 {
                let open = measures.map_or(1.0, |m| m.capacity[r * 2 + p]);
                let (v1, c) = self.congestion(r, p, open, &mut cells);
                new_speed[r * 2 + p] = v1;
                clamped += c;
            }
        }
        let sc = self.rep.draw.peak_share_commute;
        let cordon = avoided.cordon;
        let day = RoadDay {
            cells,
            new_speed,
            cordon_avoided: [cordon * sc, cordon * (1.0 - sc)],
        };
        (day, clamped)
    }

    /// Per (pair, class): gross vehicle-km and kg; per (home, class): rebound vehicle-km
    /// and kg; and the cordon entries avoided.
    fn avoided(&self, counts: &[f64]) -> Avoided {
        let (n, nm, coef) = (self.ctx.n, self.ctx.nm, self.rep.coef);
        let mut a = Avoided {
            by_pair: vec![Driven::default(); n * n * NK],
            by_home: vec![Driven::default(); n * NK],
            cordon: 0.0,
        };
        for (c, &kc) in counts.iter().enumerate() {
            if kc == 0.0 {
                continue;
            }
            let (od, m) = (c / nm, c % nm);
            let Some(k) = self.ctx.mode_class[m] else {
                continue;
            };
            let f = kc * self.inv_scale;
            let g = f * coef.wfh[c * N_SLOTS + slot(MetricId::VEHICLE_KM, false)];
            let x = &mut a.by_pair[od * NK + k];
            let y = &mut a.by_home[(od / n) * NK + k];
            x.vkm += g;
            y.vkm += f * coef.wfh[c * N_SLOTS + slot(MetricId::VEHICLE_KM, true)];
            for p in 0..NP {
                x.kg[p] += f * gross_kg(coef, c, p);
                y.kg[p] += f * rebound_kg(coef, c, p);
            }
            if self.ctx.distance_km[od] > 0.0 {
                let entries = self.ctx.assignment.dki_entries_per_trip[od];
                a.cordon += g / self.ctx.distance_km[od] * entries;
            }
        }
        a
    }

    /// The commutes not driven, on the regions each pair's trips cross.
    fn put_commutes_on_roads(&self, by_pair: &[Driven], cells: &mut [RoadCell]) {
        let ctx = self.ctx;
        let split = period_split(self.rep.draw.peak_share_commute);
        for od in 0..ctx.n * ctx.n {
            for (k, split_k) in self.kg_split.iter().enumerate() {
                let x = &by_pair[od * NK + k];
                if x.is_zero() {
                    continue;
                }
                for &(r, share) in &ctx.assignment.shares[od] {
                    for (p, ps) in split.into_iter().enumerate() {
                        let cell = &mut cells[ctx.row(r, k, p)];
                        cell.gross_vkm += share * ps * x.vkm;
                        for (q, split_kq) in split_k.iter().enumerate() {
                            cell.gross_kg[q] += share * split_kq[p] * x.kg[q];
                        }
                    }
                }
            }
        }
    }

    /// The errands driven instead, on the home region's roads (at the shopping-and-leisure
    /// purpose's factor where a measure limits it).
    fn put_errands_near_home(
        &self,
        by_home: &[Driven],
        measures: Option<&DayMeasures>,
        cells: &mut [RoadCell],
    ) {
        let split = period_split(self.rep.draw.peak_share_errand);
        for h in 0..self.ctx.n {
            for k in 0..NK {
                let y = &by_home[h * NK + k];
                for (p, mut ps) in split.into_iter().enumerate() {
                    if let Some(m) = measures {
                        ps *= m.errand_factor(h, p);
                    }
                    let cell = &mut cells[self.ctx.row(h, k, p)];
                    cell.rebound_vkm += ps * y.vkm;
                    for q in 0..NP {
                        cell.rebound_kg[q] += ps * y.kg[q];
                    }
                }
            }
        }
    }

    /// The purpose trips the measures take off each light-vehicle cell (motorcycles and
    /// cars): each purpose's share of the cell's baseline traffic, scaled down together
    /// where they would exceed the non-commute remainder, times one minus its factor; not
    /// driven, at the period's baseline grams per km.
    fn take_purpose_trips(&self, m: &DayMeasures, cells: &mut [RoadCell]) {
        let shares = &self.rep.draw.purpose_share;
        for r in 0..self.ctx.n {
            for p in 0..2 {
                let f = &m.factors[r * 2 + p];
                if f.iter().all(|x| *x == 1.0) {
                    continue;
                }
                for k in LIGHT.map(VehicleClass::index) {
                    let i = self.ctx.row(r, k, p);
                    let base = self.baseline[i];
                    let all: f64 = shares.iter().map(|s| s[p]).sum::<f64>() * base;
                    let room = (base - self.commuter[i]).max(0.0);
                    let fit = if all > room { room / all } else { 1.0 };
                    let taken: f64 = (0..N_PURPOSES)
                        .map(|j| shares[j][p] * base * fit * (1.0 - f[j]))
                        .sum();
                    self.not_driven(&mut cells[i], k, p, taken);
                }
            }
        }
    }

    /// Commuters a transit cap leaves off in the peaks, driving instead. Per capped mode,
    /// over the commutes from or to the cap's regions: the riders left after the policies
    /// against what the cap admits (cap ÷ the peak load factor, of the normal riders);
    /// above it, the share who drive put their peak legs on the roads their pair's trips
    /// cross, by motorcycle or car (the rest stay off the roads).
    fn transit_cap(&self, cap: &TransitCapDay, counts: &[f64], cells: &mut [RoadCell]) {
        let (ctx, t) = (self.ctx, &self.rep.draw.transit);
        let (n, nm) = (ctx.n, ctx.nm);
        let pairs: Vec<usize> = (0..n * n)
            .filter(|od| cap.regions[od / n] || cap.regions[od % n])
            .collect();
        let legs = 2.0 * self.rep.draw.peak_share_commute * t.drive * self.inv_scale;
        let classes = [
            (VehicleClass::Motorcycle.index(), t.motorcycle),
            (VehicleClass::Car.index(), 1.0 - t.motorcycle),
        ];
        for m in (0..nm).filter(|&m| cap.modes[m]) {
            let Some(load) = ctx.transit_class[m].map(|c| t.peak_load[c]) else {
                continue;
            };
            let left = |od: usize| self.workers[od * nm + m] - counts[od * nm + m];
            let normal: f64 = pairs.iter().map(|&od| self.workers[od * nm + m]).sum();
            let riding: f64 = pairs.iter().map(|&od| left(od)).sum();
            let admitted = cap.cap / load * normal;
            if riding <= admitted {
                continue;
            }
            let off = 1.0 - admitted / riding;
            for &od in &pairs {
                let vkm = left(od) * off * legs * ctx.distance_km[od];
                if vkm == 0.0 {
                    continue;
                }
                for (k, share_k) in classes {
                    for &(r, share) in &ctx.assignment.shares[od] {
                        let cell = &mut cells[ctx.row(r, k, 0)];
                        self.not_driven(cell, k, 0, -vkm * share_k * share);
                    }
                }
            }
        }
    }

    /// Odd-even on the car traffic left in each covered (region, period) after the
    /// policies, the purpose measures and a transit cap. Imposed, the barred share of it
    /// rides transit (not driven), rides a motorcycle (driven as one) or retimes to the
    /// other period where that is not covered. Suspended, the trips the baseline's rule
    /// kept off come back in proportion to what is left: the baseline is after odd-even,
    /// so left ÷ (1 − a) would drive without it, a the share the rule keeps off.
    fn odd_even(&self, m: &DayMeasures, cells: &mut [RoadCell]) {
        let (ctx, o) = (self.ctx, &self.rep.draw.odd_even);
        let (car, moto) = (VehicleClass::Car.index(), VehicleClass::Motorcycle.index());
        for r in 0..ctx.n {
            for p in 0..2 {
                let strength = m.odd_even[r * 2 + p];
                if strength == 0.0 {
                    continue;
                }
                let q = 1 - p;
                let retime = if m.odd_even[r * 2 + q] == 0.0 {
                    o.retime
                } else {
                    0.0
                };
                let a = o.barred * (o.transit + o.motorcycle + retime);
                let i = ctx.row(r, car, p);
                let left = (self.baseline[i] - cells[i].gross_vkm + cells[i].rebound_vkm).max(0.0);
                // Car vehicle-km barred: positive where imposed, negative where lifted.
                let barred = if strength > 0.0 {
                    strength * left * o.barred
                } else {
                    strength * left / (1.0 - a) * o.barred
                };
                let gone = barred * (o.transit + o.motorcycle + retime);
                self.not_driven(&mut cells[i], car, p, gone);
                let j = ctx.row(r, moto, p);
                self.not_driven(&mut cells[j], moto, p, -barred * o.motorcycle);
                if retime > 0.0 {
                    let j = ctx.row(r, car, q);
                    self.not_driven(&mut cells[j], car, q, -barred * retime);
                }
            }
        }
    }

    /// Traffic a closure moves from its region's roads to others': not driven where it
    /// was, driven where it goes (a negative amount not driven), every class alike.
    fn divert(&self, m: &DayMeasures, cells: &mut [RoadCell]) {
        for r in 0..self.ctx.n {
            for p in 0..2 {
                for &(t, share) in &m.diverted[r * 2 + p] {
                    for k in 0..NK {
                        let moved = share * self.baseline[self.ctx.row(r, k, p)];
                        self.not_driven(&mut cells[self.ctx.row(r, k, p)], k, p, moved);
                        self.not_driven(&mut cells[self.ctx.row(t, k, p)], k, p, -moved);
                    }
                }
            }
        }
    }

    /// Adds `vkm` of class `k` in period `p` not driven (at the baseline's grams per km)
    /// to a cell's gross part.
    fn not_driven(&self, cell: &mut RoadCell, k: usize, p: usize, vkm: f64) {
        cell.gross_vkm += vkm;
        for (q, g) in self.rep.grams[k][p].iter().enumerate() {
            cell.gross_kg[q] += vkm * g / 1000.0;
        }
    }

    /// Congestion feedback of (region `r`, period `p`) with `open` of its capacity: its
    /// new speed, and each class's vehicle-hours, the remaining traffic's saving at that
    /// speed and the induced traffic. Returns the speed and how many emission-curve
    /// evaluations were clamped.
    fn congestion(&self, r: usize, p: usize, open: f64, cells: &mut [RoadCell]) -> (f64, u32) {
        let reached = self.new_speed(r, p, open, cells);
        let mut clamped = 0;
        for k in 0..NK {
            let i = self.ctx.row(r, k, p);
            clamped += self.slow_down(i, k, p, reached, &mut cells[i]);
        }
        (reached.speed, clamped)
    }

    /// The speed of (region `r`, period `p`) after the change in passenger-car units on
    /// `open` of its capacity (volume over capacity: the ratio over `open`), and the
    /// induced traffic as a fraction of the remaining traffic.
    fn new_speed(&self, r: usize, p: usize, open: f64, cells: &[RoadCell]) -> Reached {
        let d = self.rep.draw;
        let (mut base_pcu, mut delta_pcu) = (0.0, 0.0);
        for k in 0..NK {
            let i = self.ctx.row(r, k, p);
            base_pcu += d.pcu[k] * self.baseline[i];
            delta_pcu += d.pcu[k] * (cells[i].gross_vkm - cells[i].rebound_vkm);
        }
        let mut ratio = if base_pcu > 0.0 {
            (1.0 - delta_pcu / base_pcu).max(0.0)
        } else {
            1.0
        };
        if open != 1.0 {
            ratio /= open;
        }
        // No change in volume or capacity: exactly the baseline speed, no induced traffic.
        if delta_pcu != 0.0 || open != 1.0 {
            d.response(p).reach(self.speed[p], ratio)
        } else {
            Reached {
                speed: self.speed[p],
                induced: 0.0,
            }
        }
    }

    /// Vehicle-hours of cell `i` (class `k`, period `p`), what its remaining traffic
    /// saves at the reached speed and what the induced traffic drives and emits there
    /// (under the fixed emission model, at the baseline's factors); 1 if the emission
    /// curve was clamped, else 0.
    fn slow_down(&self, i: usize, k: usize, p: usize, to: Reached, cell: &mut RoadCell) -> u32 {
        let (v0, v1) = (self.speed[p], to.speed);
        let (gv, rv) = (cell.gross_vkm, cell.rebound_vkm);
        cell.gross_vh = gv / v0;
        cell.rebound_vh = rv / v0;
        let remaining = (self.baseline[i] - gv + rv).max(0.0);
        cell.congestion_vh = remaining * (1.0 / v0 - 1.0 / v1);
        cell.induced_vkm = remaining * to.induced;
        cell.induced_vh = cell.induced_vkm / v1;
        let g0 = &self.rep.grams[k][p];
        if !self.rep.speed_model || v1 == v0 {
            for (q, g0q) in g0.iter().enumerate() {
                cell.induced_kg[q] = cell.induced_vkm * g0q / 1000.0;
            }
            return 0;
        }
        let (g1, c) = self
            .rep
            .draw
            .grams_per_km(self.rep.inputs, VehicleClass::ALL[k], v1);
        for (q, g1q) in g1.iter().enumerate() {
            cell.congestion_kg[q] = remaining * (g0[q] - g1q) / 1000.0;
            cell.induced_kg[q] = cell.induced_vkm * g1q / 1000.0;
        }
        u32::from(c != Clamp::Inside)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::results::schema::N_METRICS;
    use crate::traffic::RoadDraw;
    use crate::traffic::measures::MeasurePlan;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} vs {b}");
    }

    /// One worker-day at home in a car cell: every vehicle-km and kg it avoids lands on
    /// some road (the assignment's shares and the period splits each add up to one), and
    /// its errands land on its home region's roads only.
    #[test]
    fn a_day_puts_all_it_avoids_on_roads() {
        let ds = Dataset::builtin().unwrap();
        let ctx = RoadContext::new(&ds);
        let (n, nm) = (ctx.n, ctx.nm);
        let draw = RoadDraw::new(&ds.inputs.roads, 1, 0, true).unwrap();
        let (grams, _) = draw.baseline_grams(&ds.inputs.roads);
        let car = ctx
            .mode_class
            .iter()
            .position(|k| *k == Some(VehicleClass::Car.index()))
            .unwrap();
        let (home, work) = (0, n - 1);
        let c = (home * n + work) * nm + car;
        let cells = n * n * nm;
        let mut coef = Coefficients {
            wfh: vec![0.0; cells * N_SLOTS],
            base: vec![0.0; cells * N_METRICS],
            electricity_co2_kg: 0.25,
        };
        let w = &mut coef.wfh[c * N_SLOTS..(c + 1) * N_SLOTS];
        w[slot(MetricId::VEHICLE_KM, false)] = 10.0;
        w[slot(MetricId::VEHICLE_KM, true)] = 2.0;
        for p in 0..NP {
            w[slot(MetricId::pollutant(p), false)] = 1.0 + p as f64;
            w[slot(MetricId::pollutant(p), true)] = 0.5;
        }
        let rep = ReplicateInputs {
            inputs: &ds.inputs.roads,
            draw: &draw,
            grams: &grams,
            speed_model: true,
            coef: &coef,
            measures: &MeasurePlan::default(),
        };
        let baseline = vec![1e6; ctx.rows_per_day()];
        let commuter = vec![0.0; ctx.rows_per_day()];
        let mut counts = vec![0.0; cells];
        counts[c] = 3.0;
        let workers = vec![0.0; cells];
        let (day, _) =
            DayStep::new(&ctx, &rep, &baseline, &commuter, &workers, 1.0).day(&counts, None);
        let total = |f: &dyn Fn(&RoadCell) -> f64| day.cells.iter().map(f).sum::<f64>();
        close(total(&|x| x.gross_vkm), 30.0);
        close(total(&|x| x.rebound_vkm), 6.0);
        for q in 0..NP {
            close(total(&|x| x.gross_kg[q]), 3.0 * (1.0 + q as f64));
            // The home electricity's CO2 is not on any road.
            let on_roads = if MetricId::pollutant(q) == MetricId::CO2 {
                0.25
            } else {
                0.5
            };
            close(total(&|x| x.rebound_kg[q]), 3.0 * on_roads);
        }
        for r in (0..n).filter(|&r| r != home) {
            for (k, p) in (0..NK).flat_map(|k| [(k, 0), (k, 1)]) {
                assert_eq!(day.cells[ctx.row(r, k, p)].rebound_vkm, 0.0);
            }
        }
    }

    /// What the measure tests share: the built-in dataset's roads at their central draw,
    /// coefficients of zero (nobody at home changes nothing), and a plan of one day.
    struct Fixture {
        ds: Dataset,
        ctx: RoadContext,
        draw: RoadDraw,
        grams: [[[f64; NP]; 2]; NK],
        coef: Coefficients,
    }

    impl Fixture {
        fn new() -> Fixture {
            let ds = Dataset::builtin().unwrap();
            let ctx = RoadContext::new(&ds);
            let draw = RoadDraw::new(&ds.inputs.roads, 1, 0, true).unwrap();
            let (grams, _) = draw.baseline_grams(&ds.inputs.roads);
            let cells = ctx.n * ctx.n * ctx.nm;
            let coef = Coefficients {
                wfh: vec![0.0; cells * N_SLOTS],
                base: vec![0.0; cells * N_METRICS],
                electricity_co2_kg: 0.0,
            };
            Fixture {
                ds,
                ctx,
                draw,
                grams,
                coef,
            }
        }

        /// One working day with `kind` in force at full strength in `regions`.
        fn plan(&self, kind: crate::scenario::MeasureKind, regions: Vec<usize>) -> MeasurePlan {
            let day = crate::calendar::Date::from_ymd(2020, 4, 14).unwrap();
            let m = crate::scenario::Measure {
                name: "m".into(),
                kind,
                regions,
                windows: vec![crate::scenario::Window {
                    from: day,
                    to: day,
                    share: 1.0,
                }],
            };
            let areas = crate::traffic::measures::Areas {
                baseline_share: &vec![1.0 / self.ctx.n as f64; self.ctx.n],
                is_dki: &self.ctx.is_dki,
                capped_by_default: &self.ctx.capped_by_default,
            };
            MeasurePlan::compile(&[m], &[day], &areas)
        }

        /// The day's cells with `plan` in force, every cell's baseline `b`, nobody at home.
        fn day(&self, plan: &MeasurePlan, b: f64, workers: &[f64]) -> RoadDay {
            let rep = ReplicateInputs {
                inputs: &self.ds.inputs.roads,
                draw: &self.draw,
                grams: &self.grams,
                speed_model: true,
                coef: &self.coef,
                measures: plan,
            };
            let baseline = vec![b; self.ctx.rows_per_day()];
            let zeros = vec![0.0; self.ctx.rows_per_day()];
            let step = DayStep::new(&self.ctx, &rep, &baseline, &zeros, workers, 1.0);
            step.day(&vec![0.0; workers.len()], plan.on(0)).0
        }
    }

    /// Odd-even on one region's peak with nobody at home, against the closed forms:
    /// imposed, a = barred × (transit + motorcycle + retime) of the car traffic B goes,
    /// barred × motorcycle × B rides motorcycles and barred × retime × B moves off-peak;
    /// suspended, B × a / (1 − a) comes back.
    #[test]
    fn odd_even_follows_its_closed_forms() {
        use crate::scenario::{MeasureKind, OddEvenAction};
        let f = Fixture::new();
        let ctx = &f.ctx;
        let o = f.draw.odd_even;
        let a = o.barred * (o.transit + o.motorcycle + o.retime);
        let b = 1e6;
        let workers = vec![0.0; ctx.n * ctx.n * ctx.nm];
        let (car, moto) = (VehicleClass::Car.index(), VehicleClass::Motorcycle.index());
        for (action, sign) in [(OddEvenAction::Impose, 1.0), (OddEvenAction::Suspend, -1.0)] {
            let kind = MeasureKind::OddEven {
                action,
                periods: [true, false],
            };
            let d = f.day(&f.plan(kind, vec![0]), b, &workers);
            let on = if sign > 0.0 { b } else { b / (1.0 - a) };
            close(d.cells[ctx.row(0, car, 0)].gross_vkm, sign * on * a);
            close(
                d.cells[ctx.row(0, moto, 0)].gross_vkm,
                -sign * on * o.barred * o.motorcycle,
            );
            close(
                d.cells[ctx.row(0, car, 1)].gross_vkm,
                -sign * on * o.barred * o.retime,
            );
            // Other regions are untouched.
            assert_eq!(d.cells[ctx.row(1, car, 0)].gross_vkm, 0.0);
        }
    }

    /// A transit cap of 0.5 on one pair's KRL riders, nobody at home: the riders over
    /// what the cap admits (0.5 ÷ the peak load factor of them) drive both peak legs by
    /// the draw's shares, on the roads the pair's trips cross, all in the peak.
    #[test]
    fn a_transit_cap_puts_the_riders_above_it_on_roads() {
        let f = Fixture::new();
        let (ctx, n, nm) = (&f.ctx, f.ctx.n, f.ctx.nm);
        let krl = f.ds.modes.iter().position(|m| m.code == "krl").unwrap();
        let kind = crate::scenario::MeasureKind::TransitCap {
            cap: 0.5,
            modes: vec![krl],
        };
        let od = 7 * n; // from kab_bogor to jakarta_pusat
        let mut workers = vec![0.0; n * n * nm];
        workers[od * nm + krl] = 1000.0;
        let d = f.day(&f.plan(kind, Vec::new()), 1e9, &workers);
        let t = f.draw.transit;
        let off = 1.0 - 0.5 / t.peak_load[0];
        let vkm = 1000.0 * off * 2.0 * f.draw.peak_share_commute * t.drive * ctx.distance_km[od];
        let sum = |k: VehicleClass, p: usize| -> f64 {
            (0..n)
                .map(|r| d.cells[ctx.row(r, k.index(), p)].gross_vkm)
                .sum()
        };
        close(sum(VehicleClass::Motorcycle, 0), -vkm * t.motorcycle);
        close(sum(VehicleClass::Car, 0), -vkm * (1.0 - t.motorcycle));
        assert_eq!(sum(VehicleClass::Car, 1), 0.0);
        assert_eq!(sum(VehicleClass::Bus, 0), 0.0);
    }
}
