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
