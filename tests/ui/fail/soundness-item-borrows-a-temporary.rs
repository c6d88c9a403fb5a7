// Attack (variance, temporaries): the item borrows a temporary of the yield statement, which is
// dropped at the end of that statement, after the item is in the exchange and before the
// consumer sees it. The item's lifetime is the generator's, not the statement's: rejected.
use std::pin::pin;

use agen_runtime::{async_gen, Step};

fn main() {
    let gen = async_gen! {
        yield &*Box::new(5_u64);
    };
    let mut gen = pin!(gen);
    let step = std::future::Future::poll(
        pin!(gen.anext()),
        &mut std::task::Context::from_waker(std::task::Waker::noop()),
    );
    if let std::task::Poll::Ready(Step::Yielded(item)) = step {
        println!("{item}");
    }
}
