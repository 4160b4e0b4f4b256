//! Gradient fields: the live emissions of one gradient kind, indexed by a
//! uniform grid so sensing costs O(neighbours), never all-pairs.
//!
//! A field is rebuilt once per tick, at the end of the apply phase, from the
//! previous field's still-live emissions plus the tick's new ones (a linear
//! merge), then re-gridded with a counting sort (dense grid) or a sort of the
//! occupied grid cells (sparse grid, when the emissions are spread too thinly
//! for a dense array).

use crate::value::{CellId, MembraneId, Reading, Vec2};

use super::settings::GradientSpec;

/// One emission.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Emission {
    pub emitter: CellId,
    pub pos: Vec2,
    pub strength: f64,
    /// The tick it was made in.
    pub made: u64,
    pub membrane: Option<MembraneId>,
}

/// The grid cells' size never goes below this (a range of 0 still works).
const MIN_CELL_SIZE: f64 = 1e-6;
/// Ranges above this put everything in one grid cell.
const HUGE_RANGE: f64 = 1e12;

/// An emission as the grid stores it: contiguous per grid cell, so a query
/// reads memory in order.
#[derive(Debug, Clone, Copy)]
struct GridEntry {
    pos: Vec2,
    strength: f64,
    emitter: CellId,
    /// Index in `GradientField::emissions`.
    index: u32,
    /// `u32::MAX` for no membrane.
    membrane: u32,
}

fn membrane_key(m: Option<MembraneId>) -> u32 {
    m.map_or(u32::MAX, |m| m.0)
}

#[derive(Debug, Clone, Default)]
enum Grid {
    /// No emissions.
    #[default]
    Empty,
    /// Everything in one cell (a huge range).
    Single { items: Vec<GridEntry> },
    /// A dense `width × height` array of grid cells starting at `origin`;
    /// cell `k`'s emissions are `items[starts[k]..starts[k+1]]`.
    Dense {
        origin: (i64, i64),
        width: i64,
        height: i64,
        starts: Vec<u32>,
        items: Vec<GridEntry>,
    },
    /// The occupied grid cells, sorted by key; each with its item range.
    Sparse {
        keys: Vec<((i64, i64), u32, u32)>,
        items: Vec<GridEntry>,
    },
}

/// The live emissions of one gradient kind and their grid.
#[derive(Debug, Clone, Default)]
pub(crate) struct GradientField {
    /// Sorted by (emitter, made, queue order).
    emissions: Vec<Emission>,
    /// One entry per emitter: (emitter, first, end) into `emissions`.
    by_emitter: Vec<(CellId, u32, u32)>,
    cell_size: f64,
    /// Whether everything goes in one grid cell (a huge range).
    single: bool,
    /// Built on the first query (a gradient nobody senses never pays for
    /// it); a pure function of `emissions`, so who builds it does not matter.
    grid: std::sync::OnceLock<Grid>,
}

/// A sensed contribution: an emission (its index, emitter and position,
/// copied so summing needs no lookups) and its attenuated strength.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Contribution {
    index: u32,
    bonded: bool,
    emitter: CellId,
    pos: Vec2,
    strength: f64,
}

/// Buffers reused across sensing calls (no per-sense allocation).
#[derive(Debug, Default)]
pub(crate) struct SenseScratch {
    contributions: Vec<Contribution>,
}

/// Who is sensing.
pub(crate) struct Sensor<'a> {
    pub id: CellId,
    pub pos: Vec2,
    pub membrane: Option<MembraneId>,
    /// Sorted.
    pub bonds: &'a [CellId],
}

fn key_of(p: Vec2, cell_size: f64) -> (i64, i64) {
    // `as` saturates (and maps NaN to 0), so extreme coordinates only
    // crowd the edge cells; distances are still checked exactly.
    (
        (p.x / cell_size).floor() as i64,
        (p.y / cell_size).floor() as i64,
    )
}

impl GradientField {
    /// The field at tick `now`: the emissions of `previous` still live at
    /// `now` (made at `m`, sensed through `m + persist`) followed, per
    /// emitter, by `fresh` (made at `now - 1`, in queue order).
    pub fn next(
        previous: &GradientField,
        fresh: &mut [Emission],
        spec: &GradientSpec,
        now: u64,
    ) -> Self {
        let persist = u64::from(spec.persist.max(1));
        // Stable: keeps each emitter's queue order.
        fresh.sort_by_key(|e| e.emitter);
        let mut emissions = Vec::with_capacity(previous.emissions.len() + fresh.len());
        let mut old = previous
            .emissions
            .iter()
            .filter(|e| e.made + persist >= now)
            .peekable();
        let mut new = fresh.iter().peekable();
        loop {
            let take_old = match (old.peek(), new.peek()) {
                (Some(o), Some(n)) => o.emitter <= n.emitter,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_old { old.next() } else { new.next() };
            if let Some(e) = next {
                emissions.push(*e);
            }
        }
        Self::from_sorted(emissions, spec)
    }

    /// A field from a checkpoint's emissions (kept in their saved order);
    /// an error unless they are grouped by emitter in id order.
    pub fn restore(emissions: Vec<Emission>, spec: &GradientSpec) -> Result<Self, String> {
        if emissions.windows(2).any(|w| w[0].emitter > w[1].emitter) {
            return Err(format!("gradient {}: emissions out of order", spec.name));
        }
        Ok(Self::from_sorted(emissions, spec))
    }

    fn from_sorted(emissions: Vec<Emission>, spec: &GradientSpec) -> Self {
        let mut by_emitter: Vec<(CellId, u32, u32)> = Vec::new();
        for (i, e) in emissions.iter().enumerate() {
            match by_emitter.last_mut() {
                Some(last) if last.0 == e.emitter => last.2 = i as u32 + 1,
                _ => by_emitter.push((e.emitter, i as u32, i as u32 + 1)),
            }
        }
        let range = spec.range;
        let cell_size = if range.is_finite() {
            range.max(MIN_CELL_SIZE)
        } else {
            f64::INFINITY
        };
        GradientField {
            emissions,
            by_emitter,
            cell_size,
            single: range.is_nan() || range > HUGE_RANGE,
            grid: std::sync::OnceLock::new(),
        }
    }

    fn grid(&self) -> &Grid {
        self.grid.get_or_init(|| {
            if self.emissions.is_empty() {
                Grid::Empty
            } else if self.single {
                Grid::Single {
                    items: self
                        .emissions
                        .iter()
                        .enumerate()
                        .map(|(i, e)| entry(i, e))
                        .collect(),
                }
            } else {
                build_grid(&self.emissions, self.cell_size)
            }
        })
    }

    /// Number of live emissions.
    pub fn len(&self) -> usize {
        self.emissions.len()
    }

    /// Every live emission, for hashing.
    pub fn emissions(&self) -> &[Emission] {
        &self.emissions
    }

    fn emitter_range(&self, emitter: CellId) -> &[(CellId, u32, u32)] {
        match self.by_emitter.binary_search_by_key(&emitter, |e| e.0) {
            Ok(i) => &self.by_emitter[i..=i],
            Err(_) => &[],
        }
    }

    /// Gathers what `sensor` senses into `scratch` (grouped per emitter, in
    /// emission order) and calls `reading` once per emitter.
    fn gather(
        &self,
        spec: &GradientSpec,
        sensor: &Sensor<'_>,
        scratch: &mut SenseScratch,
        reading: impl FnMut(Reading),
    ) {
        let contributions = &mut scratch.contributions;
        contributions.clear();
        if self.emissions.is_empty() {
            return;
        }
        // Bonded emitters: full strength, whatever the distance or membrane.
        for &b in sensor.bonds {
            for &(_, first, end) in self.emitter_range(b) {
                for index in first..end {
                    if let Some(e) = self.emissions.get(index as usize) {
                        contributions.push(Contribution {
                            index,
                            bonded: true,
                            emitter: e.emitter,
                            pos: e.pos,
                            strength: e.strength,
                        });
                    }
                }
            }
        }
        let range = spec.range;
        let falloff = spec.falloff;
        let reject_beyond = range * range * (1.0 + 1e-9);
        let membrane = membrane_key(sensor.membrane);
        let mut visit = |items: &[GridEntry]| {
            for e in items {
                // Cheap rejection on the squared distance (with a margin, so
                // the exact test below alone decides at the boundary).
                let (dx, dy) = (e.pos.x - sensor.pos.x, e.pos.y - sensor.pos.y);
                if dx * dx + dy * dy > reject_beyond
                    || e.emitter == sensor.id
                    || e.membrane != membrane
                    || (!sensor.bonds.is_empty() && sensor.bonds.binary_search(&e.emitter).is_ok())
                {
                    continue;
                }
                let d = e.pos.dist(sensor.pos);
                if d <= range {
                    contributions.push(Contribution {
                        index: e.index,
                        bonded: false,
                        emitter: e.emitter,
                        pos: e.pos,
                        strength: e.strength * (-falloff * d).exp(),
                    });
                }
            }
        };
        match self.grid() {
            Grid::Empty => {}
            Grid::Single { items } => visit(items),
            Grid::Dense {
                origin,
                width,
                height,
                starts,
                items,
            } => {
                let (lo, hi) = self.query_keys(sensor.pos, range);
                let x0 = lo.0.max(origin.0);
                let x1 = hi.0.min(origin.0.saturating_add(*width - 1));
                let y0 = lo.1.max(origin.1);
                let y1 = hi.1.min(origin.1.saturating_add(*height - 1));
                let mut y = y0;
                while y <= y1 {
                    let row = (y - origin.1) * width;
                    let mut x = x0;
                    while x <= x1 {
                        let k = (row + (x - origin.0)) as usize;
                        if let (Some(&s), Some(&t)) = (starts.get(k), starts.get(k + 1))
                            && let Some(slice) = items.get(s as usize..t as usize)
                        {
                            visit(slice);
                        }
                        x += 1;
                    }
                    y += 1;
                }
            }
            Grid::Sparse { keys, items } => {
                let (lo, hi) = self.query_keys(sensor.pos, range);
                if i128::from(hi.0) - i128::from(lo.0) > 64 {
                    // Only with coordinates so extreme the keys saturate.
                    for &(key, s, t) in keys {
                        if (lo.0..=hi.0).contains(&key.0)
                            && (lo.1..=hi.1).contains(&key.1)
                            && let Some(slice) = items.get(s as usize..t as usize)
                        {
                            visit(slice);
                        }
                    }
                    return self.finish(sensor, scratch, reading);
                }
                let mut x = lo.0;
                loop {
                    // Occupied cells with key.x == x and lo.1 <= key.y <= hi.1.
                    let start = keys.partition_point(|k| k.0 < (x, lo.1));
                    for &(key, s, t) in &keys[start..] {
                        if key > (x, hi.1) {
                            break;
                        }
                        if let Some(slice) = items.get(s as usize..t as usize) {
                            visit(slice);
                        }
                    }
                    if x >= hi.0 {
                        break;
                    }
                    x += 1;
                }
            }
        }
        self.finish(sensor, scratch, reading);
    }

    /// Sums the gathered contributions per emitter and reports each reading.
    fn finish(
        &self,
        sensor: &Sensor<'_>,
        scratch: &mut SenseScratch,
        mut reading: impl FnMut(Reading),
    ) {
        let contributions = &mut scratch.contributions;
        if contributions.is_empty() {
            return;
        }
        // Emission order within each emitter: sum oldest first, so the sum
        // does not depend on the grid's traversal order.
        if !contributions.is_sorted_by_key(|c| c.index) {
            contributions.sort_unstable_by_key(|c| c.index);
        }
        let mut rest: &[Contribution] = contributions;
        while let Some(first) = rest.first() {
            let run = rest
                .iter()
                .take_while(|c| c.emitter == first.emitter)
                .count();
            let (same, after) = rest.split_at(run);
            let mut strength = 0.0;
            for c in same {
                strength += c.strength;
            }
            let latest = same.last().unwrap_or(first);
            reading(Reading {
                source: first.emitter,
                strength,
                distance: latest.pos.dist(sensor.pos),
                pos: latest.pos,
                bonded: first.bonded,
            });
            rest = after;
        }
    }

    fn query_keys(&self, p: Vec2, range: f64) -> ((i64, i64), (i64, i64)) {
        let r = range.max(0.0);
        (
            key_of(Vec2::new(p.x - r, p.y - r), self.cell_size),
            key_of(Vec2::new(p.x + r, p.y + r), self.cell_size),
        )
    }

    /// Everything `sensor` senses, strongest first, ties by smaller source
    /// id, appended to `out` (cleared first).
    pub fn sense_into(
        &self,
        spec: &GradientSpec,
        sensor: &Sensor<'_>,
        scratch: &mut SenseScratch,
        out: &mut Vec<Reading>,
    ) {
        out.clear();
        self.gather(spec, sensor, scratch, |r| out.push(r));
        out.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then(a.source.cmp(&b.source))
        });
    }

    /// The strongest reading (ties by smaller source id) and the number of
    /// readings.
    pub fn strongest(
        &self,
        spec: &GradientSpec,
        sensor: &Sensor<'_>,
        scratch: &mut SenseScratch,
    ) -> (Option<Reading>, usize) {
        let mut best: Option<Reading> = None;
        let mut count = 0;
        self.gather(spec, sensor, scratch, |r| {
            count += 1;
            // Readings come in increasing source order: only a strictly
            // stronger one replaces the best.
            if best.is_none_or(|b| r.strength.total_cmp(&b.strength).is_gt()) {
                best = Some(r);
            }
        });
        (best, count)
    }
}

fn entry(i: usize, e: &Emission) -> GridEntry {
    GridEntry {
        pos: e.pos,
        strength: e.strength,
        emitter: e.emitter,
        index: i as u32,
        membrane: membrane_key(e.membrane),
    }
}

fn build_grid(emissions: &[Emission], cell_size: f64) -> Grid {
    let keys: Vec<(i64, i64)> = emissions.iter().map(|e| key_of(e.pos, cell_size)).collect();
    let (mut x0, mut y0, mut x1, mut y1) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
    for &(x, y) in &keys {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let width = i128::from(x1) - i128::from(x0) + 1;
    let height = i128::from(y1) - i128::from(y0) + 1;
    let limit = 4 * emissions.len() as i128 + 1024;
    if width * height <= limit {
        let (width, height) = (width as i64, height as i64);
        let cells = (width * height) as usize;
        let mut starts = vec![0u32; cells + 1];
        for &(x, y) in &keys {
            let k = ((y - y0) * width + (x - x0)) as usize;
            starts[k + 1] += 1;
        }
        for k in 0..cells {
            starts[k + 1] += starts[k];
        }
        let mut fill = starts.clone();
        let mut slots: Vec<u32> = vec![0; keys.len()];
        for (i, &(x, y)) in keys.iter().enumerate() {
            let k = ((y - y0) * width + (x - x0)) as usize;
            slots[fill[k] as usize] = i as u32;
            fill[k] += 1;
        }
        let items = slots
            .iter()
            .map(|&i| entry(i as usize, &emissions[i as usize]))
            .collect();
        Grid::Dense {
            origin: (x0, y0),
            width,
            height,
            starts,
            items,
        }
    } else {
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        order.sort_unstable_by_key(|&i| (keys[i as usize], i));
        let mut cells: Vec<((i64, i64), u32, u32)> = Vec::new();
        for (pos, &i) in order.iter().enumerate() {
            let key = keys[i as usize];
            match cells.last_mut() {
                Some(last) if last.0 == key => last.2 = pos as u32 + 1,
                _ => cells.push((key, pos as u32, pos as u32 + 1)),
            }
        }
        Grid::Sparse {
            keys: cells,
            items: order
                .iter()
                .map(|&i| entry(i as usize, &emissions[i as usize]))
                .collect(),
        }
    }
}
