//! What a generator runs: the [`Body`] trait, and the one implementation the macro produces.

use core::future::Future;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::ptr;
use core::task::{Context, Poll};

use crate::yield_point::Invariant;

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
/// A `Body` value holds the body's future, the `async` block the macro builds, from the
/// generator's creation to the body's end (creating it runs no code of the body). Keeping the
/// future inside the opaque `impl Body` (not behind an associated type) is what lets `Send` and
/// `Sync` leak through it, so a generator is `Send` exactly when its body is.
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
// The supertrait names the protocol types through `Self`, which makes `dyn Body` an error (a trait
// object's supertraits cannot mention `Self`): `AsyncGen<dyn Body<…>>` does not exist. Debug
// builds drive generators through a `dyn` of `Erasable`, which no code outside this crate can
// name, so no type compiles in debug builds only and breaks a release build
// (`tests/ui/fail/a-generator-is-no-trait-object-of-body.rs`).
pub trait Body:
    sealed::Sealed
    + Erasable<
        <Self as Body>::Yield,
        <Self as Body>::Send,
        <Self as Body>::Throw,
        <Self as Body>::Return,
    >
{
    /// The items the generator yields: what `anext` returns in [`Step::Yielded`](crate::Step::Yielded).
    type Yield;
    /// What `asend` delivers to the suspended yield point.
    type Send;
    /// The error `athrow` delivers to the suspended yield point.
    type Throw;
    /// The value the body returns when it finishes: what `anext` returns in
    /// [`Step::Returned`](crate::Step::Returned).
    type Return;
}

pub(crate) use erasable::Erasable;

mod erasable {
    use core::pin::Pin;
    use core::task::{Context, Poll};

    /// What the generator does with its body, as methods: a trait of its own, generic over the
    /// protocol types, so that debug builds can drive any body of one protocol as a
    /// `dyn Erasable<…>` (see `gen.rs`'s `Erased`). Public only in name: this module is private,
    /// so no code outside the crate can name it, call its methods or make its trait object.
    ///
    /// The generator tracks whether the future is live (it is from creation until the body ends
    /// or the generator is closed), in its position, and calls each method only while it is.
    pub trait Erasable<Y, S, E, R> {
        /// The size of the body's future, for size reports (a generator is at most two words
        /// larger).
        fn future_size() -> usize
        where
            Self: Sized;

        /// Polls the future.
        ///
        /// # Safety
        /// The future is live.
        unsafe fn poll_body(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<R>;

        /// Drops the future in place (its live locals' destructors run); afterwards it is not
        /// live.
        ///
        /// # Safety
        /// The future is live, and pinned if it was ever polled.
        unsafe fn drop_body(&mut self);
    }
}

/// The body as debug builds drive it: its protocol types are the trait object's.
impl<'a, Y, S, E, R> Body for dyn Erasable<Y, S, E, R> + 'a {
    type Yield = Y;
    type Send = S;
    type Throw = E;
    type Return = R;
}

/// The body built from its `async` block, `Fut`, which holds the body's handle, a
/// [`Co<Y, S, E>`](crate::__private::Co).
///
/// The type parameters fix the protocol types, which a future alone cannot carry.
#[doc(hidden)]
pub struct BodyFuture<Fut, Y, S, E> {
    pub(crate) future: ManuallyDrop<Fut>,
    pub(crate) _protocol: Protocol<Y, S, E>,
}

/// The protocol types, as a marker that does not affect auto traits (a `fn` pointer type is
/// always `Send` and `Sync`): `Y`, `S` and `E` are accounted for by the body's handle,
/// [`Co`](crate::__private::Co), which the future holds.
///
/// Invariant in each, as the handle is: the future's type does not carry them (an `async`
/// block's type names only the generics of the fn around it, not a `&'static str` it was
/// declared with), so without this a generator's send type could shrink from `&'static str`
/// to `&'local str` by subtyping, and the body would keep a borrow of a local as `'static`
/// (`tests/ui/fail/soundness-send-type-does-not-shrink.rs`).
pub(crate) type Protocol<Y, S, E> = PhantomData<Invariant<(Y, S, E)>>;

impl<Fut: Future, Y, S, E> Body for BodyFuture<Fut, Y, S, E> {
    type Yield = Y;
    type Send = S;
    type Throw = E;
    type Return = Fut::Output;
}

impl<Fut: Future, Y, S, E> Erasable<Y, S, E, Fut::Output> for BodyFuture<Fut, Y, S, E> {
    fn future_size() -> usize {
        core::mem::size_of::<Fut>()
    }

    // Always inlined in release builds, so that the body's poll is inlined into the step's
    // wherever the optimizer finds it worth it, as it would inline a hand-written state machine.
    // Not in debug builds, where nothing else is inlined and every inlined copy is code to
    // compile.
    #[cfg_attr(not(debug_assertions), inline(always))]
    unsafe fn poll_body(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Fut::Output> {
        // `ManuallyDrop` is `repr(transparent)`: its pointer is the future's.
        // SAFETY: the future is structurally pinned: it is only polled in place and dropped in
        // place (`drop_body`); the caller guarantees it is live.
        let future = unsafe { ptr::addr_of_mut!(self.get_unchecked_mut().future) } as *mut Fut;
        // SAFETY: as above; nothing else refers to the future during its poll.
        unsafe { Pin::new_unchecked(&mut *future) }.poll(cx)
    }

    unsafe fn drop_body(&mut self) {
        // `ManuallyDrop` is `repr(transparent)`: its pointer is the future's.
        let future = ptr::addr_of_mut!(self.future) as *mut Fut;
        // SAFETY: the caller guarantees the future is live; it is dropped in place, once, as its
        // pinning requires.
        unsafe { ptr::drop_in_place(future) };
    }
}

mod sealed {
    pub trait Sealed {}
    impl<Fut, Y, S, E> Sealed for super::BodyFuture<Fut, Y, S, E> {}
    impl<Y, S, E, R> Sealed for dyn super::Erasable<Y, S, E, R> + '_ {}
}
