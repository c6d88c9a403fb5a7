//! `try_finally! { try { … } finally { … } }`: Python's `try: … finally: await cleanup()` in a
//! generator body.
//!
//! The `try` block's plain yield points become catching ones: a throw or a close that reaches one
//! leaves the block, like an exception would. The `finally` block then runs (it may await, and
//! yield), and the generator ends as the throw or close says: the error handed back uncaught, or
//! closed. Every other way out of the `try` block (its end, `return`, `?`, `break` and
//! `continue` of an enclosing loop) runs the `finally` block too, then goes where it was going.
//!
//! How a plain yield point in the block changes: the body's local macro puts a plain yield
//! point's item out with `__agen_plain_put!()` and passes its resumption through
//! `__agen_plain_resumed!`, and ends the body early (`closed!()`, `raise!(e)`) with
//! `__agen_end!`: three macros the body defines. The expansion here defines its own three inside
//! the `try` block, which shadow them there (a macro's name is found where it is used): they put
//! the item out as a catching yield point's, and turn a throw, a close, `closed!()` and
//! `raise!(e)` into exits of the block. After the `finally` block, a close or an error goes on
//! through `__agen_end!` as found there: the enclosing `try_finally!`'s, or the body's. The
//! handle is never named here.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::visit_mut::VisitMut;
use syn::{Block, Lifetime, Token};

use crate::for_await::{Exits, Frame};

mod kw {
    syn::custom_keyword!(finally);
}

/// A parsed `try_finally!` invocation.
pub(crate) struct TryFinally {
    pub(crate) try_block: Block,
    pub(crate) finally_block: Block,
}

impl quote::ToTokens for TryFinally {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let TryFinally {
            try_block,
            finally_block,
        } = self;
        tokens.extend(quote!(try #try_block finally #finally_block));
    }
}

fn usage(span: Span) -> syn::Error {
    syn::Error::new(
        span,
        "expected `try_finally! { try { … } finally { … } }`: the statements that may be \
         interrupted, then the cleanup that always runs",
    )
}

impl Parse for TryFinally {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        input
            .parse::<Token![try]>()
            .map_err(|_| usage(input.span()))?;
        let try_block = input.parse().map_err(|_| usage(input.span()))?;
        input
            .parse::<kw::finally>()
            .map_err(|_| usage(input.span()))?;
        let finally_block = input.parse().map_err(|_| usage(input.span()))?;
        if !input.is_empty() {
            return Err(syn::Error::new(
                input.span(),
                "unexpected tokens after the `finally` block of `try_finally!`",
            ));
        }
        Ok(TryFinally {
            try_block,
            finally_block,
        })
    }
}

/// Expands a `try_finally!` invocation; `krate` is where the runtime is, `depth` as for
/// `for_await!`'s expansion.
pub(crate) fn expand(krate: TokenStream, input: TryFinally, depth: usize) -> TokenStream {
    let TryFinally {
        mut try_block,
        finally_block,
    } = input;
    let span = Span::mixed_site();
    let label = Lifetime::new(&format!("'__agen_try{depth}"), span);
    // Named after the depth like the label: an exit of an enclosing block, rewritten inside this
    // one's expansion, writes the enclosing block's slot, not this one's.
    let slot = syn::Ident::new(&format!("__agen_outcome{depth}"), span);
    let mut exits = Exits::new(
        krate.clone(),
        label.clone(),
        Frame::Block { slot: slot.clone() },
        depth,
    );
    exits.visit_block_mut(&mut try_block);
    let stmts = &try_block.stmts;
    let finally_stmts = &finally_block.stmts;
    let private = quote!(#krate::__private);
    let core = quote!(#private::core);
    let returned = if exits.returns {
        quote!(_)
    } else {
        quote!(#core::convert::Infallible)
    };
    let return_arm = if exits.returns {
        quote!(#private::Interrupted::Return(value) => return value,)
    } else {
        quote!(#private::Interrupted::Return(never) => match never {},)
    };
    let outer_arms = exits
        .outer
        .iter()
        .enumerate()
        .map(|(index, outer)| outer.arm(&krate, index));
    // Input:  try_finally! { try { a } finally { b } }
    // Output: let mut outcome = None;
    //         'try: { /* the two shadowing macros */ outcome = Some(Ok({ a' })); }
    //         { b }
    //         match outcome { Some(Ok(value)) => value, Some(Err(exit)) => /* go there */ }
    //         where a' has each exit rewritten as `{ outcome = Some(Err(Interrupted::…)); break 'try; }`.
    let declarations = exits.declarations();
    let hooks = crate::for_await::end_hooks(&krate, |end| {
        quote! {{
            #slot = #core::option::Option::Some(#core::result::Result::Err(
                #private::Interrupted::#end,
            ));
            break #label;
        }}
    });
    quote! {{
        #declarations
        let mut #slot = #private::Interrupted::<#returned, _>::none(
            yield_point_outside_of_an_async_generator_body! { protocol }
        );
        #label: {
            #hooks
            let __agen_value = { #(#stmts)* };
            // Unreachable when the block diverges; the `allow` covers this one statement, never
            // the user's code.
            #[allow(unreachable_code)]
            {
                #slot = #core::option::Option::Some(#core::result::Result::Ok(__agen_value));
            }
        }
        #(#finally_stmts)*
        #[allow(unreachable_code)]
        match #slot {
            #core::option::Option::Some(#core::result::Result::Ok(value)) => value,
            #core::option::Option::Some(#core::result::Result::Err(exit)) => match exit {
                // Through the enclosing `try_finally!`'s `finally` block, if there is one.
                #private::Interrupted::Closed => {
                    yield_point_outside_of_an_async_generator_body! { end closed }
                }
                #private::Interrupted::Raised(error) => {
                    yield_point_outside_of_an_async_generator_body! { end raise error }
                }
                #return_arm
                #private::Interrupted::Outer(index) => match index {
                    #(#outer_arms)*
                    _ => #core::unreachable!(),
                },
            },
            // The `try` block always leaves a value or an exit, unless it diverges.
            #core::option::Option::None => #core::unreachable!(),
        }
    }}
}
