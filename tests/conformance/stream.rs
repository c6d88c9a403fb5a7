//! The generator as a `futures_core::Stream` (`anext` semantics) and `FusedStream`, and the
//! `items()` adapter that keeps any return value.

use std::pin::{pin, Pin};
use std::task::Poll;

use agen_runtime::{GenState, Resume, Step};
use futures_core::{FusedStream, Stream};

use crate::support::{block_on, next, pending_for, poll_once, yield_now, Log};

/// Collects a stream to its end.
async fn collect<St: Stream + Unpin>(stream: &mut St) -> Vec<St::Item> {
    let mut items = Vec::new();
    while let Some(item) = next(stream).await {
        items.push(item);
    }
    items
}

/// Polls `poll_next` once with a no-op waker.
fn poll_next_once<St: Stream + Unpin>(stream: &mut St) -> Poll<Option<St::Item>> {
    poll_once(&mut std::future::poll_fn(|cx| {
        Pin::new(&mut *stream).poll_next(cx)
    }))
}

#[test]
fn c1_a_unit_body_streams_its_items() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            for i in 1..=3 {
                yield_now().await;
                co.yield_(i).await;
            }
        }));
        assert!(!g.is_terminated());
        assert_eq!(collect(&mut g).await, [1, 2, 3]);
        assert!(g.is_terminated());
        assert_eq!(g.state(), GenState::Closed);
    });
}

#[test]
fn c3_the_stream_is_fused() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            co.yield_(1).await;
        }));
        assert_eq!(next(&mut g).await, Some(1));
        assert!(!g.is_terminated());
        assert_eq!(next(&mut g).await, None);
        assert!(g.is_terminated());
        for _ in 0..3 {
            assert_eq!(next(&mut g).await, None);
        }
    });
}

#[test]
fn c5_a_result_body_streams_ok_items_and_its_error_last() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), (), Result<(), &'static str>> |co| {
            co.yield_(1).await;
            co.yield_(2).await;
            Err("bad")?;
            co.yield_(3).await;
            Ok(())
        }));
        assert_eq!(collect(&mut g).await, [Ok(1), Ok(2), Err("bad")]);
        assert!(g.is_terminated());
        assert_eq!(next(&mut g).await, None);
    });
}

#[test]
fn c5_a_result_body_that_succeeds_adds_no_item() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), (), Result<(), &'static str>> |co| {
            co.yield_(1).await;
            Ok(())
        }));
        assert_eq!(collect(&mut g).await, [Ok(1)]);
    });
}

#[test]
fn h1_items_streams_any_body_and_keeps_its_return_value() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, (), String> |co| {
            co.yield_(1).await;
            co.yield_(2).await;
            "done".to_string()
        }));
        let mut items = g.items();
        assert_eq!(next(&mut items).await, Some(1));
        assert_eq!(items.returned(), None);
        assert!(!items.is_terminated());
        assert_eq!(next(&mut items).await, Some(2));
        assert_eq!(next(&mut items).await, None);
        assert!(items.is_terminated());
        assert_eq!(items.returned(), Some(&"done".to_string()));
        assert_eq!(next(&mut items).await, None);
        assert_eq!(
            items.returned(),
            Some(&"done".to_string()),
            "kept after the end"
        );
        assert_eq!(items.take_returned(), Some("done".to_string()));
        assert_eq!(items.take_returned(), None);
        drop(items);
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.anext().await, Step::Exhausted, "not delivered twice");
    });
}

#[test]
fn h1_items_on_a_generator_whose_return_value_was_taken_by_anext_has_none() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, (), u8> |co| {
            co.yield_(1).await;
            9
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(9));
        let mut items = g.items();
        assert!(items.is_terminated());
        assert_eq!(next(&mut items).await, None);
        assert_eq!(items.returned(), None);
    });
}

#[test]
fn f8_a_pending_poll_next_keeps_its_step_for_the_next_poll() {
    let log = Log::new();
    let l = log.clone();
    let mut g = pin!(agen!(<u32, (), ()> |co| {
        l.push("start");
        pending_for(2).await;
        co.yield_(1).await;
    }));
    assert_eq!(poll_next_once(&mut g), Poll::Pending);
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(poll_next_once(&mut g), Poll::Pending);
    assert_eq!(poll_next_once(&mut g), Poll::Ready(Some(1)));
    assert_eq!(log.get(), ["start"]);
}

#[test]
fn f8_poll_next_finishes_a_step_interrupted_by_a_dropped_anext() {
    let mut g = pin!(agen!(<u32, (), ()> |co| {
        co.yield_(1).await;
        yield_now().await;
        co.yield_(2).await;
    }));
    assert_eq!(block_on(g.anext()), Step::Yielded(1));
    let mut step = g.anext();
    assert!(poll_once(&mut step).is_pending());
    drop(step);
    assert_eq!(block_on(next(&mut g)), Some(2));
    assert_eq!(block_on(next(&mut g)), None);
}

#[test]
fn e11_the_stream_is_terminated_while_a_close_is_interrupted() {
    let mut g = pin!(agen!(<u32, (), ()> |co| {
        if let Resume::Close = co.yield_catching(1).await {
            yield_now().await;
        }
    }));
    assert_eq!(block_on(next(&mut g)), Some(1));
    let mut close = g.aclose();
    assert!(poll_once(&mut close).is_pending());
    drop(close);
    assert!(g.is_terminated());
    assert_eq!(block_on(next(&mut g)), None);
    assert_eq!(block_on(g.aclose()), Ok(Some(())));
    assert!(g.is_terminated());
}

#[test]
fn e10_the_stream_ends_after_aclose() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), (), ()> |co| {
            loop {
                co.yield_(1).await;
            }
        }));
        assert_eq!(next(&mut g).await, Some(1));
        assert_eq!(g.aclose().await, Ok(None));
        assert!(g.is_terminated());
        assert_eq!(next(&mut g).await, None);
    });
}
