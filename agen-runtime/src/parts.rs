//! What the step logic works on: the generator's parts, a poll's outcome, the guard of a poll.
//!
//! Only the types are here; their code is in `gen.rs` and `step.rs`. A module of their own, so
//! that debug builds compile the step logic, which is generic over the protocol types only, in a
//! codegen unit of the crate that uses this one apart from the unit of the per-generator code:
//! an edit to one generator's body compiles that unit again, not this one.

use core::pin::Pin;

use crate::body::Body;
use crate::exchange::Record;
use crate::gen::Position;

/// What one poll of the body came to.
pub(crate) enum BodyEvent<Y, R, E> {
    /// The body reached a yield point.
    Yielded(Y),
    /// The body returned.
    Returned(R),
    /// The body exited on a close, with no return value ([`Co::exit`](crate::__private::Co::exit)).
    Exited,
    /// The body raised this error out of it ([`Co::raise`](crate::__private::Co::raise)).
    Raised(E),
}

/// A pinned generator's fields: what the step logic works on.
pub(crate) struct Parts<'a, L: Body + ?Sized> {
    pub(crate) body: Pin<&'a mut L>,
    pub(crate) position: &'a mut Position,
    pub(crate) record: &'a Record,
}

/// Clears the record when a poll of the body ends, and closes the generator if the poll
/// unwinds (it is still armed then), so a panicking body is dropped once and never polled again.
pub(crate) struct CloseOnUnwind<'g, 'a, L: Body + ?Sized> {
    pub(crate) body: &'g mut Pin<&'a mut L>,
    pub(crate) position: &'g mut Position,
    pub(crate) record: &'g Record,
    /// Set until the poll returns.
    pub(crate) armed: bool,
}
