//! Protocol types of every shape, and panics everywhere, against the code that finds a yield
//! point's exchange (the record sits at one offset whatever the protocol types), the poll's
//! unwind guard, and the debug builds' drop of a body through its vtable: over-aligned,
//! zero-sized, uninhabited and packed types, a generic generator over many types, through
//! `anext`/`asend`/`athrow`/`aclose`, streams and delegation; a body, a local's destructor, a
//! captured value, an item expression or an inner generator that panics. Every value that the
//! bodies make is counted, so a double drop or a leak fails a test (and a double drop is UB that
//! Miri reports).
use std::cell::Cell;
use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

use agen_runtime::{
    async_gen, async_generator, closed, yield_catch, yield_from, AsyncGen, Body, GenState,
    PinnedGenerator, Resume, Step,
};
use futures_core::Stream;

#[path = "common/log.rs"]
mod log;
use log::{run, yield_now};

fn poll_once<F: Future>(step: Pin<&mut F>) -> Poll<F::Output> {
    step.poll(&mut Context::from_waker(Waker::noop()))
}
thread_local! { static LIVE: Cell<isize> = const { Cell::new(0) }; }
#[derive(Debug, PartialEq)]
struct Tracked(Box<u64>);
impl Tracked {
    fn new(n: u64) -> Self {
        LIVE.with(|l| l.set(l.get() + 1));
        Tracked(Box::new(n))
    }
}
impl Drop for Tracked {
    fn drop(&mut self) {
        LIVE.with(|l| l.set(l.get() - 1));
    }
}
fn none_alive() {
    assert_eq!(LIVE.with(Cell::get), 0, "leak");
}

// ---------- layout: protocol types of every shape ----------
#[derive(Debug, PartialEq, Clone, Copy)]
#[repr(align(4096))]
struct Page(u8);
#[derive(Debug, PartialEq, Clone, Copy)]
#[repr(align(64))]
struct Line(u64);
#[derive(Debug, PartialEq)]
struct Zst;
#[derive(Debug, PartialEq)]
#[repr(align(512))]
struct AlignedZst;
#[derive(Debug, PartialEq)]
enum Void {}
#[derive(Debug, PartialEq)]
#[repr(C, packed)]
struct Packed(u8, u64);

#[async_generator(yield = Page, send = Line, throw = AlignedZst)]
async fn over_aligned() -> Page {
    let mut n = 0u8;
    loop {
        yield_now().await;
        match yield_catch!(Page(n)) {
            Resume::Next => n += 1,
            Resume::Send(Line(x)) => n += x as u8,
            Resume::Throw(AlignedZst) => return Page(200),
            Resume::Close => closed!(),
        }
    }
}

#[test]
fn over_aligned_protocol_types() {
    let mut g = pin!(over_aligned());
    assert_eq!(run(g.anext()), Step::Yielded(Page(0)));
    assert_eq!(run(g.asend(Line(5))), Ok(Step::Yielded(Page(5))));
    assert_eq!(run(g.anext()), Step::Yielded(Page(6)));
    assert_eq!(
        run(g.athrow(AlignedZst)).ok(),
        Some(Step::Returned(Page(200)))
    );
    assert_eq!(run(g.anext()), Step::Exhausted);
}

#[async_generator(yield = Zst, send = Zst, throw = Zst)]
async fn zsts() -> AlignedZst {
    let _ = yield_catch!(Zst);
    yield_now().await;
    let _ = yield_catch!(Zst);
    AlignedZst
}

#[test]
fn zero_sized_protocol_types() {
    let mut g = pin!(zsts());
    assert_eq!(run(g.anext()), Step::Yielded(Zst));
    assert_eq!(run(g.asend(Zst)), Ok(Step::Yielded(Zst)));
    assert_eq!(run(g.anext()), Step::Returned(AlignedZst));
}

// Uninhabited yield, send and throw: the transit only ever holds Empty/Resume(Next|Close)/Exited.
#[async_generator(yield = Void, send = Void, throw = Infallible)]
async fn uninhabited() -> u64 {
    yield_now().await;
    7
}

#[test]
fn uninhabited_protocol_types() {
    let mut g = pin!(uninhabited());
    assert_eq!(run(g.anext()), Step::Returned(7));
    let mut g = pin!(uninhabited());
    assert!(run(g.aclose()).is_ok());
    assert_eq!(g.state(), GenState::Closed);
}

#[async_generator(yield = Packed, send = (Page, Zst, Line), throw = [Line; 3])]
async fn packed_and_tuples() -> (Zst, Page) {
    let mut sent = Vec::new();
    loop {
        match yield_catch!(Packed(1, 2)) {
            Resume::Send((p, _, l)) => sent.push((p, l)),
            Resume::Throw(lines) => return (Zst, Page(lines[2].0 as u8 + sent.len() as u8)),
            Resume::Next => yield_now().await,
            Resume::Close => closed!(),
        }
    }
}

#[test]
fn packed_and_tuple_protocol_types() {
    let mut g = pin!(packed_and_tuples());
    assert!(matches!(run(g.anext()), Step::Yielded(Packed(1, 2))));
    assert!(run(g.asend((Page(1), Zst, Line(2)))).is_ok());
    assert!(run(g.anext()).is_yielded());
    match run(g.athrow([Line(0), Line(0), Line(9)])) {
        Ok(Step::Returned((Zst, Page(10)))) => {}
        other => panic!("{other:?}"),
    }
}

// Delegation between generators of over-aligned / ZST protocols, with a pending inner await.
#[test]
fn delegation_with_over_aligned_protocol() {
    let outer = async_gen!(yield = Page, send = Line, throw = AlignedZst => {
        let r = yield_from!(over_aligned());
        yield r;
    });
    let mut outer = pin!(outer);
    assert_eq!(run(outer.anext()), Step::Yielded(Page(0)));
    assert_eq!(run(outer.asend(Line(3))), Ok(Step::Yielded(Page(3))));
    assert_eq!(
        run(outer.athrow(AlignedZst)).ok(),
        Some(Step::Yielded(Page(200)))
    );
    assert_eq!(run(outer.anext()), Step::Returned(()));
}

// Stream of over-aligned items through the new `Parts::poll_item`.
#[test]
fn stream_of_over_aligned_items() {
    let s = async_gen!(yield = Page => {
        for i in 0..3u8 { yield_now().await; yield Page(i); }
    });
    let mut s = pin!(s);
    let mut got = Vec::new();
    run(poll_fn(|cx| loop {
        match s.as_mut().poll_next(cx) {
            Poll::Ready(Some(p)) => got.push(p),
            Poll::Ready(None) => return Poll::Ready(()),
            Poll::Pending => return Poll::Pending,
        }
    }));
    assert_eq!(got, [Page(0), Page(1), Page(2)]);
}

#[test]
fn try_stream_of_over_aligned_items() {
    let s = async_gen!(try => {
        yield Page(1);
        Err(Line(4))?;
        yield Page(2);
    });
    let s: Pin<&mut dyn Stream<Item = Result<Page, Line>>> = pin!(s);
    let mut s = s;
    let a = run(poll_fn(|cx| s.as_mut().poll_next(cx)));
    let b = run(poll_fn(|cx| s.as_mut().poll_next(cx)));
    let c = run(poll_fn(|cx| s.as_mut().poll_next(cx)));
    assert_eq!((a, b, c), (Some(Ok(Page(1))), Some(Err(Line(4))), None));
}

// ---------- panics ----------
struct PanicOnDrop(&'static str);
impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            panic!("{}", self.0);
        }
    }
}

/// The body panics at its second poll (after a yield), holding tracked values: dropped once.
#[test]
fn body_panics_then_everything_is_used_again() {
    {
        let g = async_gen!(yield = Tracked => {
            let _held = Tracked::new(1);
            yield Tracked::new(2);
            yield_now().await;
            let _held2 = Tracked::new(3);
            panic!("boom");
        });
        let mut g = pin!(g);
        let first = run(g.anext());
        drop(first);
        let mut step = pin!(g.anext());
        let r = catch_unwind(AssertUnwindSafe(|| run(step.as_mut())));
        assert!(r.is_err());
        // Polling the same step again: the generator is closed, so it is exhausted.
        let r = catch_unwind(AssertUnwindSafe(|| poll_once(step.as_mut())));
        assert!(matches!(r, Ok(Poll::Ready(Step::Exhausted))));
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(run(g.anext()), Step::Exhausted);
        assert!(run(g.aclose()).is_ok());
    }
    none_alive();
}

/// A local's destructor panics when the body returns normally (not unwinding): the panic is
/// raised from inside the body's poll; the guard must close without dropping the future twice.
#[test]
fn local_destructor_panics_on_return() {
    {
        let g = async_gen!(yield = Tracked => {
            let _a = Tracked::new(10);
            let _p = PanicOnDrop("local drop");
            let _b = Tracked::new(11);
            yield Tracked::new(1);
        });
        let mut g = pin!(g);
        drop(run(g.anext()));
        let r = catch_unwind(AssertUnwindSafe(|| run(g.anext())));
        assert!(r.is_err());
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(run(g.anext()), Step::Exhausted);
    }
    none_alive();
}

/// A local's destructor panics while the generator is closed at a plain yield point (close_now
/// path from aclose), then while dropped.
#[test]
fn local_destructor_panics_on_close_and_on_drop() {
    {
        let g = async_gen!(yield = Tracked => {
            let _a = Tracked::new(10);
            let _p = PanicOnDrop("close drop");
            let _b = Tracked::new(11);
            yield Tracked::new(1);
            yield Tracked::new(2);
        });
        let mut g = pin!(g);
        drop(run(g.anext()));
        let r = catch_unwind(AssertUnwindSafe(|| run(g.aclose())));
        assert!(r.is_err());
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(run(g.anext()), Step::Exhausted);
        assert!(run(g.aclose()).is_ok());
    }
    none_alive();
    {
        let g = Box::pin(async_gen!(yield = Tracked => {
            let _a = Tracked::new(10);
            let _p = PanicOnDrop("drop drop");
            let _b = Tracked::new(11);
            yield Tracked::new(1);
        }));
        let mut g = g;
        drop(run(g.anext()));
        let r = catch_unwind(AssertUnwindSafe(move || drop(g)));
        assert!(r.is_err());
    }
    none_alive();
    // A created generator whose captured value panics on drop
    {
        let p = PanicOnDrop("captured");
        let t = Tracked::new(5);
        let g = Box::pin(async_gen!(yield = u8 => {
            let _p = p;
            let _t = t;
            yield 1;
        }));
        let r = catch_unwind(AssertUnwindSafe(move || drop(g)));
        assert!(r.is_err());
    }
    none_alive();
    {
        let p = PanicOnDrop("captured, closed");
        let t = Tracked::new(5);
        let mut g = pin!(async_gen!(yield = u8 => {
            let _p = p;
            let _t = t;
            yield 1;
        }));
        let r = catch_unwind(AssertUnwindSafe(|| run(g.aclose())));
        assert!(r.is_err());
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(run(g.anext()), Step::Exhausted);
    }
    none_alive();
}

/// A catching body's cleanup panics while closing, at an inner await (position Closing).
#[test]
fn panic_while_closing_after_pending() {
    {
        let g = async_gen!(yield = Tracked => {
            let _a = Tracked::new(10);
            loop {
                if let Resume::Close = yield_catch!(Tracked::new(1)) {
                    yield_now().await;
                    let _b = Tracked::new(12);
                    panic!("cleanup");
                }
            }
        });
        let mut g = pin!(g);
        drop(run(g.anext()));
        {
            let mut close = pin!(g.aclose());
            assert!(poll_once(close.as_mut()).is_pending());
            let r = catch_unwind(AssertUnwindSafe(|| poll_once(close.as_mut())));
            assert!(r.is_err());
            let r = catch_unwind(AssertUnwindSafe(|| poll_once(close.as_mut())));
            let _ = r;
        }
        assert_eq!(g.state(), GenState::Closed);
    }
    none_alive();
}

/// A step future dropped while the body is parked at an inner await, then the generator used
/// every which way.
#[test]
fn step_dropped_mid_poll_then_used() {
    {
        let g = async_gen!(yield = Tracked, send = Tracked, throw = Tracked => {
            let _a = Tracked::new(10);
            loop {
                match yield_catch!(Tracked::new(1)) {
                    Resume::Close => { yield_now().await; closed!() }
                    Resume::Throw(e) => { yield_now().await; drop(e); }
                    Resume::Send(s) => { yield_now().await; drop(s); }
                    Resume::Next => yield_now().await,
                }
            }
        });
        let mut g = pin!(g);
        drop(run(g.anext()));
        {
            let mut s = pin!(g.asend(Tracked::new(3)));
            assert!(poll_once(s.as_mut()).is_pending());
        }
        let _ = run(g.anext());
        {
            let mut s = pin!(g.athrow(Tracked::new(4)));
            // The catching yield point takes the error and awaits: pending, then dropped mid-step.
            assert!(poll_once(s.as_mut()).is_pending());
        }
        let _ = run(g.asend(Tracked::new(5)));
        {
            let mut s = pin!(g.aclose());
            // The step dropped above is still in flight: `aclose` drops the body.
            assert!(matches!(poll_once(s.as_mut()), Poll::Ready(Ok(None))));
        }
        let _ = run(g.anext());
        let _ = run(g.aclose());
    }
    none_alive();
}

/// Delegation: the inner body panics; the outer catches nothing; both dropped once.
#[test]
fn inner_panics_in_delegation() {
    {
        let outer = async_gen!(yield = Tracked => {
            let _a = Tracked::new(1);
            let inner = async_gen!(yield = Tracked => {
                let _b = Tracked::new(2);
                yield Tracked::new(3);
                yield_now().await;
                panic!("inner");
            });
            yield_from!(inner);
            yield Tracked::new(4);
        });
        let mut outer = pin!(outer);
        drop(run(outer.anext()));
        let r = catch_unwind(AssertUnwindSafe(|| run(outer.anext())));
        assert!(r.is_err());
        assert_eq!(outer.state(), GenState::Closed);
        assert_eq!(run(outer.anext()), Step::Exhausted);
    }
    none_alive();
}

// A generator whose types are fn-generic, instantiated with many shapes, polled through the
// erased (debug) path: the record offset must be the same for all.
fn generic<T: Clone + std::fmt::Debug + PartialEq + 'static>(
    t: T,
) -> AsyncGen<impl Body<Yield = T, Send = T, Throw = T, Return = T>> {
    async_gen!(yield = T, send = T, throw = T => {
        let mut cur = t;
        loop {
            yield_now().await;
            match yield_catch!(cur.clone()) {
                Resume::Send(s) => cur = s,
                Resume::Throw(e) => break e,
                Resume::Next => {}
                Resume::Close => closed!(),
            }
        }
    })
}
fn exercise<T: Clone + std::fmt::Debug + PartialEq + 'static>(a: T, b: T) {
    let mut g = pin!(generic(a.clone()));
    assert_eq!(run(g.anext()), Step::Yielded(a.clone()));
    assert_eq!(run(g.asend(b.clone())), Ok(Step::Yielded(b.clone())));
    assert_eq!(run(g.athrow(a.clone())).ok(), Some(Step::Returned(a)));
}
#[test]
fn many_shapes() {
    exercise((), ());
    exercise(1u8, 2u8);
    exercise(Page(1), Page(2));
    exercise(Line(1), Line(2));
    exercise([Page(1); 3], [Page(2); 3]);
    exercise((1u8, Page(3), 2u16), (4u8, Page(5), 6u16));
    exercise(String::from("a"), String::from("b"));
    exercise(Some(Box::new(1u128)), None);
    exercise([0u64; 0], [0u64; 0]);
    exercise(Cell::new(3u16), Cell::new(4u16));
    exercise(
        std::num::NonZeroU8::new(1).unwrap(),
        std::num::NonZeroU8::new(2).unwrap(),
    );
    exercise(&1u8, &2u8);
}

/// A body whose yield-point macro is fed a panicking item expression, and a catching point
/// whose resumption handling panics.
#[test]
fn panics_at_yield_points() {
    {
        let g = async_gen!(yield = Tracked => {
            let _a = Tracked::new(1);
            yield Tracked::new(2);
            yield { let _t = Tracked::new(3); if true { panic!("item") } Tracked::new(4) };
        });
        let mut g = pin!(g);
        drop(run(g.anext()));
        assert!(catch_unwind(AssertUnwindSafe(|| run(g.anext()))).is_err());
        assert_eq!(run(g.anext()), Step::Exhausted);
    }
    none_alive();
    {
        let g = async_gen!(yield = Tracked, send = Tracked => {
            let _a = Tracked::new(1);
            let got = yield Tracked::new(2);
            let _got = got;
            panic!("after send");
        });
        let mut g = pin!(g);
        drop(run(g.anext()));
        assert!(catch_unwind(AssertUnwindSafe(|| run(g.asend(Tracked::new(9))))).is_err());
        assert_eq!(run(g.anext()), Step::Exhausted);
    }
    none_alive();
}

// ---------- self-references read by destructors on every drop path ----------
struct ReadsOnDrop<'a>(&'a mut Vec<u64>, &'a Tracked);
impl Drop for ReadsOnDrop<'_> {
    fn drop(&mut self) {
        self.0.push(*self.1 .0);
        assert_eq!(self.0.len(), 2);
    }
}

fn selfref(panic_at: u8) -> AsyncGen<impl Body<Yield = u8, Send = u8, Throw = u8, Return = u8>> {
    async_gen!(yield = u8, send = u8, throw = u8, return = u8 => {
        let t = Tracked::new(7);
        let mut v = vec![1u64];
        let _g = ReadsOnDrop(&mut v, &t);
        let _ = yield 1;
        yield_now().await;
        if panic_at == 1 { panic!("selfref body"); }
        if let Resume::Close = yield_catch!(2) {
            yield_now().await;
            closed!()
        }
        3
    })
}

#[test]
fn self_references_on_every_drop_path() {
    // Drop for AsyncGen (concrete drop_body), at a plain yield point.
    {
        let mut g = Box::pin(selfref(0));
        assert_eq!(run(g.as_mut().anext()), Step::Yielded(1));
        drop(g);
    }
    none_alive();
    // close_now via aclose at a plain yield point (erased drop_body in debug builds).
    {
        let mut g = pin!(selfref(0));
        assert_eq!(run(g.anext()), Step::Yielded(1));
        assert_eq!(run(g.aclose()), Ok(None));
    }
    none_alive();
    // close_now via aclose while running (parked at an inner await).
    {
        let mut g = pin!(selfref(0));
        assert_eq!(run(g.anext()), Step::Yielded(1));
        {
            let mut s = pin!(g.anext());
            assert!(poll_once(s.as_mut()).is_pending());
        }
        assert_eq!(run(g.aclose()), Ok(None));
    }
    none_alive();
    // athrow at a plain yield point: close_now in hand_in.
    {
        let mut g = pin!(selfref(0));
        assert_eq!(run(g.anext()), Step::Yielded(1));
        assert!(run(g.athrow(5)).is_err());
    }
    none_alive();
    // the guard: the body panics holding the self-reference.
    {
        let mut g = pin!(selfref(1));
        assert_eq!(run(g.anext()), Step::Yielded(1));
        assert!(catch_unwind(AssertUnwindSafe(|| run(g.anext()))).is_err());
        assert_eq!(g.state(), GenState::Closed);
    }
    none_alive();
    // Returned: dropped after completion; Exited after an async close.
    {
        let mut g = pin!(selfref(0));
        assert_eq!(run(g.anext()), Step::Yielded(1));
        assert_eq!(run(g.anext()), Step::Yielded(2));
        assert_eq!(run(g.anext()), Step::Returned(3));
    }
    none_alive();
    {
        let mut g = pin!(selfref(0));
        assert_eq!(run(g.anext()), Step::Yielded(1));
        assert_eq!(run(g.anext()), Step::Yielded(2));
        assert_eq!(run(g.aclose()), Ok(None));
    }
    none_alive();
    // athrow dropped mid-step: Athrow's drop closes.
    {
        let g = async_gen!(yield = u8, throw = u8 => {
            let t = Tracked::new(7);
            let mut v = vec![1u64];
            let _g = ReadsOnDrop(&mut v, &t);
            loop {
                if let Resume::Throw(_) = yield_catch!(1) { yield_now().await; }
            }
        });
        let mut g = pin!(g);
        assert_eq!(run(g.anext()), Step::Yielded(1));
        {
            let mut s = pin!(g.athrow(3));
            assert!(poll_once(s.as_mut()).is_pending());
        }
        assert_eq!(g.state(), GenState::Closed);
    }
    none_alive();
    // delegation: inner closed at a plain yield point through forward_step's close_now.
    {
        let outer = async_gen!(yield = u8, send = u8, throw = u8 => {
            let t = Tracked::new(8);
            let mut v = vec![1u64];
            let _g = ReadsOnDrop(&mut v, &t);
            let _ = yield_from!(selfref(0));
        });
        let mut outer = pin!(outer);
        assert_eq!(run(outer.anext()), Step::Yielded(1));
        let _ = run(outer.aclose());
    }
    none_alive();
}
