//! Nested loops and blocks in expression positions (a `let` initializer, a match arm, a macro
//! argument, a tail): lint-clean.
#![deny(warnings)]
use agen_runtime::{async_generator, for_await, try_finally, yield_, yield_catch, Resume};
#[async_generator(yield = u32)]
async fn source(n: u32) {
    for i in 0..n {
        if let Resume::Close = yield_catch!(i) {
            return;
        }
    }
}
#[async_generator(yield = u32)]
async fn positions(k: u32) -> u32 {
    let mut total = 0;
    for_await!(for i in source(3) {
        let v = try_finally! { try { i + 1 } finally { total += 1; } };
        total += v;
        match i {
            0 => for_await!(n in source(2) { total += n; }),
            1 => try_finally! { try { yield_!(i); } finally {} },
            _ => {}
        }
        let () = for_await!(n in source(2) { if n == k { break; } });
        if i == 2 { for_await!(n in source(2) { if n == k { continue; } }) }
        let _: () = try_finally! { try { if k == 9 { return 9; } } finally {} };
        println!("{:?}", for_await!(n in source(1) { let _ = n; }));
        'outer: loop { for_await!(n in source(1) { let _ = n; break 'outer; }) }
    });
    try_finally! {
        try {
            for_await!(for n in source(2) { if n == k { break; } })
        } finally {
        }
    }
    total
}
fn main() {
    drop(positions(1));
}
