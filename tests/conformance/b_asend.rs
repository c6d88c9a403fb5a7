//! B. `asend(value)`.
//!
//! B8 (a cancellation raised inside an inner await during `asend`): Rust has no cancellation
//! exception to deliver into the body; cancelling is dropping the step future, which is F8
//! (`f_running.rs`).

use std::pin::pin;

use agen_runtime::{GenState, SendError, Step};

use crate::support::{block_on, block_on_counting, pending_for, DropCount, Log, Token};

#[test]
fn b1_anext_on_a_fresh_generator_starts_it_and_returns_the_first_item() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            l.push("start");
            let sent = co.yield_(10).await;
            l.push(format!("{sent:?}"));
        }));
        assert_eq!(g.anext().await, Step::Yielded(10));
        assert_eq!(log.get(), ["start"]);
    });
}

#[test]
fn b2_asend_on_created_hands_value_back_and_stays_created() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            l.push("start");
            co.yield_(10).await;
        }));
        let error = g.asend(5).await.unwrap_err();
        assert_eq!(error, SendError::NotStarted(5));
        assert_eq!(
            error.to_string(),
            "can't send a value to a just-started async generator (start it with anext())"
        );
        assert_eq!(error.into_value(), 5);
        assert_eq!(g.state(), GenState::Created);
        assert!(log.get().is_empty(), "the body did not run");
    });
}

#[test]
fn b2_the_rejected_value_is_handed_back_not_dropped() {
    block_on(async {
        let drops = DropCount::new();
        let mut g = pin!(agen!(<u32, Token, ()> |co| {
            co.yield_(10).await;
        }));
        let back = match g.asend(drops.token()).await {
            Err(SendError::NotStarted(token)) => token,
            other => panic!("expected NotStarted, got {other:?}"),
        };
        assert_eq!(drops.get(), 0);
        drop(back);
        assert_eq!(drops.get(), 1);
    });
}

#[test]
fn b3_after_a_rejected_first_send_the_generator_starts_normally() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            let sent = co.yield_(10).await;
            co.yield_(sent.unwrap() + 1).await;
        }));
        assert_eq!(g.asend(5).await, Err(SendError::NotStarted(5)));
        assert_eq!(g.asend(6).await, Err(SendError::NotStarted(6)), "and again");
        assert_eq!(g.anext().await, Step::Yielded(10));
        assert_eq!(g.asend(7).await, Ok(Step::Yielded(8)));
    });
}

#[test]
fn b4_asend_delivers_the_value_at_a_plain_yield_point() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            let sent = co.yield_(100).await;
            l.push(format!("got {sent:?}"));
            co.yield_(sent.unwrap() * 2).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(100));
        assert_eq!(g.asend(100).await, Ok(Step::Yielded(200)));
        assert_eq!(log.get(), ["got Some(100)"]);
    });
}

#[test]
fn b4_asend_delivers_resume_send_at_a_catching_yield_point() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            let resume = co.yield_catching(1).await;
            l.push(format!("{resume:?}"));
            co.yield_catching(2).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.asend(42).await, Ok(Step::Yielded(2)));
        assert_eq!(log.get(), ["Send(42)"]);
    });
}

#[test]
fn b5_anext_resumes_a_plain_yield_with_none_and_a_catching_one_with_next() {
    block_on(async {
        let log = Log::new();
        let l = log.clone();
        let mut g = pin!(agen!(<u32, u32, ()> |co| {
            let plain = co.yield_(1).await;
            l.push(format!("{plain:?}"));
            let catching = co.yield_catching(2).await;
            l.push(format!("{catching:?}"));
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Yielded(2));
        assert_eq!(g.anext().await, Step::Returned(()));
        assert_eq!(log.get(), ["None", "Next"]);
    });
}

#[test]
fn b6_asend_that_finishes_the_body_returns_its_value_then_exhausted_every_time() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, (), u32> |co| {
            let a = co.yield_(1).await.unwrap_or(0);
            let b = co.yield_(2).await.unwrap_or(0);
            a + b
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.asend(10).await, Ok(Step::Yielded(2)));
        assert_eq!(g.asend(20).await, Ok(Step::Returned(30)));
        assert_eq!(g.state(), GenState::Closed);
        for v in 0..3 {
            let error = g.asend(v).await.unwrap_err();
            assert_eq!(error, SendError::Exhausted(v), "the value comes back");
            assert_eq!(
                error.to_string(),
                "asend(): asynchronous generator is exhausted"
            );
        }
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn b7_an_error_during_asend_comes_back_after_the_async_cleanup() {
    let log = Log::new();
    let l = log.clone();
    let mut g = pin!(agen!(<u32, u32, (), Result<(), &'static str>> |co| {
        loop {
            let divisor = co.yield_(1).await.unwrap_or(1);
            if divisor == 0 {
                l.push("cleanup start");
                pending_for(2).await;
                l.push("cleanup done");
                return Err("division by zero");
            }
        }
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    assert_eq!(block_on(g.asend(3)), Ok(Step::Yielded(1)));
    let (step, wakes) = block_on_counting(g.asend(0));
    assert_eq!(step, Ok(Step::Returned(Err("division by zero"))));
    assert_eq!(wakes, 2, "the cleanup's awaits ran inside the asend step");
    assert_eq!(log.get(), ["cleanup start", "cleanup done"]);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(block_on(g.anext()), Step::Exhausted);
}

#[test]
fn b6_an_asend_the_body_answers_by_exiting_delivers_and_reports_exhausted() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, (), u32> |co| {
            co.yield_(1).await;
            match co.exit().await {}
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        // The value was delivered (`Ok`), and the body then ended with no return value.
        assert_eq!(g.asend(5).await, Ok(Step::Exhausted));
        assert_eq!(g.state(), GenState::Closed);
    });
}
