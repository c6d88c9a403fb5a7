//! `yield_from!`: delegation to another generator or a stream (rule J11, PEP 380).

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use futures_core::Stream;

use agen_runtime::{
    async_generator, closed, raise, yield_, yield_catch, yield_from, yield_from_catch,
    CloseIgnored, Delegated, GenState, Resume, Step, ThrowError,
};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn entries(log: &Log) -> Vec<String> {
    log.borrow().clone()
}

#[derive(Debug, Clone, PartialEq)]
enum Fault {
    Soft,
    Hard,
}

/// Yields 1 and 2 at plain yield points, then returns how many values it was sent.
#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn plain_inner(log: Log) -> u32 {
    let mut sent = 0;
    for item in [1, 2] {
        if let Some(value) = yield_!(item) {
            log.borrow_mut().push(format!("inner got {value}"));
            sent += 1;
        }
    }
    sent
}

/// Yields 10 at a catching yield point until resumed with something else than `Next`:
/// `Soft` is logged and retried, `Hard` returns 99, a close runs async cleanup.
#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn catching_inner(log: Log) -> u32 {
    loop {
        match yield_catch!(10) {
            Resume::Next => {}
            Resume::Send(value) => return value,
            Resume::Throw(Fault::Soft) => log.borrow_mut().push("inner caught soft".into()),
            Resume::Throw(Fault::Hard) => return 99,
            Resume::Close => {
                tokio::task::yield_now().await;
                log.borrow_mut().push("inner cleanup".into());
                return 0;
            }
        }
    }
}

/// Yields 0, delegates to `inner`, yields what the delegation evaluated to, and returns it.
macro_rules! outer {
    ($name:ident, $inner:expr) => {
        #[async_generator(yield = u32, send = u32, throw = Fault)]
        async fn $name(log: Log) -> u32 {
            yield_!(0);
            let returned = yield_from!($inner(log.clone()));
            log.borrow_mut()
                .push(format!("delegation returned {returned}"));
            yield_!(returned + 1000);
            returned
        }
    };
}

outer!(outer_plain, plain_inner);
outer!(outer_catching, catching_inner);

#[tokio::test]
async fn j11_inner_items_flow_out_and_yield_from_evaluates_to_the_inner_return_value() {
    let log = log();
    let mut gen = pin!(outer_plain(log.clone()));
    let mut items = Vec::new();
    let returned = loop {
        match gen.anext().await {
            Step::Yielded(item) => items.push(item),
            Step::Returned(value) => break value,
            Step::Exhausted => unreachable!(),
        }
    };
    assert_eq!(items, [0, 1, 2, 1000]);
    assert_eq!(returned, 0);
    assert_eq!(entries(&log), ["delegation returned 0"]);
}

#[tokio::test]
async fn j11_asend_is_forwarded_to_the_inner_generator() {
    let log = log();
    let mut gen = pin!(outer_plain(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.asend(7).await, Ok(Step::Yielded(2)));
    assert_eq!(gen.asend(8).await, Ok(Step::Yielded(1002)));
    assert_eq!(gen.anext().await, Step::Returned(2));
    assert_eq!(
        entries(&log),
        ["inner got 7", "inner got 8", "delegation returned 2"]
    );
}

#[tokio::test]
async fn j11_a_throw_the_inner_catches_keeps_the_delegation_going() {
    let log = log();
    let mut gen = pin!(outer_catching(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.anext().await, Step::Yielded(10));
    assert_eq!(gen.athrow(Fault::Soft).await, Ok(Step::Yielded(10)));
    assert_eq!(gen.state(), GenState::Suspended);
    assert_eq!(entries(&log), ["inner caught soft"]);
}

#[tokio::test]
async fn j11_an_inner_that_returns_on_a_throw_ends_the_delegation_with_that_value() {
    let log = log();
    let mut gen = pin!(outer_catching(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.anext().await, Step::Yielded(10));
    assert_eq!(gen.athrow(Fault::Hard).await, Ok(Step::Yielded(1099)));
    assert_eq!(entries(&log), ["delegation returned 99"]);
}

#[tokio::test]
async fn j11_a_throw_the_inner_does_not_catch_propagates_out_of_the_outer() {
    let log = log();
    let mut gen = pin!(outer_plain(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(
        gen.athrow(Fault::Hard).await,
        Err(ThrowError::Uncaught(Fault::Hard))
    );
    assert_eq!(gen.state(), GenState::Closed);
    assert_eq!(gen.anext().await, Step::Exhausted);
    assert_eq!(
        entries(&log),
        Vec::<String>::new(),
        "no code ran after the throw"
    );
}

#[tokio::test]
async fn j11_aclose_runs_the_inner_async_cleanup_then_closes_the_outer() {
    let log = log();
    let mut gen = pin!(outer_catching(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.anext().await, Step::Yielded(10));
    assert_eq!(gen.aclose().await, Ok(None));
    assert_eq!(
        entries(&log),
        ["inner cleanup"],
        "cleanup ran before aclose returned"
    );
    assert_eq!(gen.state(), GenState::Closed);
}

#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn stubborn_inner() {
    loop {
        if let Resume::Close = yield_catch!(1) {
            // Yielding while being closed: Python's "ignored GeneratorExit".
            yield_!(666);
        }
    }
}

#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn outer_of_stubborn() {
    yield_from!(stubborn_inner());
}

#[tokio::test]
async fn e5_an_item_the_inner_yields_while_closed_comes_back_from_the_outer_aclose() {
    let mut gen = pin!(outer_of_stubborn());
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.aclose().await, Err(CloseIgnored(666)));
    assert_eq!(gen.state(), GenState::Closed);
}

#[async_generator(yield = u32)]
async fn panicking_inner(dropped: Log) {
    let _guard = Guard("inner local", dropped);
    yield_!(1);
    panic!("inner failed");
}

#[async_generator(yield = u32)]
async fn outer_of_panicking(dropped: Log) {
    let _guard = Guard("outer local", dropped.clone());
    yield_from!(panicking_inner(dropped));
}

struct Guard(&'static str, Log);

impl Drop for Guard {
    fn drop(&mut self) {
        self.1.borrow_mut().push(self.0.to_string());
    }
}

#[tokio::test]
async fn j11_a_panic_in_the_inner_propagates_and_closes_both_generators() {
    let dropped = log();
    let mut gen = pin!(outer_of_panicking(dropped.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        let _ = futures_executor_lite(gen.anext());
    }));
    assert!(panicked.is_err());
    assert_eq!(gen.state(), GenState::Closed);
    assert_eq!(
        entries(&dropped),
        ["inner local", "outer local"],
        "each dropped once"
    );
    assert_eq!(gen.anext().await, Step::Exhausted);
}

/// Polls a future that completes without waiting, on this thread.
fn futures_executor_lite<F: std::future::Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => out,
        std::task::Poll::Pending => panic!("the future was expected to complete at once"),
    }
}

#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn level_c(log: Log) -> &'static str {
    loop {
        match yield_catch!(3) {
            Resume::Next => {}
            Resume::Send(value) => log.borrow_mut().push(format!("c got {value}")),
            Resume::Throw(fault) => log.borrow_mut().push(format!("c caught {fault:?}")),
            Resume::Close => {
                tokio::task::yield_now().await;
                log.borrow_mut().push("c cleanup".into());
                return "c closed";
            }
        }
    }
}

#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn level_b(log: Log) -> &'static str {
    yield_from!(level_c(log))
}

#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn level_a(log: Log) -> &'static str {
    yield_from!(level_b(log))
}

#[tokio::test]
async fn j11_three_levels_forward_send_throw_and_close_to_the_innermost() {
    let log = log();
    let mut gen = pin!(level_a(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(3));
    assert_eq!(gen.asend(5).await, Ok(Step::Yielded(3)));
    assert_eq!(gen.athrow(Fault::Soft).await, Ok(Step::Yielded(3)));
    assert_eq!(gen.aclose().await, Ok(None));
    assert_eq!(entries(&log), ["c got 5", "c caught Soft", "c cleanup"]);
}

struct Counted {
    next: u32,
    end: u32,
    dropped: Log,
}

impl futures_core::Stream for Counted {
    type Item = u32;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<u32>> {
        let item = (self.next < self.end).then_some(self.next);
        self.next += 1;
        std::task::Poll::Ready(item)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.dropped.borrow_mut().push("stream dropped".into());
    }
}

#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn over_stream(log: Log) {
    yield_from!(Counted {
        next: 0,
        end: 3,
        dropped: log.clone(),
    });
    log.borrow_mut().push("after the stream".into());
}

#[tokio::test]
async fn j11_a_stream_delegate_yields_its_items_and_drops_sent_values() {
    let log = log();
    let mut gen = pin!(over_stream(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.asend(42).await, Ok(Step::Yielded(1)));
    assert_eq!(gen.anext().await, Step::Yielded(2));
    assert_eq!(gen.anext().await, Step::Returned(()));
    assert_eq!(entries(&log), ["stream dropped", "after the stream"]);
}

#[tokio::test]
async fn j11_a_throw_while_delegating_to_a_stream_is_raised_out_of_the_outer() {
    let log = log();
    let mut gen = pin!(over_stream(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(
        gen.athrow(Fault::Soft).await,
        Err(ThrowError::Uncaught(Fault::Soft))
    );
    assert_eq!(entries(&log), ["stream dropped"]);
}

#[tokio::test]
async fn j11_a_close_while_delegating_to_a_stream_drops_it() {
    let log = log();
    let mut gen = pin!(over_stream(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.aclose().await, Ok(None));
    assert_eq!(entries(&log), ["stream dropped"]);
}

/// `Pending` once; on that poll it wakes a clone of its waker by value, and the waker itself by
/// reference.
struct WakeTwiceThenReady {
    pended: bool,
}

impl std::future::Future for WakeTwiceThenReady {
    type Output = ();

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.pended, true) {
            return Poll::Ready(());
        }
        // On purpose: a clone woken by value goes through the clone's own vtable.
        #[allow(clippy::waker_clone_wake)]
        cx.waker().clone().wake();
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[async_generator(yield = u32)]
async fn waking_inner() {
    WakeTwiceThenReady { pended: false }.await;
    yield_!(1);
}

#[async_generator(yield = u32)]
async fn waking_middle() {
    yield_from!(waking_inner());
}

#[async_generator(yield = u32)]
async fn waking_outer() {
    yield_from!(waking_middle());
}

#[test]
fn a4_wakes_two_delegations_deep_reach_the_consumers_own_waker() {
    struct CountingWaker(AtomicUsize);
    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    let mut g = pin!(waking_outer());
    assert_eq!(g.as_mut().poll_next(&mut cx), Poll::Pending);
    assert_eq!(
        counter.0.load(Ordering::SeqCst),
        2,
        "a clone woken by value and the waker woken by reference both reach the consumer's waker"
    );
    assert_eq!(g.as_mut().poll_next(&mut cx), Poll::Ready(Some(1)));
    assert_eq!(g.as_mut().poll_next(&mut cx), Poll::Ready(None));
    assert_eq!(
        Arc::strong_count(&counter),
        2,
        "no clone of the waker leaked"
    );
}

// `yield_from_catch!`: the delegating body sees how the delegation ended (PEP 380 with `try`
// around `yield from`), and decides what the step that ended it returns.

/// Delegates to `plain_inner` (which catches nothing) and reports how that ended.
#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn outer_catching_delegation(log: Log) -> u32 {
    match yield_from_catch!(plain_inner(log.clone())) {
        Delegated::Returned(sent) => sent,
        Delegated::Raised(Fault::Soft) => {
            // Caught: the `athrow` that threw it returns what the body yields next.
            log.borrow_mut().push("outer caught soft".into());
            yield_!(50);
            0
        }
        Delegated::Raised(fault) => {
            tokio::task::yield_now().await;
            log.borrow_mut()
                .push("outer cleanup before re-raising".into());
            raise!(fault)
        }
        Delegated::Closed => {
            // The inner is closed; the outer's own async cleanup runs in the same `aclose`.
            tokio::task::yield_now().await;
            log.borrow_mut().push("outer cleanup".into());
            77
        }
    }
}

#[tokio::test]
async fn j11_catching_delegation_evaluates_to_the_return_value() {
    let log = log();
    let mut gen = pin!(outer_catching_delegation(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.asend(5).await, Ok(Step::Yielded(2)));
    assert_eq!(gen.anext().await, Step::Returned(1));
    assert_eq!(entries(&log), ["inner got 5"]);
}

#[tokio::test]
async fn j11_catching_delegation_lets_the_outer_catch_an_error_the_inner_did_not() {
    let log = log();
    let mut gen = pin!(outer_catching_delegation(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.athrow(Fault::Soft).await, Ok(Step::Yielded(50)));
    assert_eq!(gen.anext().await, Step::Returned(0));
    assert_eq!(entries(&log), ["outer caught soft"]);
}

#[tokio::test]
async fn j11_catching_delegation_can_re_raise_after_async_cleanup() {
    let log = log();
    let mut gen = pin!(outer_catching_delegation(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(
        gen.athrow(Fault::Hard).await,
        Err(ThrowError::Uncaught(Fault::Hard))
    );
    assert_eq!(gen.state(), GenState::Closed);
    assert_eq!(entries(&log), ["outer cleanup before re-raising"]);
}

#[tokio::test]
async fn j11_catching_delegation_runs_the_outer_async_cleanup_after_a_forwarded_close() {
    // The catching inner runs its cleanup, then the outer runs its own, in the one `aclose`,
    // which returns the outer's return value.
    #[async_generator(yield = u32, send = u32, throw = Fault)]
    async fn outer(log: Log) -> u32 {
        match yield_from_catch!(catching_inner(log.clone())) {
            Delegated::Closed => {
                tokio::task::yield_now().await;
                log.borrow_mut().push("outer cleanup".into());
                77
            }
            other => panic!("expected Closed, got {other:?}"),
        }
    }
    let log = log();
    let mut gen = pin!(outer(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(10));
    assert_eq!(gen.aclose().await, Ok(Some(77)));
    assert_eq!(entries(&log), ["inner cleanup", "outer cleanup"]);
    assert_eq!(gen.state(), GenState::Closed);
}

#[tokio::test]
async fn j11_catching_delegation_sees_a_close_at_a_plain_inner_yield_point() {
    let log = log();
    let mut gen = pin!(outer_catching_delegation(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.aclose().await, Ok(Some(77)));
    assert_eq!(entries(&log), ["outer cleanup"]);
}

#[tokio::test]
async fn j11_a_body_that_yields_after_a_caught_close_makes_aclose_fail_with_the_item() {
    #[async_generator(yield = u32, send = u32, throw = Fault)]
    async fn outer(log: Log) {
        if let Delegated::Closed = yield_from_catch!(plain_inner(log)) {
            yield_!(9);
        }
    }
    let mut gen = pin!(outer(log()));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.aclose().await, Err(CloseIgnored(9)));
    assert_eq!(gen.state(), GenState::Closed);
}

#[tokio::test]
async fn j11_catching_delegation_to_a_stream() {
    #[async_generator(yield = u32, send = u32, throw = Fault)]
    async fn outer(log: Log) -> &'static str {
        let ended = yield_from_catch!(futures_util::stream::iter([1, 2]));
        match ended {
            Delegated::Returned(()) => "stream ended",
            Delegated::Raised(fault) => {
                log.borrow_mut().push(format!("caught {fault:?}"));
                yield_!(3);
                "after the throw"
            }
            Delegated::Closed => {
                log.borrow_mut().push("closed".into());
                closed!()
            }
        }
    }
    let log = log();
    let mut gen = pin!(outer(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.anext().await, Step::Yielded(2));
    assert_eq!(gen.anext().await, Step::Returned("stream ended"));

    let mut gen = pin!(outer(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.athrow(Fault::Soft).await, Ok(Step::Yielded(3)));
    assert_eq!(gen.anext().await, Step::Returned("after the throw"));

    let mut gen = pin!(outer(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.aclose().await, Ok(None));
    assert_eq!(entries(&log), ["caught Soft", "closed"]);
}

#[tokio::test]
async fn raise_re_raises_an_error_caught_at_a_catching_yield_point() {
    #[async_generator(yield = u32, send = u32, throw = Fault)]
    async fn gen(log: Log) {
        loop {
            if let Resume::Throw(fault) = yield_catch!(1) {
                tokio::task::yield_now().await;
                log.borrow_mut().push("cleanup".into());
                raise!(fault);
            }
        }
    }
    let log = log();
    let mut g = pin!(gen(log.clone()));
    assert_eq!(g.anext().await, Step::Yielded(1));
    assert_eq!(
        g.athrow(Fault::Soft).await,
        Err(ThrowError::Uncaught(Fault::Soft))
    );
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(entries(&log), ["cleanup"]);
}

#[test]
fn raise_outside_an_athrow_step_panics() {
    #[async_generator(yield = u32, send = u32, throw = Fault)]
    async fn gen() {
        yield_!(1);
        raise!(Fault::Hard);
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        futures_util::FutureExt::now_or_never(async {
            let mut g = pin!(gen());
            assert_eq!(g.anext().await, Step::Yielded(1));
            g.anext().await
        })
    }));
    let message = result.expect_err("raise! in an anext step panics");
    let message = message.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(message.contains("outside an athrow"), "{message}");
}
