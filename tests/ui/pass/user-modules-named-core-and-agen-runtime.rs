//! A user module named `core` or `agen_runtime` does not capture the expansion's paths.
#![deny(warnings)]

mod core {}

#[allow(dead_code)]
mod agen_runtime {
    pub struct AsyncGen;
    pub mod __private {}
}

mod inner {
    pub(crate) mod core {
        pub(crate) mod convert {
            pub(crate) struct Infallible;
        }
    }

    #[::agen_runtime::async_generator(yield = u8)]
    pub(crate) async fn numbers() {
        ::agen_runtime::yield_!(1);
    }

    pub(crate) fn gen() -> impl Sized {
        ::agen_runtime::async_gen! {
            yield 1_u8;
        }
    }
}

fn main() {
    let _a = inner::numbers();
    let _b = inner::gen();
}
