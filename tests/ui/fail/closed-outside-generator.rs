fn main() {
    agen_runtime::closed!();
}
