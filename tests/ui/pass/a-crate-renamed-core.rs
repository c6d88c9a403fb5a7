//! A crate renamed `core` (`extern crate … as core;`) does not capture the expansion's paths:
//! every macro names `core` through the runtime's hidden module.
#![deny(warnings)]

extern crate agen_runtime as core;

use agen_runtime::{async_gen, async_generator, for_await, yield_, yield_catch, yield_from, Resume};

#[async_generator(yield = u8)]
async fn numbers() {
    yield_!(1);
    if let Resume::Close = yield_catch!(2) {
        return;
    }
    yield_from!(async_gen! { yield 3_u8; });
}

async fn sum() -> Option<u32> {
    let mut total = 0;
    for_await!(for n in numbers() {
        total += u32::from(n);
        if total > 100 {
            return None;
        }
    });
    Some(total)
}

fn main() {
    drop(sum());
    let _ = core::GenState::Created;
}
