//! `(sense G).first()` compiles to the fused `SenseFirst` instruction: it
//! must give the same reading, the same energies (to the bit) and the same
//! abort behaviour as building the list and taking its first element.

use myco::{RunOptions, Simulation, compile};

/// Runs `metabolism` (one body, two spellings) in a world of emitters with
/// ties, sums over `persist` and a starving seeker; returns the printed
/// lines and the final dump.
fn run(metabolism: &str) -> (Vec<String>, String) {
    let source = format!(
        r#"
gradient FOOD {{ range: 30.0, falloff: 0.1, persist: 2 }}

cell Source {{
    s: float = 1.0;
    metabolism {{
        emit FOOD self.s;
        if self.age % 2 == 0 {{ emit FOOD 0.5; }}
    }}
}}

cell Seeker {{
    metabolism {{
        {metabolism}
        print(r0, self.energy);
    }}
}}

ecosystem {{
    world.seed = 7;
    // Two equal sources at the same distance from the first seeker: a tie
    // that the smaller id wins.
    spawn Source {{ s: 2.0 }} at (10.0, 0.0);
    spawn Source {{ s: 2.0 }} at (-10.0, 0.0);
    spawn Source {{ s: 3.0 }} at (0.0, 25.0);
    spawn Source at (20.0, 20.0);
    spawn Seeker at (0.0, 0.0);
    spawn Seeker at (15.0, 5.0);
    spawn Seeker at (100.0, 100.0);
    // Enough energy for a few instructions, not for the sense: aborts.
    spawn Seeker {{ energy: 0.1 }} at (1.0, 1.0);
    spawn Seeker {{ energy: 0.21 }} at (2.0, 1.0);
}}
"#
    );
    let compiled = compile(&source).expect("compiles");
    let mut sim = Simulation::new(&compiled, &RunOptions::default()).expect("instantiates");
    let mut lines = sim.take_prints();
    for _ in 0..5 {
        lines.extend(sim.tick().prints);
    }
    let dump = serde_json::to_string(&sim.world().dump_json()).expect("dump");
    (lines, dump)
}

#[test]
fn fused_sense_first_matches_the_list() {
    // The list spelling moves `rs` into the call's argument register: one
    // instruction more, which the fused spelling pays with `_pad`, in the
    // same stretch between two syncs (so the energy is charged in the same
    // steps).
    let fused = run("let r0 = (sense FOOD).first(); let _pad = 0;");
    let listed = run("let rs = sense FOOD; let r0 = rs.first();");
    assert!(
        fused.0.iter().any(|l| l.starts_with("reading")),
        "{:?}",
        fused.0
    );
    assert_eq!(fused.0, listed.0);
    assert_eq!(fused.1, listed.1);
}

#[test]
fn the_fusion_is_used() {
    let compiled =
        compile("gradient G; cell A { metabolism { let r = (sense G).first(); } } ecosystem {}")
            .expect("compiles");
    let text = myco::vm::bytecode::disassemble_program(&compiled.program);
    assert!(text.contains("SenseFirst"), "{text}");
    assert!(!text.contains("CallNative"), "{text}");
}
