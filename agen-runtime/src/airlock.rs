//! The airlock: one slot, owned by the generator, through which a yielded item goes out to the
//! consumer and a resumption (send, throw, close) comes back in to the suspended yield point.
//!
//! The body holds a [`Co`], a pointer to its generator's slot. A yield point writes the item into
//! the slot and returns `Pending`; the runtime, which was polling the body, finds the item there
//! and returns it as the step's result. The next step writes a [`Resume`] into the slot and polls
//! the body again; the yield point takes it and completes with it.
//!
//! Both sides touch the slot at different times, never together: the runtime only while it is not
//! polling the body, a yield point only while it is polled, which happens only inside the
//! runtime's poll of the body (the contract of [`AsyncGen::new`](crate::AsyncGen::new)).

use core::convert::Infallible;
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

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

/// What the airlock holds: between steps, where the body is; during a step, what is in transit.
///
/// One flat enum, so the generator's whole state costs one tag beside the largest of `Y`, `S`
/// and `E`.
pub(crate) enum Slot<Y, S, E> {
    // Between steps (and, for `Running` and `Closing`, during a poll of the body).
    /// The body has not started.
    Created,
    /// Parked at a plain yield point.
    AtYield,
    /// Parked at a catching yield point.
    AtCatchingYield,
    /// A step resumed the body and it has not yielded, returned or exited yet. Also what
    /// `anext` leaves for the yield point it resumes: the resumption that carries nothing.
    Running,
    /// A close resumed the body and it has not finished yet.
    Closing,
    /// The body has finished, been closed, or panicked, and has been dropped.
    Closed,

    // From a yield point to the runtime, within one poll of the body.
    /// A plain yield point put this item out.
    Yielded(Y),
    /// A catching yield point put this item out.
    YieldedCatching(Y),
    /// The body asked to end as if the close it received had propagated out of it.
    Exited,
    /// The body asked to end by raising this error out of it (a delegated throw nobody caught).
    Raised(E),

    // From the runtime to the yield point it is about to resume (`anext` leaves `Running`).
    /// `asend(value)`.
    Send(S),
    /// `athrow(error)`.
    Throw(E),
    /// `aclose()`.
    Close,
}

impl<Y, S, E> Slot<Y, S, E> {
    /// The slot carrying `resume` to a yield point.
    pub(crate) fn carrying(resume: Resume<S, E>) -> Self {
        match resume {
            Resume::Next => Slot::Running,
            Resume::Send(value) => Slot::Send(value),
            Resume::Throw(error) => Slot::Throw(error),
            Resume::Close => Slot::Close,
        }
    }

    /// Takes the resumption out for the yield point, leaving `Running` (`Closing` for a close);
    /// `None` while the item it put out is still there.
    #[inline]
    pub(crate) fn take_resume(&mut self) -> Option<Resume<S, E>> {
        match self {
            // The hot path, `anext`: nothing to take, nothing to write.
            Slot::Running => Some(Resume::Next),
            Slot::Close => {
                *self = Slot::Closing;
                Some(Resume::Close)
            }
            Slot::Send(_) | Slot::Throw(_) => match core::mem::replace(self, Slot::Running) {
                Slot::Send(value) => Some(Resume::Send(value)),
                Slot::Throw(error) => Some(Resume::Throw(error)),
                _ => unreachable!("agen: the slot was checked to carry a value"),
            },
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

/// The body's handle to its generator's airlock.
///
/// The expansion of `#[async_generator]` creates one per generator and never lets user code
/// name it (its identifier is hygienic). All it can do is create yield points, each awaited on the
/// spot by the expansion.
pub struct Co<Y, S, E> {
    slot: NonNull<Slot<Y, S, E>>,
}

// SAFETY: a `Co` moved to another thread lets that thread write `Y` into the slot and take `S`
// and `E` out of it, so it is `Send` only when those values may change threads. Accesses never
// overlap with the owning generator's (module docs), so no synchronisation is needed beyond the
// one that moved the `Co`.
unsafe impl<Y: Send, S: Send, E: Send> Send for Co<Y, S, E> {}
// SAFETY: every method that touches the slot takes `&mut self`; through `&Co` nothing can be done,
// so sharing one between threads is harmless.
unsafe impl<Y, S, E> Sync for Co<Y, S, E> {}

impl<Y, S, E> Co<Y, S, E> {
    /// # Safety
    /// `slot` points to the slot of a pinned generator that outlives the body holding this
    /// handle, and the body honours the contract of [`AsyncGen::new`](crate::AsyncGen::new).
    pub(crate) unsafe fn new(slot: NonNull<Slot<Y, S, E>>) -> Self {
        Co { slot }
    }

    /// A plain yield point: hands `item` to the consumer, and evaluates to `None` after
    /// `anext()` or `Some(s)` after `asend(s)`.
    pub fn yield_(&mut self, item: Y) -> YieldPoint<'_, Y, S, E> {
        YieldPoint {
            out: Outgoing::new(self.slot, item, YieldKind::Plain),
            _co: PhantomData,
        }
    }

    /// A catching yield point: hands `item` to the consumer, and evaluates to the whole
    /// [`Resume`], including `Throw` and `Close`.
    pub fn yield_catching(&mut self, item: Y) -> CatchingYieldPoint<'_, Y, S, E> {
        CatchingYieldPoint {
            out: Outgoing::new(self.slot, item, YieldKind::Catching),
            _co: PhantomData,
        }
    }

    /// Ends the body as if the close it received had propagated out of it (Python re-raising
    /// `GeneratorExit`): the generator is closed with no return value and `aclose` completes
    /// with `Ok(None)`. The future never completes; the runtime drops the body instead.
    pub fn exit(&mut self) -> Exit<'_, Y, S, E> {
        Exit {
            slot: self.slot,
            _co: PhantomData,
        }
    }
}

impl<Y, S, E> Co<Y, S, E> {
    /// Ends the body by raising `error` out of it, as if the yield point it was thrown in at had
    /// not caught it: the generator is closed and the `athrow` under way returns
    /// [`ThrowError::Uncaught(error)`](crate::ThrowError::Uncaught). Delegation uses it when the
    /// inner generator does not catch a forwarded throw.
    ///
    /// Only valid during an `athrow` step, after the body received `Resume::Throw`; the runtime
    /// panics otherwise, since no other step can hand an error back.
    pub fn raise(&mut self, error: E) -> Raise<'_, Y, S, E> {
        Raise {
            slot: self.slot,
            error: Some(error),
            _co: PhantomData,
        }
    }
}

impl<Y, S, E> fmt::Debug for Co<Y, S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Co").finish_non_exhaustive()
    }
}

/// The part both kinds of yield point share: the item is put out when the yield point is
/// created (the expansion awaits it on the spot, inside the body's poll), so the future only
/// waits for the resumption and carries nothing but the slot's address.
struct Outgoing<Y, S, E> {
    slot: NonNull<Slot<Y, S, E>>,
}

impl<Y, S, E> Outgoing<Y, S, E> {
    #[inline]
    fn new(slot: NonNull<Slot<Y, S, E>>, item: Y, kind: YieldKind) -> Self {
        let out = match kind {
            YieldKind::Plain => Slot::Yielded(item),
            YieldKind::Catching => Slot::YieldedCatching(item),
        };
        // SAFETY: a yield point is created and awaited only inside the runtime's poll of the body,
        // while the runtime holds no reference into the slot (module docs), and the generator,
        // pinned, outlives the body. The body is running, so the slot holds `Running` or
        // `Closing`, which own nothing: overwriting without dropping loses nothing.
        unsafe { slot.as_ptr().write(out) };
        Outgoing { slot }
    }

    #[inline]
    fn poll(&mut self) -> Poll<Resume<S, E>> {
        // SAFETY: as above; the runtime put the resumption in before polling the body again.
        match unsafe { (*self.slot.as_ptr()).take_resume() } {
            Some(resume) => Poll::Ready(resume),
            // The first poll, or another in the same poll of the body: the consumer has not
            // taken the item yet. No waker is registered on purpose: the runtime returns the
            // item as soon as this poll of the body ends.
            None => Poll::Pending,
        }
    }
}

/// The future of a plain yield point; see [`Co::yield_`].
#[must_use = "a yield point does nothing unless awaited"]
pub struct YieldPoint<'a, Y, S, E> {
    out: Outgoing<Y, S, E>,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

/// The future of a catching yield point; see [`Co::yield_catching`].
#[must_use = "a yield point does nothing unless awaited"]
pub struct CatchingYieldPoint<'a, Y, S, E> {
    out: Outgoing<Y, S, E>,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

/// The future of [`Co::exit`]; it never completes.
#[must_use = "exit does nothing unless awaited"]
pub struct Exit<'a, Y, S, E> {
    slot: NonNull<Slot<Y, S, E>>,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

/// The future of [`Co::raise`]; it never completes.
#[must_use = "raise does nothing unless awaited"]
pub struct Raise<'a, Y, S, E> {
    slot: NonNull<Slot<Y, S, E>>,
    error: Option<E>,
    _co: PhantomData<&'a mut Co<Y, S, E>>,
}

// The item is never pinned (it is moved out on the first poll), so the futures are `Unpin`
// whatever `Y` is.
impl<Y, S, E> Unpin for YieldPoint<'_, Y, S, E> {}
impl<Y, S, E> Unpin for CatchingYieldPoint<'_, Y, S, E> {}
impl<Y, S, E> Unpin for Exit<'_, Y, S, E> {}
impl<Y, S, E> Unpin for Raise<'_, Y, S, E> {}

// SAFETY: the futures carry the item `Y` and, through the slot, the resumption `S` / `E`; moving
// them to another thread is sound when those may move, for the reason given on `Co`'s `Send`.
unsafe impl<Y: Send, S: Send, E: Send> Send for YieldPoint<'_, Y, S, E> {}
// SAFETY: `&YieldPoint` gives no access to the slot or the item.
unsafe impl<Y, S, E> Sync for YieldPoint<'_, Y, S, E> {}
// SAFETY: as for `YieldPoint`.
unsafe impl<Y: Send, S: Send, E: Send> Send for CatchingYieldPoint<'_, Y, S, E> {}
// SAFETY: as for `YieldPoint`.
unsafe impl<Y, S, E> Sync for CatchingYieldPoint<'_, Y, S, E> {}
// SAFETY: `Exit` only ever writes the payload-free `Slot::Exited`.
unsafe impl<Y, S, E> Send for Exit<'_, Y, S, E> {}
// SAFETY: `&Exit` gives no access to the slot.
unsafe impl<Y, S, E> Sync for Exit<'_, Y, S, E> {}
// SAFETY: `Raise` carries an `E` and writes it into the slot; see `Co`'s `Send`.
unsafe impl<Y, S, E: Send> Send for Raise<'_, Y, S, E> {}
// SAFETY: `&Raise` gives no access to the slot or the error.
unsafe impl<Y, S, E> Sync for Raise<'_, Y, S, E> {}

impl<Y, S, E> Future for YieldPoint<'_, Y, S, E> {
    type Output = Option<S>;

    #[inline]
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<S>> {
        self.get_mut().out.poll().map(|resume| match resume {
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

    #[inline]
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Resume<S, E>> {
        self.get_mut().out.poll()
    }
}

impl<Y, S, E> Future for Exit<'_, Y, S, E> {
    type Output = Infallible;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Infallible> {
        // SAFETY: as for `Outgoing::poll`: polled only inside the runtime's poll of the body.
        unsafe { *self.slot.as_ptr() = Slot::Exited };
        Poll::Pending
    }
}

impl<Y, S, E> Future for Raise<'_, Y, S, E> {
    type Output = Infallible;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Infallible> {
        let this = self.get_mut();
        if let Some(error) = this.error.take() {
            // SAFETY: as for `Outgoing::poll`: polled only inside the runtime's poll of the body.
            unsafe { *this.slot.as_ptr() = Slot::Raised(error) };
        }
        Poll::Pending
    }
}
