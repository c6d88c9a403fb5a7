//! D. `athrow(error)`.
//!
//! D6 (`athrow(GeneratorExit)` is not `aclose`): the thrown type is the generator's own `E`;
//! there is no close value a caller could throw, `Resume::Close` only comes from `aclose`.
//! D7 (a thrown `StopIteration` becomes `RuntimeError`): exhaustion is `Step::Exhausted`, not an
//! error value, so there is nothing to rewrap (see H4 in `h_return.rs`).
//! D10 (legacy and malformed `athrow` signatures): `athrow(error: E)` takes exactly one typed
//! argument; all of it is checked at compile time.

use std::pin::pin;

use agen_runtime::{GenState, Resume, Step, ThrowError};

use crate::support::{block_on, block_on_counting, pending_for, yield_now, DropCount, Log, Token};

#[test]
fn d1_athrow_on_created_hands_the_error_back_and_closes_without_running_the_body() {
    block_on(async {
        let log = Log::new();
        let drops = DropCount::new();
        let (l, token) = (log.clone(), drops.token());
        let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
            let _token = token;
            l.push("body");
            co.yield_catching(1).await;
        }));
        let error = g.athrow("boom").await.unwrap_err();
        assert_eq!(error, ThrowError::Uncaught("boom"));
        assert_eq!(error.to_string(), "boom");
        assert_eq!(error.into_error(), "boom");
        assert_eq!(g.state(), GenState::Closed);
        assert!(log.get().is_empty(), "the body never ran");
        assert_eq!(drops.get(), 1, "the unstarted body was dropped");
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn d2_a_caught_error_that_yields_again_returns_that_item() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
            let mut item = 1000;
            loop {
                match co.yield_catching(item).await {
                    Resume::Throw(error) => {
                        l.push(format!("caught {error}"));
                        item = 2000;
                    }
                    Resume::Next => item += 1,
                    Resume::Send(_) | Resume::Close => return,
                }
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1000));
        assert_eq!(g.athrow("ZeroDivisionError").await, Ok(Step::Yielded(2000)));
        assert_eq!(g.state(), GenState::Suspended);
        assert_eq!(
            g.anext().await,
            Step::Yielded(2001),
            "the body goes on afterwards"
        );
        assert_eq!(log.get(), ["caught ZeroDivisionError"]);
    });
}

#[test]
fn d3_a_caught_error_that_finishes_the_body_returns_its_value() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, &'static str, String> |co| {
            match co.yield_catching(1).await {
                Resume::Throw(error) => format!("recovered from {error}"),
                _ => String::from("not thrown"),
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(
            g.athrow("boom").await,
            Ok(Step::Returned("recovered from boom".to_string()))
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn d4_athrow_at_a_plain_yield_point_hands_the_error_back_and_drops_the_body() {
    block_on(async {
        let log = Log::new();
        let locals = DropCount::new();
        let thrown = DropCount::new();
        let (l, token) = (log.clone(), locals.token());
        let mut g = pin!(agen!(<u32, u32, Token> |co| {
            let _token = token;
            co.yield_(1).await;
            l.push("after the yield");
            co.yield_(2).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        let back = match g.athrow(thrown.token()).await {
            Err(ThrowError::Uncaught(error)) => error,
            other => panic!("expected Uncaught, got {other:?}"),
        };
        assert_eq!(thrown.get(), 0, "the very error comes back");
        drop(back);
        assert_eq!(thrown.get(), 1);
        assert_eq!(locals.get(), 1, "the body's locals were dropped");
        assert!(
            log.get().is_empty(),
            "no body code ran after the yield point"
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn d4_a_catching_body_reraises_through_its_return_value() {
    block_on(async {
        let mut g = pin!(
            agen!(<u32, u32, &'static str, Result<(), &'static str>> |co| {
                match co.yield_catching(1).await {
                    Resume::Throw(error) => Err(error),
                    _ => Ok(()),
                }
            })
        );
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.athrow("boom").await, Ok(Step::Returned(Err("boom"))));
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn d4_a_catching_body_that_raises_the_error_hands_it_back_uncaught() {
    block_on(async {
        let log = Log::new();
        let locals = DropCount::new();
        let thrown = DropCount::new();
        let (l, token) = (log.clone(), locals.token());
        let mut g = pin!(agen!(<u32, u32, Token> |co| {
            let _token = token;
            if let Resume::Throw(error) = co.yield_catching(1).await {
                l.push("except");
                yield_now().await;
                match co.raise(error).await {}
            }
            l.push("not reached");
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        let back = match g.athrow(thrown.token()).await {
            Err(ThrowError::Uncaught(error)) => error,
            other => panic!("expected Uncaught, got {other:?}"),
        };
        assert_eq!(thrown.get(), 0, "the very error comes back");
        assert_eq!(locals.get(), 1, "the body was dropped");
        drop(back);
        assert_eq!(thrown.get(), 1);
        assert_eq!(log.get(), ["except"]);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn d5_a_catching_body_that_raises_a_different_error_hands_that_one_back() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, String> |co| {
            if let Resume::Throw(error) = co.yield_catching(1).await {
                match co.raise(format!("ValueError while handling {error}")).await {}
            }
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(
            g.athrow("ZeroDivisionError".to_string()).await,
            Err(ThrowError::Uncaught(
                "ValueError while handling ZeroDivisionError".to_string()
            ))
        );
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn d5_a_different_error_comes_back_through_the_return_value() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, &'static str, Result<(), String>> |co| {
            if let Resume::Throw(error) = co.yield_catching(1).await {
                return Err(format!("ValueError while handling {error}"));
            }
            Ok(())
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(
            g.athrow("ZeroDivisionError").await,
            Ok(Step::Returned(Err(
                "ValueError while handling ZeroDivisionError".to_string()
            )))
        );
        assert_eq!(g.state(), GenState::Closed);
    });
}

#[test]
fn d8_the_handler_may_await_inside_the_athrow_step() {
    let log = Log::new();
    let l = log.clone();
    let mut g = pin!(agen!(<u32, u32, &'static str, u32> |co| {
        let item = match co.yield_catching(1).await {
            Resume::Throw(_) => {
                l.push("except");
                pending_for(2).await;
                l.push("except awaited");
                2
            }
            _ => 0,
        };
        co.yield_catching(item).await;
        l.push("finally");
        pending_for(3).await;
        l.push("finally awaited");
        7
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(
        block_on_counting(g.athrow("boom")),
        (Ok(Step::Yielded(2)), 2)
    );
    assert_eq!(log.get(), ["except", "except awaited"]);
    assert_eq!(
        block_on_counting(g.athrow("again")),
        (Ok(Step::Returned(7)), 3)
    );
    assert_eq!(
        log.get(),
        ["except", "except awaited", "finally", "finally awaited"]
    );
}

#[test]
fn d9_athrow_on_closed_hands_error_back() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, &'static str> |co| {
            co.yield_catching(1).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(()));
        for _ in 0..3 {
            let error = g.athrow("late").await.unwrap_err();
            assert_eq!(error, ThrowError::Exhausted("late"));
            assert_eq!(
                error.to_string(),
                "athrow(): asynchronous generator is exhausted"
            );
            assert_eq!(g.state(), GenState::Closed);
        }
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn d9_athrow_after_aclose_hands_the_very_error_back() {
    block_on(async {
        let drops = DropCount::new();
        let mut g = pin!(agen!(<u32, u32, Token> |co| {
            co.yield_catching(1).await;
        }));
        assert_eq!(g.aclose().await, Ok(None));
        let back = match g.athrow(drops.token()).await {
            Err(ThrowError::Exhausted(error)) => error,
            other => panic!("expected Exhausted, got {other:?}"),
        };
        assert_eq!(drops.get(), 0);
        drop(back);
        assert_eq!(drops.get(), 1);
    });
}
