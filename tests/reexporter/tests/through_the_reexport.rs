//! Generators written with the macros of a crate that re-exports agen, by a crate that depends on
//! that crate only: no `agen_runtime` is in scope here.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use agen_reexporter::agen::{
    self, async_gen, async_generator, for_await, yield_, yield_from, Step,
};

/// Polls a future to completion with a no-op waker (every future here is ready at once).
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            return output;
        }
    }
}

#[async_generator(yield = u32, crate = ::agen_reexporter::agen)]
async fn numbers(n: u32) -> u32 {
    for i in 0..n {
        yield_!(i);
    }
    yield_from!(async_gen! { yield 100_u32; });
    n
}

#[test]
fn the_attribute_the_expression_form_and_the_loop_work_through_a_reexport() {
    block_on(async {
        let mut gen = pin!(numbers(2));
        assert_eq!(gen.anext().await, Step::Yielded(0));
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.anext().await, Step::Yielded(100));
        assert_eq!(gen.anext().await, Step::Returned(2));

        let mut seen = Vec::new();
        for_await!(for x in async_gen! { yield 'a'; yield 'b'; } {
            seen.push(x);
        });
        assert_eq!(seen, ['a', 'b']);
        let _: agen::GenState = gen.state();
    });
}
