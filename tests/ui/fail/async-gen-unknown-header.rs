use agen_runtime::async_gen;

fn main() {
    let _gen = async_gen!(yield = u32, item = u8 => {
        yield 1;
    });
}
