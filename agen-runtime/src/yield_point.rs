//! The body's side of the protocol: its handle [`Co`], the yield points it creates, and the
//! [`Resume`] a catching yield point evaluates to.
//!
//! A yield point puts its item out through the exchange of the poll under way (see
//! `exchange.rs`) and returns `Pending`; the runtime, which was polling the body, finds the item
//! there and returns it as the step's result. The next step polls the body with the resumption
//! in the exchange; the yield point takes it and completes with it.

use core::convert::Infallible;
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::exchange::{self, Link, Transit};

/// How the consumer resumed a suspended generator, as a catching yield point sees it.
///
/// A plain yield point evaluates to `Option<S>` (`None` after `anext`, `Some(s)` after
/// `asend(s)`); `athrow` and `aclose` never reach it, they end the body at that point. A catching
/// yield point evaluates to the whole `Resume`, so the body can recover from a thrown error
/// (rules D2, D3) or run async cleanup when it is closed (E2, E3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resume<S, E> {
    /// `anext()`: Python resumes the `yield` with `None` (rule B5).
    Next,
    /// `asend(value)` (rule B4).
    Send(S),
    /// `athrow(error)`: the error arrives at the yield point (rules D2–D5).
    Throw(E),
    /// `aclose()`: Python's `GeneratorExit` at the yield point (rules E2–E5). The body may await
    /// cleanup, then must finish; yielding again makes `aclose` fail with
    /// [`CloseIgnored`](crate::CloseIgnored).
    Close,
}

impl<S, E> Resume<S, E> {
    /// The sent value, if this resumption carries one: what a plain yield point evaluates to.
    pub fn into_sent(self) -> Option<S> {
        match self {
            Resume::Send(value) => Some(value),
            _ => None,
        }
    }
}

/// Which kind of yield point put an item out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum YieldKind {
    /// Resumed only by `anext` / `asend`; `athrow` and `aclose` drop the body there.
    Plain,
    /// Resumed by every method; the body handles throw and close itself.
    Catching,
}

/// The body's handle: what its yield points are made from.
///
/// The body receives one and names it only inside its yield-point macro (see `macros.rs`), whose
/// identifiers user code cannot spell; user code never holds it, nor is it ever passed to
/// anything user code can implement. All it can do is create yield points, each awaited on the
/// spot by that macro. In release builds it holds nothing: a yield point reaches its generator
/// through the context it is polled with. In debug builds it also holds a pointer to its
/// generator's record of the exchange, to check that context.
///
/// It is invariant in `Y`, `S` and `E`: inside the body, an item type cannot shrink its lifetime
/// (`&'static str` cannot become `&'local str`), so what the body yields is exactly what the
/// consumer's type says. It is `Send` or `Sync` exactly when `Y`, `S` and `E` all are, so a body
/// that holds it across an `.await` is `Send` only when the values it exchanges are.
pub struct Co<Y, S, E> {
    link: Link,
    _protocol: Exchanged<Y, S, E>,
}

/// A marker that makes a type invariant in `T` without touching its auto traits (a `fn` pointer
/// type is always `Send`, `Sync` and `Unpin`).
type Invariant<T> = fn(T) -> T;

/// The handle's marker: the auto traits of `(Y, S, E)`, invariant in each.
type Exchanged<Y, S, E> = PhantomData<((Y, S, E), Invariant<(Y, S, E)>)>;

impl<Y, S, E> Co<Y, S, E> {
    /// # Safety
    /// Only for the body of a generator that honours the contract of
    /// [`AsyncGen::new`](crate::AsyncGen::new), and only one per body; `link` is that
    /// generator's.
    pub(crate) unsafe fn new(link: Link) -> Self {
        Co {
            link,
            _protocol: PhantomData,
        }
    }

    /// The link to the generator's record, for delegation.
    #[inline(always)]
    pub(crate) fn link(&self) -> Link {
        self.link
    }

    /// A plain yield point: hands `item` to the consumer, and evaluates to `None` after
    /// `anext()` or `Some(s)` after `asend(s)`.
    ///
    /// The item comes first, so that it is evaluated before the handle is borrowed (a yield point
    /// inside another's item borrows the handle too).
    #[inline(always)]
    pub fn yield_(item: Y, co: &mut Self) -> YieldPoint<'_, Y, S, E> {
        YieldPoint {
            out: Outgoing::new(item, YieldKind::Plain, co.link),
            _co: PhantomData,
        }
    }

    /// A catching yield point: hands `item` to the consumer, and evaluates to the whole
    /// [`Resume`], including `Throw` and `Close`.
    #[inline(always)]
    pub fn yield_catching(item: Y, co: &mut Self) -> CatchingYieldPoint<'_, Y, S, E> {
        CatchingYieldPoint {
            out: Outgoing::new(item, YieldKind::Catching, co.link),
            _co: PhantomData,
        }
    }

    /// Ends the body as if the close it received had propagated out of it (Python re-raising
    /// `GeneratorExit`): the generator is closed with no return value and `aclose` completes
    /// with `Ok(None)`. The future never completes; the runtime drops the body instead.
    pub fn exit(co: &mut Self) -> Exit<'_, Y, S, E> {
        Exit {
            link: co.link,
            _co: PhantomData,
        }
    }

    /// Ends the body by raising `error` out of it, as if the yield point it was thrown in at had
    /// not caught it: the generator is closed and the `athrow` under way returns
    /// [`ThrowError::Uncaught(error)`](crate::ThrowError::Uncaught). Delegation uses it when the
    /// inner generator does not catch a forwarded throw.
    ///
    /// Only valid during an `athrow` step, after the body received `Resume::Throw`; the runtime
    /// panics otherwise, since no other step can hand an error back.
    pub fn raise(error: E, co: &mut Self) -> Raise<'_, Y, S, E> {
        Raise {
            error: Some(error),
            link: co.link,
            _co: PhantomData,
        }
    }
}

/// A handle's protocol types, as a value. The yield-point macro passes it as the first argument
/// (`Protocol::yield_(Co::protocol(&co), item, &mut co)`), so that the compiler knows the item
/// type before it checks the item, and reports a mismatch at the item the user wrote.
pub struct Protocol<Y, S, E>(PhantomData<Invariant<(Y, S, E)>>);

impl<Y, S, E> Clone for Protocol<Y, S, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Y, S, E> Copy for Protocol<Y, S, E> {}

impl<Y, S, E> Co<Y, S, E> {
    /// The handle's protocol types.
    #[inline(always)]
    pub fn protocol(_: &Self) -> Protocol<Y, S, E> {
        Protocol(PhantomData)
    }
}

impl<Y, S, E> Protocol<Y, S, E> {
    /// [`Co::yield_`], with the types given first.
    #[inline(always)]
    pub fn yield_(self, item: Y, co: &mut Co<Y, S, E>) -> YieldPoint<'_, Y, S, E> {
        Co::yield_(item, co)
    }

    /// [`Co::yield_catching`], with the types given first.
    #[inline(always)]
    pub fn yield_catching(self, item: Y, co: &mut Co<Y, S, E>) -> CatchingYieldPoint<'_, Y, S, E> {
        Co::yield_catching(item, co)
    }
}

impl<Y, S, E> fmt::Debug for Co<Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Co").finish_non_exhaustive()
    }
}

/// Writes `value` into the transit of the poll under way.
///
/// # Safety
/// The contract of [`exchange::transit`].
#[inline]
unsafe fn put<Y, S, E>(cx: &Context<'_>, link: Link, value: Transit<Y, S, E>) {
    // SAFETY: the caller's promise; the pointer is valid during this poll.
    unsafe { *exchange::transit(cx, link) = value };
}

/// The part both kinds of yield point share: the item until it is put out, then the wait for
/// the resumption.
struct Outgoing<Y> {
    item: Option<Y>,
    kind: YieldKind,
    link: Link,
}

impl<Y> Outgoing<Y> {
    #[inline(always)]
    fn new(item: Y, kind: YieldKind, link: Link) -> Self {
        Outgoing {
            item: Some(item),
            kind,
            link,
        }
    }

    #[inline(always)]
    fn poll<S, E>(&mut self, cx: &Context<'_>) -> Poll<Resume<S, E>> {
        // SAFETY: a yield point is polled only inside the runtime's poll of its generator's body,
        // with the body's context (see `exchange.rs`), so the transit is this generator's.
        let transit = unsafe { &mut *exchange::transit::<Y, S, E>(cx, self.link) };
        if let Some(item) = self.item.take() {
            // The first poll: the item goes out, and the runtime returns it as soon as this poll
            // of the body ends. No waker is registered on purpose: the next step polls again.
            *transit = Transit::Yielded(self.kind, item);
            return Poll::Pending;
        }
        // Polled again before any resumption: keep waiting.
        transit.take_resume().map_or(Poll::Pending, Poll::Ready)
    }
}

/// The future of a plain yield point; see [`Co::yield_`].
#[must_use = "a yield point does nothing unless awaited"]
pub struct YieldPoint<'a, Y, S, E> {
    out: Outgoing<Y>,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

/// The future of a catching yield point; see [`Co::yield_catching`].
#[must_use = "a yield point does nothing unless awaited"]
pub struct CatchingYieldPoint<'a, Y, S, E> {
    out: Outgoing<Y>,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

/// The future of [`Co::exit`]; it never completes.
#[must_use = "exit does nothing unless awaited"]
pub struct Exit<'a, Y, S, E> {
    link: Link,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

/// The future of [`Co::raise`]; it never completes.
#[must_use = "raise does nothing unless awaited"]
pub struct Raise<'a, Y, S, E> {
    error: Option<E>,
    link: Link,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

// The item and the error are never pinned (they are moved out on the first poll), so the futures
// are `Unpin` whatever their types are.
impl<Y, S, E> Unpin for YieldPoint<'_, Y, S, E> {}
impl<Y, S, E> Unpin for CatchingYieldPoint<'_, Y, S, E> {}
impl<Y, S, E> Unpin for Exit<'_, Y, S, E> {}
impl<Y, S, E> Unpin for Raise<'_, Y, S, E> {}

impl<Y, S, E> Future for YieldPoint<'_, Y, S, E> {
    type Output = Option<S>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S>> {
        self.get_mut()
            .out
            .poll::<S, E>(cx)
            .map(|resume| match resume {
                Resume::Next => None,
                Resume::Send(value) => Some(value),
                // The runtime answers throw and close at a plain yield point by dropping the body.
                Resume::Throw(_) | Resume::Close => {
                    unreachable!("agen: a plain yield point was resumed with a throw or a close")
                }
            })
    }
}

impl<Y, S, E> Future for CatchingYieldPoint<'_, Y, S, E> {
    type Output = Resume<S, E>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Resume<S, E>> {
        self.get_mut().out.poll(cx)
    }
}

impl<Y, S, E> Future for Exit<'_, Y, S, E> {
    type Output = Infallible;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Infallible> {
        // SAFETY: as for `Outgoing::poll`: polled only inside the runtime's poll of the body.
        unsafe { put::<Y, S, E>(cx, self.link, Transit::Exited) };
        Poll::Pending
    }
}

impl<Y, S, E> Future for Raise<'_, Y, S, E> {
    type Output = Infallible;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Infallible> {
        let this = self.get_mut();
        if let Some(error) = this.error.take() {
            // SAFETY: as for `Outgoing::poll`: polled only inside the runtime's poll of the body.
            unsafe { put::<Y, S, E>(cx, this.link, Transit::Raised(error)) };
        }
        Poll::Pending
    }
}
