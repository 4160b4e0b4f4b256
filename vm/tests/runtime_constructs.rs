//! Construct costs and their `false` cases, runaway loops, invalid
//! arguments, host spawns, randomness.

mod common;

use common::*;
use myco_vm::costs;
use myco_vm::runtime::{
    EventKind, GradientSpec, MetabolismResult, SpawnOptions, SpawnRefusal, WorldSettings,
};
use myco_vm::value::{CellId, GradientId, Vec2};

const G: GradientId = GradientId(0);

#[test]
fn an_unaffordable_emit_is_false_charges_only_the_attempt_and_the_turn_goes_on() {
    let mut w = world(quiet_settings(), vec![GradientSpec::new("G")], &[]);
    let poor = Scripted::new("Poor", |v, ctx| {
        let emitted = ctx.emit(G, 1.0);
        v.n = if emitted { 1 } else { 2 };
        MetabolismResult::Continue
    });
    let p = w
        .spawn(
            poor.boxed(),
            SpawnOptions {
                energy: Some(0.05),
                ..at(0.0, 0.0)
            },
            None,
        )
        .unwrap_or(CellId(0));
    let probe = spawn(&mut w, Scripted::idle("Probe"), 1.0, 0.0);
    let report = w.tick();
    assert_eq!(vars(&w, p).n, 2, "false, and the field write stands");
    assert!(
        w.cell(p)
            .is_some_and(|c| close(c.energy(), 0.05 - costs::ATTEMPT))
    );
    assert!(w.sense(probe, G).is_some_and(|r| r.is_empty()));
    assert!(
        report
            .events
            .iter()
            .all(|e| !matches!(e.kind, EventKind::Starved { .. }))
    );
}

#[test]
fn sensing_charges_base_plus_per_reading() {
    let mut w = world(quiet_settings(), vec![GradientSpec::new("G")], &[]);
    for i in 0..3 {
        spawn(
            &mut w,
            Scripted::new("E", |_, ctx| {
                ctx.emit(G, 1.0);
                MetabolismResult::Continue
            }),
            f64::from(i),
            1.0,
        );
    }
    let s = spawn(
        &mut w,
        Scripted::new("S", |v, ctx| {
            if let Ok(r) = ctx.sense_gradient(G) {
                v.n = r.len() as i64;
            }
            MetabolismResult::Continue
        }),
        0.0,
        0.0,
    );
    w.tick();
    let after_first = 100.0 - costs::SENSE_BASE;
    assert!(w.cell(s).is_some_and(|c| close(c.energy(), after_first)));
    w.tick();
    assert_eq!(vars(&w, s).n, 3);
    let after_second = after_first - costs::SENSE_BASE - 3.0 * costs::SENSE_PER_READING;
    assert!(w.cell(s).is_some_and(|c| close(c.energy(), after_second)));
}

#[test]
fn a_runaway_loop_exhausts_a_cell_within_one_turn() {
    let settings = WorldSettings {
        income: 0.0,
        basal: 0.0,
        grace: 1_000_000,
        ..WorldSettings::default()
    };
    let mut w = world(settings, vec![], &[]);
    let looper = Scripted::new("Loop", |v, ctx| {
        loop {
            if ctx.charge(costs::INSTRUCTION).is_err() {
                return MetabolismResult::OutOfEnergy;
            }
            v.n += 1;
        }
    });
    let l = w
        .spawn(
            looper.boxed(),
            SpawnOptions {
                energy: Some(w.settings().max_energy),
                ..at(0.0, 0.0)
            },
            None,
        )
        .unwrap_or(CellId(0));
    w.tick();
    assert_eq!(w.cell(l).map(|c| c.energy()), Some(0.0));
    assert_eq!(vars(&w, l).n, 0, "rolled back");
    assert_eq!(w.counters().turns_exhausted, 1);
}

#[test]
fn invalid_arguments_fault() {
    let mut w = world(quiet_settings(), vec![GradientSpec::new("G")], &[]);
    let bad = Scripted::new("Bad", |_, ctx| {
        ctx.emit(GradientId(9), 1.0);
        MetabolismResult::Continue
    });
    let b = spawn(&mut w, bad, 0.0, 0.0);
    let nan = Scripted::new("Nan", |_, ctx| {
        ctx.move_by(Vec2::new(f64::NAN, 0.0));
        MetabolismResult::Continue
    });
    let n = spawn(&mut w, nan, 0.0, 0.0);
    let events: Vec<EventKind> = w
        .tick()
        .events
        .into_iter()
        .filter(|e| e.tick == 1)
        .map(|e| e.kind)
        .collect();
    assert!(
        matches!(&events[0], EventKind::Fault { cell, message, .. } if *cell == b && message.contains("gradient"))
    );
    assert!(
        matches!(&events[1], EventKind::Fault { cell, message, .. } if *cell == n && message.contains("non-finite"))
    );
    assert!(w.is_empty());
}

#[test]
fn host_spawns_respect_max_cells_and_validate() {
    let mut w = world(
        WorldSettings {
            max_cells: 1,
            ..quiet_settings()
        },
        vec![],
        &[],
    );
    assert_eq!(
        w.spawn(Scripted::idle("A").boxed(), SpawnOptions::default(), None),
        Some(CellId(1))
    );
    assert_eq!(
        w.spawn(Scripted::idle("B").boxed(), SpawnOptions::default(), None),
        None
    );
    let bad = SpawnOptions {
        pos: Some(Vec2::new(f64::INFINITY, 0.0)),
        ..SpawnOptions::default()
    };
    assert_eq!(w.spawn(Scripted::idle("C").boxed(), bad, None), None);
    let events: Vec<EventKind> = w.take_events().into_iter().map(|e| e.kind).collect();
    assert_eq!(
        events,
        vec![
            EventKind::Spawned {
                cell: CellId(1),
                kind: "A".into(),
                parent: None
            },
            EventKind::SpawnRefused {
                parent: None,
                kind: "B".into(),
                reason: SpawnRefusal::MaxCells
            },
        ]
    );
    assert!(w.tick().events.is_empty(), "taken events are not repeated");
}

#[test]
fn random_streams_depend_on_seed_cell_and_tick_only() {
    let roller = Scripted::new("Roller", |v, ctx| {
        v.x = ctx.rand_f64();
        v.n = ctx.rand_int(0, 1_000_000).unwrap_or(-1);
        MetabolismResult::Continue
    });
    let run = |seed: i64| {
        let mut w = world(
            WorldSettings {
                seed,
                ..quiet_settings()
            },
            vec![],
            &[],
        );
        let a = spawn(&mut w, roller.clone(), 0.0, 0.0);
        let b = spawn(&mut w, roller.clone(), 0.0, 0.0);
        w.tick();
        let first = (vars(&w, a), vars(&w, b));
        w.tick();
        (first, vars(&w, a))
    };
    let ((a1, b1), a2) = run(5);
    assert_eq!(run(5), ((a1.clone(), b1.clone()), a2.clone()));
    assert_ne!(a1, b1, "cells have their own streams");
    assert_ne!(a1, a2, "ticks have their own streams");
    assert_ne!(run(6).0.0, a1, "the seed matters");
    assert!((0.0..1.0).contains(&a1.x) && (0..1_000_000).contains(&a1.n));
}

#[test]
fn sense_gradient_with_lends_the_same_readings() {
    let mut w = world(quiet_settings(), vec![GradientSpec::new("G")], &[]);
    for i in 0..3 {
        spawn(
            &mut w,
            Scripted::new("E", move |_, ctx| {
                ctx.emit(G, 1.0 + f64::from(i));
                MetabolismResult::Continue
            }),
            f64::from(i) + 1.0,
            0.0,
        );
    }
    let s = spawn(
        &mut w,
        Scripted::new("S", |v, ctx| {
            let listed = ctx.sense_gradient(G).unwrap_or_default();
            let lent = ctx
                .sense_gradient_with(G, |r| r.to_vec())
                .unwrap_or_default();
            assert_eq!(listed, lent);
            v.n = lent.len() as i64;
            v.other = lent.first().map(|r| r.source);
            MetabolismResult::Continue
        }),
        0.0,
        0.0,
    );
    w.tick();
    w.tick();
    assert_eq!(vars(&w, s).n, 3);
    assert_eq!(
        vars(&w, s).other,
        Some(CellId(3)),
        "3.0 e^-0.15 beats 1.0 e^-0.05"
    );
}
