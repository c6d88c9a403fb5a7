//! The runtime half of `for_await!`: iterating a generator or a stream, closing a generator the
//! loop leaves early, and carrying the early exit (`break`, `return`, `?`) past that close.

use core::convert::Infallible;
use core::future::{poll_fn, Future};
use core::ops::ControlFlow;
use core::pin::Pin;

use futures_core::Stream;

use crate::delegate::{GeneratorDelegation, NotDelegable, StreamDelegation};
use crate::gen::{AsyncGen, ReturnOf, YieldOf};
use crate::pointer::AsGenerator;
use crate::stream::StreamReturn;
use crate::yield_point::Protocol;

/// The item a generator's `Stream` impl yields.
type StreamItemOf<B> = <ReturnOf<B> as StreamReturn<YieldOf<B>>>::Item;

/// What `for_await!` loops over: a generator, owned or behind a pinned pointer ([`AsGenerator`]),
/// or a stream. Three implementations, tried in this order by method resolution:
///
/// 1. a generator whose return type can end a stream (`()`, `Result<(), E>`), inherent: its items
///    are what its `Stream` impl yields, so a `Result` body's final `Err` reaches the loop as
///    its last item, as it does for a stream;
/// 2. any other generator ([`ForAwaitGenerator`]): its items; the return value, which a loop has
///    no place for, is dropped;
/// 3. a stream ([`ForAwaitStream`]).
///
/// A generator is a generator however it is reached: an `AsyncGen` (and a `Pin<Box<AsyncGen>>`)
/// is also a `Stream`, which is why the generator implementations come first. A generator the
/// loop owns (by value, or through an owning pointer) is closed with `aclose` when the loop is
/// left early, so its async cleanup runs before the code after the loop; one it only borrows
/// (`Pin<&mut AsyncGen<_>>`) is left where it is, suspended, for that code to go on with or to
/// close.
pub struct ForAwait<T> {
    inner: T,
}

impl<T> ForAwait<T> {
    /// Wraps what the loop iterates.
    pub fn new(inner: T) -> Self {
        ForAwait { inner }
    }

    fn inner(self: Pin<&mut Self>) -> Pin<&mut T> {
        // SAFETY: `inner` is structurally pinned: it is never moved out of the pinned wrapper.
        unsafe { self.map_unchecked_mut(|this| &mut this.inner) }
    }
}

impl<G: AsGenerator> ForAwait<G> {
    fn generator(self: Pin<&mut Self>) -> Pin<&mut AsyncGen<G::Body>> {
        self.inner().generator()
    }
}

/// Closes the generator a loop left early, running its async cleanup, if the loop owns it.
///
/// What the close gives back has no place in a loop, which evaluates to `()`: a value the body
/// returned while closing is dropped (use `aclosing` to get it). An item the body yielded while
/// being closed is a bug of the generator (Python raises `RuntimeError` for it): it panics, so it
/// is not lost silently.
async fn close_early<G: AsGenerator>(gen: Pin<&mut ForAwait<G>>) {
    if G::OWNS && gen.generator().aclose().await.is_err() {
        ignored_the_close();
    }
}

#[cold]
#[inline(never)]
fn ignored_the_close() -> ! {
    panic!(
        "agen: for_await!: the generator yielded while the loop closed it (async generator \
         ignored GeneratorExit)"
    )
}

impl<G: AsGenerator> ForAwait<G>
where
    ReturnOf<G::Body>: StreamReturn<YieldOf<G::Body>>,
{
    /// The next item as the generator's `Stream` impl yields it, or `None` at the end.
    pub fn agen_next<'a>(
        self: &'a mut Pin<&mut Self>,
    ) -> impl Future<Output = Option<StreamItemOf<G::Body>>> + 'a
    where
        G: 'a,
    {
        let mut gen = self.as_mut().generator();
        poll_fn(move |cx| gen.as_mut().poll_next(cx))
    }

    /// Closes the generator the loop left early, running its async cleanup, if the loop owns it.
    pub fn agen_close<'a>(self: &'a mut Pin<&mut Self>) -> impl Future<Output = ()> + 'a
    where
        G: 'a,
    {
        close_early(self.as_mut())
    }
}

/// The second implementation described on [`ForAwait`]: any generator.
pub trait ForAwaitGenerator {
    /// The generator's items.
    type Item;
    /// The next item, or `None` when the generator has finished; its return value is dropped.
    fn agen_next<'a>(self: &'a mut Pin<&mut Self>) -> impl Future<Output = Option<Self::Item>> + 'a
    where
        Self: 'a;
    /// Closes the generator the loop left early, running its async cleanup, if the loop owns it.
    fn agen_close<'a>(self: &'a mut Pin<&mut Self>) -> impl Future<Output = ()> + 'a
    where
        Self: 'a;
}

impl<G: AsGenerator> ForAwaitGenerator for ForAwait<G> {
    type Item = YieldOf<G::Body>;

    fn agen_next<'a>(
        self: &'a mut Pin<&mut Self>,
    ) -> impl Future<Output = Option<YieldOf<G::Body>>> + 'a
    where
        Self: 'a,
    {
        let mut gen = self.as_mut().generator();
        async move { gen.anext().await.yielded() }
    }

    fn agen_close<'a>(self: &'a mut Pin<&mut Self>) -> impl Future<Output = ()> + 'a
    where
        Self: 'a,
    {
        close_early(self.as_mut())
    }
}

/// The third implementation described on [`ForAwait`]: any stream.
pub trait ForAwaitStream {
    /// The stream's items.
    type Item;
    /// The next item, or `None` when the stream has ended.
    fn agen_next<'a>(self: &'a mut Pin<&mut Self>) -> impl Future<Output = Option<Self::Item>> + 'a
    where
        Self: 'a;
    /// Nothing to do: a stream has no async cleanup, and is dropped with the loop.
    fn agen_close<'a>(self: &'a mut Pin<&mut Self>) -> impl Future<Output = ()> + 'a
    where
        Self: 'a;
}

impl<St: Stream> ForAwaitStream for ForAwait<St> {
    type Item = St::Item;

    fn agen_next<'a>(self: &'a mut Pin<&mut Self>) -> impl Future<Output = Option<St::Item>> + 'a
    where
        Self: 'a,
    {
        let mut stream = self.as_mut().inner();
        poll_fn(move |cx| stream.as_mut().poll_next(cx))
    }

    fn agen_close<'a>(self: &'a mut Pin<&mut Self>) -> impl Future<Output = ()> + 'a
    where
        Self: 'a,
    {
        core::future::ready(())
    }
}

/// `for_await!`'s check of its operand, by the answer `yield_from!`'s probe gives for it
/// ([`Probe`](crate::__private::Probe)): a generator or a stream goes through as it is; any other
/// type is an unmet bound with a message, and the loop's type an error type, so nothing after it
/// is reported again.
pub trait Loopable<T>: crate::delegate::Kind {
    /// What the loop iterates: the operand.
    type Operand;
    /// The operand, unchanged.
    fn operand(operand: T) -> Self::Operand;
}

impl<T, Y, S, E> Loopable<T> for GeneratorDelegation<Y, S, E> {
    type Operand = T;
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn operand(operand: T) -> T {
        operand
    }
}

impl<T, Y> Loopable<T> for StreamDelegation<Y> {
    type Operand = T;
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn operand(operand: T) -> T {
        operand
    }
}

impl<T: NotLoopable> Loopable<T> for NotDelegable<T> {
    type Operand = T::Operand;
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn operand(_: T) -> T::Operand {
        unreachable!("no type implements `NotLoopable`")
    }
}

/// What `for_await!` takes: a generator, owned or behind a pinned pointer, or a `Stream`.
/// Implemented by no type (sealed), so that an operand that is neither is an unmet bound with
/// this message.
#[diagnostic::on_unimplemented(
    message = "`for_await!` needs a generator or a `Stream`, and `{Self}` is neither",
    label = "not a generator or a `Stream`",
    note = "a generator is iterated by value (`for_await!(for x in numbers() {{ … }})`) or pinned (`Box::pin(generator)`, or `generator.as_mut()` on a pinned one); to loop over an iterator, use `for`"
)]
pub trait NotLoopable: sealed::Unimplementable {
    /// Never named.
    type Operand;
}

mod sealed {
    /// No type implements this trait, and no code outside this module can name it.
    pub trait Unimplementable {}
}

/// `for_await!`'s call: the operand, if `kind` (the probe's answer for it) says it can be
/// iterated.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn loop_operand<K: Loopable<T>, T>(_: K, operand: T) -> K::Operand {
    K::operand(operand)
}

/// The enclosing function's return type, for a `for_await!` loop or a `try_finally!` block
/// whose body returns: the expansion ties it to that type with `if false { return
/// witness.value() }`, and passes each rewritten `return`'s value through [`expect`](Self::expect),
/// so that the value is coerced to it where the `return` is written (`Box<T>` to
/// `Box<dyn Trait>`, say), as a plain `return` would be.
pub struct ReturnType<T>(core::marker::PhantomData<fn() -> T>);

impl<T> ReturnType<T> {
    /// A witness of a type the compiler infers.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        ReturnType(core::marker::PhantomData)
    }

    /// A value of the type, for code that never runs (`if false { return … }`).
    #[cold]
    pub fn value(&self) -> T {
        unreachable!("agen: ReturnType::value is only named in code that never runs")
    }

    /// `value`, expected as the type (a coercion site).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn expect(&self, value: T) -> T {
        value
    }
}

/// How the body of a `for_await!` loop was left early. `R` is the enclosing function's return
/// type (`Infallible` when the body never returns); `X` is [`BodyEnd`] for a loop in a generator
/// body's own control flow, `Infallible` for any other.
pub enum LoopExit<R, X = Infallible> {
    /// `break` out of this loop.
    Break,
    /// `return value`, or `?` on an error.
    Return(R),
    /// `break 'outer` or `continue 'outer` to the n-th label of an enclosing loop.
    Outer(usize),
    /// The generator body ends from inside the loop: it goes on ending once the loop's generator
    /// is closed.
    Ended(X),
}

/// How a generator body that a `for_await!` loop in it was left by is to end, once the loop's
/// generator is closed: `closed!()`, or a close that reached a plain yield point of the loop body
/// or that `yield_from!` forwarded (`Closed`); `raise!(error)`, or a thrown error that reached a
/// plain yield point or that the delegated generator did not catch (`Raised`). `E` is the
/// generator's throw type.
pub enum BodyEnd<E> {
    /// The body ends as closed.
    Closed,
    /// The error is raised out of the body.
    Raised(E),
}

/// How a `try_finally!` block was interrupted: what happens once its `finally` block has run.
/// `R` is the enclosing function's return type (`Infallible` when the block never returns), `E`
/// the generator's throw type.
pub enum Interrupted<R, E> {
    /// `return value`, or `?` on an error.
    Return(R),
    /// `break` or `continue` to the n-th target of an enclosing loop.
    Outer(usize),
    /// A close reached a plain yield point of the block: the body ends as closed.
    Closed,
    /// A thrown error reached a plain yield point of the block: it is raised out of the body.
    Raised(E),
}

impl<R, E> Interrupted<R, E> {
    /// The block's outcome slot, not yet filled, typed with the generator's throw type.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn none<T, Y, S>(_: Protocol<Y, S, E>) -> Option<Result<T, Interrupted<R, E>>> {
        None
    }
}

/// A stand-in for the unstable `Try` trait, so `for_await!` can route `?` through the close:
/// the value on success, or the residual to return.
#[diagnostic::on_unimplemented(
    message = "the `?` operator can only be applied to values of type `Result` or `Option`, not `{Self}`",
    label = "the `?` operator cannot be applied to type `{Self}`"
)]
pub trait Branch {
    /// What `?` evaluates to.
    type Output;
    /// What `?` returns with.
    type Residual;
    /// Splits `self` the way `?` does.
    fn branch(self) -> ControlFlow<Self::Residual, Self::Output>;
}

impl<T, E> Branch for Result<T, E> {
    type Output = T;
    type Residual = Result<Infallible, E>;

    fn branch(self) -> ControlFlow<Result<Infallible, E>, T> {
        match self {
            Ok(value) => ControlFlow::Continue(value),
            Err(error) => ControlFlow::Break(Err(error)),
        }
    }
}

impl<T> Branch for Option<T> {
    type Output = T;
    type Residual = Option<Infallible>;

    fn branch(self) -> ControlFlow<Option<Infallible>, T> {
        match self {
            Some(value) => ControlFlow::Continue(value),
            None => ControlFlow::Break(None),
        }
    }
}

/// The other half of the `Try` stand-in: builds the returned value from a residual, converting
/// the error with `From` as `?` does.
#[diagnostic::on_unimplemented(
    message = "the `?` operator can only be used in a function that returns `Result` or `Option`",
    label = "cannot use the `?` operator in a function that returns `{Self}`",
    note = "`?` in a `for_await!` body returns from the function around the loop, as in a `for` loop"
)]
pub trait FromResidual<Residual> {
    /// The value `?` returns.
    fn from_residual(residual: Residual) -> Self;
}

impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Result<T, F> {
    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(error) => Err(F::from(error)),
        }
    }
}

impl<T> FromResidual<Option<Infallible>> for Option<T> {
    fn from_residual(_: Option<Infallible>) -> Self {
        None
    }
}
