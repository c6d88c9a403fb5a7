//! Hostile macros for the soundness UI tests: each tries, with safe code only, to reach what a
//! generator's expansion keeps to itself. `tests/ui/soundness-*.rs` pins what the compiler says.

use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

/// Every span in `tokens`, recursively.
fn spans(tokens: TokenStream, out: &mut Vec<Span>) {
    for tree in tokens {
        out.push(tree.span());
        if let TokenTree::Group(group) = tree {
            out.push(group.span_open());
            spans(group.stream(), out);
        }
    }
}

/// For each token of its input, forges the names the generator's expansion uses (the handle,
/// the body's label) with that token's span, so with its hygiene, and uses them inside an
/// `async` block that could be polled anywhere:
///
/// ```text
/// let _ = async move { let _ = &mut __agen_co; };
/// let _ = async move { loop { break '__agen_body; } };
/// ```
///
/// If any token handed to a macro carried the hygiene of the expansion's internals, one of these
/// would compile.
#[proc_macro]
pub fn forge(input: TokenStream) -> TokenStream {
    let mut all = Vec::new();
    spans(input, &mut all);
    let mut out = TokenStream::new();
    for span in all {
        let handle = Ident::new("__agen_co", span);
        let label = || {
            let apostrophe = Punct::new('\'', Spacing::Joint);
            let name = Ident::new("__agen_body", span);
            [TokenTree::Punct(apostrophe), TokenTree::Ident(name)]
        };
        let mut uses_handle: TokenStream = "let _ = &mut".parse().unwrap();
        uses_handle.extend([
            TokenTree::Ident(handle),
            TokenTree::Punct(Punct::new(';', Spacing::Alone)),
        ]);
        let mut breaks: TokenStream = "break".parse().unwrap();
        breaks.extend(label());
        breaks.extend([TokenTree::Punct(Punct::new(';', Spacing::Alone))]);
        for body in [uses_handle, wrap("loop", breaks)] {
            out.extend("let _ = async move".parse::<TokenStream>().unwrap());
            out.extend([TokenTree::Group(Group::new(Delimiter::Brace, body))]);
            out.extend([TokenTree::Punct(Punct::new(';', Spacing::Alone))]);
        }
    }
    out
}

fn wrap(keyword: &str, body: TokenStream) -> TokenStream {
    let mut out: TokenStream = keyword.parse().unwrap();
    out.extend([TokenTree::Group(Group::new(Delimiter::Brace, body))]);
    out
}
