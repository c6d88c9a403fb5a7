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
