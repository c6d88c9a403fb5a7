// Attack (variance, the raised error): the body raises a borrow of its own local, through
// `raise!` and through a `try_finally!` that re-raises after its `finally` block. The runtime
// drops the body before it hands the error to the `athrow` that returns it, so the error would
// point into freed memory. The handle is invariant in the throw type: rejected.
use agen_runtime::{async_generator, raise, try_finally, yield_, yield_catch, Resume};

#[async_generator(yield = u32, throw = &'a str)]
async fn direct<'a>(_: &'a ()) {
    let local = String::from("local");
    if let Resume::Throw(_) = yield_catch!(1) {
        raise!(local.as_str());
    }
}

#[async_generator(yield = u32, throw = &'a str)]
async fn after_finally<'a>(_: &'a ()) {
    let local = String::from("local");
    try_finally! {
        try {
            yield_!(1);
            raise!(local.as_str());
        } finally {}
    }
}

fn main() {
    let unit = ();
    drop(direct(&unit));
    drop(after_finally(&unit));
}
