//! The benchmark workloads, shared by the criterion bench (`benches/generators.rs`) and the
//! fixed-count driver (`benches/driver.rs`, for callgrind and the allocation / size report).
//!
//! Each workload is implemented once per implementation (hand-written state machine, agen,
//! async-stream, genawaiter) and driven by the same generic code, with no executor. Each run
//! returns a checksum that the caller compares with the closed-form expected value, and every
//! item passes through [`black_box`] on the consumer side, so no implementation can be folded
//! into a closed form by the optimizer.
//!
//! Every stream workload is consumed in two ways (a [`Consumer`]): *fused*, where the consumer
//! knows the stream's type and the optimizer merges generator and consumer into one loop, and
//! *`dyn`* (workload ids ending in `-dyn`), where every item is one real call of `poll_next`
//! through a `Pin<&mut dyn Stream>` that the optimizer cannot see through, the way an executor or
//! a `Box<dyn Stream>` consumer polls. Workloads 1 to 5 poll with [`Waker::noop`]; workload 6
//! with a real, `Arc`-based waker.

// Each bench binary uses a different subset of what is here.
#![allow(dead_code)]
// The generator fns take their consumer as a marker type parameter (see `Consumer`).
#![allow(clippy::extra_unused_type_parameters)]

pub mod w1_sum;
pub mod w2_create;
pub mod w3_pending;
pub mod w4_echo;
pub mod w5_delegate;
pub mod w6_waker;

pub mod budget;

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::task::{Context, Poll, Wake, Waker};

use agen_runtime::{AsyncGen, Body};
use futures_core::Stream;

/// Items per run in workloads 1, 3 and 5.
pub const N: u64 = 1000;
/// Generators created and drained per run in workload 2.
pub const GENERATORS: u64 = 100;
/// `asend` round trips per run in workload 4.
pub const ROUND_TRIPS: u64 = 1000;

/// The checksum counts each `Pending` the consumer saw as `2^PENDING_SHIFT`.
pub const PENDING_SHIFT: u32 = 40;
/// And each wake of the real waker (workload 6) as `2^WAKE_SHIFT`.
pub const WAKE_SHIFT: u32 = 52;

/// A global allocator that counts allocations (the bench binaries install it).
pub struct CountingAlloc;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counter has no
// influence on the memory handed out.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Heap allocations so far (allocations, zeroed allocations and reallocations).
pub fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// One workload × implementation.
pub struct Case {
    /// `w1-sum`, `w1-sum-dyn`, `w2-create`, …: the criterion group.
    pub workload: &'static str,
    /// `hand-written`, `agen`, `async-stream`, `genawaiter-stack`, …: the criterion function.
    pub implementation: &'static str,
    /// What one unit is: `item`, `generator`, `round trip`.
    pub unit: &'static str,
    /// Units per run: the per-unit figures divide by it.
    pub units: u64,
    /// Generators created per run: the allocation figure divides by it.
    pub generators: u64,
    /// Runs the workload once and returns its checksum.
    pub run: fn() -> u64,
    /// The checksum a correct run returns.
    pub expected: u64,
    /// `size_of_val` of the pinned generator (for genawaiter's stack API: shelf + handle).
    pub size: fn() -> usize,
    /// agen only: the size of the same generator built with the raw constructor, and of its
    /// body future (the budget: at most two words more).
    pub body: Option<fn() -> (usize, usize)>,
    /// What the last run observed beyond its checksum, for the report (workload 6: how many
    /// times the body cloned the waker).
    pub detail: Option<fn() -> String>,
}

impl Case {
    /// `w1-sum/agen`: the id the bench and the driver use.
    pub fn id(&self) -> String {
        format!("{}/{}", self.workload, self.implementation)
    }

    /// Runs the workload once and checks its checksum.
    #[inline]
    pub fn run_checked(&self) -> u64 {
        let checksum = (self.run)();
        assert_eq!(checksum, self.expected, "{}: wrong checksum", self.id());
        checksum
    }
}

/// Every case, in table order (within a workload, the floor first).
pub fn cases() -> Vec<Case> {
    let mut all = Vec::new();
    all.extend(w1_sum::cases());
    all.extend(w2_create::cases());
    all.extend(w3_pending::cases());
    all.extend(w4_echo::cases());
    all.extend(w5_delegate::cases());
    all.extend(w6_waker::cases());
    all
}

/// A context whose waker is [`Waker::noop`].
#[inline(always)]
pub fn noop_context() -> Context<'static> {
    Context::from_waker(Waker::noop())
}

/// Polls a stream to its end with `cx`. Returns the checksum: the wrapping sum of the items plus
/// `2^PENDING_SHIFT ×` the number of `Pending`s it returned. `on_pending` runs after each
/// `Pending` (workload 6 checks there that the waker was woken).
#[inline(always)]
fn drain_with<S: Stream<Item = u64> + ?Sized>(
    mut stream: Pin<&mut S>,
    cx: &mut Context<'_>,
    mut on_pending: impl FnMut(),
) -> u64 {
    let mut sum = 0u64;
    let mut pendings = 0u64;
    loop {
        match stream.as_mut().poll_next(cx) {
            Poll::Ready(Some(item)) => sum = sum.wrapping_add(black_box(item)),
            Poll::Ready(None) => break,
            Poll::Pending => {
                pendings += 1;
                on_pending();
            }
        }
    }
    sum.wrapping_add(pendings << PENDING_SHIFT)
}

/// Polls a stream to its end with a no-op waker, where the optimizer sees both sides (the fused
/// consumer). Returns the checksum of [`drain_with`].
#[inline(always)]
pub fn drain<S: Stream<Item = u64> + ?Sized>(stream: Pin<&mut S>) -> u64 {
    drain_with(stream, &mut noop_context(), || ())
}

/// Polls a stream to its end with a no-op waker through `Pin<&mut dyn Stream>`: one real,
/// indirect call of `poll_next` per item. The pointer goes through [`black_box`], so its vtable
/// is unknown to the optimizer and cannot be devirtualized, and the loop itself is
/// [`drain_dyn_loop`], one out-of-line function shared by every implementation.
#[inline(always)]
pub fn drain_dyn<S: Stream<Item = u64>>(stream: Pin<&mut S>) -> u64 {
    let stream: Pin<&mut dyn Stream<Item = u64>> = stream;
    drain_dyn_loop(black_box(stream))
}

/// The loop of [`drain_dyn`].
#[inline(never)]
pub fn drain_dyn_loop(stream: Pin<&mut dyn Stream<Item = u64>>) -> u64 {
    drain(stream)
}

/// How a workload's stream (or workload 4's step futures) is consumed: the run functions are
/// generic over it, and each workload lists its cases once per consumer.
///
/// The agen and async-stream generator fns take the consumer as a marker type parameter too,
/// unused in their bodies: each consumer drives its own copy of the generator. With one copy
/// shared by the fused and the `dyn` case, LLVM no longer inlines agen's step functions into the
/// fused consumer (they then have two callers), and the fused rows stop measuring a fused
/// consumer (w4-echo went from 7 to 27 instructions per round trip, w5-delegate from 61 to 104
/// per item).
pub trait Consumer {
    /// Polls `stream` to its end and returns its checksum (see [`drain_with`]).
    fn drain<S: Stream<Item = u64>>(stream: Pin<&mut S>) -> u64;

    /// Polls a future to completion with a no-op waker.
    #[inline(always)]
    fn block_on<F: Future>(future: F) -> F::Output {
        block_on(future)
    }
}

/// The consumer knows the stream's type ([`drain`]); no-op waker.
pub struct Fused;

/// The consumer polls through `Pin<&mut dyn Stream>` ([`drain_dyn`]); no-op waker.
pub struct Dyn;

/// Fused, with a real waker ([`drain_woken`]).
pub struct WokenFused;

/// Through `Pin<&mut dyn Stream>`, with a real waker ([`drain_woken_dyn`]).
pub struct WokenDyn;

impl Consumer for Fused {
    #[inline(always)]
    fn drain<S: Stream<Item = u64>>(stream: Pin<&mut S>) -> u64 {
        drain(stream)
    }
}

impl Consumer for Dyn {
    #[inline(always)]
    fn drain<S: Stream<Item = u64>>(stream: Pin<&mut S>) -> u64 {
        drain_dyn(stream)
    }

    #[inline(always)]
    fn block_on<F: Future>(future: F) -> F::Output {
        block_on_dyn(future)
    }
}

impl Consumer for WokenFused {
    #[inline(always)]
    fn drain<S: Stream<Item = u64>>(stream: Pin<&mut S>) -> u64 {
        drain_woken(stream)
    }
}

impl Consumer for WokenDyn {
    #[inline(always)]
    fn drain<S: Stream<Item = u64>>(stream: Pin<&mut S>) -> u64 {
        drain_woken_dyn(stream)
    }
}

/// Wakes of the [`real_waker`] so far.
static WAKES: AtomicU64 = AtomicU64::new(0);

/// The task a [`real_waker`] wakes: it counts its wakes, as an executor's task would queue itself.
struct CountingTask;

impl Wake for CountingTask {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        WAKES.fetch_add(1, Ordering::Relaxed);
    }
}

/// A real waker: `Waker::from(Arc<…>)`, so its clone and drop are reference-count updates, as with
/// tokio's or any `Arc`-based executor's wakers. Made once (its one allocation happens in the
/// first run, outside every count).
pub fn real_waker() -> &'static Waker {
    static WAKER: LazyLock<Waker> = LazyLock::new(|| Waker::from(Arc::new(CountingTask)));
    &WAKER
}

/// Polls a stream to its end with [`real_waker`], fused. After each `Pending` it checks that the
/// waker was woken since the previous one (an executor would never poll again otherwise). The
/// checksum is [`drain_with`]'s plus `2^WAKE_SHIFT ×` the number of wakes.
#[inline(always)]
pub fn drain_woken<S: Stream<Item = u64> + ?Sized>(stream: Pin<&mut S>) -> u64 {
    let start = WAKES.load(Ordering::Relaxed);
    let mut seen = start;
    let checksum = drain_with(stream, &mut Context::from_waker(real_waker()), || {
        let now = WAKES.load(Ordering::Relaxed);
        assert!(
            now != seen,
            "Pending without a wake: an executor would never poll again"
        );
        seen = now;
    });
    let wakes = WAKES.load(Ordering::Relaxed) - start;
    checksum.wrapping_add(wakes << WAKE_SHIFT)
}

/// [`drain_woken`] through `Pin<&mut dyn Stream>`, kept from fusing as [`drain_dyn`] is.
#[inline(always)]
pub fn drain_woken_dyn<S: Stream<Item = u64>>(stream: Pin<&mut S>) -> u64 {
    let stream: Pin<&mut dyn Stream<Item = u64>> = stream;
    drain_woken_dyn_loop(black_box(stream))
}

/// The loop of [`drain_woken_dyn`].
#[inline(never)]
pub fn drain_woken_dyn_loop(stream: Pin<&mut dyn Stream<Item = u64>>) -> u64 {
    drain_woken(stream)
}

/// Polls a future to completion with a no-op waker (used for the step futures).
#[inline(always)]
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = noop_context();
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// Polls a future to completion with a no-op waker through `Pin<&mut dyn Future>`: one real,
/// indirect call of `poll` per step (workload 4's `-dyn` consumer), kept from fusing as
/// [`drain_dyn`] is.
#[inline(always)]
pub fn block_on_dyn<F: Future>(future: F) -> F::Output {
    let future = std::pin::pin!(future);
    let future: Pin<&mut dyn Future<Output = F::Output>> = future;
    block_on_dyn_loop(black_box(future))
}

/// The loop of [`block_on_dyn`].
#[inline(never)]
pub fn block_on_dyn_loop<T>(future: Pin<&mut dyn Future<Output = T>>) -> T {
    block_on(future)
}

/// The sizes of a generator and of its body future.
pub fn agen_sizes<B: Body>(generator: &AsyncGen<B>) -> (usize, usize) {
    (
        std::mem::size_of_val(generator),
        generator.__body_future_size(),
    )
}

/// The size of genawaiter's stack generator running `$producer`: shelf plus handle, together what
/// it occupies. A macro, because the producer's future borrows the shelf's lifetime, which a
/// generic function's signature cannot name.
macro_rules! genawaiter_stack_size {
    ($producer:expr) => {{
        let mut shelf = genawaiter::stack::Shelf::new();
        let shelf_size = std::mem::size_of_val(&shelf);
        // SAFETY: what `let_gen_using!` does: `shelf` outlives the generator and is not touched
        // while it lives.
        let generator = unsafe { genawaiter::stack::Gen::new(&mut shelf, $producer) };
        shelf_size + std::mem::size_of_val(&generator)
    }};
}
pub(crate) use genawaiter_stack_size;

/// `0 + 1 + … + (n - 1)`.
pub const fn triangle(n: u64) -> u64 {
    n * (n.saturating_sub(1)) / 2
}

/// A future that returns `Pending` once, waking its waker first, then `Ready(())`: a real
/// suspension, the way an I/O future that is not ready yet behaves.
pub struct PendOnce {
    pended: bool,
}

impl PendOnce {
    /// A fresh one: its first poll is `Pending`.
    #[inline(always)]
    pub fn new() -> Self {
        PendOnce { pended: false }
    }
}

impl Future for PendOnce {
    type Output = ();

    #[inline(always)]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.pended {
            Poll::Ready(())
        } else {
            self.pended = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}
