// Attack (async-stream's report #106): a user macro puts the yield point inside an `async`
// block, which could then be polled with any other context. A yield point only compiles in the
// body's own control flow: rejected, at the user's `yield_!`.
use agen_runtime::{async_generator, yield_};

macro_rules! later {
    ($e:expr) => {
        async { $e }
    };
}

macro_rules! in_a_closure {
    ($e:expr) => {
        || $e
    };
}

#[async_generator(yield = u64)]
async fn escapes() {
    let f = later!(yield_!(1));
    let g = in_a_closure!(yield_!(2));
    drop((f, g));
}

fn main() {
    drop(escapes());
}
