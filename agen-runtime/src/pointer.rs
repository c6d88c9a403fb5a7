//! Generators behind pinned pointers: `Pin<Box<AsyncGen<_>>>`, `Pin<&mut AsyncGen<_>>`, any
//! `Pin<P>` whose `P` derefs mutably to a generator. They keep the whole protocol: their methods
//! through [`PinnedGenerator`], and in `for_await!`, `yield_from!` and [`aclosing`](crate::aclosing)
//! through [`AsGenerator`], which those take instead of a bare `AsyncGen`.

use core::ops::DerefMut;
use core::pin::Pin;

use crate::body::Body;
use crate::gen::{AsyncGen, GenState, SendOf, ThrowOf};
use crate::step::{Aclose, Anext, Asend, Athrow};
use crate::stream::Items;

/// A generator, owned or behind a pinned pointer: what [`aclosing`](crate::aclosing),
/// [`for_await!`](crate::for_await) and [`yield_from!`](crate::yield_from) take. Implemented for
/// `AsyncGen<B>`, for every `Pin<P>` whose `P` derefs mutably to one (`Pin<Box<AsyncGen<B>>>`,
/// `Pin<&mut AsyncGen<B>>`, …), and for `&mut` to such a pointer; sealed.
///
/// The three constructs choose what to do from this trait, not from `Stream` (which a generator
/// behind a pointer also is, when its return type allows): a boxed generator keeps `asend`,
/// `athrow` and `aclose` forwarding, its async cleanup on early exit, and its return value.
///
/// ```
/// use agen_runtime::{aclosing, async_generator, yield_catch, Resume};
///
/// #[async_generator(yield = u32)]
/// async fn numbers(log: &mut Vec<&'static str>) {
///     if let Resume::Close = yield_catch!(1) {
///         log.push("async cleanup");
///     }
/// }
///
/// # pollster::block_on(async {
/// let mut log = Vec::new();
/// let boxed = Box::pin(numbers(&mut log));
/// let closed = aclosing(boxed, async |mut numbers| numbers.anext().await).await;
/// assert_eq!(closed.value.yielded(), Some(1));
/// assert_eq!(log, ["async cleanup"]);
/// # });
/// ```
pub trait AsGenerator: sealed::Sealed {
    /// The generator's body type: the generator is `AsyncGen<Self::Body>`.
    type Body: Body;

    /// Whether dropping this value may drop the generator: true for an `AsyncGen`, and for a
    /// pointer with a destructor to one (`Pin<Box<_>>`; the compiler cannot tell a guard such as
    /// a `RefMut` from an owner, so it counts as one too); false for a borrow (`Pin<&mut _>`,
    /// `&mut Pin<Box<_>>`), also behind another pointer. `for_await!` closes a generator it owns
    /// when the loop is left early, and leaves one it borrows suspended.
    const OWNS: bool;

    /// The generator, pinned, from this value pinned.
    fn generator(self: Pin<&mut Self>) -> Pin<&mut AsyncGen<Self::Body>>;

    /// The generator, shared.
    fn shared(&self) -> &AsyncGen<Self::Body>;
}

impl<B: Body> AsGenerator for AsyncGen<B> {
    type Body = B;
    const OWNS: bool = true;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn generator(self: Pin<&mut Self>) -> Pin<&mut AsyncGen<B>> {
        self
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn shared(&self) -> &AsyncGen<B> {
        self
    }
}

impl<P> AsGenerator for Pin<P>
where
    P: DerefMut,
    P::Target: AsGenerator,
{
    type Body = <P::Target as AsGenerator>::Body;
    // A pointer that has no destructor cannot drop what it points to, and one to a borrow (a
    // `Box<Pin<&mut AsyncGen<_>>>`) drops only the borrow.
    const OWNS: bool = core::mem::needs_drop::<P>() && <P::Target as AsGenerator>::OWNS;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn generator(self: Pin<&mut Self>) -> Pin<&mut AsyncGen<Self::Body>> {
        // SAFETY: the `Pin<P>` is only reborrowed here (`as_mut` on `&mut Pin<P>`), never moved
        // out of its place or replaced, which is all `get_unchecked_mut` asks.
        let pointer = unsafe { self.get_unchecked_mut() };
        pointer.as_mut().generator()
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn shared(&self) -> &AsyncGen<Self::Body> {
        self.as_ref().get_ref().shared()
    }
}

/// A `&mut` to a pinned pointer (`&mut Pin<Box<AsyncGen<_>>>`), which is also a `Stream`: a
/// borrow of the generator, as `Pin<&mut AsyncGen<_>>` is.
impl<T> AsGenerator for &mut T
where
    T: AsGenerator + Unpin,
{
    type Body = T::Body;
    const OWNS: bool = false;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn generator(self: Pin<&mut Self>) -> Pin<&mut AsyncGen<Self::Body>> {
        Pin::new(&mut **self.get_mut()).generator()
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn shared(&self) -> &AsyncGen<Self::Body> {
        (**self).shared()
    }
}

/// The generator's methods on a pinned pointer to it, so that a `Pin<Box<AsyncGen<_>>>` is
/// driven as directly as a `Pin<&mut AsyncGen<_>>`: `boxed.anext()` instead of
/// `boxed.as_mut().anext()`. Import it to use them.
///
/// ```
/// use agen_runtime::{async_generator, yield_, PinnedGenerator, Step};
///
/// #[async_generator(yield = u32, send = u32)]
/// async fn doubler() {
///     let mut n = 1;
///     while let Some(x) = yield_!(2 * n) {
///         n = x;
///     }
/// }
///
/// # pollster::block_on(async {
/// let mut boxed = Box::pin(doubler());
/// assert_eq!(boxed.anext().await, Step::Yielded(2));
/// assert_eq!(boxed.asend(5).await, Ok(Step::Yielded(10)));
/// assert_eq!(boxed.aclose().await, Ok(None));
/// assert_eq!(boxed.state(), agen_runtime::GenState::Closed);
/// # });
/// ```
pub trait PinnedGenerator: AsGenerator {
    /// [`AsyncGen::anext`] through the pointer.
    fn anext(&mut self) -> Anext<'_, Self::Body>;
    /// [`AsyncGen::asend`] through the pointer.
    fn asend(&mut self, value: SendOf<Self::Body>) -> Asend<'_, Self::Body>;
    /// [`AsyncGen::athrow`] through the pointer.
    fn athrow(&mut self, error: ThrowOf<Self::Body>) -> Athrow<'_, Self::Body>;
    /// [`AsyncGen::aclose`] through the pointer.
    fn aclose(&mut self) -> Aclose<'_, Self::Body>;
    /// [`AsyncGen::items`] through the pointer.
    fn items(&mut self) -> Items<'_, Self::Body>;
    /// [`AsyncGen::state`] through the pointer.
    fn state(&self) -> GenState;
}

impl<P> PinnedGenerator for Pin<P>
where
    P: DerefMut,
    P::Target: AsGenerator,
{
    #[inline]
    fn anext(&mut self) -> Anext<'_, Self::Body> {
        Anext::new(self.as_mut().generator())
    }

    #[inline]
    fn asend(&mut self, value: SendOf<Self::Body>) -> Asend<'_, Self::Body> {
        Asend::new(self.as_mut().generator(), value)
    }

    #[inline]
    fn athrow(&mut self, error: ThrowOf<Self::Body>) -> Athrow<'_, Self::Body> {
        Athrow::new(self.as_mut().generator(), error)
    }

    #[inline]
    fn aclose(&mut self) -> Aclose<'_, Self::Body> {
        Aclose::new(self.as_mut().generator())
    }

    #[inline]
    fn items(&mut self) -> Items<'_, Self::Body> {
        Items::new(self.as_mut().generator())
    }

    fn state(&self) -> GenState {
        self.shared().state()
    }
}

mod sealed {
    pub trait Sealed {}
    impl<B: crate::body::Body> Sealed for crate::gen::AsyncGen<B> {}
    impl<P> Sealed for core::pin::Pin<P>
    where
        P: core::ops::DerefMut,
        P::Target: super::AsGenerator,
    {
    }
    impl<T: super::AsGenerator + Unpin> Sealed for &mut T {}
}
