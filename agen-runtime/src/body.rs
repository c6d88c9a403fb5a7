//! What a generator runs: the [`Body`] trait, and the one implementation the macro produces.

use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::ptr;
use core::task::{Context, Poll};

use crate::gen::AsyncGen;
pub(crate) use crate::gen::BodyFuture;
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
// object's supertraits cannot mention `Self`): `AsyncGen<dyn Body<…>>` does not exist
// (`tests/ui/fail/a-generator-is-no-trait-object-of-body.rs`). Debug builds drive generators as
// `AsyncGen<BodyFuture<dyn Future<…>, …>>`, which release builds do not have: no code outside
// this crate can name that type (`BodyFuture` is in a private module), nor get a value of it
// (the one function that makes one, `Erasable::erase`, takes an argument only this crate can
// make, and returns it wrapped in a type of its own per generator:
// `tests/ui/fail/soundness-erase-is-not-callable.rs`).
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

pub(crate) use erasable::{Erasable, ErasedGen, Internal, INTERNAL};

mod erasable {
    use core::marker::PhantomData;
    use core::pin::Pin;
    use core::task::{Context, Poll};

    use crate::gen::{AsyncGen, Erased};

    /// The last argument of every method of [`Erasable`]: a value only this module can make.
    /// `Body` bounds reach the methods of its supertrait from any crate, so this is what keeps
    /// code outside the crate from calling them.
    pub struct Internal(());

    /// The one value of [`Internal`].
    pub(crate) const INTERNAL: Internal = Internal(());

    /// A generator as the step logic drives it, from [`Erasable::erase`]: the field, which only
    /// this crate can read, is of one type for all generators of a protocol in debug builds, but
    /// the wrapper is of one type per generator in every build, and neither `Send` nor `Sync`
    /// in any build (the erased body is neither in debug builds), so that no code outside the
    /// crate can tell the two builds apart by it (a `fn` pointer to `erase` names it).
    pub struct ErasedGen<'a, B: super::Body>(
        pub(crate) Pin<&'a mut Erased<'a, B>>,
        pub(crate) PhantomData<*mut ()>,
    );

    /// What the generator does with its body, as methods: a trait of its own, generic over the
    /// protocol types. Public only in name: this module is private, so no code outside the
    /// crate can name it, and no code outside can call its methods, which take an [`Internal`].
    ///
    /// The generator tracks whether the future is live (it is from creation until the body ends
    /// or the generator is closed), in its position, and calls each method only while it is.
    pub trait Erasable<Y, S, E, R> {
        /// Polls the future.
        ///
        /// # Safety
        /// The future is live.
        unsafe fn poll_body(self: Pin<&mut Self>, cx: &mut Context<'_>, _: Internal) -> Poll<R>;

        /// Drops the future in place (its live locals' destructors run); afterwards it is not
        /// live.
        ///
        /// # Safety
        /// The future is live, and pinned if it was ever polled.
        unsafe fn drop_body(&mut self, _: Internal);

        /// The generator as the step logic drives it (see `gen.rs`'s `Erased`): in debug builds,
        /// with its body's future as a `dyn Future<Output = R>`, by an unsizing coercion, which
        /// compiles to no code but the fat pointer (a method, because only the body's type
        /// knows its future's); in release builds, as it is.
        fn erase<'a>(gen: Pin<&'a mut AsyncGen<Self>>, _: Internal) -> ErasedGen<'a, Self>
        where
            Self: Sized + super::Body + 'a;
    }
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

/// The body as debug builds drive it: its future is a trait object, its protocol types are the
/// marker's.
#[cfg(debug_assertions)]
impl<R, Y, S, E> Body for BodyFuture<dyn Future<Output = R> + '_, Y, S, E> {
    type Yield = Y;
    type Send = S;
    type Throw = E;
    type Return = R;
}

impl<Fut: Future, Y, S, E> Erasable<Y, S, E, Fut::Output> for BodyFuture<Fut, Y, S, E> {
    // Always inlined in release builds, so that the body's poll is inlined into the step's
    // wherever the optimizer finds it worth it, as it would inline a hand-written state machine.
    // Debug builds never call it: they drive the body as a `dyn Future` (below).
    #[cfg_attr(not(debug_assertions), inline(always))]
    unsafe fn poll_body(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        _: Internal,
    ) -> Poll<Fut::Output> {
        // SAFETY: the caller's promise.
        unsafe { self.poll_future(cx) }
    }

    // Called by the generator's `Drop`, which is compiled once per generator in every build:
    // inlined, so that it adds no function of its own (in debug builds, no codegen unit that
    // needs the generator's debug info either: see `gen.rs`'s module docs).
    #[inline(always)]
    unsafe fn drop_body(&mut self, _: Internal) {
        // `ManuallyDrop` is `repr(transparent)`: its pointer is the future's.
        let future = ptr::addr_of_mut!(self.future) as *mut Fut;
        // SAFETY: the caller guarantees the future is live; it is dropped in place, once, as its
        // pinning requires.
        unsafe { ptr::drop_in_place(future) };
    }

    // Once per generator: inlined in every build (see `gen.rs`'s module docs).
    #[inline(always)]
    fn erase<'a>(gen: Pin<&'a mut AsyncGen<Self>>, _: Internal) -> ErasedGen<'a, Self>
    where
        Self: 'a,
    {
        // A literal, not a constructor: no function of its own per generator.
        ErasedGen(gen, PhantomData)
    }
}

/// Compiled once per protocol: the body's own poll and drop are reached through the future's
/// vtable, with no function of the runtime's per generator around them.
#[cfg(debug_assertions)]
impl<R, Y, S, E> Erasable<Y, S, E, R> for BodyFuture<dyn Future<Output = R> + '_, Y, S, E> {
    unsafe fn poll_body(self: Pin<&mut Self>, cx: &mut Context<'_>, _: Internal) -> Poll<R> {
        // SAFETY: the caller's promise.
        unsafe { self.poll_future(cx) }
    }

    unsafe fn drop_body(&mut self, _: Internal) {
        // Through `ManuallyDrop`'s `DerefMut`, which is always inlined: `ptr::drop_in_place` of a
        // trait object is a call through the vtable, so, unlike `ManuallyDrop::drop`, no
        // function is compiled for this in the crates that use this one.
        let future: *mut (dyn Future<Output = R> + '_) = &mut *self.future;
        // SAFETY: the caller guarantees the future is live; it is dropped in place, once, as its
        // pinning requires, by the drop function of its vtable.
        unsafe { ptr::drop_in_place(future) };
    }

    // `Self` is unsized, so the method's bound never holds: nothing can call it (the trait
    // requires it of every implementation).
    #[allow(dead_code)]
    fn erase<'a>(_: Pin<&'a mut AsyncGen<Self>>, _: Internal) -> ErasedGen<'a, Self>
    where
        Self: Sized + 'a,
    {
        unreachable!("agen: an unsized body was erased")
    }
}

impl<Fut: Future + ?Sized, Y, S, E> BodyFuture<Fut, Y, S, E> {
    /// Polls the body's future.
    ///
    /// # Safety
    /// The future is live.
    #[cfg_attr(not(debug_assertions), inline(always))]
    unsafe fn poll_future(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Fut::Output> {
        // `ManuallyDrop` is `repr(transparent)`: its pointer is the future's (with the same
        // metadata, for a `dyn Future`).
        // SAFETY: the future is structurally pinned: it is only polled in place and dropped in
        // place (`drop_body`); the caller guarantees it is live.
        let future = unsafe { ptr::addr_of_mut!(self.get_unchecked_mut().future) } as *mut Fut;
        // SAFETY: as above; nothing else refers to the future during its poll.
        unsafe { Pin::new_unchecked(&mut *future) }.poll(cx)
    }
}

mod sealed {
    pub trait Sealed {}
    impl<Fut: ?Sized, Y, S, E> Sealed for super::BodyFuture<Fut, Y, S, E> {}
}

#[cfg(test)]
mod tests {
    use core::future::Ready;
    use core::marker::PhantomData;

    use super::{BodyFuture, ErasedGen};
    use crate::{NoSend, NoThrow};

    /// `true` if `T` is `Send` (`Sync`), by method resolution: the inherent method exists only
    /// then, the trait's fallback always.
    struct Probe<T>(PhantomData<T>);
    trait Fallback {
        fn is_send(&self) -> bool {
            false
        }
        fn is_sync(&self) -> bool {
            false
        }
    }
    impl<T> Fallback for Probe<T> {}
    impl<T: Send> Probe<T> {
        #[allow(dead_code)]
        fn is_send(&self) -> bool {
            true
        }
    }
    impl<T: Sync> Probe<T> {
        #[allow(dead_code)]
        fn is_sync(&self) -> bool {
            true
        }
    }

    /// The wrapper that `Erasable::erase` returns, whose type a `fn` pointer to `erase` names
    /// outside the crate, has the same auto traits in debug and release builds (CI runs this in
    /// both), although the erased generator inside it is `Send` and `Sync` in release builds
    /// only, for a body that is.
    #[test]
    fn the_erased_generator_is_neither_send_nor_sync_in_any_build() {
        type Gen = BodyFuture<Ready<()>, u8, NoSend, NoThrow>;
        assert!(Probe::<crate::AsyncGen<Gen>>(PhantomData).is_send());
        assert!(Probe::<crate::AsyncGen<Gen>>(PhantomData).is_sync());
        assert!(!Probe::<ErasedGen<'static, Gen>>(PhantomData).is_send());
        assert!(!Probe::<ErasedGen<'static, Gen>>(PhantomData).is_sync());
    }
}
