//! Checkpoints: the whole ecosystem as bytes, so a long run survives being
//! killed and resumes byte-identical to a run that never stopped.
//!
//! A checkpoint holds everything a tick reads: settings, the tick, the next
//! id, the counters, every cell (its own state, position, energy, priority,
//! parent, membrane, birth tick, bonds, mail — the signals in flight —,
//! sleep state, starvation and immune counts, the W/E ring and its sums), the
//! live emissions of every gradient and the traffic window. Random streams
//! are counter-based (keyed by seed, id, tick, phase, draw), so there is no
//! generator state to keep. What is derived (the spatial grids, the
//! per-emitter index) is rebuilt on load.
//!
//! The file format, version [`FORMAT_VERSION`] (integers little-endian):
//!
//! | bytes | what |
//! | --- | --- |
//! | 8 | the magic `MYCOCKPT` |
//! | 4 | the format version (u32) |
//! | 8 | the payload's length (u64) |
//! | 4 | the CRC-32 (IEEE) of the payload |
//! | n | the payload: a `postcard` encoding of the saved world |
//!
//! Values are stored flat: strings, lists and records each once per shared
//! allocation, in a table whose entries only refer to earlier entries, so a
//! list shared by a thousand cells is written once and decoding never
//! recurses, however the file was made.
//!
//! Loading checks, in order: the magic (not a checkpoint), the version
//! (another version of Myco), the length (truncated), the CRC (corrupted),
//! the payload's structure, then the program (the host compares
//! [`CheckpointMeta::fingerprint`]), then every reference (ids, kinds,
//! gradients, membranes) and, through the host's [`Restorer`], every
//! cell's fields and every signal's payload against their declared types.
//! Nothing is half-loaded: a world exists only if every check passed.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::cell::Cell;
use super::events::{Counters, Event, EventKind, SpawnRefusal};
use super::field::{Emission, GradientField};
use super::record::{CellRecord, FaultInfo, Mail, SleepState};
use super::settings::{Declarations, SETTING_NAMES, WorldSettings};
use super::world::World;
use crate::value::{CellId, GradientId, MembraneId, Reading, Record, SignalKindId, Value, Vec2};

/// The first 8 bytes of every checkpoint file.
pub const MAGIC: &[u8; 8] = b"MYCOCKPT";

/// The format version this build writes and reads. Raised whenever the
/// payload's layout changes; other versions are refused, never guessed at.
pub const FORMAT_VERSION: u32 = 1;

/// Bytes before the payload: magic, version, length, CRC.
const HEADER_LEN: usize = 8 + 4 + 8 + 4;

/// A cell's own state as a checkpoint keeps it: its kind's name and its
/// fields in declaration order. [`Cell::save`] makes it; a [`Restorer`]
/// turns it back into a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedCell {
    /// The kind (`Cell::kind_name`).
    pub kind: String,
    /// The fields, in declaration order.
    pub fields: Vec<Value>,
}

/// Who wrote a checkpoint: the host fills it in when saving and compares it
/// when loading (a checkpoint of another program is refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointMeta {
    /// The program's name, for messages (its main file).
    pub program: String,
    /// A hash of the program (its source texts): equal means same program.
    pub fingerprint: u64,
    /// The writer's version (`myco 0.1.0`), for messages.
    pub writer: String,
}

/// Why a checkpoint could not be written or loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointError {
    /// Reading or writing the file failed.
    Io(String),
    /// The file does not start with the checkpoint magic.
    NotACheckpoint,
    /// Written by a build with another format version.
    Version {
        /// The file's version.
        found: u32,
    },
    /// The file is shorter than its header says.
    Truncated {
        /// Bytes the header announces (header included).
        expected: u64,
        /// Bytes there are.
        found: u64,
    },
    /// The payload's checksum does not match: the file was damaged.
    Corrupted,
    /// The checkpoint is of another program.
    OtherProgram {
        /// The program it was written for.
        program: String,
    },
    /// The payload decoded but does not describe a valid world of this
    /// program (a reference out of range, a field of the wrong type...).
    Invalid(String),
    /// A cell cannot be saved (a Rust cell without [`Cell::save`]).
    Unsupported(String),
}

impl std::fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckpointError::Io(m) => f.write_str(m),
            CheckpointError::NotACheckpoint => f.write_str("not a Myco checkpoint"),
            CheckpointError::Version { found } => write!(
                f,
                "checkpoint format version {found}, but this myco reads version {FORMAT_VERSION}"
            ),
            CheckpointError::Truncated { expected, found } => {
                write!(f, "checkpoint is truncated ({found} of {expected} bytes)")
            }
            CheckpointError::Corrupted => {
                f.write_str("checkpoint is corrupted (its checksum does not match)")
            }
            CheckpointError::OtherProgram { program } => {
                write!(f, "checkpoint is of another program (`{program}`)")
            }
            CheckpointError::Invalid(m) => write!(f, "checkpoint is invalid: {m}"),
            CheckpointError::Unsupported(m) => write!(f, "cannot checkpoint: {m}"),
        }
    }
}

impl std::error::Error for CheckpointError {}

/// What loading needs from the host: how to rebuild each cell's state (and
/// check its fields' types), and how to check a signal's payload.
pub trait Restorer {
    /// The cell of `saved.kind` with `saved.fields`; an error (a message)
    /// for an unknown kind or fields that do not fit the kind's types.
    fn cell(&mut self, saved: SavedCell) -> Result<Box<dyn Cell>, String>;

    /// Whether `record` (a signal in flight) fits its kind's field types.
    fn signal(&mut self, _record: &Record) -> Result<(), String> {
        Ok(())
    }
}

// ---- the payload ---------------------------------------------------------

/// A value with its shared parts replaced by table indices.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum FlatValue {
    None,
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(u32),
    Vec(f64, f64),
    Cell(u64),
    Gradient(u32),
    List(u32),
    Record(u32),
    Reading(Reading),
}

/// A table entry: a list or a record, whose parts are earlier entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Composite {
    List(Vec<FlatValue>),
    Record(u32, Vec<FlatValue>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum SavedSleep {
    Awake,
    Ticks(u64),
    Until(u32, f64),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedRecord {
    id: u64,
    kind: String,
    fields: Vec<FlatValue>,
    pos: (f64, f64),
    energy: f64,
    priority: f64,
    parent: Option<u64>,
    membrane: Option<u32>,
    born: u64,
    started: bool,
    bonds: Vec<u64>,
    /// (sender, signal: a `FlatValue::Record`)
    mail: Vec<(u64, FlatValue)>,
    sleep: SavedSleep,
    starving: i64,
    strikes: i64,
    history: Vec<(f64, f64)>,
    head: u64,
    window_sums: (f64, f64),
    tick_reported: f64,
    tick_spent: f64,
    ran_turn: bool,
    exhausted: bool,
    ratio: f64,
    last_fault: Option<(u64, String, Option<String>)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedEmission {
    emitter: u64,
    pos: (f64, f64),
    strength: f64,
    made: u64,
    membrane: Option<u32>,
}

/// An event of a host spawn not yet handed to the host (the only events a
/// world holds between ticks).
#[derive(Debug, Clone, Serialize, Deserialize)]
enum SavedEvent {
    Spawned { tick: u64, cell: u64, kind: String },
    SpawnRefused { tick: u64, kind: String },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedWorld {
    meta: CheckpointMeta,
    settings: WorldSettings,
    tick: u64,
    next_id: u64,
    counters: Counters,
    strings: Vec<String>,
    composites: Vec<Composite>,
    cells: Vec<SavedRecord>,
    /// One list of live emissions per declared gradient, in field order.
    fields: Vec<Vec<SavedEmission>>,
    /// One entry per tick of the traffic window, oldest first.
    traffic: Vec<Vec<((u64, u64), u32)>>,
    pending_events: Vec<SavedEvent>,
}

// ---- saving --------------------------------------------------------------

/// Flattens values, writing each shared allocation once.
#[derive(Default)]
struct Flattener {
    strings: Vec<String>,
    string_ids: HashMap<usize, u32>,
    composites: Vec<Composite>,
    composite_ids: HashMap<usize, u32>,
}

impl Flattener {
    fn flatten(&mut self, value: &Value) -> FlatValue {
        match value {
            Value::None => FlatValue::None,
            Value::Int(i) => FlatValue::Int(*i),
            Value::Float(x) => FlatValue::Float(*x),
            Value::Bool(b) => FlatValue::Bool(*b),
            Value::Vec(v) => FlatValue::Vec(v.x, v.y),
            Value::Cell(c) => FlatValue::Cell(c.0),
            Value::Gradient(g) => FlatValue::Gradient(g.0),
            Value::Reading(r) => FlatValue::Reading(**r),
            Value::Str(s) => {
                // The allocation's address identifies it while the world,
                // which holds it, is borrowed.
                let key = Arc::as_ptr(s) as *const u8 as usize;
                if let Some(&id) = self.string_ids.get(&key) {
                    return FlatValue::Str(id);
                }
                let id = self.strings.len() as u32;
                self.strings.push(s.to_string());
                self.string_ids.insert(key, id);
                FlatValue::Str(id)
            }
            Value::List(items) => {
                let key = Arc::as_ptr(items) as usize;
                if let Some(&id) = self.composite_ids.get(&key) {
                    return FlatValue::List(id);
                }
                // Parts first, so they get the smaller indices. The depth is
                // the value's type depth, bounded by the program's text.
                let flat: Vec<FlatValue> = items.iter().map(|v| self.flatten(v)).collect();
                let id = self.composites.len() as u32;
                self.composites.push(Composite::List(flat));
                self.composite_ids.insert(key, id);
                FlatValue::List(id)
            }
            Value::Record(r) => {
                let key = Arc::as_ptr(r) as usize;
                if let Some(&id) = self.composite_ids.get(&key) {
                    return FlatValue::Record(id);
                }
                let id = self.record(r);
                self.composite_ids.insert(key, id);
                FlatValue::Record(id)
            }
        }
    }

    fn record(&mut self, r: &Record) -> u32 {
        let flat: Vec<FlatValue> = r.fields.iter().map(|v| self.flatten(v)).collect();
        let id = self.composites.len() as u32;
        self.composites.push(Composite::Record(r.kind.0, flat));
        id
    }
}

fn save_sleep(s: SleepState) -> SavedSleep {
    match s {
        SleepState::Awake => SavedSleep::Awake,
        SleepState::Ticks { wake_at } => SavedSleep::Ticks(wake_at),
        SleepState::Until {
            gradient,
            threshold,
        } => SavedSleep::Until(gradient.0, threshold),
    }
}

impl World {
    /// The whole ecosystem as a checkpoint (see the module docs for the
    /// format). Errors if a cell cannot be saved ([`Cell::save`] returns
    /// `None`: a Rust cell that does not support checkpoints). Events of
    /// host spawns not yet taken ([`World::take_events`]) are kept too.
    pub fn checkpoint(&self, meta: &CheckpointMeta) -> Result<Vec<u8>, CheckpointError> {
        let mut flat = Flattener::default();
        let mut cells = Vec::with_capacity(self.cells.len());
        for rec in self.cells.iter() {
            let Some(saved) = rec.state.save() else {
                return Err(CheckpointError::Unsupported(format!(
                    "cell {} ({}) does not support checkpoints",
                    rec.id,
                    rec.state.kind_name()
                )));
            };
            let fields = saved.fields.iter().map(|v| flat.flatten(v)).collect();
            let mail = rec
                .mail
                .iter()
                .map(|m| {
                    let id = flat.record(&m.signal);
                    (m.from.0, FlatValue::Record(id))
                })
                .collect();
            cells.push(SavedRecord {
                id: rec.id.0,
                kind: saved.kind,
                fields,
                pos: (rec.pos.x, rec.pos.y),
                energy: rec.energy,
                priority: rec.priority,
                parent: rec.parent.map(|p| p.0),
                membrane: rec.membrane.map(|m| m.0),
                born: rec.born,
                started: rec.started,
                bonds: rec.bonds.iter().map(|b| b.0).collect(),
                mail,
                sleep: save_sleep(rec.sleep),
                starving: rec.starving,
                strikes: rec.strikes,
                history: rec.history.clone(),
                head: rec.head as u64,
                window_sums: rec.window_sums,
                tick_reported: rec.tick_reported,
                tick_spent: rec.tick_spent,
                ran_turn: rec.ran_turn,
                exhausted: rec.exhausted,
                ratio: rec.ratio,
                last_fault: rec
                    .last_fault
                    .as_ref()
                    .map(|f| (f.tick, f.message.clone(), f.location.clone())),
            });
        }
        let fields = self
            .fields
            .iter()
            .map(|field| {
                field
                    .emissions()
                    .iter()
                    .map(|e| SavedEmission {
                        emitter: e.emitter.0,
                        pos: (e.pos.x, e.pos.y),
                        strength: e.strength,
                        made: e.made,
                        membrane: e.membrane.map(|m| m.0),
                    })
                    .collect()
            })
            .collect();
        let traffic = self
            .traffic
            .iter()
            .map(|tick| tick.iter().map(|&((a, b), n)| ((a.0, b.0), n)).collect())
            .collect();
        let mut pending_events = Vec::with_capacity(self.pending_events.len());
        for event in &self.pending_events {
            pending_events.push(match &event.kind {
                EventKind::Spawned {
                    cell,
                    kind,
                    parent: None,
                } => SavedEvent::Spawned {
                    tick: event.tick,
                    cell: cell.0,
                    kind: kind.clone(),
                },
                EventKind::SpawnRefused {
                    parent: None,
                    kind,
                    reason: SpawnRefusal::MaxCells,
                } => SavedEvent::SpawnRefused {
                    tick: event.tick,
                    kind: kind.clone(),
                },
                other => {
                    return Err(CheckpointError::Unsupported(format!(
                        "a pending event that is not a host spawn: {other:?}"
                    )));
                }
            });
        }
        let saved = SavedWorld {
            meta: meta.clone(),
            settings: self.settings.clone(),
            tick: self.tick,
            next_id: self.next_id,
            counters: self.counters.clone(),
            strings: flat.strings,
            composites: flat.composites,
            cells,
            fields,
            traffic,
            pending_events,
        };
        let payload = postcard::to_stdvec(&saved)
            .map_err(|e| CheckpointError::Io(format!("cannot encode the checkpoint: {e}")))?;
        let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        Ok(out)
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// folder, flushed to disk, then renamed over `path` (and the folder
/// synced), so a crash leaves either the old checkpoint or the new one.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), CheckpointError> {
    use std::io::Write;
    let io = |what: &str, e: std::io::Error| {
        CheckpointError::Io(format!("cannot {what} `{}`: {e}", path.display()))
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "checkpoint".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp).map_err(|e| io("write", e))?;
        file.write_all(bytes).map_err(|e| io("write", e))?;
        file.sync_all().map_err(|e| io("sync", e))?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(|e| io("replace", e))?;
        // Make the rename itself durable; not every platform can open a
        // folder, and the data is already safe, so a failure here is ignored.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

// ---- loading -------------------------------------------------------------

/// A checkpoint whose header, checksum and structure were checked: look at
/// its [`meta`](Checkpoint::meta), then turn it into a world with
/// [`Checkpoint::into_world`].
#[derive(Debug, Clone)]
pub struct Checkpoint {
    saved: SavedWorld,
}

impl Checkpoint {
    /// Checks the header and the checksum and decodes the payload.
    pub fn decode(bytes: &[u8]) -> Result<Checkpoint, CheckpointError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(CheckpointError::NotACheckpoint);
        }
        let header = |at: usize, len: usize| bytes.get(at..at + len);
        let truncated = || CheckpointError::Truncated {
            expected: HEADER_LEN as u64,
            found: bytes.len() as u64,
        };
        let version = header(8, 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
            .ok_or_else(truncated)?;
        if version != FORMAT_VERSION {
            return Err(CheckpointError::Version { found: version });
        }
        let len = header(12, 8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or_else(truncated)?;
        let crc = header(20, 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
            .ok_or_else(truncated)?;
        let expected = (HEADER_LEN as u64).saturating_add(len);
        let found = bytes.len() as u64;
        if found < expected {
            return Err(CheckpointError::Truncated { expected, found });
        }
        if found > expected {
            return Err(CheckpointError::Invalid(format!(
                "{} bytes after the payload",
                found - expected
            )));
        }
        let payload = &bytes[HEADER_LEN..];
        if crc32fast::hash(payload) != crc {
            return Err(CheckpointError::Corrupted);
        }
        let saved: SavedWorld = postcard::from_bytes(payload)
            .map_err(|e| CheckpointError::Invalid(format!("cannot decode the payload: {e}")))?;
        Ok(Checkpoint { saved })
    }

    /// Who wrote it.
    pub fn meta(&self) -> &CheckpointMeta {
        &self.saved.meta
    }

    /// The last completed tick it holds.
    pub fn tick(&self) -> u64 {
        self.saved.tick
    }

    /// The world it holds, for a program with declarations `decls`: every
    /// reference is checked, and `restore` rebuilds (and type-checks) each
    /// cell and checks each signal in flight. The world runs on 1 thread
    /// until [`World::set_threads`].
    pub fn into_world(
        self,
        decls: Declarations,
        restore: &mut dyn Restorer,
    ) -> Result<World, CheckpointError> {
        let s = self.saved;
        let invalid = CheckpointError::Invalid;
        check_settings(&s.settings).map_err(invalid)?;
        if s.fields.len() != decls.gradients.len() {
            return Err(invalid(format!(
                "{} gradient fields for {} declared gradients",
                s.fields.len(),
                decls.gradients.len()
            )));
        }
        let unflat = Unflattener::build(&s.strings, &s.composites, &decls).map_err(invalid)?;
        let mut world = World::new(s.settings.clone(), decls).map_err(invalid)?;
        let decls = Arc::clone(&world.decls);
        let membrane = |m: Option<u32>| -> Result<Option<MembraneId>, String> {
            match m {
                Some(m) if (m as usize) < decls.membranes.len() => Ok(Some(MembraneId(m))),
                Some(m) => Err(format!("unknown membrane {m}")),
                None => Ok(None),
            }
        };
        let window = s.settings.window();
        let mut ids: Vec<u64> = Vec::with_capacity(s.cells.len());
        let mut cells = imbl::Vector::new();
        for c in s.cells {
            let at = |m: String| invalid(format!("cell #{}: {m}", c.id));
            if ids.last().is_some_and(|&last| last >= c.id) || c.id == 0 || c.id >= s.next_id {
                return Err(at("ids are not increasing below the next id".into()));
            }
            ids.push(c.id);
            let fields = c
                .fields
                .iter()
                .map(|v| unflat.value(v))
                .collect::<Result<Vec<_>, _>>()
                .map_err(at)?;
            let state = restore
                .cell(SavedCell {
                    kind: c.kind.clone(),
                    fields,
                })
                .map_err(at)?;
            let pos = Vec2::new(c.pos.0, c.pos.1);
            let finite = pos.x.is_finite()
                && pos.y.is_finite()
                && c.energy.is_finite()
                && c.energy >= 0.0
                && c.priority.is_finite()
                && c.priority >= 0.0;
            if !finite {
                return Err(at("non-finite position, energy or priority".into()));
            }
            if c.bonds.windows(2).any(|w| w[0] >= w[1]) || c.bonds.contains(&c.id) {
                return Err(at("bonds are not sorted and distinct".into()));
            }
            let mut mail = Vec::with_capacity(c.mail.len());
            for (from, signal) in &c.mail {
                let Value::Record(record) = unflat.value(signal).map_err(at)? else {
                    return Err(at("mail that is not a signal".into()));
                };
                restore.signal(&record).map_err(at)?;
                mail.push(Mail {
                    from: CellId(*from),
                    signal: Arc::unwrap_or_clone(record),
                });
            }
            let sleep = match c.sleep {
                SavedSleep::Awake => SleepState::Awake,
                SavedSleep::Ticks(wake_at) => SleepState::Ticks { wake_at },
                SavedSleep::Until(g, threshold) if (g as usize) < decls.gradients.len() => {
                    SleepState::Until {
                        gradient: GradientId(g),
                        threshold,
                    }
                }
                SavedSleep::Until(g, _) => return Err(at(format!("unknown gradient {g}"))),
            };
            let ring_ok = c.history.is_empty() && c.head == 0
                || c.history.len() == window && (c.head as usize) < window;
            if !ring_ok {
                return Err(at("a W/E window of the wrong length".into()));
            }
            let mut rec = CellRecord::new(
                CellId(c.id),
                state,
                pos,
                c.energy,
                c.priority,
                c.parent.map(CellId),
                membrane(c.membrane).map_err(at)?,
                c.born,
            );
            rec.started = c.started;
            rec.bonds = c.bonds.iter().map(|&b| CellId(b)).collect();
            rec.mail = mail;
            rec.sleep = sleep;
            rec.starving = c.starving;
            rec.strikes = c.strikes;
            rec.history = c.history;
            rec.head = c.head as usize;
            rec.window_sums = c.window_sums;
            rec.tick_reported = c.tick_reported;
            rec.tick_spent = c.tick_spent;
            rec.ran_turn = c.ran_turn;
            rec.exhausted = c.exhausted;
            rec.ratio = c.ratio;
            rec.last_fault = c.last_fault.map(|(tick, message, location)| {
                Arc::new(FaultInfo {
                    tick,
                    message,
                    location,
                })
            });
            cells.push_back(rec);
        }
        // Bonds are undirected: each must be listed on both sides.
        for rec in cells.iter() {
            for b in &rec.bonds {
                let other = ids.binary_search(&b.0).ok().and_then(|i| cells.get(i));
                if !other.is_some_and(|o| o.bonded_to(rec.id)) {
                    return Err(invalid(format!(
                        "cell {}: bond with {b} is not mutual",
                        rec.id
                    )));
                }
            }
        }
        let mut fields = Vec::with_capacity(s.fields.len());
        for (g, saved) in s.fields.into_iter().enumerate() {
            let mut emissions = Vec::with_capacity(saved.len());
            for e in saved {
                emissions.push(Emission {
                    emitter: CellId(e.emitter),
                    pos: Vec2::new(e.pos.0, e.pos.1),
                    strength: e.strength,
                    made: e.made,
                    membrane: membrane(e.membrane).map_err(invalid)?,
                });
            }
            let spec = &decls.gradients[g];
            fields.push(GradientField::restore(emissions, spec).map_err(invalid)?);
        }
        let mut traffic = imbl::Vector::new();
        for tick in s.traffic {
            let entries: Vec<((CellId, CellId), u32)> = tick
                .into_iter()
                .map(|((a, b), n)| ((CellId(a), CellId(b)), n))
                .collect();
            if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
                return Err(invalid("traffic is not sorted by pair".into()));
            }
            traffic.push_back(Arc::new(entries));
        }
        if traffic.len() > window {
            return Err(invalid("a traffic window longer than the window".into()));
        }
        world.tick = s.tick;
        world.next_id = s.next_id;
        world.counters = s.counters;
        world.cells = cells;
        world.fields = Arc::new(fields);
        world.traffic = traffic;
        world.pending_events = s
            .pending_events
            .into_iter()
            .map(|e| match e {
                SavedEvent::Spawned { tick, cell, kind } => Event {
                    tick,
                    kind: EventKind::Spawned {
                        cell: CellId(cell),
                        kind,
                        parent: None,
                    },
                },
                SavedEvent::SpawnRefused { tick, kind } => Event {
                    tick,
                    kind: EventKind::SpawnRefused {
                        parent: None,
                        kind,
                        reason: SpawnRefusal::MaxCells,
                    },
                },
            })
            .collect();
        Ok(world)
    }
}

/// Settings as `world.*` assignments would leave them: each value must be
/// one `WorldSettings::set` accepts unchanged.
fn check_settings(settings: &WorldSettings) -> Result<(), String> {
    let mut copy = WorldSettings::default();
    for name in SETTING_NAMES {
        match settings.get(name) {
            Some(Value::None) => copy.size = None,
            Some(v) => copy.set(name, &v)?,
            None => {}
        }
    }
    if &copy != settings {
        return Err("settings out of range".into());
    }
    Ok(())
}

/// Rebuilds flat values: the table is decoded once, in order, each entry
/// referring only to earlier ones (no recursion, no cycles).
struct Unflattener {
    strings: Vec<Arc<str>>,
    composites: Vec<Value>,
    gradients: usize,
}

impl Unflattener {
    fn build(
        strings: &[String],
        composites: &[Composite],
        decls: &Declarations,
    ) -> Result<Unflattener, String> {
        let mut u = Unflattener {
            strings: strings.iter().map(|s| Arc::from(s.as_str())).collect(),
            composites: Vec::with_capacity(composites.len()),
            gradients: decls.gradients.len(),
        };
        for c in composites {
            let value = match c {
                Composite::List(items) => {
                    let items = items
                        .iter()
                        .map(|v| u.value(v))
                        .collect::<Result<imbl::Vector<Value>, _>>()?;
                    Value::List(Arc::new(items))
                }
                Composite::Record(kind, items) => {
                    let Some(spec) = decls.signals.get(*kind as usize) else {
                        return Err(format!("unknown signal kind {kind}"));
                    };
                    if spec.fields.len() != items.len() {
                        return Err(format!("signal {} with a wrong field count", spec.name));
                    }
                    let fields = items
                        .iter()
                        .map(|v| u.value(v))
                        .collect::<Result<Box<[Value]>, _>>()?;
                    Value::Record(Arc::new(Record {
                        kind: SignalKindId(*kind),
                        fields,
                    }))
                }
            };
            u.composites.push(value);
        }
        Ok(u)
    }

    fn value(&self, v: &FlatValue) -> Result<Value, String> {
        Ok(match v {
            FlatValue::None => Value::None,
            FlatValue::Int(i) => Value::Int(*i),
            FlatValue::Float(x) => Value::Float(*x),
            FlatValue::Bool(b) => Value::Bool(*b),
            FlatValue::Vec(x, y) => Value::vec(*x, *y),
            FlatValue::Cell(c) => Value::Cell(CellId(*c)),
            FlatValue::Gradient(g) if (*g as usize) < self.gradients => {
                Value::Gradient(GradientId(*g))
            }
            FlatValue::Gradient(g) => return Err(format!("unknown gradient {g}")),
            FlatValue::Reading(r) => Value::Reading(Arc::new(*r)),
            FlatValue::Str(i) => Value::Str(
                self.strings
                    .get(*i as usize)
                    .cloned()
                    .ok_or_else(|| format!("string {i} out of range"))?,
            ),
            FlatValue::List(i) => match self.composites.get(*i as usize) {
                Some(v @ Value::List(_)) => v.clone(),
                _ => return Err(format!("list {i} out of range")),
            },
            FlatValue::Record(i) => match self.composites.get(*i as usize) {
                Some(v @ Value::Record(_)) => v.clone(),
                _ => return Err(format!("record {i} out of range")),
            },
        })
    }
}
