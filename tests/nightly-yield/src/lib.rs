//! Bare `yield` in the attribute form. Stable rejects it before the macro runs (E0658, pinned in
//! `tests/ui/bare-yield-on-stable.rs`); the `yield_expr` feature lets it through (so does
//! `coroutines`), and the macro rewrites it like `yield_!`.
#![feature(yield_expr)]

use agen_runtime::async_generator;

/// Yields `start`, then the running total of what is sent.
#[async_generator(yield = u64, send = u64)]
pub async fn running_total(start: u64) -> u64 {
    let mut total = start;
    // Parenthesized: rustc would read `total { … }` as a struct literal.
    while let Some(x) = (yield total) {
        total += x;
    }
    total
}

/// A bare `yield;` yields `()`.
#[async_generator(yield = ())]
pub async fn units(n: usize) {
    for _ in 0..n {
        yield;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use agen_runtime::Step;
    use core::pin::pin;

    #[test]
    fn bare_yield_in_the_attribute_form_on_nightly() {
        pollster::block_on(async {
            let mut totals = pin!(running_total(1));
            assert_eq!(totals.anext().await, Step::Yielded(1));
            assert_eq!(totals.asend(2).await.unwrap(), Step::Yielded(3));
            assert_eq!(totals.anext().await, Step::Returned(3));

            let mut unit_items = pin!(units(2));
            assert_eq!(unit_items.anext().await, Step::Yielded(()));
            assert_eq!(unit_items.anext().await, Step::Yielded(()));
            assert_eq!(unit_items.anext().await, Step::Returned(()));
        });
    }
}
