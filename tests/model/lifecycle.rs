//! Leaks, double drops and UB around the generator's end of life: forgotten after pinning in a
//! `Box`, dropped mid-step, dropped while a panic from its body unwinds, dropped while its body is
//! inside async cleanup. Miri runs these too (`cargo +nightly miri test --test model`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::Arc;

use std::pin::Pin;

use agen_runtime::{AsyncGen, Body, GenState, Step};

use crate::check::run_case;
use crate::harness::{block_on, perform, quiet_body_panics, scripted, Item, Sent, Thrown, World};
use crate::script::{BodyPanic, Call, Handlers, Method, Obs, OnClose, OnThrow, Op};

/// A catching yield point whose handlers each await `wait` times first.
fn catching(wait: u8, on_throw: OnThrow, on_close: OnClose) -> Op {
    Op::Catch(Handlers {
        throw_wait: wait,
        on_throw,
        close_wait: wait,
        on_close,
    })
}

/// Where a forgotten generator stays reachable from, so Miri's leak check (which ignores memory
/// reachable from a static) accepts a leak made on purpose. The pointers are never read.
static FORGOTTEN: [AtomicPtr<()>; 8] = [const { AtomicPtr::new(std::ptr::null_mut()) }; 8];
static NEXT_FORGOTTEN: AtomicUsize = AtomicUsize::new(0);

/// Drives a boxed generator through `calls`, then `mem::forget`s it: nothing may be dropped, no
/// body local, no item still inside, nothing may crash.
fn forget_after(script: &[Op], calls: &[Call], state: GenState) {
    quiet_body_panics();
    let world = World::new();
    let mut gen = Box::pin(scripted(script, &world));
    for (value, call) in (0..).zip(calls) {
        let Call::Step { method, polls } = *call else {
            unreachable!("no drop here")
        };
        let obs = block_on(perform(&mut gen.as_mut(), method, polls, value, &world));
        assert!(
            !matches!(obs, Obs::BodyPanicked | Obs::OtherPanic(_)),
            "{obs:?}"
        );
    }
    assert_eq!(gen.state(), state);
    let (live, drops) = (world.live_tokens(), world.total_drops());
    assert!(live > 0, "the body is alive before it is forgotten");
    let slot = NEXT_FORGOTTEN.fetch_add(1, Ordering::SeqCst);
    let address: *const _ = &*gen;
    std::mem::forget(gen);
    FORGOTTEN[slot].store(address.cast_mut().cast(), Ordering::SeqCst);
    assert_eq!(world.live_tokens(), live, "a forgotten body drops no local");
    assert_eq!(world.total_drops(), drops, "forgetting drops nothing");
    assert!(world.double_drops().is_empty());
}

#[test]
fn a_forgotten_boxed_generator_drops_nothing_in_any_state() {
    let body = [
        Op::Await(2),
        Op::Yield,
        catching(2, OnThrow::Resume, OnClose::Return),
        Op::Await(3),
        Op::Yield,
    ];
    // Created, and never started.
    forget_after(&body, &[], GenState::Created);
    // Suspended at a plain yield point.
    forget_after(&body, &[Call::step(Method::Anext)], GenState::Suspended);
    // Suspended at a catching yield point.
    forget_after(
        &body,
        &[Call::step(Method::Anext), Call::step(Method::Anext)],
        GenState::Suspended,
    );
    // Parked at an inner await of an interrupted anext.
    forget_after(
        &body,
        &[Call::interrupt(Method::Anext, 1)],
        GenState::Running,
    );
    // Inside async cleanup: an interrupted aclose.
    forget_after(
        &body,
        &[
            Call::step(Method::Anext),
            Call::step(Method::Anext),
            Call::interrupt(Method::Aclose, 1),
        ],
        GenState::Running,
    );
}

#[test]
fn dropped_mid_step_after_each_method() {
    let body = [
        Op::Await(2),
        catching(2, OnThrow::Resume, OnClose::Return),
        Op::Await(2),
        catching(2, OnThrow::Resume, OnClose::Exit),
    ];
    // anext interrupted while starting, then the generator dropped.
    run_case(&body, &[Call::interrupt(Method::Anext, 1), Call::DropGen]);
    // asend interrupted at the inner await after the yield point.
    run_case(
        &body,
        &[
            Call::step(Method::Anext),
            Call::interrupt(Method::Asend, 2),
            Call::DropGen,
        ],
    );
    // athrow interrupted inside its handler (the generator is closed by the dropped future).
    run_case(
        &body,
        &[
            Call::step(Method::Anext),
            Call::interrupt(Method::Athrow, 1),
            Call::DropGen,
        ],
    );
    // anext finishing an interrupted asend, itself interrupted again.
    run_case(
        &body,
        &[
            Call::step(Method::Anext),
            Call::interrupt(Method::Asend, 1),
            Call::interrupt(Method::Anext, 1),
            Call::DropGen,
        ],
    );
}

/// Runs `calls` on a generator inside `catch_unwind`, letting the body's panic unwind through
/// the step and the scope that owns the generator, so the generator is dropped while unwinding.
/// Returns the world to check.
fn drop_while_unwinding(script: &[Op], calls: &[Method], boxed: bool) -> Arc<World> {
    quiet_body_panics();
    let world = World::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let gen = scripted(script, &world);
        if boxed {
            run_unguarded(Box::pin(gen).as_mut(), calls, &world);
        } else {
            run_unguarded(std::pin::pin!(gen), calls, &world);
        }
    }));
    let payload = result.expect_err("the body panics");
    assert!(payload.downcast_ref::<BodyPanic>().is_some());
    world
}

/// Makes `calls` with nothing to catch a panic.
fn run_unguarded<B>(mut gen: Pin<&mut AsyncGen<B>>, calls: &[Method], world: &Arc<World>)
where
    B: Body<Yield = Item, Send = Sent, Throw = Thrown, Return = Item>,
{
    for (value, &method) in (0..).zip(calls) {
        match method {
            Method::Anext => drop(block_on(gen.anext())),
            Method::Asend => drop(block_on(gen.asend(world.sent(value)))),
            Method::Athrow => drop(block_on(gen.athrow(world.thrown(value)))),
            Method::Aclose => drop(block_on(gen.aclose())),
        }
    }
}

#[test]
fn dropped_while_a_panic_from_its_body_unwinds() {
    let cases: [(&[Op], &[Method]); 5] = [
        // Panics while starting.
        (&[Op::Await(1), Op::Panic], &[Method::Anext]),
        // Panics after a yield, holding locals across it.
        (
            &[Op::Yield, Op::Await(2), Op::Panic],
            &[Method::Anext, Method::Asend],
        ),
        // Panics in a throw handler, inside the athrow (whose future's `Drop` runs too).
        (
            &[catching(2, OnThrow::Panic, OnClose::Return)],
            &[Method::Anext, Method::Athrow],
        ),
        // Panics in async cleanup, inside the aclose.
        (
            &[catching(2, OnThrow::Resume, OnClose::Panic)],
            &[Method::Anext, Method::Aclose],
        ),
        // Panics in the script, resumed by a caught throw.
        (
            &[catching(1, OnThrow::Resume, OnClose::Return), Op::Panic],
            &[Method::Anext, Method::Athrow],
        ),
    ];
    for boxed in [true, false] {
        for (script, calls) in cases {
            let world = drop_while_unwinding(script, calls, boxed);
            assert_eq!(
                world.live_tokens(),
                0,
                "{script:?}: every body local dropped"
            );
            let wrong = world.not_dropped_once();
            assert!(wrong.is_empty(), "{script:?}: not dropped once: {wrong:?}");
        }
    }
}

#[test]
fn dropped_while_its_body_is_inside_async_cleanup() {
    quiet_body_panics();
    let world = World::new();
    {
        let mut gen = Box::pin(scripted(
            &[catching(3, OnThrow::Resume, OnClose::Return)],
            &world,
        ));
        let mut gen = gen.as_mut();
        let first = block_on(gen.anext());
        assert!(matches!(first, Step::Yielded(_)));
        drop(first);
        // The aclose starts the cleanup, which is parked at its first await; then it is dropped.
        let obs = block_on(perform(&mut gen, Method::Aclose, Some(1), 0, &world));
        assert_eq!(obs, Obs::Interrupted);
        assert_eq!(gen.state(), GenState::Running);
        assert!(gen.is_exhausted(), "a close is under way");
        // The cleanup's own local is alive, with the frame and the yield point's.
        assert!(world.live_tokens() >= 3);
        // anext reports exhaustion and leaves the close as it is.
        assert_eq!(block_on(gen.anext()).returned().map(|item| item.id()), None);
        assert_eq!(gen.state(), GenState::Running);
    }
    // The generator was dropped with its cleanup half done: every local dropped once, and the
    // cleanup never returned its value (only the first item was made).
    assert_eq!(world.live_tokens(), 0);
    assert!(world.not_dropped_once().is_empty());
    assert_eq!(world.items_made(), [0]);

    // The same through the model, with the cleanup interrupted twice and resumed once.
    let script = [catching(3, OnThrow::Resume, OnClose::Return)];
    run_case(
        &script,
        &[
            Call::step(Method::Anext),
            Call::interrupt(Method::Aclose, 1),
            Call::interrupt(Method::Aclose, 1),
            Call::DropGen,
        ],
    );
}
