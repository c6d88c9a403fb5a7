//! The procedural macros of `agen`: [`#[async_generator]`](macro@async_generator) and
//! [`async_gen!`](macro@async_gen).
//!
//! Depend on `agen-runtime`, which re-exports both, not on this crate. The examples here are
//! marked `ignore` because this crate cannot depend on the runtime it expands to (that would
//! be circular); the runnable examples and doctests live in `agen-runtime`, and every form is
//! exercised by the workspace's `tests/macro_forms.rs`.
//!
//! # The two forms
//!
//! An attribute on an `async fn` whose body contains yield points:
//!
//! ```ignore
//! use agen_runtime::{async_generator, yield_};
//!
//! #[async_generator(yield = u64, send = u64)]
//! async fn running_total(start: u64) -> u64 {
//!     let mut total = start;
//!     while let Some(x) = yield_!(total) {   // `None` after anext(), `Some(x)` after asend(x)
//!         total += x;
//!     }
//!     total                                  // the generator's return value
//! }
//! ```
//!
//! An expression, like `async_stream::stream!`, where bare `yield` is accepted on stable:
//!
//! ```ignore
//! use agen_runtime::async_gen;
//!
//! let squares = async_gen! {
//!     for i in 0..3_u32 {
//!         yield i * i;
//!     }
//! };
//! ```
//!
//! # Yield points
//!
//! | written | evaluates to | what it does |
//! |---|---|---|
//! | `yield_!(value)` | `Option<S>` | hands `value` out; `None` after `anext()`, `Some(s)` after `asend(s)`. `athrow` and `aclose` end the body there. |
//! | `yield value` | `Option<S>` | the same, in `async_gen!`, or in the attribute form on a nightly compiler with `#![feature(yield_expr)]` (stable rejects a bare `yield` in an attribute's input before the macro runs, E0658). `yield;` yields `()`. |
//! | `yield_catch!(value)` | `Resume<S, E>` | hands `value` out and gives the body the whole resumption: `Next`, `Send(s)`, `Throw(e)` or `Close`, so it can recover or run async cleanup. |
//! | `closed!()` | `!` | ends the body as closed, with no return value (after `Resume::Close` and cleanup: `aclose` then returns `Ok(None)`). |
//!
//! Yield points work anywhere in the body's own control flow: `if`, `match` arms, loops,
//! `let … else`, blocks, labeled breaks, and inside other macros whose tokens are expressions
//! (`vec![yield_!(x)]`, `println!("{:?}", yield_!(x))`, `assert_eq!(yield_!(1), None)`).
//! They are recognised by the last segment of the macro's path (`yield_`, `yield_catch`,
//! `closed`), so `agen_runtime::yield_!(x)` works without an import.
//!
//! A closure, an `async` block, a nested fn or any other nested item is its own scope: a yield
//! point there is an error on that yield point. A nested `#[async_generator]` fn or
//! `async_gen!` block handles its own yield points; bare `yield` inside another macro's tokens
//! is left to that macro. Used outside any generator, the yield-point macros expand to an
//! error.
//!
//! # `#[async_generator(yield = T, send = S, throw = E)]`
//!
//! `yield` is required; `send` and `throw` default to `core::convert::Infallible`, so `asend`
//! and `athrow` cannot be called on a generator that did not declare them. The fn's declared
//! return type (default `()`) is the body's return value `R`, and `?` works against it.
//!
//! It applies to free fns, inherent methods taking `&self`, `&mut self`, `self` or a typed
//! receiver (`self: Box<Self>`), trait methods (declarations without a body, default methods,
//! and their impls; return-position `impl Trait` in traits), with generics, `where` clauses,
//! named and elided lifetimes, `impl Trait` arguments, argument patterns, any visibility.
//! Attributes and doc comments stay on the fn, `#[cfg]` on statements is respected.
//!
//! The fn becomes a plain (non-`async`) fn returning
//! `AsyncGen<impl Body<Yield = T, Send = S, Throw = E, Return = R> + 'agen>`, a type whose
//! methods (`anext`, `asend`, `athrow`, `aclose`) and `Stream` impl need no import. Every
//! argument moves into the body, as in an `async fn`; nothing of the body runs before the
//! first `anext`.
//!
//! The `impl` type is spanned at the user's `fn`, so it follows the user crate's edition: in
//! 2024 it captures every lifetime in scope; in 2021 it captures those that `'agen` stands
//! for, which every input lifetime, type parameter and `Self` outlive. One case needs edition
//! 2024: a method of a type with a lifetime parameter that takes `&mut self` (the lifetime is
//! invariant there, so it cannot shrink to `'agen`).
//!
//! # `async_gen!`
//!
//! `async_gen! { statements }` is an expression of type `AsyncGen<impl Body<…>>`. It moves what
//! it captures. The yield type is inferred from the yields; `send` and `throw` default to
//! `Infallible`; the return type is the block's value. A header declares any of them:
//!
//! ```ignore
//! let totals = async_gen!(yield = u64, send = u64, throw = Fault, return = Result<u64, Fault> => {
//!     let mut total = 0;
//!     loop {
//!         match yield_catch!(total) {
//!             Resume::Next => {}
//!             Resume::Send(x) => total += x,
//!             Resume::Throw(fault) => return Err(fault),
//!             Resume::Close => return Ok(total),
//!         }
//!     }
//! });
//! ```
//!
//! # Hygiene and safety
//!
//! The expansion names only `::agen_runtime::…` paths (`::agen_runtime::__private` for the
//! internals), so a user module named `core` or `agen_runtime` cannot capture them. Its own
//! identifiers are mixed-site: user code cannot name the yield handle. The runtime's
//! constructor is an `unsafe fn`; the expansion builds the body outside the `unsafe` block,
//! which contains only the macro's own tokens, and it is accepted by a crate with
//! `#![forbid(unsafe_code)]` (rustc does not apply that lint to a proc-macro's own tokens; a
//! pass test pins it).
//!
//! # Errors
//!
//! Misuse is reported at the user's span with a message of its own: a fn that is not `async`,
//! a `const fn`, a missing, duplicate or unknown argument, a type that is not a type, a yield
//! point out of scope or with a wrong argument, the attribute on something that is not a fn.
//! All errors of one fn are reported together, and a failed expansion still emits the fn's
//! signature so its callers get no errors of their own. Each case is a UI test in the
//! workspace's `tests/ui`.
//!
#![doc = include_str!("expansion.md")]
#![forbid(unsafe_code)]

mod args;
mod capture;
mod error;
mod expand;
mod for_await;
mod signature;
mod visit;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Turns an `async fn` with yield points into a fn returning an async generator.
///
/// `#[async_generator(yield = T)]`, optionally with `send = S` and `throw = E` (both default
/// to `core::convert::Infallible`). The fn's return type is the generator's return value. See
/// the [crate docs](crate) for the yield points, what the attribute applies to, and what it
/// expands to.
///
/// ```ignore
/// use agen_runtime::{async_generator, yield_};
///
/// #[async_generator(yield = u32)]
/// async fn countdown(from: u32) -> &'static str {
///     for n in (1..=from).rev() {
///         yield_!(n);
///     }
///     "liftoff"
/// }
/// ```
#[proc_macro_attribute]
pub fn async_generator(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::attribute(args.into(), item.into()).into()
}

/// An async generator as an expression: `async_gen! { … yield x; … }`.
///
/// Bare `yield` works here on stable, as do `yield_!`, `yield_catch!` and `closed!`. The block
/// moves what it captures. The yield type is inferred; `send` and `throw` default to
/// `core::convert::Infallible`; an optional header declares any of the four types:
/// `async_gen!(yield = u64, send = u64, throw = E, return = R => { … })`. See the
/// [crate docs](crate).
///
/// ```ignore
/// use agen_runtime::async_gen;
///
/// let evens = async_gen! {
///     for i in 0..10_u32 {
///         if i % 2 == 0 {
///             yield i;
///         }
///     }
/// };
/// ```
#[proc_macro]
pub fn async_gen(input: TokenStream) -> TokenStream {
    expand::function_like(input.into()).into()
}

/// `for_await!(pattern in generator { body })`: an `async for` loop over a generator or a
/// stream that, when the body leaves early (`break`, `return`, `?`), awaits the generator's
/// `aclose()` before going on.
#[proc_macro]
pub fn for_await(input: TokenStream) -> TokenStream {
    let (krate, input) = expand::split_krate(input.into());
    match syn::parse2::<for_await::ForAwait>(input) {
        Ok(input) => for_await::expand(krate, input).into(),
        Err(error) => error.into_compile_error().into(),
    }
}
