//! Generators behind pinned pointers (`Pin<Box<AsyncGen<_>>>`, `Pin<&mut AsyncGen<_>>`) keep the
//! whole protocol in `for_await!`, `yield_from!` and `aclosing`, and through `PinnedGenerator`:
//! sends and throws reach them, a close runs their async cleanup, their return value comes back.
//! A loop closes a generator it owns when left early, and leaves one it borrows suspended.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};

use agen_runtime::{
    aclosing, async_generator, for_await, yield_catch, yield_from, GenState, PinnedGenerator,
    Resume, Step, ThrowError,
};

#[path = "common/log.rs"]
mod logging;
use logging::{entries, log, note, run, yield_now, Log};

#[derive(Debug, PartialEq)]
struct Fault(u32);

/// Counts up from `from`; a sent value jumps there, a thrown `Fault(n)` is logged and answered
/// with `n`, a close runs async cleanup. Returns the last value it yielded.
#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn counter(name: &'static str, from: u32, log: Log) -> u32 {
    let mut n = from;
    loop {
        match yield_catch!(n) {
            Resume::Next => n += 1,
            Resume::Send(to) => n = to,
            Resume::Throw(Fault(answer)) => {
                note(&log, format!("{name} caught {answer}"));
                n = answer;
            }
            Resume::Close => {
                yield_now().await;
                note(&log, format!("{name} cleanup"));
                return n;
            }
        }
    }
}

/// Yields `count` items and returns how many it yielded.
#[async_generator(yield = u32)]
async fn numbers(count: u32, log: Log) -> u32 {
    for n in 0..count {
        if let Resume::Close = yield_catch!(n) {
            yield_now().await;
            note(&log, "numbers cleanup");
            return n;
        }
    }
    count
}

#[test]
fn a_boxed_generator_left_early_by_a_loop_is_closed_before_the_code_after_it() {
    let log = log();
    run(async {
        for_await!(for n in Box::pin(counter("boxed", 0, log.clone())) {
            note(&log, format!("item {n}"));
            if n == 1 {
                break;
            }
        });
        note(&log, "after the loop");
    });
    assert_eq!(
        entries(&log),
        ["item 0", "item 1", "boxed cleanup", "after the loop"]
    );
}

#[test]
fn a_boxed_generator_with_a_return_value_is_iterated_and_closed() {
    // A generator that returns `u32` is no `Stream`: the loop takes it as a generator.
    let log = log();
    let seen = run(async {
        let mut seen = Vec::new();
        for_await!(for n in Box::pin(numbers(5, log.clone())) {
            if n == 2 {
                break;
            }
            seen.push(n);
        });
        seen
    });
    assert_eq!(seen, [0, 1]);
    assert_eq!(entries(&log), ["numbers cleanup"]);
}

#[test]
fn a_borrowed_generator_left_early_by_a_loop_stays_suspended_for_the_code_after_it() {
    let log = log();
    run(async {
        let mut gen = pin!(counter("borrowed", 0, log.clone()));
        for_await!(for n in gen.as_mut() {
            if n == 1 {
                break;
            }
        });
        assert_eq!(gen.state(), GenState::Suspended);
        // Where the loop left it: the next item follows the one the loop broke on.
        assert_eq!(gen.anext().await, Step::Yielded(2));
        assert_eq!(gen.aclose().await, Ok(Some(2)));
    });
    assert_eq!(entries(&log), ["borrowed cleanup"]);
}

#[test]
fn delegation_to_a_boxed_generator_forwards_send_throw_and_close() {
    #[async_generator(yield = u32, send = u32, throw = Fault)]
    async fn outer(log: Log) -> u32 {
        let last = yield_from!(Box::pin(counter("inner", 0, log.clone())));
        note(&log, format!("inner returned {last}"));
        last
    }
    let log = log();
    run(async {
        let mut gen = pin!(outer(log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(0));
        assert_eq!(gen.asend(50).await, Ok(Step::Yielded(50)));
        assert_eq!(gen.athrow(Fault(7)).await, Ok(Step::Yielded(7)));
        assert_eq!(gen.anext().await, Step::Yielded(8));
        // The close reaches the inner, whose async cleanup runs; the outer ends closed.
        assert_eq!(gen.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["inner caught 7", "inner cleanup"]);
}

#[test]
fn delegation_to_a_boxed_generator_evaluates_to_its_return_value() {
    #[async_generator(yield = u32)]
    async fn outer(log: Log) -> u32 {
        let first = yield_from!(Box::pin(numbers(2, log.clone())));
        let second = yield_from!(Box::pin(numbers(1, log)));
        first + second
    }
    let log = log();
    let steps = run(async {
        let mut gen = pin!(outer(log.clone()));
        let mut steps = Vec::new();
        loop {
            let step = gen.anext().await;
            let done = !matches!(step, Step::Yielded(_));
            steps.push(step);
            if done {
                break steps;
            }
        }
    });
    assert_eq!(
        steps,
        [
            Step::Yielded(0),
            Step::Yielded(1),
            Step::Yielded(0),
            Step::Returned(3)
        ]
    );
}

#[test]
fn delegation_to_a_borrowed_generator_goes_on_where_it_is_and_leaves_it_finished() {
    #[async_generator(yield = u32)]
    async fn outer(log: Log) -> u32 {
        let mut inner = pin!(numbers(3, log));
        // Started by hand first: delegation resumes it from its yield point.
        assert_eq!(inner.anext().await, Step::Yielded(0));
        let count = yield_from!(inner.as_mut());
        assert_eq!(inner.state(), GenState::Closed);
        count
    }
    let steps = run(async {
        let mut gen = pin!(outer(log()));
        [gen.anext().await, gen.anext().await, gen.anext().await]
    });
    assert_eq!(
        steps,
        [Step::Yielded(1), Step::Yielded(2), Step::Returned(3)]
    );
}

#[test]
fn a_close_forwarded_to_a_borrowed_generator_runs_its_async_cleanup() {
    #[async_generator(yield = u32, send = u32, throw = Fault)]
    async fn outer(log: Log) -> u32 {
        let mut inner = pin!(counter("inner", 10, log.clone()));
        yield_from!(inner.as_mut())
    }
    let log = log();
    run(async {
        let mut gen = pin!(outer(log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(10));
        assert_eq!(gen.asend(40).await, Ok(Step::Yielded(40)));
        assert_eq!(gen.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["inner cleanup"]);
}

/// PEP 380's motivating case: a generator that delegates to itself, through `Box::pin`. Each
/// level delegates one level deeper; the innermost is a counter.
#[async_generator(yield = u32, send = u32, throw = Fault)]
async fn nested(depth: u32, log: Log) -> u32 {
    let _guard = Guard(depth, log.clone());
    if depth == 0 {
        return yield_from!(Box::pin(counter("innermost", 100, log)));
    }
    let result = yield_from!(Box::pin(nested(depth - 1, log.clone())));
    note(&log, format!("level {depth} got {result}"));
    result + 1
}

/// As `nested`, with `numbers` innermost, which returns.
#[async_generator(yield = u32)]
async fn nested_numbers(depth: u32, log: Log) -> u32 {
    if depth == 0 {
        return yield_from!(Box::pin(numbers(2, log)));
    }
    let result = yield_from!(Box::pin(nested_numbers(depth - 1, log.clone())));
    note(&log, format!("level {depth} got {result}"));
    result + 1
}

/// Logs when a level's body is dropped.
struct Guard(u32, Log);

impl Drop for Guard {
    fn drop(&mut self) {
        note(&self.1, format!("level {} dropped", self.0));
    }
}

#[test]
fn recursive_delegation_three_levels_deep_forwards_sends_and_runs_every_cleanup() {
    let log = log();
    run(async {
        let mut gen = pin!(nested(3, log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(100));
        // The send and the throw cross three levels of delegation to the innermost counter.
        assert_eq!(gen.asend(7).await, Ok(Step::Yielded(7)));
        assert_eq!(gen.athrow(Fault(3)).await, Ok(Step::Yielded(3)));
        assert_eq!(gen.aclose().await, Ok(None));
    });
    // The innermost counter's async cleanup ran first; then every level, from the innermost
    // out, ended as closed, its locals dropped, none of its code after `yield_from!` run.
    assert_eq!(
        entries(&log),
        [
            "innermost caught 3",
            "innermost cleanup",
            "level 0 dropped",
            "level 1 dropped",
            "level 2 dropped",
            "level 3 dropped"
        ]
    );
}

#[test]
fn recursive_delegation_returns_through_every_level() {
    let log = log();
    let steps = run(async {
        let mut gen = pin!(nested_numbers(3, log.clone()));
        let mut steps = Vec::new();
        loop {
            let step = gen.anext().await;
            let done = !matches!(step, Step::Yielded(_));
            steps.push(step);
            if done {
                break steps;
            }
        }
    });
    assert_eq!(
        steps,
        [Step::Yielded(0), Step::Yielded(1), Step::Returned(5)]
    );
    assert_eq!(
        entries(&log),
        ["level 1 got 2", "level 2 got 3", "level 3 got 4"]
    );
}

#[test]
fn aclosing_takes_a_boxed_or_a_borrowed_generator() {
    let log = log();
    run(async {
        let closed = aclosing(
            Box::pin(counter("boxed", 0, log.clone())),
            async |mut gen| gen.anext().await,
        )
        .await;
        assert_eq!(closed.value, Step::Yielded(0));
        assert_eq!(closed.close, Ok(Some(0)));

        let mut borrowed = pin!(counter("borrowed", 5, log.clone()));
        let closed = aclosing(borrowed.as_mut(), async |mut gen| gen.anext().await).await;
        assert_eq!(closed.value, Step::Yielded(5));
        assert_eq!(borrowed.state(), GenState::Closed);
    });
    assert_eq!(entries(&log), ["boxed cleanup", "borrowed cleanup"]);
}

#[test]
fn a_boxed_generator_is_driven_directly_through_pinned_generator() {
    let log = log();
    run(async {
        let mut gen = Box::pin(counter("boxed", 0, log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(0));
        assert_eq!(gen.asend(9).await, Ok(Step::Yielded(9)));
        assert_eq!(gen.athrow(Fault(4)).await, Ok(Step::Yielded(4)));
        assert_eq!(gen.state(), GenState::Suspended);
        assert_eq!(gen.aclose().await, Ok(Some(4)));
        assert_eq!(
            gen.athrow(Fault(1)).await,
            Err(ThrowError::Exhausted(Fault(1)))
        );
    });
    assert_eq!(entries(&log), ["boxed caught 4", "boxed cleanup"]);
}

#[test]
fn delegation_to_an_exhausted_borrowed_generator_panics_with_a_message() {
    #[async_generator(yield = u32)]
    async fn outer(log: Log) -> u32 {
        let mut inner = pin!(numbers(1, log));
        while let Step::Yielded(_) = inner.anext().await {}
        yield_from!(inner.as_mut())
    }
    let panic = catch_unwind(AssertUnwindSafe(|| {
        run(async {
            let mut gen = pin!(outer(log()));
            gen.anext().await
        })
    }))
    .expect_err("delegating to an exhausted generator panics");
    let message = panic.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(message.contains("exhausted"), "{message}");
}

/// A generator reached through a pointer type of the user's own is a generator too.
#[test]
fn a_pinned_pointer_of_any_kind_is_a_generator() {
    struct Handle<'a, G>(&'a mut G);
    impl<G> std::ops::Deref for Handle<'_, G> {
        type Target = G;
        fn deref(&self) -> &G {
            self.0
        }
    }
    impl<G> std::ops::DerefMut for Handle<'_, G> {
        fn deref_mut(&mut self) -> &mut G {
            self.0
        }
    }
    let log = log();
    run(async {
        let mut gen = pin!(counter("handle", 0, log.clone()));
        // SAFETY: the generator is pinned on this stack frame, and the handle only reaches it.
        let mut handle: Pin<Handle<'_, _>> =
            unsafe { Pin::new_unchecked(Handle(gen.as_mut().get_unchecked_mut())) };
        assert_eq!(handle.anext().await, Step::Yielded(0));
        assert_eq!(handle.asend(3).await, Ok(Step::Yielded(3)));
    });
}

/// `&mut Pin<Box<AsyncGen<_>>>` is a `Stream` too; it is taken as a borrowed generator.
#[test]
fn a_mutable_reference_to_a_boxed_generator_is_a_borrowed_generator() {
    #[async_generator(yield = u32, send = u32, throw = Fault)]
    async fn outer(log: Log) -> u32 {
        let mut inner = Box::pin(counter("inner", 0, log));
        yield_from!(&mut inner)
    }
    let log = log();
    run(async {
        let mut boxed = Box::pin(counter("boxed", 0, log.clone()));
        for_await!(for n in &mut boxed {
            if n == 1 {
                break;
            }
        });
        // Borrowed: not closed by the loop.
        assert_eq!(boxed.anext().await, Step::Yielded(2));
        let delegated = aclosing(&mut boxed, async |mut gen| gen.asend(20).await).await;
        assert_eq!(delegated.value, Ok(Step::Yielded(20)));
        assert_eq!(delegated.close, Ok(Some(20)));
    });
    run(async {
        let mut gen = pin!(outer(log.clone()));
        assert_eq!(gen.anext().await, Step::Yielded(0));
        assert_eq!(gen.asend(5).await, Ok(Step::Yielded(5)));
        assert_eq!(gen.aclose().await, Ok(None));
    });
    assert_eq!(entries(&log), ["boxed cleanup", "inner cleanup"]);
}

/// A box around a borrow owns only the borrow: the loop leaves the generator suspended.
#[test]
fn a_boxed_borrow_of_a_generator_is_a_borrow() {
    let log = log();
    run(async {
        let mut gen = pin!(counter("borrowed", 0, log.clone()));
        for_await!(for n in Box::pin(gen.as_mut()) {
            if n == 1 {
                break;
            }
        });
        assert_eq!(gen.state(), GenState::Suspended);
        assert_eq!(gen.anext().await, Step::Yielded(2));
    });
    assert!(entries(&log).is_empty());
}
