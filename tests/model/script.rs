//! The vocabulary the model, the real generator and the checks share: the script a generator body
//! follows, the calls a consumer makes, and what a call is observed to come to (ids, not values).

/// One step of a body's script. The body runs them in order; running off the end returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// A plain yield point (`co.yield_(item)`): throw and close end the body here.
    Yield,
    /// A catching yield point (`co.yield_catching(item)`), and what the body does when a throw or
    /// a close arrives there.
    Catch(Handlers),
    /// Awaits a future that is `Pending` this many times, then ready.
    Await(u8),
    /// Panics (with a [`BodyPanic`] payload).
    Panic,
    /// Returns a fresh item.
    Return,
    /// Ends with `co.exit()`, outside any close.
    Exit,
}

/// What the body does at a catching yield point when it receives a throw or a close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handlers {
    /// The throw handler first awaits a future pending this many times.
    pub throw_wait: u8,
    pub on_throw: OnThrow,
    /// The close handler (async cleanup) first awaits a future pending this many times.
    pub close_wait: u8,
    pub on_close: OnClose,
}

/// After catching a thrown error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnThrow {
    /// Drops the error and goes on with the script (so its next yield answers the `athrow`).
    Resume,
    /// Returns a fresh item.
    Return,
    /// Re-raises the same error out of the body (`co.raise(e)`).
    Raise,
    /// Panics.
    Panic,
}

/// After receiving a close, and awaiting its cleanup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnClose {
    /// Returns a fresh item.
    Return,
    /// Ends with `co.exit()` (the close propagates).
    Exit,
    /// Yields a fresh item: the close is ignored.
    Yield,
    /// Panics.
    Panic,
}

/// The four methods of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Anext,
    Asend,
    Athrow,
    Aclose,
}

/// One call the consumer makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// Calls `method`. With `polls: None` the step future is driven to completion; with
    /// `Some(n)` it is polled at most `n` times and dropped if still `Pending` (`Some(0)`: created
    /// and dropped without a poll). `asend` and `athrow` hand in a fresh value.
    Step { method: Method, polls: Option<u8> },
    /// Drops the generator; the case ends there.
    DropGen,
}

impl Call {
    /// `method`, driven to completion.
    pub fn step(method: Method) -> Call {
        Call::Step {
            method,
            polls: None,
        }
    }

    /// `method`, polled at most `polls` times, then dropped if still pending.
    pub fn interrupt(method: Method, polls: u8) -> Call {
        Call::Step {
            method,
            polls: Some(polls),
        }
    }
}

/// The payload of the panics a script asks for.
#[derive(Debug)]
pub struct BodyPanic;

/// What one `Step` came to, by item id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepObs {
    Yielded(u64),
    Returned(u64),
    Exhausted,
}

/// `SendError` by value id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendErrObs {
    NotStarted(u64),
    Running(u64),
    Exhausted(u64),
}

/// `ThrowError` by value id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrowErrObs {
    Uncaught(u64),
    Running(u64),
    Exhausted(u64),
}

/// What a call came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Obs {
    /// `anext` completed.
    Next(StepObs),
    /// `asend` completed.
    Sent(Result<StepObs, SendErrObs>),
    /// `athrow` completed.
    Thrown(Result<StepObs, ThrowErrObs>),
    /// `aclose` completed: `Ok(return value id)` or `Err(CloseIgnored(item id))`.
    Closed(Result<Option<u64>, u64>),
    /// The step panicked with the script's [`BodyPanic`].
    BodyPanicked,
    /// The step panicked with something else (a runtime assertion): never expected.
    OtherPanic(String),
    /// Still `Pending` after the allowed polls; the step future was dropped.
    Interrupted,
    /// The step future was dropped without being polled.
    NotPolled,
    /// The generator was dropped.
    Dropped,
}

/// What the body records as it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A resumption reached a yield point of the body.
    Delivered(Delivery),
    /// The throw handler re-raised this thrown value.
    Raised(u64),
    /// The body was resumed after a yield it made while being closed (must never happen).
    ResumedAfterIgnoredClose,
}

/// A resumption, as a yield point received it (values by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Next,
    Send(u64),
    Throw(u64),
    Close,
}
