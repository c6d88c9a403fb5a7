//! A pointer that meddles with the generator it points to from inside `deref_mut`, while a
//! delegation (`yield_from_catch!`) is reaching the generator through it: on its `k`-th call it
//! steps the generator itself (a step future polled once and dropped), or replaces it in place
//! with `Pin::set`. The consumer drives the delegating generator through scripts of whole and
//! interrupted steps. Whatever happens (a panic is allowed), no body is dropped twice and none
//! is left alive, under Miri too.

use std::cell::Cell;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use agen_runtime::{
    async_generator, closed, raise, yield_catch, yield_from_catch, AsyncGen, Body, Delegated,
    Resume,
};

#[path = "common/log.rs"]
mod logging;
use logging::yield_now;

fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
}

#[derive(Clone, Default)]
struct Alive(Rc<Cell<i32>>);

struct Token(Rc<Cell<i32>>);

impl Alive {
    fn token(&self) -> Token {
        self.0.set(self.0.get() + 1);
        Token(self.0.clone())
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
        assert!(self.0.get() >= 0, "a body was dropped twice");
    }
}

/// Catches everything, and waits (pending once) in each handler, so that interrupted steps leave
/// it running, throwing or closing. An even error is raised again after the wait.
#[async_generator(yield = u32, send = u32, throw = u32)]
async fn inner(alive: Alive) -> u32 {
    let _token = alive.token();
    let mut n = 0;
    loop {
        match yield_catch!(n) {
            Resume::Next => {
                yield_now().await;
                n += 1;
            }
            Resume::Send(to) => n = to,
            Resume::Throw(error) => {
                yield_now().await;
                if error % 2 == 0 {
                    raise!(error);
                }
                n = error;
            }
            Resume::Close => {
                yield_now().await;
                return n;
            }
        }
    }
}

struct Meddler<G, F> {
    gen: Pin<Box<G>>,
    calls: u32,
    at: u32,
    action: u32,
    fresh: F,
}

impl<G, F> Deref for Meddler<G, F> {
    type Target = Pin<Box<G>>;
    fn deref(&self) -> &Pin<Box<G>> {
        &self.gen
    }
}

impl<B: Body<Send = u32, Throw = u32>, F: FnMut() -> AsyncGen<B>> DerefMut
    for Meddler<AsyncGen<B>, F>
{
    fn deref_mut(&mut self) -> &mut Pin<Box<AsyncGen<B>>> {
        self.calls += 1;
        if self.calls == self.at || self.calls == self.at + 3 {
            let mut gen = self.gen.as_mut();
            match self.action {
                0 => {
                    let _ = poll_once(&mut gen.anext());
                }
                1 => gen.set((self.fresh)()),
                2 => {
                    let _ = poll_once(&mut gen.aclose());
                }
                3 => {
                    let _ = poll_once(&mut gen.athrow(3));
                }
                4 => {
                    let _ = poll_once(&mut gen.asend(7));
                }
                _ => {
                    let _ = poll_once(&mut gen.athrow(4));
                }
            }
        }
        &mut self.gen
    }
}

#[async_generator(yield = u32, send = u32, throw = u32)]
async fn outer(alive: Alive, at: u32, action: u32) -> u32 {
    let _token = alive.token();
    let fresh_alive = alive.clone();
    let again = alive.clone();
    let mut pointer = Pin::new(Meddler {
        gen: Box::pin(inner(alive)),
        calls: 0,
        at,
        action,
        fresh: move || inner(fresh_alive.clone()),
    });
    loop {
        match yield_from_catch!(&mut pointer) {
            Delegated::Returned(value) => {
                if let Resume::Close = yield_catch!(value) {
                    closed!();
                }
            }
            Delegated::Raised(error) => raise!(error),
            Delegated::Closed => closed!(),
        }
        // Delegate again to a fresh generator: the old one has ended.
        (*pointer).as_mut().set(inner(again.clone()));
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Next,
    Send(u32),
    Throw(u32),
    Close,
}

/// Runs `op` on `gen`, to the end or (`whole` false) polled once and dropped.
fn step<B: Body<Send = u32, Throw = u32>>(gen: &mut Pin<&mut AsyncGen<B>>, op: Op, whole: bool) {
    fn drive<F: Future + Unpin>(mut future: F, whole: bool) {
        loop {
            if poll_once(&mut future).is_ready() || !whole {
                return;
            }
        }
    }
    match op {
        Op::Next => drive(gen.anext(), whole),
        Op::Send(value) => drive(gen.asend(value), whole),
        Op::Throw(error) => drive(gen.athrow(error), whole),
        Op::Close => drive(gen.aclose(), whole),
    }
}

#[test]
fn a_pointer_that_steps_or_replaces_its_generator_inside_deref_mut() {
    use Op::*;
    let scripts: &[&[(Op, bool)]] = &[
        &[
            (Next, true),
            (Next, false),
            (Next, true),
            (Send(5), true),
            (Close, true),
        ],
        &[
            (Next, true),
            (Throw(1), false),
            (Next, true),
            (Next, true),
            (Close, false),
            (Close, true),
        ],
        &[(Next, true), (Throw(2), true), (Next, true)],
        &[
            (Next, true),
            (Throw(1), true),
            (Close, false),
            (Next, true),
            (Close, true),
        ],
        &[
            (Next, true),
            (Send(9), true),
            (Throw(2), false),
            (Next, true),
            (Close, true),
        ],
        &[
            (Next, false),
            (Next, false),
            (Send(1), true),
            (Throw(3), true),
            (Close, true),
        ],
        &[
            (Next, true),
            (Close, false),
            (Throw(1), true),
            (Close, false),
            (Close, true),
        ],
    ];
    std::panic::set_hook(Box::new(|_| {}));
    let mut outcomes = std::collections::BTreeMap::<String, u32>::new();
    for at in 1..7 {
        for action in 0..6 {
            for script in scripts {
                let alive = Alive::default();
                let result = catch_unwind(AssertUnwindSafe(|| {
                    let mut gen = pin!(outer(alive.clone(), at, action));
                    for &(op, whole) in *script {
                        step(&mut gen, op, whole);
                    }
                }));
                let key = match result {
                    Ok(()) => "ok".to_string(),
                    Err(panic) => panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default(),
                };
                *outcomes.entry(key).or_default() += 1;
                assert_eq!(
                    alive.0.get(),
                    0,
                    "at {at}, action {action}, {script:?}: a body left alive"
                );
            }
        }
    }
    let _ = std::panic::take_hook();
    println!("{outcomes:#?}");
}
