use agen_runtime::for_await;

async fn run(items: Vec<u32>) {
    for_await!(item items {
        let _ = item;
    });
}

fn main() {}
