//! Generators whose signatures hold lifetimes the returned `impl Body` must capture, in an
//! edition-2021 crate (this one), where `impl Trait` captures only the lifetimes it names.

use std::pin::pin;

use agen_runtime::{async_generator, yield_, Step};

struct Cursor<'a> {
    items: &'a [u32],
    at: usize,
}

impl<'a> Cursor<'a> {
    /// `&mut self` on a type with a lifetime parameter: `Cursor<'a>` is invariant behind
    /// `&mut`, so `'a` must be captured, not only outlive the bound.
    #[async_generator(yield = u32)]
    async fn drain(&mut self) -> usize {
        while let Some(&item) = self.items.get(self.at) {
            self.at += 1;
            yield_!(item);
        }
        self.at
    }
}

/// A free fn whose argument is invariant in its lifetime.
#[async_generator(yield = &'a str)]
async fn words<'a>(out: &mut Vec<&'a str>, text: &'a str) {
    for word in text.split(' ') {
        out.push(word);
        yield_!(word);
    }
}

#[tokio::test]
async fn a_mut_self_method_on_a_type_with_a_lifetime_parameter() {
    let data = [1, 2, 3];
    let mut cursor = Cursor {
        items: &data,
        at: 1,
    };
    let mut gen = pin!(cursor.drain());
    assert_eq!(gen.anext().await, Step::Yielded(2));
    assert_eq!(gen.anext().await, Step::Yielded(3));
    assert_eq!(gen.anext().await, Step::Returned(3));
}

#[tokio::test]
async fn a_free_fn_with_an_invariant_lifetime_argument() {
    let text = String::from("a b");
    let mut out = Vec::new();
    {
        let mut gen = pin!(words(&mut out, &text));
        assert_eq!(gen.anext().await, Step::Yielded("a"));
        assert_eq!(gen.anext().await, Step::Yielded("b"));
        assert_eq!(gen.anext().await, Step::Returned(()));
    }
    assert_eq!(out, ["a", "b"]);
}
