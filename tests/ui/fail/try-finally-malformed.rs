use agen_runtime::{async_generator, try_finally, yield_};

#[async_generator(yield = u32)]
async fn missing_finally() {
    try_finally! {
        try {
            yield_!(1);
        }
    }
}

fn main() {}
