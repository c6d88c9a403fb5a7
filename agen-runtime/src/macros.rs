//! The yield-point macros, and the body the generator macros expand to.
//!
//! # How a yield point finds its generator, and why it cannot be anywhere else
//!
//! `#[async_generator]` and `async_gen!` hand the body's statements to [`__body!`], which builds
//! the generator: the body's handle, then an `async` block that moves the handle in, then the
//! generator of that block. Inside the block, around the user's statements, it defines a local
//! macro,
//! `yield_point_outside_of_an_async_generator_body!`, and a labeled block. The public yield-point
//! macros (`yield_!`, `yield_catch!`, `closed!`, `yield_from!`) expand to an invocation of that
//! local macro by name, and Rust finds a `macro_rules!` name by where the invocation ends up
//! (textual scope), so:
//!
//! - a yield point belongs to the innermost generator body around it, wherever its tokens came
//!   from: written in the body, passed through another macro that keeps them in place
//!   (`println!`, `tokio::select!`'s branches, a user's `macro_rules!`), or produced by one. No
//!   macro needs to be recognised by name, and an inner generator, however it was imported or
//!   renamed, has its own local macro;
//! - outside any body the name does not exist, and the compiler says
//!   "cannot find macro `yield_point_outside_of_an_async_generator_body`".
//!
//! The local macro's expansion starts with `if false { break '__agen_body; }`: a `break` to the
//! label of the body's block. Labels cannot be reached through a closure, an `async` block, a
//! nested fn or an inner generator's body (E0767), so a yield point anywhere but in the body's
//! own control flow does not compile. Only then does the expansion name the handle, a local of
//! the body: the handle, the label and the local macro's arms are written here, with this
//! macro's hygiene, so no user token, no other macro, and no token handed to another macro can
//! name them; every path that receives the handle is `$crate::…`, so no renamed crate can stand
//! in for it, and nothing reached by method resolution ever sees it.
//!
//! The local macro has the two common yield points (plain and catching) as arms of its own; the
//! others (`closed!`, `raise!`, delegation, and what `try_finally!` and the loops ask of the body)
//! it hands to [`__point!`] with the handle and the label in front of their tokens, so that each
//! body does not define them again. Every arm of `__point!` that names the handle breaks to the
//! label first, as above; tokens a user hands to it directly come without this body's handle,
//! which no user token can spell, and without a handle no arm compiles.
//!
//! The one `unsafe` block, the call that makes the handle (`__private::new_gen`), is here too:
//! user tokens are never inside it, and `$crate` makes sure it is this crate's function.

/// The body of a generator: what `#[async_generator]` and `async_gen!` expand to. Not public
/// API: only the macro expansion uses it.
///
/// ```text
/// __body! {
///     $                               (a `$` token, for the local macro's own variables)
///     yield = Y, send = S, throw = E,
///     plain = option | unit,          (what a plain yield point evaluates to:
///                                      the function of that name in `__private::plain`)
///     return = R | _ | impl | try,    (the body's value: a type, inferred, not annotated, or
///                                      `Result<(), _>` with `Ok(())` after the statements)
///     attrs = { #[…] },               (attributes for the `let` of the body's `async` block)
///     rebind = { … },                 (statements that move the fn's arguments into the body)
///     body = { … }                    (the user's statements, in braces with the span of the
///                                      user's, which the block of the body's value keeps)
/// }
/// ```
///
/// Sound for any input: whatever the tokens, the handle is only named after the label check,
/// and the label only exists around the body's own statements.
#[doc(hidden)]
#[macro_export]
macro_rules! __body {
    (
        $d:tt
        yield = $Y:ty, send = $S:ty, throw = $E:ty,
        plain = $plain:ident,
        return = $R:tt,
        attrs = { $(#[$attr:meta])* },
        rebind = { $($rebind:tt)* },
        body = $body:tt
    ) => {{
        // The handle's types are written outside the `unsafe` block, so no user token is in it.
        #[allow(unused_mut)]
        let (mut __agen_co, __agen_gen): (
            $crate::__private::Co<$Y, $S, $E>,
            $crate::__private::MakeGen<$Y, $S, $E>,
        ) =
            // SAFETY: the body (the `async` block below, which the maker receives) uses its
            // handle only through the local macro below, whose every arm first checks that it is
            // in the body's own control flow (the label), so each yield point is awaited
            // directly in the body's `async` block and polled only with the context the runtime
            // polls the body with. No user token is inside this block.
            unsafe { $crate::__private::new_gen() };
        $(#[$attr])*
        let __agen_body = async move {
            // The block captures the handle (by value: it is a `move` block) whether or not the
            // body has a yield point, so the future always holds it, and the generator's auto
            // traits account for the protocol types. The yield points use it where it was
            // captured: a local moved out of it would be a second copy in the future, and in each
            // of its suspended states' debug info. Its type is written again here, inside the
            // block, so that a borrow that does not live long enough for the protocol types is
            // reported against the declared types, not against the capture's.
            let _: &$crate::__private::Co<$Y, $S, $E> = &__agen_co;
            $($rebind)*
            '__agen_body: {
                // How a plain yield point puts its item out (as a plain one) and what it does
                // with its resumption (nothing): `try_finally!` shadows these two in its block,
                // where plain yield points are catching ones that leave the block on a throw or
                // a close. Any code can shadow them, so neither gets anything of the handle: the
                // first is a type (a sealed marker), so no code of its runs while the yield point
                // holds the exchange's slot; the second gets the resumption once it has been
                // taken, as a value.
                #[allow(unused_macros)]
                macro_rules! __agen_plain_put {
                    () => {
                        $crate::__private::PlainYield
                    };
                }
                #[allow(unused_macros)]
                macro_rules! __agen_plain_resumed {
                    ($d resume:expr) => {
                        $d resume
                    };
                }
                // How the body ends early, closed or raising an error (`closed!()`, `raise!(e)`):
                // `try_finally!` shadows it too, so that its `finally` block runs first.
                #[allow(unused_macros)]
                macro_rules! __agen_end {
                    (closed) => {{
                        if false {
                            break '__agen_body;
                        }
                        match $crate::__private::Co::exit(&mut __agen_co).await {}
                    }};
                    (raise $d x:expr) => {{
                        if false {
                            break '__agen_body;
                        }
                        match $crate::__private::Co::raise($d x, &mut __agen_co).await {}
                    }};
                }
                #[allow(unused_macros)]
                macro_rules! yield_point_outside_of_an_async_generator_body {
                    (plain $d x:expr) => {{
                        if false {
                            break '__agen_body;
                        }
                        // The hook is a type: nothing it names can run, let alone
                        // await, between `Co::here` and the write into the slot.
                        let __agen_resume = $crate::__yield_point!(
                            __agen_co, $Y, __agen_plain_put!(), $d x
                        );
                        $crate::__private::plain::$plain(__agen_plain_resumed!(__agen_resume))
                    }};
                    (catching $d x:expr) => {{
                        if false {
                            break '__agen_body;
                        }
                        let __agen_resume = $crate::__yield_point!(
                            __agen_co, $Y, $crate::__private::CatchingYield, $d x
                        );
                        __agen_resume
                    }};
                    // The other yield points, and what `try_finally!` and the loops ask of the
                    // body, in the runtime's `__point!`, which this body's handle and label are
                    // handed to, so that they are not defined again in every body.
                    ($d($d tokens:tt)*) => {
                        $crate::__point! { __agen_co '__agen_body $d($d tokens)* }
                    };
                }
                $crate::__body!(@run $R $body);
            }
            #[allow(unreachable_code)]
            loop {}
        };
        __agen_gen.with(__agen_body)
    }};
    (@run _ $body:tt) => {
        let __agen_ret = $body;
        #[allow(unreachable_code)]
        return __agen_ret;
    };
    (@run try $body:tt) => {
        let __agen_ret: $crate::__private::core::result::Result<(), _> = {
            let () = $body;
            // Unreachable when the body diverges (`loop { … }`); the `allow` covers this one
            // statement, never the user's code.
            #[allow(unreachable_code)]
            let __agen_ok = $crate::__private::core::result::Result::Ok(());
            __agen_ok
        };
        #[allow(unreachable_code)]
        return __agen_ret;
    };
    (@run impl $body:tt) => {
        #[allow(unreachable_code)]
        return $body;
    };
    (@run ($R:ty) $body:tt) => {
        let __agen_ret: $R = $body;
        #[allow(unreachable_code)]
        return __agen_ret;
    };
}

/// The yield points of a body other than the plain and catching ones, for the body's local macro,
/// which hands over its handle (`$co`) and the label of its block (`$label`), then the tokens of
/// the yield point. Not public API. Every arm that names the handle first breaks to the label, so
/// it only compiles in that body's own control flow; the others end the body through
/// `__agen_end!`, or delegate to the local macro, as found where the yield point is (a
/// `try_finally!` block or a loop shadows them). No code but the local macro's has the handle
/// and the label to give.
#[doc(hidden)]
#[macro_export]
macro_rules! __point {
    ($co:ident $label:lifetime closed) => {
        __agen_end! { closed }
    };
    // `__agen_end!` as found where this is expanded (for `try_finally!`).
    ($co:ident $label:lifetime end $($tokens:tt)*) => {
        __agen_end! { $($tokens)* }
    };
    // The protocol's types, as a value (a marker that carries nothing), for
    // `try_finally!` to type its outcome with.
    ($co:ident $label:lifetime protocol) => {{
        if false {
            break $label;
        }
        $crate::__private::Co::protocol(&$co)
    }};
    ($co:ident $label:lifetime raise $x:expr) => {
        __agen_end! { raise $x }
    };
    // A throw the inner did not catch, or a close forwarded to it, ends the body
    // through `__agen_end!`, so that a `try_finally!` around the delegation runs
    // its `finally` block first.
    ($co:ident $label:lifetime from $x:expr) => {
        match yield_point_outside_of_an_async_generator_body! {
            delegate $crate::__private::Catch, $x
        } {
            $crate::Delegated::Returned(value) => value,
            $crate::Delegated::Raised(error) => __agen_end! { raise error },
            $crate::Delegated::Closed => __agen_end! { closed },
        }
    };
    ($co:ident $label:lifetime from_catch $x:expr) => {
        yield_point_outside_of_an_async_generator_body! {
            delegate $crate::__private::Catch, $x
        }
    };
    ($co:ident $label:lifetime delegate $mode:expr, $x:expr) => {{
        if false {
            break $label;
        }
        // The operand's local ends before the `.await`, so the body's future does
        // not keep room for it beside the delegation that holds it.
        let __agen_delegation = {
            let __agen_inner = $x;
            #[allow(unused_imports)]
            use $crate::__private::{
                ProbeGenerator as _, ProbeNeither as _, ProbeStream as _,
            };
            let __agen_kind = $crate::__private::check(
                $crate::__private::Co::protocol(&$co),
                (&&&$crate::__private::Probe::of(&__agen_inner))
                    .__agen_delegation(),
            );
            $crate::__private::delegate(
                $mode,
                __agen_kind,
                __agen_inner,
                &mut $co,
            )
        };
        __agen_delegation.await
    }};
}

/// A yield point's item put out and its resumption awaited, for the body's local macro: `$co` is
/// the body's handle, `$Y` its item type as declared (or `_`), `$kind`
/// [`PlainYield`](crate::__private::PlainYield) or
/// [`CatchingYield`](crate::__private::CatchingYield). Not public API.
///
/// In release builds, two awaits: [`Co::here`](crate::__private::Co::here), ready at once with
/// the exchange's slot, which the item goes straight into, and
/// [`Co::resumed`](crate::__private::Co::resumed), pending until the consumer resumes the body;
/// inlined, a yield is a write into the exchange. In debug builds, where nothing is inlined, one:
/// [`Co::yield_point`](crate::__private::Co::yield_point), which holds the item until its first
/// poll. Each await is a state of the body's future and code in it, so the one-await form
/// compiles a yield point into less code. Either way the item is bound to a local first, in a
/// block of its own, so the temporaries of its expression, even those the `let` extends, are
/// dropped before the body suspends (they never make its future larger, or not `Send`), and a
/// mismatch of its type is reported at it, against the declared type.
#[doc(hidden)]
#[macro_export]
#[cfg(not(debug_assertions))]
macro_rules! __yield_point {
    ($co:ident, $Y:ty, $kind:ty, $x:expr) => {{
        // In a block of its own, so that temporaries the `let` extends (`&Rc::new(1) as *const _
        // as usize`) are dropped here too, before the body suspends, as in debug builds.
        let item = {
            let item: $Y = $x;
            item
        };
        $crate::__private::Protocol::yield_as::<$kind>(
            $crate::__private::Co::protocol(&$co),
            item,
            $crate::__private::Co::here(&mut $co).await,
        );
        $crate::__private::Co::resumed(&mut $co).await
    }};
}

/// See the release builds' definition.
#[doc(hidden)]
#[macro_export]
#[cfg(debug_assertions)]
macro_rules! __yield_point {
    ($co:ident, $Y:ty, $kind:ty, $x:expr) => {{
        let item: $Y = $x;
        $crate::__private::Co::yield_point::<$kind>(&mut $co, item)
    }
    .await};
}

/// A plain yield point: `yield_!(item)` hands `item` to the consumer. When the generator declares
/// a `send` type it evaluates to what the consumer sent back, `None` after `anext()` and
/// `Some(value)` after `asend(value)`; without one it evaluates to `()`.
///
/// `athrow` and `aclose` arriving at a plain yield point end the body there: its live locals are
/// dropped, a thrown error goes back to the caller. Use [`yield_catch!`](crate::yield_catch!) to handle them.
///
/// Only valid in the body of an `#[async_generator]` fn or an `async_gen!` block, in its own
/// control flow: not inside a closure, an `async` block or a nested fn.
///
/// ```
/// use agen_runtime::{async_generator, yield_, Step};
///
/// #[async_generator(yield = u32, send = u32)]
/// async fn doubler() {
///     let mut n = 1;
///     while let Some(x) = yield_!(n * 2) {
///         n = x;
///     }
/// }
///
/// # pollster::block_on(async {
/// let mut doubles = core::pin::pin!(doubler());
/// assert_eq!(doubles.anext().await, Step::Yielded(2));
/// assert_eq!(doubles.asend(21).await, Ok(Step::Yielded(42)));
/// assert_eq!(doubles.anext().await, Step::Returned(())); // `None` ends the loop
/// # });
/// ```
#[macro_export]
macro_rules! yield_ {
    ($item:expr $(,)?) => {
        yield_point_outside_of_an_async_generator_body! { plain $item }
    };
    () => {
        $crate::__private::core::compile_error!(
            "`yield_!` needs the item to yield: `yield_!(value)`, or `yield_!(())` to yield the unit value"
        )
    };
}

/// A catching yield point: `yield_catch!(item)` hands `item` to the consumer and evaluates to the
/// whole [`Resume`](crate::Resume): `Next`, `Send(value)`, `Throw(error)` or `Close`.
///
/// After `Resume::Close` the body may await cleanup, then must finish: return a value, or end
/// with [`closed!`](crate::closed!) if it has none to return.
///
/// Only valid in the body of an `#[async_generator]` fn or an `async_gen!` block, in its own
/// control flow.
///
/// ```
/// use agen_runtime::{async_generator, yield_catch, Resume, Step};
///
/// #[async_generator(yield = &'static str, throw = &'static str)]
/// async fn careful() -> u32 {
///     let mut errors = 0;
///     loop {
///         match yield_catch!("working") {
///             Resume::Next | Resume::Send(_) => {}
///             Resume::Throw(_) => errors += 1, // recovered: yields again
///             Resume::Close => return errors, // cleanup, which may `.await`, then finish
///         }
///     }
/// }
///
/// # pollster::block_on(async {
/// let mut job = core::pin::pin!(careful());
/// assert_eq!(job.anext().await, Step::Yielded("working"));
/// assert_eq!(job.athrow("disk full").await, Ok(Step::Yielded("working")));
/// assert_eq!(job.aclose().await, Ok(Some(1)));
/// # });
/// ```
#[macro_export]
macro_rules! yield_catch {
    ($item:expr $(,)?) => {
        yield_point_outside_of_an_async_generator_body! { catching $item }
    };
    () => {
        $crate::__private::core::compile_error!(
            "`yield_catch!` needs the item to yield: `yield_catch!(value)`, or `yield_catch!(())` to yield the unit value"
        )
    };
}

/// Ends the body as closed, with no return value: Python's re-raised `GeneratorExit`. Used after
/// a catching yield point received `Resume::Close` and the body ran its cleanup; `aclose` then
/// completes with `Ok(None)`. It evaluates to `!`.
///
/// Only valid in the body of an `#[async_generator]` fn or an `async_gen!` block, in its own
/// control flow.
///
/// ```
/// use agen_runtime::{async_generator, closed, yield_catch, Resume, Step};
///
/// #[async_generator(yield = u8)]
/// async fn ticker() -> u8 {
///     let mut n = 0;
///     loop {
///         if let Resume::Close = yield_catch!(n) {
///             closed!(); // no return value to give on a close
///         }
///         n += 1;
///     }
/// }
///
/// # pollster::block_on(async {
/// let mut ticks = core::pin::pin!(ticker());
/// assert_eq!(ticks.anext().await, Step::Yielded(0));
/// assert_eq!(ticks.aclose().await, Ok(None));
/// # });
/// ```
#[macro_export]
macro_rules! closed {
    () => {
        yield_point_outside_of_an_async_generator_body! { closed }
    };
    ($($tokens:tt)+) => {
        $crate::__private::core::compile_error!("`closed!` takes no argument: write `closed!()`")
    };
}

/// Raises `error` out of the body: the `athrow` under way returns
/// [`ThrowError::Uncaught(error)`](crate::ThrowError::Uncaught), and the generator is closed
/// (Python's `raise` in an `except` block that re-raises). It evaluates to `!`.
///
/// For an error the body received from `athrow`, in the same step: a catching yield point's
/// [`Resume::Throw`](crate::Resume::Throw), after async cleanup if the body likes, or
/// [`Delegated::Raised`](crate::Delegated::Raised). The error type is the generator's `throw`
/// type. A step other than `athrow` has no error to return: raising there panics.
///
/// ```
/// use agen_runtime::{async_generator, raise, yield_catch, Resume, Step, ThrowError};
///
/// #[async_generator(yield = u32, throw = &'static str)]
/// async fn guarded(log: &mut Vec<&'static str>) {
///     loop {
///         if let Resume::Throw(error) = yield_catch!(1) {
///             log.push("cleanup before re-raising"); // could `.await` here
///             raise!(error);
///         }
///     }
/// }
///
/// # pollster::block_on(async {
/// let mut log = Vec::new();
/// {
///     let mut guard = core::pin::pin!(guarded(&mut log));
///     assert_eq!(guard.anext().await, Step::Yielded(1));
///     assert_eq!(guard.athrow("stop").await, Err(ThrowError::Uncaught("stop")));
///     assert_eq!(guard.anext().await, Step::Exhausted);
/// }
/// assert_eq!(log, ["cleanup before re-raising"]);
/// # });
/// ```
#[macro_export]
macro_rules! raise {
    ($error:expr $(,)?) => {
        yield_point_outside_of_an_async_generator_body! { raise $error }
    };
    () => {
        $crate::__private::core::compile_error!(
            "`raise!` needs the error to raise: `raise!(error)`"
        )
    };
}

/// Delegation that catches: as [`yield_from!`](crate::yield_from), but it evaluates to how the
/// delegation ended, a [`Delegated`](crate::Delegated), and the body goes on from there, where
/// `yield_from!` would end it. An error thrown in that the inner generator does not catch comes
/// back as `Delegated::Raised(error)`, and a forwarded close, once the inner's cleanup has run,
/// as `Delegated::Closed`: the body can catch the error, or run its own async cleanup after the
/// inner's, as Python's `try` / `finally` around `yield from` does. See [`Delegated`](crate::Delegated)
/// for an example.
#[macro_export]
macro_rules! yield_from_catch {
    ($inner:expr $(,)?) => {
        yield_point_outside_of_an_async_generator_body! { from_catch $inner }
    };
    () => {
        $crate::__private::core::compile_error!(
            "`yield_from_catch!` needs the generator or stream to delegate to: \
             `yield_from_catch!(inner)`"
        )
    };
}

/// Delegation: `yield_from!(inner)` yields every item of `inner`, forwards `asend`, `athrow` and
/// `aclose` to it while it runs, and evaluates to its return value (Python's `yield from`,
/// PEP 380; ECMAScript's `yield*`).
///
/// `inner` is another generator of the same `yield`, `send` and `throw` types, taken by value or
/// behind a pinned pointer (`Box::pin(inner)`, which recursive delegation needs, or
/// `inner.as_mut()`; see [`AsGenerator`](crate::AsGenerator)), or any `Stream` (then
/// `yield_from!` evaluates to `()`, a value sent meanwhile is dropped, a thrown error is raised out
/// of the generator at once, and a close drops the stream). The delegation itself allocates
/// nothing, however deep it nests. [`yield_from_catch!`](crate::yield_from_catch) lets the body
/// handle an error or a close instead of ending with it.
///
/// Only valid in the body of an `#[async_generator]` fn or an `async_gen!` block, in its own
/// control flow.
///
/// ```
/// use agen_runtime::{async_generator, yield_, yield_from, Step};
///
/// #[async_generator(yield = u32, send = u32)]
/// async fn sum_of_two() -> u32 {
///     let a = yield_!(0).unwrap_or(0);
///     let b = yield_!(a).unwrap_or(0);
///     a + b
/// }
///
/// #[async_generator(yield = u32, send = u32)]
/// async fn sums() -> u32 {
///     let first = yield_from!(sum_of_two()); // sends reach the inner generator
///     let more = yield_from!(futures_util::stream::iter([7, 8])); // any `Stream` too
///     let () = more;
///     first
/// }
///
/// # pollster::block_on(async {
/// let mut totals = core::pin::pin!(sums());
/// assert_eq!(totals.anext().await, Step::Yielded(0));
/// assert_eq!(totals.asend(1).await, Ok(Step::Yielded(1)));
/// assert_eq!(totals.asend(2).await, Ok(Step::Yielded(7)));
/// assert_eq!(totals.anext().await, Step::Yielded(8));
/// assert_eq!(totals.anext().await, Step::Returned(3));
/// # });
/// ```
#[macro_export]
macro_rules! yield_from {
    ($inner:expr $(,)?) => {
        yield_point_outside_of_an_async_generator_body! { from $inner }
    };
    () => {
        $crate::__private::core::compile_error!(
            "`yield_from!` needs the generator or stream to delegate to: `yield_from!(inner)`"
        )
    };
}

/// An async generator as an expression: `async_gen! { … yield x; … }`, the counterpart of
/// async-stream's `stream!`.
///
/// Bare `yield` works here on stable, as do [`yield_!`](crate::yield_!),
/// [`yield_catch!`](crate::yield_catch!), [`yield_from!`](crate::yield_from!) and
/// [`closed!`](crate::closed!). The block moves what it captures. The item type is inferred from
/// the yields; `send` and `throw` default to [`NoSend`](crate::NoSend) and
/// [`NoThrow`](crate::NoThrow); an optional header declares any of the four types:
/// `async_gen!(yield = u64, send = u64, throw = E, return = R => { … })`.
///
/// ```
/// use agen_runtime::{async_gen, Step};
///
/// # pollster::block_on(async {
/// let evens = async_gen! {
///     for i in 0..6_u32 {
///         if i % 2 == 0 {
///             yield i;
///         }
///     }
/// };
/// let mut evens = core::pin::pin!(evens);
/// assert_eq!(evens.anext().await, Step::Yielded(0));
/// assert_eq!(evens.anext().await, Step::Yielded(2));
/// # });
/// ```
#[macro_export]
macro_rules! async_gen {
    ($($tokens:tt)*) => {
        $crate::__private::async_gen! { $crate; $($tokens)* }
    };
}

/// `for_await!(for pattern in generator { body })`: an `async for` loop over a generator or a
/// stream that, when the body leaves early (`break`, `return`, `?`), awaits the generator's
/// `aclose()` before going on.
///
/// The operand is a generator (its items, whatever its return type), owned or behind a pinned
/// pointer ([`AsGenerator`](crate::AsGenerator)), or any `Stream`. The form without `for` is
/// accepted too: `for_await!(pattern in generator { body })`.
///
/// - A generator the loop owns (by value, or `Pin<Box<_>>`) is closed when the loop is left
///   early, and its async cleanup runs before the code after the loop.
/// - A generator the loop only borrows (`generator.as_mut()`, a `Pin<&mut _>`, or `&mut` to a boxed
///   one) is left suspended where the loop stopped, as Python's `async for` leaves it: the code
///   after the loop can go on with it, or close it.
/// - The loop evaluates to `()`. A value the generator returns while being closed is dropped
///   ([`aclosing`](crate::aclosing) keeps it); an item it yields while being closed (a generator
///   that ignores the close, Python's `RuntimeError`) panics.
/// - Loops nest in each other and in [`try_finally!`](crate::try_finally) blocks: the enclosing one expands a nested
///   `for_await!` or `try_finally!` itself (recognised by its name), so a `return` or a `break`
///   of an outer label closes every loop's generator on the way out, from the inside out.
/// - In a generator body, the body ending from inside the loop closes the generator too:
///   `closed!()`, `raise!`, a close or throw that `yield_from!` forwarded, and a close or throw
///   that reaches a plain yield point of the loop body (which, like a `try_finally!` block's,
///   leaves the loop). The loop body is left, the generator closed, and the body ends as it was
///   going to. The generator macro marks the loops of its body for this, by name: a loop under
///   a name of your own, or whose yield points come from a macro's definition, is not marked,
///   and the body ending inside it drops its generator without the async cleanup.
/// - Not seen as exits, so they leave without the close: an exit inside a macro whose input is
///   not a list of expressions or in a macro's definition.
///
/// ```
/// use agen_runtime::{async_generator, for_await, yield_catch, Resume};
///
/// #[async_generator(yield = u32)]
/// async fn naturals(log: &mut Vec<&'static str>) {
///     let mut n = 0;
///     while let Resume::Next = yield_catch!(n) {
///         n += 1;
///     }
///     log.push("closed"); // reached on `Resume::Close`: async cleanup goes here
/// }
///
/// # pollster::block_on(async {
/// let mut log = Vec::new();
/// let mut seen = Vec::new();
/// for_await!(for n in naturals(&mut log) {
///     if n == 3 {
///         break; // closes `naturals` first
///     }
///     seen.push(n);
/// });
/// assert_eq!(seen, [0, 1, 2]);
/// assert_eq!(log, ["closed"]);
/// # });
/// ```
#[macro_export]
macro_rules! for_await {
    ($($tokens:tt)*) => {
        $crate::__private::for_await! { $crate; $($tokens)* }
    };
}

/// Python's `try: … finally: await cleanup()` around yield points:
/// `try_finally! { try { … } finally { … } }` in a generator body.
///
/// The `finally` block runs however the `try` block is left, and may `.await`:
///
/// - at its end, and the macro evaluates to the `try` block's value;
/// - by `return`, `?`, or `break` / `continue` of an enclosing loop, which then go on where they
///   were going;
/// - by a close or a thrown error that reaches one of its plain yield points (`yield_!`, bare
///   `yield`): each is a catching yield point there, and `aclose` or `athrow` leaves the block at
///   it. The `finally` block then runs inside that `aclose` or `athrow`, and the body ends: closed
///   (`aclose` returns `Ok(None)`), or raising the error (`athrow` returns `Uncaught(error)`).
///
/// A `yield_catch!` in the block is not changed: the body handles its resumption itself. A
/// panic in the `try` block does not run the `finally` block (the body is dropped, its
/// destructors run); neither does dropping the generator without `aclose`, which cannot await.
///
/// Blocks nest in each other and in [`for_await!`](crate::for_await) loops: the enclosing one expands a nested
/// `try_finally!` or `for_await!` itself (recognised by its name), so the exits the nested one
/// makes after its own cleanup pass through the enclosing cleanup too. An exit the rewriting
/// cannot see, inside a macro whose input is not a list of expressions or in a macro's
/// definition, leaves without the `finally` block. A `finally` block that yields while a thrown
/// error waits in it ends the `athrow` with that item, and the next step panics, dropping the
/// error: such a block should not yield.
///
/// ```
/// use agen_runtime::{async_generator, try_finally, yield_, Step};
///
/// #[async_generator(yield = u32)]
/// async fn rows(log: &mut Vec<&'static str>) {
///     try_finally! {
///         try {
///             for row in 0..3 {
///                 yield_!(row);
///             }
///         } finally {
///             log.push("connection closed"); // could `.await` here
///         }
///     }
/// }
///
/// # pollster::block_on(async {
/// let mut log = Vec::new();
/// {
///     let mut all = core::pin::pin!(rows(&mut log));
///     while let Step::Yielded(_) = all.anext().await {}
/// }
/// {
///     let mut some = core::pin::pin!(rows(&mut log));
///     assert_eq!(some.anext().await, Step::Yielded(0));
///     assert_eq!(some.aclose().await, Ok(None)); // the finally block ran in here
/// }
/// assert_eq!(log, ["connection closed", "connection closed"]);
/// # });
/// ```
#[macro_export]
macro_rules! try_finally {
    ($($tokens:tt)*) => {
        $crate::__private::try_finally! { $crate; $($tokens)* }
    };
}
