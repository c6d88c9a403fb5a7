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

use crate::exchange::{self, Anchor, Link, Transit};

/// How the consumer resumed a suspended generator, as a catching yield point sees it.
///
/// A plain yield point evaluates to `Option<S>` (`None` after `anext`, `Some(s)` after
/// `asend(s)`); `athrow` and `aclose` never reach it, they end the body at that point. A catching
/// yield point evaluates to the whole `Resume`, so the body can recover from a thrown error
/// (rules D2, D3) or run async cleanup when it is closed (E2, E3).
///
/// ```
/// use agen_runtime::{async_gen, yield_catch, Resume, Step};
///
/// # pollster::block_on(async {
/// let seen = async_gen!(yield = &'static str, send = u8, throw = char, return = u8 => {
///     let mut sum = 0;
///     loop {
///         match yield_catch!("waiting") {
///             Resume::Next => {}
///             Resume::Send(n) => sum += n,
///             Resume::Throw(c) => sum += c as u8,
///             Resume::Close => return sum, // async cleanup could run here
///         }
///     }
/// });
/// let mut seen = core::pin::pin!(seen);
/// assert_eq!(seen.anext().await, Step::Yielded("waiting"));
/// assert_eq!(seen.asend(2).await, Ok(Step::Yielded("waiting")));
/// assert_eq!(seen.athrow('\u{1}').await, Ok(Step::Yielded("waiting")));
/// assert_eq!(seen.aclose().await, Ok(Some(3)));
/// # });
/// ```
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
    ///
    /// ```
    /// # use agen_runtime::Resume;
    /// assert_eq!(Resume::<u8, ()>::Send(4).into_sent(), Some(4));
    /// assert_eq!(Resume::<u8, ()>::Next.into_sent(), None);
    /// ```
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
    anchor: Anchor,
    _protocol: Exchanged<Y, S, E>,
}

/// A marker that makes a type invariant in `T` without touching its auto traits (a `fn` pointer
/// type is always `Send`, `Sync` and `Unpin`).
pub(crate) type Invariant<T> = fn(T) -> T;

/// The handle's marker: the auto traits of `(Y, S, E)`, invariant in each.
type Exchanged<Y, S, E> = PhantomData<((Y, S, E), Invariant<(Y, S, E)>)>;

impl<Y, S, E> Co<Y, S, E> {
    /// # Safety
    /// Only for the body of a generator that honours the contract of
    /// [`AsyncGen::new`](crate::AsyncGen::new), and only one per body.
    #[inline(always)]
    pub(crate) unsafe fn new() -> Self {
        // SAFETY: the caller's promise.
        unsafe { Self::with_anchor(const { Anchor::new() }) }
    }

    /// # Safety
    /// As [`new`](Self::new).
    #[inline(always)]
    pub(crate) unsafe fn with_anchor(anchor: Anchor) -> Self {
        Co {
            anchor,
            _protocol: PhantomData,
        }
    }

    /// The link to the generator's exchange, for a future that borrows the handle as long as it
    /// lives (a yield point, a delegation).
    #[inline(always)]
    pub(crate) fn link(&self) -> Link {
        self.anchor.link()
    }

    /// Where the poll under way exchanges items and resumptions: awaited, ready at once with a
    /// [`Slot`] to put the item in ([`Slot::yield_`]); the body then awaits
    /// [`resumed`](Self::resumed), which is pending until the consumer resumes it.
    ///
    /// A yield point is put this way so that nothing of it is kept across the suspension: the
    /// item goes straight from the body's code into the exchange (no future holds it), and the
    /// wait has no state at all. So the body's future is no larger than the body's own locals
    /// make it, and a yield writes nothing to memory but the body's state.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn here(co: &mut Self) -> Here<'_, Y, S, E> {
        Here {
            link: co.link(),
            _co: PhantomData,
        }
    }

    /// The second half of a yield point: the resumption the consumer sent, once it comes (a
    /// plain yield point only ever receives `Next` and `Send`; see [`sent`]).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn resumed(co: &mut Self) -> Resumed<'_, Y, S, E> {
        Resumed {
            link: co.link(),
            _co: PhantomData,
        }
    }

    /// A whole yield point in one future, for debug builds (see the runtime's `__yield_point!`):
    /// its first poll puts `item` out as `K` says and is pending; it is ready with the
    /// resumption once the consumer resumes the body.
    ///
    /// The handle comes first, so that its type, which the generator's declaration fixes, is the
    /// one the item is checked (and coerced) against: `yield_!(&[2, 3])` after `yield_!(&[1][..])`
    /// with the item type inferred. The body macro binds the item to a local before the call.
    pub fn yield_point<K: YieldAs>(co: &mut Self, item: Y) -> YieldPoint<'_, Y, S, E> {
        YieldPoint {
            item: Some((kind_of::<K>(), item)),
            link: co.link(),
            _co: PhantomData,
        }
    }

    /// Ends the body as if the close it received had propagated out of it (Python re-raising
    /// `GeneratorExit`): the generator is closed with no return value and `aclose` completes
    /// with `Ok(None)`. The future never completes; the runtime drops the body instead.
    pub fn exit(co: &mut Self) -> Exit<'_, Y, S, E> {
        Exit {
            link: co.link(),
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
            link: co.link(),
            _co: PhantomData,
        }
    }
}

/// A handle's protocol types, as a value. The yield-point macro passes it as the first argument
/// (`Protocol::yield_(Co::protocol(&co), item, Co::here(&mut co).await)`), so that the compiler knows the item
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
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn protocol(_: &Self) -> Protocol<Y, S, E> {
        Protocol(PhantomData)
    }
}

impl<Y, S, E> Protocol<Y, S, E> {
    /// Puts `item` out at a plain yield point; the types come first, so that a mismatch is
    /// reported at the item.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn yield_(self, item: Y, slot: Slot<'_, Y, S, E>) {
        slot.put(item, YieldKind::Plain);
    }

    /// Puts `item` out at a catching yield point.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn yield_catching(self, item: Y, slot: Slot<'_, Y, S, E>) {
        slot.put(item, YieldKind::Catching);
    }

    /// Puts `item` out at a plain yield point as `kind` says: plain, or catching (in a
    /// `try_finally!` block).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn yield_as<K: YieldAs>(self, item: Y, slot: Slot<'_, Y, S, E>) {
        slot.put(item, kind_of::<K>());
    }
}

/// How [`Protocol::yield_as`] puts an item out: [`PlainYield`] or [`CatchingYield`]. Sealed.
pub trait YieldAs: sealed::Sealed {
    /// Whether the item is a catching yield point's.
    const CATCHING: bool;
}

/// The kind of yield point `K` puts its item out as.
#[inline(always)]
fn kind_of<K: YieldAs>() -> YieldKind {
    if K::CATCHING {
        YieldKind::Catching
    } else {
        YieldKind::Plain
    }
}

/// A plain yield point's item: `athrow` and `aclose` drop the body there.
pub struct PlainYield;

/// A catching yield point's item: the body gets every resumption.
pub struct CatchingYield;

impl YieldAs for PlainYield {
    const CATCHING: bool = false;
}

impl YieldAs for CatchingYield {
    const CATCHING: bool = true;
}

/// A resumption's types, read off its type: only [`Resume`] has them.
pub trait Resumption: sealed::Sealed {
    /// The type of the values sent.
    type Sent;
    /// The type of the errors thrown.
    type Error;
    /// The resumption itself.
    fn into_resume(self) -> Resume<Self::Sent, Self::Error>;
}

impl<S, E> Resumption for Resume<S, E> {
    type Sent = S;
    type Error = E;
    #[inline(always)]
    fn into_resume(self) -> Self {
        self
    }
}

mod sealed {
    pub trait Sealed {}
    impl<S, E> Sealed for super::Resume<S, E> {}
    impl Sealed for super::PlainYield {}
    impl Sealed for super::CatchingYield {}
}

/// What a plain yield point evaluates to: the sent value, `None` after `anext`.
///
/// Generic over `Resumption` so that the type a yield point's value is expected to have does
/// not flow into the resumption's: a mismatch is reported as one of the value
/// (`expected Option<String>, found Option<u64>`), not of the resumption.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn sent<R: Resumption>(resume: R) -> Option<R::Sent> {
    match resume.into_resume() {
        Resume::Next => None,
        Resume::Send(value) => Some(value),
        // The runtime answers throw and close at a plain yield point by dropping the body.
        Resume::Throw(_) | Resume::Close => {
            unreachable!("agen: a plain yield point was resumed with a throw or a close")
        }
    }
}

/// What a plain yield point of a generator without a send type evaluates to: `()`. The
/// resumption is checked as [`sent`] checks it.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn unsent<R: Resumption>(resume: R) {
    let _ = sent(resume);
}

impl<Y, S, E> fmt::Debug for Co<Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Co").finish_non_exhaustive()
    }
}

/// Writes `value` into the transit of the poll under way. `cx` is `&mut` for the reason
/// [`exchange::transit`] gives.
///
/// # Safety
/// The contract of [`exchange::transit`].
#[inline(always)]
unsafe fn put<Y, S, E>(cx: &mut Context<'_>, link: Link, value: Transit<Y, S, E>) {
    // SAFETY: the caller's promise; the pointer is valid during this poll.
    unsafe { *exchange::transit(cx, link) = value };
}

/// The resumption the poll under way carries, if any: what a suspended yield point completes with.
///
/// # Safety
/// The contract of [`exchange::transit`].
#[inline(always)]
unsafe fn resumption<Y, S, E>(cx: &mut Context<'_>, link: Link) -> Poll<Resume<S, E>> {
    // SAFETY: the caller's promise; the pointer is valid during this poll.
    let transit = unsafe { &mut *exchange::transit::<Y, S, E>(cx, link) };
    match transit.take_resume() {
        Some(resume) => Poll::Ready(resume),
        None => Poll::Pending,
    }
}

/// The future of [`Co::here`]: ready at once, with the exchange of the poll under way.
#[must_use = "a yield point does nothing unless awaited"]
pub struct Here<'a, Y, S, E> {
    link: Link,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

/// The exchange of the poll under way, to put one item in: what awaiting [`Co::here`] gives.
///
/// Valid only until the body next suspends, so it is used at once: the yield-point macro passes
/// it straight to [`Protocol::yield_`] in the expression that awaited it, and nothing else can
/// make one (no user code holds the handle).
pub struct Slot<'a, Y, S, E> {
    transit: *mut Transit<Y, S, E>,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

impl<Y, S, E> Slot<'_, Y, S, E> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn put(self, item: Y, kind: YieldKind) {
        // SAFETY: the slot was made by `Here::poll` in this poll of the body (the body has not
        // suspended since: see `Slot`), from the body's context, so the transit is this
        // generator's and live. The runtime returns the item as soon as this poll of the body
        // ends: the body awaits `Resumed` next, which is pending. No waker is registered on
        // purpose: the next step polls again.
        unsafe { *self.transit = Transit::Yielded(kind, item) };
    }
}

/// The future of [`Co::resumed`]: pending until the poll under way carries a resumption. It
/// has no state: the poll that put the item out finds the item in transit, not a resumption, so
/// the body suspends; the runtime's next step resumes it.
#[must_use = "a yield point does nothing unless awaited"]
pub struct Resumed<'a, Y, S, E> {
    link: Link,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

/// The future of [`Co::yield_point`].
#[must_use = "a yield point does nothing unless awaited"]
pub struct YieldPoint<'a, Y, S, E> {
    item: Option<(YieldKind, Y)>,
    link: Link,
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
impl<Y, S, E> Unpin for Here<'_, Y, S, E> {}
impl<Y, S, E> Unpin for Resumed<'_, Y, S, E> {}
impl<Y, S, E> Unpin for Exit<'_, Y, S, E> {}
impl<Y, S, E> Unpin for Raise<'_, Y, S, E> {}
impl<Y, S, E> Unpin for YieldPoint<'_, Y, S, E> {}

// The functions a yield point calls (these two polls, `Protocol::yield_*`, `sent`) are always
// inlined in release builds, where a yield compiles to a write into the exchange. In debug builds
// they are not: each is compiled once per protocol, rather than into every yield point of every
// generator.
impl<'a, Y, S, E> Future for Here<'a, Y, S, E> {
    type Output = Slot<'a, Y, S, E>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Slot<'a, Y, S, E>> {
        Poll::Ready(Slot {
            // SAFETY: a yield point is polled only inside the runtime's poll of its generator's
            // body, with the body's context (see `exchange.rs`), so the transit is this
            // generator's; the slot is used before the poll ends.
            transit: unsafe { exchange::transit::<Y, S, E>(cx, self.link) },
            _co: PhantomData,
        })
    }
}

impl<Y, S, E> Future for Resumed<'_, Y, S, E> {
    type Output = Resume<S, E>;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Resume<S, E>> {
        // SAFETY: as for `Here::poll`.
        unsafe { resumption::<Y, S, E>(cx, self.link) }
    }
}

impl<Y, S, E> Future for YieldPoint<'_, Y, S, E> {
    type Output = Resume<S, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Resume<S, E>> {
        let this = self.get_mut();
        if let Some((kind, item)) = this.item.take() {
            // SAFETY: as for `Here::poll`: polled only inside the runtime's poll of the body. The
            // runtime returns the item as soon as this poll of the body ends. No waker is
            // registered on purpose: the next step polls again.
            unsafe { put::<Y, S, E>(cx, this.link, Transit::Yielded(kind, item)) };
            return Poll::Pending;
        }
        // SAFETY: as for `Here::poll`.
        unsafe { resumption::<Y, S, E>(cx, this.link) }
    }
}

impl<Y, S, E> Future for Exit<'_, Y, S, E> {
    type Output = Infallible;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Infallible> {
        // SAFETY: as for `Here::poll`: polled only inside the runtime's poll of the body.
        unsafe { put::<Y, S, E>(cx, self.link, Transit::Exited) };
        Poll::Pending
    }
}

impl<Y, S, E> Future for Raise<'_, Y, S, E> {
    type Output = Infallible;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Infallible> {
        let this = self.get_mut();
        if let Some(error) = this.error.take() {
            // SAFETY: as for `Here::poll`: polled only inside the runtime's poll of the body.
            unsafe { put::<Y, S, E>(cx, this.link, Transit::Raised(error)) };
        }
        Poll::Pending
    }
}
