//! What the returned `impl Body` may borrow, and how the arguments move into the body.
//!
//! The generator's body captures every argument, so the returned `impl Body + 'agen` must be
//! allowed to hold every lifetime and type parameter of the signature. Edition 2024 captures
//! them all in `impl Trait`; edition 2021 captures only the lifetimes the bounds name. The trick
//! that works in both (async-trait's): one fresh lifetime `'agen` that every input lifetime and
//! type parameter outlives, named in the bound. Elided lifetimes of the inputs get names
//! (`'life0`, …) so they can appear in the `where` clause.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::visit_mut::{self, VisitMut};
use syn::{
    parse_quote, FnArg, GenericParam, Lifetime, LifetimeParam, Pat, PatIdent, Signature, Type,
    TypeParamBound, WherePredicate,
};

/// The signature after [`prepare`], and what the body needs from it.
pub(crate) struct Prepared {
    /// `'agen`, if the signature has anything to outlive it; bounds the returned `impl Body`.
    pub(crate) bound: Option<Lifetime>,
    /// The `(…)` of `+ Captures<(…)>`, naming every lifetime the body may hold, for edition
    /// 2021, where outliving `'agen` is not enough for a lifetime behind `&mut` (it cannot
    /// shrink); `None` when there is no `'agen`.
    held: Option<TokenStream>,
    /// The statements that move the arguments into the body (`let x = x;`, …).
    pub(crate) rebind: TokenStream,
    /// The lifetime that elided lifetimes of the output get by the elision rules: the
    /// receiver's, or the only one of the inputs.
    elision: Option<Lifetime>,
}

impl Prepared {
    /// `+ Captures<(…)>` (see `held`), with the runtime at `krate`.
    pub(crate) fn captures(&self, krate: &TokenStream) -> TokenStream {
        match &self.held {
            Some(held) => quote!(+ #krate::__private::Captures<#held>),
            None => TokenStream::new(),
        }
    }

    /// Gives the elided lifetimes of an output type (`yield = &str`) the lifetime elision
    /// would give them, now that the inputs' lifetimes have names; without one they are left
    /// for the compiler to report.
    pub(crate) fn name_output_lifetimes(&self, ty: &mut Type) {
        if let Some(lifetime) = &self.elision {
            OutputElided(lifetime).visit_type_mut(ty);
        }
    }
}

/// Replaces the elided lifetimes of an output type.
struct OutputElided<'a>(&'a Lifetime);

impl VisitMut for OutputElided<'_> {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(self.0.clone());
        }
        visit_mut::visit_type_reference_mut(self, reference);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.0.clone();
        }
    }

    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }

    fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {}

    fn visit_type_macro_mut(&mut self, _: &mut syn::TypeMacro) {}
}

/// Rewrites the signature's inputs and generics in place (see the module docs) and returns the
/// bound lifetime and the rebinding statements. Validation happened before.
pub(crate) fn prepare(sig: &mut Signature) -> Prepared {
    let mut taken = BTreeSet::new();
    LifetimeNames(&mut taken).visit_signature_mut(sig);
    let agen = fresh(&taken, "agen", sig.fn_token.span);
    taken.insert(agen.ident.to_string());

    let mut names = Elided {
        taken,
        agen: agen.clone(),
        created: Vec::new(),
        mentioned: BTreeSet::new(),
        bound_here: Vec::new(),
        mentions_self: false,
        impl_trait: false,
        positions: Vec::new(),
    };
    let mut elision = None;
    let mut rebind = TokenStream::new();
    for (i, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                names.mentions_self = true;
                if let Some((and, lifetime @ None)) = &mut receiver.reference {
                    *lifetime = Some(names.create(and.span));
                    let lifetime = lifetime.clone();
                    let mutability = receiver.mutability;
                    *receiver.ty = parse_quote!(&#lifetime #mutability Self);
                } else {
                    names.visit_receiver_mut(receiver);
                }
                elision = receiver.reference.as_ref().and_then(|(_, l)| l.clone());
                // Moves `self` into the body even if the body never uses it, as `async fn` does.
                let self_token = receiver.self_token;
                rebind.extend(quote!(let _ = &#self_token;));
            }
            FnArg::Typed(arg) => {
                names.visit_type_mut(&mut arg.ty);
                rebind.extend(rebind_arg(&mut arg.pat, i));
            }
        }
    }

    // Input lifetimes first (they must precede type parameters), then the bound.
    let mut outlive: Vec<WherePredicate> = Vec::new();
    let mut declared = BTreeSet::new();
    for param in &sig.generics.params {
        match param {
            GenericParam::Lifetime(param) => {
                declared.insert(param.lifetime.ident.to_string());
                let lifetime = &param.lifetime;
                outlive.push(parse_quote!(#lifetime: #agen));
            }
            GenericParam::Type(param) => {
                let ident = &param.ident;
                outlive.push(parse_quote!(#ident: #agen));
            }
            GenericParam::Const(_) => {}
        }
    }
    for lifetime in &names.created {
        outlive.push(parse_quote!(#lifetime: #agen));
    }
    // Lifetimes of an enclosing `impl` block that the inputs name.
    for name in &names.mentioned {
        if !declared.contains(name) && !names.created.iter().any(|l| l.ident == name) {
            let lifetime = Lifetime::new(&format!("'{name}"), Span::call_site());
            outlive.push(parse_quote!(#lifetime: #agen));
        }
    }
    if names.mentions_self {
        outlive.push(parse_quote!(Self: #agen));
    }
    let bound = (names.impl_trait || !outlive.is_empty()).then_some(agen.clone());
    let held = match &bound {
        Some(agen) => {
            let held: Vec<TokenStream> = outlive
                .iter()
                .map(|predicate| match predicate {
                    WherePredicate::Lifetime(outlives) => {
                        let lifetime = &outlives.lifetime;
                        quote!(&#lifetime ())
                    }
                    WherePredicate::Type(outlives) => {
                        let ty = &outlives.bounded_ty;
                        quote!(&#agen #ty)
                    }
                    _ => TokenStream::new(),
                })
                .collect();
            // A one-element tuple needs its comma.
            let comma = (held.len() == 1).then(|| quote!(,));
            Some(quote!((#(#held),* #comma)))
        }
        None => None,
    };
    if bound.is_some() {
        let at = sig
            .generics
            .params
            .iter()
            .take_while(|p| matches!(p, GenericParam::Lifetime(_)))
            .count();
        let new = names.created.iter().cloned().chain([agen]);
        for (offset, lifetime) in new.enumerate() {
            let param = GenericParam::Lifetime(LifetimeParam::new(lifetime));
            sig.generics.params.insert(at + offset, param);
        }
        sig.generics.make_where_clause().predicates.extend(outlive);
    }
    if elision.is_none() && names.positions.len() == 1 {
        elision = names.positions.pop();
    }
    Prepared {
        bound,
        held,
        rebind,
        elision,
    }
}

/// For a fn that returns the generator as the `impl Trait` it declares: the signature keeps its
/// lifetimes and generics as written (so it can implement a trait's method), and only the
/// arguments' patterns are rewritten; returns the statements that move them into the body.
pub(crate) fn rebind_only(sig: &mut Signature) -> TokenStream {
    let mut rebind = TokenStream::new();
    for (i, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                let self_token = receiver.self_token;
                rebind.extend(quote!(let _ = &#self_token;));
            }
            FnArg::Typed(arg) => rebind.extend(rebind_arg(&mut arg.pat, i)),
        }
    }
    rebind
}

/// Replaces an argument's pattern by a plain name and returns the statements that bind the
/// user's pattern inside the body.
///
/// - `x: T` and `mut x: T` keep their name in the signature (rustdoc shows it); the body starts
///   with `let x = x;` or `let mut x = x;`.
/// - Any other pattern becomes `__argN` (mixed-site, so user code cannot name it); the body
///   starts with `let mut __argN = __argN; let PATTERN = __argN;`, which moves the argument into
///   the body even for `_`, as `async fn` does, and lets `ref mut x` borrow it.
fn rebind_arg(pat: &mut Pat, index: usize) -> TokenStream {
    if let Pat::Ident(PatIdent {
        attrs,
        by_ref: None,
        mutability,
        ident,
        subpat: None,
    }) = pat
    {
        if attrs.is_empty() && ident != "self" {
            let rebind = quote!(let #mutability #ident = #ident;);
            *mutability = None;
            return rebind;
        }
    }
    let arg = format_ident!("__arg{}", index, span = Span::mixed_site());
    let user = std::mem::replace(pat, parse_quote!(#arg));
    // `mut`, so that a `ref mut` in the pattern can borrow it.
    quote_spanned! {Span::mixed_site()=>
        #[allow(unused_mut)]
        let mut #arg = #arg;
        let #user = #arg;
    }
}

/// A lifetime named `'{base}` that the signature does not use yet.
fn fresh(taken: &BTreeSet<String>, base: &str, span: Span) -> Lifetime {
    let name = (0..)
        .map(|n| {
            if n == 0 {
                base.to_owned()
            } else {
                format!("{base}{n}")
            }
        })
        .find(|name| !taken.contains(name))
        .expect("an unused name exists");
    Lifetime::new(&format!("'{name}"), span)
}

/// Collects every lifetime name the signature uses.
struct LifetimeNames<'a>(&'a mut BTreeSet<String>);

impl VisitMut for LifetimeNames<'_> {
    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        self.0.insert(lifetime.ident.to_string());
    }
}

/// Names the elided lifetimes of the inputs and notes what the inputs mention.
struct Elided {
    taken: BTreeSet<String>,
    agen: Lifetime,
    /// `'life0`, … in order of creation.
    created: Vec<Lifetime>,
    /// Named lifetimes the inputs use, except `'static` and those bound by `for<…>`.
    mentioned: BTreeSet<String>,
    /// Lifetimes bound by the `for<…>` being visited.
    bound_here: Vec<String>,
    mentions_self: bool,
    impl_trait: bool,
    /// Every lifetime position of the inputs, for the elision rules.
    positions: Vec<Lifetime>,
}

impl Elided {
    fn create(&mut self, span: Span) -> Lifetime {
        let lifetime = fresh(&self.taken, &format!("life{}", self.created.len()), span);
        self.taken.insert(lifetime.ident.to_string());
        self.created.push(lifetime.clone());
        lifetime
    }
}

impl VisitMut for Elided {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(self.create(reference.and_token.span));
        }
        visit_mut::visit_type_reference_mut(self, reference);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        let name = lifetime.ident.to_string();
        if name == "_" {
            *lifetime = self.create(lifetime.apostrophe);
        } else if self.bound_here.contains(&name) {
            return;
        } else if name != "static" {
            self.mentioned.insert(name);
        }
        self.positions.push(lifetime.clone());
    }

    fn visit_type_impl_trait_mut(&mut self, impl_trait: &mut syn::TypeImplTrait) {
        visit_mut::visit_type_impl_trait_mut(self, impl_trait);
        self.impl_trait = true;
        impl_trait
            .bounds
            .push(TypeParamBound::Lifetime(self.agen.clone()));
    }

    fn visit_trait_bound_mut(&mut self, bound: &mut syn::TraitBound) {
        let names = bound.lifetimes.iter().flat_map(|l| &l.lifetimes);
        let before = self.bound_here.len();
        for param in names {
            if let GenericParam::Lifetime(param) = param {
                self.bound_here.push(param.lifetime.ident.to_string());
            }
        }
        visit_mut::visit_trait_bound_mut(self, bound);
        self.bound_here.truncate(before);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.segments.first().is_some_and(|s| s.ident == "Self") {
            self.mentions_self = true;
        }
        visit_mut::visit_path_mut(self, path);
    }

    // Elided lifetimes in `fn(&T)` and `Fn(&T)` are higher-ranked: not the signature's.
    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }

    // A type macro's tokens are not ours to read.
    fn visit_type_macro_mut(&mut self, _: &mut syn::TypeMacro) {}

    fn visit_type_mut(&mut self, ty: &mut Type) {
        visit_mut::visit_type_mut(self, ty);
    }
}
