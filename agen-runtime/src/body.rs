//! What a generator runs: the [`Body`] trait, and the one implementation the macro produces.

use core::future::Future;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::yield_point::Co;

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
/// The trait is sealed: the only implementor is the one the macros build, because the runtime's
/// soundness rests on how its code uses the yield handle.
///
/// Name a generator's type by its protocol types, for example in a struct or a trait:
///
/// ```
/// use agen_runtime::{async_gen, AsyncGen, Body, NoSend, NoThrow};
///
/// fn letters() -> AsyncGen<impl Body<Yield = char, Send = NoSend, Throw = NoThrow, Return = ()>> {
///     async_gen! {
///         yield 'a';
///     }
/// }
///
/// fn count<B: Body<Yield = char>>(_: &AsyncGen<B>) {}
/// count(&letters());
/// ```
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

    // The generator tracks which of its closure and its future is live, in its position, and
    // calls each method below only in the phase it names. Storing the two in a union, with no
    // tag of their own, keeps the generator within one word of the body's future.

    /// The size of the body's future, for size reports (a generator is at most two words
    /// larger). A function rather than a constant, so that the trait can be used as `dyn Body`
    /// (debug builds drive a body through one, see `gen.rs`).
    #[doc(hidden)]
    fn future_size() -> usize
    where
        Self: Sized;

    /// Moves the closure out and calls it, leaving the future in its place.
    ///
    /// # Safety
    /// The closure is live (the body has not started). If the closure panics, neither is live.
    #[doc(hidden)]
    unsafe fn start(self: Pin<&mut Self>, co: Co<Self::Yield, Self::Send, Self::Throw>);

    /// Polls the future.
    ///
    /// # Safety
    /// The future is live.
    #[doc(hidden)]
    unsafe fn poll_body(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Return>;

    /// Drops the closure of a body that never started; afterwards neither is live.
    ///
    /// # Safety
    /// The closure is live.
    #[doc(hidden)]
    unsafe fn drop_created(self: Pin<&mut Self>);

    /// Drops the future in place (its live locals' destructors run); afterwards neither is live.
    ///
    /// # Safety
    /// The future is live.
    #[doc(hidden)]
    unsafe fn drop_started(self: Pin<&mut Self>);
}

/// The body built from a closure `FnOnce(Co<Y, S, E>) -> Fut`.
///
/// The type parameters fix the protocol types, which a closure alone cannot carry.
#[doc(hidden)]
pub struct BodyFn<F, Fut, Y, S, E> {
    storage: Storage<F, Fut>,
    _protocol: Protocol<Y, S, E>,
}

/// The protocol types, as a marker that does not affect auto traits (`fn() -> …` is always
/// `Send` and `Sync`): `Y`, `S` and `E` are accounted for by the body's handle, [`Co`], which
/// the future holds.
type Protocol<Y, S, E> = PhantomData<fn() -> (Y, S, E)>;

/// The closure before the body starts, its future after; which one is live is tracked by the
/// generator.
union Storage<F, Fut> {
    created: ManuallyDrop<F>,
    started: ManuallyDrop<Fut>,
    closed: (),
}

impl<F, Fut, Y, S, E> BodyFn<F, Fut, Y, S, E>
where
    F: FnOnce(Co<Y, S, E>) -> Fut,
    Fut: Future,
{
    pub(crate) fn new(start: F) -> Self {
        BodyFn {
            storage: Storage {
                created: ManuallyDrop::new(start),
            },
            _protocol: PhantomData,
        }
    }

    /// The storage, unpinned.
    fn storage(self: Pin<&mut Self>) -> &mut Storage<F, Fut> {
        // SAFETY: the future is structurally pinned: once started, it is only polled in place and
        // dropped in place. The closure is not pinned; it is moved out before any future exists.
        unsafe { &mut self.get_unchecked_mut().storage }
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

    fn future_size() -> usize {
        core::mem::size_of::<Fut>()
    }

    unsafe fn start(self: Pin<&mut Self>, co: Co<Y, S, E>) {
        let storage = self.storage();
        // SAFETY: the caller guarantees the closure is live; it is moved out exactly once, and
        // the storage is marked empty before the call, so a panic leaves nothing live.
        let start = unsafe { ManuallyDrop::take(&mut storage.created) };
        storage.closed = ();
        storage.started = ManuallyDrop::new(start(co));
    }

    // Always inlined, so that the body's poll is inlined into the step's wherever the optimizer
    // finds it worth it, as it would inline a hand-written state machine.
    #[inline(always)]
    unsafe fn poll_body(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Fut::Output> {
        // SAFETY: the caller guarantees the future is live; it is pinned in place (`storage`).
        unsafe { Pin::new_unchecked(&mut *self.storage().started) }.poll(cx)
    }

    unsafe fn drop_created(self: Pin<&mut Self>) {
        let storage = self.storage();
        // SAFETY: the caller guarantees the closure is live; it is dropped once.
        unsafe { ManuallyDrop::drop(&mut storage.created) };
        storage.closed = ();
    }

    unsafe fn drop_started(self: Pin<&mut Self>) {
        let storage = self.storage();
        // SAFETY: the caller guarantees the future is live; it is dropped in place, once, as its
        // pinning requires.
        unsafe { ManuallyDrop::drop(&mut storage.started) };
        storage.closed = ();
    }
}

mod sealed {
    pub trait Sealed {}
    impl<F, Fut, Y, S, E> Sealed for super::BodyFn<F, Fut, Y, S, E> {}
}
