//! Re-exports agen, as a crate that builds on it would.
pub use agen_runtime as agen;
