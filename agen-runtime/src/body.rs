//! What a generator runs: the [`Body`] trait, and the closure form the macro produces.

use core::future::Future;
use core::marker::PhantomData;

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
/// The trait is sealed: the only implementor is the closure the macro builds, because the
/// runtime's soundness rests on how that closure uses its yield handle (see
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
    /// The body's future, created when the generator is first resumed.
    #[doc(hidden)]
    type Future: Future<Output = Self::Return>;
    /// Creates the body's future around its yield handle.
    #[doc(hidden)]
    fn start(self, co: Co<Self::Yield, Self::Send, Self::Throw>) -> Self::Future;
}

/// A closure `FnOnce(Co<Y, S, E>) -> impl Future` seen as a [`Body`].
///
/// The type parameters fix the protocol types, which a closure alone cannot carry.
#[doc(hidden)]
pub struct BodyFn<F, Y, S, E> {
    start: F,
    // `fn() -> …` keeps the marker from affecting auto traits: `Y`, `S` and `E` are
    // accounted for by the airlock that really stores them.
    _protocol: PhantomData<fn() -> (Y, S, E)>,
}

impl<F, Y, S, E> BodyFn<F, Y, S, E> {
    pub(crate) fn new(start: F) -> Self {
        BodyFn {
            start,
            _protocol: PhantomData,
        }
    }
}

impl<F, Fut, Y, S, E> Body for BodyFn<F, Y, S, E>
where
    F: FnOnce(Co<Y, S, E>) -> Fut,
    Fut: Future,
{
    type Yield = Y;
    type Send = S;
    type Throw = E;
    type Return = Fut::Output;
    type Future = Fut;

    fn start(self, co: Co<Y, S, E>) -> Fut {
        (self.start)(co)
    }
}

mod sealed {
    pub trait Sealed {}
    impl<F, Y, S, E> Sealed for super::BodyFn<F, Y, S, E> {}
}
