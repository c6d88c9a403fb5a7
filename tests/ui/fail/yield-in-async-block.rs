use agen_runtime::{async_generator, yield_};

#[async_generator(yield = u32)]
async fn numbers() {
    let later = async {
        yield_!(1);
    };
    later.await;
}

fn main() {}
