//! The expansion is clean under strict lints in the user's crate, `unsafe_code` forbidden.
#![forbid(unsafe_code)]
#![deny(warnings, missing_docs, unreachable_pub, clippy::pedantic)]

use agen_runtime::{async_gen, async_generator, closed, yield_, yield_catch, Resume};

/// Counts down.
#[async_generator(yield = u32)]
pub async fn countdown(from: u32) -> &'static str {
    for n in (1..=from).rev() {
        yield_!(n);
    }
    "liftoff"
}

/// Keeps a total; recovers from thrown errors; closes cleanly.
#[async_generator(yield = u64, send = u64, throw = String)]
pub async fn total(mut sum: u64, (lo, hi): (u64, u64)) -> Result<u64, String> {
    loop {
        match yield_catch!(sum.clamp(lo, hi)) {
            Resume::Next => {}
            Resume::Send(x) => sum += x,
            Resume::Throw(error) => return Err(error),
            Resume::Close => closed!(),
        }
    }
}

/// Borrows its receiver across yields.
pub struct Words(pub Vec<String>);

impl Words {
    /// Each word.
    #[async_generator(yield = &str)]
    pub async fn each(&self, skip: impl Fn(&str) -> bool) -> usize {
        let mut n = 0;
        for word in &self.0 {
            if !skip(word) {
                yield_!(word.as_str());
                n += 1;
            }
        }
        n
    }
}

/// A generator that ends with an infinite loop.
#[async_generator(yield = u8)]
pub async fn forever() {
    loop {
        yield_!(0);
    }
}

/// The `try` form, with a body that ends in an infinite loop, and one that ends with `?`.
pub fn tries() -> impl futures_util::Stream<Item = Result<u8, core::num::ParseIntError>> {
    let forever = async_gen!(try, yield = u8 => {
        loop {
            yield 1;
            "1".parse::<u8>()?;
        }
    });
    let once = async_gen!(try, yield = u8 => {
        yield "2".parse::<u8>()?;
    });
    futures_util::StreamExt::chain(once, forever)
}

fn main() {
    let _t = tries();
    let _u = async_gen! {};
    let _a = countdown(3);
    let _b = total(0, (0, 10));
    let words = Words(vec![]);
    let _c = words.each(str::is_empty);
    let _d = forever();
    let _e = async_gen! {
        yield 1_u8;
    };
}
