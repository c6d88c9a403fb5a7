//! Attack (`raise!` and `Delegated::Raised`): a body raises an error out of it wherever it
//! likes, in steps that have no error to hand back (`anext`, `asend`, `aclose`), after an
//! inner generator ended closed, from a `try_finally!` block, from an inner generator that a
//! delegation in catching mode hands back to its body. The runtime must drop the body once and
//! the error once, and report what happened (a panic with a message where no step can return
//! the error), never lose the error or hand it to the wrong step.

use std::cell::Cell;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use agen_runtime::{
    async_generator, closed, raise, try_finally, yield_, yield_catch, yield_from, yield_from_catch,
    Delegated, GenState, Resume, Step, ThrowError,
};

fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
}

async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if std::mem::replace(&mut yielded, true) {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

fn message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Counts what is alive: errors, and the bodies (each holds a `Tracked` across its yields).
#[derive(Clone, Default)]
struct Alive(Rc<Cell<i32>>);

#[derive(Debug)]
struct Tracked(u32, Rc<Cell<i32>>);

impl Alive {
    fn track(&self, n: u32) -> Tracked {
        self.0.set(self.0.get() + 1);
        Tracked(n, self.0.clone())
    }
    fn count(&self) -> i32 {
        self.0.get()
    }
}

impl PartialEq for Tracked {
    fn eq(&self, other: &Tracked) -> bool {
        self.0 == other.0
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.1.set(self.1.get() - 1);
        assert!(self.1.get() >= 0, "dropped twice");
    }
}

/// Raises a fresh error in the step `when` says: after `Resume::Send` (an `asend`), after
/// `Resume::Close` (an `aclose`), after `Resume::Next` (an `anext`).
#[async_generator(yield = u32, send = u32, throw = Tracked)]
async fn raises_in(alive: Alive, on: &'static str) {
    let _body = alive.track(0);
    loop {
        let resume = yield_catch!(1);
        let step = match resume {
            Resume::Next => "anext",
            Resume::Send(_) => "asend",
            Resume::Throw(_) => "athrow",
            Resume::Close => "aclose",
        };
        if step == on {
            yield_now().await;
            raise!(alive.track(9));
        }
    }
}

#[test]
fn raise_in_a_step_that_has_no_error_to_return() {
    let alive = Alive::default();
    for (on, step) in [("anext", 0), ("asend", 1), ("aclose", 2)] {
        let panic = catch_unwind(AssertUnwindSafe(|| {
            run(async {
                let mut gen = pin!(raises_in(alive.clone(), on));
                assert_eq!(gen.anext().await, Step::Yielded(1));
                match step {
                    0 => drop(gen.anext().await),
                    1 => drop(gen.asend(5).await),
                    _ => drop(gen.aclose().await),
                }
            })
        }))
        .expect_err("raise! outside an athrow step");
        assert!(message(panic).contains("outside an athrow step"), "{on}");
        assert_eq!(alive.count(), 0, "{on}");
    }
    // In an athrow: handed back, the thrown error dropped by the body.
    run(async {
        let mut gen = pin!(raises_in(alive.clone(), "athrow"));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        let thrown = gen.athrow(alive.track(3)).await;
        assert_eq!(thrown, Err(ThrowError::Uncaught(alive.track(9))));
        assert_eq!(gen.state(), GenState::Closed);
    });
    assert_eq!(alive.count(), 0);
}

/// An `athrow` whose body is on its way to raising, interrupted and then finished by an `anext`
/// is impossible: dropping the `athrow` closes the generator. Resuming an interrupted `anext`
/// whose body then raises panics as above.
#[test]
fn raise_in_an_interrupted_step() {
    let alive = Alive::default();
    run(async {
        let mut gen = pin!(raises_in(alive.clone(), "athrow"));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        let mut throw = gen.athrow(alive.track(3));
        assert!(poll_once(&mut throw).is_pending());
        drop(throw);
        assert_eq!(gen.state(), GenState::Closed);
        assert_eq!(gen.anext().await, Step::Exhausted);
    });
    assert_eq!(alive.count(), 0);
    let panic = catch_unwind(AssertUnwindSafe(|| {
        run(async {
            let mut gen = pin!(raises_in(alive.clone(), "anext"));
            assert_eq!(gen.anext().await, Step::Yielded(1));
            let mut next = gen.anext();
            assert!(poll_once(&mut next).is_pending());
            drop(next);
            assert_eq!(gen.state(), GenState::Running);
            let _ = gen.asend(1).await; // refused: the step is unfinished
            gen.anext().await
        })
    }))
    .expect_err("the interrupted anext raises");
    assert!(message(panic).contains("outside an athrow step"));
    assert_eq!(alive.count(), 0);
}

/// An inner generator that raises in whatever step reaches it.
#[async_generator(yield = u32, send = u32, throw = Tracked)]
async fn inner_raising(alive: Alive, on: &'static str) -> u32 {
    let _body = alive.track(0);
    loop {
        let step = match yield_catch!(10) {
            Resume::Next => "anext",
            Resume::Send(_) => "asend",
            Resume::Throw(_) => "athrow",
            Resume::Close => "aclose",
        };
        if step == on {
            yield_now().await;
            raise!(alive.track(7));
        }
    }
}

#[test]
fn an_inner_that_raises_under_catching_delegation_in_every_step() {
    #[async_generator(yield = u32, send = u32, throw = Tracked)]
    async fn outer(alive: Alive, on: &'static str) -> u32 {
        let _body = alive.track(0);
        match yield_from_catch!(inner_raising(alive.clone(), on)) {
            Delegated::Raised(error) => {
                // The delegating body has the error, in whatever step the inner raised it.
                yield_!(error.0 + 100);
                error.0
            }
            Delegated::Returned(n) => n,
            Delegated::Closed => closed!(),
        }
    }
    let alive = Alive::default();
    // In an `athrow` step the inner may raise: the delegating body gets the error.
    run(async {
        let mut gen = pin!(outer(alive.clone(), "athrow"));
        assert_eq!(gen.anext().await, Step::Yielded(10));
        assert_eq!(gen.athrow(alive.track(2)).await, Ok(Step::Yielded(107)));
        assert_eq!(gen.anext().await, Step::Returned(7));
    });
    assert_eq!(alive.count(), 0, "athrow");
    // In any other step there is no `athrow` to hand the error back: the same panic as for a
    // generator driven directly, whichever delegation drives it.
    for on in ["anext", "asend", "aclose"] {
        let panic = catch_unwind(AssertUnwindSafe(|| {
            run(async {
                let mut gen = pin!(outer(alive.clone(), on));
                assert_eq!(gen.anext().await, Step::Yielded(10));
                match on {
                    "anext" => drop(gen.anext().await),
                    "asend" => drop(gen.asend(1).await),
                    _ => drop(gen.aclose().await),
                }
            })
        }))
        .expect_err("the inner raised outside an athrow step");
        assert!(message(panic).contains("outside an athrow step"), "{on}");
        assert_eq!(alive.count(), 0, "{on}");
    }
}

#[test]
fn an_inner_that_raises_under_propagating_delegation_in_every_step() {
    #[async_generator(yield = u32, send = u32, throw = Tracked)]
    async fn outer(alive: Alive, on: &'static str) -> u32 {
        let _body = alive.track(0);
        yield_from!(inner_raising(alive.clone(), on))
    }
    let alive = Alive::default();
    for on in ["anext", "asend", "aclose"] {
        let panic = catch_unwind(AssertUnwindSafe(|| {
            run(async {
                let mut gen = pin!(outer(alive.clone(), on));
                assert_eq!(gen.anext().await, Step::Yielded(10));
                match on {
                    "anext" => drop(gen.anext().await),
                    "asend" => drop(gen.asend(1).await),
                    _ => drop(gen.aclose().await),
                }
            })
        }))
        .expect_err("raised out of the outer outside an athrow step");
        assert!(message(panic).contains("outside an athrow step"), "{on}");
        assert_eq!(alive.count(), 0, "{on}");
    }
    run(async {
        let mut gen = pin!(outer(alive.clone(), "athrow"));
        assert_eq!(gen.anext().await, Step::Yielded(10));
        let thrown = gen.athrow(alive.track(2)).await;
        assert_eq!(thrown, Err(ThrowError::Uncaught(alive.track(7))));
    });
    assert_eq!(alive.count(), 0);
}

/// After a forwarded close ended the inner (`Delegated::Closed`), the body is in the `aclose`:
/// raising there has no error to hand back.
#[test]
fn raise_after_the_inner_ended_closed() {
    #[async_generator(yield = u32, send = u32, throw = Tracked)]
    async fn outer(alive: Alive) -> u32 {
        let _body = alive.track(0);
        let inner = agen_runtime::async_gen!(yield = u32, send = u32, throw = Tracked, return = u32 => {
            loop {
                if let Resume::Close = yield_catch!(10) {
                    yield_now().await;
                    return 0;
                }
            }
        });
        match yield_from_catch!(inner) {
            Delegated::Closed => {
                yield_now().await;
                raise!(alive.track(5))
            }
            _ => 0,
        }
    }
    let alive = Alive::default();
    let panic = catch_unwind(AssertUnwindSafe(|| {
        run(async {
            let mut gen = pin!(outer(alive.clone()));
            assert_eq!(gen.anext().await, Step::Yielded(10));
            gen.aclose().await
        })
    }))
    .expect_err("raise! in the aclose step");
    assert!(message(panic).contains("outside an athrow step"));
    assert_eq!(alive.count(), 0);
}

/// `raise!` and a thrown error leaving a `try_finally!` block, in every step: the `finally` block
/// runs, then the error goes on out of the body.
#[test]
fn raise_through_a_finally_block() {
    #[async_generator(yield = u32, send = u32, throw = Tracked)]
    async fn gen(alive: Alive, finally_ran: Rc<Cell<u32>>) {
        let _body = alive.track(0);
        try_finally! {
            try {
                let sent = yield_!(1);
                if sent == Some(1) {
                    raise!(alive.track(4));
                }
                yield_!(2);
            } finally {
                yield_now().await;
                finally_ran.set(finally_ran.get() + 1);
            }
        }
    }
    let alive = Alive::default();
    let finally_ran = Rc::new(Cell::new(0));
    // A throw at the plain yield point, now catching: the finally block runs, the error comes
    // back uncaught.
    run(async {
        let mut g = pin!(gen(alive.clone(), finally_ran.clone()));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(
            g.athrow(alive.track(3)).await,
            Err(ThrowError::Uncaught(alive.track(3)))
        );
    });
    assert_eq!((alive.count(), finally_ran.get()), (0, 1));
    // raise! in an asend step: the finally block runs, then the raise panics.
    let panic = catch_unwind(AssertUnwindSafe(|| {
        run(async {
            let mut g = pin!(gen(alive.clone(), finally_ran.clone()));
            assert_eq!(g.anext().await, Step::Yielded(1));
            g.asend(1).await
        })
    }))
    .expect_err("raise! in an asend step");
    assert!(message(panic).contains("outside an athrow step"));
    assert_eq!((alive.count(), finally_ran.get()), (0, 2));
}
