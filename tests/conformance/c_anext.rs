//! C. `anext`, exhaustion.
//!
//! C4 (`anext(g, default)`): the runtime has no such helper; `Step::yielded().unwrap_or(default)`
//! is the spelling, tested below. Throwing into an `anext` awaitable has no Rust counterpart.
//! C9 (async generator expressions / comprehensions): syntax sugar, out of the runtime's scope.

use std::pin::pin;

use agen_runtime::{GenState, Step};

use crate::support::{block_on, pending_for, yield_now, Log};

#[test]
fn c1_items_come_in_order_with_awaits_in_between() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            yield_now().await;
            co.yield_(123).await;
            pending_for(2).await;
            co.yield_(456).await;
            yield_now().await;
            co.yield_(789).await;
        }));
        let mut seen = Vec::new();
        while let Step::Yielded(item) = g.anext().await {
            seen.push(item);
        }
        assert_eq!(seen, [123, 456, 789]);
    });
}

#[test]
fn c1_a_bare_return_stops_the_iteration() {
    block_on(async {
        let stop = true;
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            co.yield_(1).await;
            co.yield_(2).await;
            if stop {
                return;
            }
            co.yield_(3).await;
        }));
        let mut seen = Vec::new();
        while let Step::Yielded(item) = g.anext().await {
            seen.push(item);
        }
        assert_eq!(seen, [1, 2]);
    });
}

#[test]
fn c2_the_end_is_reported_once_with_the_return_value_then_exhausted_without_payload() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), (), &'static str> |co| {
            co.yield_(1).await;
            "done"
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned("done"));
        let exhausted: Step<u32, &str> = g.anext().await;
        assert!(matches!(exhausted, Step::Exhausted));
    });
}

#[test]
fn c3_anext_after_exhaustion_reports_exhausted_forever() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            co.yield_(1).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(()));
        for _ in 0..5 {
            assert_eq!(g.anext().await, Step::Exhausted);
            assert_eq!(g.state(), GenState::Closed);
        }
    });
}

#[test]
fn c4_a_default_on_exhaustion_through_step_yielded() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            co.yield_(1).await;
        }));
        assert_eq!(g.anext().await.yielded().unwrap_or(99), 1);
        assert_eq!(g.anext().await.yielded().unwrap_or(99), 99);
        assert_eq!(g.anext().await.yielded().unwrap_or(99), 99);
    });
}

#[test]
fn c5_an_error_after_a_yield_comes_with_the_next_anext_and_closes() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), (), Result<(), String>> |co| {
            co.yield_(1).await;
            Err("ZeroDivisionError".to_string())?;
            co.yield_(2).await;
            Ok(())
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(
            g.anext().await,
            Step::Returned(Err("ZeroDivisionError".to_string()))
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

async fn failing_inner(fail: bool) -> Result<u32, &'static str> {
    yield_now().await;
    if fail {
        Err("inner failed")
    } else {
        Ok(7)
    }
}

#[test]
fn c5_an_error_from_an_awaited_future_propagates_through_question_mark() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), (), Result<(), &'static str>> |co| {
            co.yield_(failing_inner(false).await?).await;
            co.yield_(failing_inner(true).await?).await;
            co.yield_(0).await;
            Ok(())
        }));
        assert_eq!(g.anext().await, Step::Yielded(7));
        assert_eq!(g.anext().await, Step::Returned(Err("inner failed")));
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn c6_items_that_look_like_the_end_are_delivered_verbatim() {
    block_on(async {
        let mut g = pin!(agen!(<Option<u32>, (), ()> |co| {
            co.yield_(None).await;
            co.yield_(Some(1)).await;
            co.yield_(None).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(None));
        assert_eq!(g.anext().await, Step::Yielded(Some(1)));
        assert_eq!(g.anext().await, Step::Yielded(None));
        assert_eq!(g.anext().await, Step::Returned(()));

        let mut g = pin!(agen!(<Step<u8, u8>, (), ()> |co| {
            co.yield_(Step::Exhausted).await;
            co.yield_(Step::Returned(1)).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(Step::Exhausted));
        assert_eq!(g.anext().await, Step::Yielded(Step::Returned(1)));
        assert_eq!(g.anext().await, Step::Returned(()));
    });
}

#[test]
fn c7_a_body_whose_only_yield_is_unreachable_is_still_a_generator() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            l.push("ran");
            if l.get().len() > 5 {
                co.yield_(1).await;
            }
        }));
        assert_eq!(g.state(), GenState::Created, "no code runs on creation");
        assert_eq!(g.anext().await, Step::Returned(()));
        assert_eq!(g.anext().await, Step::Exhausted);
        assert_eq!(log.get(), ["ran"]);
    });
}

#[test]
fn c8_yields_during_error_cleanup_come_before_the_error() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), (), Result<(), &'static str>> |co| {
            // try: yield 1; 1/0  finally: yield 2; yield 3
            let outcome: Result<(), &'static str> = {
                co.yield_(1).await;
                Err("ZeroDivisionError")
            };
            co.yield_(2).await;
            co.yield_(3).await;
            outcome
        }));
        let mut seen = Vec::new();
        loop {
            match g.anext().await {
                Step::Yielded(item) => seen.push(format!("{item}")),
                Step::Returned(Err(error)) => seen.push(error.to_string()),
                Step::Returned(Ok(())) => seen.push("ok".to_string()),
                Step::Exhausted => {
                    seen.push("STOP".to_string());
                    break;
                }
            }
        }
        assert_eq!(seen, ["1", "2", "3", "ZeroDivisionError", "STOP"]);
    });
}

#[test]
fn c3_exit_outside_a_close_ends_the_body_and_anext_reports_exhausted() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, (), u32> |co| {
            co.yield_(1).await;
            l.push("exiting");
            match co.exit().await {}
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Exhausted);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, Step::Exhausted);
        assert_eq!(log.get(), ["exiting"]);
    });
}
