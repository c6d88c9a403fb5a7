// `#[tracing::instrument]` below `#[async_generator]` instruments the fn that creates the
// generator; it compiles and the generator runs.
use agen_runtime::{async_generator, yield_, Step};

#[async_generator(yield = u32)]
#[tracing::instrument]
async fn numbers(count: u32) {
    for n in 0..count {
        yield_!(n);
    }
}

fn main() {
    let mut gen = core::pin::pin!(numbers(1));
    let waker = core::task::Waker::noop();
    let mut cx = core::task::Context::from_waker(waker);
    let mut step = gen.anext();
    let polled = core::future::Future::poll(core::pin::Pin::new(&mut step), &mut cx);
    assert_eq!(polled, core::task::Poll::Ready(Step::Yielded(0)));
}
