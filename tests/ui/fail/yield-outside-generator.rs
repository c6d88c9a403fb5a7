use agen_runtime::yield_;

async fn not_a_generator() {
    yield_!(1);
}

fn main() {}
