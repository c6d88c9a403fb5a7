//! A yield-point macro imported by the user and used only in `#[cfg]`'d-out code, or rewritten
//! away, is not reported as an unused import.
#![deny(warnings)]

use agen_runtime::{async_generator, yield_, yield_catch};

#[async_generator(yield = u8)]
async fn numbers() {
    yield_!(1);
    #[cfg(any())]
    yield_catch!(2);
}

fn main() {
    let _gen = numbers();
}
