//! Attack (generators behind pointers of the user's own): `Pin<P>` is a generator for any
//! `P: DerefMut` whose target is one, and `Pin::new` builds one safely whenever that target is
//! `Unpin`, which a `Pin<Box<AsyncGen<_>>>` is. So a pointer type whose `deref_mut` does anything
//! at all is a delegation's operand, a loop's, or `aclosing`'s, and delegation calls it on every
//! poll: it may hand out another generator each time, replace the one it holds, or panic.
//!
//! Whatever it does, the runtime only ever sees a pinned generator of the right type for the
//! length of one call. Each test checks that a misbehaving pointer ends in the runtime's own
//! checks (a panic with a message, or a protocol answer), never in a generator polled in a state
//! it is not in, and that every body is dropped exactly once. Run under Miri too.

use std::cell::Cell;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use agen_runtime::{
    aclosing, async_generator, closed, for_await, raise, yield_catch, yield_from, yield_from_catch,
    AsyncGen, Body, Delegated, GenState, PinnedGenerator, Resume, Step, ThrowError,
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

/// Counts the bodies alive: each generator holds one of these across its yields.
#[derive(Clone, Default)]
struct Alive(Rc<Cell<i32>>);

struct Token(Rc<Cell<i32>>);

impl Alive {
    fn token(&self) -> Token {
        self.0.set(self.0.get() + 1);
        Token(self.0.clone())
    }
    fn count(&self) -> i32 {
        self.0.get()
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
        assert!(self.0.get() >= 0, "a body was dropped twice");
    }
}

/// Yields `base`, `base + 1`, …; a send jumps, a throw is answered, a close runs async cleanup.
#[async_generator(yield = u32, send = u32, throw = u32)]
async fn counter(base: u32, alive: Alive) -> u32 {
    let _token = alive.token();
    let mut n = base;
    loop {
        match yield_catch!(n) {
            Resume::Next => n += 1,
            Resume::Send(to) => n = to,
            Resume::Throw(answer) => n = answer,
            Resume::Close => {
                yield_now().await;
                return n;
            }
        }
    }
}

/// A pointer that hands out one of two boxed generators, the other one on every `deref_mut`.
struct Flip<G> {
    gens: [Pin<Box<G>>; 2],
    calls: usize,
}

impl<G> Deref for Flip<G> {
    type Target = Pin<Box<G>>;
    fn deref(&self) -> &Pin<Box<G>> {
        &self.gens[self.calls % 2]
    }
}

impl<G> DerefMut for Flip<G> {
    fn deref_mut(&mut self) -> &mut Pin<Box<G>> {
        self.calls += 1;
        &mut self.gens[self.calls % 2]
    }
}

#[async_generator(yield = u32, send = u32, throw = u32)]
async fn through_flip(alive: Alive) -> u32 {
    let flip = Flip {
        gens: [
            Box::pin(counter(0, alive.clone())),
            Box::pin(counter(100, alive)),
        ],
        calls: 0,
    };
    yield_from!(Pin::new(flip))
}

#[test]
fn delegation_through_a_pointer_that_alternates_between_two_generators() {
    let alive = Alive::default();
    // `anext` only: each poll of the delegation starts or resumes whichever generator the
    // pointer hands out; each is created or at a yield point, and is stepped as it is.
    run(async {
        let mut gen = pin!(through_flip(alive.clone()));
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push(gen.anext().await.yielded().unwrap());
        }
        assert_eq!(seen, [100, 0, 101, 1]);
        // The close reaches the generator handed out then, whose cleanup is pending once; the
        // next poll of the close gets the other one, at a yield point, which is polled with
        // nothing and stays there; the one after finishes the first one's cleanup.
        assert_eq!(gen.aclose().await, Ok(None));
        assert_eq!(gen.state(), GenState::Closed);
    });
    assert_eq!(alive.count(), 0);

    // A send on the second step reaches the generator that was never started.
    let panic = catch_unwind(AssertUnwindSafe(|| {
        run(async {
            let mut gen = pin!(through_flip(alive.clone()));
            assert_eq!(gen.anext().await, Step::Yielded(100));
            let _ = gen.asend(7).await;
        })
    }))
    .expect_err("a send forwarded to a generator that is not suspended");
    assert!(message(panic).contains("not suspended"));
    assert_eq!(alive.count(), 0);
}

/// A pointer that drops the generator it holds and makes a new one on every `deref_mut` after
/// the first `keep`.
struct Fresh<G, F: FnMut() -> Pin<Box<G>>> {
    gen: Pin<Box<G>>,
    make: F,
    keep: u32,
}

impl<G, F: FnMut() -> Pin<Box<G>>> Deref for Fresh<G, F> {
    type Target = Pin<Box<G>>;
    fn deref(&self) -> &Pin<Box<G>> {
        &self.gen
    }
}

impl<G, F: FnMut() -> Pin<Box<G>>> DerefMut for Fresh<G, F> {
    fn deref_mut(&mut self) -> &mut Pin<Box<G>> {
        if self.keep == 0 {
            self.gen = (self.make)();
        } else {
            self.keep -= 1;
        }
        &mut self.gen
    }
}

#[async_generator(yield = u32, send = u32, throw = u32)]
async fn through_fresh(alive: Alive, keep: u32) -> u32 {
    let mut base = 0;
    let fresh = Fresh {
        gen: Box::pin(counter(0, alive.clone())),
        make: move || {
            base += 10;
            Box::pin(counter(base, alive.clone()))
        },
        keep,
    };
    yield_from!(Pin::new(fresh))
}

#[test]
fn delegation_through_a_pointer_that_replaces_its_generator_between_polls() {
    let alive = Alive::default();
    run(async {
        let mut gen = pin!(through_fresh(alive.clone(), 1));
        assert_eq!(gen.anext().await, Step::Yielded(0));
        // The generator that yielded 0 is dropped by the next `deref_mut`; a created one is
        // started in its place.
        assert_eq!(gen.anext().await, Step::Yielded(10));
        assert_eq!(alive.count(), 1);
        assert_eq!(gen.anext().await, Step::Yielded(20));
    });
    assert_eq!(alive.count(), 0);

    // A close whose cleanup is pending, then a created generator on the next poll of the close:
    // the runtime refuses to poll a body that is not live.
    let panic = catch_unwind(AssertUnwindSafe(|| {
        run(async {
            let mut gen = pin!(through_fresh(alive.clone(), 2));
            assert_eq!(gen.anext().await, Step::Yielded(0));
            let _ = gen.aclose().await;
        })
    }))
    .expect_err("a close resumed on a generator that never started");
    assert!(message(panic).contains("polled again"), "{}", "message");
    assert_eq!(alive.count(), 0);

    // A throw forwarded to a created generator.
    let panic = catch_unwind(AssertUnwindSafe(|| {
        run(async {
            let mut gen = pin!(through_fresh(alive.clone(), 1));
            assert_eq!(gen.anext().await, Step::Yielded(0));
            let _ = gen.athrow(5).await;
        })
    }))
    .expect_err("a throw forwarded to a generator that is not suspended");
    assert!(message(panic).contains("not suspended"));
    assert_eq!(alive.count(), 0);
}

/// A pointer whose `deref_mut` panics on its `n`-th call.
struct Fragile<G> {
    gen: Pin<Box<G>>,
    calls_left: u32,
}

impl<G> Deref for Fragile<G> {
    type Target = Pin<Box<G>>;
    fn deref(&self) -> &Pin<Box<G>> {
        &self.gen
    }
}

impl<G> DerefMut for Fragile<G> {
    fn deref_mut(&mut self) -> &mut Pin<Box<G>> {
        if self.calls_left == 0 {
            panic!("deref_mut panicked");
        }
        self.calls_left -= 1;
        &mut self.gen
    }
}

#[async_generator(yield = u32, send = u32, throw = u32)]
async fn through_fragile(alive: Alive, calls: u32) -> u32 {
    let _token = alive.token();
    let fragile = Fragile {
        gen: Box::pin(counter(0, alive)),
        calls_left: calls,
    };
    yield_from!(Pin::new(fragile))
}

#[test]
fn a_pointer_that_panics_in_deref_mut_at_every_step_of_a_delegation() {
    let alive = Alive::default();
    // Panics on the first, second, … call: at the start, on a send, a throw, inside a close
    // whose cleanup is pending.
    for calls in 0..5 {
        let panic = catch_unwind(AssertUnwindSafe(|| {
            run(async {
                let mut gen = pin!(through_fragile(alive.clone(), calls));
                assert_eq!(gen.anext().await, Step::Yielded(0));
                assert_eq!(gen.asend(5).await, Ok(Step::Yielded(5)));
                assert_eq!(gen.athrow(9).await, Ok(Step::Yielded(9)));
                let _ = gen.aclose().await;
            })
        }));
        if calls < 5 {
            assert_eq!(
                message(panic.expect_err("the pointer panics")),
                "deref_mut panicked"
            );
        }
        assert_eq!(alive.count(), 0, "after a panic on call {calls}");
    }
}

#[test]
fn a_pointer_that_panics_in_deref_mut_in_a_loop_and_in_aclosing() {
    let alive = Alive::default();
    for calls in 0..4 {
        let panic = catch_unwind(AssertUnwindSafe(|| {
            run(async {
                let fragile = Pin::new(Fragile {
                    gen: Box::pin(counter(0, alive.clone())),
                    calls_left: calls,
                });
                for_await!(for n in fragile {
                    if n == 1 {
                        break; // the close calls `deref_mut` once more
                    }
                });
            })
        }));
        assert!(panic.is_err() || calls >= 3);
        assert_eq!(alive.count(), 0);
    }
    for calls in 0..2 {
        let panic = catch_unwind(AssertUnwindSafe(|| {
            run(async {
                let fragile = Pin::new(Fragile {
                    gen: Box::pin(counter(0, alive.clone())),
                    calls_left: calls,
                });
                aclosing(fragile, async |mut gen| gen.anext().await).await
            })
        }));
        if calls == 0 {
            panic.expect_err("the pointer panics before the scope");
        } else {
            assert_eq!(panic.unwrap().close, Ok(Some(0)));
        }
        assert_eq!(alive.count(), 0);
    }
}

/// The inner generator the delegation borrows is caught mid-step when the outer's step future
/// is dropped: the outer is closed (an `athrow`) or left running (an `asend`), and the inner,
/// which belongs to the caller, is left where its body was.
#[test]
fn a_borrowed_inner_left_in_the_middle_of_a_forwarded_step() {
    #[async_generator(yield = u32, send = u32, throw = u32)]
    async fn slow(alive: Alive) -> u32 {
        let _token = alive.token();
        let mut n = 0;
        loop {
            match yield_catch!(n) {
                Resume::Next => n += 1,
                Resume::Send(to) => {
                    yield_now().await;
                    n = to;
                }
                Resume::Throw(error) => {
                    yield_now().await;
                    raise!(error);
                }
                Resume::Close => {
                    yield_now().await;
                    return n;
                }
            }
        }
    }
    #[async_generator(yield = u32, send = u32, throw = u32)]
    async fn outer<'a, B>(inner: Pin<&'a mut AsyncGen<B>>) -> u32
    where
        B: Body<Yield = u32, Send = u32, Throw = u32, Return = u32> + 'a,
    {
        yield_from!(inner)
    }
    let alive = Alive::default();

    // A forwarded send, interrupted: the outer is left running; the inner's next `anext`
    // finishes the send.
    {
        let mut inner = pin!(slow(alive.clone()));
        {
            let mut gen = pin!(outer(inner.as_mut()));
            assert_eq!(run(gen.anext()), Step::Yielded(0));
            let mut send = gen.asend(4);
            assert!(poll_once(&mut send).is_pending());
        }
        assert_eq!(inner.state(), GenState::Running);
        assert_eq!(run(inner.anext()), Step::Yielded(4));
    }
    assert_eq!(alive.count(), 0);

    // A forwarded close, interrupted: the inner is left closing, and its own `aclose` finishes it.
    {
        let mut inner = pin!(slow(alive.clone()));
        {
            let mut gen = pin!(outer(inner.as_mut()));
            assert_eq!(run(gen.anext()), Step::Yielded(0));
            let mut close = gen.aclose();
            assert!(poll_once(&mut close).is_pending());
        }
        assert_eq!(inner.state(), GenState::Running);
        assert_eq!(run(inner.anext()), Step::Exhausted);
        assert_eq!(run(inner.aclose()), Ok(Some(0)));
    }
    assert_eq!(alive.count(), 0);

    // A forwarded throw, interrupted: the outer's `athrow` is dropped, which closes the outer,
    // and closes the borrowed inner too, as an interrupted `athrow` closes a generator driven
    // directly: the error in its body is dropped with it, and nothing is left to raise it later.
    {
        let mut inner = pin!(slow(alive.clone()));
        {
            let mut gen = pin!(outer(inner.as_mut()));
            assert_eq!(run(gen.anext()), Step::Yielded(0));
            let mut throw = gen.athrow(3);
            assert!(poll_once(&mut throw).is_pending());
            drop(throw);
            assert_eq!(gen.state(), GenState::Closed);
        }
        assert_eq!(inner.state(), GenState::Closed);
        assert_eq!(alive.count(), 0);
        assert_eq!(run(inner.anext()), Step::Exhausted);
        assert_eq!(run(inner.athrow(8)), Err(ThrowError::Exhausted(8)));
    }
    assert_eq!(alive.count(), 0);
}

/// `yield_from_catch!` through a pointer: after the inner raised or was closed, the delegating
/// body goes on with the pointer it still holds, and delegates to it again.
#[test]
fn delegating_again_to_a_borrowed_generator_after_it_raised_or_closed() {
    #[async_generator(yield = u32, send = u32, throw = u32)]
    async fn outer(alive: Alive) -> u32 {
        let mut inner = Box::pin(counter(0, alive.clone()));
        let mut plain = Box::pin(
            agen_runtime::async_gen!(yield = u32, send = u32, throw = u32, return = u32 => {
                let _token = alive.token();
                yield 50;
                7
            }),
        );
        // A throw at a plain yield point ends the inner: raised, then delegated to again.
        match yield_from_catch!(&mut plain) {
            Delegated::Raised(error) => assert_eq!(error, 1),
            _ => unreachable!(),
        }
        assert_eq!(plain.state(), GenState::Closed);
        match yield_from_catch!(inner.as_mut()) {
            Delegated::Returned(n) => n,
            Delegated::Raised(error) => error,
            Delegated::Closed => {
                assert_eq!(inner.state(), GenState::Closed);
                closed!()
            }
        }
    }
    let alive = Alive::default();
    run(async {
        let mut gen = pin!(outer(alive.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(50));
        assert_eq!(gen.athrow(1).await, Ok(Step::Yielded(0)));
        assert_eq!(gen.asend(4).await, Ok(Step::Yielded(4)));
        assert_eq!(gen.aclose().await, Ok(None));
    });
    assert_eq!(alive.count(), 0);
}

/// Yields `0`, `1`, …, waiting (pending once) before each item after the first; a send jumps,
/// a close runs async cleanup.
#[async_generator(yield = u32, send = u32, throw = u32)]
async fn paced(alive: Alive) -> u32 {
    let _token = alive.token();
    let mut n = 0;
    loop {
        match yield_catch!(n) {
            Resume::Next => {
                yield_now().await;
                n += 1;
            }
            Resume::Send(to) => n = to,
            Resume::Throw(answer) => n = answer,
            Resume::Close => {
                yield_now().await;
                return n;
            }
        }
    }
}

/// Delegation to a generator the delegating body borrows, in every state the body can leave it
/// in before delegating: created, suspended, running (an interrupted `anext`), closing (an
/// interrupted `aclose`), closed.
#[test]
fn delegation_to_a_borrowed_generator_in_every_state() {
    #[async_generator(yield = u32, send = u32, throw = u32)]
    async fn outer(alive: Alive, state: &'static str) -> u32 {
        let _body = alive.token();
        let mut inner = pin!(paced(alive.clone()));
        match state {
            "created" => {}
            "suspended" => assert_eq!(inner.anext().await, Step::Yielded(0)),
            "running" => {
                assert_eq!(inner.anext().await, Step::Yielded(0));
                let mut next = inner.anext();
                assert!(poll_once(&mut next).is_pending());
                drop(next);
                assert_eq!(inner.state(), GenState::Running);
            }
            "closing" => {
                assert_eq!(inner.anext().await, Step::Yielded(0));
                let mut close = inner.aclose();
                assert!(poll_once(&mut close).is_pending());
                drop(close);
                assert_eq!(inner.state(), GenState::Running);
            }
            _ => {
                let _ = inner.aclose().await;
                assert_eq!(inner.state(), GenState::Closed);
            }
        }
        let returned = yield_from!(inner.as_mut());
        assert_eq!(inner.state(), GenState::Closed);
        returned
    }
    let alive = Alive::default();
    // The delegation starts the created one, resumes the suspended one with `Next`, and
    // finishes the interrupted `anext` of the running one.
    for (state, first) in [("created", 0), ("suspended", 1), ("running", 1)] {
        run(async {
            let mut gen = pin!(outer(alive.clone(), state));
            assert_eq!(gen.anext().await, Step::Yielded(first));
            assert_eq!(gen.asend(7).await, Ok(Step::Yielded(7)));
            assert_eq!(gen.aclose().await, Ok(None));
        });
        assert_eq!(alive.count(), 0, "{state}");
    }
    for state in ["closing", "closed"] {
        let panic = catch_unwind(AssertUnwindSafe(|| {
            run(async {
                let mut gen = pin!(outer(alive.clone(), state));
                gen.anext().await
            })
        }))
        .expect_err("delegation to a generator with no return value left");
        assert!(
            message(panic).contains("exhausted or being closed"),
            "{state}"
        );
        assert_eq!(alive.count(), 0, "{state}");
    }
}
