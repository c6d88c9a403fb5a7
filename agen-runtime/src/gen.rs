//! The generator object: its body, its state, and the one place where the body is polled.

use core::cell::UnsafeCell;
use core::fmt;
use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

use crate::airlock::{Co, Resume, Slot, YieldKind};
use crate::body::{Body, BodyFn};

pub(crate) type YieldOf<B> = <B as Body>::Yield;
pub(crate) type SendOf<B> = <B as Body>::Send;
pub(crate) type ThrowOf<B> = <B as Body>::Throw;
pub(crate) type ReturnOf<B> = <B as Body>::Return;
type SlotOf<B> = Slot<YieldOf<B>, SendOf<B>, ThrowOf<B>>;

/// An async generator: a body with yield points, driven by [`anext`](Self::anext),
/// [`asend`](Self::asend), [`athrow`](Self::athrow) and [`aclose`](Self::aclose), or as a
/// [`Stream`](futures_core::Stream).
///
/// `#[async_generator]` functions return one. Creating it runs no code of the body (rule A1); the
/// body starts on the first `anext`. A generator must be pinned before it is driven, because its
/// body refers to it; `core::pin::pin!` does that on the stack, `Box::pin` on the heap:
///
/// ```
/// # use agen_runtime::{async_generator, yield_, Step};
/// # #[async_generator(yield = u32)]
/// # async fn countdown(from: u32) { for n in (1..=from).rev() { yield_!(n); } }
/// # pollster::block_on(async {
/// let mut gen = core::pin::pin!(countdown(3));
/// let mut seen = Vec::new();
/// while let Step::Yielded(n) = gen.anext().await {
///     seen.push(n);
/// }
/// assert_eq!(seen, [3, 2, 1]);
/// # });
/// ```
///
/// The methods take `&mut Pin<&mut Self>`, so a pinned generator is used again and again without
/// `as_mut()`; a `Pin<Box<AsyncGen<_>>>` calls them through `gen.as_mut()`.
///
/// Dropping a generator drops its body on the spot: the destructors of its live locals run, but
/// no async cleanup can (Rust has no async drop). Await [`aclose`](Self::aclose) first to let a
/// catching yield point run async cleanup.
pub struct AsyncGen<B: Body> {
    /// The closure or the future; which one is live, the airlock's state says.
    ///
    /// In an `UnsafeCell` because the body may hold references into itself across a yield
    /// (`let r = &mut local; yield_!(…); r.push(…)`): a shared reference to the generator
    /// (`state()`, `Debug`) must not count as a read of the body's bytes, which would invalidate
    /// those references.
    body: UnsafeCell<B>,
    /// Where the body is, and what is in transit between it and the consumer.
    airlock: UnsafeCell<SlotOf<B>>,
    // The body's handle points into `airlock`, so the generator must not move once started.
    _pinned: PhantomPinned,
}

/// The state of a generator, as Python's `ag_running` / `ag_suspended` / `ag_frame` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GenState {
    /// Not started: no code of the body has run (rules A1, A2).
    Created,
    /// Parked at a yield point, waiting for the next call (rule A3).
    Suspended,
    /// A step started and did not finish: its future was dropped while the body was parked at an
    /// inner `.await` (rules A4, F8). `anext()` finishes an interrupted `anext` or `asend`;
    /// `aclose()` drops the body, or resumes an interrupted close (which `anext` reports as
    /// exhausted).
    Running,
    /// Finished, closed, or panicked: the body has been dropped, and every step reports
    /// exhaustion (rules A5, A6).
    Closed,
}

/// What one poll of the body came to.
pub(crate) enum BodyEvent<Y, R, E> {
    /// The body reached a yield point.
    Yielded(Y),
    /// The body returned.
    Returned(R),
    /// The body exited on a close, with no return value ([`Co::exit`]).
    Exited,
    /// The body raised this error out of it ([`Co::raise`]).
    Raised(E),
}

/// Where the body is, as the step futures see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    Created,
    AtYield(YieldKind),
    Running,
    Closing,
    Closed,
}

impl<F, Fut, Y, S, E> AsyncGen<BodyFn<F, Fut, Y, S, E>>
where
    F: FnOnce(Co<Y, S, E>) -> Fut,
    Fut: Future,
{
    /// Creates a generator from the closure that starts its body.
    ///
    /// This is what `#[async_generator]` expands to; prefer the macro.
    ///
    /// # Safety
    /// The future `start` returns must use the [`Co`] it is given only through its methods
    /// (`yield_`, `yield_catching`, `exit`, `raise`) and the runtime's delegation, awaiting each
    /// future they return at once in its own `async` context: never store one, poll it from
    /// another future or task, nor move the `Co` out of the body. The runtime relies on those
    /// futures being polled only while it polls the body. `raise` only after the body received
    /// `Resume::Throw` in the same step. The macro's expansion does exactly this, and the `Co`
    /// has a name user code cannot spell.
    pub unsafe fn new(start: F) -> Self {
        AsyncGen {
            body: UnsafeCell::new(BodyFn::new(start)),
            airlock: UnsafeCell::new(Slot::Created),
            _pinned: PhantomPinned,
        }
    }
}

impl<B: Body> AsyncGen<B> {
    /// The generator's state.
    pub fn state(&self) -> GenState {
        match self.position() {
            Position::Created => GenState::Created,
            Position::AtYield(_) => GenState::Suspended,
            Position::Running | Position::Closing => GenState::Running,
            Position::Closed => GenState::Closed,
        }
    }

    /// Whether the generator will never yield again: it has finished, been closed, or a close of
    /// it is under way.
    pub fn is_exhausted(&self) -> bool {
        matches!(self.position(), Position::Closed | Position::Closing)
    }

    /// Where the body is, for the step futures to choose what to do on their first poll.
    #[inline]
    pub(crate) fn position(&self) -> Position {
        // SAFETY: the slot is written only through `Pin<&mut Self>` (by the runtime, or by a yield
        // point during the runtime's poll of the body), so no write can overlap this read.
        match unsafe { &*self.airlock.get() } {
            Slot::Created => Position::Created,
            Slot::AtYield => Position::AtYield(YieldKind::Plain),
            Slot::AtCatchingYield => Position::AtYield(YieldKind::Catching),
            // A resumption the body has not taken yet counts as the step it belongs to.
            Slot::Running | Slot::Send(_) | Slot::Throw(_) => Position::Running,
            Slot::Closing | Slot::Close => Position::Closing,
            Slot::Closed => Position::Closed,
            Slot::Yielded(_) | Slot::YieldedCatching(_) | Slot::Exited | Slot::Raised(_) => {
                unreachable!("agen: an item or an exit was left in the airlock after a poll")
            }
        }
    }

    /// The body, pinned, and the airlock's slot.
    fn fields(self: Pin<&mut Self>) -> (Pin<&mut B>, NonNull<SlotOf<B>>) {
        // SAFETY: `body` is structurally pinned: it is only used through `Pin` and dropped in
        // place. The airlock is not pinned; it is only reached through its raw pointer.
        let this = unsafe { self.get_unchecked_mut() };
        // `UnsafeCell::get` never returns null.
        let slot = NonNull::new(this.airlock.get()).expect("UnsafeCell::get is non-null");
        // SAFETY: see above.
        let body = unsafe { Pin::new_unchecked(this.body.get_mut()) };
        (body, slot)
    }

    /// Drops the body in place (its destructors run) and marks the generator closed.
    pub(crate) fn close_now(self: Pin<&mut Self>) {
        let (body, slot) = self.fields();
        // SAFETY: the body is not being polled, so no yield point is touching the slot.
        // The slot says `Closed` before the body is dropped, so a panicking destructor cannot
        // lead to a second drop.
        let was = unsafe { core::ptr::replace(slot.as_ptr(), Slot::Closed) };
        match was {
            // SAFETY: the slot said the closure is live.
            Slot::Created => unsafe { body.drop_created() },
            Slot::Closed => {}
            // SAFETY: in every other state the body has started and not been dropped.
            _ => unsafe { body.drop_started() },
        }
    }

    /// Starts the body of a created generator, so that the next [`poll_body`](Self::poll_body)
    /// runs it up to its first yield point.
    pub(crate) fn start(self: Pin<&mut Self>) {
        let (body, slot) = self.fields();
        // SAFETY: the body is not being polled, so nothing else touches the slot. Marked closed
        // first: if the closure panics, nothing is live.
        let was = unsafe { core::ptr::replace(slot.as_ptr(), Slot::Closed) };
        // Once per generator, so checked rather than trusted: starting twice would take the
        // future for the closure.
        assert!(
            matches!(was, Slot::Created),
            "agen: start() on a generator that is not created"
        );
        // SAFETY: the slot belongs to this generator, which is pinned (we hold `Pin<&mut Self>`)
        // and owns the body, so it outlives the body. `B` is sealed: its only implementor is
        // `BodyFn`, built by `AsyncGen::new`, whose caller promised to honour the contract.
        let co = unsafe { Co::new(slot) };
        // SAFETY: the slot said `Created`, so the closure is live.
        unsafe { body.start(co) };
        // SAFETY: as above.
        unsafe { *slot.as_ptr() = Slot::Running };
    }

    /// Puts `resume` into the slot for the suspended yield point. The next
    /// [`poll_body`](Self::poll_body) delivers it.
    #[inline]
    pub(crate) fn resume(self: Pin<&mut Self>, resume: Resume<SendOf<B>, ThrowOf<B>>) {
        let (_, slot) = self.fields();
        // SAFETY: the body is not being polled (we hold the generator exclusively), so no yield
        // point is touching the slot. It holds `AtYield` or `AtCatchingYield`, which own nothing:
        // overwriting without dropping loses nothing.
        unsafe { slot.as_ptr().write(Slot::carrying(resume)) };
    }

    /// Polls the started body once and reports what it came to; panics if the body is not live,
    /// which happens when a step future is polled again after its last poll panicked.
    pub(crate) fn poll_body(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<BodyEvent<YieldOf<B>, ReturnOf<B>, ThrowOf<B>>> {
        assert!(
            matches!(self.position(), Position::Running | Position::Closing),
            "agen: a step future was polled again after its generator finished or panicked"
        );
        // SAFETY: `Running` and `Closing` mean the body has started and has not been dropped.
        unsafe { self.poll_live_body(cx) }
    }

    /// Polls the started body once and reports what it came to.
    ///
    /// If the body panics, the panic propagates to the caller and the generator is left closed,
    /// with the body dropped (rule A6 for panics).
    ///
    /// # Safety
    /// The body is live: [`position`](Self::position) is `Running` or `Closing`.
    #[inline]
    pub(crate) unsafe fn poll_live_body(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<BodyEvent<YieldOf<B>, ReturnOf<B>, ThrowOf<B>>> {
        let (body, slot) = self.fields();
        let mut guard = CloseOnUnwind { body, slot };
        // SAFETY: the caller guarantees the body's future is live.
        let polled = unsafe { guard.body.as_mut().poll_body(cx) };
        let body = guard.defuse();
        // SAFETY: the poll of the body is over, so no yield point is touching the slot.
        let slot = unsafe { &mut *slot.as_ptr() };
        if let Poll::Ready(value) = polled {
            *slot = Slot::Closed;
            // SAFETY: the future is live (it just completed) and, the slot saying `Closed`, is
            // dropped once.
            unsafe { body.drop_started() };
            return Poll::Ready(BodyEvent::Returned(value));
        }
        let parked = match slot {
            Slot::Yielded(_) => Slot::AtYield,
            Slot::YieldedCatching(_) => Slot::AtCatchingYield,
            Slot::Exited | Slot::Raised(_) => {
                let event = match core::mem::replace(slot, Slot::Closed) {
                    Slot::Raised(error) => BodyEvent::Raised(error),
                    _ => BodyEvent::Exited,
                };
                // SAFETY: as for a completed future above.
                unsafe { body.drop_started() };
                return Poll::Ready(event);
            }
            // Parked at an inner `.await`, or not at its yield point yet.
            _ => return Poll::Pending,
        };
        match core::mem::replace(slot, parked) {
            Slot::Yielded(item) | Slot::YieldedCatching(item) => {
                Poll::Ready(BodyEvent::Yielded(item))
            }
            _ => unreachable!("agen: the slot was checked to hold an item"),
        }
    }
}

/// Closes the generator if a poll of its body unwinds, so a panicking body is dropped once and
/// never polled again.
struct CloseOnUnwind<'a, B: Body> {
    body: Pin<&'a mut B>,
    slot: NonNull<SlotOf<B>>,
}

impl<'a, B: Body> CloseOnUnwind<'a, B> {
    /// The poll returned: give the body back without closing it.
    fn defuse(self) -> Pin<&'a mut B> {
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never used or dropped again, so the reference is moved out once.
        unsafe { core::ptr::read(&this.body) }
    }
}

impl<B: Body> Drop for CloseOnUnwind<'_, B> {
    fn drop(&mut self) {
        // Reached only while unwinding from the body's poll, which is over: nothing else touches
        // the slot. Marked closed first, so the future is dropped once.
        // SAFETY: see above.
        unsafe { *self.slot.as_ptr() = Slot::Closed };
        // SAFETY: the future was live when its poll began, and a panicking poll does not drop it.
        unsafe { self.body.as_mut().drop_started() };
    }
}

impl<B: Body> Drop for AsyncGen<B> {
    fn drop(&mut self) {
        // SAFETY: `self` is pinned (or was never started, when pinning does not matter yet), and
        // is not used again after this.
        unsafe { Pin::new_unchecked(self) }.close_now();
    }
}

impl<B: Body> fmt::Debug for AsyncGen<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncGen")
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

// SAFETY: `&AsyncGen` only reads the slot's state (`state`, `is_exhausted`, `Debug`), and the slot
// is written only through `Pin<&mut AsyncGen>`, so no write can race with those reads. Sharing the
// generator between threads therefore shares the body and, through the slot, the protocol types,
// and is sound when they are `Sync`. (The `UnsafeCell` alone is what keeps the compiler from
// deriving this.)
unsafe impl<B> Sync for AsyncGen<B>
where
    B: Body + Sync,
    B::Yield: Sync,
    B::Send: Sync,
    B::Throw: Sync,
{
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::size_of_val;

    /// The generator costs at most two words over its body's future (the performance budget):
    /// the closure shares its space with the future it becomes.
    #[test]
    fn a_generator_is_at_most_two_words_bigger_than_its_body_future() {
        fn overhead<Y, S, E, F, Fut>(start: F) -> (usize, usize)
        where
            F: FnOnce(Co<Y, S, E>) -> Fut + Clone,
            Fut: Future,
        {
            let mut slot = Slot::<Y, S, E>::Created;
            // SAFETY: the handle points to a real slot and the future is never polled.
            let co = unsafe { Co::new(NonNull::from(&mut slot)) };
            let future = start.clone()(co);
            // SAFETY: the generator is never driven.
            let gen = unsafe { AsyncGen::new(start) };
            (size_of_val(&gen), size_of_val(&future))
        }
        let word = core::mem::size_of::<usize>();
        let (gen, future) = overhead(|mut co: Co<u64, u64, ()>| async move {
            let mut total = 0u64;
            for i in 0..10u64 {
                total += co.yield_(i).await.unwrap_or(0);
            }
            total
        });
        assert!(
            gen <= future + 2 * word,
            "generator {gen} bytes, body future {future} bytes"
        );
        let (gen, future) = overhead(
            |mut co: Co<[u8; 64], (), core::convert::Infallible>| async move {
                let buf = [7u8; 64];
                co.yield_(buf).await;
            },
        );
        assert!(
            gen <= future + 64 + 2 * word,
            "generator {gen} bytes, body future {future} bytes"
        );
    }
}
