//! The tick: signals, spawns, rollback, faults, sleep, differentiation,
//! bonds, print order.

mod common;

use common::*;
use myco_vm::runtime::{
    BondOrigin, BondRefusal, DeathCause, DropReason, Event, EventKind, GradientSpec,
    MetabolismResult, SpawnOptions, SpawnRefusal, WorldSettings,
};
use myco_vm::value::{CellId, GradientId, Value, Vec2};

const G: GradientId = GradientId(0);

/// The events of the tick itself (host spawns, at tick 0, left out).
fn kinds(events: &[Event]) -> Vec<EventKind> {
    events
        .iter()
        .filter(|e| e.tick > 0)
        .map(|e| e.kind.clone())
        .collect()
}

/// Prints every Ping it handles as `me <- sender n`.
fn listener() -> Scripted {
    Scripted::idle("Listener").on_signal(|_, ctx, sender, signal| {
        let n = match signal.fields.first() {
            Some(Value::Int(n)) => *n,
            _ => -1,
        };
        let _ = ctx.print(format!(
            "{} <- {} {} at {}",
            ctx.id(),
            sender,
            n,
            ctx.tick()
        ));
        MetabolismResult::Continue
    })
}

#[test]
fn signals_arrive_next_tick_in_sender_then_send_order() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let target = spawn(&mut w, listener(), 0.0, 0.0);
    // Cell 3 is spawned before... no: ids are spawn order; 2 sends twice, 3 once.
    let two = Scripted::new("Two", move |_, ctx| {
        if ctx.tick() == 1 {
            ctx.send(target, ping(20));
            ctx.send(target, ping(21));
        }
        MetabolismResult::Continue
    });
    let one = Scripted::new("One", move |_, ctx| {
        if ctx.tick() == 1 {
            ctx.send(target, ping(30));
        }
        MetabolismResult::Continue
    });
    spawn(&mut w, two, 5.0, 0.0);
    spawn(&mut w, one, 6.0, 0.0);
    assert!(
        w.tick().prints.is_empty(),
        "nothing is delivered during the sending tick"
    );
    assert_eq!(w.cell(target).map(|c| c.mail_len()), Some(3));
    assert_eq!(
        w.tick().prints,
        vec!["#1 <- #2 20 at 2", "#1 <- #2 21 at 2", "#1 <- #3 30 at 2"]
    );
    assert_eq!(w.counters().signals_delivered, 3);
}

#[test]
fn unhandled_signals_and_signals_after_a_turn_ending_result_are_dropped() {
    let mut w = world(quiet_settings(), vec![], &[]);
    // Dies on the first Ping: the second is dropped.
    let fragile = Scripted::idle("Fragile").on_signal(|_, _, _, _| MetabolismResult::Die);
    let f = spawn(&mut w, fragile, 0.0, 0.0);
    let s = spawn(
        &mut w,
        Scripted::new("S", move |_, ctx| {
            if ctx.tick() == 1 {
                ctx.send(f, pong());
                ctx.send(f, ping(1));
                ctx.send(f, ping(2));
            }
            MetabolismResult::Continue
        }),
        1.0,
        0.0,
    );
    w.tick();
    let events = kinds(&w.tick().events);
    assert_eq!(
        events,
        vec![
            EventKind::SignalDropped {
                from: s,
                to: f,
                reason: DropReason::NoHandler
            },
            EventKind::SignalDropped {
                from: s,
                to: f,
                reason: DropReason::TurnEnded
            },
            EventKind::Died {
                cell: f,
                kind: "Fragile".into(),
                cause: DeathCause::Apoptosis
            },
        ]
    );
}

#[test]
fn spawned_children_get_ids_in_order_and_start_next_tick() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let child = Scripted::idle("Child").on_spawn(|_, ctx| {
        let _ = ctx.print(format!(
            "{} born of {:?} at {} age {}",
            ctx.id(),
            ctx.parent(),
            ctx.tick(),
            ctx.age()
        ));
        MetabolismResult::Continue
    });
    let c1 = child.clone();
    let parent = move |_: &mut Vars, ctx: &mut myco_vm::runtime::CellContext<'_>| {
        if ctx.tick() == 1 {
            let _ = ctx.spawn(
                c1.clone().boxed(),
                SpawnOptions {
                    energy: Some(10.0),
                    ..Default::default()
                },
            );
            let _ = ctx.spawn(
                c1.clone().boxed(),
                SpawnOptions {
                    pos: Some(Vec2::new(5.0, 5.0)),
                    ..Default::default()
                },
            );
        }
        MetabolismResult::Continue
    };
    let p1 = spawn(&mut w, Scripted::new("Parent", parent.clone()), 0.0, 0.0);
    let p2 = spawn(&mut w, Scripted::new("Parent", parent), 1.0, 0.0);
    let report = w.tick();
    assert!(report.prints.is_empty());
    let born: Vec<(CellId, Option<CellId>)> = report
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Spawned { cell, parent, .. } if e.tick == 1 => Some((*cell, *parent)),
            _ => None,
        })
        .collect();
    assert_eq!(
        born,
        vec![
            (CellId(3), Some(p1)),
            (CellId(4), Some(p1)),
            (CellId(5), Some(p2)),
            (CellId(6), Some(p2))
        ]
    );
    // Energies and positions: the parent paid spawn + child energy.
    let c3 = w.cell(CellId(3)).map(|c| (c.energy(), c.pos()));
    assert_eq!(c3, Some((10.0, Vec2::new(0.0, 0.0))));
    let c4 = w.cell(CellId(4)).map(|c| (c.energy(), c.pos()));
    assert_eq!(c4, Some((w.settings().spawn_energy, Vec2::new(5.0, 5.0))));
    let p1_energy = w.cell(p1).map(|c| c.energy()).unwrap_or(0.0);
    let expected = 100.0 - 2.0 * myco_vm::costs::SPAWN - 10.0 - w.settings().spawn_energy;
    assert!(close(p1_energy, expected), "{p1_energy} vs {expected}");
    let prints = w.tick().prints;
    assert_eq!(
        prints,
        vec![
            "#3 born of Some(CellId(1)) at 2 age 0",
            "#4 born of Some(CellId(1)) at 2 age 0",
            "#5 born of Some(CellId(2)) at 2 age 0",
            "#6 born of Some(CellId(2)) at 2 age 0",
        ]
    );
}

#[test]
fn max_cells_refuses_spawns_without_using_an_id() {
    let settings = WorldSettings {
        max_cells: 2,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let spawner = Scripted::new("Spawner", |_, ctx| {
        if ctx.tick() == 1 {
            let ten = SpawnOptions {
                energy: Some(10.0),
                ..SpawnOptions::default()
            };
            let _ = ctx.spawn(Scripted::idle("Kid").boxed(), ten);
            let _ = ctx.spawn(Scripted::idle("Kid").boxed(), ten);
        }
        MetabolismResult::Continue
    });
    let p = spawn(&mut w, spawner, 0.0, 0.0);
    let events = kinds(&w.tick().events);
    assert_eq!(
        events,
        vec![
            EventKind::Spawned {
                cell: CellId(2),
                kind: "Kid".into(),
                parent: Some(p)
            },
            EventKind::SpawnRefused {
                parent: Some(p),
                kind: "Kid".into(),
                reason: SpawnRefusal::MaxCells
            },
        ]
    );
    // The refused child's energy went back to the parent.
    let energy = w.cell(p).map(|c| c.energy()).unwrap_or(0.0);
    assert!(close(energy, 100.0 - 2.0 * myco_vm::costs::SPAWN - 10.0));
    w.settings_mut().max_cells = 10;
    let id = w.spawn(
        Scripted::idle("Late").boxed(),
        SpawnOptions::default(),
        None,
    );
    assert_eq!(id, Some(CellId(3)), "the refused spawn used no id");
}

#[test]
fn exhaustion_rolls_the_turn_back_and_starves() {
    let mut w = world(
        WorldSettings {
            starve_ticks: 3,
            ..quiet_settings()
        },
        vec![GradientSpec::new("G")],
        &[],
    );
    let greedy = Scripted::new("Greedy", |v, ctx| {
        v.n += 1;
        ctx.emit(G, 1.0);
        let _ = ctx.print("never".into());
        if ctx.charge(1000.0).is_err() {
            return MetabolismResult::OutOfEnergy;
        }
        MetabolismResult::Continue
    });
    let g = w
        .spawn(
            greedy.boxed(),
            SpawnOptions {
                energy: Some(5.0),
                ..at(0.0, 0.0)
            },
            None,
        )
        .unwrap_or(CellId(0));
    let probe = spawn(&mut w, Scripted::idle("Probe"), 1.0, 0.0);
    let report = w.tick();
    assert!(report.prints.is_empty(), "prints are rolled back");
    assert_eq!(vars(&w, g).n, 0, "field writes are rolled back");
    assert_eq!(w.cell(g).map(|c| c.energy()), Some(0.0));
    assert!(
        w.sense(probe, G).is_some_and(|r| r.is_empty()),
        "the emission is rolled back"
    );
    assert_eq!(
        kinds(&report.events),
        vec![EventKind::Starved { cell: g, ticks: 1 }]
    );
    w.tick();
    let third = w.tick();
    assert!(kinds(&third.events).contains(&EventKind::Died {
        cell: g,
        kind: "Greedy".into(),
        cause: DeathCause::Starvation
    }));
    assert!(w.cell(g).is_none());
    assert_eq!(w.counters().died_starvation, 1);
    assert_eq!(w.counters().turns_exhausted, 3);
}

#[test]
fn a_fault_rolls_back_and_sends_the_cell_into_apoptosis() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let faulty = Scripted::new("Faulty", |v, ctx| {
        v.n = 99;
        let _ = ctx.print("lost".into());
        ctx.fault("division by zero", Some("prog.myco:4:9".into()))
    })
    .on_apoptosis(|v, ctx| {
        let _ = ctx.print(format!("{} dying with n = {}", ctx.id(), v.n));
        MetabolismResult::Continue
    })
    .with_vars(Vars {
        n: 7,
        ..Vars::default()
    });
    let talker = Scripted::new("Talker", |_, ctx| {
        let _ = ctx.print(format!("{} talks", ctx.id()));
        MetabolismResult::Continue
    });
    let f = spawn(&mut w, faulty, 0.0, 0.0);
    spawn(&mut w, talker, 0.0, 0.0);
    let report = w.tick();
    assert_eq!(report.prints, vec!["#2 talks", "#1 dying with n = 7"]);
    assert_eq!(
        kinds(&report.events),
        vec![
            EventKind::Fault {
                cell: f,
                message: "division by zero".into(),
                location: Some("prog.myco:4:9".into())
            },
            EventKind::Died {
                cell: f,
                kind: "Faulty".into(),
                cause: DeathCause::Fault
            },
        ]
    );
    let fault = report
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Fault { .. }));
    let json = fault.map(|e| e.to_json_line()).unwrap_or_default();
    assert_eq!(
        json,
        r#"{"tick":1,"event":"fault","cell":1,"message":"division by zero","location":"prog.myco:4:9"}"#
    );
    assert!(w.cell(f).is_none());
}

#[test]
fn a_fault_in_on_apoptosis_just_ends_it() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let c = Scripted::new("C", |_, _| MetabolismResult::Die).on_apoptosis(|_, ctx| {
        let _ = ctx.print("rolled back".into());
        ctx.fault("boom", None)
    });
    let id = spawn(&mut w, c, 0.0, 0.0);
    let report = w.tick();
    assert!(report.prints.is_empty());
    assert_eq!(
        kinds(&report.events),
        vec![
            EventKind::Fault {
                cell: id,
                message: "boom".into(),
                location: None
            },
            EventKind::Died {
                cell: id,
                kind: "C".into(),
                cause: DeathCause::Apoptosis
            },
        ]
    );
}

#[test]
fn print_order_turns_by_id_then_apoptosis_handlers_by_id() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let dier = |name: &'static str| {
        Scripted::new(name, |_, ctx| {
            let _ = ctx.print(format!("{} turn", ctx.id()));
            MetabolismResult::Die
        })
        .on_apoptosis(|_, ctx| {
            let _ = ctx.print(format!("{} bye", ctx.id()));
            MetabolismResult::Continue
        })
    };
    let stay = Scripted::new("Stay", |_, ctx| {
        let _ = ctx.print(format!("{} turn", ctx.id()));
        MetabolismResult::Continue
    });
    spawn(&mut w, dier("A"), 0.0, 0.0);
    spawn(&mut w, stay, 0.0, 0.0);
    spawn(&mut w, dier("B"), 0.0, 0.0);
    assert_eq!(
        w.tick().prints,
        vec!["#1 turn", "#2 turn", "#3 turn", "#1 bye", "#3 bye"]
    );
    assert_eq!(w.len(), 1);
}

#[test]
fn sleep_n_skips_exactly_n_turns() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let sleeper = Scripted::new("Sleeper", |_, ctx| {
        let _ = ctx.print(format!("turn {}", ctx.tick()));
        MetabolismResult::Sleep(2)
    });
    let s = spawn(&mut w, sleeper, 0.0, 0.0);
    let mut lines = Vec::new();
    for _ in 0..7 {
        lines.extend(w.tick().prints);
    }
    assert_eq!(lines, vec!["turn 1", "turn 4", "turn 7"]);
    assert!(w.cell(s).is_some_and(|c| c.asleep()));
}

#[test]
fn a_signal_wakes_a_sleeper() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let sleeper = Scripted::new("Sleeper", |_, ctx| {
        let _ = ctx.print(format!("turn {}", ctx.tick()));
        MetabolismResult::Sleep(100)
    })
    .on_signal(|_, ctx, _, _| {
        let _ = ctx.print(format!("ping {}", ctx.tick()));
        MetabolismResult::Continue
    });
    let s = spawn(&mut w, sleeper, 0.0, 0.0);
    spawn(
        &mut w,
        Scripted::new("Waker", move |_, ctx| {
            if ctx.tick() == 3 {
                ctx.send(s, ping(0));
            }
            MetabolismResult::Continue
        }),
        1.0,
        0.0,
    );
    let mut lines = Vec::new();
    for _ in 0..6 {
        lines.extend(w.tick().prints);
    }
    assert_eq!(lines, vec!["turn 1", "ping 4", "turn 4"]);
}

#[test]
fn sleep_until_wakes_on_the_gradient_and_not_on_nothing() {
    let mut w = world(
        quiet_settings(),
        vec![GradientSpec::new("G").range(10.0).falloff(0.0)],
        &[],
    );
    let watcher = Scripted::new("Watcher", |_, ctx| {
        let _ = ctx.print(format!("turn {}", ctx.tick()));
        MetabolismResult::SleepUntil {
            gradient: G,
            threshold: 0.5,
        }
    });
    spawn(&mut w, watcher, 0.0, 0.0);
    // Emits 0.4 at ticks 2-3 (too weak), 0.6 at tick 5.
    spawn(
        &mut w,
        Scripted::new("Source", |_, ctx| {
            match ctx.tick() {
                2 | 3 => {
                    ctx.emit(G, 0.4);
                }
                5 => {
                    ctx.emit(G, 0.6);
                }
                _ => {}
            }
            MetabolismResult::Continue
        }),
        1.0,
        0.0,
    );
    let mut lines = Vec::new();
    for _ in 0..8 {
        lines.extend(w.tick().prints);
    }
    // Nothing sensed at 2, 5 (stays asleep); 0.4 at 3-4; 0.6 at 6.
    assert_eq!(lines, vec!["turn 1", "turn 6"]);
}

#[test]
fn differentiate_keeps_id_energy_bonds_mail_and_age() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let partner = spawn(&mut w, Scripted::idle("Partner"), 3.0, 0.0);
    let after = Scripted::new("After", |v, ctx| {
        v.n += 1;
        let _ = ctx.print(format!(
            "after {} age {} bonds {:?}",
            ctx.id(),
            ctx.age(),
            ctx.bonds()
        ));
        MetabolismResult::Continue
    })
    .on_spawn(|_, ctx| {
        let _ = ctx.print("on spawn again!".into());
        MetabolismResult::Continue
    })
    .on_signal(|_, ctx, from, _| {
        let _ = ctx.print(format!("mail from {from}"));
        MetabolismResult::Continue
    })
    .with_vars(Vars {
        n: 100,
        ..Vars::default()
    });
    let before = Scripted::new("Before", move |v, ctx| {
        v.n += 1;
        if ctx.tick() == 1 {
            ctx.bind_to(partner);
            return MetabolismResult::Continue;
        }
        ctx.send(ctx.id(), ping(0)); // mail to itself, delivered next tick
        MetabolismResult::Differentiate(after.clone().boxed())
    });
    let d = spawn(&mut w, before, 0.0, 0.0);
    w.tick();
    w.tick();
    let info = w.cell(d).map(|c| {
        (
            c.kind().to_string(),
            c.bonds().to_vec(),
            c.pos(),
            c.mail_len(),
        )
    });
    assert_eq!(
        info,
        Some(("After".into(), vec![partner], Vec2::new(0.0, 0.0), 1))
    );
    assert_eq!(
        vars(&w, d).n,
        100,
        "the new type's fields start at their defaults/overrides"
    );
    // Tick 1: bind + upkeep; tick 2: a send to itself (unbonded, distance
    // 0), differentiate, upkeep. The energy carries over.
    let expected = 100.0
        - (myco_vm::costs::ATTEMPT + myco_vm::costs::BIND)
        - myco_vm::costs::BOND_UPKEEP
        - (myco_vm::costs::ATTEMPT + myco_vm::costs::SEND_BASE)
        - myco_vm::costs::DIFFERENTIATE
        - myco_vm::costs::BOND_UPKEEP;
    assert!(w.cell(d).is_some_and(|c| close(c.energy(), expected)));
    let report = w.tick();
    assert_eq!(
        report.prints,
        vec![
            format!("mail from {d}"),
            format!("after {d} age 2 bonds [CellId(1)]")
        ]
    );
}

#[test]
fn bind_unbind_and_max_bonds_refusals_in_id_order() {
    let settings = WorldSettings {
        max_bonds: 1,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let hub = spawn(&mut w, Scripted::idle("Hub"), 0.0, 0.0);
    let binder = move |_: &mut Vars, ctx: &mut myco_vm::runtime::CellContext<'_>| {
        if ctx.tick() == 1 {
            // As the turn sees the world, nobody has a bond yet.
            assert!(ctx.bind_to(hub));
        }
        MetabolismResult::Continue
    };
    let a = spawn(&mut w, Scripted::new("A", binder), 1.0, 0.0);
    let b = spawn(&mut w, Scripted::new("B", binder), 2.0, 0.0);
    let events = kinds(&w.tick().events);
    assert_eq!(
        events,
        vec![
            EventKind::BondMade {
                a: hub,
                b: a,
                origin: BondOrigin::Bind
            },
            EventKind::BondRefused {
                cell: b,
                other: hub,
                reason: BondRefusal::MaxBonds
            },
        ]
    );
    assert_eq!(w.cell(hub).map(|c| c.bonds().to_vec()), Some(vec![a]));
    assert_eq!(w.cell(a).map(|c| c.bonds().to_vec()), Some(vec![hub]));
    // Seen as bonded now: a second bind is false and only the attempt is paid.
    let mut w2 = w.clone();
    let probe = Scripted::new("Probe", move |v, ctx| {
        v.n = i64::from(ctx.bind_to(hub)) + 10 * i64::from(ctx.unbind(hub));
        MetabolismResult::Continue
    });
    let p = spawn(&mut w2, probe, 0.0, 0.0);
    w2.tick();
    assert_eq!(vars(&w2, p).n, 0, "hub is full, and p is not bonded to it");
    let expected = 100.0 - 2.0 * myco_vm::costs::ATTEMPT;
    assert!(
        w2.cell(p).is_some_and(|c| close(c.energy(), expected)),
        "only the attempts are paid"
    );
}

#[test]
fn unbind_breaks_the_bond_for_both() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let y = spawn(&mut w, Scripted::idle("Y"), 0.0, 0.0);
    let x = spawn(
        &mut w,
        Scripted::new("X", move |_, ctx| {
            match ctx.tick() {
                1 => assert!(ctx.bind_to(y)),
                2 => assert!(ctx.unbind(y)),
                _ => assert!(!ctx.unbind(y)),
            }
            MetabolismResult::Continue
        }),
        1.0,
        0.0,
    );
    w.tick();
    assert_eq!(w.cell(y).map(|c| c.bonds().to_vec()), Some(vec![x]));
    let events = kinds(&w.tick().events);
    assert_eq!(
        events,
        vec![EventKind::BondBroken {
            a: y,
            b: x,
            reason: myco_vm::runtime::BondEnd::Unbind
        }]
    );
    assert_eq!(w.cell(y).map(|c| c.bonds().len()), Some(0));
    assert_eq!(w.cell(x).map(|c| c.bonds().len()), Some(0));
    w.tick();
}

#[test]
fn death_breaks_bonds() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let a = spawn(&mut w, Scripted::idle("A"), 0.0, 0.0);
    let b = spawn(
        &mut w,
        Scripted::new("B", move |_, ctx| {
            if ctx.tick() == 1 {
                ctx.bind_to(a);
                return MetabolismResult::Continue;
            }
            MetabolismResult::Die
        }),
        1.0,
        0.0,
    );
    w.tick();
    let events = kinds(&w.tick().events);
    assert!(events.contains(&EventKind::BondBroken {
        a,
        b,
        reason: myco_vm::runtime::BondEnd::Death
    }));
    assert_eq!(w.cell(a).map(|c| c.bonds().len()), Some(0));
}

#[test]
fn moves_add_up_and_apply_after_the_turn() {
    let settings = WorldSettings {
        size: Some(Vec2::new(20.0, 20.0)),
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let mover = Scripted::new("Mover", |v, ctx| {
        ctx.move_by(Vec2::new(1.0, 0.0));
        ctx.move_by(Vec2::new(2.0, 1.0));
        v.x = ctx.position().x; // still the old position
        MetabolismResult::Continue
    });
    let m = spawn(&mut w, mover, 0.0, 0.0);
    w.tick();
    assert_eq!(w.cell(m).map(|c| c.pos()), Some(Vec2::new(3.0, 1.0)));
    assert_eq!(vars(&w, m).x, 0.0);
    for _ in 0..5 {
        w.tick();
    }
    // Clamped to [-10, 10].
    assert_eq!(w.cell(m).map(|c| c.pos()), Some(Vec2::new(10.0, 6.0)));
}

#[test]
fn mail_to_a_cell_dying_this_tick_is_dropped_and_apoptosis_effects_apply() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let heir = Scripted::idle("Heir").on_spawn(|_, ctx| {
        let _ = ctx.print(format!("{} heir of {:?}", ctx.id(), ctx.parent()));
        MetabolismResult::Continue
    });
    let dying = Scripted::new("Dying", |_, _| MetabolismResult::Die).on_apoptosis(move |_, ctx| {
        let _ = ctx.spawn(
            heir.clone().boxed(),
            SpawnOptions {
                energy: Some(5.0),
                ..Default::default()
            },
        );
        MetabolismResult::Continue
    });
    let d = spawn(&mut w, dying, 0.0, 0.0);
    let s = spawn(
        &mut w,
        Scripted::new("S", move |_, ctx| {
            if ctx.tick() == 1 {
                ctx.send(d, ping(1));
            }
            MetabolismResult::Continue
        }),
        1.0,
        0.0,
    );
    let events = kinds(&w.tick().events);
    assert_eq!(
        events,
        vec![
            EventKind::Spawned {
                cell: CellId(3),
                kind: "Heir".into(),
                parent: Some(d)
            },
            EventKind::Died {
                cell: d,
                kind: "Dying".into(),
                cause: DeathCause::Apoptosis
            },
            EventKind::SignalDropped {
                from: s,
                to: d,
                reason: DropReason::ReceiverGone
            },
        ]
    );
    assert_eq!(w.tick().prints, vec!["#3 heir of Some(CellId(1))"]);
}
