//! Delegation, the runtime half of `yield_from!(inner)` (PEP 380's `yield from`, ECMAScript's
//! `yield*`, rule J11).
//!
//! While the outer body delegates, it is parked at a catching yield point of its own, and every
//! resumption that reaches it is forwarded to the inner generator:
//!
//! | outer receives | delegation does |
//! |---|---|
//! | `anext` | `inner.anext()` |
//! | `asend(s)` | `inner.asend(s)` |
//! | `athrow(e)` | `inner.athrow(e)`; if the inner does not catch it, `e` is raised out of the outer body: the outer's `athrow` returns `Uncaught(e)` |
//! | `aclose` | `inner.aclose()`, awaited, so the inner's async cleanup runs; then the outer body ends as closed. An item the inner yields while being closed comes back from the outer's `aclose` in `CloseIgnored` |
//!
//! Each item the inner yields is yielded by the outer; when the inner returns, `yield_from!`
//! evaluates to its return value. Nested delegation composes: each level is one future inside the
//! level above, so nothing is allocated.
//!
//! A plain `Stream` has no `asend`, `athrow` or `aclose`: a value sent while delegating to one is
//! dropped, a thrown error is raised out of the outer body at once (the stream cannot catch it),
//! and a close drops the stream (its destructor runs) and ends the outer body as closed.

use core::future::{poll_fn, Future};
use core::marker::PhantomData;
use core::pin::{pin, Pin};
use core::task::{Context, Poll, Waker};

use futures_core::Stream;

use crate::body::Body;
use crate::exchange::{self, Link, Transit};
use crate::gen::{AsyncGen, BodyEvent, Position, TransitOf};
use crate::yield_point::{Co, Protocol, Resume, YieldKind};

/// What `yield_from!` asks its operand which delegation it takes, by method resolution on
/// `&&Probe<T>`: [`ProbeGenerator`] answers for generators (tried first, one reference deeper),
/// [`ProbeStream`] for any other stream (an `AsyncGen` is also a `Stream`, and must be delegated
/// to as a generator).
///
/// The probe holds no handle: the answer is a marker ([`GeneratorDelegation`],
/// [`StreamDelegation`]) that only [`delegate`] uses, through a sealed trait. So a user trait
/// with a method of the same name, implemented for every type, can at worst make the expansion
/// ambiguous or ill-typed; it never receives the body's handle.
pub struct Probe<T>(PhantomData<fn(&T)>);

impl<T> Probe<T> {
    /// A probe for the type of `inner`.
    #[inline(always)]
    pub fn of(_: &T) -> Self {
        Probe(PhantomData)
    }
}

/// The generator half of the probe described on [`Probe`].
pub trait ProbeGenerator {
    /// Answers that the operand is a generator.
    fn __agen_delegation(&self) -> GeneratorDelegation;
}

impl<B: Body> ProbeGenerator for &Probe<AsyncGen<B>> {
    #[inline(always)]
    fn __agen_delegation(&self) -> GeneratorDelegation {
        GeneratorDelegation(())
    }
}

/// The stream half of the probe described on [`Probe`].
pub trait ProbeStream {
    /// Answers that the operand is a stream.
    fn __agen_delegation(&self) -> StreamDelegation;
}

impl<St: Stream> ProbeStream for Probe<St> {
    #[inline(always)]
    fn __agen_delegation(&self) -> StreamDelegation {
        StreamDelegation(())
    }
}

/// The probe's answer for a generator: delegation forwards every resumption.
#[derive(Debug)]
pub struct GeneratorDelegation(());

/// The probe's answer for a stream: delegation re-yields its items.
#[derive(Debug)]
pub struct StreamDelegation(());

/// How a kind of delegation drives an operand of type `T` from a body with handle
/// `Co<Y, S, E>`. Sealed: implemented only for the probe's two answers.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` cannot delegate to `{T}` from a generator that yields `{Y}`, takes `{S}` in `asend` and `{E}` in `athrow`",
    label = "the delegated generator or stream must have the same item type (and, for a generator, the same send and throw types)",
    note = "a generator delegated to forwards its items as the delegating generator's own, and receives what is sent or thrown into it"
)]
pub trait Delegation<T, Y, S, E>: sealed::Sealed {
    /// What `yield_from!` evaluates to: the inner generator's return value, or `()`.
    type Output;
    /// Delegates to `inner`: see the module docs.
    fn delegate<'co>(
        self,
        inner: T,
        co: &'co mut Co<Y, S, E>,
    ) -> impl Future<Output = Self::Output> + 'co
    where
        T: 'co;
}

impl<B: Body> Delegation<AsyncGen<B>, B::Yield, B::Send, B::Throw> for GeneratorDelegation {
    type Output = B::Return;

    #[inline(always)]
    fn delegate<'co>(
        self,
        inner: AsyncGen<B>,
        co: &'co mut Co<B::Yield, B::Send, B::Throw>,
    ) -> impl Future<Output = B::Return> + 'co
    where
        AsyncGen<B>: 'co,
    {
        // The handle stays borrowed for `'co`, as the signature says; the delegation reaches the
        // outer's exchange through the context it is polled with, as a yield point does.
        DelegateToGenerator::new(inner, co)
    }
}

impl<St: Stream, S, E> Delegation<St, St::Item, S, E> for StreamDelegation {
    type Output = ();

    fn delegate<'co>(
        self,
        inner: St,
        co: &'co mut Co<St::Item, S, E>,
    ) -> impl Future<Output = ()> + 'co
    where
        St: 'co,
    {
        delegate_to_stream(co, inner)
    }
}

/// `yield_from!`'s call: `kind` is the probe's answer for `inner`; `protocol` comes first so that
/// a mismatch of `inner`'s types is reported against the delegating generator's.
#[inline(always)]
pub fn delegate<'co, K, T, Y, S, E>(
    _: Protocol<Y, S, E>,
    kind: K,
    inner: T,
    co: &'co mut Co<Y, S, E>,
) -> impl Future<Output = K::Output> + 'co
where
    K: Delegation<T, Y, S, E>,
    T: 'co,
{
    kind.delegate(inner, co)
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::GeneratorDelegation {}
    impl Sealed for super::StreamDelegation {}
}

/// The future of `yield_from!(generator)`: one flat state machine that forwards each
/// resumption of the outer body to the inner generator and puts each item of the inner out as
/// the outer's own, through the outer's exchange, without a yield point of its own. Polling the
/// inner body from this one place is what lets the optimizer inline the inner generator into the
/// outer as it inlines a generator into its consumer.
pub(crate) struct DelegateToGenerator<'co, B: Body> {
    /// Structurally pinned: polled in place, dropped in place.
    inner: AsyncGen<B>,
    state: Forwarding,
    /// The outer generator's link, to reach its exchange.
    link: Link,
    _co: PhantomData<&'co mut Co<B::Yield, B::Send, B::Throw>>,
}

/// Where a delegation is. Fieldless and in this order, so that the three states from which a
/// `Next` goes straight to the inner generator are the lowest values of the byte.
#[derive(Clone, Copy)]
enum Forwarding {
    /// The outer has yielded the inner's item; the next poll takes the outer's resumption.
    Suspended,
    /// Not started: the first poll, on the outer's step that reaches `yield_from!`, starts the
    /// inner generator.
    Start,
    /// The inner body is on its way through a forwarded `anext` or `asend` (parked at an inner
    /// `.await`).
    Running,
    /// The inner body is on its way through a forwarded close (parked at an inner `.await`).
    Closing,
    /// The outer body has been told to end (exit, raise, or yield while closing): it is never
    /// polled again.
    Ended,
}

impl<'co, B: Body> DelegateToGenerator<'co, B> {
    fn new(inner: AsyncGen<B>, co: &'co mut Co<B::Yield, B::Send, B::Throw>) -> Self {
        DelegateToGenerator {
            inner,
            state: Forwarding::Start,
            link: co.link(),
            _co: PhantomData,
        }
    }
}

impl<B: Body> Future for DelegateToGenerator<'_, B> {
    type Output = B::Return;

    /// A step of the outer generator that resumes with `Next` (its first step here, every
    /// `anext`, and going on after one) is the inner generator's `anext`, inlined; the others
    /// (a forwarded `asend`, `athrow` or `aclose`) take [`forward`](Self::forward).
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<B::Return> {
        // SAFETY: `inner` is structurally pinned (it is only used through `Pin` and dropped in
        // place with `self`); `state` is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above.
        let mut inner = unsafe { Pin::new_unchecked(&mut this.inner) };
        // SAFETY: this future is created by `yield_from!` from the outer body's handle and
        // awaited on the spot, so it is polled only inside the outer's poll of its body, with
        // the body's context: the transit is the outer's, of the types of that handle.
        let outer =
            unsafe { &mut *exchange::transit::<B::Yield, B::Send, B::Throw>(cx, this.link) };

        match this.state {
            Forwarding::Start | Forwarding::Running => {}
            Forwarding::Suspended => match outer.take_resume() {
                Some(Resume::Next) => {}
                Some(resume) => return forward(inner, &mut this.state, outer, cx, Some(resume)),
                // Polled again within the poll that yielded: wait for the resumption.
                None => return Poll::Pending,
            },
            Forwarding::Closing => return forward(inner, &mut this.state, outer, cx, None),
            Forwarding::Ended => return Poll::Pending,
        }
        // The inner generator is created, at a yield point or parked: delegation ends when it
        // does, and a close forwarded to it ends the outer's steps that could resume with `Next`.
        let Some(polled) = inner.as_mut().poll_resumed_with_next(cx) else {
            unreachable!("agen: the delegated generator was closed")
        };
        let Poll::Ready(event) = polled else {
            this.state = Forwarding::Running;
            return Poll::Pending;
        };
        let (state, transit) = match event {
            BodyEvent::Yielded(item) => (
                Forwarding::Suspended,
                Transit::Yielded(YieldKind::Catching, item),
            ),
            BodyEvent::Returned(value) => return Poll::Ready(value),
            // An inner that ended with `closed!()` ends the outer as closed too.
            BodyEvent::Exited => (Forwarding::Ended, Transit::Exited),
            BodyEvent::Raised(error) => (Forwarding::Ended, Transit::Raised(error)),
        };
        this.state = state;
        *outer = transit;
        Poll::Pending
    }
}

/// The steps that forward `asend`, `athrow` or `aclose` (`resume`), or go on with a forwarded
/// close (`None`), with what `forward_step` decides written back here.
#[inline(always)]
fn forward<B: Body>(
    inner: Pin<&mut AsyncGen<B>>,
    state: &mut Forwarding,
    outer: &mut TransitOf<B>,
    cx: &mut Context<'_>,
    resume: Option<Resume<B::Send, B::Throw>>,
) -> Poll<B::Return> {
    let (polled, next, transit) = forward_step(inner, cx.waker(), resume);
    *state = next;
    if let Some(transit) = transit {
        *outer = transit;
    }
    polled
}

/// [`forward`]'s work, out of line, so that the inner's `anext` keeps its own inlined poll. It
/// gets the waker, not the outer's context: nothing of the outer's exchange escapes into a
/// call, and the optimizer keeps it in registers on the `anext` path.
#[cold]
#[inline(never)]
fn forward_step<B: Body>(
    mut inner: Pin<&mut AsyncGen<B>>,
    waker: &Waker,
    resume: Option<Resume<B::Send, B::Throw>>,
) -> (Poll<B::Return>, Forwarding, Option<TransitOf<B>>) {
    let (transit, closing) = match resume {
        None => (Transit::Empty, true),
        Some(resume) => {
            let closing = matches!(resume, Resume::Close);
            match (inner.position(), resume) {
                (Position::AtCatching, resume)
                | (Position::AtPlain, resume @ (Resume::Next | Resume::Send(_))) => {
                    (Transit::Resume(resume), closing)
                }
                // A plain yield point does not catch: the inner body is dropped there, and the
                // outer body told to end.
                (Position::AtPlain, Resume::Throw(error)) => {
                    inner.close_now();
                    return (
                        Poll::Pending,
                        Forwarding::Ended,
                        Some(Transit::Raised(error)),
                    );
                }
                (Position::AtPlain, Resume::Close) => {
                    inner.close_now();
                    return (Poll::Pending, Forwarding::Ended, Some(Transit::Exited));
                }
                // The outer yields only while the inner is suspended at a yield point.
                (
                    Position::Created | Position::Running | Position::Closing | Position::Closed,
                    _,
                ) => {
                    unreachable!("agen: the delegated generator was not suspended")
                }
            }
        }
    };
    let mut cx = Context::from_waker(waker);
    let Poll::Ready(event) = inner.as_mut().poll_body(&mut cx, transit) else {
        let parked = if closing {
            Forwarding::Closing
        } else {
            Forwarding::Running
        };
        return (Poll::Pending, parked, None);
    };
    let (next, transit) = match event {
        BodyEvent::Yielded(item) if closing => {
            // Yielding while being closed makes the outer `aclose` fail with this item, as the
            // inner's did; the runtime then drops the outer body.
            inner.as_mut().close_now();
            (Forwarding::Ended, Transit::Yielded(YieldKind::Plain, item))
        }
        BodyEvent::Yielded(item) => (
            Forwarding::Suspended,
            Transit::Yielded(YieldKind::Catching, item),
        ),
        // A close forwarded to the inner ends the outer as closed too, whatever the inner
        // returned, as does an inner that ended with `closed!()`.
        BodyEvent::Returned(_) if closing => (Forwarding::Ended, Transit::Exited),
        BodyEvent::Returned(value) => return (Poll::Ready(value), Forwarding::Ended, None),
        BodyEvent::Exited => (Forwarding::Ended, Transit::Exited),
        BodyEvent::Raised(error) => (Forwarding::Ended, Transit::Raised(error)),
    };
    (Poll::Pending, next, Some(transit))
}

async fn delegate_to_stream<St: Stream, S, E>(co: &mut Co<St::Item, S, E>, stream: St) {
    let mut stream = pin!(stream);
    while let Some(item) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        Co::protocol(co).yield_catching(item, Co::here(co).await);
        match Co::resumed(co).await {
            Resume::Next | Resume::Send(_) => {}
            Resume::Throw(error) => match Co::raise(error, co).await {},
            Resume::Close => match Co::exit(co).await {},
        }
    }
}
