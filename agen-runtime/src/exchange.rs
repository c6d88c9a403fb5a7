//! The exchange: where a yielded item goes out of the body and a resumption comes in, for the
//! length of one poll of the body.
//!
//! The runtime polls the body with a [`Context`] of its own, whose waker's data points to an
//! [`Exchange`] in the runtime's stack frame. A yield point, polled inside that poll (the
//! contract of [`AsyncGen::new`](crate::AsyncGen::new)), finds the exchange through the context
//! it is given, takes its resumption from it or puts its item into it, and the runtime reads
//! what is there when the poll returns.
//!
//! Why not a pointer from the body to its generator: the body's handle would then point into the
//! generator's own memory, and the compiler, unable to see that every access goes through that
//! one place, keeps the whole state in memory and re-reads it after every write. A fresh local
//! per poll, reached through the context, is something it can keep in registers: this is what
//! makes a yield cost about what a hand-written `Stream` costs.
//!
//! The waker itself forwards to the waker the runtime was polled with: a future inside the body
//! that clones or wakes it clones or wakes the real one, so the exchange never outlives the poll.

use core::mem::ManuallyDrop;
use core::ptr;
use core::task::{Context, RawWaker, RawWakerVTable, Waker};

use crate::yield_point::{Resume, YieldKind};

/// What passes between the runtime and the body during one poll.
pub(crate) enum Transit<Y, S, E> {
    /// Nothing in transit: the poll resumes no yield point (the body starts, or goes on from an
    /// inner `.await`), or the yield point has taken its resumption.
    Empty,
    /// The runtime resumes the suspended yield point with this.
    Resume(Resume<S, E>),
    /// A yield point put this item out.
    Yielded(YieldKind, Y),
    /// The body asked to end as if the close it received had propagated out of it.
    Exited,
    /// The body asked to end by raising this error out of it (a delegated throw nobody caught).
    Raised(E),
}

impl<Y, S, E> Transit<Y, S, E> {
    /// Takes the resumption for a suspended yield point, leaving `Empty`; `None`, leaving what
    /// is there, if the poll carries none (the yield point was polled again before any).
    #[inline(always)]
    pub(crate) fn take_resume(&mut self) -> Option<Resume<S, E>> {
        match core::mem::replace(self, Transit::Empty) {
            Transit::Resume(resume) => Some(resume),
            other => {
                *self = other;
                None
            }
        }
    }
}

/// One poll's exchange. `repr(C)` with the outer waker first, so that the waker's functions,
/// which do not know `Y`, `S` and `E`, find it at offset 0.
#[repr(C)]
pub(crate) struct Exchange<'w, Y, S, E> {
    /// The waker of the context the runtime itself was polled with.
    outer: &'w Waker,
    /// Only ever reached through a raw pointer to this field while the body is polled, never
    /// through a reference to the whole exchange: the waker's functions may read `outer` at the
    /// same time, from any thread the body shares its context with.
    transit: Transit<Y, S, E>,
}

impl<'w, Y, S, E> Exchange<'w, Y, S, E> {
    /// An exchange for one poll under `cx`, carrying `transit` in.
    #[inline]
    pub(crate) fn new(cx: &Context<'w>, transit: Transit<Y, S, E>) -> Self {
        Exchange {
            outer: cx.waker(),
            transit,
        }
    }

    /// A waker that leads to this exchange, for the context the body is polled with. It is never
    /// dropped: dropping it would do nothing, but through a call the optimizer cannot see into
    /// (the vtable is a static of this crate).
    ///
    /// # Safety
    /// The waker is used only while the exchange stays where it is and is not otherwise
    /// accessed: the body's poll, during which only yield points reach the transit through it.
    #[inline(always)]
    pub(crate) unsafe fn waker(&mut self) -> ManuallyDrop<Waker> {
        let data: *mut Self = self;
        // SAFETY: the vtable's functions uphold `RawWaker`'s contract: they only read `outer`
        // (at offset 0, `repr(C)`), a `&Waker` that outlives the exchange and whose own
        // functions are thread-safe, and `clone` returns a clone of it, so no waker made from
        // this data outlives the exchange (the caller's promise covers the rest).
        ManuallyDrop::new(unsafe {
            Waker::from_raw(RawWaker::new(data.cast_const().cast(), &VTABLE))
        })
    }

    /// What was left in transit when the poll returned.
    #[inline(always)]
    pub(crate) fn into_transit(self) -> Transit<Y, S, E> {
        self.transit
    }
}

/// The transit of the poll under way, found through the context a yield point is polled with.
///
/// In debug builds, panics if `cx` is not a body's context.
///
/// # Safety
/// `cx` is the context the runtime polls the body of the generator this yield point belongs to
/// with, so it leads to an exchange, live for this poll, and `Y`, `S` and `E` are that
/// generator's types (the contract of [`AsyncGen::new`](crate::AsyncGen::new)). The pointer is
/// valid until the yield point's poll returns.
#[inline]
pub(crate) unsafe fn transit<Y, S, E>(cx: &Context<'_>) -> *mut Transit<Y, S, E> {
    let waker = cx.waker();
    // Checked in debug builds only: the check is one comparison, but enough to tip the
    // optimizer's inlining decisions against a generator's body in release builds (measured: an
    // `anext` loop costs 94 instructions per item with it, 5 without). The expansion of
    // `#[async_generator]` never polls a yield point anywhere else, so only a body built by hand
    // with the unsafe `AsyncGen::new` can get here with another context, and its contract
    // forbids it.
    if cfg!(debug_assertions) && !ptr::eq(waker.vtable(), &VTABLE) {
        polled_outside_the_body();
    }
    let exchange = waker.data().cast_mut().cast::<Exchange<'_, Y, S, E>>();
    // SAFETY: the caller guarantees the data is an exchange of these types, live for this poll.
    // The projection creates no reference to the whole exchange.
    unsafe { ptr::addr_of_mut!((*exchange).transit) }
}

#[cold]
#[inline(never)]
fn polled_outside_the_body() -> ! {
    panic!("agen: a yield point was polled outside its generator's poll of the body")
}

/// The body's waker: every function forwards to the outer waker.
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

/// # Safety
/// `data` is the data of a waker made by [`Exchange::waker`], while it is in use.
unsafe fn outer<'a>(data: *const ()) -> &'a Waker {
    // SAFETY: the exchange is `repr(C)` with `outer: &Waker` first; the field is never written
    // while the exchange's waker exists.
    unsafe { *data.cast::<&Waker>() }
}

unsafe fn clone(data: *const ()) -> RawWaker {
    // SAFETY: `clone` is only called on a waker made by `Exchange::waker`, while it is in use.
    let real = ManuallyDrop::new(unsafe { outer(data) }.clone());
    // The clone's ownership passes to the `RawWaker`, hence `ManuallyDrop`.
    RawWaker::new(real.data(), real.vtable())
}

unsafe fn wake(data: *const ()) {
    // Unreachable in practice (the runtime never drops or wakes the only owned waker with this
    // vtable, and clones carry the outer's), and harmless: it wakes the outer waker, which is
    // borrowed, not owned.
    // SAFETY: as for `clone`.
    unsafe { outer(data) }.wake_by_ref();
}

unsafe fn wake_by_ref(data: *const ()) {
    // SAFETY: as for `clone`.
    unsafe { outer(data) }.wake_by_ref();
}

unsafe fn drop_waker(_: *const ()) {
    // The waker owns nothing: the outer waker is borrowed.
}

#[cfg(test)]
mod tests {
    use core::future::Future;
    use core::pin::pin;
    use core::task::{Context, Waker};

    use crate::yield_point::Co;

    /// Only in debug builds: in release builds the check is off and this would be undefined
    /// behaviour, which is what the contract of `AsyncGen::new` forbids.
    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "a yield point was polled outside its generator's poll of the body")]
    fn a_yield_point_polled_outside_a_body_panics_in_debug_builds() {
        // SAFETY: this breaks the contract on purpose, but only in debug builds (the test's cfg),
        // where the check in `transit` panics before the context is used as an exchange.
        let mut co = unsafe { Co::<u32, (), ()>::new() };
        let mut point = pin!(co.yield_(1));
        let _ = point.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    }
}
