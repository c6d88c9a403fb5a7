//! Async generators with the whole Python protocol: `anext`, `asend`, `athrow`, `aclose`.
//!
//! An [`AsyncGen`] runs a body with yield points. The consumer drives it one [`Step`] at a
//! time: [`anext`](AsyncGen::anext) resumes it, [`asend`](AsyncGen::asend) resumes it with a
//! value, [`athrow`](AsyncGen::athrow) throws an error in at the yield point,
//! [`aclose`](AsyncGen::aclose) closes it and lets it run async cleanup. It is also a
//! [`futures_core::Stream`].
//!
//! The runtime allocates nothing, uses no thread-locals and never wraps the caller's waker: a
//! generator is one pinned struct holding its body's future and a slot through which items go out
//! and resumptions come in. The crate is `#![no_std]`.
//!
//! The reference semantics are Python's (PEP 525); the rule ids quoted in these docs (A1…J12)
//! are those of the project's conformance checklist, and the README maps every Python outcome to
//! its Rust counterpart.
#![no_std]
#![warn(missing_docs)]

mod airlock;
mod macros;
mod body;
mod delegate;
mod error;
mod gen;
mod step;
mod stream;

pub use airlock::Resume;
pub use body::Body;
pub use error::{CloseIgnored, SendError, ThrowError};
pub use gen::{AsyncGen, GenState};
pub use step::{Aclose, Anext, Asend, Athrow, Step};
pub use stream::{Items, StreamReturn};

/// What the macro expansion names. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::airlock::{CatchingYieldPoint, Co, Exit, Raise, YieldPoint};
    pub use crate::delegate::{Delegate, DelegateToStream};
    pub use crate::body::BodyFn;
    pub use core;

    use crate::gen::AsyncGen;
    use core::future::Future;

    /// [`AsyncGen::new`] with the body's return type spelled out, so that `?` and `return` inside
    /// the body's `async` block infer against it.
    ///
    /// # Safety
    /// The contract of [`AsyncGen::new`].
    #[inline]
    pub unsafe fn new_gen<Y, S, E, R, F, Fut>(start: F) -> AsyncGen<BodyFn<F, Fut, Y, S, E>>
    where
        F: FnOnce(Co<Y, S, E>) -> Fut,
        Fut: Future<Output = R>,
    {
        // SAFETY: the caller upholds `AsyncGen::new`'s contract.
        unsafe { AsyncGen::new(start) }
    }
}
