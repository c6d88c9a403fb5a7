//! The exchange: where a yielded item goes out of the body and a resumption comes in, for the
//! length of one poll of the body.
//!
//! Each poll of the body gets a fresh [`Exchange`] in the runtime's stack frame, holding what is
//! in transit and the [`Context`] the body is polled with. That context is made from the
//! consumer's own waker, as it is: inside the body `cx.waker()` is the very waker the consumer
//! polled with (same data, same vtable, even the same reference), so `will_wake` holds against a
//! clone the consumer stored, and executors that find their task from the waker (embassy's timer
//! queue and spawner) find it. A yield point, polled inside that poll of the body, finds the
//! exchange at the *address* of the context it is polled with: the context is the exchange's
//! first field.
//!
//! Why not a pointer from the body to its generator: the body's handle would then point into the
//! generator's own memory, and the compiler, unable to see that every access goes through that
//! one place, keeps the whole state in memory and re-reads it after every write. A fresh local
//! per poll, reached through the context, is something it can keep in registers: this is what
//! makes a yield cost about what a hand-written `Stream` costs.
//!
//! # Why a yield point's context is always its body's
//!
//! The exchange is found from the context's address, so everything rests on one fact: a yield
//! point is only ever polled by its own body's `async` block, during the runtime's poll of that
//! body, with the `&mut Context` the runtime passed. The compiler enforces it (see `macros.rs`):
//! a yield point exists only as the expansion of the body's own yield-point macro, which refuses
//! to compile anywhere but in the body's own control flow (a closure, an `async` block, a nested
//! fn or an inner generator around it is a compile error), and `.await` in an `async` block
//! polls with the very context object the block was polled with. The handle a yield point is
//! made from has a name only that macro can spell.
//!
//! Code in the body can change what that context *holds*: a future awaited in the body gets
//! `&mut Context` and may overwrite it (`*cx = Context::from_waker(other)`) or swap it. That
//! changes which waker later futures of the poll see, but not where the context object is: yield
//! points never read the context's contents, only its address. (A design that found the
//! exchange through the address of `cx.waker()` would be misled by exactly this.)
//!
//! The address of the context does not carry the provenance of the whole exchange (it was made
//! from a reference to the context alone), so the runtime exposes the exchange's provenance
//! before the poll and yield points take it back with `with_exposed_provenance_mut`. In debug
//! builds they do not: the generator also records the exchange's pointer, the handle keeps the
//! address of that record, and a yield point checks that its context is the recorded exchange's,
//! then uses the recorded pointer (so Miri checks every access against its real provenance).
//! The body's future, and the handle in it, are made before the generator is pinned, so the
//! handle learns the record's address the first time the body reaches an exchange: each
//! exchange names its generator's record, and that one read goes through the exposed
//! provenance, as in release builds.

use core::ptr;
use core::task::Context;

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
        if !matches!(self, Transit::Resume(_)) {
            return None;
        }
        match core::mem::replace(self, Transit::Empty) {
            Transit::Resume(resume) => Some(resume),
            _ => None,
        }
    }
}

/// One poll's exchange. `repr(C)` with the context first, so that the address of the context
/// the body is polled with is the address of the exchange, and the record next, so that its
/// offset is the same whatever the protocol types (see [`RECORD_OFFSET`]).
#[repr(C)]
pub(crate) struct Exchange<'w, Y, S, E> {
    /// The context the body is polled with: the consumer's waker, as it is. Code in the body may
    /// change what it holds (see the module docs); the runtime never reads it back.
    cx: Context<'w>,
    /// The generator's record (debug builds only): where a yield point's handle finds it the
    /// first time (see the debug builds' `Link`).
    #[cfg(debug_assertions)]
    record: *const Record,
    /// Only ever reached through raw pointers while the body is polled, never through a
    /// reference to the whole exchange: the body holds `&mut` to `cx`.
    transit: Transit<Y, S, E>,
}

/// Where the record is in every exchange: the fields before it (the context) do not depend on
/// the protocol types, and `repr(C)` lays fields out in order, so one offset serves all, and the
/// debug builds' `Link` finds the record without knowing the types (it is compiled once, in this
/// crate, not once per protocol in the crates that use it).
#[cfg(debug_assertions)]
const RECORD_OFFSET: usize = core::mem::offset_of!(Exchange<'static, (), (), ()>, record);

// The offset is the same for other protocol types: large, small, or over-aligned.
#[cfg(debug_assertions)]
const _: () = {
    #[repr(align(4096))]
    struct Page;
    assert!(
        RECORD_OFFSET
            == core::mem::offset_of!(
                Exchange<'static, [u64; 9], u8, core::cell::Cell<u16>>,
                record
            )
    );
    assert!(RECORD_OFFSET == core::mem::offset_of!(Exchange<'static, Page, Page, Page>, record));
};

impl<'w, Y, S, E> Exchange<'w, Y, S, E> {
    /// An exchange for one poll under `cx`, carrying `transit` in, of the generator whose record
    /// is `record`.
    #[inline(always)]
    pub(crate) fn new(cx: &Context<'w>, transit: Transit<Y, S, E>, record: &Record) -> Self {
        #[cfg(not(debug_assertions))]
        let _ = record;
        Exchange {
            cx: Context::from_waker(cx.waker()),
            transit,
            #[cfg(debug_assertions)]
            record,
        }
    }

    /// Exposes the exchange's provenance for the yield points of this poll, and returns the
    /// pointer the runtime keeps using (in debug builds the generator records it, and yield
    /// points use it instead of the exposed provenance).
    #[inline(always)]
    pub(crate) fn expose(&mut self) -> *mut Self {
        let this: *mut Self = self;
        let _ = this.expose_provenance();
        this
    }

    /// What was left in transit when the poll returned.
    #[inline(always)]
    pub(crate) fn into_transit(self) -> Transit<Y, S, E> {
        self.transit
    }
}

/// The context the body is polled with: the exchange's.
///
/// # Safety
/// `exchange` comes from [`Exchange::expose`] and stays where it is, not otherwise accessed,
/// for as long as the reference lives.
#[inline(always)]
pub(crate) unsafe fn body_context<'a, 'w, Y, S, E>(
    exchange: *mut Exchange<'w, Y, S, E>,
) -> &'a mut Context<'w> {
    // SAFETY: the caller's promise: the exchange is live and unmoved for `'a`, and nothing else
    // reaches its context meanwhile; the reference covers the context field alone.
    unsafe { &mut *ptr::addr_of_mut!((*exchange).cx) }
}

/// The transit of the poll under way, found through the context a yield point is polled with.
///
/// In debug builds, panics if `cx` does not lead to the exchange `link` recorded for the poll
/// under way (a yield point polled outside its body's poll).
///
/// # Safety
/// `cx` is the context the runtime polls the body of the generator this yield point belongs to
/// with, so it leads to an exchange, live for this poll, and `Y`, `S` and `E` are that
/// generator's types; `link` is that generator's. The pointer is valid until the yield point's
/// poll returns.
///
/// `cx` is `&mut`, never `&`, here and in every function that passes it on to here: rustc marks a
/// shared reference parameter `readonly`, and once LLVM folds the round trip through the address
/// (`inttoptr(ptrtoint(cx))`) back into `cx`, it deletes the write into the exchange as a write
/// through a read-only argument. That happened in release builds where the caller was not
/// inlined (`opt-level` 1, `s`, `z`, incremental builds): `tests/soundness_release_codegen.rs`,
/// which CI runs in those profiles.
#[inline(always)]
pub(crate) unsafe fn transit<Y, S, E>(cx: &mut Context<'_>, link: Link) -> *mut Transit<Y, S, E> {
    let at = ptr::from_mut(cx).addr();
    let exchange = link.exchange(at) as *mut Exchange<'static, Y, S, E>;
    // SAFETY: the caller guarantees the exchange is live for this poll and of these types. The
    // projection creates no reference to the whole exchange.
    unsafe { ptr::addr_of_mut!((*exchange).transit) }
}

pub(crate) use link::{Anchor, Link, Record};

/// How a yield point gets from the address of its context's waker to the exchange: exposed
/// provenance in release builds; in debug builds, the pointer the generator recorded, after a
/// check that the context leads there.
#[cfg(not(debug_assertions))]
mod link {
    /// The handle's anchor for its links: nothing, in release builds.
    pub(crate) struct Anchor;

    impl Anchor {
        /// An anchor of no link yet.
        pub(crate) const fn new() -> Self {
            Anchor
        }

        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn link(&self) -> Link {
            Link
        }
    }

    /// How a yield point reaches its generator's exchange: nothing, in release builds.
    #[derive(Clone, Copy)]
    pub(crate) struct Link;

    impl Link {
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn exchange(self, at: usize) -> *mut () {
            core::ptr::with_exposed_provenance_mut(at)
        }
    }

    /// The generator's record of the exchange of the poll under way: nothing, in release builds.
    pub(crate) struct Record;

    impl Record {
        /// A record of no poll.
        pub(crate) const fn new() -> Self {
            Record
        }

        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn set(&self, _: *mut ()) {}

        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn clear(&self) {}
    }
}

#[cfg(debug_assertions)]
mod link {
    use core::ptr;
    use core::sync::atomic::{AtomicPtr, Ordering};

    /// The handle's link to its generator's [`Record`], found the first time the body reaches
    /// the exchange: the body's future is made before its generator is pinned, so the record's
    /// address is not known when the handle is made. Null until then.
    pub(crate) struct Anchor(AtomicPtr<Record>);

    impl Anchor {
        /// An anchor of no link yet. A `const fn`, for its callers to evaluate in a `const` block:
        /// the code that makes a generator then calls nothing that could unwind while it holds
        /// the body.
        pub(crate) const fn new() -> Self {
            Anchor(AtomicPtr::new(ptr::null_mut()))
        }

        /// A link through this anchor, for a yield point (or a delegation) that borrows the
        /// handle for as long as it lives.
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn link(&self) -> Link {
            Link(self)
        }

        /// An anchor fixed to a record of no poll (for tests).
        #[cfg(test)]
        pub(crate) fn dangling() -> Self {
            static NONE: Record = Record::new();
            Anchor(AtomicPtr::new(ptr::from_ref(&NONE).cast_mut()))
        }
    }

    /// A yield point's way to its handle's [`Anchor`].
    #[derive(Clone, Copy)]
    pub(crate) struct Link(*const Anchor);

    // SAFETY: the link only reads and writes atomics (its anchor, the record), and only while
    // the body is live and its handle borrowed by the yield point that holds the link; the body
    // moved to another thread takes the handle, the generator and the record along.
    unsafe impl Send for Link {}
    // SAFETY: as above; atomics are read and written through shared pointers thread-safely.
    unsafe impl Sync for Link {}

    impl Link {
        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn exchange(self, at: usize) -> *mut () {
            // SAFETY: the anchor is the handle's, which the yield point holding this link
            // borrows for as long as it lives.
            let anchor = unsafe { &*self.0 };
            let mut record = anchor.0.load(Ordering::Relaxed);
            if record.is_null() {
                // The first time this body reaches the exchange: the record is the one the
                // exchange names (through the provenance the runtime exposed for this poll, as
                // release builds reach the whole exchange).
                let field: *const *const Record =
                    ptr::with_exposed_provenance(at + super::RECORD_OFFSET);
                // SAFETY: `at` is the context of the poll under way (the caller's promise, see
                // `transit`), the first field of a live exchange, whose record field is at
                // `RECORD_OFFSET` whatever its protocol types.
                record = unsafe { field.read() }.cast_mut();
                anchor.0.store(record, Ordering::Relaxed);
            }
            // SAFETY: the record outlives every handle and yield point of its generator: both
            // are in the pinned generator.
            let recorded = unsafe { &*record }.0.load(Ordering::Relaxed);
            if recorded.is_null() || recorded.addr() != at {
                polled_outside_the_body();
            }
            recorded
        }
    }

    /// The generator's record of the exchange of the poll under way.
    pub(crate) struct Record(AtomicPtr<()>);

    impl Record {
        /// A record of no poll (a `const fn`, as [`Anchor::new`] is).
        pub(crate) const fn new() -> Self {
            Record(AtomicPtr::new(ptr::null_mut()))
        }

        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn set(&self, exchange: *mut ()) {
            self.0.store(exchange, Ordering::Relaxed);
        }

        #[cfg_attr(not(debug_assertions), inline(always))]
        pub(crate) fn clear(&self) {
            self.0.store(ptr::null_mut(), Ordering::Relaxed);
        }
    }

    #[cold]
    #[inline(never)]
    fn polled_outside_the_body() -> ! {
        panic!("agen: a yield point was polled outside its generator's poll of the body")
    }
}

// Its one case needs the check that only debug builds make.
#[cfg(all(test, debug_assertions))]
mod tests {
    use core::future::Future;
    use core::pin::pin;
    use core::task::{Context, Waker};

    use super::Anchor;
    use crate::yield_point::Co;

    /// Only in debug builds: in release builds the check is off and this would be undefined
    /// behaviour, which the contract of `AsyncGen::new` forbids. The handle's anchor is set
    /// here, as it is once its body has reached an exchange: a handle whose anchor is not set
    /// yet first reads the record out of the exchange at its context's address, and a context
    /// that is no exchange cannot be told from one before that read. So the check catches a
    /// yield point polled outside its body's poll from the body's second exchange on.
    #[test]
    #[should_panic(expected = "a yield point was polled outside its generator's poll of the body")]
    fn a_yield_point_polled_outside_a_body_panics_in_debug_builds() {
        // SAFETY: this breaks the contract on purpose, but only in debug builds (the module's cfg),
        // where the check in `transit` panics before anything is read through the context.
        let mut co = unsafe { Co::<u32, (), ()>::with_anchor(Anchor::dangling()) };
        let mut point = pin!(Co::here(&mut co));
        let _ = point.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    }
}
