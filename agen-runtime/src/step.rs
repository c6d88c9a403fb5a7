//! The protocol's four methods and the futures they return.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{ready, Context, Poll};

use futures_core::FusedFuture;

use crate::body::{Body, Erasable, INTERNAL};
use crate::error::{CloseIgnored, SendError, ThrowError};
use crate::exchange::Transit;
use crate::gen::{
    over_generators, AsyncGen, BodyEvent, Erased, EventOf, Parts, Position, ReturnOf, SendOf,
    ThrowOf, TransitOf, YieldOf,
};
use crate::yield_point::Resume;

/// What one step of a generator came to.
///
/// A dedicated enum rather than `Option<Y>`, so a yielded `None` never reads as the end
/// (rule C6).
///
/// ```
/// use agen_runtime::{async_gen, Step};
///
/// # pollster::block_on(async {
/// let maybe = async_gen!(yield = Option<u8>, return = &str => {
///     yield None;
///     "done"
/// });
/// let mut maybe = core::pin::pin!(maybe);
/// assert_eq!(maybe.anext().await, Step::Yielded(None)); // an item, not the end
/// assert_eq!(maybe.anext().await, Step::Returned("done")); // once, to the step that saw it
/// assert_eq!(maybe.anext().await, Step::Exhausted); // every step after that
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use = "a step may carry the generator's item or return value"]
pub enum Step<Y, R> {
    /// The body reached a yield point with this item.
    Yielded(Y),
    /// The body finished during this step and returned this value. Each generator reports its
    /// return value once, to the step that saw the body finish (rule J9).
    Returned(R),
    /// The generator had already finished or been closed (Python's `StopAsyncIteration`, rules
    /// C2, C3, B6, E10). Reported again on every later step.
    Exhausted,
}

impl<Y, R> Step<Y, R> {
    /// The yielded item, if any.
    ///
    /// ```
    /// # use agen_runtime::Step;
    /// assert_eq!(Step::<u8, ()>::Yielded(3).yielded(), Some(3));
    /// assert_eq!(Step::<u8, ()>::Returned(()).yielded(), None);
    /// ```
    pub fn yielded(self) -> Option<Y> {
        match self {
            Step::Yielded(item) => Some(item),
            _ => None,
        }
    }

    /// The return value, if the body finished during this step.
    ///
    /// ```
    /// # use agen_runtime::Step;
    /// assert_eq!(Step::<(), &str>::Returned("done").returned(), Some("done"));
    /// assert_eq!(Step::<(), &str>::Exhausted.returned(), None);
    /// ```
    pub fn returned(self) -> Option<R> {
        match self {
            Step::Returned(value) => Some(value),
            _ => None,
        }
    }

    /// Whether the body reached a yield point.
    ///
    /// ```
    /// # use agen_runtime::Step;
    /// assert!(Step::<u8, ()>::Yielded(1).is_yielded());
    /// ```
    pub fn is_yielded(&self) -> bool {
        matches!(self, Step::Yielded(_))
    }

    /// Whether the body finished during this step.
    ///
    /// ```
    /// # use agen_runtime::Step;
    /// assert!(Step::<u8, ()>::Returned(()).is_returned());
    /// ```
    pub fn is_returned(&self) -> bool {
        matches!(self, Step::Returned(_))
    }

    /// Whether the generator had already finished or been closed.
    ///
    /// ```
    /// # use agen_runtime::Step;
    /// assert!(Step::<u8, ()>::Exhausted.is_exhausted());
    /// ```
    pub fn is_exhausted(&self) -> bool {
        matches!(self, Step::Exhausted)
    }
}

impl<Y, R, E> BodyEvent<Y, R, E> {
    /// The step an `anext` or `asend` reports for this event.
    fn into_step(self) -> Step<Y, R> {
        match self {
            BodyEvent::Yielded(item) => Step::Yielded(item),
            BodyEvent::Returned(value) => Step::Returned(value),
            // Exiting outside a close ends the body with no return value.
            BodyEvent::Exited => Step::Exhausted,
            BodyEvent::Raised(_) => raised_outside_athrow(),
        }
    }
}

/// `Co::raise` re-raises a thrown error, so it only happens inside an `athrow` step (which never
/// leaves its step to another: see `Athrow`'s `Drop`).
#[cold]
#[inline(never)]
pub(crate) fn raised_outside_athrow() -> ! {
    panic!(
        "agen: a generator body raised an error outside an athrow step (the error is dropped: \
         only the athrow that threw it can hand it back, and that step had already ended, for \
         example with an item a `finally` block yielded while the error waited)"
    )
}

impl<B: Body> AsyncGen<B> {
    /// Resumes the generator and returns its next [`Step`] (Python's `__anext__()`, or
    /// `asend(None)`).
    ///
    /// - Created: starts the body and runs it to its first yield point (rule B1).
    /// - Suspended: resumes the yield point with `None` (plain) or [`Resume::Next`] (catching)
    ///   (rule B5).
    /// - Running (an earlier step's future was dropped mid-step): finishes that step and
    ///   returns its result, so nothing is lost. This makes `anext` cancel-safe: dropping its
    ///   future and calling it again loses no item (rule F8, agen's choice).
    /// - Closed, or being closed: [`Step::Exhausted`], every time (rules C3, E10).
    ///
    /// Nothing happens until the future is first polled (rule A1).
    ///
    /// ```
    /// use agen_runtime::{async_gen, Step};
    ///
    /// # pollster::block_on(async {
    /// let letters = async_gen! {
    ///     yield 'a';
    ///     yield 'b';
    /// };
    /// let mut letters = core::pin::pin!(letters);
    /// let mut seen = Vec::new();
    /// while let Step::Yielded(letter) = letters.anext().await {
    ///     seen.push(letter);
    /// }
    /// assert_eq!(seen, ['a', 'b']);
    /// # });
    /// ```
    #[cfg_attr(debug_assertions, inline(always))]
    pub fn anext<'a>(self: &'a mut Pin<&mut Self>) -> Anext<'a, B> {
        Anext::new(self.as_mut())
    }

    /// Sends `value` to the suspended yield point and returns the next [`Step`] (Python's
    /// `asend(value)`, rule B4).
    ///
    /// Fails, handing `value` back, when no yield point is waiting for it: on a created generator
    /// (rule B2, and the generator stays created, B3), while an interrupted step is unfinished
    /// (F1), and on a finished one (B6). Once the value is delivered the result is `Ok`: the
    /// next item, the return value, or `Step::Exhausted` if the body ended with `closed!()`.
    ///
    /// ```
    /// use agen_runtime::{async_gen, SendError, Step};
    ///
    /// # pollster::block_on(async {
    /// let echo = async_gen!(yield = String, send = String => {
    ///     let mut heard = String::from("ready");
    ///     while let Some(said) = (yield heard) {
    ///         heard = said.to_uppercase();
    ///     }
    /// });
    /// let mut echo = core::pin::pin!(echo);
    /// // Nothing is waiting for a value before the first step: it comes back.
    /// assert_eq!(echo.asend("hi".into()).await, Err(SendError::NotStarted("hi".into())));
    /// assert_eq!(echo.anext().await, Step::Yielded("ready".into()));
    /// assert_eq!(echo.asend("hi".into()).await, Ok(Step::Yielded("HI".into())));
    /// # });
    /// ```
    #[cfg_attr(debug_assertions, inline(always))]
    pub fn asend<'a>(self: &'a mut Pin<&mut Self>, value: SendOf<B>) -> Asend<'a, B> {
        Asend::new(self.as_mut(), value)
    }

    /// Throws `error` in at the suspended yield point (Python's `athrow(error)`).
    ///
    /// - Created: the body never runs; the error comes back as [`ThrowError::Uncaught`] and the
    ///   generator is closed (rule D1).
    /// - At a plain yield point, which does not catch: the body is dropped there (its destructors
    ///   run), the error comes back as `Uncaught`, and the generator is closed (D4).
    /// - At a catching yield point: the body receives [`Resume::Throw`]; the step returns the
    ///   next item if it yields again (D2), or `Step::Returned` if it finishes (D3) (or
    ///   `Step::Exhausted` if it ends with `closed!()`). To raise a different error the body
    ///   returns it through its return type (D5).
    /// - While an interrupted step is unfinished: `ThrowError::Running` (F2).
    /// - Closed: `ThrowError::Exhausted` (D9, agen's choice: handed back, not dropped).
    ///
    /// Unlike the other steps, an `athrow` is not left in flight when its future is dropped
    /// before completing: the generator is closed then (its body dropped), because the thrown
    /// error may still come back out of the body and only this future could hand it back.
    ///
    /// ```
    /// use agen_runtime::{async_gen, yield_catch, Resume, Step, ThrowError};
    ///
    /// # pollster::block_on(async {
    /// let retrying = async_gen!(yield = u32, throw = &'static str => {
    ///     let mut tries = 1;
    ///     while let Resume::Throw(_) = yield_catch!(tries) {
    ///         tries += 1; // caught: try again
    ///     }
    /// });
    /// let mut retrying = core::pin::pin!(retrying);
    /// assert_eq!(retrying.anext().await, Step::Yielded(1));
    /// assert_eq!(retrying.athrow("timeout").await, Ok(Step::Yielded(2)));
    ///
    /// let plain = async_gen!(yield = u32, throw = &'static str => { yield 1; });
    /// let mut plain = core::pin::pin!(plain);
    /// assert_eq!(plain.anext().await, Step::Yielded(1));
    /// // A plain yield point does not catch: the error comes back, the generator is closed.
    /// assert_eq!(plain.athrow("timeout").await, Err(ThrowError::Uncaught("timeout")));
    /// # });
    /// ```
    #[cfg_attr(debug_assertions, inline(always))]
    pub fn athrow<'a>(self: &'a mut Pin<&mut Self>, error: ThrowOf<B>) -> Athrow<'a, B> {
        Athrow::new(self.as_mut(), error)
    }

    /// Closes the generator (Python's `aclose()`).
    ///
    /// - Created: closed without running any code of the body; `Ok(None)` (rule E1).
    /// - At a plain yield point: the body is dropped there, its destructors run; `Ok(None)` (E2).
    /// - At a catching yield point: the body receives [`Resume::Close`] and may await async
    ///   cleanup. If it then returns, `Ok(Some(value))`; if it exits on the close, `Ok(None)`
    ///   (E2, E3, E4). If it yields instead, the item comes back in [`CloseIgnored`] and the
    ///   generator is closed (E5, E6).
    /// - While an interrupted step is unfinished: the body is dropped; `Ok(None)`. While an
    ///   interrupted close is unfinished: the close is resumed where it was.
    /// - Closed: `Ok(None)`, every time (E9).
    ///
    /// After `aclose` completes, the generator is closed whatever the outcome (E10).
    ///
    /// ```
    /// use agen_runtime::{async_gen, yield_catch, GenState, Resume, Step};
    ///
    /// # pollster::block_on(async {
    /// let mut log = Vec::new();
    /// {
    ///     let log = &mut log;
    ///     let ticks = async_gen!(yield = u32, return = usize => {
    ///         let mut n = 0;
    ///         while let Resume::Next = yield_catch!(n) {
    ///             n += 1;
    ///         }
    ///         log.push("flushed"); // async cleanup: may `.await` here
    ///         log.len()
    ///     });
    ///     let mut ticks = core::pin::pin!(ticks);
    ///     assert_eq!(ticks.anext().await, Step::Yielded(0));
    ///     assert_eq!(ticks.aclose().await, Ok(Some(1))); // the body returned while closing
    ///     assert_eq!(ticks.state(), GenState::Closed);
    ///     assert_eq!(ticks.aclose().await, Ok(None)); // a no-op once closed
    /// }
    /// assert_eq!(log, ["flushed"]);
    /// # });
    /// ```
    #[cfg_attr(debug_assertions, inline(always))]
    pub fn aclose<'a>(self: &'a mut Pin<&mut Self>) -> Aclose<'a, B> {
        Aclose::new(self.as_mut())
    }
}

over_generators! {
    impl<L> AsyncGen<L> {
        /// The body of `anext` and of `Stream::poll_next`.
        // Once per protocol in debug builds, not inlined into each generator's entry point.
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn poll_anext(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Step<YieldOf<L>, ReturnOf<L>>> {
            self.parts().poll_anext(cx)
        }

        /// `anext`'s poll of the body (`None`, without polling, if the generator is closed or
        /// closing); delegation drives the inner generator with it too.
        // Once per protocol in debug builds, not inlined into each generator's entry point.
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn poll_resumed_with_next(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Option<Poll<EventOf<L>>> {
            self.parts().poll_resumed_with_next(cx)
        }
    }
}

impl<L: Body + ?Sized> Parts<'_, L> {
    /// See [`AsyncGen::poll_anext`].
    #[cfg_attr(not(debug_assertions), inline)]
    pub(crate) fn poll_anext(self, cx: &mut Context<'_>) -> Poll<Step<YieldOf<L>, ReturnOf<L>>> {
        match self.poll_resumed_with_next(cx) {
            Some(Poll::Ready(event)) => Poll::Ready(event.into_step()),
            Some(Poll::Pending) => Poll::Pending,
            None => Poll::Ready(Step::Exhausted),
        }
    }

    /// See [`AsyncGen::poll_resumed_with_next`].
    ///
    /// The body is resumed with `Next` wherever it is: a yield point takes it; a body parked at
    /// an inner `.await` goes on from there and the `Next` is dropped once it yields again. So
    /// every path polls the body with the same resumption, and the optimizer compiles one poll
    /// of the body, knowing what it carries.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn poll_resumed_with_next(
        mut self,
        cx: &mut Context<'_>,
    ) -> Option<Poll<EventOf<L>>> {
        match self.position() {
            Position::AtPlain | Position::AtCatching | Position::Running => {}
            Position::Created => self.as_mut().start(),
            Position::Closing | Position::Closed => return None,
        }
        // SAFETY: the body was just started, or is parked at a yield point or an inner `.await`:
        // it is live.
        Some(unsafe { self.poll_live_body(cx, Transit::Resume(Resume::Next)) })
    }
}

/// Marks a step future complete: `polling` then catches a later poll.
#[cfg_attr(debug_assertions, inline(always))]
#[cfg_attr(not(debug_assertions), inline)]
fn finish<B: Body>(gen: &mut Option<Pin<&mut AsyncGen<B>>>) {
    *gen = None;
}

/// The generator a step future drives, as the step logic drives it ([`Erased`]).
#[cfg_attr(debug_assertions, inline(always))]
#[cfg_attr(not(debug_assertions), inline)]
fn polling<'s, B: Body>(gen: &'s mut Option<Pin<&mut AsyncGen<B>>>) -> Pin<&'s mut Erased<'s, B>> {
    let gen = gen
        .as_mut()
        .expect("agen: a step future was polled after it completed")
        .as_mut();
    Erasable::erase(gen, INTERNAL).0
}

/// The future of [`AsyncGen::anext`].
///
/// Polling it again after it completed panics (rule G1; `.await` cannot do this). Dropping it
/// before it completed leaves the step in flight for the next `anext` to finish (rule F8):
///
/// ```
/// use core::future::Future;
/// use core::task::{Context, Poll, Waker};
/// use agen_runtime::{async_gen, GenState, Step};
///
/// # pollster::block_on(async {
/// let mut first = true;
/// let slow = async_gen! {
///     // Pending once, as a real I/O future would be.
///     core::future::poll_fn(|cx| {
///         if core::mem::take(&mut first) {
///             cx.waker().wake_by_ref();
///             Poll::Pending
///         } else {
///             Poll::Ready(())
///         }
///     })
///     .await;
///     yield 7_u8;
/// };
/// let mut slow = core::pin::pin!(slow);
/// {
///     let mut step = core::pin::pin!(slow.anext());
///     let pending = step.as_mut().poll(&mut Context::from_waker(Waker::noop()));
///     assert!(pending.is_pending());
/// } // the step's future is dropped here, mid-step
/// assert_eq!(slow.state(), GenState::Running);
/// assert_eq!(slow.anext().await, Step::Yielded(7)); // nothing lost
/// # });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Anext<'a, B: Body> {
    gen: Option<Pin<&'a mut AsyncGen<B>>>,
}

impl<B: Body> Future for Anext<'_, B> {
    type Output = Step<YieldOf<B>, ReturnOf<B>>;

    #[cfg_attr(debug_assertions, inline(always))]
    #[cfg_attr(not(debug_assertions), inline)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let step = ready!(polling(&mut this.gen).poll_anext(cx));
        finish(&mut this.gen);
        Poll::Ready(step)
    }
}

/// The future of [`AsyncGen::asend`]; see there for an example.
///
/// Polling it again after it completed panics (rule G1).
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Asend<'a, B: Body> {
    gen: Option<Pin<&'a mut AsyncGen<B>>>,
    value: Option<SendOf<B>>,
}

impl<B: Body> Future for Asend<'_, B> {
    type Output = Result<Step<YieldOf<B>, ReturnOf<B>>, SendError<SendOf<B>>>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let hand_in = |gen: Pin<&mut Erased<'_, B>>, value| match gen.position() {
            Position::AtPlain | Position::AtCatching => Ok(Transit::Resume(Resume::Send(value))),
            Position::Created => Err(SendError::NotStarted(value)),
            Position::Running | Position::Closing => Err(SendError::Running(value)),
            Position::Closed => Err(SendError::Exhausted(value)),
        };
        poll_handing_in(&mut this.gen, &mut this.value, cx, hand_in, |event| {
            Ok(event.into_step())
        })
    }
}

/// Drives a step that hands an argument in: its first poll gives the argument to `hand_in`,
/// which either resumes the body with it or hands it back in an error; from then on each poll
/// drives the body, and `outcome` says what its last event means.
#[inline]
fn poll_handing_in<B: Body, A, E>(
    gen: &mut Option<Pin<&mut AsyncGen<B>>>,
    argument: &mut Option<A>,
    cx: &mut Context<'_>,
    hand_in: impl FnOnce(Pin<&mut Erased<'_, B>>, A) -> Result<TransitOf<B>, E>,
    outcome: impl FnOnce(EventOf<B>) -> StepResult<B, E>,
) -> Poll<StepResult<B, E>> {
    let mut current = polling(gen);
    let transit = match argument
        .take()
        .map(|argument| hand_in(current.as_mut(), argument))
    {
        Some(Ok(transit)) => transit,
        Some(Err(error)) => {
            finish(gen);
            return Poll::Ready(Err(error));
        }
        // Handed in on an earlier poll, and taken by the yield point then.
        None => Transit::Empty,
    };
    let event = ready!(current.poll_body(cx, transit));
    finish(gen);
    Poll::Ready(outcome(event))
}

type StepResult<B, E> = Result<Step<YieldOf<B>, ReturnOf<B>>, E>;

/// The future of [`AsyncGen::athrow`]; see there for an example.
///
/// Polling it again after it completed panics (rules G2, G3).
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Athrow<'a, B: Body> {
    gen: Option<Pin<&'a mut AsyncGen<B>>>,
    error: Option<ThrowOf<B>>,
}

impl<B: Body> Future for Athrow<'_, B> {
    type Output = Result<Step<YieldOf<B>, ReturnOf<B>>, ThrowError<ThrowOf<B>>>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let hand_in = |gen: Pin<&mut Erased<'_, B>>, error| match gen.position() {
            Position::AtCatching => Ok(Transit::Resume(Resume::Throw(error))),
            Position::Created | Position::AtPlain => {
                gen.close_now();
                Err(ThrowError::Uncaught(error))
            }
            Position::Running | Position::Closing => Err(ThrowError::Running(error)),
            Position::Closed => Err(ThrowError::Exhausted(error)),
        };
        poll_handing_in(
            &mut this.gen,
            &mut this.error,
            cx,
            hand_in,
            |event| match event {
                BodyEvent::Raised(error) => Err(ThrowError::Uncaught(error)),
                event => Ok(event.into_step()),
            },
        )
    }
}

/// An `athrow` dropped while its step is under way closes the generator (the body is dropped,
/// its destructors run), instead of leaving the step for `anext` to finish as other steps do:
/// the thrown error may still come back out of the body, and only this future could hand it to
/// its caller.
impl<B: Body> Drop for Athrow<'_, B> {
    fn drop(&mut self) {
        let delivered = self.error.is_none();
        if let (true, Some(gen)) = (delivered, self.gen.as_mut()) {
            Erasable::erase(gen.as_mut(), INTERNAL).0.close_now();
        }
    }
}

/// The future of [`AsyncGen::aclose`]; see there for an example.
///
/// Polling it again after it completed panics (rule G2).
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Aclose<'a, B: Body> {
    gen: Option<Pin<&'a mut AsyncGen<B>>>,
    started: bool,
}

impl<B: Body> Future for Aclose<'_, B> {
    type Output = Result<Option<ReturnOf<B>>, CloseIgnored<YieldOf<B>>>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut gen = polling(&mut this.gen);
        let mut transit = Transit::Empty;
        if !core::mem::replace(&mut this.started, true) {
            match gen.position() {
                Position::AtCatching => {
                    transit = Transit::Resume(Resume::Close);
                }
                // An interrupted close goes on where it was.
                Position::Closing => {}
                // Nothing can run cleanup: drop what is there (nothing, once closed).
                Position::Created | Position::AtPlain | Position::Running | Position::Closed => {
                    gen.as_mut().close_now();
                    finish(&mut this.gen);
                    return Poll::Ready(Ok(None));
                }
            }
        }
        let outcome = match ready!(gen.as_mut().poll_body(cx, transit)) {
            BodyEvent::Returned(value) => Ok(Some(value)),
            BodyEvent::Exited => Ok(None),
            BodyEvent::Yielded(item) => {
                gen.as_mut().close_now();
                Err(CloseIgnored(item))
            }
            BodyEvent::Raised(_) => raised_outside_athrow(),
        };
        finish(&mut this.gen);
        Poll::Ready(outcome)
    }
}

impl<B: Body> FusedFuture for Anext<'_, B> {
    fn is_terminated(&self) -> bool {
        self.gen.is_none()
    }
}

impl<B: Body> FusedFuture for Asend<'_, B> {
    fn is_terminated(&self) -> bool {
        self.gen.is_none()
    }
}

impl<B: Body> FusedFuture for Athrow<'_, B> {
    fn is_terminated(&self) -> bool {
        self.gen.is_none()
    }
}

impl<B: Body> FusedFuture for Aclose<'_, B> {
    fn is_terminated(&self) -> bool {
        self.gen.is_none()
    }
}

impl<'a, B: Body> Anext<'a, B> {
    #[inline(always)]
    pub(crate) fn new(gen: Pin<&'a mut AsyncGen<B>>) -> Self {
        Anext { gen: Some(gen) }
    }
}

impl<'a, B: Body> Asend<'a, B> {
    #[inline(always)]
    pub(crate) fn new(gen: Pin<&'a mut AsyncGen<B>>, value: SendOf<B>) -> Self {
        Asend {
            gen: Some(gen),
            value: Some(value),
        }
    }
}

impl<'a, B: Body> Athrow<'a, B> {
    #[inline(always)]
    pub(crate) fn new(gen: Pin<&'a mut AsyncGen<B>>, error: ThrowOf<B>) -> Self {
        Athrow {
            gen: Some(gen),
            error: Some(error),
        }
    }
}

impl<'a, B: Body> Aclose<'a, B> {
    #[inline(always)]
    pub(crate) fn new(gen: Pin<&'a mut AsyncGen<B>>) -> Self {
        Aclose {
            gen: Some(gen),
            started: false,
        }
    }
}

// The step futures never pin what they hold: the generator is behind its own `Pin`, and the
// value or error is moved out on the first poll.
impl<B: Body> Unpin for Anext<'_, B> {}
impl<B: Body> Unpin for Asend<'_, B> {}
impl<B: Body> Unpin for Athrow<'_, B> {}
impl<B: Body> Unpin for Aclose<'_, B> {}

macro_rules! debug_step_future {
    ($($name:ident),*) => {$(
        impl<B: Body> fmt::Debug for $name<'_, B> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("terminated", &self.gen.is_none())
                    .finish_non_exhaustive()
            }
        }
    )*};
}
debug_step_future!(Anext, Asend, Athrow, Aclose);

/// The bound of the step futures' `PartialEq` impls, which no type implements: comparing a step
/// future with a value (`generator.anext() == Step::Yielded(1)`, the `.await` forgotten) is reported
/// with this message instead of "binary operation `==` cannot be applied".
#[diagnostic::on_unimplemented(
    message = "`anext()`, `asend()`, `athrow()` and `aclose()` return futures: `.await` the step before comparing what it gives",
    label = "a future, not the step's outcome",
    note = "write `generator.anext().await == …`"
)]
pub trait AwaitTheStep: sealed::Unimplementable {}

mod sealed {
    /// No type implements this trait, and no code outside this module can name it.
    pub trait Unimplementable {}
}

macro_rules! await_the_step {
    ($($name:ident),*) => {$(
        impl<'a, B: Body, T> PartialEq<T> for $name<'a, B>
        where
            $name<'a, B>: AwaitTheStep,
        {
            fn eq(&self, _: &T) -> bool {
                unreachable!("no type implements `AwaitTheStep`")
            }
        }
    )*};
}
await_the_step!(Anext, Asend, Athrow, Aclose);
