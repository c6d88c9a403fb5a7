//! What a hostile dependency renamed to `agen_runtime` (in Cargo.toml, or with
//! `extern crate … as agen_runtime`) could offer with safe code: the real runtime's items, except
//! that the name of its unsafe constructor is a `transmute`. The generator macros must never
//! reach an `unsafe` operation through such a path (`tests/ui-pass/renamed-runtime-*.rs`).

pub use agen_runtime::*;

/// The real internals, with the constructor's name taken over.
#[doc(hidden)]
pub mod __private {
    pub use agen_runtime::__private::*;
    pub use core::mem::transmute as new_gen;
}
