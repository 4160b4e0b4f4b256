//! Sensing: the falloff formula, the range cutoff, ordering and ties,
//! persistence and summing, bonds, membranes, own emissions.

mod common;

use common::*;
use myco_vm::runtime::{DropReason, EventKind, GradientSpec, MetabolismResult};
use myco_vm::value::{CellId, GradientId, Reading, Vec2};

const G: GradientId = GradientId(0);

/// Emits `strength` of G every tick.
fn emitter(strength: f64) -> Scripted {
    Scripted::new("Emitter", move |_, ctx| {
        ctx.emit(G, strength);
        MetabolismResult::Continue
    })
}

/// Senses G every tick and prints `tick: source strength distance bonded; ...`.
fn sensor() -> Scripted {
    Scripted::new("Sensor", |_, ctx| {
        let Ok(readings) = ctx.sense_gradient(G) else {
            return MetabolismResult::OutOfEnergy;
        };
        let line: Vec<String> = readings
            .iter()
            .map(|r| {
                format!(
                    "{} {:?} {:?} {}",
                    r.source, r.strength, r.distance, r.bonded
                )
            })
            .collect();
        let _ = ctx.print(format!("{} {}: {}", ctx.id(), ctx.tick(), line.join("; ")));
        MetabolismResult::Continue
    })
}

fn sense(world: &myco_vm::runtime::World, id: CellId) -> Vec<Reading> {
    world
        .sense(id, G)
        .unwrap_or_else(|| panic!("no such cell/gradient"))
}

#[test]
fn falloff_formula_and_range_cutoff() {
    let mut w = world(
        quiet_settings(),
        vec![GradientSpec::new("G").range(10.0).falloff(0.1)],
        &[],
    );
    let e = spawn(&mut w, emitter(2.0), 0.0, 0.0);
    let near = spawn(&mut w, sensor(), 5.0, 0.0);
    let edge = spawn(&mut w, sensor(), 0.0, -10.0);
    let beyond = spawn(&mut w, sensor(), 10.5, 0.0);
    let first = w.tick();
    // Nothing was emitted before tick 1.
    assert_eq!(first.prints, vec!["#2 1: ", "#3 1: ", "#4 1: "]);
    let second = w.tick();
    let expected_near = 2.0 * (-0.1f64 * 5.0).exp();
    let expected_edge = 2.0 * (-0.1f64 * 10.0).exp();
    assert_eq!(
        second.prints,
        vec![
            format!("#2 2: #1 {expected_near:?} 5.0 false"),
            format!("#3 2: #1 {expected_edge:?} 10.0 false"),
            "#4 2: ".to_string(),
        ]
    );
    // The host view agrees, with the reading's position.
    let r = sense(&w, near);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].source, e);
    assert!(close(r[0].strength, expected_near));
    assert_eq!(r[0].pos, Vec2::new(0.0, 0.0));
    assert_eq!(sense(&w, edge).len(), 1);
    assert!(sense(&w, beyond).is_empty());
}

#[test]
fn strongest_first_ties_by_smaller_id() {
    let mut w = world(
        quiet_settings(),
        vec![GradientSpec::new("G").range(50.0).falloff(0.1)],
        &[],
    );
    // Spawned so that ids do not follow positions.
    let weak = spawn(&mut w, emitter(0.5), 1.0, 0.0); // 0.5 e^-0.1 ≈ 0.452
    let tie_b = spawn(&mut w, emitter(1.0), 0.0, 3.0); // e^-0.3 ≈ 0.741
    let strong = spawn(&mut w, emitter(3.0), 4.0, 0.0); // 3 e^-0.4 ≈ 2.01
    let tie_a = spawn(&mut w, emitter(1.0), -3.0, 0.0); // e^-0.3
    let tie_c = spawn(&mut w, emitter(1.0), 0.0, -3.0); // e^-0.3
    let s = spawn(&mut w, Scripted::idle("Probe"), 0.0, 0.0);
    w.tick();
    let order: Vec<CellId> = sense(&w, s).iter().map(|r| r.source).collect();
    assert_eq!(order, vec![strong, tie_b, tie_a, tie_c, weak]);
    // Within the tie the strengths are bit-identical.
    let r = sense(&w, s);
    assert_eq!(r[1].strength.to_bits(), r[2].strength.to_bits());
    // sense_gradient_strongest agrees with the head of the list.
    let mut w2 = w.clone();
    let probe = Scripted::new("Probe", |v, ctx| {
        if let Ok(Some(r)) = ctx.sense_gradient_strongest(G) {
            v.other = Some(r.source);
        }
        MetabolismResult::Continue
    });
    let p = spawn(&mut w2, probe, 0.0, 0.0);
    w2.tick();
    w2.tick();
    assert_eq!(vars(&w2, p).other, Some(strong));
}

#[test]
fn persistence_and_emissions_outliving_their_emitter() {
    let mut w = world(
        quiet_settings(),
        vec![GradientSpec::new("G").range(10.0).falloff(0.0).persist(3)],
        &[],
    );
    // Emits once, at tick 1, then dies in the same turn.
    let once = Scripted::new("Once", |_, ctx| {
        ctx.emit(G, 1.0);
        MetabolismResult::Die
    });
    spawn(&mut w, once, 0.0, 0.0);
    let s = spawn(&mut w, sensor(), 1.0, 0.0);
    let mut lines = Vec::new();
    for _ in 0..6 {
        lines.extend(w.tick().prints);
    }
    assert!(w.cell(CellId(1)).is_none(), "the emitter died at tick 1");
    assert_eq!(
        lines,
        vec![
            format!("{s} 1: "),
            format!("{s} 2: #1 1.0 1.0 false"),
            format!("{s} 3: #1 1.0 1.0 false"),
            format!("{s} 4: #1 1.0 1.0 false"),
            format!("{s} 5: "),
            format!("{s} 6: "),
        ]
    );
}

#[test]
fn one_reading_per_emitter_sums_live_emissions_latest_position() {
    let mut w = world(
        quiet_settings(),
        vec![GradientSpec::new("G").range(100.0).falloff(0.1).persist(2)],
        &[],
    );
    // Emits 1.0 every tick from where it stands, then moves by (1, 0).
    let walker = Scripted::new("Walker", |_, ctx| {
        ctx.emit(G, 1.0);
        ctx.emit(G, 0.5);
        ctx.move_by(Vec2::new(1.0, 0.0));
        MetabolismResult::Continue
    });
    let e = spawn(&mut w, walker, 0.0, 0.0);
    let s = spawn(&mut w, Scripted::idle("Probe"), 0.0, 10.0);
    w.tick(); // emissions at (0,0), made at 1
    w.tick(); // emissions at (1,0), made at 2
    // At tick 3 both ticks' emissions are live (persist 2).
    let r = sense(&w, s);
    assert_eq!(r.len(), 1);
    let d0: f64 = 10.0;
    let d1 = 101f64.sqrt();
    let a0 = (-0.1 * d0).exp();
    let a1 = (-0.1 * d1).exp();
    let expected = 1.0 * a0 + 0.5 * a0 + 1.0 * a1 + 0.5 * a1;
    assert_eq!(r[0].source, e);
    assert!(
        close(r[0].strength, expected),
        "{} vs {expected}",
        r[0].strength
    );
    assert_eq!(r[0].pos, Vec2::new(1.0, 0.0));
    assert!(close(r[0].distance, d1));
    w.tick();
    // At tick 4 the tick-1 emissions are gone.
    let r = sense(&w, s);
    let d2 = 104f64.sqrt();
    let expected = 1.5 * a1 + 1.5 * (-0.1 * d2).exp();
    assert!(close(r[0].strength, expected));
    assert_eq!(r[0].pos, Vec2::new(2.0, 0.0));
}

#[test]
fn a_cell_never_senses_its_own_emissions() {
    let mut w = world(quiet_settings(), vec![GradientSpec::new("G")], &[]);
    let both = Scripted::new("Both", |v, ctx| {
        ctx.emit(G, 1.0);
        if let Ok(r) = ctx.sense_gradient(G) {
            v.n += r.len() as i64;
        }
        MetabolismResult::Continue
    });
    let a = spawn(&mut w, both.clone(), 0.0, 0.0);
    for _ in 0..3 {
        w.tick();
    }
    assert_eq!(vars(&w, a).n, 0);
    let b = spawn(&mut w, both, 1.0, 0.0);
    w.tick(); // b's first turn: a's tick-3 emission is there
    w.tick();
    assert_eq!(vars(&w, a).n, 1, "a senses b's tick-4 emission at tick 5");
    assert_eq!(vars(&w, b).n, 2);
}

#[test]
fn bonded_emitters_are_sensed_at_full_strength_across_distance_and_membranes() {
    let mut w = world(
        quiet_settings(),
        vec![GradientSpec::new("G").range(10.0).falloff(0.1)],
        &["A"],
    );
    let a = w.membrane_id("A");
    let far = w
        .spawn(emitter(2.0).boxed(), at(1000.0, 0.0), a)
        .unwrap_or(CellId(0));
    let binder = Scripted::new("Binder", move |v, ctx| {
        if v.n == 0 {
            assert!(ctx.bind_to(far));
            v.n = 1;
        }
        MetabolismResult::Continue
    });
    let s = spawn(&mut w, binder, 0.0, 0.0);
    w.tick(); // bind queued, bond made at apply; emission made at 1
    assert_eq!(w.cell(s).map(|c| c.bonds().to_vec()), Some(vec![far]));
    let r = sense(&w, s);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].strength, 2.0);
    assert!(r[0].bonded);
    assert_eq!(r[0].distance, 1000.0);
}

#[test]
fn gradients_and_unbonded_signals_do_not_cross_membranes() {
    let mut w = world(
        quiet_settings(),
        vec![GradientSpec::new("G").range(10.0)],
        &["A"],
    );
    let a = w.membrane_id("A");
    let inside = w
        .spawn(emitter(1.0).boxed(), at(1.0, 0.0), a)
        .unwrap_or(CellId(0));
    let outside = spawn(&mut w, Scripted::idle("Out"), 0.0, 0.0);
    let neighbour = w
        .spawn(Scripted::idle("In").boxed(), at(0.0, 1.0), a)
        .unwrap_or(CellId(0));
    let sender = Scripted::new("Sender", move |v, ctx| {
        if v.n == 0 {
            // Judged as the turn sees the world: charged and true...
            assert!(ctx.send(outside, ping(1)));
            v.n = 1;
        }
        MetabolismResult::Continue
    });
    let snd = w
        .spawn(sender.boxed(), at(2.0, 0.0), a)
        .unwrap_or(CellId(0));
    let report = w.tick();
    assert!(sense(&w, outside).is_empty());
    assert_eq!(sense(&w, neighbour).len(), 1);
    let _ = inside;
    // ...but dropped at apply time, as an event.
    assert!(report.events.iter().any(|e| e.kind
        == EventKind::SignalDropped {
            from: snd,
            to: outside,
            reason: DropReason::Membrane
        }));
    assert_eq!(w.cell(outside).map(|c| c.mail_len()), Some(0));
}
