// Attack (type confusion): a user macro places its argument inside an inner generator that
// yields `String`. The outer generator's `yield_!(0u64)` then belongs to the inner generator (a
// yield point belongs to the innermost body around it), whose items are `String`: a type error,
// never a `u64` written where a `String` is expected. Renaming the inner generator's macro does
// not change that.
use agen_runtime::{async_gen as strings, async_generator, yield_};

macro_rules! inside_strings {
    ($e:expr) => {
        strings!(yield = String => { $e; })
    };
}

#[async_generator(yield = u64)]
async fn outer() {
    let inner = inside_strings!(yield_!(0u64));
    drop(inner);
}

fn main() {
    drop(outer());
}
