//! The tick, exactly as LANGUAGE.md §5 lays it out: wake, turns (in
//! parallel, against the world as it stood at the end of the previous
//! tick), apply (in cell-id then queue order, stage by stage), economy,
//! immune system, topology.

use std::sync::Arc;

use rayon::prelude::*;

use super::cell::{Cell, MetabolismResult};
use super::context::{Buffers, CellContext, Effect, View};
use super::events::{
    BondEnd, BondOrigin, BondRefusal, DeathCause, DropReason, Event, EventKind, SpawnRefusal,
};
use super::field::{Emission, GradientField, SenseScratch};
use super::record::{CellRecord, FaultInfo, Mail, SleepState};
use super::rng::Phase;
use super::settings::{Declarations, WorldSettings};
use super::world::{TickReport, World};
use crate::costs;
use crate::value::{CellId, Vec2};

/// Cells per parallel work item. Fixed (not derived from the thread
/// count), though results would not depend on it anyway.
const CHUNK: usize = 256;

/// How a turn ended, for the apply phase.
enum TurnEnd {
    Continue,
    Sleep(SleepState),
    Die,
    Differentiate(Box<dyn Cell>),
    Fault(String, Option<String>),
}

/// One cell's turn, as the apply phase needs it.
struct TurnOutcome {
    id: CellId,
    ran: bool,
    /// The state after the turn (`None`: keep the old one — rolled back).
    state: Option<Arc<dyn Cell>>,
    energy: f64,
    spent: f64,
    reported: f64,
    instructions: u64,
    exhausted: bool,
    end: TurnEnd,
    /// How many effects it queued (they follow the previous turn's).
    effects: usize,
    /// The sum of its moves.
    moved: Option<Vec2>,
}

impl TurnOutcome {
    fn idle(id: CellId) -> Self {
        TurnOutcome {
            id,
            ran: false,
            state: None,
            energy: 0.0,
            spent: 0.0,
            reported: 0.0,
            instructions: 0,
            exhausted: false,
            end: TurnEnd::Continue,
            effects: 0,
            moved: None,
        }
    }
}

#[derive(Default)]
struct ChunkResult {
    outcomes: Vec<TurnOutcome>,
    buffers: Buffers,
    events: Vec<EventKind>,
    /// Filled at write-back: the chunk's emissions per gradient, in id then
    /// queue order...
    fresh: Vec<Vec<Emission>>,
    /// ...and its other effects, with the index of their turn in the chunk.
    others: Vec<(usize, Effect)>,
}

/// An effect with the cell that queued it.
struct Tagged {
    /// The cell's index in `World::cells`.
    idx: usize,
    id: CellId,
    effect: Effect,
}

/// Where the tick's side results collect.
struct Sink {
    tick: u64,
    /// Ids of `World::cells`, same order (kept in step with spawns/removals).
    ids: Vec<CellId>,
    fresh: Vec<Vec<Emission>>,
    /// Delivered signals this tick, as unordered pairs.
    pairs: Vec<(CellId, CellId)>,
    events: Vec<EventKind>,
    prints: Vec<String>,
    instructions: u64,
    delivered: u64,
    /// Value reported by this tick's turns, summed in cell-id order.
    reported: f64,
}

impl Sink {
    fn index(&self, id: CellId) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }
}

fn wakes(view: &View<'_>, rec: &CellRecord, scratch: &mut SenseScratch) -> bool {
    match rec.sleep {
        SleepState::Awake => true,
        _ if !rec.mail.is_empty() => true,
        SleepState::Ticks { wake_at } => view.tick >= wake_at,
        SleepState::Until {
            gradient,
            threshold,
        } => matches!(
            view.strongest(rec, gradient, scratch),
            Some((Some(r), _)) if r.strength > threshold
        ),
    }
}

fn drop_all_mail(rec: &CellRecord, events: &mut Vec<EventKind>) {
    for mail in &rec.mail {
        let reason = if rec.state.handles(mail.signal.kind) {
            DropReason::TurnEnded
        } else {
            DropReason::NoHandler
        };
        events.push(EventKind::SignalDropped {
            from: mail.from,
            to: rec.id,
            reason,
        });
    }
}

fn run_turn(
    view: &View<'_>,
    rec: &CellRecord,
    buffers: &mut Buffers,
    events: &mut Vec<EventKind>,
) -> TurnOutcome {
    if !wakes(view, rec, &mut buffers.scratch) {
        return TurnOutcome::idle(rec.id);
    }
    let (eff0, pr0, ev0) = (buffers.effects.len(), buffers.prints.len(), events.len());
    // A state no turn can change runs as it is; any other runs on a copy
    // (the pre-turn state stays in the record for a rollback).
    let shared = rec.state.shared_turns();
    let mut copy: Option<Arc<dyn Cell>> = match shared {
        Some(_) => None,
        None => Some(unique_copy(&rec.state)),
    };
    let mut ctx = CellContext::new(view, rec, buffers, Phase::Turn);
    macro_rules! handler {
        ($method:ident, $shared_method:ident $(, $arg:expr)*) => {
            match (shared, copy.as_mut().and_then(Arc::get_mut)) {
                (Some(s), _) => s.$shared_method(&mut ctx $(, $arg)*),
                (None, Some(c)) => c.$method(&mut ctx $(, $arg)*),
                // `unique_copy` never shares its copy.
                (None, None) => MetabolismResult::Continue,
            }
        };
    }
    let proceed = |r: &MetabolismResult, ctx: &CellContext<'_>| {
        matches!(r, MetabolismResult::Continue) && !ctx.is_exhausted() && !ctx.has_fault()
    };
    let mut result = MetabolismResult::Continue;
    if !rec.started {
        result = handler!(on_spawn, on_spawn_shared);
    }
    let mut next_mail = 0;
    while let Some(mail) = rec.mail.get(next_mail) {
        if !proceed(&result, &ctx) {
            break;
        }
        next_mail += 1;
        let handles = match &copy {
            Some(c) => c.handles(mail.signal.kind),
            None => rec.state.handles(mail.signal.kind),
        };
        if handles {
            result = handler!(on_signal, on_signal_shared, mail.from, &mail.signal);
        } else {
            events.push(EventKind::SignalDropped {
                from: mail.from,
                to: rec.id,
                reason: DropReason::NoHandler,
            });
        }
    }
    if proceed(&result, &ctx) {
        result = handler!(metabolism, metabolism_shared);
    }
    for mail in rec.mail.get(next_mail..).unwrap_or(&[]) {
        events.push(EventKind::SignalDropped {
            from: mail.from,
            to: rec.id,
            reason: DropReason::TurnEnded,
        });
    }
    let end = if ctx.is_exhausted() || ctx.has_fault() {
        TurnEnd::Continue
    } else {
        match result {
            MetabolismResult::Continue => TurnEnd::Continue,
            MetabolismResult::Sleep(n) => {
                let _ = ctx.charge(costs::SLEEP);
                let wake_at = view.tick.saturating_add(n).saturating_add(1);
                TurnEnd::Sleep(SleepState::Ticks { wake_at })
            }
            MetabolismResult::SleepUntil {
                gradient,
                threshold,
            } => {
                let _ = ctx.charge(costs::SLEEP);
                TurnEnd::Sleep(SleepState::Until {
                    gradient,
                    threshold,
                })
            }
            MetabolismResult::Die => TurnEnd::Die,
            MetabolismResult::Differentiate(next) => {
                let _ = ctx.charge(costs::DIFFERENTIATE);
                TurnEnd::Differentiate(next)
            }
            MetabolismResult::Fault { message, location } => TurnEnd::Fault(message, location),
            MetabolismResult::OutOfEnergy => {
                ctx.mark_exhausted();
                TurnEnd::Continue
            }
        }
    };
    let totals = ctx.finish();
    let rollback = |buffers: &mut Buffers, events: &mut Vec<EventKind>| {
        buffers.effects.truncate(eff0);
        buffers.prints.truncate(pr0);
        events.truncate(ev0);
        drop_all_mail(rec, events);
    };
    if totals.exhausted {
        rollback(buffers, events);
        return TurnOutcome {
            id: rec.id,
            ran: true,
            state: None,
            energy: 0.0,
            spent: totals.spent,
            reported: 0.0,
            instructions: totals.instructions,
            exhausted: true,
            end: TurnEnd::Continue,
            effects: 0,
            moved: None,
        };
    }
    let end = match totals.fault {
        Some((message, location)) => TurnEnd::Fault(message, location),
        None => end,
    };
    if let TurnEnd::Fault(message, location) = &end {
        rollback(buffers, events);
        events.push(EventKind::Fault {
            cell: rec.id,
            message: message.clone(),
            location: location.clone(),
        });
        return TurnOutcome {
            id: rec.id,
            ran: true,
            state: None,
            energy: totals.energy,
            spent: totals.spent,
            reported: 0.0,
            instructions: totals.instructions,
            exhausted: false,
            end,
            effects: 0,
            moved: None,
        };
    }
    TurnOutcome {
        id: rec.id,
        ran: true,
        // `None` for a shared turn: the unchanged state stays.
        state: copy,
        energy: totals.energy,
        spent: totals.spent,
        reported: totals.reported,
        instructions: totals.instructions,
        exhausted: false,
        end,
        effects: buffers.effects.len() - eff0,
        moved: totals.moved,
    }
}

/// A copy of `state` that nothing else holds (so the turn can mutate it).
fn unique_copy(state: &Arc<dyn Cell>) -> Arc<dyn Cell> {
    let mut copy = state.clone_arc();
    if Arc::get_mut(&mut copy).is_none() {
        // A `clone_arc` that handed out a shared `Arc`: copy by the box.
        copy = Arc::from(state.clone_cell());
    }
    copy
}

fn run_chunk(view: &View<'_>, records: &[&CellRecord]) -> ChunkResult {
    let mut out = ChunkResult {
        outcomes: Vec::with_capacity(records.len()),
        ..Default::default()
    };
    for rec in records {
        let outcome = run_turn(view, rec, &mut out.buffers, &mut out.events);
        out.outcomes.push(outcome);
    }
    out
}

/// Runs one tick of `world`, on its thread pool, unless `stop` says so once
/// the turns have run: then nothing is applied and `None` comes back.
pub(crate) fn run(world: &mut World, stop: &(dyn Fn() -> bool + Sync)) -> Option<TickReport> {
    match world.pool_for_tick() {
        Some(pool) => pool.install(|| run_in_pool(world, stop)),
        // No thread could be started: rayon's global pool (results are
        // the same whatever the pool).
        None => run_in_pool(world, stop),
    }
}

/// A turn's own results, written into its cell: state, energy, sleep,
/// moves. Touches nothing but that cell, so chunks run in parallel.
fn write_back(
    records: Vec<&mut CellRecord>,
    result: &mut ChunkResult,
    settings: &WorldSettings,
    t: u64,
    gradients: usize,
) {
    for (rec, outcome) in records.into_iter().zip(result.outcomes.iter_mut()) {
        if !outcome.ran {
            continue;
        }
        rec.started = true;
        rec.mail.clear();
        rec.ran_turn = true;
        rec.sleep = SleepState::Awake;
        if let Some(state) = outcome.state.take() {
            rec.state = state;
        }
        rec.energy = outcome.energy;
        rec.tick_spent += outcome.spent;
        rec.tick_reported += outcome.reported;
        rec.exhausted = outcome.exhausted;
        match &outcome.end {
            TurnEnd::Sleep(s) => rec.sleep = *s,
            TurnEnd::Fault(message, location) => {
                rec.last_fault = Some(Arc::new(FaultInfo {
                    tick: t,
                    message: message.clone(),
                    location: location.clone(),
                }));
            }
            _ => {}
        }
        if let Some(m) = outcome.moved {
            let to = rec.pos + m;
            if to.x.is_finite() && to.y.is_finite() {
                rec.pos = settings.clamp(to);
            }
        }
    }
    // Sort the chunk's effects: emissions into per-gradient lists (they
    // only add to the fields, so doing it here, in parallel, is the same as
    // in their stage), the rest kept in order for the sequential stages.
    result.fresh = vec![Vec::new(); gradients];
    let mut effects = std::mem::take(&mut result.buffers.effects).into_iter();
    for (k, outcome) in result.outcomes.iter().enumerate() {
        for effect in effects.by_ref().take(outcome.effects) {
            match effect {
                Effect::Emit {
                    gradient,
                    strength,
                    pos,
                    membrane,
                } => {
                    if let Some(list) = result.fresh.get_mut(gradient.0 as usize) {
                        list.push(Emission {
                            emitter: outcome.id,
                            pos,
                            strength,
                            made: t,
                            membrane,
                        });
                    }
                }
                effect => result.others.push((k, effect)),
            }
        }
    }
}

fn run_in_pool(world: &mut World, stop: &(dyn Fn() -> bool + Sync)) -> Option<TickReport> {
    let t = world.tick + 1;
    let settings = world.settings.clone();
    let decls = Arc::clone(&world.decls);
    let fields = Arc::clone(&world.fields);
    let mut report_events = std::mem::take(&mut world.pending_events);

    // 1-3. Wake and turns, in parallel against the end-of-(t-1) world.
    let mut chunks: Vec<ChunkResult> = {
        let records: Vec<&CellRecord> = world.cells.par_iter().collect();
        let view = View {
            settings: &settings,
            decls: &decls,
            fields: &fields,
            cells: &records,
            tick: t,
        };
        records
            .par_chunks(CHUNK)
            .map(|c| run_chunk(&view, c))
            .collect()
    };
    // Turns only read the world: abandoning the tick here leaves it exactly
    // as it was (so a host can discard an interrupted tick without keeping
    // a snapshot, which would make the apply phase copy every record).
    if stop() {
        world.pending_events = report_events;
        chunks.into_par_iter().for_each(drop);
        return None;
    }

    // 4. Apply. First each turn's own results and moves (they touch only
    // the mover), in parallel; then, in order, the other stages.
    world
        .cells
        .par_iter_mut()
        .chunks(CHUNK)
        .zip(chunks.par_iter_mut())
        .for_each(|(records, result)| {
            write_back(records, result, &settings, t, decls.gradients.len())
        });

    let mut sink = Sink {
        tick: t,
        ids: world.cells.par_iter().map(|r| r.id).collect(),
        fresh: vec![Vec::new(); decls.gradients.len()],
        pairs: Vec::new(),
        events: Vec::new(),
        prints: Vec::new(),
        instructions: 0,
        delivered: 0,
        reported: 0.0,
    };
    let mut tagged: Vec<Tagged> = Vec::new();
    let mut dying: Vec<(usize, CellId, DeathCause)> = Vec::new();
    let mut differentiations: Vec<(usize, Box<dyn Cell>)> = Vec::new();
    let (mut turns, mut exhausted) = (0u64, 0u64);
    for (g, list) in sink.fresh.iter_mut().enumerate() {
        list.reserve(
            chunks
                .iter()
                .map(|c| c.fresh.get(g).map_or(0, Vec::len))
                .sum(),
        );
    }
    for (c, chunk) in chunks.iter_mut().enumerate() {
        let base = c * CHUNK;
        sink.events.append(&mut chunk.events);
        sink.prints.append(&mut chunk.buffers.prints);
        for (list, fresh) in sink.fresh.iter_mut().zip(chunk.fresh.iter_mut()) {
            list.append(fresh);
        }
        for (k, outcome) in chunk.outcomes.iter_mut().enumerate() {
            if !outcome.ran {
                continue;
            }
            turns += 1;
            sink.instructions = sink.instructions.wrapping_add(outcome.instructions);
            sink.reported += outcome.reported;
            if outcome.exhausted {
                exhausted += 1;
            }
            match &outcome.end {
                TurnEnd::Die => dying.push((base + k, outcome.id, DeathCause::Apoptosis)),
                TurnEnd::Fault(..) => dying.push((base + k, outcome.id, DeathCause::Fault)),
                TurnEnd::Differentiate(_) => {
                    if let TurnEnd::Differentiate(next) =
                        std::mem::replace(&mut outcome.end, TurnEnd::Continue)
                    {
                        differentiations.push((base + k, next));
                    }
                }
                TurnEnd::Continue | TurnEnd::Sleep(_) => {}
            }
        }
        for (k, effect) in chunk.others.drain(..) {
            let id = chunk.outcomes.get(k).map_or(CellId(0), |o| o.id);
            tagged.push(Tagged {
                idx: base + k,
                id,
                effect,
            });
        }
    }
    // Dropping the turns' leftovers (old states were dropped at write-back).
    chunks.into_par_iter().for_each(drop);
    apply_stages(world, &mut sink, tagged);
    for (idx, next) in differentiations {
        if let Some(rec) = world.cells.get_mut(idx) {
            rec.state = Arc::from(next);
        }
    }
    apoptosis(world, &settings, &decls, &fields, &mut sink, dying);

    // 5-6. Economy and immune system.
    let late = economy(world, &settings, &mut sink);
    apoptosis(world, &settings, &decls, &fields, &mut sink, late);

    // 7. Topology: automatic bonds from traffic.
    autobind(world, &settings, &mut sink);

    // The fields turns of t+1 will sense.
    let next_fields: Vec<GradientField> = decls
        .gradients
        .par_iter()
        .zip(fields.as_slice().par_iter())
        .zip(sink.fresh.par_iter_mut())
        .map(|((spec, old), fresh)| GradientField::next(old, fresh, spec, t + 1))
        .collect();
    world.fields = Arc::new(next_fields);

    let counters = &mut world.counters;
    counters.ticks += 1;
    counters.turns += turns;
    counters.turns_exhausted += exhausted;
    counters.instructions = counters.instructions.wrapping_add(sink.instructions);
    counters.signals_delivered += sink.delivered;
    for event in &sink.events {
        match event {
            EventKind::Spawned { .. } => counters.born += 1,
            EventKind::SpawnRefused { .. } => counters.spawns_refused += 1,
            EventKind::Died { cause, .. } => match cause {
                DeathCause::Apoptosis => counters.died_apoptosis += 1,
                DeathCause::Fault => counters.died_fault += 1,
                DeathCause::Starvation => counters.died_starvation += 1,
                DeathCause::Immune => counters.died_immune += 1,
            },
            EventKind::Starved { .. } => {}
            EventKind::ParasiteFlagged { .. } => counters.parasite_flags += 1,
            EventKind::Fault { .. } => counters.faults += 1,
            EventKind::BondMade { .. } => counters.bonds_made += 1,
            EventKind::BondBroken { .. } => counters.bonds_broken += 1,
            EventKind::BondRefused { .. } => counters.bonds_refused += 1,
            EventKind::SignalDropped { .. } => counters.signals_dropped += 1,
        }
    }
    world.tick = t;
    report_events.extend(sink.events.into_iter().map(|kind| Event { tick: t, kind }));
    Some(TickReport {
        tick: t,
        prints: sink.prints,
        events: report_events,
        reported: sink.reported,
    })
}

/// Applies emissions, bond changes, signals and spawns, each stage in cell
/// id then queue order (`tagged` is in that order).
fn apply_stages(world: &mut World, sink: &mut Sink, mut tagged: Vec<Tagged>) {
    let t = sink.tick;
    for e in &tagged {
        if let Effect::Emit {
            gradient,
            strength,
            pos,
            membrane,
        } = e.effect
            && let Some(list) = sink.fresh.get_mut(gradient.0 as usize)
        {
            list.push(Emission {
                emitter: e.id,
                pos,
                strength,
                made: t,
                membrane,
            });
        }
    }
    for e in &tagged {
        match e.effect {
            Effect::Bind(target) => make_bond(world, sink, e.idx, e.id, target, BondOrigin::Bind),
            Effect::Unbind(target) => {
                let Some(ti) = sink.index(target) else {
                    continue;
                };
                let removed = world
                    .cells
                    .get_mut(e.idx)
                    .is_some_and(|r| r.remove_bond(target));
                if removed {
                    if let Some(other) = world.cells.get_mut(ti) {
                        other.remove_bond(e.id);
                    }
                    let (a, b) = ordered(e.id, target);
                    sink.events.push(EventKind::BondBroken {
                        a,
                        b,
                        reason: BondEnd::Unbind,
                    });
                }
            }
            _ => {}
        }
    }
    for e in tagged.iter_mut() {
        if !matches!(e.effect, Effect::Send { .. }) {
            continue;
        }
        let Effect::Send {
            to,
            signal,
            blocked,
        } = std::mem::replace(&mut e.effect, Effect::Done)
        else {
            continue;
        };
        let target = sink.index(to).and_then(|ti| world.cells.get_mut(ti));
        match target {
            _ if blocked => sink.events.push(EventKind::SignalDropped {
                from: e.id,
                to,
                reason: DropReason::Membrane,
            }),
            None => sink.events.push(EventKind::SignalDropped {
                from: e.id,
                to,
                reason: DropReason::ReceiverGone,
            }),
            Some(rec) => {
                rec.mail.push(Mail { from: e.id, signal });
                sink.delivered += 1;
                if to != e.id {
                    sink.pairs.push(ordered(e.id, to));
                }
            }
        }
    }
    let mut last_refused: Option<CellId> = None;
    for e in tagged {
        let Effect::Spawn {
            cell,
            pos,
            energy,
            priority,
        } = e.effect
        else {
            continue;
        };
        let Some(parent) = world.cells.get(e.idx) else {
            continue;
        };
        let membrane = parent.membrane;
        if world.cells.len() as i64 >= world.settings.max_cells {
            // Refused: the child's energy goes back to the parent.
            if let Some(parent) = world.cells.get_mut(e.idx) {
                parent.energy += energy;
            }
            // One event per parent per tick: a storm must not flood the log
            // (a parent's spawns are consecutive here).
            if last_refused != Some(e.id) {
                last_refused = Some(e.id);
                sink.events.push(EventKind::SpawnRefused {
                    parent: Some(e.id),
                    kind: cell.kind_name().to_string(),
                    reason: SpawnRefusal::MaxCells,
                });
            }
            continue;
        }
        let id = CellId(world.next_id);
        world.next_id += 1;
        sink.events.push(EventKind::Spawned {
            cell: id,
            kind: cell.kind_name().to_string(),
            parent: Some(e.id),
        });
        world.cells.push_back(CellRecord::new(
            id,
            cell,
            pos,
            energy,
            priority,
            Some(e.id),
            membrane,
            t,
        ));
        sink.ids.push(id);
    }
}

fn ordered(a: CellId, b: CellId) -> (CellId, CellId) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Bonds `a` (at index `ai`) and `b` unless already bonded; refuses (an
/// event) when `b` is gone or either has `world.max_bonds` bonds.
fn make_bond(
    world: &mut World,
    sink: &mut Sink,
    ai: usize,
    a: CellId,
    b: CellId,
    origin: BondOrigin,
) {
    if a == b {
        return;
    }
    let Some(bi) = sink.index(b) else {
        sink.events.push(EventKind::BondRefused {
            cell: a,
            other: b,
            reason: BondRefusal::Gone,
        });
        return;
    };
    let max = world.settings.max_bonds.max(0) as usize;
    let Some(ra) = world.cells.get(ai) else {
        return;
    };
    if ra.bonded_to(b) {
        return;
    }
    let a_full = ra.bonds.len() >= max;
    let b_full = world.cells.get(bi).is_none_or(|r| r.bonds.len() >= max);
    if a_full || b_full {
        sink.events.push(EventKind::BondRefused {
            cell: a,
            other: b,
            reason: BondRefusal::MaxBonds,
        });
        return;
    }
    if let Some(r) = world.cells.get_mut(ai) {
        r.add_bond(b);
    }
    if let Some(r) = world.cells.get_mut(bi) {
        r.add_bond(a);
    }
    let (x, y) = ordered(a, b);
    sink.events.push(EventKind::BondMade { a: x, b: y, origin });
}

/// Runs `on apoptosis` for `dying` (in id order), applies its effects, and
/// removes the cells (their bonds broken, their pending mail dropped).
fn apoptosis(
    world: &mut World,
    settings: &WorldSettings,
    decls: &Declarations,
    fields: &[GradientField],
    sink: &mut Sink,
    dying: Vec<(usize, CellId, DeathCause)>,
) {
    if dying.is_empty() {
        return;
    }
    let mut buffers = Buffers::default();
    let mut tagged: Vec<Tagged> = Vec::new();
    {
        let records: Vec<&CellRecord> = world.cells.iter().collect();
        let view = View {
            settings,
            decls,
            fields,
            cells: &records,
            tick: sink.tick,
        };
        for &(idx, id, _) in &dying {
            let Some(rec) = records.get(idx).copied() else {
                continue;
            };
            let (eff0, pr0) = (buffers.effects.len(), buffers.prints.len());
            let mut state = rec.state.clone_cell();
            let mut ctx = CellContext::new(&view, rec, &mut buffers, Phase::Apoptosis);
            let result = state.on_apoptosis(&mut ctx);
            if matches!(result, MetabolismResult::OutOfEnergy) {
                ctx.mark_exhausted();
            }
            let totals = ctx.finish();
            sink.instructions = sink.instructions.wrapping_add(totals.instructions);
            let fault = totals.fault.or(match result {
                MetabolismResult::Fault { message, location } => Some((message, location)),
                _ => None,
            });
            if totals.exhausted || fault.is_some() {
                buffers.effects.truncate(eff0);
                buffers.prints.truncate(pr0);
                if let (false, Some((message, location))) = (totals.exhausted, fault) {
                    sink.events.push(EventKind::Fault {
                        cell: id,
                        message,
                        location,
                    });
                }
            }
            for effect in buffers.effects.drain(eff0..) {
                tagged.push(Tagged { idx, id, effect });
            }
        }
    }
    sink.prints.append(&mut buffers.prints);
    apply_stages(world, sink, tagged);
    let mut dead: Vec<CellId> = Vec::with_capacity(dying.len());
    for &(idx, id, cause) in &dying {
        let Some(rec) = world.cells.get(idx) else {
            continue;
        };
        let kind = rec.state.kind_name().to_string();
        let bonds = rec.bonds.clone();
        let senders: Vec<CellId> = rec.mail.iter().map(|m| m.from).collect();
        sink.events.push(EventKind::Died {
            cell: id,
            kind,
            cause,
        });
        for b in bonds {
            let Some(bi) = sink.index(b) else { continue };
            if world.cells.get_mut(bi).is_some_and(|r| r.remove_bond(id)) {
                let (x, y) = ordered(id, b);
                sink.events.push(EventKind::BondBroken {
                    a: x,
                    b: y,
                    reason: BondEnd::Death,
                });
            }
        }
        for from in senders {
            sink.events.push(EventKind::SignalDropped {
                from,
                to: id,
                reason: DropReason::ReceiverGone,
            });
        }
        dead.push(id);
    }
    dead.sort_unstable();
    world.cells.retain(|r| dead.binary_search(&r.id).is_err());
    sink.ids.retain(|id| dead.binary_search(id).is_err());
}

/// What one chunk of cells gives the economy step.
#[derive(Default)]
struct EconomyChunk {
    weights: Vec<f64>,
    events: Vec<EventKind>,
    late: Vec<(usize, CellId, DeathCause)>,
}

/// Step 5 for one cell (basal cost, bond upkeep, window, starvation) and
/// step 6 (the immune system); pushes its income weight.
fn settle(
    idx: usize,
    rec: &mut CellRecord,
    settings: &WorldSettings,
    window: usize,
    t: u64,
    out: &mut EconomyChunk,
) {
    if rec.born == t {
        // Born this tick: its life starts next tick.
        out.weights.push(0.0);
        return;
    }
    let basal = if rec.ran_turn {
        settings.basal
    } else {
        settings.basal * costs::ASLEEP_BASAL_FACTOR
    };
    let cost = basal + costs::BOND_UPKEEP * rec.bonds.len() as f64;
    let short = cost > rec.energy;
    let paid = cost.min(rec.energy);
    rec.energy = if short { 0.0 } else { rec.energy - paid };
    let (reported, spent) = (rec.tick_reported, rec.tick_spent + paid);
    rec.ratio = rec.push_history(window, reported, spent);
    let starving = rec.exhausted || short;
    rec.tick_reported = 0.0;
    rec.tick_spent = 0.0;
    rec.ran_turn = false;
    rec.exhausted = false;
    if starving {
        rec.starving += 1;
        out.events.push(EventKind::Starved {
            cell: rec.id,
            ticks: rec.starving,
        });
        if rec.starving >= settings.starve_ticks {
            out.late.push((idx, rec.id, DeathCause::Starvation));
            out.weights.push(0.0);
            return;
        }
    } else {
        rec.starving = 0;
    }
    let weight = rec.priority * (costs::INCOME_BASE_SHARE + rec.ratio.min(costs::INCOME_RATIO_CAP));
    out.weights.push(if weight.is_finite() && weight > 0.0 {
        weight
    } else {
        0.0
    });
    // 6. Immune system.
    if rec.age(t) >= settings.grace.max(0) as u64 {
        if rec.ratio < settings.immune_threshold {
            rec.strikes += 1;
            out.events.push(EventKind::ParasiteFlagged {
                cell: rec.id,
                ratio: rec.ratio,
                strikes: rec.strikes,
            });
            if rec.strikes >= settings.immune_strikes {
                out.late.push((idx, rec.id, DeathCause::Immune));
            }
        } else {
            rec.strikes = 0;
        }
    }
}

/// Steps 5 and 6, in parallel chunks whose results are joined in id order;
/// the income total is a sequential sum in id order. Returns the cells that
/// die, in id order.
fn economy(
    world: &mut World,
    settings: &WorldSettings,
    sink: &mut Sink,
) -> Vec<(usize, CellId, DeathCause)> {
    let t = sink.tick;
    let window = settings.window();
    let mut chunks: Vec<EconomyChunk> = world
        .cells
        .par_iter_mut()
        .enumerate()
        .chunks(CHUNK)
        .map(|records| {
            let mut out = EconomyChunk {
                weights: Vec::with_capacity(records.len()),
                ..Default::default()
            };
            for (idx, rec) in records {
                settle(idx, rec, settings, window, t, &mut out);
            }
            out
        })
        .collect();
    let mut total = 0.0;
    let mut late = Vec::new();
    for chunk in &mut chunks {
        for w in &chunk.weights {
            total += *w;
        }
        sink.events.append(&mut chunk.events);
        late.append(&mut chunk.late);
    }
    // Income, in proportion to the weights.
    if total > 0.0 && settings.income > 0.0 {
        world
            .cells
            .par_iter_mut()
            .chunks(CHUNK)
            .zip(chunks.par_iter())
            .for_each(|(records, chunk)| {
                for (rec, w) in records.into_iter().zip(&chunk.weights) {
                    if *w > 0.0 && rec.energy < settings.max_energy {
                        rec.energy =
                            (rec.energy + settings.income * w / total).min(settings.max_energy);
                    }
                }
            });
    }
    late
}

/// Step 7: pairs with at least `world.autobind` delivered signals over the
/// window (this tick included) are bonded, in pair order.
fn autobind(world: &mut World, settings: &WorldSettings, sink: &mut Sink) {
    let mut pairs = std::mem::take(&mut sink.pairs);
    pairs.sort_unstable();
    let mut counts: Vec<((CellId, CellId), u32)> = Vec::new();
    for pair in pairs {
        match counts.last_mut() {
            Some((p, n)) if *p == pair => *n += 1,
            _ => counts.push((pair, 1)),
        }
    }
    let counts = Arc::new(counts);
    world.traffic.push_back(Arc::clone(&counts));
    while world.traffic.len() > settings.window() {
        world.traffic.pop_front();
    }
    if settings.autobind <= 0 {
        return;
    }
    let threshold = settings.autobind as u64;
    for &((a, b), _) in counts.iter() {
        let total: u64 = world
            .traffic
            .iter()
            .map(|tick| {
                tick.binary_search_by_key(&(a, b), |e| e.0)
                    .map_or(0, |i| u64::from(tick[i].1))
            })
            .sum();
        if total < threshold {
            continue;
        }
        let Some(ai) = sink.index(a) else { continue };
        if sink.index(b).is_none() || world.cells.get(ai).is_some_and(|r| r.bonded_to(b)) {
            continue;
        }
        make_bond(world, sink, ai, a, b, BondOrigin::Traffic);
    }
}
