//! The errors of `asend`, `athrow` and `aclose`. Each hands back the value it could not deliver.

use core::fmt;

/// Why [`asend`](crate::AsyncGen::asend) could not deliver its value. The value comes back.
///
/// ```
/// use agen_runtime::{async_gen, SendError};
///
/// # pollster::block_on(async {
/// let adder = async_gen!(yield = u32, send = u32 => {
///     let mut total = 0;
///     while let Some(x) = (yield total) {
///         total += x;
///     }
/// });
/// let mut adder = core::pin::pin!(adder);
/// let error = adder.asend(5).await.unwrap_err(); // not started: nothing waits for the 5
/// assert_eq!(error, SendError::NotStarted(5));
/// assert_eq!(error.to_string(), "can't send a value to a just-started async generator (start it with anext())");
/// assert_eq!(error.into_value(), 5); // handed back
/// # });
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum SendError<S> {
    /// The generator has not started, so no yield point is waiting for a value (rule B2).
    /// The generator stays unstarted (B3): start it with `anext()`.
    NotStarted(S),
    /// An earlier step was interrupted (its future was dropped while the body was parked at an
    /// inner `.await`) and has not finished; `anext()` finishes it (rules F1, F8).
    Running(S),
    /// The generator has finished or been closed (rules B6, E10).
    Exhausted(S),
}

/// Why [`athrow`](crate::AsyncGen::athrow) came back with its error.
///
/// ```
/// use agen_runtime::{async_gen, Step, ThrowError};
///
/// # pollster::block_on(async {
/// let plain = async_gen!(yield = u8, throw = &'static str => { yield 1; });
/// let mut plain = core::pin::pin!(plain);
/// assert_eq!(plain.anext().await, Step::Yielded(1));
/// let error = plain.athrow("stop").await.unwrap_err();
/// assert_eq!(error, ThrowError::Uncaught("stop")); // not caught: it comes back out
/// assert_eq!(error.to_string(), "stop"); // shown as the error itself, as Python re-raises it
/// assert_eq!(plain.athrow("again").await, Err(ThrowError::Exhausted("again")));
/// # });
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThrowError<E> {
    /// The error was not caught and propagated back out; the generator is now closed. This is
    /// the outcome on an unstarted generator, whose body never runs (rule D1), and at a plain
    /// yield point, which does not catch (D4).
    Uncaught(E),
    /// An earlier step was interrupted and has not finished; `anext()` finishes it (rules F2, F8).
    /// The error was not delivered.
    Running(E),
    /// The generator had already finished or been closed; the error was not delivered. (CPython
    /// drops the error and returns `None` here, rule D9; `agen` hands it back, as ECMAScript
    /// rejects with it, rule J7.)
    Exhausted(E),
}

/// [`aclose`](crate::AsyncGen::aclose) failed because the body yielded instead of finishing
/// (rule E5, CPython's `RuntimeError: async generator ignored GeneratorExit`).
///
/// The yielded item comes back here. The generator is closed afterwards: its body has been
/// dropped, every later step reports exhaustion and `aclose` is a no-op (agen's answer to E6,
/// where CPython leaves the frame resumable).
///
/// ```
/// use agen_runtime::{async_gen, yield_catch, CloseIgnored, GenState, Resume, Step};
///
/// # pollster::block_on(async {
/// let stubborn = async_gen! {
///     if let Resume::Close = yield_catch!(1_u8) {
///         yield 2; // yields instead of finishing
///     }
/// };
/// let mut stubborn = core::pin::pin!(stubborn);
/// assert_eq!(stubborn.anext().await, Step::Yielded(1));
/// let ignored = stubborn.aclose().await.unwrap_err();
/// assert_eq!(ignored, CloseIgnored(2)); // the item comes back
/// assert_eq!(ignored.into_item(), 2);
/// assert_eq!(stubborn.state(), GenState::Closed);
/// # });
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CloseIgnored<Y>(pub Y);

impl<S> SendError<S> {
    /// The value that was not delivered; see [`SendError`] for an example.
    pub fn into_value(self) -> S {
        match self {
            SendError::NotStarted(value)
            | SendError::Running(value)
            | SendError::Exhausted(value) => value,
        }
    }
}

impl<E> ThrowError<E> {
    /// The error that came back.
    ///
    /// ```
    /// # use agen_runtime::ThrowError;
    /// assert_eq!(ThrowError::Running("late").into_error(), "late");
    /// ```
    pub fn into_error(self) -> E {
        match self {
            ThrowError::Uncaught(error)
            | ThrowError::Running(error)
            | ThrowError::Exhausted(error) => error,
        }
    }
}

impl<Y> CloseIgnored<Y> {
    /// The item the body yielded while being closed; see [`CloseIgnored`] for an example.
    pub fn into_item(self) -> Y {
        self.0
    }
}

impl<S> fmt::Display for SendError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SendError::NotStarted(_) => {
                "can't send a value to a just-started async generator (start it with anext())"
            }
            SendError::Running(_) => "asend(): asynchronous generator is already running",
            SendError::Exhausted(_) => "asend(): asynchronous generator is exhausted",
        })
    }
}

impl<E: fmt::Display> fmt::Display for ThrowError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThrowError::Uncaught(error) => write!(f, "{error}"),
            ThrowError::Running(_) => {
                f.write_str("athrow(): asynchronous generator is already running")
            }
            ThrowError::Exhausted(_) => {
                f.write_str("athrow(): asynchronous generator is exhausted")
            }
        }
    }
}

impl<Y> fmt::Display for CloseIgnored<Y> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("async generator ignored GeneratorExit: it yielded while being closed")
    }
}

// `Debug` shows the variant without requiring `Debug` of the payload, so `unwrap()` works on
// results whose sent or thrown type has no `Debug`.
impl<S> fmt::Debug for SendError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SendError::NotStarted(_) => "SendError::NotStarted(..)",
            SendError::Running(_) => "SendError::Running(..)",
            SendError::Exhausted(_) => "SendError::Exhausted(..)",
        })
    }
}

impl<E: fmt::Debug> fmt::Debug for ThrowError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThrowError::Uncaught(error) => f.debug_tuple("Uncaught").field(error).finish(),
            ThrowError::Running(error) => f.debug_tuple("Running").field(error).finish(),
            ThrowError::Exhausted(error) => f.debug_tuple("Exhausted").field(error).finish(),
        }
    }
}

impl<Y> fmt::Debug for CloseIgnored<Y> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CloseIgnored(..)")
    }
}

impl<S> core::error::Error for SendError<S> {}

impl<E: fmt::Debug + fmt::Display + core::error::Error + 'static> core::error::Error
    for ThrowError<E>
{
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            ThrowError::Uncaught(error) => error.source(),
            ThrowError::Running(error) | ThrowError::Exhausted(error) => Some(error),
        }
    }
}

impl<Y> core::error::Error for CloseIgnored<Y> {}

/// The send type of a generator that declares none (no `send = T` in `#[async_generator(…)]` or
/// `async_gen!(…)`). It has no values, so [`asend`](crate::AsyncGen::asend) cannot be called on
/// such a generator: calling it is a type error, "expected `NoSend`". Declare `send = T` to
/// receive values of `T` at the yield points.
///
/// ```
/// use agen_runtime::{async_generator, yield_, AsyncGen, Body, NoSend, NoThrow};
///
/// #[async_generator(yield = u32)]
/// async fn one() {
///     yield_!(1);
/// }
///
/// fn protocol<B: Body<Send = NoSend, Throw = NoThrow>>(_: &AsyncGen<B>) {}
/// protocol(&one());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoSend {}

/// The throw type of a generator that declares none (no `throw = E`): it has no values, so
/// [`athrow`](crate::AsyncGen::athrow) cannot be called on such a generator ("expected
/// `NoThrow`"). Declare `throw = E` to deliver errors of `E` at the yield points. See
/// [`NoSend`] for an example.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoThrow {}

impl fmt::Display for NoSend {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl fmt::Display for NoThrow {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl core::error::Error for NoSend {}

impl core::error::Error for NoThrow {}
