//! The arguments: `#[async_generator(yield = T, send = S, throw = E)]` and the header of
//! `async_gen!(yield = T, send = S, throw = E, return = R => { … })`.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Token, Type, TypeParamBound};

use crate::error::{bail, Errors};

mod kw {
    syn::custom_keyword!(send);
    syn::custom_keyword!(throw);
    syn::custom_keyword!(bound);
}

/// Which macro the arguments belong to: they differ in the keys they accept.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// `#[async_generator(…)]`: the return type is the fn's.
    Attribute,
    /// `async_gen!(… => { … })`: `return = R` is accepted too.
    Expression,
}

impl Form {
    fn valid_forms(self) -> &'static str {
        match self {
            Form::Attribute => {
                "expected `yield = Type`, then optionally `send = Type`, `throw = Type`, \
                 `bound = Send` and `crate = path`, as in \
                 `#[async_generator(yield = u64, send = u64, throw = MyError)]`"
            }
            Form::Expression => {
                "expected any of `try`, `yield = Type`, `send = Type`, `throw = Type`, \
                 `return = Type`, `crate = path` before `=>`, as in \
                 `async_gen!(yield = u64, return = () => { … })` or `async_gen!(try => { … })`"
            }
        }
    }
}

/// The declared types of a generator. `None` where the user declared nothing.
#[derive(Default)]
pub(crate) struct Args {
    /// `yield = T`: the items.
    pub(crate) yield_ty: Option<Type>,
    /// `send = S`: what `asend` delivers.
    pub(crate) send_ty: Option<Type>,
    /// `throw = E`: what `athrow` delivers.
    pub(crate) throw_ty: Option<Type>,
    /// `return = R`, `async_gen!` only: the body's return value.
    pub(crate) return_ty: Option<Type>,
    /// `crate = path`: where the runtime is, for crates that re-export it.
    pub(crate) krate: Option<syn::Path>,
    /// `try`: the body returns `Result<(), E>`, `Ok(())` at its end, like async-stream's
    /// `try_stream!`. In the attribute form, only for a fn that returns `impl Trait` (`return =`
    /// too): otherwise the fn's return type is the body's.
    pub(crate) try_: Option<Span>,
    /// `bound = Send + …`, attribute form only: bounds the returned `impl Body` must meet, so a
    /// trait's generator method can promise `Send`.
    pub(crate) bounds: Option<(Span, Punctuated<TypeParamBound, Token![+]>)>,
    /// Where `return =` was written, for the error when the attribute form cannot take it.
    pub(crate) return_span: Option<Span>,
}

/// One key of the argument list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Yield,
    Send,
    Throw,
    Return,
    Crate,
    Bound,
}

impl Key {
    fn name(self) -> &'static str {
        match self {
            Key::Yield => "yield",
            Key::Send => "send",
            Key::Throw => "throw",
            Key::Return => "return",
            Key::Crate => "crate",
            Key::Bound => "bound",
        }
    }
}

impl Args {
    /// Parses an argument list, reporting every bad argument, not only the first, and keeping
    /// the good ones.
    pub(crate) fn parse(tokens: TokenStream, form: Form) -> (Args, Errors) {
        let parser = |input: ParseStream<'_>| Ok(Args::parse_list(input, form));
        parser.parse2(tokens).unwrap_or_else(|error| {
            let mut errors = Errors::default();
            errors.push(error);
            (Args::default(), errors)
        })
    }

    fn parse_list(input: ParseStream<'_>, form: Form) -> (Args, Errors) {
        let mut args = Args::default();
        let mut errors = Errors::default();
        while !input.is_empty() {
            if let Err(error) = args.parse_one(input, form) {
                errors.push(error);
                skip_to_comma(input);
            }
            if !input.is_empty() {
                if let Err(error) = input.parse::<Token![,]>() {
                    errors.push(syn::Error::new(error.span(), form.valid_forms()));
                    skip_to_comma(input);
                    let _ = input.parse::<Option<Token![,]>>();
                }
            }
        }
        if form == Form::Attribute && args.yield_ty.is_none() && errors.is_empty() {
            errors.push(syn::Error::new(
                Span::call_site(),
                "missing `yield = Type`: an async generator declares the type of its items, \
                 as in `#[async_generator(yield = u64)]`",
            ));
        }
        (args, errors)
    }

    fn parse_one(&mut self, input: ParseStream<'_>, form: Form) -> syn::Result<()> {
        if input.peek(Token![try]) {
            let token: Token![try] = input.parse()?;
            if self.try_.replace(token.span).is_some() {
                bail!(
                    token,
                    "duplicate argument `try`: each argument is given once"
                );
            }
            return Ok(());
        }
        let lookahead = input.lookahead1();
        let (key, span) = if lookahead.peek(Token![yield]) {
            (Key::Yield, input.parse::<Token![yield]>()?.span)
        } else if lookahead.peek(kw::send) {
            (Key::Send, input.parse::<kw::send>()?.span)
        } else if lookahead.peek(kw::throw) {
            (Key::Throw, input.parse::<kw::throw>()?.span)
        } else if lookahead.peek(Token![crate]) {
            (Key::Crate, input.parse::<Token![crate]>()?.span)
        } else if lookahead.peek(Token![return]) {
            let span = input.parse::<Token![return]>()?.span;
            self.return_span.get_or_insert(span);
            (Key::Return, span)
        } else if form == Form::Attribute && lookahead.peek(kw::bound) {
            (Key::Bound, input.parse::<kw::bound>()?.span)
        } else {
            let unknown: proc_macro2::TokenTree = input.parse()?;
            bail!(
                unknown,
                "unknown argument `{unknown}`: {}",
                form.valid_forms()
            );
        };
        if !input.peek(Token![=]) || input.peek(Token![=>]) {
            return Err(syn::Error::new(
                span,
                format!("expected `=` after `{0}`: write `{0} = Type`", key.name()),
            ));
        }
        input.parse::<Token![=]>()?;
        if key == Key::Crate {
            let path = input.call(syn::Path::parse_mod_style).map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "`crate =` expects the path of a crate that re-exports agen-runtime, as in \
                     `crate = ::my_crate::agen`",
                )
            })?;
            if self.krate.replace(path).is_some() {
                return Err(duplicate(span, key));
            }
            return Ok(());
        }
        if key == Key::Bound {
            let bounds = Punctuated::<TypeParamBound, Token![+]>::parse_separated_nonempty(input)
                .map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "`bound =` expects bounds for the returned generator, as in \
                         `bound = Send` or `bound = Send + Sync`",
                )
            })?;
            if self.bounds.replace((span, bounds)).is_some() {
                return Err(duplicate(span, key));
            }
            return Ok(());
        }
        let ty: Type = input.parse().map_err(|error| {
            syn::Error::new(
                error.span(),
                format!("`{0} =` expects a type, as in `{0} = u64`", key.name()),
            )
        })?;
        let slot = match key {
            Key::Yield => &mut self.yield_ty,
            Key::Send => &mut self.send_ty,
            Key::Throw => &mut self.throw_ty,
            Key::Return => &mut self.return_ty,
            Key::Crate | Key::Bound => unreachable!("handled above"),
        };
        if slot.replace(ty).is_some() {
            return Err(duplicate(span, key));
        }
        Ok(())
    }
}

fn duplicate(span: Span, key: Key) -> syn::Error {
    syn::Error::new(
        span,
        format!(
            "duplicate argument `{}`: each argument is given once",
            key.name()
        ),
    )
}

/// Error recovery: skips the rest of a bad argument, up to the next `,` (or `=>`).
fn skip_to_comma(input: ParseStream<'_>) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if let proc_macro2::TokenTree::Punct(punct) = &tt {
                if punct.as_char() == ',' {
                    break;
                }
            }
            rest = next;
        }
        Ok(((), rest))
    });
}
