//! The reference model: a pure state machine of the protocol, written from its rules
//! (`docs/protocol.md`) and the README's table of agen's choices, not from the runtime's code.
//!
//! It runs the same script as the real body, abstractly: it counts the polls a step takes (an
//! `Await(k)` costs `k` `Pending` polls), so it knows where an interrupted step leaves the body,
//! and it numbers items as the body does (one id per yield or return, in order).

use agen_runtime::GenState;

use crate::script::{
    Delivery, Event, Handlers, Method, Obs, OnClose, OnThrow, Op, SendErrObs, StepObs, ThrowErrObs,
};

/// Where the body will go on from, and how many `Pending` polls it still owes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    cont: Cont,
    wait: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cont {
    /// Runs the script from this op.
    Script(usize),
    /// In a throw handler, after its wait.
    AfterThrow {
        on: OnThrow,
        next_pc: usize,
        error: u64,
    },
    /// In a close handler, after its cleanup wait.
    AfterClose(OnClose),
}

/// The generator's state as the model sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Rule A2: nothing of the body has run.
    Created,
    /// Rule A3: parked at a yield point; `catching` has its handlers.
    Suspended {
        catching: Option<Handlers>,
        next_pc: usize,
    },
    /// A step's future was dropped mid-step (rule F8). `closing`: it was an `aclose`.
    Running { closing: bool, pos: Pos },
    /// Rule A5: finished, closed or panicked; the body is gone.
    Closed,
}

/// Which call is driving the body: it decides what the body's end means (README table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flight {
    /// `anext` / `asend`.
    Normal,
    /// `athrow`, once the error was delivered.
    Throw,
    /// `aclose`, once the close was delivered.
    Close,
}

/// What one poll of the body comes to.
enum Poll1 {
    Pending,
    Yield {
        catching: Option<Handlers>,
        next_pc: usize,
        item: u64,
    },
    CloseYield(u64),
    Return(u64),
    Exit,
    Raise(u64),
    Panic,
}

/// What the body ends a step with, before the method shapes it.
enum End {
    Step(StepObs),
    Raised(u64),
    CloseResult(Result<Option<u64>, u64>),
    Panicked,
    Interrupted,
}

/// What the model predicts for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub obs: Obs,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone)]
pub struct Model {
    script: Vec<Op>,
    state: State,
    next_item: u64,
    events: Vec<Event>,
}

impl Model {
    pub fn new(script: &[Op]) -> Self {
        Model {
            script: script.to_vec(),
            state: State::Created,
            next_item: 0,
            events: Vec::new(),
        }
    }

    /// `gen.state()` as the README's table names it.
    pub fn state(&self) -> GenState {
        match self.state {
            State::Created => GenState::Created,
            State::Suspended { .. } => GenState::Suspended,
            State::Running { .. } => GenState::Running,
            State::Closed => GenState::Closed,
        }
    }

    /// `gen.is_exhausted()`: finished, or a close is under way.
    pub fn is_exhausted(&self) -> bool {
        matches!(
            self.state,
            State::Closed | State::Running { closing: true, .. }
        )
    }

    /// Whether the body (its closure, before it starts) is still alive: its locals not dropped.
    pub fn body_alive(&self) -> bool {
        self.state != State::Closed
    }

    /// The generator is dropped: the body goes with it (rule I7: no async cleanup).
    pub fn drop_gen(&mut self) -> Expected {
        self.state = State::Closed;
        Expected {
            obs: Obs::Dropped,
            events: Vec::new(),
        }
    }

    /// Calls `method` (handing in value `id` for `asend` / `athrow`), driving its future at most
    /// `polls` times (`None`: to completion).
    pub fn call(&mut self, method: Method, polls: Option<u8>, id: u64) -> Expected {
        self.events.clear();
        let obs = if polls == Some(0) {
            // A step future dropped unpolled does nothing (rule A1; F8's "never polled").
            Obs::NotPolled
        } else {
            self.call_polled(method, polls, id)
        };
        Expected {
            obs,
            events: std::mem::take(&mut self.events),
        }
    }

    fn call_polled(&mut self, method: Method, polls: Option<u8>, id: u64) -> Obs {
        let start = Pos {
            cont: Cont::Script(0),
            wait: 0,
        };
        match method {
            Method::Anext => {
                let end = match self.state {
                    // B1: starts the body.
                    State::Created => self.run(Flight::Normal, start, polls),
                    // B5: resumes the yield point with None / Next.
                    State::Suspended { next_pc, .. } => {
                        self.deliver(Delivery::Next);
                        self.run(Flight::Normal, script_at(next_pc), polls)
                    }
                    // F8 (agen): finishes the interrupted anext / asend.
                    State::Running {
                        closing: false,
                        pos,
                    } => self.run(Flight::Normal, pos, polls),
                    // C3, E10; an interrupted close reads as exhausted and stays as it is.
                    State::Running { closing: true, .. } | State::Closed => {
                        End::Step(StepObs::Exhausted)
                    }
                };
                match end {
                    End::Step(step) => Obs::Next(step),
                    other => self.common(other),
                }
            }
            Method::Asend => {
                let end = match self.state {
                    // B2, B3: handed back, still created.
                    State::Created => return Obs::Sent(Err(SendErrObs::NotStarted(id))),
                    // B4.
                    State::Suspended { next_pc, .. } => {
                        self.deliver(Delivery::Send(id));
                        self.run(Flight::Normal, script_at(next_pc), polls)
                    }
                    // F1 (agen): handed back, the interrupted step untouched.
                    State::Running { .. } => return Obs::Sent(Err(SendErrObs::Running(id))),
                    // B6: handed back.
                    State::Closed => return Obs::Sent(Err(SendErrObs::Exhausted(id))),
                };
                match end {
                    End::Step(step) => Obs::Sent(Ok(step)),
                    other => self.common(other),
                }
            }
            Method::Athrow => {
                let end = match self.state {
                    // D1: the body never runs; D4: a plain yield point does not catch.
                    State::Created | State::Suspended { catching: None, .. } => {
                        self.state = State::Closed;
                        return Obs::Thrown(Err(ThrowErrObs::Uncaught(id)));
                    }
                    // D2, D3: the body catches it, its handler may await.
                    State::Suspended {
                        catching: Some(h),
                        next_pc,
                    } => {
                        self.deliver(Delivery::Throw(id));
                        let pos = Pos {
                            cont: Cont::AfterThrow {
                                on: h.on_throw,
                                next_pc,
                                error: id,
                            },
                            wait: h.throw_wait,
                        };
                        self.run(Flight::Throw, pos, polls)
                    }
                    // F2 (agen): handed back, not delivered.
                    State::Running { .. } => return Obs::Thrown(Err(ThrowErrObs::Running(id))),
                    // D9 (agen's choice, J7): handed back.
                    State::Closed => return Obs::Thrown(Err(ThrowErrObs::Exhausted(id))),
                };
                match end {
                    End::Step(step) => Obs::Thrown(Ok(step)),
                    End::Raised(error) => Obs::Thrown(Err(ThrowErrObs::Uncaught(error))),
                    other => self.common(other),
                }
            }
            Method::Aclose => {
                let end = match self.state {
                    // E1; E2 at a plain yield point (body dropped); an interrupted anext / asend
                    // is dropped; E9 on a closed one.
                    State::Created
                    | State::Suspended { catching: None, .. }
                    | State::Running { closing: false, .. }
                    | State::Closed => {
                        self.state = State::Closed;
                        return Obs::Closed(Ok(None));
                    }
                    // E2–E5: the body sees the close and runs its async cleanup.
                    State::Suspended {
                        catching: Some(h), ..
                    } => {
                        self.deliver(Delivery::Close);
                        let pos = Pos {
                            cont: Cont::AfterClose(h.on_close),
                            wait: h.close_wait,
                        };
                        self.run(Flight::Close, pos, polls)
                    }
                    // An interrupted close goes on where it was.
                    State::Running { closing: true, pos } => self.run(Flight::Close, pos, polls),
                };
                match end {
                    End::CloseResult(result) => Obs::Closed(result),
                    other => self.common(other),
                }
            }
        }
    }

    fn common(&self, end: End) -> Obs {
        match end {
            End::Panicked => Obs::BodyPanicked,
            End::Interrupted => Obs::Interrupted,
            End::Step(_) | End::Raised(_) | End::CloseResult(_) => {
                unreachable!("model: this end belongs to another method")
            }
        }
    }

    fn deliver(&mut self, delivery: Delivery) {
        self.events.push(Event::Delivered(delivery));
    }

    fn fresh_item(&mut self) -> u64 {
        self.next_item += 1;
        self.next_item - 1
    }

    /// Drives the body from `pos` for at most `polls` polls.
    fn run(&mut self, flight: Flight, mut pos: Pos, polls: Option<u8>) -> End {
        let mut done = 0u8;
        loop {
            if polls == Some(done) {
                // The step future is dropped mid-step (F8, agen's choice): anext / asend stay in
                // flight, a close stays under way, an athrow closes the generator.
                self.state = match flight {
                    Flight::Normal => State::Running {
                        closing: false,
                        pos,
                    },
                    Flight::Close => State::Running { closing: true, pos },
                    Flight::Throw => State::Closed,
                };
                return End::Interrupted;
            }
            done += 1;
            match self.poll(&mut pos) {
                Poll1::Pending => continue,
                outcome => return self.finish(flight, outcome),
            }
        }
    }

    /// One poll of the body: runs until it owes a `Pending` or reaches an end of the step.
    fn poll(&mut self, pos: &mut Pos) -> Poll1 {
        loop {
            if pos.wait > 0 {
                pos.wait -= 1;
                return Poll1::Pending;
            }
            match pos.cont {
                Cont::Script(pc) => {
                    let Some(op) = self.script.get(pc).copied() else {
                        return Poll1::Return(self.fresh_item());
                    };
                    match op {
                        Op::Await(k) => {
                            *pos = Pos {
                                cont: Cont::Script(pc + 1),
                                wait: k,
                            }
                        }
                        Op::Yield | Op::Catch(_) => {
                            let catching = match op {
                                Op::Catch(h) => Some(h),
                                _ => None,
                            };
                            return Poll1::Yield {
                                catching,
                                next_pc: pc + 1,
                                item: self.fresh_item(),
                            };
                        }
                        Op::Panic => return Poll1::Panic,
                        Op::Return => return Poll1::Return(self.fresh_item()),
                        Op::Exit => return Poll1::Exit,
                    }
                }
                Cont::AfterThrow { on, next_pc, error } => match on {
                    OnThrow::Resume => *pos = script_at(next_pc),
                    OnThrow::Return => return Poll1::Return(self.fresh_item()),
                    OnThrow::Raise => return Poll1::Raise(error),
                    OnThrow::Panic => return Poll1::Panic,
                },
                Cont::AfterClose(on) => match on {
                    OnClose::Return => return Poll1::Return(self.fresh_item()),
                    OnClose::Exit => return Poll1::Exit,
                    OnClose::Yield => return Poll1::CloseYield(self.fresh_item()),
                    OnClose::Panic => return Poll1::Panic,
                },
            }
        }
    }

    /// What the step comes to when the body reaches `outcome` (README protocol table).
    fn finish(&mut self, flight: Flight, outcome: Poll1) -> End {
        let (state, end) = match (flight, outcome) {
            (_, Poll1::Pending) => unreachable!("model: a pending poll is not an end"),
            // A6 for panics: the generator is closed, the panic propagates.
            (_, Poll1::Panic) => (State::Closed, End::Panicked),
            (
                Flight::Normal | Flight::Throw,
                Poll1::Yield {
                    catching,
                    next_pc,
                    item,
                },
            ) => (
                State::Suspended { catching, next_pc },
                End::Step(StepObs::Yielded(item)),
            ),
            // J9: the return value, once.
            (Flight::Normal | Flight::Throw, Poll1::Return(item)) => {
                (State::Closed, End::Step(StepObs::Returned(item)))
            }
            // `closed!()` outside a close: no return value.
            (Flight::Normal | Flight::Throw, Poll1::Exit) => {
                (State::Closed, End::Step(StepObs::Exhausted))
            }
            // The re-raised error comes back out of the athrow (D4 through a handler).
            (Flight::Throw, Poll1::Raise(error)) => {
                self.events.push(Event::Raised(error));
                (State::Closed, End::Raised(error))
            }
            // E3: the cleanup returned.
            (Flight::Close, Poll1::Return(item)) => {
                (State::Closed, End::CloseResult(Ok(Some(item))))
            }
            // E4: the close propagated.
            (Flight::Close, Poll1::Exit) => (State::Closed, End::CloseResult(Ok(None))),
            // E5, E6 (agen): the item comes back, the body is dropped, the generator closed.
            (Flight::Close, Poll1::CloseYield(item)) => {
                (State::Closed, End::CloseResult(Err(item)))
            }
            (Flight::Normal | Flight::Throw, Poll1::CloseYield(_))
            | (Flight::Close, Poll1::Yield { .. })
            | (Flight::Normal | Flight::Close, Poll1::Raise(_)) => {
                unreachable!(
                    "model: a close handler runs only in a close, a throw handler only in a throw"
                )
            }
        };
        self.state = state;
        end
    }
}

fn script_at(pc: usize) -> Pos {
    Pos {
        cont: Cont::Script(pc),
        wait: 0,
    }
}
