//! Doctests only: the README and the runtime's markdown docs, in edition 2024.

/// The README.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct Readme;

/// The runtime's crate docs.
#[doc = include_str!("../../../agen-runtime/docs/overview.md")]
#[cfg(doctest)]
pub struct Overview;

/// The reference of `#[async_generator]`.
#[doc = include_str!("../../../agen-runtime/docs/async_generator.md")]
#[cfg(doctest)]
pub struct AsyncGenerator;
