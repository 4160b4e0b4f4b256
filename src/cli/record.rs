//! `--record PATH.html`: one self-contained HTML file (inline JS and CSS, no
//! network) that replays the run in a browser.
//!
//! How it stays small and smooth for 10,000 cells over 500 ticks:
//! - The run is embedded once, as JSON, in a `<script type="application/json">`.
//! - Each frame stores only the cells whose *drawn* state changed: positions
//!   quantized to 0.1 unit, energy to a quarter-octave level
//!   (`round(4 log2(1 + e))`), kind, membrane, sleep; plus the ids that
//!   disappeared. A cell that only moved (by less than 12.8 units) costs 3
//!   bytes: id delta (LEB128) and dx, dy (int8), base64-encoded. Every [`KEYFRAME_EVERY`] frames a keyframe stores every
//!   cell, so seeking replays at most that many deltas.
//! - Bonds are stored only on frames where they changed.
//! - What the click panel shows (exact energy, fields, W/E, bonds, sleep) is
//!   stored per cell every `detail_every` ticks (every tick for small runs;
//!   the interval grows so that about [`DETAIL_BUDGET`] cell records are kept).
//! - The heatmap of one gradient is sampled on a coarse grid per frame (one
//!   character per grid cell, 64 levels).

use std::collections::HashMap;
use std::fmt::Write as _;

use myco::vm::runtime::{DeathCause, EventKind};
use myco::vm::value::{GradientId, Value};
use myco::{Event, World};

use super::series::Stats;

/// The page around the data.
const TEMPLATE: &str = include_str!("replay/replay.html");
/// Its style sheet.
const STYLE: &str = include_str!("replay/replay.css");
/// Its script.
const SCRIPT: &str = include_str!("replay/replay.js");

/// Frames between two keyframes (full states).
pub const KEYFRAME_EVERY: usize = 50;
/// About how many per-cell detail records a replay keeps.
pub const DETAIL_BUDGET: u64 = 100_000;
/// Heatmap grid cells along the longer side.
const HEAT_GRID: usize = 64;
/// Heatmap samples × emissions computed per frame at most (beyond, the
/// emissions are subsampled).
const HEAT_WORK: f64 = 8.0e6;
/// Positions are stored as integers in units of 1 / POS_SCALE.
const POS_SCALE: f64 = 10.0;

/// A cell as drawn: kind index, quantized x and y, energy level, flags
/// (bit 0: asleep; the rest: membrane index + 1).
type Drawn = (u32, i64, i64, i64, u32);

/// Records a run frame by frame and writes the replay page.
pub struct Recorder {
    path: String,
    title: String,
    stats: Stats,
    kind_index: HashMap<String, u32>,
    membranes: Vec<String>,
    gradient: Option<(GradientId, String, f64, f64)>,
    detail_every: u64,
    frames: Vec<String>,
    previous: HashMap<u64, Drawn>,
    previous_bonds: Vec<(u64, u64)>,
    bounds: Option<(f64, f64, f64, f64)>,
    series_ticks: Vec<u64>,
    series_alive: Vec<Vec<u64>>,
    series_energy: Vec<f64>,
    series_reported: Vec<f64>,
}

impl Recorder {
    /// A recorder for `ticks` ticks of a world of the given kinds; the
    /// heatmap shows `gradient` (a declared name; `None`: the first declared
    /// gradient; `Some("none")`: no heatmap).
    pub fn new(
        path: &str,
        title: &str,
        kinds: Vec<String>,
        world: &World,
        gradient: Option<&str>,
        ticks: u64,
    ) -> Result<Recorder, String> {
        let decls = world.declarations();
        let gradient = match gradient {
            Some("none") => None,
            Some(name) => {
                let id = world
                    .gradient_id(name)
                    .ok_or_else(|| format!("--record-gradient: no gradient named `{name}`"))?;
                Some(id)
            }
            None if decls.gradients.is_empty() => None,
            None => Some(GradientId(0)),
        };
        let gradient = gradient.and_then(|id| {
            decls
                .gradients
                .get(id.0 as usize)
                .map(|g| (id, g.name.clone(), g.range, g.falloff))
        });
        let cell_ticks = (world.len().max(1) as u64).saturating_mul(ticks + 1);
        let detail_every = cell_ticks.div_ceil(DETAIL_BUDGET).max(1);
        let kind_index = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u32))
            .collect();
        Ok(Recorder {
            path: path.to_string(),
            title: title.to_string(),
            stats: Stats::new(kinds),
            kind_index,
            membranes: decls.membranes.clone(),
            gradient,
            detail_every,
            frames: Vec::new(),
            previous: HashMap::new(),
            previous_bonds: Vec::new(),
            bounds: None,
            series_ticks: Vec::new(),
            series_alive: Vec::new(),
            series_energy: Vec::new(),
            series_reported: Vec::new(),
        })
    }

    /// Records the world after the ecosystem block (tick 0) or a tick;
    /// `events` are that tick's, `reported` the value its turns reported.
    pub fn observe(&mut self, world: &World, events: &[Event], reported: f64, last: bool) {
        let tick = world.tick_count();
        let keyframe = self.frames.len().is_multiple_of(KEYFRAME_EVERY);
        let mut frame = String::with_capacity(1024);
        let _ = write!(frame, "{{\"t\":{tick}");
        if keyframe {
            frame.push_str(",\"k\":1");
        }

        // Cells whose drawn state changed (all of them on a keyframe): a
        // full record, or just a small position delta when only the
        // position changed.
        let mut current: HashMap<u64, Drawn> = HashMap::with_capacity(world.len());
        let mut changed = String::new();
        let mut moves: Vec<u8> = Vec::new();
        let (mut last_id, mut last_move) = (0u64, 0u64);
        for cell in world.cells() {
            let id = cell.id().0;
            let pos = cell.pos();
            self.grow_bounds(pos.x, pos.y);
            let drawn: Drawn = (
                self.kind_index.get(cell.kind()).copied().unwrap_or(0),
                quantize(pos.x),
                quantize(pos.y),
                energy_level(cell.energy()),
                u32::from(cell.asleep()) | (cell.membrane().map_or(0, |m| m.0 + 1) << 1),
            );
            let before = if keyframe {
                None
            } else {
                self.previous.get(&id)
            };
            if before == Some(&drawn) {
                current.insert(id, drawn);
                continue;
            }
            if let Some(b) = before
                && (b.0, b.3, b.4) == (drawn.0, drawn.3, drawn.4)
                && let (Ok(dx), Ok(dy)) = (i8::try_from(drawn.1 - b.1), i8::try_from(drawn.2 - b.2))
            {
                push_varint(&mut moves, id - last_move);
                moves.extend([dx as u8, dy as u8]);
                last_move = id;
            } else {
                if !changed.is_empty() {
                    changed.push(',');
                }
                let _ = write!(
                    changed,
                    "{},{},{},{},{},{}",
                    id - last_id,
                    drawn.0,
                    drawn.1,
                    drawn.2,
                    drawn.3,
                    drawn.4
                );
                last_id = id;
            }
            current.insert(id, drawn);
        }
        if !moves.is_empty() {
            let _ = write!(frame, ",\"m\":\"{}\"", base64(&moves));
        }
        let _ = write!(frame, ",\"c\":[{changed}]");
        if !keyframe {
            let mut removed: Vec<u64> = self
                .previous
                .keys()
                .filter(|id| !current.contains_key(id))
                .copied()
                .collect();
            removed.sort_unstable();
            if !removed.is_empty() {
                let _ = write!(frame, ",\"r\":{}", delta_list(&removed));
            }
        }

        // Bonds, when they changed.
        let mut bonds = Vec::new();
        for cell in world.cells() {
            for b in cell.bonds() {
                if cell.id().0 < b.0 {
                    bonds.push((cell.id().0, b.0));
                }
            }
        }
        if keyframe || bonds != self.previous_bonds {
            let flat: Vec<String> = bonds
                .iter()
                .flat_map(|(a, b)| [a.to_string(), b.to_string()])
                .collect();
            let _ = write!(frame, ",\"b\":[{}]", flat.join(","));
            self.previous_bonds = bonds;
        }

        // Deaths, where the cell was last drawn.
        let mut deaths = Vec::new();
        for event in events {
            if let EventKind::Died { cell, cause, .. } = &event.kind {
                let (x, y) = self.previous.get(&cell.0).map_or((0, 0), |d| (d.1, d.2));
                deaths.push(format!("{},{},{x},{y}", cell.0, cause_code(*cause)));
            }
        }
        if !deaths.is_empty() {
            let _ = write!(frame, ",\"d\":[{}]", deaths.join(","));
        }

        if let Some(heat) = self.heat(world) {
            frame.push_str(&heat);
        }
        if tick.is_multiple_of(self.detail_every) || last {
            frame.push_str(&details(world));
        }
        frame.push('}');
        self.frames.push(frame);
        self.previous = current;

        let state = self.stats.state(world);
        self.series_ticks.push(tick);
        self.series_alive.push(state.alive);
        self.series_energy.push(state.energy);
        self.series_reported.push(reported);
    }

    fn grow_bounds(&mut self, x: f64, y: f64) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        self.bounds = Some(match self.bounds {
            None => (x, y, x, y),
            Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        });
    }

    /// `,"h":[x0,y0,cell,nx,ny,max,"levels"]`: the gradient's free-space
    /// field (membranes and bonds ignored) sampled at grid-cell centres.
    fn heat(&self, world: &World) -> Option<String> {
        let (id, _, range, falloff) = self.gradient.as_ref()?;
        let emissions = world.emissions(*id);
        let (mut x0, mut y0, mut x1, mut y1) = self.bounds?;
        for (p, _) in &emissions {
            if p.x.is_finite() && p.y.is_finite() {
                x0 = x0.min(p.x);
                y0 = y0.min(p.y);
                x1 = x1.max(p.x);
                y1 = y1.max(p.y);
            }
        }
        let pad = ((x1 - x0).max(y1 - y0) * 0.1).max(5.0);
        let (x0, y0, x1, y1) = (x0 - pad, y0 - pad, x1 + pad, y1 + pad);
        let cell = (x1 - x0).max(y1 - y0) / HEAT_GRID as f64;
        if !(cell.is_finite() && cell > 0.0) {
            return None;
        }
        let nx = (((x1 - x0) / cell).ceil() as usize).clamp(1, HEAT_GRID);
        let ny = (((y1 - y0) / cell).ceil() as usize).clamp(1, HEAT_GRID);
        let mut grid = vec![0.0f64; nx * ny];
        // Bound the work per frame: past HEAT_WORK samples, take every
        // `stride`-th emission at `stride` times its strength (an estimate).
        let span_cells = if range.is_finite() {
            (2.0 * range / cell + 2.0).min(nx.max(ny) as f64)
        } else {
            nx.max(ny) as f64
        };
        let work = emissions.len() as f64 * span_cells * span_cells;
        let stride = ((work / HEAT_WORK).ceil() as usize).max(1);
        for (p, s) in emissions.iter().step_by(stride) {
            let s = &(s * stride as f64);
            if !(p.x.is_finite() && p.y.is_finite() && s.is_finite()) {
                continue;
            }
            // Only grid cells whose centre can be within range.
            let reach = if range.is_finite() { *range } else { f64::MAX };
            let span = |lo: f64, c: f64, n: usize| {
                let a = ((c - reach - lo) / cell - 0.5).floor().max(0.0);
                let b = ((c + reach - lo) / cell + 0.5).ceil().min(n as f64);
                (a as usize, (b as usize).min(n))
            };
            let (ia, ib) = span(x0, p.x, nx);
            let (ja, jb) = span(y0, p.y, ny);
            for j in ja..jb {
                let cy = y0 + (j as f64 + 0.5) * cell;
                for i in ia..ib {
                    let cx = x0 + (i as f64 + 0.5) * cell;
                    let d = ((cx - p.x).powi(2) + (cy - p.y).powi(2)).sqrt();
                    if d <= *range
                        && let Some(v) = grid.get_mut(j * nx + i)
                    {
                        *v += s * (-falloff * d).exp();
                    }
                }
            }
        }
        let max = grid.iter().copied().fold(0.0f64, f64::max);
        let levels: String = grid
            .iter()
            .map(|v| {
                let level = if max > 0.0 {
                    ((v / max) * 63.0).round() as usize
                } else {
                    0
                };
                LEVEL_CHARS.get(level.min(63)).map_or('0', |&c| c as char)
            })
            .collect();
        Some(format!(
            ",\"h\":[{},{},{},{nx},{ny},{},\"{levels}\"]",
            json_number(x0),
            json_number(y0),
            json_number(cell),
            json_number(max)
        ))
    }

    /// Writes the page.
    pub fn finish(&self) -> Result<u64, String> {
        let kinds: Vec<&String> = self.stats.kinds().iter().collect();
        let bounds = self.bounds.unwrap_or((-10.0, -10.0, 10.0, 10.0));
        let meta = serde_json::json!({
            "title": self.title,
            "kinds": kinds,
            "membranes": self.membranes,
            "gradient": self.gradient.as_ref().map(|g| g.1.clone()),
            "posScale": POS_SCALE,
            "keyframeEvery": KEYFRAME_EVERY,
            "detailEvery": self.detail_every,
            "bounds": [bounds.0, bounds.1, bounds.2, bounds.3],
            "causes": ["apoptosis", "starved", "parasite", "fault"],
            "levelChars": std::str::from_utf8(LEVEL_CHARS).unwrap_or(""),
            "series": {
                "t": self.series_ticks,
                "alive": self.series_alive,
                "energy": self.series_energy.iter().map(|&x| json_f64(x)).collect::<Vec<_>>(),
                "reported": self.series_reported.iter().map(|&x| json_f64(x)).collect::<Vec<_>>(),
            },
        });
        let mut data =
            String::with_capacity(self.frames.iter().map(String::len).sum::<usize>() + 4096);
        data.push_str("{\"meta\":");
        data.push_str(&meta.to_string());
        data.push_str(",\"frames\":[\n");
        for (i, frame) in self.frames.iter().enumerate() {
            if i > 0 {
                data.push_str(",\n");
            }
            data.push_str(frame);
        }
        data.push_str("]}");
        // Inside <script>, `</` could close the element: JSON allows `<\/`.
        let data = data.replace("</", "<\\/");
        // Placeholders are looked up in the template only, in page order, so
        // nothing in the title or the data can be taken for one.
        let page = fill(
            TEMPLATE,
            &[
                ("__MYCO_TITLE__", &html_escape(&self.title)),
                ("/*MYCO_STYLE*/", STYLE),
                ("__MYCO_DATA__", &data),
                ("/*MYCO_SCRIPT*/", SCRIPT),
            ],
        );
        std::fs::write(&self.path, page.as_bytes())
            .map_err(|e| format!("cannot write `{}`: {e}", self.path))?;
        Ok(page.len() as u64)
    }
}

/// The 64 heat levels, one character each (JSON-safe, no `<`).
const LEVEL_CHARS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+_";

fn quantize(v: f64) -> i64 {
    if v.is_finite() {
        (v * POS_SCALE).round() as i64
    } else {
        0
    }
}

/// Quarter-octave energy level: `round(4 log2(1 + e))`.
fn energy_level(e: f64) -> i64 {
    if e.is_finite() && e > 0.0 {
        (4.0 * (1.0 + e).log2()).round() as i64
    } else {
        0
    }
}

/// LEB128: 7 bits a byte, low first, high bit set on all but the last.
fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Standard base64 with padding (what `atob` reads).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn cause_code(cause: DeathCause) -> u8 {
    match cause {
        DeathCause::Apoptosis => 0,
        DeathCause::Starvation => 1,
        DeathCause::Immune => 2,
        DeathCause::Fault => 3,
    }
}

fn delta_list(ids: &[u64]) -> String {
    let mut last = 0;
    let parts: Vec<String> = ids
        .iter()
        .map(|&id| {
            let d = id - last;
            last = id;
            d.to_string()
        })
        .collect();
    format!("[{}]", parts.join(","))
}

fn json_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "0".to_string()
    }
}

fn json_f64(x: f64) -> serde_json::Value {
    if x.is_finite() {
        serde_json::Value::from(x)
    } else {
        serde_json::Value::from(format!("{x:?}"))
    }
}

/// `,"f":{"id":[energy, W/E, asleep, [bonds], {fields}, age, starving, strikes]...}`.
fn details(world: &World) -> String {
    let names = world.names();
    let mut map = serde_json::Map::new();
    for cell in world.cells() {
        let mut fields = serde_json::Map::new();
        for (name, value) in cell.fields() {
            fields.insert(
                name,
                value.to_json_capped(names, myco::vm::runtime::MAX_DUMP_NODES),
            );
        }
        let bonds: Vec<u64> = cell.bonds().iter().map(|b| b.0).collect();
        map.insert(
            cell.id().0.to_string(),
            serde_json::json!([
                Value::Float(cell.energy()).to_json(names),
                Value::Float(cell.work_ratio()).to_json(names),
                cell.asleep(),
                bonds,
                fields,
                cell.age(),
                cell.starving(),
                cell.strikes(),
            ]),
        );
    }
    format!(",\"f\":{}", serde_json::Value::Object(map))
}

/// `template` with each placeholder (in the order they appear) replaced.
fn fill(template: &str, parts: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + parts.iter().map(|p| p.1.len()).sum::<usize>());
    let mut rest = template;
    for (placeholder, value) in parts {
        if let Some(i) = rest.find(placeholder) {
            out.push_str(&rest[..i]);
            out.push_str(value);
            rest = &rest[i + placeholder.len()..];
        }
    }
    out.push_str(rest);
    out
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantizers() {
        assert_eq!(quantize(1.26), 13);
        assert_eq!(quantize(f64::NAN), 0);
        assert_eq!(energy_level(0.0), 0);
        assert_eq!(energy_level(1.0), 4);
        assert_eq!(energy_level(3.0), 8);
        assert_eq!(delta_list(&[3, 5, 9]), "[3,2,4]");
        assert_eq!(fill("a X b Y c", &[("X", "Y"), ("Y", "Z")]), "a Y b Z c");
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        let mut v = Vec::new();
        push_varint(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
    }
}
