//! Generators as `futures_core::Stream`s.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use crate::body::{Body, Erasable, INTERNAL};
use crate::gen::{AsyncGen, Erased, Parts, ReturnOf, YieldOf};
use crate::step::Step;

/// A return type a generator can end a stream with.
///
/// - `()`: the generator streams its items `Y` and ends.
/// - `Result<(), E>`: the generator streams `Result<Y, E>`; each item is `Ok`, and an `Err`
///   returned by the body (for example through `?`) is the last item, like `try_stream!`.
///
/// For any other return type, stream the items with [`AsyncGen::items`], which keeps the return
/// value.
///
/// ```
/// use agen_runtime::async_gen;
/// use futures_util::StreamExt;
///
/// # pollster::block_on(async {
/// let parsed = async_gen!(try => {
///     for text in ["1", "2", "three"] {
///         yield text.parse::<u8>()?;
///     }
/// });
/// let items: Vec<Result<u8, core::num::ParseIntError>> = core::pin::pin!(parsed).collect().await;
/// assert_eq!(items[..2], [Ok(1), Ok(2)]);
/// assert!(items[2].is_err()); // the body's `Err` is the last item
/// # });
/// ```
#[diagnostic::on_unimplemented(
    message = "a generator that returns `{Self}` is not a `Stream`: a stream has no place for the return value",
    label = "this generator returns `{Self}`",
    note = "stream its items with `.items()`, which keeps the return value for after the last item (`Items::returned`), or drive it with `anext()`"
)]
pub trait StreamReturn<Y> {
    /// The stream's item.
    type Item;
    /// Wraps a yielded item.
    fn item(yielded: Y) -> Self::Item;
    /// The item the return value adds at the end of the stream, if any.
    fn last_item(self) -> Option<Self::Item>;
}

// The four methods are always inlined, in debug builds too: each is a move or two, cheaper
// inlined than compiled as a function of its own in the crates that use this one.
impl<Y> StreamReturn<Y> for () {
    type Item = Y;

    #[inline(always)]
    fn item(yielded: Y) -> Y {
        yielded
    }

    #[inline(always)]
    fn last_item(self) -> Option<Y> {
        None
    }
}

impl<Y, E> StreamReturn<Y> for Result<(), E> {
    type Item = Result<Y, E>;

    #[inline(always)]
    fn item(yielded: Y) -> Result<Y, E> {
        Ok(yielded)
    }

    #[inline(always)]
    fn last_item(self) -> Option<Result<Y, E>> {
        match self {
            Ok(()) => None,
            Err(error) => Some(Err(error)),
        }
    }
}

/// A generator is a stream with `anext` semantics: each `poll_next` is one `anext` step, an
/// interrupted step is finished by the next poll, and the stream ends when the body does.
impl<B> Stream for AsyncGen<B>
where
    B: Body,
    B::Return: StreamReturn<B::Yield>,
{
    type Item = <B::Return as StreamReturn<B::Yield>>::Item;

    // Once per generator: inlined into its caller in debug builds (see `gen.rs`'s module docs).
    #[cfg_attr(debug_assertions, inline(always))]
    #[cfg_attr(not(debug_assertions), inline)]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // An unsizing coercion in debug builds: this is compiled once per generator.
        let gen: Pin<&mut Erased<'_, B>> = Erasable::erase(self, INTERNAL).0;
        gen.parts().poll_item(cx)
    }
}

impl<L: Body + ?Sized> Parts<'_, L>
where
    L::Return: StreamReturn<L::Yield>,
{
    /// The stream's poll: one `anext` step, as a stream item. A method of the generator's parts
    /// as the step logic drives them, not code in `poll_next`, so that debug builds compile it
    /// once per protocol, not once per generator. Always inlined in release builds, as the
    /// step logic around the body is.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll_item(
        self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<<L::Return as StreamReturn<L::Yield>>::Item>> {
        // A `match`, not `Poll::map`: no function of the standard library's is compiled for it
        // in the crates that use this one.
        match self.poll_anext(cx) {
            Poll::Ready(Step::Yielded(item)) => Poll::Ready(Some(L::Return::item(item))),
            Poll::Ready(Step::Returned(value)) => Poll::Ready(value.last_item()),
            Poll::Ready(Step::Exhausted) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Once a generator has finished, been closed, or started closing, it yields nothing more
/// (rule C3), so it is fused.
impl<B> FusedStream for AsyncGen<B>
where
    B: Body,
    B::Return: StreamReturn<B::Yield>,
{
    fn is_terminated(&self) -> bool {
        self.is_exhausted()
    }
}

impl<B: Body> AsyncGen<B> {
    /// A stream of the generator's items, whatever its return type; the return value is kept
    /// in the adapter ([`Items::returned`]).
    ///
    /// ```
    /// use agen_runtime::async_gen;
    /// use futures_util::StreamExt;
    ///
    /// # pollster::block_on(async {
    /// let counted = async_gen!(return = usize => {
    ///     yield 'x';
    ///     yield 'y';
    ///     2
    /// });
    /// let mut counted = core::pin::pin!(counted);
    /// let mut items = counted.items();
    /// let letters: String = items.by_ref().collect().await;
    /// assert_eq!(letters, "xy");
    /// assert_eq!(items.returned(), Some(&2));
    /// assert_eq!(items.take_returned(), Some(2));
    /// # });
    /// ```
    pub fn items<'a>(self: &'a mut Pin<&mut Self>) -> Items<'a, B> {
        Items::new(self.as_mut())
    }
}

impl<'a, B: Body> Items<'a, B> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(gen: Pin<&'a mut AsyncGen<B>>) -> Self {
        Items {
            gen,
            returned: None,
        }
    }
}

/// The stream of [`AsyncGen::items`] (see there for an example): the items, with the return
/// value kept aside.
pub struct Items<'a, B: Body> {
    gen: Pin<&'a mut AsyncGen<B>>,
    returned: Option<ReturnOf<B>>,
}

impl<B: Body> Items<'_, B> {
    /// The body's return value, once the stream has ended by the body returning; see
    /// [`AsyncGen::items`] for an example.
    pub fn returned(&self) -> Option<&ReturnOf<B>> {
        self.returned.as_ref()
    }

    /// Takes the body's return value out; see [`AsyncGen::items`] for an example.
    pub fn take_returned(&mut self) -> Option<ReturnOf<B>> {
        self.returned.take()
    }
}

impl<B: Body> Stream for Items<'_, B> {
    type Item = YieldOf<B>;

    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<YieldOf<B>>> {
        let this = self.get_mut();
        Erasable::erase(this.gen.as_mut(), INTERNAL)
            .0
            .poll_anext(cx)
            .map(|step| match step {
                Step::Yielded(item) => Some(item),
                Step::Returned(value) => {
                    this.returned = Some(value);
                    None
                }
                Step::Exhausted => None,
            })
    }
}

impl<B: Body> FusedStream for Items<'_, B> {
    fn is_terminated(&self) -> bool {
        self.gen.is_exhausted()
    }
}

// The return value is never pinned; the generator is behind its own `Pin`.
impl<B: Body> Unpin for Items<'_, B> {}

impl<B: Body> fmt::Debug for Items<'_, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("gen", &self.gen)
            .field("returned", &self.returned.is_some())
            .finish()
    }
}
