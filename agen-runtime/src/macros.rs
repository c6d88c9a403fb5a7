//! The yield-point macros. Inside an `#[async_generator]` fn or an `async_gen!` block the
//! generator macro rewrites each invocation before it expands; these definitions are what a
//! stray invocation elsewhere expands to: a clear error at its span.

/// A plain yield point: `yield_!(item)` hands `item` to the consumer and evaluates to what it
/// sends back, `None` after `anext()` and `Some(value)` after `asend(value)`.
///
/// `athrow` and `aclose` arriving at a plain yield point end the body there: its live locals are
/// dropped, a thrown error goes back to the caller. Use [`yield_catch!`](crate::yield_catch!) to handle them.
///
/// Only valid in the body of an `#[async_generator]` fn or an `async_gen!` block.
#[macro_export]
macro_rules! yield_ {
    (@agen_used) => {};
    ($($item:tt)*) => {
        ::core::compile_error!(
            "`yield_!` can only be used in the body of an `#[async_generator]` fn or an `async_gen!` block"
        )
    };
}

/// A catching yield point: `yield_catch!(item)` hands `item` to the consumer and evaluates to the
/// whole [`Resume`](crate::Resume): `Next`, `Send(value)`, `Throw(error)` or `Close`.
///
/// After `Resume::Close` the body may await cleanup, then must finish: return a value, or end
/// with [`closed!`](crate::closed!) if it has none to return.
///
/// Only valid in the body of an `#[async_generator]` fn or an `async_gen!` block.
#[macro_export]
macro_rules! yield_catch {
    (@agen_used) => {};
    ($($item:tt)*) => {
        ::core::compile_error!(
            "`yield_catch!` can only be used in the body of an `#[async_generator]` fn or an `async_gen!` block"
        )
    };
}

/// Ends the body as closed, with no return value: Python's re-raised `GeneratorExit`. Used after
/// a catching yield point received `Resume::Close` and the body ran its cleanup; `aclose` then
/// completes with `Ok(None)`. It evaluates to `!`.
///
/// Only valid in the body of an `#[async_generator]` fn or an `async_gen!` block.
#[macro_export]
macro_rules! closed {
    (@agen_used) => {};
    ($($item:tt)*) => {
        ::core::compile_error!(
            "`closed!` can only be used in the body of an `#[async_generator]` fn or an `async_gen!` block"
        )
    };
}

/// Delegation: `yield_from!(inner)` yields every item of `inner`, forwards `asend`, `athrow` and
/// `aclose` to it while it runs, and evaluates to its return value (Python's `yield from`,
/// PEP 380; ECMAScript's `yield*`).
///
/// `inner` is another generator (taken by value), or any `Stream` (then `yield_from!` evaluates
/// to `()`, a value sent meanwhile is dropped, a thrown error is raised out of the generator at
/// once, and a close drops the stream). The delegation allocates nothing, however deep it nests.
///
/// Only valid in the body of an `#[async_generator]` fn or an `async_gen!` block.
#[macro_export]
macro_rules! yield_from {
    (@agen_used) => {};
    ($($inner:tt)*) => {
        ::core::compile_error!(
            "`yield_from!` can only be used in the body of an `#[async_generator]` fn or an `async_gen!` block"
        )
    };
}
