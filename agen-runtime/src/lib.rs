#![doc = include_str!("../docs/overview.md")]
#![no_std]
#![warn(missing_docs)]

mod body;
mod delegate;
mod error;
mod exchange;
mod gen;
mod looping;
mod macros;
mod parts;
mod pointer;
mod scope;
mod step;
mod stream;
mod yield_point;

#[doc = include_str!("../docs/async_generator.md")]
#[doc(inline)]
pub use agen_macros::async_generator;
pub use body::Body;
pub use delegate::Delegated;
pub use error::{CloseIgnored, NoSend, NoThrow, SendError, ThrowError};
pub use gen::{AsyncGen, GenState};
pub use pointer::{AsGenerator, PinnedGenerator};
pub use scope::{aclosing, Closed};
pub use step::{Aclose, Anext, Asend, Athrow, Step};
pub use stream::{Items, StreamReturn};
pub use yield_point::Resume;

// The README's examples are compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// What the macro expansion names. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::__body as body;
    pub use crate::delegate::{
        check, delegate, Catch, Check, Delegation, GeneratorDelegation, GeneratorOrStream, Kind,
        Mode, NotDelegable, Probe, ProbeGenerator, ProbeNeither, ProbeStream, SameItem,
        SameProtocol, StreamDelegation,
    };
    pub use crate::gen::{new_gen, MakeGen, PinTheGeneratorFirst};
    pub use crate::looping::{
        loop_operand, BodyEnd, Branch, ForAwait, ForAwaitGenerator, ForAwaitStream, FromResidual,
        Interrupted, LoopExit, Loopable, NotLoopable, ReturnType,
    };
    pub use crate::step::AwaitTheStep;
    pub use crate::yield_point::{
        sent, CatchingYield, Co, Exit, Here, PlainYield, Protocol, Raise, Resumed, Slot, YieldAs,
        YieldPoint,
    };
    pub use agen_macros::{async_gen, for_await, try_finally};
    pub use core;

    /// What a plain yield point evaluates to, named by `__body!`'s `plain` argument: `option`
    /// (the sent value) for a generator with a send type, `unit` for one without. The argument
    /// is an identifier looked up in this module only, so no input can make the body call
    /// anything else.
    pub mod plain {
        pub use crate::yield_point::{sent as option, unsent as unit};
    }

    /// Names lifetimes in an `impl Trait` bound so that edition 2021 lets the hidden type use
    /// them (edition 2024 captures every lifetime in scope anyway): `impl Body<…> +
    /// Captures<(&'a (), &'agen Self)>`. Implemented for every type, so it constrains nothing.
    pub trait Captures<T: ?Sized> {}

    impl<T: ?Sized, U: ?Sized> Captures<T> for U {}
}
