//! The expansion names neither `std` nor `alloc`: it builds in a `#![no_std]` crate.
#![no_std]
#![deny(warnings)]

// A binary needs a panic handler and `main`'s runtime; linking `std` under another name gives
// them without putting `std` in the extern prelude.
extern crate std as _std;

use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u8)]
async fn bytes(data: &[u8]) -> usize {
    for byte in data {
        yield_!(*byte);
    }
    data.len()
}

fn main() {
    let data = [1, 2, 3];
    let _gen = bytes(&data);
}
