//! H. Return values and the end of iteration.
//!
//! H1 (`return <value>` is a SyntaxError in Python): agen departs on purpose, as ECMAScript does
//! (J9): a body returns a value, delivered once in `Step::Returned` to the step that saw the body
//! finish (tested here). Rejecting syntax is the proc macro's business, not the runtime's.
//! H2 (`yield from` inside `async def`): syntax, the macro's business.

use std::pin::pin;

use agen_runtime::{GenState, Resume, Step};

use crate::support::{block_on, yield_now};

#[test]
fn h1_a_return_value_is_delivered_once_to_the_anext_that_saw_the_body_finish() {
    block_on(async {
        let mut g = pin!(agen!(<u32, u32, (), Vec<u32>> |co| {
            co.yield_(1).await;
            yield_now().await;
            vec![4, 5]
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(vec![4, 5]));
        assert_eq!(g.anext().await, Step::Exhausted);
        assert_eq!(g.aclose().await, Ok(None));
    });
}

#[test]
fn h1_a_return_value_is_delivered_to_asend_athrow_and_aclose_alike() {
    block_on(async {
        let make = || {
            agen!(<u32, u32, u32, String> |co| {
                match co.yield_catching(1).await {
                    Resume::Next => "next".to_string(),
                    Resume::Send(v) => format!("send {v}"),
                    Resume::Throw(e) => format!("throw {e}"),
                    Resume::Close => "close".to_string(),
                }
            })
        };
        let mut g = pin!(make());
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.asend(2).await, Ok(Step::Returned("send 2".to_string())));
        let mut g = pin!(make());
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.athrow(3).await, Ok(Step::Returned("throw 3".to_string())));
        let mut g = pin!(make());
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.aclose().await, Ok(Some("close".to_string())));
        assert_eq!(g.state(), GenState::Closed);
    });
}

#[test]
fn h3_a_unit_body_ends_with_returned_unit_then_exhausted() {
    block_on(async {
        let mut g = pin!(agen!(<u32, (), ()> |co| {
            co.yield_(1).await;
        }));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(()));
        assert_eq!(g.anext().await, Step::Exhausted);
    });
}

#[test]
fn h4_an_inner_generator_ending_does_not_end_the_outer_one() {
    block_on(async {
        let mut outer = pin!(agen!(<u32, (), (), &'static str> |co| {
            let mut inner = pin!(agen!(<u32, (), ()> |ico| {
                ico.yield_(1).await;
                ico.yield_(2).await;
            }));
            while let Step::Yielded(item) = inner.anext().await {
                co.yield_(item).await;
            }
            // The inner generator is exhausted; asking again is just another value here.
            let again = inner.anext().await;
            co.yield_(if again == Step::Exhausted { 100 } else { 0 }).await;
            "outer done"
        }));
        let mut seen = Vec::new();
        let end = loop {
            match outer.anext().await {
                Step::Yielded(item) => seen.push(item),
                Step::Returned(value) => break value,
                Step::Exhausted => panic!("the outer generator ended without returning"),
            }
        };
        assert_eq!(seen, [1, 2, 100]);
        assert_eq!(end, "outer done");
    });
}
