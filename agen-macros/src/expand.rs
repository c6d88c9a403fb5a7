//! The two expansions: `#[async_generator]` on a fn, and `async_gen!` as an expression.

use proc_macro2::{Delimiter, Group, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::visit_mut::VisitMut;
use syn::{Block, ReturnType, Token, Type};

use crate::args::{Args, Form};
use crate::capture;
use crate::error::Errors;
use crate::signature::{self, GenFn};
use crate::visit::BodyPass;

/// Whether a type contains `impl Trait`, which a `let` cannot be annotated with.
fn has_impl_trait(ty: &Type) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tt| match tt {
            TokenTree::Ident(ident) => ident == "impl",
            TokenTree::Group(group) => walk(group.stream()),
            _ => false,
        })
    }
    walk(ty.to_token_stream())
}

/// Whether the tokens have the identifier `name`, at any depth.
fn mentions(tokens: TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|tt| match tt {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => mentions(group.stream(), name),
        _ => false,
    })
}

/// The type `()`, as tokens: the macros only print the types they make (never inspect them), and
/// parsing them back (`parse_quote!`) would cost the expansion of every generator a parse.
fn unit() -> Type {
    Type::Verbatim(quote!(()))
}

/// One generator's protocol types and where its runtime is.
struct Types {
    krate: TokenStream,
    yield_ty: Type,
    send_ty: Type,
    throw_ty: Type,
    /// Whether `send` was declared: then a plain yield point evaluates to `Option<S>`, else `()`.
    sends: bool,
}

impl Types {
    /// `krate` is where the runtime is: `$crate` from the runtime's wrapper macros, `crate =
    /// path` if the user gave one, else `::agen_runtime`.
    fn new(args: Args, krate: TokenStream, yield_default: Type) -> (Types, Option<Type>) {
        let krate = args.krate.map_or(krate, |path| path.into_token_stream());
        let types = Types {
            sends: args.send_ty.is_some(),
            yield_ty: args.yield_ty.unwrap_or(yield_default),
            send_ty: args
                .send_ty
                .unwrap_or_else(|| Type::Verbatim(quote!(#krate::NoSend))),
            throw_ty: args
                .throw_ty
                .unwrap_or_else(|| Type::Verbatim(quote!(#krate::NoThrow))),
            krate,
        };
        (types, args.return_ty)
    }

    /// The generator built from the body: the runtime's `__body!` (see its docs, and the crate
    /// docs' expansion) with the declared types, the argument rebinding and the statements.
    ///
    /// The return type, when known and nameable, fixes the body's value, so `?` and `return` in
    /// the body infer against it. `brace` is the span of the user's braces around the body: the
    /// block that holds the statements takes it, so that a body whose value has the wrong type is
    /// reported there.
    fn body(
        &self,
        rebind: &TokenStream,
        stmts: &TokenStream,
        brace: Span,
        ret: Option<&Type>,
        attrs: &TokenStream,
    ) -> TokenStream {
        let ret = match ret {
            Some(ret) if has_impl_trait(ret) => quote!(impl),
            Some(ret) => quote!((#ret)),
            None => quote!(_),
        };
        self.body_with(rebind, stmts, brace, ret, attrs)
    }

    /// [`body`](Self::body), with `__body!`'s `return` field as given: `(R)`, `_`, `impl` or
    /// `try`.
    fn body_with(
        &self,
        rebind: &TokenStream,
        stmts: &TokenStream,
        brace: Span,
        ret: TokenStream,
        attrs: &TokenStream,
    ) -> TokenStream {
        let Types {
            krate,
            yield_ty,
            send_ty,
            throw_ty,
            sends,
        } = self;
        let dollar = Punct::new('$', Spacing::Alone);
        let plain = if *sends { quote!(option) } else { quote!(unit) };
        let mut body = Group::new(Delimiter::Brace, stmts.clone());
        body.set_span(brace);
        quote! {
            #krate::__private::body! {
                #dollar
                yield = #yield_ty, send = #send_ty, throw = #throw_ty,
                plain = #plain,
                return = #ret,
                attrs = { #attrs },
                rebind = { #rebind },
                body = #body
            }
        }
    }
}

/// `#[async_generator(args)] item`.
pub(crate) fn attribute(args: TokenStream, item: TokenStream) -> TokenStream {
    // Read off the tokens as they came (a walk of the compiler's own tokens), not off the parsed
    // body turned back into tokens, which would make every token of it anew.
    let traced = mentions(item.clone(), "__tracing_attr_span");
    let GenFn {
        mut attrs,
        vis,
        mut sig,
        body,
    } = match GenFn::parse_item(item.clone()) {
        Ok(gen_fn) => gen_fn,
        // Not a fn: keep the item as it was, so nothing else breaks.
        Err(error) => {
            let error = error.into_compile_error();
            return quote!(#error #item);
        }
    };
    let (args, mut errors) = Args::parse(args, Form::Attribute);
    // A second `#[async_generator]` below this one would see the expanded fn, no longer
    // `async`, and say so: say what is wrong instead, and drop it.
    attrs.retain(|attr| {
        let twice = attr
            .path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "async_generator");
        if twice {
            errors.push(syn::Error::new_spanned(
                attr,
                "`#[async_generator]` is applied twice to this fn: remove one",
            ));
        }
        !twice
    });
    errors.append(signature::validate(&sig));

    // Without the yield type the body cannot be expanded; other errors leave it intact (yield
    // points out of place replaced), so it is still checked.
    let fatal = args.yield_ty.is_none();

    // `-> impl Trait` (`impl Stream<Item = T> + Send + '_`, as a trait may declare it): the fn
    // returns the generator as that type, its signature as written; the body's value is `()`,
    // or `Result<(), E>` with `try`.
    let returned_as =
        matches!(&sig.output, ReturnType::Type(_, ty) if matches!(**ty, Type::ImplTrait(_)));
    let try_ = args.try_;
    let bounds = args.bounds.clone();
    if let Some(span) = args.return_span {
        errors.push(syn::Error::new(
            span,
            "`return =` is for `async_gen!`: in the attribute form the fn's return type is the \
             generator's return value (`async fn f() -> R`)",
        ));
    }
    if !returned_as {
        if let Some(span) = try_ {
            errors.push(syn::Error::new(
                span,
                "`try` is for a fn that returns `impl Stream<Item = Result<T, E>>`: otherwise the \
                 fn's return type is the generator's return value, here `-> Result<(), E>`",
            ));
        }
    } else if let Some((span, _)) = &bounds {
        errors.push(syn::Error::new(
            *span,
            "`bound =` is for a fn that returns the generator's own type: this fn returns the \
             `impl …` it declares, so write the bound there (`-> impl Stream<Item = T> + Send`)",
        ));
    }
    // Reported above when misplaced, then ignored, so it adds no error of its own.
    let try_ = try_.filter(|_| returned_as);
    let (mut types, _) = Types::new(args, quote!(::agen_runtime), unit());
    sig.asyncness = None;
    sig.constness = None;
    let mut ret: Type = match &sig.output {
        ReturnType::Type(_, ty) if !returned_as => (**ty).clone(),
        _ => unit(),
    };
    let prepared = (!returned_as).then(|| capture::prepare(&mut sig));
    let rebind = match &prepared {
        Some(prepared) => {
            for ty in [
                &mut types.yield_ty,
                &mut types.send_ty,
                &mut types.throw_ty,
                &mut ret,
            ] {
                prepared.name_output_lifetimes(ty);
            }
            prepared.rebind.clone()
        }
        None => capture::rebind_only(&mut sig),
    };
    let mut pass = BodyPass::new();
    if traced && body.is_some() {
        pass.wrapped_by = Some("tracing::instrument");
    }
    if !has_impl_trait(&ret) && try_.is_none() {
        pass.returns = Some(ret.clone());
    }
    let body = body.map(|mut block| {
        pass.visit_block_mut(&mut block);
        block
    });
    errors.append(std::mem::take(&mut pass.errors));
    if cfg!(agen_gated_yield) {
        for &span in &pass.gated_yields {
            errors.push(syn::Error::new(
                span,
                "a bare `yield` in an `#[async_generator]` fn needs a nightly compiler and \
                 `#![feature(yield_expr)]` (stable Rust rejects the syntax in the fn before \
                 the attribute runs): write `yield_!(value)`, or use `async_gen! { … }`, where \
                 bare `yield` works on stable",
            ));
        }
    }
    let Types {
        krate,
        yield_ty,
        send_ty,
        throw_ty,
        ..
    } = &types;
    if let Some(prepared) = &prepared {
        let bound = prepared.bound.iter();
        let captures = prepared.captures(krate);
        let extra = bounds.iter().map(|(_, bounds)| bounds);
        // The `impl` type takes the span of the user's `fn`, and so the edition of the user's
        // crate: in 2024 it captures every lifetime in scope, in 2021 those `'agen` stands for.
        let body_ty = quote_spanned! {sig.fn_token.span=>
            impl #krate::Body<Yield = #yield_ty, Send = #send_ty, Throw = #throw_ty, Return = #ret>
                #(+ #extra)* #(+ #bound)* #captures
        };
        let arrow = Token![->](sig.fn_token.span);
        sig.output = ReturnType::Type(
            arrow,
            Box::new(Type::Verbatim(quote!(#krate::AsyncGen<#body_ty>))),
        );
    }

    let Some(Block { stmts, brace_token }) = body else {
        // A declaration in a trait.
        let errors = errors.finish().err().map(syn::Error::into_compile_error);
        return quote!(#errors #(#attrs)* #vis #sig;);
    };
    let errors = errors.finish().err().map(syn::Error::into_compile_error);
    let body = if fatal {
        // A failed expansion keeps the signature, with a body that diverges, so that callers
        // see no error of their own; the arguments it no longer uses are not reported.
        let allow = quote!(#[allow(unused_variables, unused_mut)]);
        let uses = pass.uses(true);
        let stmts = quote!(#uses loop {});
        types.body(&rebind, &stmts, brace_token.span.join(), Some(&ret), &allow)
    } else {
        let uses = pass.uses(false);
        let stmts = quote!(#uses #(#stmts)*);
        let brace = brace_token.span.join();
        if try_.is_some() {
            types.body_with(&rebind, &stmts, brace, quote!(try), &TokenStream::new())
        } else {
            types.body(&rebind, &stmts, brace, Some(&ret), &TokenStream::new())
        }
    };
    quote! {
        #errors
        #(#attrs)*
        #vis #sig {
            #body
        }
    }
}

/// `async_gen! { body }` or `async_gen!(args => { body })`, as the runtime's wrapper passes it:
/// `krate; …`, `krate` being where the runtime is (`$crate`).
pub(crate) fn function_like(input: TokenStream) -> TokenStream {
    let (krate, input) = split_krate(input);
    match function_like_inner(krate, input) {
        Ok(tokens) => tokens,
        Err(error) => error.into_compile_error(),
    }
}

/// Splits the runtime's path, which the runtime's wrapper macros put before a `;`, from the
/// user's tokens.
pub(crate) fn split_krate(input: TokenStream) -> (TokenStream, TokenStream) {
    let mut tokens = input.into_iter();
    let mut krate = TokenStream::new();
    for token in tokens.by_ref() {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == ';' => break,
            _ => krate.extend([token]),
        }
    }
    (krate, tokens.collect())
}

fn function_like_inner(krate: TokenStream, input: TokenStream) -> syn::Result<TokenStream> {
    let (header, body, brace) = split_header(input);
    let mut errors = Errors::default();
    let args = match header {
        Some(header) => {
            let (args, header_errors) = Args::parse(header, Form::Expression);
            errors.append(header_errors);
            args
        }
        None => Args::default(),
    };
    if let (Some(try_), Some(_)) = (args.try_, &args.return_ty) {
        errors.push(syn::Error::new(
            try_,
            "`try` and `return = Type` both say what the body returns: keep one \
             (`try` is `return = Result<(), _>` with `Ok(())` at the end)",
        ));
    }
    // A body that does not parse is reported alone; any other error comes with the body, its
    // yield points out of place neutralised, so it is still checked (and rust-analyzer keeps
    // hover and completion in it).
    let Some(BlockBody(mut stmts)) = errors.take(syn::parse2::<BlockBody>(body)) else {
        return Err(errors.finish().expect_err("the body's error was collected"));
    };
    let mut pass = BodyPass::new();
    for stmt in &mut stmts {
        pass.visit_stmt_mut(stmt);
    }
    errors.append(std::mem::take(&mut pass.errors));
    let errors = errors.finish().err().map(syn::Error::into_compile_error);
    // A body without a yield point yields nothing: its item type is `()` unless declared, as
    // for `stream!`.
    let yield_default = if pass.saw_yield_points() {
        Type::Verbatim(quote!(_))
    } else {
        unit()
    };
    let try_ = args.try_.is_some();
    let (types, ret) = Types::new(args, krate, yield_default);
    let uses = pass.uses(false);
    let stmts = quote!(#uses #(#stmts)*);
    let body = if try_ {
        types.body_with(
            &TokenStream::new(),
            &stmts,
            brace,
            quote!(try),
            &TokenStream::new(),
        )
    } else {
        types.body(
            &TokenStream::new(),
            &stmts,
            brace,
            ret.as_ref(),
            &TokenStream::new(),
        )
    };
    Ok(quote!({ #errors #body }))
}

/// The statements of `async_gen!`'s body.
struct BlockBody(Vec<syn::Stmt>);

impl syn::parse::Parse for BlockBody {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        Block::parse_within(input).map(BlockBody)
    }
}

/// Splits `args => { body }` into its two parts and the span of the body's braces; a body alone
/// has no `=>` outside a group (its braces are the invocation's, which the wrapper macro does not
/// pass on: the call site stands for them).
fn split_header(input: TokenStream) -> (Option<TokenStream>, TokenStream, Span) {
    let tokens: Vec<TokenTree> = input.clone().into_iter().collect();
    let arrow = tokens.windows(2).position(|pair| match pair {
        [TokenTree::Punct(eq), TokenTree::Punct(gt)] => {
            eq.as_char() == '='
                && gt.as_char() == '>'
                && eq.spacing() == proc_macro2::Spacing::Joint
        }
        _ => false,
    });
    match (arrow, tokens.last()) {
        (Some(at), Some(TokenTree::Group(group)))
            if at + 3 == tokens.len() && group.delimiter() == proc_macro2::Delimiter::Brace =>
        {
            let header = tokens[..at].iter().cloned().collect();
            (Some(header), group.stream(), group.span())
        }
        _ => (None, input, Span::call_site()),
    }
}
