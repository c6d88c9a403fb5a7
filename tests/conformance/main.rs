//! Conformance suite for `agen-runtime`: tests of the rules of sections A–H of
//! `docs/protocol.md`, named by rule id, driven through the runtime's unsafe constructor
//! (wrapped once in `support::agen!`). Runs under Miri: no tokio here, small loop counts.

#[macro_use]
mod support;

mod a_lifecycle;
mod auto_traits;
mod b_asend;
mod c_anext;
mod d_athrow;
mod e_aclose;
mod f_running;
mod g_reuse;
mod h_return;
mod panics;
mod stream;
