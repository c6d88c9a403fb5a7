//! `break 'label value` naming a `for_await!` loop, here labeled like an enclosing `loop`: a
//! `for_await!` loop is a `for` loop and has no value, so this is an error at the `break` (it
//! never reaches the enclosing loop behind it, which would skip the generator's close).
use agen_runtime::{async_generator, for_await, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    yield_!(1);
}

async fn first() -> u32 {
    'a: loop {
        for_await!('a: for i in numbers() {
            if i == 1 {
                break 'a 5;
            }
        });
        break 'a 0;
    }
}

fn main() {
    drop(first());
}
