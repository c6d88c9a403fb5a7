//! Delegation, the runtime half of `yield_from!(inner)` (PEP 380's `yield from`, ECMAScript's
//! `yield*`, rule J11).
//!
//! While the outer body delegates, it is parked at a catching yield point of its own, and every
//! resumption that reaches it is forwarded to the inner generator:
//!
//! | outer receives | delegation does |
//! |---|---|
//! | `anext` | `inner.anext()` |
//! | `asend(s)` | `inner.asend(s)` |
//! | `athrow(e)` | `inner.athrow(e)`; if the inner does not catch it, `e` is raised out of the outer body: the outer's `athrow` returns `Uncaught(e)` |
//! | `aclose` | `inner.aclose()`, awaited, so the inner's async cleanup runs; then the outer body ends as closed. An item the inner yields while being closed comes back from the outer's `aclose` in `CloseIgnored` |
//!
//! Each item the inner yields is yielded by the outer; when the inner returns, `yield_from!`
//! evaluates to its return value. Nested delegation composes: each level is one future inside the
//! level above, so nothing is allocated.
//!
//! A plain `Stream` has no `asend`, `athrow` or `aclose`: a value sent while delegating to one is
//! dropped, a thrown error is raised out of the outer body at once (the stream cannot catch it),
//! and a close drops the stream (its destructor runs) and ends the outer body as closed.

use core::future::{poll_fn, Future};
use core::pin::pin;

use futures_core::Stream;

use crate::airlock::{Co, Resume};
use crate::body::Body;
use crate::error::{CloseIgnored, ThrowError};
use crate::gen::AsyncGen;
use crate::step::Step;

/// What `yield_from!` wraps its operand in, so that method resolution picks the generator
/// delegation (an inherent method) before the stream delegation (a trait method): an `AsyncGen`
/// is also a `Stream`, and must be delegated to as a generator.
pub struct Delegate<T>(pub T);

impl<B: Body> Delegate<AsyncGen<B>> {
    /// Delegates to a generator: see the module docs.
    ///
    /// Generic over the handle, so that a generator with other protocol types is reported as a
    /// mismatch of those types (`expected u32, found &str`), not of handle types.
    pub fn delegate<'co, C>(self, co: &'co mut C) -> impl Future<Output = C::Return> + 'co
    where
        C: AcceptsDelegation<AsyncGen<B>>,
        B: 'co,
    {
        co.delegate_to(self.0)
    }
}

/// A body's handle can delegate to a generator with the same item, send and throw types.
pub trait AcceptsDelegation<G> {
    /// The inner generator's return value, what `yield_from!` evaluates to.
    type Return;
    /// Delegates to `inner`: see the module docs.
    fn delegate_to<'co>(&'co mut self, inner: G) -> impl Future<Output = Self::Return> + 'co
    where
        G: 'co;
}

impl<B: Body> AcceptsDelegation<AsyncGen<B>> for Co<B::Yield, B::Send, B::Throw> {
    type Return = B::Return;

    fn delegate_to<'co>(&'co mut self, inner: AsyncGen<B>) -> impl Future<Output = B::Return> + 'co
    where
        AsyncGen<B>: 'co,
    {
        delegate_to_generator(self, inner)
    }
}

/// The stream half of the dispatch described on [`Delegate`].
pub trait DelegateToStream<S, E> {
    /// The stream's items.
    type Item;
    /// Delegates to a stream: see the module docs.
    fn delegate<'co>(self, co: &'co mut Co<Self::Item, S, E>) -> impl Future<Output = ()> + 'co
    where
        Self: 'co;
}

impl<St: Stream, S, E> DelegateToStream<S, E> for Delegate<St> {
    type Item = St::Item;

    fn delegate<'co>(self, co: &'co mut Co<St::Item, S, E>) -> impl Future<Output = ()> + 'co
    where
        Self: 'co,
    {
        delegate_to_stream(co, self.0)
    }
}

async fn delegate_to_generator<B: Body>(
    co: &mut Co<B::Yield, B::Send, B::Throw>,
    inner: AsyncGen<B>,
) -> B::Return {
    let mut inner = pin!(inner);
    let mut step = inner.anext().await;
    loop {
        let item = match step {
            Step::Yielded(item) => item,
            Step::Returned(value) => return value,
            // The inner body ended as closed (`closed!()`): the close propagates to the outer.
            Step::Exhausted => match co.exit().await {},
        };
        step = match co.yield_catching(item).await {
            Resume::Next => inner.anext().await,
            Resume::Send(value) => inner
                .asend(value)
                .await
                .unwrap_or_else(|_| unreachable!("agen: the delegated generator was suspended")),
            Resume::Throw(error) => match inner.athrow(error).await {
                Ok(step) => step,
                Err(ThrowError::Uncaught(error)) => match co.raise(error).await {},
                Err(ThrowError::Running(_) | ThrowError::Exhausted(_)) => {
                    unreachable!("agen: the delegated generator was suspended")
                }
            },
            Resume::Close => {
                if let Err(CloseIgnored(item)) = inner.aclose().await {
                    // Yielding while being closed makes the outer `aclose` fail with this item,
                    // as the inner's did; the runtime then drops the outer body.
                    co.yield_(item).await;
                }
                match co.exit().await {}
            }
        };
    }
}

async fn delegate_to_stream<St: Stream, S, E>(co: &mut Co<St::Item, S, E>, stream: St) {
    let mut stream = pin!(stream);
    while let Some(item) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        match co.yield_catching(item).await {
            Resume::Next | Resume::Send(_) => {}
            Resume::Throw(error) => match co.raise(error).await {},
            Resume::Close => match co.exit().await {},
        }
    }
}
