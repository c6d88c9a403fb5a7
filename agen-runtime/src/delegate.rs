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

use crate::body::{Body, Erasable, INTERNAL};
use crate::exchange::{self, Link, Transit};
use crate::gen::{AsyncGen, BodyEvent, Position, ReturnOf, SendOf, ThrowOf, TransitOf, YieldOf};
use crate::pointer::AsGenerator;
use crate::yield_point::{Co, Protocol, Resume, YieldKind};

/// What `yield_from!` asks its operand which delegation it takes, by method resolution on
/// `&&&Probe<T>`: [`ProbeGenerator`] answers for generators (tried first, two references deeper),
/// [`ProbeStream`] for any other stream (an `AsyncGen` is also a `Stream`, and must be delegated
/// to as a generator), [`ProbeNeither`] for every other type.
///
/// The answer is a marker ([`GeneratorDelegation`], [`StreamDelegation`], [`NotDelegable`]) that
/// carries the operand's item, send and throw types, named as plain types (the projections
/// normalised where the probe is called). [`check`] compares them with the delegating
/// generator's types through traits with messages ([`SameProtocol`], [`SameItem`],
/// [`GeneratorOrStream`]), so that a mismatch is reported as an unmet bound that says what is
/// wrong, not as a projection mismatch or a missing method that names the runtime's types; the
/// checked answer of a failed check is an error type, so nothing after it is reported again.
/// [`Delegation`] then states the same equality on the types themselves, for soundness.
///
/// The probe holds no handle, and only [`delegate`] uses its answer, through a sealed trait. So a
/// user trait with a method of the same name, implemented for every type, can at worst make the
/// expansion ambiguous or ill-typed; it never receives the body's handle.
pub struct Probe<T>(PhantomData<fn(&T)>);

impl<T> Probe<T> {
    /// A probe for the type of `inner`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn of(_: &T) -> Self {
        Probe(PhantomData)
    }
}

/// The generator answer of the probe described on [`Probe`].
pub trait ProbeGenerator {
    /// The delegation to a generator of these types.
    type Kind;
    /// Answers that the operand is a generator.
    fn __agen_delegation(&self) -> Self::Kind;
}

impl<G: AsGenerator> ProbeGenerator for &&Probe<G> {
    type Kind = GeneratorDelegation<YieldOf<G::Body>, SendOf<G::Body>, ThrowOf<G::Body>>;
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __agen_delegation(&self) -> Self::Kind {
        GeneratorDelegation(PhantomData)
    }
}

/// The stream answer of the probe described on [`Probe`].
pub trait ProbeStream {
    /// The delegation to a stream of this item type.
    type Kind;
    /// Answers that the operand is a stream.
    fn __agen_delegation(&self) -> Self::Kind;
}

impl<St: Stream> ProbeStream for &Probe<St> {
    type Kind = StreamDelegation<St::Item>;
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __agen_delegation(&self) -> Self::Kind {
        StreamDelegation(PhantomData)
    }
}

/// The last answer of the probe described on [`Probe`].
pub trait ProbeNeither<T> {
    /// Answers that the operand is neither a generator nor a stream.
    fn __agen_delegation(&self) -> NotDelegable<T>;
}

impl<T> ProbeNeither<T> for Probe<T> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __agen_delegation(&self) -> NotDelegable<T> {
        NotDelegable(PhantomData)
    }
}

/// The probe's answer for a generator yielding `Y`, taking `S` and `E`: delegation forwards
/// every resumption.
pub struct GeneratorDelegation<Y, S, E>(PhantomData<Protocol<Y, S, E>>);

/// The probe's answer for a stream of `Y`: delegation re-yields its items.
pub struct StreamDelegation<Y>(PhantomData<fn() -> Y>);

/// The probe's answer for any other operand, of type `T`: an error.
pub struct NotDelegable<T>(PhantomData<fn() -> T>);

/// [`check`]'s bound: the probe's answer, compared with the delegating generator's types `Y`,
/// `S`, `E`. What the check gives back is the answer stated in those types; [`Delegation`]
/// takes that. A mismatch is reported here, once, as an unmet bound with a message; the
/// projection `Checked` of a failed check is an error type, which the rest of the expansion does
/// not report again.
pub trait Check<Y, S, E>: sealed::Sealed {
    /// The answer in the delegating generator's types.
    type Checked;
    /// Gives the answer in the delegating generator's types.
    fn checked(self) -> Self::Checked;
}

impl<Y, S, E, Y2, S2, E2> Check<Y, S, E> for GeneratorDelegation<Y2, S2, E2>
where
    (): SameProtocol<Y, S, E, Y2, S2, E2>,
{
    type Checked = <() as SameProtocol<Y, S, E, Y2, S2, E2>>::Checked;
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn checked(self) -> Self::Checked {
        <() as SameProtocol<Y, S, E, Y2, S2, E2>>::CHECKED
    }
}

impl<Y, S, E, Y2> Check<Y, S, E> for StreamDelegation<Y2>
where
    (): SameItem<Y, Y2>,
{
    type Checked = <() as SameItem<Y, Y2>>::Checked;
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn checked(self) -> Self::Checked {
        <() as SameItem<Y, Y2>>::CHECKED
    }
}

impl<Y, S, E, T: GeneratorOrStream> Check<Y, S, E> for NotDelegable<T> {
    type Checked = T::Checked;
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn checked(self) -> Self::Checked {
        T::CHECKED
    }
}

/// `yield_from!`'s check of the probe's answer `kind` against the delegating generator's types.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn check<K: Check<Y, S, E>, Y, S, E>(_: Protocol<Y, S, E>, kind: K) -> K::Checked {
    kind.checked()
}

/// How a kind of delegation drives an operand of type `T` from a body with handle
/// `Co<Y, S, E>`. Sealed: implemented only for the probe's answers, and only when the operand's
/// types are the delegating generator's: that is what makes the delegation's access to the outer
/// generator's exchange, typed with the operand's types, sound.
pub trait Delegation<T, Y, S, E>: sealed::Sealed {
    /// What the operand ends with: the inner generator's return value, or `()` for a stream.
    type Returned;
    /// Delegates to `inner`: see the module docs. `M` says what the delegation evaluates to
    /// ([`Catch`]).
    fn delegate<'co, M: Mode<Self::Returned, E>>(
        self,
        inner: T,
        co: &'co mut Co<Y, S, E>,
    ) -> impl Future<Output = M::Output> + 'co
    where
        T: 'co;
}

impl<G, Y, S, E> Delegation<G, Y, S, E> for GeneratorDelegation<Y, S, E>
where
    G: AsGenerator,
    G::Body: Body<Yield = Y, Send = S, Throw = E>,
{
    type Returned = ReturnOf<G::Body>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn delegate<'co, M: Mode<Self::Returned, E>>(
        self,
        inner: G,
        co: &'co mut Co<Y, S, E>,
    ) -> impl Future<Output = M::Output> + 'co
    where
        G: 'co,
    {
        // The handle stays borrowed for `'co`, as the signature says; the delegation reaches the
        // outer's exchange through the context it is polled with, as a yield point does.
        DelegateToGenerator::<G, M>::new(inner, co)
    }
}

impl<St, Y, S, E> Delegation<St, Y, S, E> for StreamDelegation<Y>
where
    St: Stream<Item = Y>,
{
    type Returned = ();

    fn delegate<'co, M: Mode<(), E>>(
        self,
        inner: St,
        co: &'co mut Co<Y, S, E>,
    ) -> impl Future<Output = M::Output> + 'co
    where
        St: 'co,
    {
        delegate_to_stream::<St, S, E, M>(co, inner)
    }
}

impl<T, Y, S, E> Delegation<T, Y, S, E> for NotDelegable<T> {
    type Returned = ();

    fn delegate<'co, M: Mode<(), E>>(
        self,
        _: T,
        _: &'co mut Co<Y, S, E>,
    ) -> impl Future<Output = M::Output> + 'co
    where
        T: 'co,
    {
        // A `NotDelegable` is never checked (no type implements `GeneratorOrStream`, which is
        // sealed): never called.
        Never::<M, E>(PhantomData)
    }
}

/// The future of a delegation that cannot happen.
struct Never<M, E>(PhantomData<(M, fn(E))>);

impl<M: Mode<(), E>, E> Future for Never<M, E> {
    type Output = M::Output;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<M::Output> {
        unreachable!("agen: a delegation to neither a generator nor a stream was polled")
    }
}

/// What a delegation evaluates to, and what ends the delegating body instead ([`Catch`]: nothing
/// does; the body decides).
pub trait Mode<R, E>: sealed::Mode + 'static {
    /// What the delegation evaluates to.
    type Output;
    /// The inner generator returned `value` (a stream ended: `()`).
    fn returned(value: R) -> Self::Output;
    /// A thrown error the inner did not catch: `Ok` to give the body a value, `Err` to raise the
    /// error out of the delegating body.
    fn raised(error: E) -> Result<Self::Output, E>;
    /// The inner ended closed (a forwarded close, or `closed!()`): `Some` to give the body a
    /// value, `None` to end the delegating body as closed.
    fn closed() -> Option<Self::Output>;
}

/// The delegation evaluates to how the inner ended, and the delegating body goes on from there:
/// `yield_from_catch!` gives that to the body (PEP 380 with an enclosing `try` / `finally`);
/// `yield_from!` ends the body on a throw or a close, through the body's `__agen_end!`.
pub struct Catch;

impl<R, E> Mode<R, E> for Catch {
    type Output = Delegated<R, E>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn returned(value: R) -> Delegated<R, E> {
        Delegated::Returned(value)
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn raised(error: E) -> Result<Delegated<R, E>, E> {
        Ok(Delegated::Raised(error))
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn closed() -> Option<Delegated<R, E>> {
        Some(Delegated::Closed)
    }
}

/// What [`yield_from_catch!`](crate::yield_from_catch) evaluates to: how the generator or
/// stream it delegated to ended. The delegating body is still in the step that ended it, and
/// decides what that step returns, as after a catching yield point:
///
/// ```
/// use agen_runtime::{async_generator, closed, raise, yield_, yield_from_catch};
/// use agen_runtime::{Delegated, Step, ThrowError};
///
/// #[async_generator(yield = u32, throw = &'static str)]
/// async fn inner() -> u32 {
///     yield_!(1);
///     yield_!(2);
///     3
/// }
///
/// #[async_generator(yield = u32, throw = &'static str)]
/// async fn outer(log: &mut Vec<String>) -> u32 {
///     match yield_from_catch!(inner()) {
///         Delegated::Returned(value) => value,
///         // The inner did not catch it; the `athrow` that threw it is still under way.
///         Delegated::Raised("retry") => {
///             log.push("caught".into());
///             yield_!(10); // the `athrow` returns `Ok(Step::Yielded(10))`
///             0
///         }
///         Delegated::Raised(error) => raise!(error), // the `athrow` returns `Uncaught(error)`
///         // A close reached the inner and its cleanup ran; the `aclose` is under way.
///         Delegated::Closed => {
///             log.push("outer cleanup".into()); // could `.await` here
///             closed!()
///         }
///     }
/// }
///
/// # pollster::block_on(async {
/// let mut log = Vec::new();
/// {
///     let mut delegating = core::pin::pin!(outer(&mut log));
///     assert_eq!(delegating.anext().await, Step::Yielded(1));
///     assert_eq!(delegating.athrow("retry").await, Ok(Step::Yielded(10)));
///     assert_eq!(delegating.anext().await, Step::Returned(0));
/// }
/// {
///     let mut delegating = core::pin::pin!(outer(&mut log));
///     assert_eq!(delegating.anext().await, Step::Yielded(1));
///     assert_eq!(delegating.athrow("fatal").await, Err(ThrowError::Uncaught("fatal")));
/// }
/// {
///     let mut delegating = core::pin::pin!(outer(&mut log));
///     assert_eq!(delegating.anext().await, Step::Yielded(1));
///     assert_eq!(delegating.aclose().await, Ok(None));
/// }
/// assert_eq!(log, ["caught", "outer cleanup"]);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delegated<R, E> {
    /// The inner generator returned this value (a stream: `()`, at its end).
    Returned(R),
    /// An error thrown in with `athrow` that the inner did not catch (a stream never does). The
    /// body is in that `athrow`: if it yields, the `athrow` returns the item (the error was
    /// caught); if it returns, the return value; [`raise!`](crate::raise) hands the error back
    /// as uncaught.
    Raised(E),
    /// The inner ended closed: a close was forwarded to it and its cleanup has run (the body is
    /// in that `aclose`, and may await its own cleanup, then finish; an item it yields then makes
    /// the `aclose` return [`CloseIgnored`](crate::CloseIgnored)), or it ended with `closed!()`.
    Closed,
}

/// `(): SameProtocol<Y, S, E, Y2, S2, E2>` holds exactly when the delegating generator's types
/// `Y, S, E` are the delegated generator's `Y2, S2, E2`.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` delegates to a generator of other types: it yields `{Y2}`, takes `{S2}` in `asend` and `{E2}` in `athrow`; this generator yields `{Y}`, takes `{S}` and `{E}`",
    label = "the delegated generator's yield, send and throw types differ from this generator's",
    note = "the delegated generator's items become this generator's own, and it receives what is sent or thrown into this one: the three types must be the same"
)]
pub trait SameProtocol<Y, S, E, Y2, S2, E2> {
    /// The delegation, checked.
    type Checked;
    /// The delegation, checked.
    const CHECKED: Self::Checked;
}

impl<Y, S, E> SameProtocol<Y, S, E, Y, S, E> for () {
    type Checked = GeneratorDelegation<Y, S, E>;
    const CHECKED: Self::Checked = GeneratorDelegation(PhantomData);
}

/// As [`SameProtocol`], for a stream's item type.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` delegates to a stream of `{Y2}`, and this generator yields `{Y}`",
    label = "the stream's item type differs from this generator's",
    note = "a delegated stream's items become this generator's own: the types must be the same"
)]
pub trait SameItem<Y, Y2> {
    /// The delegation, checked.
    type Checked;
    /// The delegation, checked.
    const CHECKED: Self::Checked;
}

impl<Y> SameItem<Y, Y> for () {
    type Checked = StreamDelegation<Y>;
    const CHECKED: Self::Checked = StreamDelegation(PhantomData);
}

/// What `yield_from!` takes: a generator or a `Stream`. Implemented by no type (sealed), so that
/// an operand that is neither is an unmet bound with this message.
#[diagnostic::on_unimplemented(
    message = "`yield_from!` needs a generator or a `Stream`, and `{Self}` is neither",
    label = "not a generator or a `Stream`",
    note = "to yield the items of an iterator, delegate to `futures_util::stream::iter(…)`, or loop over it with `yield_!`"
)]
pub trait GeneratorOrStream: sealed::Unimplementable {
    /// The delegation, checked.
    type Checked;
    /// The delegation, checked.
    const CHECKED: Self::Checked;
}

/// `yield_from!`'s call: `kind` is the probe's answer for `inner`, checked; `mode` says what
/// the delegation evaluates to.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn delegate<'co, M, K, T, Y, S, E>(
    _: M,
    kind: K,
    inner: T,
    co: &'co mut Co<Y, S, E>,
) -> impl Future<Output = M::Output> + 'co
where
    K: Delegation<T, Y, S, E>,
    M: Mode<K::Returned, E>,
    T: 'co,
{
    kind.delegate::<M>(inner, co)
}

/// The probe's answers (sealed): what [`Loopable`](crate::__private::Loopable) is implemented
/// for.
pub trait Kind: sealed::Sealed {}

impl<Y, S, E> Kind for GeneratorDelegation<Y, S, E> {}
impl<Y> Kind for StreamDelegation<Y> {}
impl<T> Kind for NotDelegable<T> {}

mod sealed {
    pub trait Sealed {}
    impl<Y, S, E> Sealed for super::GeneratorDelegation<Y, S, E> {}
    impl<Y> Sealed for super::StreamDelegation<Y> {}
    impl<T> Sealed for super::NotDelegable<T> {}

    pub trait Mode {}
    impl Mode for super::Catch {}

    /// No type implements this trait, and no code outside this module can name it.
    pub trait Unimplementable {}
}

/// The future of `yield_from!(generator)`: one flat state machine that forwards each
/// resumption of the outer body to the inner generator and puts each item of the inner out as
/// the outer's own, through the outer's exchange, without a yield point of its own. Polling the
/// inner body from this one place is what lets the optimizer inline the inner generator into the
/// outer as it inlines a generator into its consumer.
pub(crate) struct DelegateToGenerator<'co, G: AsGenerator, M> {
    /// The inner generator, or a pinned pointer to it. Structurally pinned: polled in place,
    /// dropped in place.
    inner: G,
    state: Forwarding,
    /// The outer generator's link, to reach its exchange.
    link: Link,
    _co: PhantomData<&'co mut CoOf<G::Body>>,
    /// What the delegation evaluates to ([`Mode`]): a marker, `'static` and zero-sized.
    _mode: PhantomData<M>,
}

/// The handle of a body of `B`'s types.
type CoOf<B> = Co<YieldOf<B>, SendOf<B>, ThrowOf<B>>;

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
    /// The inner body is on its way through a forwarded `athrow` (parked at an inner `.await`
    /// in its handler): only here may it raise, and if the delegation is dropped here (the
    /// outer's `athrow` dropped mid-step, which closes the outer), the inner is closed too, as
    /// an interrupted `athrow` closes a generator driven directly.
    Throwing,
    /// The inner body is on its way through a forwarded close (parked at an inner `.await`).
    Closing,
    /// The outer body has been told to end (exit, raise, or yield while closing): it is never
    /// polled again.
    Ended,
}

impl<'co, G: AsGenerator, M> DelegateToGenerator<'co, G, M> {
    fn new(inner: G, co: &'co mut CoOf<G::Body>) -> Self {
        DelegateToGenerator {
            inner,
            state: Forwarding::Start,
            link: co.link(),
            _co: PhantomData,
            _mode: PhantomData,
        }
    }
}

impl<G, M> Future for DelegateToGenerator<'_, G, M>
where
    G: AsGenerator,
    M: Mode<ReturnOf<G::Body>, ThrowOf<G::Body>>,
{
    type Output = M::Output;

    /// A step of the outer generator that resumes with `Next` (its first step here, every
    /// `anext`, and going on after one) is the inner generator's `anext`, inlined; the others
    /// (a forwarded `asend`, `athrow` or `aclose`) take [`forward`](Self::forward).
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `inner` is structurally pinned (it is only used through `Pin` and dropped in
        // place with `self`); `state` is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above.
        let mut inner = unsafe { Pin::new_unchecked(&mut this.inner) }.generator();
        // SAFETY: this future is created by `yield_from!` from the outer body's handle and
        // awaited on the spot, so it is polled only inside the outer's poll of its body, with
        // the body's context: the transit is the outer's, of the types of that handle.
        let outer = unsafe {
            &mut *exchange::transit::<YieldOf<G::Body>, SendOf<G::Body>, ThrowOf<G::Body>>(
                cx, this.link,
            )
        };

        let throwing = matches!(this.state, Forwarding::Throwing);
        match this.state {
            Forwarding::Start | Forwarding::Running | Forwarding::Throwing => {}
            Forwarding::Suspended => match outer.take_resume() {
                Some(Resume::Next) => {}
                Some(resume) => {
                    return forward::<G::Body, M>(inner, &mut this.state, outer, cx, Some(resume))
                }
                // Polled again within the poll that yielded: wait for the resumption.
                None => return Poll::Pending,
            },
            Forwarding::Closing => {
                return forward::<G::Body, M>(inner, &mut this.state, outer, cx, None)
            }
            Forwarding::Ended => return Poll::Pending,
        }
        // The inner generator is created, at a yield point or parked: delegation ends when it
        // does, and a close forwarded to it ends the outer's steps that could resume with `Next`.
        // Only a generator reached through a pointer can be exhausted already, when the
        // delegation starts: it has no return value left to give.
        let Some(polled) = Erasable::erase(inner.as_mut(), INTERNAL)
            .0
            .poll_resumed_with_next(cx)
        else {
            delegated_to_an_exhausted_generator()
        };
        let Poll::Ready(event) = polled else {
            if !throwing {
                this.state = Forwarding::Running;
            }
            return Poll::Pending;
        };
        let ended = match event {
            BodyEvent::Yielded(item) => {
                this.state = Forwarding::Suspended;
                *outer = Transit::Yielded(YieldKind::Catching, item);
                return Poll::Pending;
            }
            BodyEvent::Returned(value) => return Poll::Ready(M::returned(value)),
            // An inner that ended with `closed!()`.
            BodyEvent::Exited => Ended::Exited,
            BodyEvent::Raised(error) if throwing => Ended::Raised(error),
            BodyEvent::Raised(_) => crate::step::raised_outside_athrow(),
        };
        end::<G::Body, M>(ended, &mut this.state, outer)
    }
}

impl<G: AsGenerator, M> Drop for DelegateToGenerator<'_, G, M> {
    fn drop(&mut self) {
        if matches!(self.state, Forwarding::Throwing) {
            // SAFETY: `inner` is structurally pinned; it is used here in place, for the last
            // time before it is dropped in place.
            let inner = unsafe { Pin::new_unchecked(&mut self.inner) }.generator();
            Erasable::erase(inner, INTERNAL).0.close_now();
        }
    }
}

/// How the inner generator ended, when it did not return.
enum Ended<E> {
    /// Closed: by a forwarded close, or by `closed!()`.
    Exited,
    /// With a thrown error it did not catch.
    Raised(E),
}

/// What the delegation does when the inner ended without returning: evaluate to what the mode
/// says, or end the outer body (as closed, or raising the error).
#[cfg_attr(not(debug_assertions), inline(always))]
fn end<B: Body, M: Mode<B::Return, B::Throw>>(
    ended: Ended<B::Throw>,
    state: &mut Forwarding,
    outer: &mut TransitOf<B>,
) -> Poll<M::Output> {
    let transit = match ended {
        Ended::Exited => match M::closed() {
            Some(output) => return Poll::Ready(output),
            None => Transit::Exited,
        },
        Ended::Raised(error) => match M::raised(error) {
            Ok(output) => return Poll::Ready(output),
            Err(error) => Transit::Raised(error),
        },
    };
    *state = Forwarding::Ended;
    *outer = transit;
    Poll::Pending
}

#[cold]
#[inline(never)]
fn delegated_to_an_exhausted_generator() -> ! {
    panic!(
        "agen: yield_from! of a generator that is already exhausted or being closed: it has no \
         return value to give"
    )
}

/// The steps that forward `asend`, `athrow` or `aclose` (`resume`), or go on with a forwarded
/// close (`None`), with what `forward_step` decides written back here.
#[cfg_attr(not(debug_assertions), inline(always))]
fn forward<B: Body, M: Mode<B::Return, B::Throw>>(
    inner: Pin<&mut AsyncGen<B>>,
    state: &mut Forwarding,
    outer: &mut TransitOf<B>,
    cx: &mut Context<'_>,
    resume: Option<Resume<B::Send, B::Throw>>,
) -> Poll<M::Output> {
    match forward_step(inner, cx.waker(), resume) {
        Forwarded::Pending(next, transit) => {
            *state = next;
            if let Some(transit) = transit {
                *outer = transit;
            }
            Poll::Pending
        }
        Forwarded::Returned(value) => Poll::Ready(M::returned(value)),
        Forwarded::Ended(ended) => end::<B, M>(ended, state, outer),
    }
}

/// What [`forward_step`] decided.
enum Forwarded<B: Body> {
    /// The delegation goes on in this state, the outer's transit set to this, if any.
    Pending(Forwarding, Option<TransitOf<B>>),
    /// The inner returned.
    Returned(B::Return),
    /// The inner ended without returning.
    Ended(Ended<B::Throw>),
}

/// [`forward`]'s work, out of line, so that the inner's `anext` keeps its own inlined poll. It
/// gets the waker, not the outer's context: nothing of the outer's exchange escapes into a
/// call, and the optimizer keeps it in registers on the `anext` path.
#[cold]
#[inline(never)]
fn forward_step<B: Body>(
    inner: Pin<&mut AsyncGen<B>>,
    waker: &Waker,
    resume: Option<Resume<B::Send, B::Throw>>,
) -> Forwarded<B> {
    let mut inner = Erasable::erase(inner, INTERNAL).0;
    let throwing = matches!(resume, Some(Resume::Throw(_)));
    let (transit, closing) = match resume {
        None => (Transit::Empty, true),
        Some(resume) => {
            let closing = matches!(resume, Resume::Close);
            match (inner.position(), resume) {
                (Position::AtCatching, resume)
                | (Position::AtPlain, resume @ (Resume::Next | Resume::Send(_))) => {
                    (Transit::Resume(resume), closing)
                }
                // A plain yield point does not catch: the inner body is dropped there.
                (Position::AtPlain, Resume::Throw(error)) => {
                    inner.close_now();
                    return Forwarded::Ended(Ended::Raised(error));
                }
                (Position::AtPlain, Resume::Close) => {
                    inner.close_now();
                    return Forwarded::Ended(Ended::Exited);
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
        } else if throwing {
            Forwarding::Throwing
        } else {
            Forwarding::Running
        };
        return Forwarded::Pending(parked, None);
    };
    match event {
        BodyEvent::Yielded(item) if closing => {
            // Yielding while being closed makes the outer `aclose` fail with this item, as the
            // inner's did; the runtime then drops the outer body (in both modes: the inner broke
            // the protocol, and the outer's step is over).
            inner.as_mut().close_now();
            Forwarded::Pending(
                Forwarding::Ended,
                Some(Transit::Yielded(YieldKind::Plain, item)),
            )
        }
        BodyEvent::Yielded(item) => Forwarded::Pending(
            Forwarding::Suspended,
            Some(Transit::Yielded(YieldKind::Catching, item)),
        ),
        // A close forwarded to the inner ends it closed, whatever it returned.
        BodyEvent::Returned(_) if closing => Forwarded::Ended(Ended::Exited),
        BodyEvent::Returned(value) => Forwarded::Returned(value),
        BodyEvent::Exited => Forwarded::Ended(Ended::Exited),
        BodyEvent::Raised(error) if throwing => Forwarded::Ended(Ended::Raised(error)),
        BodyEvent::Raised(_) => crate::step::raised_outside_athrow(),
    }
}

/// Delegation to a stream: its items, re-yielded; a sent value is dropped; a thrown error or a
/// close ends the delegation as `M` says (a stream can catch neither; it is dropped, its
/// destructor run, when the delegation ends).
async fn delegate_to_stream<St: Stream, S, E, M: Mode<(), E>>(
    co: &mut Co<St::Item, S, E>,
    stream: St,
) -> M::Output {
    let mut stream = pin!(stream);
    while let Some(item) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        Co::protocol(co).yield_catching(item, Co::here(co).await);
        match Co::resumed(co).await {
            Resume::Next | Resume::Send(_) => {}
            Resume::Throw(error) => match M::raised(error) {
                Ok(output) => return output,
                Err(error) => match Co::raise(error, co).await {},
            },
            Resume::Close => match M::closed() {
                Some(output) => return output,
                None => match Co::exit(co).await {},
            },
        }
    }
    M::returned(())
}
