//! The generator object: its body, its state, and the one place where the body is polled.

use core::cell::UnsafeCell;
use core::fmt;
use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

use crate::airlock::{Co, Resume, Slot, YieldKind};
use crate::body::{Body, BodyFn, Phase};

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
/// ```ignore
/// let mut gen = core::pin::pin!(countdown(3));
/// while let Step::Yielded(n) = gen.anext().await { … }
/// ```
///
/// The methods take `&mut Pin<&mut Self>`, so a pinned generator is used again and again without
/// `as_mut()`; a `Pin<Box<AsyncGen<_>>>` calls them through `gen.as_mut()`.
///
/// Dropping a generator drops its body on the spot: the destructors of its live locals run, but
/// no async cleanup can (Rust has no async drop). Await [`aclose`](Self::aclose) first to let a
/// catching yield point run async cleanup.
pub struct AsyncGen<B: Body> {
    // Declared before the airlock, so it is dropped first: the body's handle points into the
    // airlock.
    body: B,
    /// Where a started body is parked; meaningless before it starts and after it closes.
    parked: Parked,
    airlock: UnsafeCell<SlotOf<B>>,
    // The body's handle points into `airlock`, so the generator must not move once started.
    _pinned: PhantomPinned,
}

/// Where a started body is parked between two polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parked {
    /// At a plain yield point.
    Yield,
    /// At a catching yield point.
    CatchingYield,
    /// Inside a step that has not finished: at an inner `.await` of `anext`, `asend` or `athrow`.
    Running,
    /// Inside a close that has not finished: the body is running async cleanup.
    Closing,
}

/// The state of a generator, as Python's `ag_running` / `ag_suspended` / `ag_frame` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GenState {
    /// Not started: no code of the body has run (rules A1, A2).
    Created,
    /// Parked at a yield point, waiting for the next call (rule A3).
    Suspended,
    /// A step started and did not finish: its future was dropped while the body was parked at an
    /// inner `.await` (rules A4, F8). `anext()` finishes the step; `aclose()` closes.
    Running,
    /// Finished, closed, or panicked: the body has been dropped, and every step reports
    /// exhaustion (rules A5, A6).
    Closed,
}

/// What one poll of the body came to.
pub(crate) enum BodyEvent<Y, R> {
    /// The body reached a yield point.
    Yielded(Y),
    /// The body returned.
    Returned(R),
    /// The body exited on a close, with no return value ([`Co::exit`]).
    Exited,
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
    /// The future `start` returns must use the [`Co`] it is given only to create yield points and
    /// await each one at once in its own `async` context: never store a yield point, poll it from
    /// another future or task, nor move the `Co` out of the body. The runtime relies on yield
    /// points being polled only while it polls the body. The macro's expansion does exactly this,
    /// and the `Co` has a name user code cannot spell.
    pub unsafe fn new(start: F) -> Self {
        AsyncGen {
            body: BodyFn::new(start),
            parked: Parked::Running,
            airlock: UnsafeCell::new(Slot::Empty),
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
    pub(crate) fn position(&self) -> Position {
        match (self.body.phase(), self.parked) {
            (Phase::Created, _) => Position::Created,
            (Phase::Closed, _) => Position::Closed,
            (Phase::Started, Parked::Yield) => Position::AtYield(YieldKind::Plain),
            (Phase::Started, Parked::CatchingYield) => Position::AtYield(YieldKind::Catching),
            (Phase::Started, Parked::Running) => Position::Running,
            (Phase::Started, Parked::Closing) => Position::Closing,
        }
    }

    /// The fields, with the body pinned and the rest not.
    fn fields(self: Pin<&mut Self>) -> (Pin<&mut B>, &mut Parked, NonNull<SlotOf<B>>) {
        // SAFETY: `body` is structurally pinned: it is only used through `Pin` and dropped in
        // place with the generator. `parked` and the airlock are not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // `UnsafeCell::get` never returns null.
        let slot = NonNull::new(this.airlock.get()).expect("UnsafeCell::get is non-null");
        // SAFETY: see above.
        let body = unsafe { Pin::new_unchecked(&mut this.body) };
        (body, &mut this.parked, slot)
    }

    /// Drops the body in place (its destructors run) and marks the generator closed.
    pub(crate) fn close_now(self: Pin<&mut Self>) {
        let (body, _, slot) = self.fields();
        body.close();
        // SAFETY: the body is gone, so nothing else can reach the slot.
        unsafe { *slot.as_ptr() = Slot::Empty };
    }

    /// Starts the body of a created generator, so that the next [`poll_body`](Self::poll_body)
    /// runs it up to its first yield point.
    pub(crate) fn start(self: Pin<&mut Self>) {
        let (body, parked, slot) = self.fields();
        // SAFETY: the slot belongs to this generator, which is pinned (we hold `Pin<&mut Self>`)
        // and owns the body, so it outlives the body. `B` is sealed: its only implementor is
        // `BodyFn`, built by `AsyncGen::new`, whose caller promised to honour the contract.
        let co = unsafe { Co::new(slot) };
        body.start(co);
        *parked = Parked::Running;
    }

    /// Puts `resume` into the slot for the suspended yield point and marks the body as running
    /// (`Closing` for a close). The next [`poll_body`](Self::poll_body) delivers it.
    pub(crate) fn resume(self: Pin<&mut Self>, resume: Resume<SendOf<B>, ThrowOf<B>>) {
        let (_, parked, slot) = self.fields();
        *parked = match resume {
            Resume::Close => Parked::Closing,
            _ => Parked::Running,
        };
        // SAFETY: the body is not being polled (we hold the generator exclusively), so no yield
        // point is touching the slot.
        unsafe { *slot.as_ptr() = Slot::Resumed(resume) };
    }

    /// Polls the started body once and reports what it came to.
    ///
    /// If the body panics, the panic propagates to the caller and the generator is left closed,
    /// with the body dropped (rule A6 for panics).
    pub(crate) fn poll_body(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<BodyEvent<YieldOf<B>, ReturnOf<B>>> {
        let (mut body, parked, slot) = self.fields();
        if let Poll::Ready(value) = body.as_mut().poll_body(cx) {
            return Poll::Ready(BodyEvent::Returned(value));
        }
        // SAFETY: the poll of the body is over, so no yield point is touching the slot.
        let slot = unsafe { &mut *slot.as_ptr() };
        match core::mem::replace(slot, Slot::Empty) {
            Slot::Yielded(item, kind) => {
                *parked = match kind {
                    YieldKind::Plain => Parked::Yield,
                    YieldKind::Catching => Parked::CatchingYield,
                };
                Poll::Ready(BodyEvent::Yielded(item))
            }
            Slot::Exited => {
                body.close();
                Poll::Ready(BodyEvent::Exited)
            }
            Slot::Empty => Poll::Pending,
            // The body has not reached its yield point yet; the resumption waits for it.
            resumed @ Slot::Resumed(_) => {
                *slot = resumed;
                Poll::Pending
            }
        }
    }
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

impl<B: Body> fmt::Debug for AsyncGen<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncGen")
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

// SAFETY: `&AsyncGen` only reads the body's phase and `parked` (`state`, `is_exhausted`,
// `Debug`); the slot is touched only through `Pin<&mut AsyncGen>`. Sharing the generator between
// threads therefore shares the body and, conservatively, the protocol types, and is sound when
// they are `Sync`. (The `UnsafeCell` alone is what keeps the compiler from deriving this.)
unsafe impl<B> Sync for AsyncGen<B>
where
    B: Body + Sync,
    B::Yield: Sync,
    B::Send: Sync,
    B::Throw: Sync,
{
}
