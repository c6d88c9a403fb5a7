//! What a generator runs: the [`Body`] trait, and the one implementation the macro produces.

use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::airlock::Co;

/// The code of one async generator, and the four types of its protocol.
///
/// `#[async_generator]` functions return `AsyncGen<impl Body<…>>`, so a generator's types read
/// in its signature exactly as they were declared:
///
/// ```text
/// fn running_total(start: u64)
///     -> AsyncGen<impl Body<Yield = u64, Send = u64, Throw = Fault, Return = Summary>>
/// ```
///
/// A `Body` value holds the whole life of the body: the closure that starts it, then its running
/// future, then nothing. Keeping the future inside the opaque `impl Body` (not behind an
/// associated type) is what lets `Send` and `Sync` leak through it, so a generator is `Send`
/// exactly when its body is.
///
/// The trait is sealed: the only implementor is the one the macro builds, because the runtime's
/// soundness rests on how its code uses the yield handle (see
/// [`AsyncGen::new`](crate::AsyncGen::new)).
pub trait Body: sealed::Sealed {
    /// The items the generator yields: what `anext` returns in [`Step::Yielded`](crate::Step::Yielded).
    type Yield;
    /// What `asend` delivers to the suspended yield point.
    type Send;
    /// The error `athrow` delivers to the suspended yield point.
    type Throw;
    /// The value the body returns when it finishes: what `anext` returns in
    /// [`Step::Returned`](crate::Step::Returned).
    type Return;

    /// Where the body is in its life.
    #[doc(hidden)]
    fn phase(&self) -> Phase;

    /// Creates the running future from the closure. Only called in [`Phase::Created`].
    #[doc(hidden)]
    fn start(self: Pin<&mut Self>, co: Co<Self::Yield, Self::Send, Self::Throw>);

    /// Polls the running future; when it completes, the body is closed. If the poll panics, the
    /// body is dropped and closed before the panic goes on. Only called in [`Phase::Started`].
    #[doc(hidden)]
    fn poll_body(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Return>;

    /// Drops the closure or the future in place (their destructors run) and closes the body.
    #[doc(hidden)]
    fn close(self: Pin<&mut Self>);
}

/// Where a body is in its life.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not started: none of its code has run.
    Created,
    /// Its future exists and has not completed.
    Started,
    /// Finished, closed, or panicked: dropped.
    Closed,
}

/// The body built from a closure `FnOnce(Co<Y, S, E>) -> Fut`.
///
/// The type parameters fix the protocol types, which a closure alone cannot carry.
#[doc(hidden)]
pub struct BodyFn<F, Fut, Y, S, E> {
    state: BodyState<F, Fut>,
    // `fn() -> …` keeps the marker from affecting auto traits: `Y`, `S` and `E` are accounted
    // for by the airlock that really stores them.
    _protocol: PhantomData<fn() -> (Y, S, E)>,
}

enum BodyState<F, Fut> {
    Created(F),
    Started(Fut),
    Closed,
}

impl<F, Fut, Y, S, E> BodyFn<F, Fut, Y, S, E>
where
    F: FnOnce(Co<Y, S, E>) -> Fut,
    Fut: Future,
{
    pub(crate) fn new(start: F) -> Self {
        BodyFn {
            state: BodyState::Created(start),
            _protocol: PhantomData,
        }
    }

    /// The state, unpinned.
    fn state(self: Pin<&mut Self>) -> &mut BodyState<F, Fut> {
        // SAFETY: the future is structurally pinned: once `Started`, it is only polled in place
        // (`poll_body`) and dropped in place (by assigning another state). The closure is not
        // pinned and is moved out only in `Created`, when no future exists.
        unsafe { &mut self.get_unchecked_mut().state }
    }
}

impl<F, Fut, Y, S, E> Body for BodyFn<F, Fut, Y, S, E>
where
    F: FnOnce(Co<Y, S, E>) -> Fut,
    Fut: Future,
{
    type Yield = Y;
    type Send = S;
    type Throw = E;
    type Return = Fut::Output;

    fn phase(&self) -> Phase {
        match self.state {
            BodyState::Created(_) => Phase::Created,
            BodyState::Started(_) => Phase::Started,
            BodyState::Closed => Phase::Closed,
        }
    }

    fn start(self: Pin<&mut Self>, co: Co<Y, S, E>) {
        let state = self.state();
        // Move the closure out first: if it panics, the body is left closed.
        let BodyState::Created(start) = core::mem::replace(state, BodyState::Closed) else {
            unreachable!("agen: start() on a body that is not created")
        };
        *state = BodyState::Started(start(co));
    }

    fn poll_body(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Fut::Output> {
        let guard = CloseOnUnwind(self.state());
        let BodyState::Started(future) = &mut *guard.0 else {
            unreachable!("agen: poll_body() on a body that is not started")
        };
        // SAFETY: the future is pinned in place (see `state`).
        let polled = unsafe { Pin::new_unchecked(future) }.poll(cx);
        let state = guard.defuse();
        if polled.is_ready() {
            *state = BodyState::Closed;
        }
        polled
    }

    fn close(self: Pin<&mut Self>) {
        // Assigning drops the old state in place, which the future's pinning allows.
        *self.state() = BodyState::Closed;
    }
}

/// Closes the body if a poll of it unwinds, so a panicking body is dropped once and never
/// polled again.
struct CloseOnUnwind<'a, F, Fut>(&'a mut BodyState<F, Fut>);

impl<'a, F, Fut> CloseOnUnwind<'a, F, Fut> {
    /// The poll returned: give the state back without closing it.
    fn defuse(self) -> &'a mut BodyState<F, Fut> {
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never used or dropped again, so the reference is moved out once.
        unsafe { core::ptr::read(&this.0) }
    }
}

impl<F, Fut> Drop for CloseOnUnwind<'_, F, Fut> {
    fn drop(&mut self) {
        // Reached only while unwinding from the body's poll. Assigning drops the future in place.
        *self.0 = BodyState::Closed;
    }
}

mod sealed {
    pub trait Sealed {}
    impl<F, Fut, Y, S, E> Sealed for super::BodyFn<F, Fut, Y, S, E> {}
}
