//! `for_await!` adds no lint of its own in the user's crate: a one-line body (no
//! `unused_braces`), a parenthesised struct-literal operand (no `unused_parens`), both forms.
#![deny(warnings)]

use agen_runtime::{async_generator, for_await, yield_};

struct Upto {
    n: u32,
}

#[async_generator(yield = u32)]
async fn numbers(upto: Upto) {
    for i in 0..upto.n {
        yield_!(i);
    }
}

fn numbers_of(upto: Upto) -> impl futures_util::Stream<Item = u32> {
    futures_util::stream::iter(0..upto.n)
}

/// A stream written as a struct literal, which the `for` syntax needs in parentheses.
struct Once {
    item: Option<u32>,
}

impl futures_util::Stream for Once {
    type Item = u32;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<u32>> {
        std::task::Poll::Ready(self.item.take())
    }
}

async fn sum() -> u32 {
    let mut total = 0;
    for_await!(for n in numbers(Upto { n: 3 }) { total += n });
    for_await!(n in numbers_of(Upto { n: 2 }) { total += n });
    for_await!(for n in (Once { item: Some(4) }) { total += n });
    total
}

fn main() {
    drop(sum());
}
