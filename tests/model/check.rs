//! The checks: after every call, the real generator against the model; at the end of a case, the
//! accounting of every value that went in or out and every body local.

use std::sync::Arc;

use agen_runtime::GenState;

use crate::harness::{block_on, perform, quiet_body_panics, scripted, World};
use crate::model::Model;
use crate::script::{Call, Delivery, Event, Method, Obs, Op};

/// One generator's run, checked call by call.
pub struct Case {
    script: Vec<Op>,
    model: Model,
    world: Arc<World>,
    next_value: u64,
    /// Ids of the values handed to `asend` / `athrow`.
    handed_in: Vec<u64>,
    /// Ids of values whose step future was dropped unpolled (they went with it).
    withdrawn: Vec<u64>,
    history: Vec<(Call, Obs)>,
}

impl Case {
    pub fn new(script: &[Op], world: &Arc<World>) -> Self {
        Case {
            script: script.to_vec(),
            model: Model::new(script),
            world: world.clone(),
            next_value: 0,
            handed_in: Vec::new(),
            withdrawn: Vec::new(),
            history: Vec::new(),
        }
    }

    /// The id of the value the next call hands in.
    pub fn fresh_value(&mut self) -> u64 {
        self.next_value += 1;
        self.next_value - 1
    }

    fn fail(&self, what: &str) -> ! {
        panic!(
            "{what}\n  script: {:?}\n  calls so far (call, observed): {:#?}",
            self.script, self.history
        )
    }

    /// Checks one call: `obs` is what it came to, `state` / `exhausted` what the generator says
    /// afterwards (`None` once it is dropped).
    pub fn check(&mut self, call: Call, value: u64, obs: Obs, state: Option<(GenState, bool)>) {
        self.history.push((call, obs.clone()));
        let expected = match call {
            Call::Step { method, polls } => {
                if matches!(method, Method::Asend | Method::Athrow) {
                    self.handed_in.push(value);
                    if obs == Obs::NotPolled {
                        self.withdrawn.push(value);
                    }
                }
                self.model.call(method, polls, value)
            }
            Call::DropGen => self.model.drop_gen(),
        };
        if obs != expected.obs {
            self.fail(&format!(
                "outcome: runtime {obs:?}, model {:?}",
                expected.obs
            ));
        }
        let events = self.world.take_events();
        if events != expected.events {
            self.fail(&format!(
                "body events: runtime {events:?}, model {:?}",
                expected.events
            ));
        }
        if let Some((state, exhausted)) = state {
            if state != self.model.state() {
                self.fail(&format!(
                    "state: runtime {state:?}, model {:?}",
                    self.model.state()
                ));
            }
            if exhausted != self.model.is_exhausted() {
                self.fail(&format!(
                    "is_exhausted: runtime {exhausted}, model {}",
                    self.model.is_exhausted()
                ));
            }
        }
        let live = self.world.live_tokens();
        if (live > 0) != self.model.body_alive() {
            self.fail(&format!(
                "body locals: {live} live, the model says the body is {}",
                if self.model.body_alive() {
                    "alive"
                } else {
                    "gone"
                }
            ));
        }
        let twice = self.world.double_drops();
        if !twice.is_empty() {
            self.fail(&format!("dropped more than once: {twice:?}"));
        }
    }

    /// After the generator is dropped and every outcome released: every value accounted for.
    pub fn check_end(&self) {
        // Every tracked value (items, sent and thrown values, body locals) dropped exactly once.
        let wrong = self.world.not_dropped_once();
        if !wrong.is_empty() {
            self.fail(&format!(
                "not dropped exactly once (kind, id, drops): {wrong:?}"
            ));
        }
        // Every item the body made was received exactly once, in order.
        let (made, seen) = (self.world.items_made(), self.world.items_seen());
        if made != seen {
            self.fail(&format!("items made {made:?}, items received {seen:?}"));
        }
        // Every value handed in was delivered to the body or handed back (or went with a step
        // future dropped before its first poll): exactly one of them. A value the body re-raised
        // was delivered and then came back out, as the body's `Raised` event says.
        let events = self.world.all_events();
        let back = self.world.handed_back();
        for &id in &self.handed_in {
            let delivered = events.iter().any(|e| {
                matches!(e, Event::Delivered(Delivery::Send(v) | Delivery::Throw(v)) if *v == id)
            });
            let raised = events.contains(&Event::Raised(id));
            let handed_back = back.iter().filter(|&&v| v == id).count();
            let withdrawn = self.withdrawn.contains(&id);
            let ok = if raised {
                delivered && handed_back == 1 && !withdrawn
            } else {
                usize::from(delivered) + handed_back + usize::from(withdrawn) == 1
            };
            if !ok {
                self.fail(&format!(
                    "value {id}: delivered {delivered}, raised {raised}, handed back {handed_back} \
                     times, withdrawn {withdrawn}"
                ));
            }
        }
        if events.contains(&Event::ResumedAfterIgnoredClose) {
            self.fail("a body was resumed after it yielded during a close");
        }
    }
}

/// Runs one case on this thread: builds the scripted generator, pinned in a `Box`, makes the
/// calls, checks each against the model, drops the generator, and checks the accounting.
pub fn run_case(script: &[Op], calls: &[Call]) {
    quiet_body_panics();
    let world = World::new();
    let mut case = Case::new(script, &world);
    let mut gen = Box::pin(scripted(script, &world));
    for &call in calls {
        let Call::Step { method, polls } = call else {
            break;
        };
        let value = case.fresh_value();
        let obs = block_on(perform(&mut gen.as_mut(), method, polls, value, &world));
        case.check(call, value, obs, Some((gen.state(), gen.is_exhausted())));
    }
    drop(gen);
    case.check(Call::DropGen, 0, Obs::Dropped, None);
    case.check_end();
}
