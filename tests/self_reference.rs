//! A body that holds a reference into its own state across yield points, while the consumer
//! looks at the generator's state between steps: the case that makes a generator
//! self-referential. Run under Miri (Stacked and Tree Borrows) by `.ci/run`.

use std::pin::pin;
use std::task::{Context, Poll, Waker};

use agen_runtime::{async_generator, yield_, GenState, Step};

#[async_generator(yield = u32, send = u32)]
async fn accumulate() -> Vec<u32> {
    let mut seen = Vec::new();
    let seen_ref = &mut seen; // lives across every yield below
    let mut last = 0;
    while let Some(value) = yield_!(last) {
        seen_ref.push(value);
        last = value;
    }
    seen
}

fn ready<F: std::future::Future + Unpin>(mut fut: F) -> F::Output {
    match std::pin::Pin::new(&mut fut).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("expected the step to complete at once"),
    }
}

#[test]
fn a_body_borrowing_its_own_locals_survives_state_queries_between_steps() {
    let mut gen = pin!(accumulate());
    assert_eq!(gen.state(), GenState::Created);
    assert_eq!(ready(gen.anext()), Step::Yielded(0));
    for value in [3, 5, 8] {
        assert_eq!(gen.state(), GenState::Suspended);
        assert!(!gen.is_exhausted());
        let _ = format!("{gen:?}");
        assert_eq!(ready(gen.asend(value)), Ok(Step::Yielded(value)));
    }
    assert_eq!(ready(gen.anext()), Step::Returned(vec![3, 5, 8]));
    assert_eq!(gen.state(), GenState::Closed);
}
