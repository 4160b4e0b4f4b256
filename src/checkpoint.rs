//! Checkpoints of a [`Simulation`]: save the whole ecosystem, resume it
//! later (another process, after a crash) exactly where it stood.
//!
//! The format and what a checkpoint holds are described in
//! [`myco_vm::runtime::Checkpoint`] and `docs/checkpoints.md`. This module
//! adds what the runtime cannot know: which program a checkpoint belongs
//! to (a fingerprint of its source texts) and the field and signal types
//! every restored value is checked against.

use std::path::Path;
use std::sync::Arc;

use myco_vm::interp::{Instance, RunOptions, ScriptCell, ScriptOptions};
use myco_vm::runtime::Restorer;
pub use myco_vm::runtime::{
    Checkpoint, CheckpointError, CheckpointMeta, FORMAT_VERSION, SavedCell, write_atomically,
};

use crate::value_check::ValueCheck;
use crate::{Cell, Compiled, Record, Simulation, Sources};

/// A 64-bit FNV-1a hash of a program's source texts (the main file's, then
/// each imported file's, in load order): equal texts, same program.
pub fn fingerprint(sources: &Sources) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
    };
    eat(sources.main_text.as_bytes());
    for (_, text) in &sources.imported {
        eat(text.as_bytes());
    }
    h
}

/// The meta data a checkpoint of `compiled` carries.
pub fn meta_for(compiled: &Compiled) -> CheckpointMeta {
    CheckpointMeta {
        program: compiled.sources.main_name.clone(),
        fingerprint: fingerprint(&compiled.sources),
        writer: format!("myco {}", env!("CARGO_PKG_VERSION")),
    }
}

/// Rebuilds a Rust cell from its saved state (`None`: not one of the host's
/// kinds). See [`Simulation::resume_with`].
pub type NativeRestore<'a> = &'a mut dyn FnMut(&SavedCell) -> Option<Box<dyn Cell>>;

impl Simulation {
    /// The whole ecosystem as checkpoint bytes. Errors if a Rust cell does
    /// not implement [`Cell::save`].
    pub fn checkpoint(&self) -> Result<Vec<u8>, CheckpointError> {
        self.world().checkpoint(&meta_for(self.compiled()))
    }

    /// Writes a checkpoint to `path` atomically (a temporary file, synced,
    /// then renamed): a crash at any moment leaves the previous checkpoint
    /// or the new one, never a mix.
    pub fn save_checkpoint(&self, path: impl AsRef<Path>) -> Result<(), CheckpointError> {
        write_atomically(path.as_ref(), &self.checkpoint()?)
    }

    /// The simulation a checkpoint of `compiled` holds, ready to tick on.
    /// `options` gives the host's limits and threads (a checkpoint keeps the
    /// world's settings, so `options.settings` and `options.seed_override`
    /// are not applied). Refused, with nothing loaded, for a checkpoint of
    /// another program, of another format version, truncated or corrupted,
    /// or whose values do not fit the program's types.
    pub fn resume(
        compiled: &Compiled,
        bytes: &[u8],
        options: &RunOptions,
    ) -> Result<Simulation, CheckpointError> {
        Simulation::resume_with(compiled, bytes, options, &mut |_| None)
    }

    /// [`Simulation::resume`] for a world with Rust cells: `native` rebuilds
    /// each saved cell the host owns (and returns `None` for the others,
    /// which must be the program's Myco kinds).
    pub fn resume_with(
        compiled: &Compiled,
        bytes: &[u8],
        options: &RunOptions,
        native: NativeRestore<'_>,
    ) -> Result<Simulation, CheckpointError> {
        let checkpoint = Checkpoint::decode(bytes)?;
        let meta = checkpoint.meta();
        if meta.fingerprint != fingerprint(&compiled.sources) {
            return Err(CheckpointError::OtherProgram {
                program: meta.program.clone(),
            });
        }
        let script_options = myco_vm::interp::script_options(&compiled.program, options)
            .map_err(|e| CheckpointError::Invalid(e.to_string()))?;
        let mut restorer = ProgramRestorer {
            compiled,
            script_options: &script_options,
            native,
            check: ValueCheck::new(compiled),
        };
        let decls = myco_vm::interp::declarations(&compiled.program);
        let mut world = checkpoint.into_world(decls, &mut restorer)?;
        if let Some(cap) = options.max_cells {
            world.set_host_max_cells(cap);
        }
        world.set_threads(options.threads);
        Ok(Simulation {
            compiled: compiled.clone(),
            instance: Instance {
                world,
                prints: Vec::new(),
                script_options,
            },
        })
    }
}

/// Rebuilds script cells (and the host's Rust cells) from a checkpoint,
/// checking every value against the program's declared types.
struct ProgramRestorer<'a> {
    compiled: &'a Compiled,
    script_options: &'a Arc<ScriptOptions>,
    native: NativeRestore<'a>,
    /// One checker for the whole checkpoint, so a structure shared by many
    /// cells is checked once.
    check: ValueCheck<'a>,
}

impl Restorer for ProgramRestorer<'_> {
    fn cell(&mut self, saved: SavedCell) -> Result<Box<dyn Cell>, String> {
        if let Some(cell) = (self.native)(&saved) {
            return Ok(cell);
        }
        let program = &self.compiled.program;
        let hir = &self.compiled.hir;
        let kind = program
            .kind_named(&saved.kind)
            .ok_or_else(|| format!("unknown cell kind `{}`", saved.kind))?;
        let decl = hir
            .cells
            .get(kind as usize)
            .ok_or_else(|| format!("unknown cell kind `{}`", saved.kind))?;
        if decl.fields.len() != saved.fields.len() {
            return Err(format!(
                "{} has {} fields, the checkpoint {}",
                saved.kind,
                decl.fields.len(),
                saved.fields.len()
            ));
        }
        for (field, value) in decl.fields.iter().zip(&saved.fields) {
            if !self.check.fits(value, &field.ty) {
                return Err(format!(
                    "field `{}` of {} does not hold a value of type `{}`",
                    field.name,
                    saved.kind,
                    field.ty.display(&hir.signal_names())
                ));
            }
        }
        Ok(Box::new(ScriptCell::new(
            program.clone(),
            self.script_options.clone(),
            kind,
            saved.fields,
        )))
    }

    fn signal(&mut self, record: &Record) -> Result<(), String> {
        if self.check.record_fits(record, record.kind) {
            Ok(())
        } else {
            Err("a signal in flight does not fit its declaration".into())
        }
    }
}
