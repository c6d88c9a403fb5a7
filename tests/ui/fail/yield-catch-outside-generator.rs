use agen_runtime::yield_catch;

fn main() {
    let _ = yield_catch!(1);
}
