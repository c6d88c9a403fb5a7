// Attack: user code names the body's internals: the local yield-point macro (reachable by name,
// but it refuses to expand outside the body's own control flow), the label, the handle.
use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u64)]
async fn named() {
    yield_!(1);
    let f = async {
        yield_point_outside_of_an_async_generator_body! { plain 2 }
    };
    drop(f);
    let g = || {
        '__agen_body: {
            yield_point_outside_of_an_async_generator_body! { plain 3 }
        }
    };
    drop(g);
}

fn main() {
    drop(named());
}
