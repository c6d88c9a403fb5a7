//! The item `#[async_generator]` is applied to, and the checks on its signature.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Block, Signature, Token, Visibility};

use crate::error::{format_err, Errors};

/// An `async fn`: free, a method, a trait method with a default body, or a trait method
/// declaration without one.
pub(crate) struct GenFn {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    /// `None` for a declaration in a trait (`async fn f(&self);`).
    pub(crate) body: Option<Block>,
}

impl Parse for GenFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let body = if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            None
        } else {
            Some(input.parse()?)
        };
        Ok(GenFn {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

impl GenFn {
    /// Parses the attribute's input. Anything but a fn is an error at the item's first token
    /// after its attributes (`struct`, `impl`, …).
    pub(crate) fn parse_item(tokens: TokenStream) -> syn::Result<GenFn> {
        syn::parse2::<GenFn>(tokens.clone()).map_err(|error| {
            match syn::parse2::<syn::Item>(tokens.clone()) {
                Ok(syn::Item::Fn(_)) | Err(_) => error,
                Ok(_) => syn::Error::new(
                    item_keyword(tokens),
                    "#[async_generator] applies to an `async fn` (a free fn, a method or a trait \
                     method), not to this item",
                ),
            }
        })
    }
}

/// The first token of an item after its attributes and visibility (`struct`, `impl`, …), to
/// point an error at.
fn item_keyword(tokens: TokenStream) -> proc_macro2::Span {
    use proc_macro2::TokenTree;
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match &tt {
            // `#[…]`: an attribute.
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                iter.next();
            }
            // `pub` or `pub(crate)`.
            TokenTree::Ident(ident) if ident == "pub" => {
                if let Some(TokenTree::Group(_)) = iter.peek() {
                    iter.next();
                }
            }
            _ => return tt.span(),
        }
    }
    proc_macro2::Span::call_site()
}

/// Checks what an async generator's signature must be, reporting every problem.
pub(crate) fn validate(sig: &Signature) -> Errors {
    let mut errors = Errors::default();
    if let Some(constness) = &sig.constness {
        errors.push(format_err!(
            constness,
            "an async generator cannot be a `const fn`: its body runs when it is driven, not at \
             compile time"
        ));
    }
    if sig.asyncness.is_none() {
        errors.push(format_err!(
            sig.fn_token,
            "#[async_generator] requires an `async fn`: write `async fn {}(…)`",
            sig.ident
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(format_err!(
            abi,
            "an async generator cannot have an `extern` ABI"
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(format_err!(
            variadic,
            "an async generator cannot be variadic"
        ));
    }
    errors
}
