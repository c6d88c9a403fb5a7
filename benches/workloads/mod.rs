//! The benchmark workloads, shared by the criterion bench (`benches/generators.rs`) and the
//! fixed-count driver (`benches/driver.rs`, for callgrind and the allocation / size report).
//!
//! Each workload is implemented once per implementation (hand-written state machine, agen,
//! async-stream, genawaiter) and driven by the same generic code: polled in a loop with
//! [`Waker::noop`], no executor. Each run returns a checksum that the caller compares with
//! the closed-form expected value, and every item passes through [`black_box`] on the consumer
//! side, so no implementation can be folded into a closed form by the optimizer.

// Each bench binary uses a different subset of what is here.
#![allow(dead_code)]

pub mod w1_sum;
pub mod w2_create;
pub mod w3_pending;
pub mod w4_echo;
pub mod w5_delegate;

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use agen_runtime::{AsyncGen, Body};
use futures_core::Stream;

/// Items per run in workloads 1, 3 and 5.
pub const N: u64 = 1000;
/// Generators created and drained per run in workload 2.
pub const GENERATORS: u64 = 100;
/// `asend` round trips per run in workload 4.
pub const ROUND_TRIPS: u64 = 1000;

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
    /// `w1-sum`, `w2-create`, …: the criterion group.
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
    all
}

/// A context whose waker is [`Waker::noop`].
#[inline(always)]
pub fn noop_context() -> Context<'static> {
    Context::from_waker(Waker::noop())
}

/// Polls a stream to its end with a no-op waker. Returns the checksum: the wrapping sum of the
/// items plus `2^40 ×` the number of `Pending`s it returned.
#[inline(always)]
pub fn drain<S: Stream<Item = u64> + ?Sized>(mut stream: Pin<&mut S>) -> u64 {
    let mut cx = noop_context();
    let mut sum = 0u64;
    let mut pendings = 0u64;
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(item)) => sum = sum.wrapping_add(black_box(item)),
            Poll::Ready(None) => break,
            Poll::Pending => pendings += 1,
        }
    }
    sum.wrapping_add(pendings << 40)
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

/// The sizes of a generator and of its body future.
pub fn agen_sizes<B: Body>(gen: &AsyncGen<B>) -> (usize, usize) {
    (std::mem::size_of_val(gen), gen.__body_future_size())
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
        let gen = unsafe { genawaiter::stack::Gen::new(&mut shelf, $producer) };
        shelf_size + std::mem::size_of_val(&gen)
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
