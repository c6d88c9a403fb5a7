//! The generator object: its body, its state, and the one place where the body is polled.
//!
//! # Code compiled once per generator, in debug builds
//!
//! Debug builds compile the step logic once per protocol (see `Erased`). What is left per
//! generator (making it, erasing it, its `Drop`, the entry points `Stream::poll_next` and the
//! step futures' constructors and `anext`'s poll) is `#[inline(always)]` in debug builds too. At
//! `opt-level = 0` rustc compiles a generic function that is not in a codegen unit of the module
//! that defines it, once per crate that uses it: each generator's whole type (its body's state
//! machine, and the wrappers around it) then has its debug info written in that unit as well as
//! in the user's. Measured on a crate of 20 generators (`scripts/compile-time`,
//! `INSTRUCTIONS=1`), those functions cost about 1.4% of its build; inlined, they are compiled
//! beside their callers, whose units have that debug info anyway.

use core::cell::UnsafeCell;
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::body::{Body, Protocol, INTERNAL};
use crate::exchange::{self, Exchange, Record, Transit};
pub(crate) use crate::parts::{BodyEvent, CloseOnUnwind, Parts};
use crate::yield_point::{Co, Resume, YieldKind};

pub(crate) type YieldOf<B> = <B as Body>::Yield;
pub(crate) type SendOf<B> = <B as Body>::Send;
pub(crate) type ThrowOf<B> = <B as Body>::Throw;
pub(crate) type ReturnOf<B> = <B as Body>::Return;
pub(crate) type TransitOf<B> = Transit<YieldOf<B>, SendOf<B>, ThrowOf<B>>;
pub(crate) type EventOf<B> = BodyEvent<YieldOf<B>, ReturnOf<B>, ThrowOf<B>>;

/// Items over every generator the step logic drives: `?Sized` in debug builds, which drive it
/// with its body's future as a `dyn Future` ([`Erased`]); in release builds only sized ones, so
/// that the compiler may lay the generator out as it likes (the body first: with the position
/// after it, one level of delegation through `dyn Stream` costs two instructions less per item).
/// So a bound `B: Body + ?Sized` on an `AsyncGen<B>` is accepted in debug builds only; no body
/// type is unsized outside this crate, so it admits no type more.
macro_rules! over_generators {
    ($(#[$attr:meta])* impl<$B:ident $(: $bound:path)?> $($rest:tt)*) => {
        #[cfg(debug_assertions)]
        $(#[$attr])*
        impl<$B: Body $(+ $bound)? + ?Sized> $($rest)*
        #[cfg(not(debug_assertions))]
        $(#[$attr])*
        impl<$B: Body $(+ $bound)?> $($rest)*
    };
    ($(#[$attr:meta])* pub struct $name:ident<$B:ident> { $($fields:tt)* }) => {
        #[cfg(debug_assertions)]
        $(#[$attr])*
        pub struct $name<$B: Body + ?Sized> { $($fields)* }
        #[cfg(not(debug_assertions))]
        $(#[$attr])*
        pub struct $name<$B: Body> { $($fields)* }
    };
}
pub(crate) use over_generators;

over_generators! {
/// An async generator: a body with yield points, driven by [`anext`](Self::anext),
/// [`asend`](Self::asend), [`athrow`](Self::athrow) and [`aclose`](Self::aclose), or as a
/// [`Stream`](futures_core::Stream).
///
/// `#[async_generator]` functions return one. Creating it runs no code of the body (rule A1); the
/// body starts on the first `anext`. A generator must be pinned before it is driven, because its
/// body refers to it; `core::pin::pin!` does that on the stack, `Box::pin` on the heap:
///
/// ```
/// # use agen_runtime::{async_generator, yield_, Step};
/// # #[async_generator(yield = u32)]
/// # async fn countdown(from: u32) { for n in (1..=from).rev() { yield_!(n); } }
/// # pollster::block_on(async {
/// let mut launch = core::pin::pin!(countdown(3));
/// let mut seen = Vec::new();
/// while let Step::Yielded(n) = launch.anext().await {
///     seen.push(n);
/// }
/// assert_eq!(seen, [3, 2, 1]);
///
/// let mut boxed = Box::pin(countdown(1));
/// assert_eq!(boxed.as_mut().anext().await, Step::Yielded(1));
/// # });
/// ```
///
/// The methods take `&mut Pin<&mut Self>`, so a pinned generator is used again and again without
/// `as_mut()`; a `Pin<Box<AsyncGen<_>>>` calls them through `.as_mut()`.
///
/// Dropping a generator drops its body on the spot: the destructors of its live locals run, but
/// no async cleanup can (Rust has no async drop). Await [`aclose`](Self::aclose) first to let a
/// catching yield point run async cleanup.
#[must_use = "a generator does nothing unless it is driven: `anext()`, `for_await!`, or as a `Stream`"]
pub struct AsyncGen<B> {
    /// Where the body is: the generator's whole state.
    position: Position,
    /// The exchange of the poll under way, which the body's yield points check their context
    /// against: a pointer in debug builds, nothing in release builds (see `exchange.rs`).
    record: Record,
    /// The body's future; whether it is live, `position` says.
    ///
    /// In an `UnsafeCell` because the body may hold references into itself across a yield
    /// (`let r = &mut local; yield_!(…); r.push(…)`): a shared reference to the generator
    /// (`state()`, `Debug`) must not count as a read of the body's bytes, which would invalidate
    /// those references.
    ///
    /// Last, so that debug builds can drive a generator with its body's future as a
    /// `dyn Future` (see [`Erased`]).
    body: UnsafeCell<B>,
}
}

over_generators! {
/// The body's future may refer to itself, so a generator must not move once started: it is never
/// `Unpin`. The bound is implemented by no type (it is sealed); it is there, rather than a
/// `PhantomPinned` field, so that using a generator unpinned (`gen.next()`, which needs
/// `Unpin`) is reported with a message that says to pin it, and not as "`PhantomPinned` cannot
/// be unpinned" followed by the body's internals.
impl<B> Unpin for AsyncGen<B> where B: PinTheGeneratorFirst {}
}

/// See the `Unpin` impl of [`AsyncGen`].
#[diagnostic::on_unimplemented(
    message = "a generator must be pinned before it is used as a `Stream` or stepped: it is never `Unpin`",
    label = "this needs the generator pinned",
    note = "pin it where it is (`let mut generator = core::pin::pin!(generator);`) or on the heap (`Box::pin(generator)`), then use the pinned value"
)]
pub trait PinTheGeneratorFirst: sealed::Unimplementable {}

mod sealed {
    /// No type implements this trait, and no code outside this module can name it.
    pub trait Unimplementable {}
}

/// The state of a generator, as Python's `ag_running` / `ag_suspended` / `ag_frame` show it.
///
/// ```
/// use agen_runtime::{async_gen, GenState, Step};
///
/// # pollster::block_on(async {
/// let one = async_gen! { yield 1_u8; };
/// let mut one = core::pin::pin!(one);
/// assert_eq!(one.state(), GenState::Created); // no code of the body has run
/// assert_eq!(one.anext().await, Step::Yielded(1));
/// assert_eq!(one.state(), GenState::Suspended);
/// assert_eq!(one.anext().await, Step::Returned(()));
/// assert_eq!(one.state(), GenState::Closed);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GenState {
    /// Not started: no code of the body has run (rules A1, A2).
    Created,
    /// Parked at a yield point, waiting for the next call (rule A3).
    Suspended,
    /// A step started and did not finish: its future was dropped while the body was parked at an
    /// inner `.await` (rules A4, F8). `anext()` finishes an interrupted `anext` or `asend`;
    /// `aclose()` drops the body, or resumes an interrupted close (which `anext` reports as
    /// exhausted).
    Running,
    /// Finished, closed, or panicked: the body has been dropped, and every step reports
    /// exhaustion (rules A5, A6).
    Closed,
}

/// Where the body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Fieldless and in this order, so that the positions every `anext` but the first finds (at a
// yield point, running) are the lowest values of the byte: one comparison tells them.
#[repr(u8)]
pub(crate) enum Position {
    /// Parked at a plain yield point: resumed only by `anext` and `asend`.
    AtPlain,
    /// Parked at a catching yield point: resumed by every method.
    AtCatching,
    /// A step resumed the body and it has not yielded, returned or exited yet: it is parked at
    /// an inner `.await`.
    Running,
    /// The body has not started: its future has never been polled.
    Created,
    /// A close resumed the body and it has not finished yet.
    Closing,
    /// The body has finished, been closed, or panicked, and has been dropped.
    Closed,
}

impl Position {
    /// Parked at a yield point of this kind.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn at(kind: YieldKind) -> Self {
        match kind {
            YieldKind::Plain => Position::AtPlain,
            YieldKind::Catching => Position::AtCatching,
        }
    }
}

impl<Fut, Y, S, E> AsyncGen<BodyFuture<Fut, Y, S, E>>
where
    Fut: Future,
{
    /// Creates a generator from the closure that makes its body's `async` block, which it calls
    /// at once with the body's handle. Not public API: the test suites that drive the runtime by
    /// hand call it (the generator macros build the handle and the block themselves, see
    /// `__private::new_gen`).
    ///
    /// # Safety
    /// The future `start` returns must use the [`Co`] it is given only to make the futures of
    /// its associated functions (`here`, `resumed`, `yield_point`, `exit`, `raise`, and the
    /// delegation futures), and must await each one at once, directly in its own `async` block:
    /// never store one, move it, poll it from another future, task or thread, nor let the `Co`
    /// or a reference to it out of that block. The runtime relies on each being polled only
    /// while it polls the body, with the very `&mut Context` it passed (whose contents may have
    /// changed, not its address), and on a [`Slot`](crate::__private::Slot) being used before
    /// the body next suspends. `raise` only after the body received `Resume::Throw` in the same
    /// step. The body macro does exactly this, and checks at compile time that each yield point
    /// is in the body's own control flow.
    #[doc(hidden)]
    pub unsafe fn new<F>(start: F) -> Self
    where
        F: FnOnce(Co<Y, S, E>) -> Fut,
    {
        // SAFETY: the caller's promise, for the one handle of this body.
        let (co, make) = unsafe { crate::__private::new_gen() };
        make.with(start(co))
    }
}

/// The body's handle, and the maker of its generator: what the body macro starts with. The
/// macro moves the handle into the body's `async` block, then gives the block to the maker.
/// Here, beside the generator's code, so that debug builds compile it with that code, in one
/// codegen unit of the crate that uses this one.
///
/// # Safety
/// The contract of [`AsyncGen::new`](crate::AsyncGen::new), for the future given to
/// [`MakeGen::with`]: it holds this handle, and uses it only as that contract says.
#[cfg_attr(not(debug_assertions), inline(always))]
pub unsafe fn new_gen<Y, S, E>() -> (Co<Y, S, E>, MakeGen<Y, S, E>) {
    // SAFETY: the caller's promise, for the one handle of this body.
    (unsafe { Co::new() }, MakeGen(PhantomData))
}

/// Makes the generator of the body whose handle came with it from `__private::new_gen`.
///
/// Invariant in `Y`, `S` and `E`, as the handle is: the generator it makes has exactly the
/// handle's protocol types (see [`Protocol`]).
#[doc(hidden)]
pub struct MakeGen<Y, S, E>(pub(crate) Protocol<Y, S, E>);

impl<Y, S, E> MakeGen<Y, S, E> {
    /// The generator of `body`, the `async` block that holds the handle. A generator is created
    /// with its body not started: no code of the body has run (rule A1). Once per generator:
    /// inlined in every build (see the module docs).
    #[inline(always)]
    pub fn with<Fut: Future>(self, body: Fut) -> AsyncGen<BodyFuture<Fut, Y, S, E>> {
        AsyncGen {
            position: Position::Created,
            record: const { Record::new() },
            body: UnsafeCell::new(BodyFuture {
                future: ManuallyDrop::new(body),
                _protocol: PhantomData,
            }),
        }
    }
}

/// The body built from its `async` block, `Fut`, which holds the body's handle, a
/// [`Co<Y, S, E>`](crate::__private::Co).
///
/// The type parameters fix the protocol types, which a future alone cannot carry. Debug builds
/// drive every body of one protocol as `BodyFuture<dyn Future<Output = R>, Y, S, E>`: the
/// future is the last field, so that it can be unsized. No code outside the crate can name the
/// type (its module is private) or get a value of that type, which release builds do not have
/// (see `body.rs`'s `ErasedGen`). Defined here, beside the generator, so that debug builds
/// compile the code of both in one codegen unit of the crate that uses this one.
pub struct BodyFuture<Fut: ?Sized, Y, S, E> {
    pub(crate) _protocol: Protocol<Y, S, E>,
    pub(crate) future: ManuallyDrop<Fut>,
}

impl<B: Body> AsyncGen<B> {
    /// The generator's state; see [`GenState`] for an example.
    pub fn state(&self) -> GenState {
        match self.position() {
            Position::Created => GenState::Created,
            Position::AtPlain | Position::AtCatching => GenState::Suspended,
            Position::Running | Position::Closing => GenState::Running,
            Position::Closed => GenState::Closed,
        }
    }

    /// The size of the body's future (not API: for the benches' size report).
    #[doc(hidden)]
    pub fn __body_future_size(&self) -> usize {
        // The body is its future and a marker of no size.
        core::mem::size_of::<B>()
    }

    /// Whether the generator will never yield again: it has finished, been closed, or a close of
    /// it is under way.
    ///
    /// ```
    /// use agen_runtime::async_gen;
    ///
    /// # pollster::block_on(async {
    /// let one = async_gen! { yield 1_u8; };
    /// let mut one = core::pin::pin!(one);
    /// assert!(!one.is_exhausted());
    /// let _ = one.aclose().await;
    /// assert!(one.is_exhausted());
    /// # });
    /// ```
    pub fn is_exhausted(&self) -> bool {
        matches!(self.position(), Position::Closed | Position::Closing)
    }
}

over_generators! {
    impl<L> AsyncGen<L> {
        /// Where the body is, for the step futures to choose what to do on their first poll.
        #[inline]
        pub(crate) fn position(&self) -> Position {
            self.position
        }

        /// The body, pinned, the position and the record.
        // Once per protocol in debug builds, not inlined into each generator's entry point.
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn parts(self: Pin<&mut Self>) -> Parts<'_, L> {
            // SAFETY: `body` is structurally pinned: it is only used through `Pin` and dropped in
            // place. The position and the record are not pinned.
            let this = unsafe { self.get_unchecked_mut() };
            // SAFETY: see above.
            let body = unsafe { Pin::new_unchecked(this.body.get_mut()) };
            Parts {
                body,
                position: &mut this.position,
                record: &this.record,
            }
        }

        /// Drops the body in place (its destructors run) and marks the generator closed.
        // Once per protocol in debug builds, not inlined into each generator's entry point.
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn close_now(self: Pin<&mut Self>) {
            self.parts().close_now();
        }

        /// Polls the started body once, with `transit` carrying in what the suspended yield point
        /// is resumed with, and reports what it came to; panics if the body is not live, which
        /// happens when a step future is polled again after its last poll panicked.
        // Once per protocol in debug builds, not inlined into each generator's entry point.
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn poll_body(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            transit: TransitOf<L>,
        ) -> Poll<EventOf<L>> {
            self.parts().poll_body(cx, transit)
        }
    }
}

/// A generator as the step logic drives it: in debug builds, with its body's future as a
/// `dyn Future<Output = R>` of the body's protocol, so that the logic (starting, polling,
/// closing the body) is compiled once per protocol (`Yield`, `Send`, `Throw`, `Return`), however
/// many generators share it, and not once per generator: that is most of the code a crate of
/// many generators compiles. The body's own poll and drop are the trait object's, so no function
/// of the runtime's stands between them and the logic. Each entry point (`Stream::poll_next`,
/// the step futures, delegation) turns its `Pin<&mut AsyncGen<B>>` into one by an unsizing
/// coercion ([`Erasable::erase`](crate::body::Erasable::erase)). In release builds, the
/// generator's own type, so that the logic is inlined around the body's poll.
#[cfg(debug_assertions)]
pub(crate) type Erased<'a, B> =
    AsyncGen<BodyFuture<dyn Future<Output = ReturnOf<B>> + 'a, YieldOf<B>, SendOf<B>, ThrowOf<B>>>;
/// See the debug builds' definition.
#[cfg(not(debug_assertions))]
pub(crate) type Erased<'a, B> = AsyncGen<B>;

impl<L: Body + ?Sized> Parts<'_, L> {
    /// The same parts, for a shorter while.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn as_mut(&mut self) -> Parts<'_, L> {
        Parts {
            body: self.body.as_mut(),
            position: self.position,
            record: self.record,
        }
    }

    /// Where the body is.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn position(&self) -> Position {
        *self.position
    }

    /// See [`AsyncGen::close_now`].
    pub(crate) fn close_now(self) {
        let Parts { body, position, .. } = self;
        // Marked closed before the body is dropped, so a panicking destructor cannot lead to a
        // second drop. (A copy and an `if let`, not `mem::replace` and `!=`: one branch, and no
        // function of the standard library's compiled for it in the crates that use this one.)
        let was = *position;
        *position = Position::Closed;
        if let Position::Closed = was {
            return;
        }
        // SAFETY: in every other position the body's future is live; it is dropped in place.
        unsafe { body.get_unchecked_mut().drop_body(INTERNAL) };
    }

    /// Marks a created generator's body started, so that the next
    /// [`poll_body`](Self::poll_body) runs it up to its first yield point.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn start(self) {
        debug_assert!(matches!(*self.position, Position::Created));
        *self.position = Position::Running;
    }

    /// See [`AsyncGen::poll_body`].
    pub(crate) fn poll_body(self, cx: &mut Context<'_>, transit: TransitOf<L>) -> Poll<EventOf<L>> {
        assert!(
            !matches!(self.position(), Position::Created | Position::Closed),
            "agen: a step future was polled again after its generator finished or panicked"
        );
        // SAFETY: every other position means the body has started and has not been dropped.
        unsafe { self.poll_live_body(cx, transit) }
    }

    /// Polls the started body once, with `transit` carrying in what the suspended yield point is
    /// resumed with ([`Transit::Empty`] if the body is not at a yield point), and reports what it
    /// came to.
    ///
    /// The position is written once the poll returns (nothing reads it during the poll: the step
    /// holds the generator): at a yield point, closed, or, if the body is parked at an inner
    /// `.await`, running (closing, for a close).
    ///
    /// If the body panics, the panic propagates to the caller and the generator is left closed,
    /// with the body dropped (rule A6 for panics).
    ///
    /// # Safety
    /// The body is live: it has started and has not been dropped.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) unsafe fn poll_live_body(
        self,
        cx: &mut Context<'_>,
        transit: TransitOf<L>,
    ) -> Poll<EventOf<L>> {
        let Parts {
            mut body,
            position,
            record,
        } = self;
        let parked = match (&transit, *position) {
            (Transit::Resume(Resume::Close), _) | (_, Position::Closing) => Position::Closing,
            _ => Position::Running,
        };
        let mut exchange = Exchange::new(cx, transit, record);
        let at = exchange.expose();
        record.set(at as *mut ());
        // SAFETY: `exchange` stays where it is and is not touched until the body's poll returns,
        // which is as long as the context's reference lives.
        let body_cx = unsafe { exchange::body_context(at) };
        let polled = {
            let mut guard = CloseOnUnwind {
                body: &mut body,
                position: &mut *position,
                record,
                armed: true,
            };
            // SAFETY: the caller guarantees the body's future is live.
            let polled = unsafe { guard.body.as_mut().poll_body(body_cx, INTERNAL) };
            guard.armed = false;
            polled
        };
        let transit = exchange.into_transit();
        let event = match (polled, transit) {
            (Poll::Ready(value), _) => BodyEvent::Returned(value),
            (Poll::Pending, Transit::Yielded(kind, item)) => {
                *position = Position::at(kind);
                return Poll::Ready(BodyEvent::Yielded(item));
            }
            (Poll::Pending, Transit::Exited) => BodyEvent::Exited,
            (Poll::Pending, Transit::Raised(error)) => BodyEvent::Raised(error),
            // Parked at an inner `.await`. The resumption is still there if the body was not at
            // a yield point (`anext` resumes a running body with `Next`, which only a yield
            // point takes).
            (Poll::Pending, Transit::Empty | Transit::Resume(_)) => {
                *position = parked;
                return Poll::Pending;
            }
        };
        // The body has finished: it is dropped, once, the position saying `Closed` first.
        *position = Position::Closed;
        // SAFETY: the future is live (it just completed or asked to end); it is dropped in place.
        unsafe { body.get_unchecked_mut().drop_body(INTERNAL) };
        Poll::Ready(event)
    }
}

impl<L: Body + ?Sized> Drop for CloseOnUnwind<'_, '_, L> {
    fn drop(&mut self) {
        self.record.clear();
        if self.armed {
            // Unwinding from the body's poll. Marked closed first, so the future is dropped once.
            *self.position = Position::Closed;
            // SAFETY: the future was live when its poll began, and a panicking poll does not
            // drop it.
            unsafe { self.body.as_mut().get_unchecked_mut().drop_body(INTERNAL) };
        }
    }
}

over_generators! {
    impl<B> Drop for AsyncGen<B> {
        // What `close_now` does, written out with no call but the body's drop: this is compiled
        // once per generator (and inlined into its drop glue in debug builds, see the module
        // docs).
        #[cfg_attr(debug_assertions, inline(always))]
        fn drop(&mut self) {
            // Marked closed before the body is dropped, so a panicking destructor cannot lead to a
            // second drop.
            let was = self.position;
            self.position = Position::Closed;
            if let Position::Closed = was {
                return;
            }
            // `UnsafeCell` is `repr(transparent)`: its pointer is the body's.
            let body = core::ptr::addr_of_mut!(self.body) as *mut B;
            // SAFETY: the position said the future is live; the generator is pinned (or its body
            // never polled, when pinning does not matter yet), so it is dropped in place, once.
            unsafe { (*body).drop_body(INTERNAL) };
        }
    }
}

impl<B: Body> fmt::Debug for AsyncGen<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncGen")
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

// SAFETY: `&AsyncGen` only reads the position (`state`, `is_exhausted`, `Debug`), a `Copy` enum
// written only through `Pin<&mut AsyncGen>`, so no write can race with those reads; it gives no
// access to the body, nor to the record (an atomic in debug builds, nothing in release builds).
// Sharing the generator is therefore sound whenever sharing its body is. (The body's
// `UnsafeCell` alone is what keeps the compiler from deriving this.) `?Sized` in debug builds
// only, as the generator is (see `over_generators!`).
#[cfg(debug_assertions)]
unsafe impl<B: Body + Sync + ?Sized> Sync for AsyncGen<B> {}
// SAFETY: as above.
#[cfg(not(debug_assertions))]
unsafe impl<B: Body + Sync> Sync for AsyncGen<B> {}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::size_of_val;

    /// The generator costs at most one word over its body's future in release builds (the
    /// budget is two; debug builds add the record's pointer): the generator holds the body's
    /// future, and the position is one byte, padded. A large item costs nothing
    /// more: it travels inside the body's own future.
    #[test]
    fn a_generator_is_at_most_one_word_bigger_than_its_body_future() {
        fn overhead<Y, S, E, F, Fut>(start: F) -> (usize, usize)
        where
            F: FnOnce(Co<Y, S, E>) -> Fut + Clone,
            Fut: Future,
        {
            // SAFETY: the future is never polled.
            let co = unsafe { Co::new() };
            let future = start.clone()(co);
            // SAFETY: the generator is never driven.
            let gen = unsafe { AsyncGen::new(start) };
            (size_of_val(&gen), size_of_val(&future))
        }
        let word = core::mem::size_of::<usize>() * if cfg!(debug_assertions) { 2 } else { 1 };
        let (gen, future) = overhead(|mut co: Co<u64, u64, ()>| async move {
            let mut total = 0u64;
            for i in 0..10u64 {
                Co::protocol(&co).yield_(i, Co::here(&mut co).await);
                total += crate::yield_point::sent(Co::resumed(&mut co).await).unwrap_or(0);
            }
            total
        });
        assert!(
            gen <= future + word,
            "generator {gen} bytes, body future {future} bytes"
        );
        let (gen, future) = overhead(
            |mut co: Co<[u8; 64], (), core::convert::Infallible>| async move {
                let buf = [7u8; 64];
                Co::protocol(&co).yield_(buf, Co::here(&mut co).await);
                let _ = Co::resumed(&mut co).await;
            },
        );
        assert!(
            gen <= future + word,
            "generator {gen} bytes, body future {future} bytes"
        );
    }
}
