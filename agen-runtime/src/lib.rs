//! Async generators with the whole Python protocol: `anext`, `asend`, `athrow`, `aclose`.
//!
//! Mark an `async fn` with [`#[async_generator]`](async_generator), put yield points in its body,
//! and it returns an [`AsyncGen`]: a generator the consumer drives one [`Step`] at a time, or uses
//! as a [`futures_core::Stream`].
//!
//! ```
//! use agen_runtime::{async_generator, yield_, Step};
//!
//! #[async_generator(yield = u32)]
//! async fn countdown(from: u32) -> &'static str {
//!     for n in (1..=from).rev() {
//!         yield_!(n);
//!     }
//!     "liftoff"
//! }
//!
//! # pollster::block_on(async {
//! let mut gen = core::pin::pin!(countdown(2));
//! assert_eq!(gen.anext().await, Step::Yielded(2));
//! assert_eq!(gen.anext().await, Step::Yielded(1));
//! assert_eq!(gen.anext().await, Step::Returned("liftoff"));
//! assert_eq!(gen.anext().await, Step::Exhausted);
//! # });
//! ```
//!
//! # The protocol
//!
//! - [`anext`](AsyncGen::anext) resumes the body up to its next yield point.
//! - [`asend(value)`](AsyncGen::asend) resumes it and hands it `value`: a plain yield point
//!   `yield_!(item)` evaluates to `Some(value)` (to `None` after `anext`).
//! - [`athrow(error)`](AsyncGen::athrow) delivers an error at the yield point. A plain yield point
//!   does not catch: the body is dropped there and the error comes back. A catching one,
//!   `yield_catch!(item)`, evaluates to [`Resume::Throw(error)`](Resume::Throw) and the body
//!   decides.
//! - [`aclose`](AsyncGen::aclose) closes the generator. At a catching yield point the body sees
//!   [`Resume::Close`] and may `.await` its cleanup before finishing.
//!
//! ```
//! use agen_runtime::{async_generator, yield_catch, Resume, Step, ThrowError};
//!
//! #[derive(Debug, PartialEq)]
//! struct Retry;
//!
//! /// Yields `attempt` numbers; a thrown `Retry` is caught and counted; a close is logged.
//! #[async_generator(yield = u32, send = u32, throw = Retry)]
//! async fn attempts(log: &mut Vec<String>) -> u32 {
//!     let mut attempt = 0;
//!     loop {
//!         match yield_catch!(attempt) {
//!             Resume::Next => attempt += 1,
//!             Resume::Send(jump) => attempt += jump,
//!             Resume::Throw(Retry) => log.push(format!("retry after {attempt}")),
//!             Resume::Close => {
//!                 // Async cleanup may `.await` here.
//!                 log.push("closed".into());
//!                 return attempt;
//!             }
//!         }
//!     }
//! }
//!
//! # pollster::block_on(async {
//! let mut log = Vec::new();
//! {
//!     let mut gen = core::pin::pin!(attempts(&mut log));
//!     assert_eq!(gen.anext().await, Step::Yielded(0));
//!     assert_eq!(gen.asend(10).await, Ok(Step::Yielded(10)));
//!     assert_eq!(gen.athrow(Retry).await, Ok(Step::Yielded(10)));
//!     assert_eq!(gen.aclose().await, Ok(Some(10))); // the body returned 10 while closing
//!     assert_eq!(gen.athrow(Retry).await, Err(ThrowError::Exhausted(Retry))); // handed back
//! }
//! assert_eq!(log, ["retry after 10", "closed"]);
//! # });
//! ```
//!
//! # As a stream
//!
//! A generator whose body returns `()` is a `Stream` of its items; one returning
//! `Result<(), E>` is a `Stream` of `Result<Item, E>`, its error last. [`AsyncGen::items`] streams
//! any other generator and keeps its return value.
//!
//! # Design
//!
//! The runtime allocates nothing and uses no thread-locals: a generator is one pinned struct
//! holding its body's future and a one-byte state, at most one word larger than the body's
//! future. Items go out and resumptions come in through a small exchange on the stack of the
//! poll under way, which holds the context the body is polled with; the body's yield points find
//! it at the address of that context. The context is made from the consumer's own waker, so a
//! future in the body sees the executor's waker as it is. The optimizer sees the whole
//! exchange, so a generator drained as a `Stream` compiles to what a hand-written `Stream`
//! compiles to. The crate is `#![no_std]`.
//!
//! Where a yield point may be is checked by the compiler: each one expands to the innermost
//! generator body's own local macro, which does not compile outside that body's control flow
//! (in a closure, an `async` block, a nested fn or an inner generator), whatever macro its
//! tokens went through.
//!
//! The reference semantics are Python's (PEP 525); the rule ids quoted in these docs (A1…J12)
//! are those of `docs/protocol.md` in the repository, which states each rule, its source, what
//! agen does with it and the tests that check it. The README maps every Python outcome to its
//! Rust counterpart.
#![no_std]
#![warn(missing_docs)]

mod body;
mod delegate;
mod error;
mod exchange;
mod gen;
mod looping;
mod macros;
mod scope;
mod step;
mod stream;
mod yield_point;

#[doc(inline)]
pub use agen_macros::async_generator;
pub use body::Body;
pub use error::{CloseIgnored, SendError, ThrowError};
pub use gen::{AsyncGen, GenState};
pub use scope::{aclosing, Closed};
pub use step::{Aclose, Anext, Asend, Athrow, Step};
pub use stream::{Items, StreamReturn};
pub use yield_point::Resume;

// The README's examples are compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// What the macro expansion names. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::__body as body;
    pub use crate::body::BodyFn;
    pub use crate::delegate::{
        delegate, Delegation, GeneratorDelegation, Probe, ProbeGenerator, ProbeStream,
        StreamDelegation,
    };
    pub use crate::looping::{
        Branch, ForAwait, ForAwaitGenerator, ForAwaitStream, FromResidual, LoopExit,
    };
    pub use crate::yield_point::{sent, Co, Exit, Here, Protocol, Raise, Resumed, Slot};
    pub use agen_macros::{async_gen, for_await};
    pub use core;

    use crate::gen::AsyncGen;
    use core::future::Future;

    /// Names lifetimes in an `impl Trait` bound so that edition 2021 lets the hidden type use
    /// them (edition 2024 captures every lifetime in scope anyway): `impl Body<…> +
    /// Captures<(&'a (), &'agen Self)>`. Implemented for every type, so it constrains nothing.
    pub trait Captures<T: ?Sized> {}

    impl<T: ?Sized, U: ?Sized> Captures<T> for U {}

    /// [`AsyncGen::new`], as the body macro calls it.
    ///
    /// # Safety
    /// The contract of [`AsyncGen::new`].
    #[inline(always)]
    pub unsafe fn new_gen<Y, S, E, F, Fut>(start: F) -> AsyncGen<BodyFn<F, Fut, Y, S, E>>
    where
        F: FnOnce(Co<Y, S, E>) -> Fut,
        Fut: Future,
    {
        // SAFETY: the caller upholds `AsyncGen::new`'s contract.
        unsafe { AsyncGen::new(start) }
    }
}
