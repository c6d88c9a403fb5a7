//! A user's own macro named `for_await!` (a synchronous loop over a `Vec`, which even accepts the
//! `@agen_used` marker) nested in agen's `for_await!` loop is expanded by agen's loop as agen's
//! own, since nested loops are recognised by their name: the program does not compile, and the
//! error names agen's loop. (Documented in the README; nothing unsafe can come of it.)

use agen_runtime::{async_generator, for_await, yield_};

mod mine {
    macro_rules! for_await {
        (@agen_used) => {};
        ($x:ident in $e:ident $body:block) => {
            for $x in $e.iter().copied() $body
        };
    }
    pub(crate) use for_await;
}

#[async_generator(yield = u32)]
async fn source(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}

async fn sum() -> u32 {
    let v = vec![1u32, 2, 3];
    let mut total = 0;
    for_await!(for i in source(2) {
        mine::for_await!(x in v {
            total += x + i;
        });
    });
    total
}

fn main() {
    drop(sum());
}
