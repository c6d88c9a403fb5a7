use agen_runtime::{async_generator, closed, yield_catch, Resume};

#[async_generator(yield = u32)]
async fn numbers() {
    if let Resume::Close = yield_catch!(1) {
        closed!(0);
    }
}

fn main() {}
