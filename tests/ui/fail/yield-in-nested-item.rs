use agen_runtime::{async_generator, yield_catch};

#[async_generator(yield = u32)]
async fn numbers() {
    struct Helper;
    impl Helper {
        async fn run(&self) {
            yield_catch!(1);
        }
    }
    Helper.run().await;
}



#[async_generator(yield = u32)]
async fn in_a_const() {
    const START: Option<u32> = {
        agen_runtime::yield_!(1);
        None
    };
    let _ = START;
}
fn main() {}
