//! Keeps the crate docs' "What it expands to" section true: the documented input, expanded by
//! the macro's own function, must equal the documented output, token for token.

use std::str::FromStr;

use proc_macro2::TokenStream;

use crate::expand;

const DOC: &str = include_str!("expansion.md");

/// The contents of the `index`th fenced code block of the section.
fn code_block(index: usize) -> &'static str {
    DOC.split("```")
        .skip(1)
        .step_by(2)
        .nth(index)
        .and_then(|block| block.split_once('\n'))
        .map(|(_lang, code)| code)
        .expect("the section has the code block")
}

/// The tokens as text, ignoring layout and the trailing commas rustfmt adds.
fn normalized(tokens: &TokenStream) -> String {
    let text: String = tokens
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    text.replace(",>", ">")
        .replace(",)", ")")
        .replace(",{", "{")
}

#[test]
fn documented_expansion_is_what_the_macro_emits() {
    let input = code_block(0);
    let (attr, item) = input
        .split_once('\n')
        .expect("an attribute line, then the fn");
    let args = attr
        .trim()
        .strip_prefix("#[async_generator(")
        .and_then(|rest| rest.strip_suffix(")]"))
        .expect("the input starts with #[async_generator(…)]");
    let expanded = expand::attribute(
        TokenStream::from_str(args).unwrap(),
        TokenStream::from_str(item).unwrap(),
    );
    let documented = TokenStream::from_str(code_block(1)).unwrap();
    assert_eq!(
        normalized(&expanded),
        normalized(&documented),
        "the crate docs' expansion is out of date; the macro now emits:\n{expanded}"
    );
}

/// Every identifier in `tokens`, recursively.
fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Ident(ident) => out.push(ident.to_string()),
            proc_macro2::TokenTree::Group(group) => idents(group.stream(), out),
            _ => {}
        }
    }
}

/// The soundness of an expansion must not depend on which crate `::agen_runtime` (or a
/// `crate = path`) names: a dependency renamed to `agen_runtime` could stand in for any path.
/// So the macros' own output has no `unsafe` block for such a path to take over (the one
/// `unsafe` is in the runtime's `__body!`, which reaches the constructor through `$crate`), and
/// never names the body's handle (which only `__body!`'s hygiene can spell).
#[test]
fn the_macros_output_has_no_unsafe_and_never_names_the_handle() {
    let attribute = [
        (
            "yield = u32",
            "async fn f(x: u32) -> u32 { yield_!(x); yield_catch!(1); yield_from!(g()); x }",
        ),
        (
            "yield = &str, crate = ::other::agen",
            "async fn m(&self) { closed!(); }",
        ),
        // Fatal: no yield type, the body is replaced.
        ("", "async fn f() { yield_!(1); }"),
        // A yield point out of place, replaced.
        ("yield = u8", "async fn f() { let c = || yield_!(1); }"),
    ];
    let expression = [
        "for i in 0..3 { yield i; }",
        "yield = u64, send = u64 => { let x = yield 1; tokio::select! { _ = f => yield 2, } }",
    ];
    let mut outputs: Vec<TokenStream> = attribute
        .iter()
        .map(|(args, item)| {
            expand::attribute(
                TokenStream::from_str(args).unwrap(),
                TokenStream::from_str(item).unwrap(),
            )
        })
        .collect();
    outputs.extend(expression.iter().map(|body| {
        let input = format!("::agen_runtime; {body}");
        expand::function_like(TokenStream::from_str(&input).unwrap())
    }));
    for output in outputs {
        let mut names = Vec::new();
        idents(output.clone(), &mut names);
        assert!(
            !names
                .iter()
                .any(|name| name == "unsafe" || name == "__agen_co"),
            "the expansion names `unsafe` or the handle:\n{output}"
        );
    }
}
