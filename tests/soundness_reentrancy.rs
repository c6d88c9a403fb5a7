//! Attacks (re-entrancy and nesting): generators driven inside other generators' bodies with the
//! body's own context, in lock step, through a waker that runs code, through delegation, and
//! panics at every place where something is in transit. A yield point must always reach its own
//! generator's exchange of the poll under way, and every value must be dropped exactly once.
//! Each test must pass in every build, and under Miri in every mode (Stacked and Tree Borrows,
//! debug and `--release` with `-Zmiri-permissive-provenance`).

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use agen_runtime::{
    async_gen, closed, yield_catch, yield_from, AsyncGen, Body, GenState, PinnedGenerator, Resume,
    Step, ThrowError,
};
use futures_core::Stream;

/// Polls `step` once with a no-op waker.
fn poll_once<F: Future>(step: Pin<&mut F>) -> Poll<F::Output> {
    step.poll(&mut Context::from_waker(Waker::noop()))
}

/// Polls `step` until it completes (every future here wakes itself or is ready).
fn block_on<F: Future>(step: F) -> F::Output {
    let mut step = pin!(step);
    for _ in 0..10_000 {
        if let Poll::Ready(output) = poll_once(step.as_mut()) {
            return output;
        }
    }
    panic!("the step never completed");
}

/// Replaces what the context the body is polled with holds by another waker, every other call
/// (the old contents go to a local that dies with the poll), and swaps it back on the others.
fn swap_the_context(cx: &mut Context<'_>) {
    thread_local! {
        static CALLS: Cell<u64> = const { Cell::new(0) };
    }
    let mut other = Context::from_waker(Waker::noop());
    std::mem::swap(cx, &mut other);
    if CALLS.with(|calls| {
        calls.set(calls.get() + 1);
        calls.get() % 2 == 0
    }) {
        std::mem::swap(cx, &mut other);
    }
}

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

/// A heap value counted while alive: a double drop is a use after free (Miri), a leak a count
/// left over.
#[derive(Debug)]
struct Tracked(Box<u64>);

impl Tracked {
    fn new(n: u64) -> Self {
        LIVE.with(|live| live.set(live.get() + 1));
        Tracked(Box::new(n))
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        LIVE.with(|live| live.set(live.get() - 1));
    }
}

impl PartialEq<u64> for Tracked {
    fn eq(&self, other: &u64) -> bool {
        *self.0 == *other
    }
}

#[track_caller]
fn none_alive() {
    assert_eq!(LIVE.with(Cell::get), 0, "a value was leaked");
}

/// The items of a stream, driven with no-op wakers.
fn drain<St: Stream>(stream: St) -> Vec<St::Item> {
    let mut stream = pin!(stream);
    let mut items = Vec::new();
    block_on(poll_fn(|cx| loop {
        match stream.as_mut().poll_next(cx) {
            Poll::Ready(Some(item)) => items.push(item),
            Poll::Ready(None) => return Poll::Ready(()),
            Poll::Pending => return Poll::Pending,
        }
    }));
    items
}

/// A generator that yields `0..n` as `Tracked`, replacing its context before each yield.
fn swapping(n: u64, tag: u64) -> AsyncGen<impl Body<Yield = Tracked, Return = ()>> {
    async_gen!(yield = Tracked => {
        for i in 0..n {
            poll_fn(|cx| {
                swap_the_context(cx);
                Poll::Ready(())
            })
            .await;
            yield Tracked::new(tag * 100 + i);
        }
    })
}

/// The body drives another generator by hand with its own context (no delegation), one item of
/// the inner generator per item of its own: the inner runtime builds its exchange from the
/// outer's context, and each side's yield points must reach their own.
#[test]
fn a_body_drives_another_generator_with_its_own_context() {
    {
        let outer = async_gen!(yield = Tracked => {
            let mut inner = pin!(swapping(3, 1));
            loop {
                let next = poll_fn(|cx| {
                    swap_the_context(cx);
                    inner.as_mut().poll_next(cx)
                })
                .await;
                let Some(item) = next else { break };
                yield Tracked::new(*item.0 + 1000);
                yield item;
            }
        });
        let items = drain(outer);
        assert_eq!(items, [1100, 100, 1101, 101, 1102, 102]);
    }
    none_alive();
}

/// Three generators in lock step: each body drives the next one by hand, one step per own
/// yield, and each swaps the context contents of every poll.
#[test]
fn three_generators_driven_in_lock_step() {
    {
        let a = async_gen!(yield = Tracked => {
            let mut b = pin!(async_gen!(yield = Tracked => {
                let mut c = pin!(swapping(4, 3));
                while let Some(item) = poll_fn(|cx| c.as_mut().poll_next(cx)).await {
                    poll_fn(|cx| { swap_the_context(cx); Poll::Ready(()) }).await;
                    yield Tracked::new(*item.0 + 20_000);
                }
            }));
            while let Some(item) = poll_fn(|cx| { swap_the_context(cx); b.as_mut().poll_next(cx) }).await {
                yield item;
            }
        });
        assert_eq!(drain(a), [20_300, 20_301, 20_302, 20_303]);
    }
    none_alive();
}

/// The consumer's waker runs code: each `wake_by_ref` the body does steps *another* generator
/// (kept in a thread local), so a runtime is polling a second body from inside the first one's
/// poll, through a call the first body made.
#[test]
fn a_waker_that_steps_another_generator() {
    type Side = Pin<Box<dyn Stream<Item = Tracked>>>;
    thread_local! {
        static SIDE: RefCell<Option<Side>> = const { RefCell::new(None) };
        static SEEN: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    }
    struct StepsTheSide;
    impl Wake for StepsTheSide {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            SIDE.with(|side| {
                if let Some(side) = side.borrow_mut().as_mut() {
                    let polled = side
                        .as_mut()
                        .poll_next(&mut Context::from_waker(Waker::noop()));
                    if let Poll::Ready(Some(item)) = polled {
                        SEEN.with(|seen| seen.borrow_mut().push(*item.0));
                    }
                }
            });
        }
    }
    SIDE.with(|side| *side.borrow_mut() = Some(Box::pin(swapping(5, 7))));
    {
        let waker = Waker::from(Arc::new(StepsTheSide));
        let gen = async_gen!(yield = Tracked => {
            for i in 0..3 {
                poll_fn(|cx| { cx.waker().wake_by_ref(); Poll::Ready(()) }).await;
                yield Tracked::new(i);
                // A clone woken by value, on purpose: the waker's own `clone` and `wake` run.
                #[allow(clippy::waker_clone_wake)]
                poll_fn(|cx| { cx.waker().clone().wake(); Poll::Ready(()) }).await;
            }
        });
        let mut gen = pin!(gen);
        let mut items = Vec::new();
        loop {
            let mut step = pin!(gen.anext());
            match step.as_mut().poll(&mut Context::from_waker(&waker)) {
                Poll::Ready(Step::Yielded(item)) => items.push(*item.0),
                Poll::Ready(_) => break,
                Poll::Pending => unreachable!(),
            }
        }
        assert_eq!(items, [0, 1, 2]);
    }
    SIDE.with(|side| side.borrow_mut().take());
    assert_eq!(
        SEEN.with(|seen| seen.borrow().clone()),
        [700, 701, 702, 703, 704]
    );
    none_alive();
}

/// The consumer's waker panics when cloned: the body's poll unwinds from inside a future of the
/// body; the generator is closed, its locals dropped once, and it stays closed.
#[test]
fn a_waker_that_panics_when_cloned() {
    struct Bomb;
    impl Wake for Bomb {
        fn wake(self: Arc<Self>) {}
    }
    fn bomb_waker() -> Waker {
        use std::task::{RawWaker, RawWakerVTable};
        const VTABLE: RawWakerVTable = RawWakerVTable::new(
            |_| panic!("the waker refuses to be cloned"),
            |_| {},
            |_| {},
            |_| {},
        );
        let _ = Bomb;
        // SAFETY: the vtable's functions ignore the data pointer.
        unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) }
    }
    {
        let waker = bomb_waker();
        let gen = async_gen!(yield = Tracked => {
            let _local = Tracked::new(1);
            yield Tracked::new(2);
            let _other = Tracked::new(3);
            poll_fn(|cx| { drop(cx.waker().clone()); Poll::Ready(()) }).await;
            yield Tracked::new(4);
        });
        let mut gen = pin!(gen);
        let cx = &mut Context::from_waker(&waker);
        assert!(matches!(pin!(gen.anext()).poll(cx), Poll::Ready(Step::Yielded(ref t)) if *t == 2));
        let unwound = catch_unwind(AssertUnwindSafe(|| {
            let _ = pin!(gen.anext()).poll(cx);
        }));
        assert!(unwound.is_err());
        assert_eq!(gen.state(), GenState::Closed);
        assert!(matches!(
            pin!(gen.anext()).poll(cx),
            Poll::Ready(Step::Exhausted)
        ));
    }
    none_alive();
}

/// A generator captured by its own body, behind `Rc<RefCell<…>>`: the body cannot get at it
/// while a step holds it (the consumer's borrow), and when the consumer takes it out of the
/// cell to step it, the body finds the cell empty.
#[test]
fn a_generator_cannot_step_itself() {
    type Shared = Rc<RefCell<Option<Pin<Box<dyn Stream<Item = u64>>>>>>;
    let shared: Shared = Rc::new(RefCell::new(None));
    let inside = shared.clone();
    let gen = async_gen!(yield = u64 => {
        for _ in 0..2 {
            let reached = poll_fn(|cx| {
                Poll::Ready(match inside.try_borrow_mut() {
                    Err(_) => 1,
                    Ok(mut slot) => match slot.as_mut() {
                        None => 2,
                        Some(me) => {
                            // Unreachable: the consumer never leaves the generator in the cell
                            // while it steps it. If it could, this would step the generator inside
                            // its own poll.
                            let _ = me.as_mut().poll_next(cx);
                            3
                        }
                    },
                })
            })
            .await;
            yield reached;
        }
    });
    *shared.borrow_mut() = Some(Box::pin(gen));
    // Stepped while borrowed from the cell.
    let first = {
        let mut slot = shared.borrow_mut();
        let me = slot.as_mut().unwrap();
        block_on(poll_fn(|cx| me.as_mut().poll_next(cx)))
    };
    assert_eq!(first, Some(1));
    // Stepped after being taken out of the cell.
    let mut me = shared.borrow_mut().take().unwrap();
    assert_eq!(block_on(poll_fn(|cx| me.as_mut().poll_next(cx))), Some(2));
}

/// Delegation to a generator whose body drives yet another generator by hand, to a boxed
/// generator (a stream), and to a delegating generator, with every resumption forwarded and
/// every poll's context swapped.
#[test]
fn delegation_to_generators_that_drive_others() {
    {
        let gen = async_gen!(yield = Tracked, send = u64, throw = u64 => {
            // A generator that drives another one by hand, inside its own body.
            let driving = async_gen!(yield = Tracked, send = u64, throw = u64 => {
                let mut side = pin!(swapping(2, 5));
                loop {
                    let item = poll_fn(|cx| { swap_the_context(cx); side.as_mut().poll_next(cx) }).await;
                    let Some(item) = item else { break };
                    match yield_catch!(item) {
                        Resume::Send(n) => { yield Tracked::new(n); }
                        Resume::Throw(n) => { yield Tracked::new(10_000 + n); }
                        Resume::Next => {}
                        Resume::Close => return,
                    }
                }
            });
            yield_from!(driving);
            // A boxed generator's items as a stream: stream delegation. (The boxed generator
            // itself is delegated to as a generator, which its other send and throw types
            // would not allow.)
            let mut boxed = Box::pin(swapping(2, 6));
            yield_from!(boxed.items());
            // A delegating generator.
            let delegating = async_gen!(yield = Tracked, send = u64, throw = u64 => {
                yield_from!(async_gen!(yield = Tracked, send = u64, throw = u64 => {
                    poll_fn(|cx| { swap_the_context(cx); Poll::Ready(()) }).await;
                    let sent = yield Tracked::new(8);
                    yield Tracked::new(sent.unwrap_or(0));
                }));
            });
            yield_from!(delegating);
        });
        let mut gen = pin!(gen);
        let mut seen = Vec::new();
        let mut record = |step: Step<Tracked, ()>| match step {
            Step::Yielded(item) => seen.push(*item.0),
            other => panic!("unexpected {other:?}"),
        };
        record(block_on(gen.anext())); // 500
        record(block_on(gen.asend(42)).unwrap()); // 42
        record(block_on(gen.anext())); // 501
        record(block_on(gen.athrow(3)).unwrap()); // 10_003
        record(block_on(gen.anext())); // 600
        record(block_on(gen.anext())); // 601
        record(block_on(gen.anext())); // 8
        record(block_on(gen.asend(77)).unwrap()); // 77
        assert!(matches!(block_on(gen.anext()), Step::Returned(())));
        assert_eq!(seen, [500, 42, 501, 10_003, 600, 601, 8, 77]);
    }
    none_alive();
}

/// A temporary of the item's expression whose destructor panics: it runs after the item is in
/// the exchange, before the body suspends. The item must be dropped once, with the body.
#[test]
fn a_panic_after_the_item_is_in_transit() {
    struct PanicsOnDrop;
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            panic!("a temporary of the item's expression");
        }
    }
    impl PanicsOnDrop {
        fn item(&self) -> Tracked {
            Tracked::new(1)
        }
    }
    {
        let gen = async_gen!(yield = Tracked => {
            let _local = Tracked::new(0);
            yield PanicsOnDrop.item();
            yield Tracked::new(2);
        });
        let mut gen = pin!(gen);
        let unwound = catch_unwind(AssertUnwindSafe(|| poll_once(pin!(gen.anext()))));
        assert!(unwound.is_err());
        assert_eq!(gen.state(), GenState::Closed);
        assert!(matches!(
            poll_once(pin!(gen.anext())),
            Poll::Ready(Step::Exhausted)
        ));
    }
    none_alive();
}

/// The same through delegation: the inner generator's temporary panics after its item is in the
/// inner exchange; both generators end, nothing is dropped twice.
#[test]
fn a_panic_after_the_item_is_in_transit_in_a_delegated_generator() {
    struct PanicsOnDrop;
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            panic!("a temporary of the item's expression");
        }
    }
    impl PanicsOnDrop {
        fn item(&self) -> Tracked {
            Tracked::new(2)
        }
    }
    {
        let gen = async_gen!(yield = Tracked, throw = u64 => {
            let _outer = Tracked::new(0);
            yield_from!(async_gen!(yield = Tracked, throw = u64 => {
                let _inner = Tracked::new(0);
                if let Resume::Throw(_) = yield_catch!(Tracked::new(1)) {
                    yield PanicsOnDrop.item();
                }
            }));
        });
        let mut gen = pin!(gen);
        assert!(
            matches!(poll_once(pin!(gen.anext())), Poll::Ready(Step::Yielded(ref t)) if *t == 1)
        );
        // The throw is forwarded out of line (`forward_step`); the inner panics there.
        let unwound = catch_unwind(AssertUnwindSafe(|| poll_once(pin!(gen.athrow(5)))));
        assert!(unwound.is_err());
        assert_eq!(gen.state(), GenState::Closed);
    }
    none_alive();
}

/// Destructors that panic while the runtime closes a body on its own (a throw at a plain yield
/// point, a close at a plain yield point, a close of a delegated generator): the error handed
/// in is dropped once, the generator is closed.
#[test]
fn destructors_that_panic_while_the_runtime_closes_the_body() {
    struct PanicsOnDrop(#[allow(dead_code)] Tracked);
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            if !std::thread::panicking() {
                panic!("a local of the body");
            }
        }
    }
    // A throw at a plain yield point drops the body there.
    {
        let gen = async_gen!(yield = Tracked, throw = Tracked => {
            let _local = PanicsOnDrop(Tracked::new(0));
            yield Tracked::new(1);
        });
        let mut gen = pin!(gen);
        assert!(matches!(
            poll_once(pin!(gen.anext())),
            Poll::Ready(Step::Yielded(_))
        ));
        let error = Tracked::new(9);
        let unwound = catch_unwind(AssertUnwindSafe(|| poll_once(pin!(gen.athrow(error)))));
        assert!(unwound.is_err());
        assert_eq!(gen.state(), GenState::Closed);
        let error = Tracked::new(10);
        assert!(matches!(
            poll_once(pin!(gen.athrow(error))),
            Poll::Ready(Err(ThrowError::Exhausted(_)))
        ));
    }
    none_alive();
    // A close forwarded to a delegated generator parked at a plain yield point.
    {
        let gen = async_gen!(yield = Tracked => {
            let _outer = Tracked::new(0);
            yield_from!(async_gen!(yield = Tracked => {
                let _inner = PanicsOnDrop(Tracked::new(0));
                yield Tracked::new(1);
            }));
        });
        let mut gen = pin!(gen);
        assert!(matches!(
            poll_once(pin!(gen.anext())),
            Poll::Ready(Step::Yielded(_))
        ));
        let unwound = catch_unwind(AssertUnwindSafe(|| poll_once(pin!(gen.aclose()))));
        assert!(unwound.is_err());
        assert_eq!(gen.state(), GenState::Closed);
    }
    none_alive();
}

/// Step futures forgotten or dropped mid-step, through a delegation, then the generator driven
/// on: a forgotten `athrow` does not close the generator (its `Drop` never runs), and the next
/// steps finish what it started.
#[test]
fn forgotten_and_dropped_step_futures_through_delegation() {
    /// Pending once, then ready.
    fn once_pending() -> impl Future<Output = ()> {
        let mut first = true;
        poll_fn(move |cx| {
            if std::mem::take(&mut first) {
                cx.waker().wake_by_ref();
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
    }
    {
        let gen = async_gen!(yield = Tracked, send = u64, throw = Tracked => {
            yield_from!(async_gen!(yield = Tracked, send = u64, throw = Tracked => {
                loop {
                    match yield_catch!(Tracked::new(1)) {
                        Resume::Throw(error) => {
                            once_pending().await;
                            yield error;
                        }
                        Resume::Close => {
                            once_pending().await;
                            closed!()
                        }
                        _ => once_pending().await,
                    }
                }
            }));
        });
        let mut gen = pin!(gen);
        assert!(matches!(block_on(gen.anext()), Step::Yielded(_)));
        // An athrow polled once (parked in the inner body), then forgotten.
        {
            // The step futures are `Unpin`: held in a `ManuallyDrop`, its `Drop` never runs.
            let mut step = std::mem::ManuallyDrop::new(gen.athrow(Tracked::new(5)));
            assert!(poll_once(Pin::new(&mut *step)).is_pending());
        }
        assert_eq!(gen.state(), GenState::Running);
        // `anext` finishes the interrupted step: the inner yields the error back.
        assert!(matches!(block_on(gen.anext()), Step::Yielded(ref t) if *t == 5));
        // Resumed with `Next` after the plain yield: straight to the catching yield point.
        assert!(matches!(block_on(gen.anext()), Step::Yielded(ref t) if *t == 1));
        // An anext dropped mid-step (`Next` at the catching point parks once), then finished
        // by the next.
        {
            let mut step = pin!(gen.anext());
            assert!(poll_once(step.as_mut()).is_pending());
        }
        assert!(matches!(block_on(gen.anext()), Step::Yielded(ref t) if *t == 1));
        // A close interrupted, then resumed.
        {
            let mut step = pin!(gen.aclose());
            assert!(poll_once(step.as_mut()).is_pending());
        }
        assert!(matches!(block_on(gen.aclose()), Ok(None)));
        assert_eq!(gen.state(), GenState::Closed);
    }
    // The forgotten step future leaked nothing of the generator's (it borrowed it only).
    none_alive();
}

/// Generators behind trait objects, consumed through `dyn Stream`, with many yields and awaits
/// (so that the body's poll is a call of its own): every item arrives.
#[test]
fn generators_behind_trait_objects() {
    fn many(n: u64) -> Pin<Box<dyn Stream<Item = u64>>> {
        Box::pin(async_gen!(yield = u64 => {
            let mut acc = 0u64;
            for i in 0..n {
                poll_fn(|cx| { swap_the_context(cx); Poll::Ready(()) }).await;
                acc = acc.wrapping_mul(31).wrapping_add(i);
                yield acc;
                if i % 3 == 0 {
                    yield_from!(futures_util::stream::iter([i, i + 1]));
                }
                if i % 5 == 0 {
                    yield_from!(async_gen!(yield = u64 => { yield i * 2; }));
                }
            }
        }))
    }
    let mut streams: Vec<Pin<Box<dyn Stream<Item = u64>>>> = (0..4).map(|k| many(10 + k)).collect();
    let mut totals = vec![0u64; streams.len()];
    let mut counts = vec![0usize; streams.len()];
    // Round robin, one item per stream per turn.
    loop {
        let mut any = false;
        for (k, stream) in streams.iter_mut().enumerate() {
            if let Poll::Ready(Some(item)) =
                poll_once(pin!(poll_fn(|cx| stream.as_mut().poll_next(cx))))
            {
                totals[k] = totals[k].wrapping_add(item);
                counts[k] += 1;
                any = true;
            }
        }
        if !any {
            break;
        }
    }
    for k in 0..4u64 {
        let n = 10 + k;
        let mut acc = 0u64;
        let (mut total, mut count) = (0u64, 0usize);
        for i in 0..n {
            acc = acc.wrapping_mul(31).wrapping_add(i);
            total = total.wrapping_add(acc);
            count += 1;
            if i % 3 == 0 {
                total = total.wrapping_add(2 * i + 1);
                count += 2;
            }
            if i % 5 == 0 {
                total = total.wrapping_add(i * 2);
                count += 1;
            }
        }
        assert_eq!((totals[k as usize], counts[k as usize]), (total, count));
    }
}

/// A panic caught inside the body: the body polls another generator by hand inside
/// `catch_unwind`, that generator's body panics with an item of the outer's in flight around
/// it; the inner generator is closed, the outer goes on yielding, and polling the inner again
/// finds it exhausted.
#[test]
fn a_panic_caught_inside_the_body() {
    {
        let outer = async_gen!(yield = Tracked => {
            let _outer_local = Tracked::new(0);
            let mut inner = pin!(async_gen!(yield = Tracked => {
                let _inner_local = Tracked::new(0);
                yield Tracked::new(1);
                let another = Tracked::new(0);
                if *another.0 == 0 {
                    panic!("the inner body");
                }
            }));
            for _ in 0..3 {
                let polled = poll_fn(|cx| {
                    let polled = catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll_next(cx)));
                    Poll::Ready(polled)
                })
                .await;
                match polled {
                    Ok(Poll::Ready(Some(item))) => yield item,
                    Ok(Poll::Ready(None)) => yield Tracked::new(3),
                    Ok(Poll::Pending) => unreachable!(),
                    Err(_) => {
                        assert!(inner.is_exhausted());
                        yield Tracked::new(2);
                    }
                }
            }
        });
        let items: Vec<u64> = drain(outer).into_iter().map(|item| *item.0).collect();
        assert_eq!(items, [1, 2, 3]);
    }
    none_alive();
}
