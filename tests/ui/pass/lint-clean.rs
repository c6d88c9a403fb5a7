//! The expansion is clean under strict lints in the user's crate, `unsafe_code` forbidden.
#![forbid(unsafe_code)]
#![deny(warnings, missing_docs, unreachable_pub, clippy::pedantic)]

use agen_runtime::{
    async_gen, async_generator, closed, try_finally, yield_, yield_catch, yield_from_catch,
    Delegated, Resume,
};

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

/// `try_finally!` with every exit, and catching delegation.
#[async_generator(yield = u32, throw = String)]
pub async fn guarded(rounds: u32) -> Result<u32, core::num::ParseIntError> {
    let mut total = 0;
    for round in 0..rounds {
        let value = try_finally! {
            try {
                if round == 1 {
                    continue;
                }
                yield_!(round);
                if round == 3 {
                    break;
                }
                if round == 4 {
                    return Ok(total);
                }
                "5".parse::<u32>()?
            } finally {
                total += 1;
            }
        };
        total += value;
    }
    match yield_from_catch!(futures_util::stream::iter([7_u32])) {
        Delegated::Returned(_) | Delegated::Closed => {}
        Delegated::Raised(error) => agen_runtime::raise!(error),
    }
    Ok(total)
}

fn main() {
    let _g = guarded(5);
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
