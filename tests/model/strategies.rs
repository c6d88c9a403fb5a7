//! Random scripts and call sequences.

use proptest::collection::vec;
use proptest::prelude::*;

use crate::script::{Call, Handlers, Method, OnClose, OnThrow, Op};

fn wait() -> impl Strategy<Value = u8> {
    prop_oneof![2 => Just(0u8), 1 => 1u8..=3]
}

fn handlers() -> impl Strategy<Value = Handlers> {
    let on_throw = prop_oneof![
        5 => Just(OnThrow::Resume),
        2 => Just(OnThrow::Return),
        2 => Just(OnThrow::Raise),
        1 => Just(OnThrow::Panic),
    ];
    let on_close = prop_oneof![
        3 => Just(OnClose::Return),
        3 => Just(OnClose::Exit),
        2 => Just(OnClose::Yield),
        1 => Just(OnClose::Panic),
    ];
    (wait(), on_throw, wait(), on_close).prop_map(|(throw_wait, on_throw, close_wait, on_close)| {
        Handlers {
            throw_wait,
            on_throw,
            close_wait,
            on_close,
        }
    })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => Just(Op::Yield),
        8 => handlers().prop_map(Op::Catch),
        5 => (0u8..=3).prop_map(Op::Await),
        1 => Just(Op::Panic),
        1 => Just(Op::Return),
        1 => Just(Op::Exit),
    ]
}

/// A body's script: up to 12 ops (running off the end returns).
pub fn script() -> impl Strategy<Value = Vec<Op>> {
    vec(op(), 0..12)
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        6 => Just(Method::Anext),
        3 => Just(Method::Asend),
        3 => Just(Method::Athrow),
        2 => Just(Method::Aclose),
    ]
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        // Driven to completion.
        8 => method().prop_map(|method| Call::Step { method, polls: None }),
        // Polled 0 to 3 times, dropped if still pending.
        6 => (method(), 0u8..=3).prop_map(|(method, n)| Call::Step { method, polls: Some(n) }),
        1 => Just(Call::DropGen),
    ]
}

/// The consumer's calls: up to 16.
pub fn calls() -> impl Strategy<Value = Vec<Call>> {
    vec(call(), 0..16)
}

/// Handlers that mostly survive a throw, so a generator stays alive through many calls.
fn lasting_handlers() -> impl Strategy<Value = Handlers> {
    let on_throw = prop_oneof![
        8 => Just(OnThrow::Resume),
        1 => Just(OnThrow::Return),
        1 => Just(OnThrow::Raise),
    ];
    let on_close = prop_oneof![
        1 => Just(OnClose::Return),
        1 => Just(OnClose::Exit),
        1 => Just(OnClose::Yield),
        1 => Just(OnClose::Panic),
    ];
    (1u8..=3, on_throw, 0u8..=3, on_close).prop_map(
        |(throw_wait, on_throw, close_wait, on_close)| Handlers {
            throw_wait,
            on_throw,
            close_wait,
            on_close,
        },
    )
}

/// A long-lived body: catching yields and awaits only, 6 to 16 of them, so calls reach the
/// interrupted (`Running`) states and interrupted closes often.
pub fn lasting_script() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        6 => lasting_handlers().prop_map(Op::Catch),
        1 => Just(Op::Yield),
        4 => (1u8..=3).prop_map(Op::Await),
    ];
    vec(op, 6..16)
}

/// Calls that interrupt often and close rarely.
pub fn interrupting_calls() -> impl Strategy<Value = Vec<Call>> {
    let method = prop_oneof![
        6 => Just(Method::Anext),
        2 => Just(Method::Asend),
        2 => Just(Method::Athrow),
        1 => Just(Method::Aclose),
    ];
    let call = prop_oneof![
        4 => method.clone().prop_map(|method| Call::Step { method, polls: None }),
        6 => (method, 1u8..=3).prop_map(|(method, n)| Call::Step { method, polls: Some(n) }),
    ];
    vec(call, 4..20)
}
