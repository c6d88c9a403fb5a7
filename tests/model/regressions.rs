//! Fixed cases, run as ordinary tests: the model suite found no counterexample in the runtime,
//! so these pin the sequences whose rules are the easiest to get wrong (each was also the shrunk
//! counterexample the property tests reported against a deliberately broken model, to check that
//! they catch such mistakes). Add any shrunk counterexample proptest reports here.

use crate::check::run_case;
use crate::script::{Call, Handlers, Method, OnClose, OnThrow, Op};

fn catching(throw_wait: u8, on_throw: OnThrow, close_wait: u8, on_close: OnClose) -> Op {
    Op::Catch(Handlers {
        throw_wait,
        on_throw,
        close_wait,
        on_close,
    })
}

/// An `athrow` dropped inside its handler closes the generator; it is not left in flight.
#[test]
fn an_interrupted_athrow_closes_the_generator() {
    run_case(
        &[catching(2, OnThrow::Resume, 0, OnClose::Return), Op::Yield],
        &[
            Call::step(Method::Anext),
            Call::interrupt(Method::Athrow, 1),
            Call::step(Method::Anext),
            Call::step(Method::Athrow),
        ],
    );
}

/// An interrupted `anext` / `asend` is finished by the next `anext`; `asend` and `athrow` meanwhile
/// hand their values back (`Running`), and a never-polled step future changes nothing.
#[test]
fn an_interrupted_step_is_finished_by_anext() {
    run_case(
        &[
            Op::Yield,
            Op::Await(3),
            catching(1, OnThrow::Resume, 1, OnClose::Exit),
        ],
        &[
            Call::step(Method::Anext),
            Call::interrupt(Method::Asend, 2),
            Call::step(Method::Asend),
            Call::step(Method::Athrow),
            Call::interrupt(Method::Aclose, 0),
            Call::interrupt(Method::Athrow, 0),
            Call::step(Method::Anext),
            Call::step(Method::Athrow),
            Call::step(Method::Anext),
        ],
    );
}

/// An interrupted close reads as exhausted to `anext`, refuses `asend` / `athrow`, and is resumed
/// where it was by the next `aclose`.
#[test]
fn an_interrupted_close_is_resumed_by_aclose() {
    run_case(
        &[catching(0, OnThrow::Resume, 3, OnClose::Return)],
        &[
            Call::step(Method::Anext),
            Call::interrupt(Method::Aclose, 2),
            Call::step(Method::Anext),
            Call::step(Method::Asend),
            Call::step(Method::Athrow),
            Call::interrupt(Method::Aclose, 1),
            Call::step(Method::Aclose),
            Call::step(Method::Aclose),
        ],
    );
}

/// `aclose` on an interrupted `anext` drops the body.
#[test]
fn aclose_drops_an_interrupted_step() {
    run_case(
        &[Op::Await(2), Op::Yield],
        &[
            Call::interrupt(Method::Anext, 1),
            Call::step(Method::Aclose),
            Call::step(Method::Anext),
        ],
    );
}

/// A body that yields while being closed: the item comes back in `CloseIgnored`, the generator is
/// closed and its body dropped.
#[test]
fn a_yield_during_close_is_handed_back_and_closes() {
    run_case(
        &[catching(0, OnThrow::Resume, 2, OnClose::Yield), Op::Yield],
        &[
            Call::step(Method::Anext),
            Call::step(Method::Aclose),
            Call::step(Method::Anext),
            Call::step(Method::Aclose),
        ],
    );
}

/// A re-raised error comes back as `Uncaught`, after the handler's awaits.
#[test]
fn a_reraised_error_comes_back_uncaught() {
    run_case(
        &[catching(2, OnThrow::Raise, 0, OnClose::Return), Op::Yield],
        &[
            Call::step(Method::Anext),
            Call::step(Method::Athrow),
            Call::step(Method::Anext),
        ],
    );
}

/// `exit` outside a close ends the body with `Exhausted`; inside a close `aclose` gives `None`.
#[test]
fn exit_inside_and_outside_a_close() {
    run_case(
        &[Op::Yield, Op::Exit],
        &[
            Call::step(Method::Anext),
            Call::step(Method::Asend),
            Call::step(Method::Anext),
        ],
    );
    run_case(
        &[catching(0, OnThrow::Resume, 1, OnClose::Exit)],
        &[Call::step(Method::Anext), Call::step(Method::Aclose)],
    );
}

/// Panics from the body, the throw handler and the cleanup propagate and leave it closed.
#[test]
fn panics_close_the_generator() {
    for (script, calls) in [
        (
            vec![Op::Await(1), Op::Panic],
            vec![Call::step(Method::Anext)],
        ),
        (
            vec![catching(1, OnThrow::Panic, 0, OnClose::Return)],
            vec![Call::step(Method::Anext), Call::step(Method::Athrow)],
        ),
        (
            vec![catching(0, OnThrow::Resume, 2, OnClose::Panic)],
            vec![
                Call::step(Method::Anext),
                Call::interrupt(Method::Aclose, 1),
                Call::step(Method::Aclose),
            ],
        ),
    ] {
        let mut calls = calls;
        calls.extend([
            Call::step(Method::Anext),
            Call::step(Method::Aclose),
            Call::step(Method::Athrow),
        ]);
        run_case(&script, &calls);
    }
}
