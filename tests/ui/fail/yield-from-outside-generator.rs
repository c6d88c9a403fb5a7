use agen_runtime::yield_from;

async fn not_a_generator() {
    yield_from!(futures_util::stream::iter([1, 2, 3]));
}

fn main() {}
