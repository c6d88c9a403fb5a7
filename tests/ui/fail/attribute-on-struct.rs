use agen_runtime::async_generator;

#[async_generator(yield = u32)]
pub struct Numbers {
    next: u32,
}

fn main() {
    let numbers = Numbers { next: 0 };
    let _ = numbers.next;
}
