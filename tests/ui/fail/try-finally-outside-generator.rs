use agen_runtime::try_finally;

async fn not_a_generator() {
    try_finally! {
        try {
            let _ = 1;
        } finally {
            let _ = 2;
        }
    }
}

fn main() {
    drop(not_a_generator());
}
