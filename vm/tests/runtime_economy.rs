//! The economy (basal, upkeep, income by priority and W/E, the cap,
//! starvation), the immune system and automatic bonds.

mod common;

use common::*;
use myco_vm::costs;
use myco_vm::runtime::{
    BondOrigin, DeathCause, Event, EventKind, MetabolismResult, SpawnOptions, WorldSettings,
};
use myco_vm::value::CellId;

fn kinds(events: &[Event]) -> Vec<EventKind> {
    events
        .iter()
        .filter(|e| e.tick > 0)
        .map(|e| e.kind.clone())
        .collect()
}

fn energy(w: &myco_vm::runtime::World, id: CellId) -> f64 {
    w.cell(id).map_or(f64::NAN, |c| c.energy())
}

fn with_priority(w: &mut myco_vm::runtime::World, cell: Scripted, priority: f64) -> CellId {
    let options = SpawnOptions {
        priority: Some(priority),
        ..SpawnOptions::default()
    };
    w.spawn(cell.boxed(), options, None).unwrap_or(CellId(0))
}

#[test]
fn income_is_shared_by_priority_and_capped() {
    let settings = WorldSettings {
        income: 10.0,
        max_energy: 105.0,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let a = with_priority(&mut w, Scripted::idle("A"), 1.0);
    let b = with_priority(&mut w, Scripted::idle("B"), 3.0);
    w.tick();
    // Nobody reported: weights are priority x base share = 1 : 3.
    assert!(close(energy(&w, a), 102.5));
    assert!(close(energy(&w, b), 105.0), "7.5 would pass the 105 cap");
    w.tick();
    assert!(close(energy(&w, a), 105.0));
}

#[test]
fn income_favours_a_higher_work_ratio() {
    let settings = WorldSettings {
        income: 10.0,
        basal: 0.2,
        max_energy: 1000.0,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let worker = Scripted::new("Worker", |_, ctx| {
        let _ = ctx.report_value(1.0);
        MetabolismResult::Continue
    });
    let a = with_priority(&mut w, worker, 1.0);
    let b = with_priority(&mut w, Scripted::idle("Idle"), 1.0);
    w.tick();
    let spent_a = costs::REPORT + 0.2;
    let ratio_a = 1.0 / spent_a;
    let weight_a = costs::INCOME_BASE_SHARE + ratio_a.min(costs::INCOME_RATIO_CAP);
    let weight_b = costs::INCOME_BASE_SHARE;
    let income_a = 10.0 * weight_a / (weight_a + weight_b);
    let income_b = 10.0 * weight_b / (weight_a + weight_b);
    assert!(
        close(energy(&w, a), 100.0 - spent_a + income_a),
        "{} vs {}",
        energy(&w, a),
        100.0 - spent_a + income_a
    );
    assert!(close(energy(&w, b), 100.0 - 0.2 + income_b));
    assert!(w.cell(a).is_some_and(|c| close(c.work_ratio(), ratio_a)));
}

#[test]
fn sleeping_cells_pay_less_basal_and_bonds_cost_upkeep() {
    let settings = WorldSettings {
        basal: 1.0,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let sleeper = spawn(
        &mut w,
        Scripted::new("Sleeper", |_, _| MetabolismResult::Sleep(10)),
        0.0,
        0.0,
    );
    let lonely = spawn(&mut w, Scripted::idle("Lonely"), 0.0, 0.0);
    let bonded = spawn(
        &mut w,
        Scripted::new("Bonder", move |_, ctx| {
            if ctx.tick() == 1 {
                ctx.bind_to(lonely);
            }
            MetabolismResult::Continue
        }),
        0.0,
        0.0,
    );
    w.tick();
    // Tick 1: everyone ran a turn (the sleeper fell asleep at its end).
    let sleep_cost = costs::SLEEP;
    assert!(close(energy(&w, sleeper), 100.0 - sleep_cost - 1.0));
    let bind_cost = costs::ATTEMPT + costs::BIND;
    // The bond is made in step 4, so upkeep is due already in step 5.
    assert!(close(
        energy(&w, bonded),
        100.0 - bind_cost - 1.0 - costs::BOND_UPKEEP
    ));
    assert!(close(energy(&w, lonely), 100.0 - 1.0 - costs::BOND_UPKEEP));
    w.tick();
    assert!(close(
        energy(&w, sleeper),
        100.0 - sleep_cost - 1.0 - costs::ASLEEP_BASAL_FACTOR
    ));
}

#[test]
fn starvation_by_basal_kills_after_starve_ticks_in_a_row() {
    let settings = WorldSettings {
        basal: 1.0,
        starve_ticks: 2,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let poor = w
        .spawn(
            Scripted::idle("Poor").boxed(),
            SpawnOptions {
                energy: Some(1.5),
                ..SpawnOptions::default()
            },
            None,
        )
        .unwrap_or(CellId(0));
    assert!(
        kinds(&w.tick().events).is_empty(),
        "1.5 pays the first basal"
    );
    assert_eq!(
        kinds(&w.tick().events),
        vec![EventKind::Starved {
            cell: poor,
            ticks: 1
        }]
    );
    assert_eq!(
        kinds(&w.tick().events),
        vec![
            EventKind::Starved {
                cell: poor,
                ticks: 2
            },
            EventKind::Died {
                cell: poor,
                kind: "Poor".into(),
                cause: DeathCause::Starvation
            }
        ]
    );
}

#[test]
fn immune_system_kills_parasites_after_grace_and_strikes() {
    let settings = WorldSettings {
        basal: 0.2,
        grace: 3,
        immune_window: 2,
        immune_threshold: 0.5,
        immune_strikes: 2,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let parasite = spawn(&mut w, Scripted::idle("Parasite"), 0.0, 0.0);
    let worker = spawn(
        &mut w,
        Scripted::new("Worker", |_, ctx| {
            let _ = ctx.report_value(1.0);
            MetabolismResult::Continue
        }),
        0.0,
        0.0,
    );
    let mut flagged = Vec::new();
    let mut died = Vec::new();
    for _ in 0..8 {
        let report = w.tick();
        for e in report.events {
            match e.kind {
                EventKind::ParasiteFlagged { cell, strikes, .. } => {
                    flagged.push((e.tick, cell, strikes))
                }
                EventKind::Died { cell, cause, .. } => died.push((e.tick, cell, cause)),
                _ => {}
            }
        }
    }
    // Age at tick t is t - 1: judged from age 3, i.e. tick 4.
    assert_eq!(flagged, vec![(4, parasite, 1), (5, parasite, 2)]);
    assert_eq!(died, vec![(5, parasite, DeathCause::Immune)]);
    assert!(w.cell(worker).is_some());
    assert_eq!(w.counters().died_immune, 1);
}

/// Sends a Ping to `other` at the ticks listed; handles Pings silently.
fn chatter(other: std::sync::Arc<std::sync::OnceLock<CellId>>, ticks: &'static [u64]) -> Scripted {
    Scripted::new("Chatter", move |_, ctx| {
        if ticks.contains(&ctx.tick())
            && let Some(&o) = other.get()
        {
            ctx.send(o, ping(0));
        }
        MetabolismResult::Continue
    })
    .on_signal(|_, _, _, _| MetabolismResult::Continue)
}

#[test]
fn traffic_bonds_a_pair_at_the_threshold_counting_both_directions() {
    let settings = WorldSettings {
        autobind: 3,
        immune_window: 5,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let a_slot = std::sync::Arc::new(std::sync::OnceLock::new());
    let b_slot = std::sync::Arc::new(std::sync::OnceLock::new());
    // a -> b at ticks 1 and 2; b -> a at tick 2: the third delivery is at tick 2.
    let a = spawn(&mut w, chatter(b_slot.clone(), &[1, 2]), 0.0, 0.0);
    let b = spawn(&mut w, chatter(a_slot.clone(), &[2]), 50.0, 0.0);
    let _ = a_slot.set(a);
    let _ = b_slot.set(b);
    assert!(kinds(&w.tick().events).is_empty());
    assert_eq!(w.cell(a).map(|c| c.bonds().len()), Some(0));
    assert_eq!(
        kinds(&w.tick().events),
        vec![EventKind::BondMade {
            a,
            b,
            origin: BondOrigin::Traffic
        }]
    );
    assert_eq!(w.cell(a).map(|c| c.bonds().to_vec()), Some(vec![b]));
    assert_eq!(w.cell(b).map(|c| c.bonds().to_vec()), Some(vec![a]));
}

#[test]
fn traffic_outside_the_window_does_not_count() {
    let settings = WorldSettings {
        autobind: 2,
        immune_window: 2,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let b_slot = std::sync::Arc::new(std::sync::OnceLock::new());
    let a_slot = std::sync::Arc::new(std::sync::OnceLock::new());
    // Deliveries at ticks 1 and 3: never two within a 2-tick window.
    let a = spawn(&mut w, chatter(b_slot.clone(), &[1, 3, 5]), 0.0, 0.0);
    let b = spawn(&mut w, chatter(a_slot.clone(), &[]), 50.0, 0.0);
    let _ = a_slot.set(a);
    let _ = b_slot.set(b);
    for _ in 0..6 {
        w.tick();
    }
    assert_eq!(w.cell(a).map(|c| c.bonds().len()), Some(0));
    assert_eq!(w.counters().signals_delivered, 3);
}

#[test]
fn unbonded_send_cost_grows_with_distance_and_bonded_send_is_free() {
    let mut w = world(quiet_settings(), vec![], &[]);
    let far = spawn(&mut w, Scripted::idle("Far"), 100.0, 0.0);
    let sender = spawn(
        &mut w,
        Scripted::new("S", move |_, ctx| {
            match ctx.tick() {
                1 => {
                    ctx.send(far, ping(1));
                }
                2 => {
                    ctx.bind_to(far);
                }
                _ => {
                    ctx.send(far, ping(1));
                }
            }
            MetabolismResult::Continue
        }),
        0.0,
        0.0,
    );
    w.tick();
    let after_send = 100.0 - costs::ATTEMPT - costs::SEND_BASE - costs::SEND_PER_DISTANCE * 100.0;
    assert!(close(energy(&w, sender), after_send));
    w.tick();
    // The bond costs upkeep from the tick it is made.
    let after_bind = after_send - costs::ATTEMPT - costs::BIND - costs::BOND_UPKEEP;
    assert!(close(energy(&w, sender), after_bind));
    w.tick();
    let after_third = after_bind - costs::BOND_UPKEEP;
    assert!(
        close(energy(&w, sender), after_third),
        "bonded sends are free"
    );
}

#[test]
fn traffic_bonds_respect_max_bonds() {
    let settings = WorldSettings {
        autobind: 1,
        max_bonds: 0,
        ..quiet_settings()
    };
    let mut w = world(settings, vec![], &[]);
    let b_slot = std::sync::Arc::new(std::sync::OnceLock::new());
    let a_slot = std::sync::Arc::new(std::sync::OnceLock::new());
    let a = spawn(&mut w, chatter(b_slot.clone(), &[1]), 0.0, 0.0);
    let b = spawn(&mut w, chatter(a_slot.clone(), &[]), 5.0, 0.0);
    let _ = a_slot.set(a);
    let _ = b_slot.set(b);
    assert_eq!(
        kinds(&w.tick().events),
        vec![EventKind::BondRefused {
            cell: a,
            other: b,
            reason: myco_vm::runtime::BondRefusal::MaxBonds
        }]
    );
    assert_eq!(w.cell(a).map(|c| c.bonds().len()), Some(0));
}
