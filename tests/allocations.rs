//! The runtime allocates nothing: not per generator, not per item, not per `asend`/`athrow`/
//! `aclose`, not for delegation however deep, not for `for_await!`. Counted by a global allocator
//! that counts on the measuring thread only, while everything is driven without an executor.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use agen_runtime::{
    async_generator, for_await, yield_, yield_catch, yield_from, Resume, Step, ThrowError,
};

struct CountingAllocator;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; counting touches only
// const-initialised thread-locals, which do not allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|count| count.set(count.get() + 1));
        }
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Runs `fut` to completion with a no-op waker (every future here is ready or wakes itself),
/// and returns its output and the number of heap allocations made meanwhile on this thread.
fn allocations_of<F: Future>(fut: F) -> (F::Output, usize) {
    ALLOCATIONS.with(|count| count.set(0));
    COUNTING.with(|on| on.set(true));
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    let output = loop {
        if let Poll::Ready(output) = fut.as_mut().poll(&mut cx) {
            break output;
        }
    };
    COUNTING.with(|on| on.set(false));
    (output, ALLOCATIONS.with(Cell::get))
}

/// Pending once, then ready: a real suspension inside a body.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[derive(Debug, PartialEq)]
struct Fault;

#[async_generator(yield = u64, send = u64, throw = Fault)]
async fn worker() -> u64 {
    let mut total = 0;
    loop {
        YieldNow(false).await;
        match yield_catch!(total) {
            Resume::Next => total += 1,
            Resume::Send(value) => total += value,
            Resume::Throw(Fault) => total = 0,
            Resume::Close => {
                YieldNow(false).await; // async cleanup
                return total;
            }
        }
    }
}

#[test]
fn the_protocol_allocates_nothing() {
    let (total, allocations) = allocations_of(async {
        let mut gen = pin!(worker());
        assert_eq!(gen.anext().await, Step::Yielded(0));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.asend(10).await, Ok(Step::Yielded(11)));
        assert_eq!(gen.athrow(Fault).await, Ok(Step::Yielded(0)));
        assert_eq!(gen.asend(5).await, Ok(Step::Yielded(5)));
        let closed = gen.aclose().await;
        assert_eq!(gen.athrow(Fault).await, Err(ThrowError::Exhausted(Fault)));
        closed
    });
    assert_eq!(total, Ok(Some(5)));
    assert_eq!(allocations, 0);
}

#[async_generator(yield = u64, send = u64, throw = Fault)]
async fn level_2() -> u64 {
    yield_from!(worker())
}

#[async_generator(yield = u64, send = u64, throw = Fault)]
async fn level_1() -> u64 {
    yield_!(100);
    yield_from!(level_2())
}

#[test]
fn delegation_three_levels_deep_allocates_nothing() {
    let (closed, allocations) = allocations_of(async {
        let mut gen = pin!(level_1());
        assert_eq!(gen.anext().await, Step::Yielded(100));
        assert_eq!(gen.anext().await, Step::Yielded(0));
        assert_eq!(gen.asend(7).await, Ok(Step::Yielded(7)));
        assert_eq!(gen.athrow(Fault).await, Ok(Step::Yielded(0)));
        gen.aclose().await
    });
    assert_eq!(closed, Ok(None), "the close propagated out of every level");
    assert_eq!(allocations, 0);
}

#[async_generator(yield = u64)]
async fn count_up() {
    let mut n = 0;
    loop {
        yield_!(n);
        n += 1;
    }
}

#[test]
fn for_await_with_an_early_exit_allocates_nothing() {
    let (sum, allocations) = allocations_of(async {
        let mut sum = 0;
        for_await!(n in count_up() {
            if n == 100 {
                break;
            }
            sum += n;
        });
        sum
    });
    assert_eq!(sum, 4950);
    assert_eq!(allocations, 0);
}

#[test]
fn the_allocation_counter_counts() {
    let (_, allocations) = allocations_of(async { Box::new(1_u64) });
    assert_eq!(allocations, 1, "the counter must see a real allocation");
}
