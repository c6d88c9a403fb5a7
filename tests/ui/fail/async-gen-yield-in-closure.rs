use agen_runtime::async_gen;

fn main() {
    let _gen = async_gen! {
        let f = |x: u32| {
            yield x;
        };
        f(1);
        yield 2_u32;
    };
}

// The rest of the body is still emitted, so it is still checked.
fn checked() {
    let _gen = async_gen! {
        let f = || {
            yield 1_u32;
        };
        f();
        let n: u32 = "not a number";
        yield n;
    };
}
