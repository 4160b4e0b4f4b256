//! `World::state_hash`: a stable 64-bit FNV-1a hash over a canonical walk of
//! the whole state, for determinism tests (not for security).

use super::record::SleepState;
use super::world::World;
use crate::value::{Record, Value};

struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    fn u64(&mut self, x: u64) {
        self.bytes(&x.to_le_bytes());
    }
    fn i64(&mut self, x: i64) {
        self.bytes(&x.to_le_bytes());
    }
    fn f64(&mut self, x: f64) {
        self.u64(x.to_bits());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }
    fn record(&mut self, r: &Record) {
        self.u64(u64::from(r.kind.0));
        self.u64(r.fields.len() as u64);
        for v in r.fields.iter() {
            self.value(v);
        }
    }
    fn value(&mut self, v: &Value) {
        match v {
            Value::None => self.u64(0),
            Value::Int(i) => {
                self.u64(1);
                self.i64(*i);
            }
            Value::Float(x) => {
                self.u64(2);
                self.f64(*x);
            }
            Value::Bool(b) => {
                self.u64(3);
                self.u64(u64::from(*b));
            }
            Value::Str(s) => {
                self.u64(4);
                self.str(s);
            }
            Value::Vec(p) => {
                self.u64(5);
                self.f64(p.x);
                self.f64(p.y);
            }
            Value::Cell(c) => {
                self.u64(6);
                self.u64(c.0);
            }
            Value::Gradient(g) => {
                self.u64(7);
                self.u64(u64::from(g.0));
            }
            Value::List(items) => {
                self.u64(8);
                self.u64(items.len() as u64);
                for item in items.iter() {
                    self.value(item);
                }
            }
            Value::Record(r) => {
                self.u64(9);
                self.record(r);
            }
            Value::Reading(r) => {
                self.u64(10);
                self.u64(r.source.0);
                self.f64(r.strength);
                self.f64(r.distance);
                self.f64(r.pos.x);
                self.f64(r.pos.y);
                self.u64(u64::from(r.bonded));
            }
        }
    }
}

pub(crate) fn state_hash(world: &World) -> u64 {
    let mut h = Fnv(0xCBF2_9CE4_8422_2325);
    h.u64(world.tick);
    h.u64(world.next_id);
    h.str(&serde_json::to_string(&world.settings).unwrap_or_default());
    h.str(&serde_json::to_string(&world.counters).unwrap_or_default());
    h.u64(world.cells.len() as u64);
    for rec in world.cells.iter() {
        h.u64(rec.id.0);
        h.str(rec.state.kind_name());
        for (name, value) in rec.state.fields() {
            h.str(&name);
            h.value(&value);
        }
        h.f64(rec.pos.x);
        h.f64(rec.pos.y);
        h.f64(rec.energy);
        h.f64(rec.priority);
        h.u64(rec.parent.map_or(0, |p| p.0));
        h.u64(rec.membrane.map_or(u64::MAX, |m| u64::from(m.0)));
        h.u64(rec.born);
        h.u64(u64::from(rec.started));
        h.u64(rec.bonds.len() as u64);
        for b in &rec.bonds {
            h.u64(b.0);
        }
        h.u64(rec.mail.len() as u64);
        for m in &rec.mail {
            h.u64(m.from.0);
            h.record(&m.signal);
        }
        match rec.sleep {
            SleepState::Awake => h.u64(0),
            SleepState::Ticks { wake_at } => {
                h.u64(1);
                h.u64(wake_at);
            }
            SleepState::Until {
                gradient,
                threshold,
            } => {
                h.u64(2);
                h.u64(u64::from(gradient.0));
                h.f64(threshold);
            }
        }
        h.i64(rec.starving);
        h.i64(rec.strikes);
        h.u64(rec.head as u64);
        for &(w, e) in &rec.history {
            h.f64(w);
            h.f64(e);
        }
        h.f64(rec.ratio);
        h.f64(rec.window_sums.0);
        h.f64(rec.window_sums.1);
    }
    for field in world.fields.iter() {
        h.u64(field.len() as u64);
        for e in field.emissions() {
            h.u64(e.emitter.0);
            h.f64(e.pos.x);
            h.f64(e.pos.y);
            h.f64(e.strength);
            h.u64(e.made);
            h.u64(e.membrane.map_or(u64::MAX, |m| u64::from(m.0)));
        }
    }
    for tick in world.traffic.iter() {
        h.u64(tick.len() as u64);
        for &((a, b), n) in tick.iter() {
            h.u64(a.0);
            h.u64(b.0);
            h.u64(u64::from(n));
        }
    }
    h.0
}
