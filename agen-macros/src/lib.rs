//! The procedural macros of `agen`: `#[async_generator]`, and the implementations of
//! `async_gen!`, `for_await!` and `try_finally!`.
//!
//! Depend on `agen-runtime`, which re-exports them and documents them (the attribute, its
//! arguments, the yield points, what they evaluate to); this crate cannot depend on the runtime
//! it expands to, so its own documentation is about the expansion.
//!
#![doc = include_str!("expansion.md")]
#![forbid(unsafe_code)]

mod args;
mod capture;
mod error;
mod expand;
mod finally;
mod for_await;
mod signature;
mod visit;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// The implementation of `agen_runtime::async_generator`; depend on `agen-runtime`.
#[proc_macro_attribute]
pub fn async_generator(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::attribute(args.into(), item.into()).into()
}

/// The implementation of `agen_runtime::async_gen!`, which passes it `$crate` first; depend on
/// `agen-runtime`.
#[proc_macro]
pub fn async_gen(input: TokenStream) -> TokenStream {
    expand::function_like(input.into()).into()
}

/// The implementation of `agen_runtime::for_await!`, which passes it `$crate` first; depend on
/// `agen-runtime`.
#[proc_macro]
pub fn for_await(input: TokenStream) -> TokenStream {
    let (krate, input) = expand::split_krate(input.into());
    if for_await::marks_a_use(&input) {
        return TokenStream::new();
    }
    if let Err(error) = for_await::no_reserved_labels(&input) {
        return error.into_compile_error().into();
    }
    match syn::parse2::<for_await::ForAwait>(input) {
        Ok(input) => for_await::expand(krate, input, 0).into(),
        Err(error) => error.into_compile_error().into(),
    }
}

/// The implementation of `agen_runtime::try_finally!`, which passes it `$crate` first; depend on
/// `agen-runtime`.
#[proc_macro]
pub fn try_finally(input: TokenStream) -> TokenStream {
    let (krate, input) = expand::split_krate(input.into());
    if for_await::marks_a_use(&input) {
        return TokenStream::new();
    }
    if let Err(error) = for_await::no_reserved_labels(&input) {
        return error.into_compile_error().into();
    }
    match syn::parse2::<finally::TryFinally>(input) {
        Ok(input) => finally::expand(krate, input, 0).into(),
        Err(error) => error.into_compile_error().into(),
    }
}
