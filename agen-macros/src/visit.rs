//! The rewrite of yield points, and the scope rules that say where they may appear.

use proc_macro2::{Span, TokenStream};
use quote::{quote_spanned, ToTokens};
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, Macro, Path, Stmt, Token};

use crate::error::Errors;
use crate::for_await::ForAwait;

/// The kinds of yield point, named by the last segment of a macro's path.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `yield_!(value)`, or a bare `yield value`.
    Plain,
    /// `yield_catch!(value)`.
    Catching,
    /// `closed!()`.
    Closed,
    /// `yield_from!(inner)`.
    From,
}

impl Kind {
    fn of(path: &Path) -> Option<Kind> {
        match last_segment(path)?.as_str() {
            "yield_" => Some(Kind::Plain),
            "yield_catch" => Some(Kind::Catching),
            "closed" => Some(Kind::Closed),
            "yield_from" => Some(Kind::From),
            _ => None,
        }
    }

    fn name(self, bare: bool) -> &'static str {
        match self {
            Kind::Plain if bare => "`yield`",
            Kind::Plain => "`yield_!`",
            Kind::Catching => "`yield_catch!`",
            Kind::Closed => "`closed!`",
            Kind::From => "`yield_from!`",
        }
    }
}

fn last_segment(path: &Path) -> Option<String> {
    path.segments.last().map(|s| s.ident.to_string())
}

/// Where the visitor is, relative to the generator's body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The body's own control flow: yield points are rewritten.
    Body,
    Closure,
    AsyncBlock,
    Fn,
    Item,
}

impl Scope {
    /// Why a yield point cannot be here; `None` in the body.
    fn reason(self) -> Option<&'static str> {
        Some(match self {
            Scope::Body => return None,
            Scope::Closure => {
                "inside a closure: a closure is its own scope, not part of the generator body"
            }
            Scope::AsyncBlock => {
                "inside an `async` block: an async block is its own future, not part of the \
                 generator body"
            }
            Scope::Fn => {
                "inside a nested fn: it is its own scope, not part of the generator body \
                 (make it an #[async_generator] of its own)"
            }
            Scope::Item => {
                "inside a nested item: it is its own scope, not part of the generator body"
            }
        })
    }
}

/// Rewrites the yield points of a generator's body (see the crate docs for each rewrite) and
/// reports those that are out of its scope.
pub(crate) struct YieldPoints {
    scope: Scope,
    /// Inside the tokens of another macro: bare `yield` belongs to that macro (`stream!`), only
    /// the yield-point macros are ours.
    in_macro: bool,
    rewritten: usize,
    /// The paths of the yield-point macros the body names, once each.
    used: Vec<Path>,
    pub(crate) errors: Errors,
}

impl YieldPoints {
    pub(crate) fn new() -> Self {
        YieldPoints {
            scope: Scope::Body,
            in_macro: false,
            rewritten: 0,
            used: Vec::new(),
            errors: Errors::default(),
        }
    }

    /// `path!(@agen_used);` for every yield-point macro path the body names, at that path's span,
    /// so that the user's `use agen_runtime::yield_;` counts as used even if every use of the
    /// macro was rewritten (or `#[cfg]`'d out).
    pub(crate) fn used_paths(&self) -> TokenStream {
        self.used
            .iter()
            .map(|path| quote_spanned!(path.span()=> #path!(@agen_used);))
            .collect()
    }

    fn in_scope(&mut self, scope: Scope, visit: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.scope, scope);
        visit(self);
        self.scope = outer;
    }

    fn note_used(&mut self, path: &Path) {
        let text = path.to_token_stream().to_string();
        if !self
            .used
            .iter()
            .any(|p| p.to_token_stream().to_string() == text)
        {
            self.used.push(path.clone());
        }
    }

    /// The rewrite of one yield point, or `None` after reporting why it is wrong.
    fn yield_point(
        &mut self,
        kind: Kind,
        value: Option<Expr>,
        span: Span,
        bare: bool,
    ) -> Option<Expr> {
        if let Some(reason) = self.scope.reason() {
            let name = kind.name(bare);
            self.errors.push(syn::Error::new(
                span,
                format!("{name} cannot be used {reason}"),
            ));
            return None;
        }
        let mut value = value;
        if let Some(value) = &mut value {
            self.visit_expr_mut(value);
        }
        self.rewritten += 1;
        let co = syn::Ident::new("__agen_co", Span::mixed_site().located_at(span));
        let tokens = match kind {
            // Input:  yield_!(value)        Output: __agen_co.yield_(value).await
            Kind::Plain => quote_spanned!(span=> #co.yield_(#value).await),
            // Input:  yield_catch!(value)   Output: __agen_co.yield_catching(value).await
            Kind::Catching => quote_spanned!(span=> #co.yield_catching(#value).await),
            // Input:  closed!()             Output: match __agen_co.exit().await {}
            Kind::Closed => quote_spanned!(span=> match #co.exit().await {}),
            // Input:  yield_from!(inner)
            // Output: Delegate(inner).delegate(&mut __agen_co).await
            // `Delegate` has an inherent `delegate` for generators and a trait one for streams;
            // method resolution tries the inherent one first.
            Kind::From => quote_spanned! {span=> {
                #[allow(unused_imports)]
                use ::agen_runtime::__private::DelegateToStream as _;
                ::agen_runtime::__private::Delegate(#value).delegate(&mut #co).await
            }},
        };
        Some(Expr::Verbatim(tokens))
    }

    /// A yield-point macro: checks its argument and rewrites it.
    fn yield_macro(&mut self, kind: Kind, mac: &Macro) -> Option<Expr> {
        self.note_used(&mac.path);
        let span = mac.path.span();
        let value = match kind {
            Kind::Plain | Kind::Catching | Kind::From => match mac.parse_body_with(parse_value) {
                Ok(Some(value)) => Some(value),
                Ok(None) if kind == Kind::From => {
                    self.errors.push(syn::Error::new_spanned(
                        mac,
                        "`yield_from!` needs the generator or stream to delegate to: \
                         `yield_from!(inner)`",
                    ));
                    return None;
                }
                Ok(None) => {
                    let name = kind.name(false);
                    let example = if kind == Kind::Plain {
                        "yield_"
                    } else {
                        "yield_catch"
                    };
                    self.errors.push(syn::Error::new_spanned(
                        mac,
                        format!(
                            "{name} needs the item to yield: `{example}!(value)`, or \
                             `{example}!(())` to yield the unit value"
                        ),
                    ));
                    return None;
                }
                Err(error) => {
                    self.errors.push(error);
                    return None;
                }
            },
            Kind::Closed => {
                if !mac.tokens.is_empty() {
                    self.errors.push(syn::Error::new_spanned(
                        &mac.tokens,
                        "`closed!` takes no argument: write `closed!()`",
                    ));
                    return None;
                }
                None
            }
        };
        self.yield_point(kind, value, span, false)
    }

    /// Another macro: if its tokens are expressions (`vec![…]`, `println!(…)`,
    /// `assert_eq!(…)`), rewrites the yield points among them; otherwise leaves it alone.
    fn other_macro(&mut self, mac: &mut Macro) {
        match last_segment(&mac.path).as_deref() {
            // An inner generator's yield points are its own.
            Some("async_gen") => return,
            // A loop in the body's own control flow: its yield points are the body's.
            Some("for_await") => return self.for_await(mac),
            _ => {}
        }
        let before = (self.rewritten, std::mem::replace(&mut self.in_macro, true));
        let exprs = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated);
        let tokens = match exprs {
            Ok(mut exprs) => {
                exprs.iter_mut().for_each(|expr| self.visit_expr_mut(expr));
                exprs.into_token_stream()
            }
            Err(_) => match mac.parse_body_with(parse_repeat) {
                Ok((mut elem, semi, mut len)) => {
                    self.visit_expr_mut(&mut elem);
                    self.visit_expr_mut(&mut len);
                    quote::quote!(#elem #semi #len)
                }
                Err(_) => TokenStream::new(),
            },
        };
        self.in_macro = before.1;
        if self.rewritten != before.0 {
            mac.tokens = tokens;
        }
    }
}

impl YieldPoints {
    /// `for_await!(pat in expr { body })`: rewrites the yield points of `expr` and `body`.
    fn for_await(&mut self, mac: &mut Macro) {
        // A malformed loop is left for `for_await!` itself to report.
        let Ok(mut parsed) = mac.parse_body::<ForAwait>() else {
            return;
        };
        let before = self.rewritten;
        self.visit_expr_mut(&mut parsed.expr);
        self.visit_block_mut(&mut parsed.body);
        if self.rewritten != before {
            mac.tokens = parsed.into_token_stream();
        }
    }
}

/// `value` or `value,`; `None` when empty.
fn parse_value(input: ParseStream<'_>) -> syn::Result<Option<Expr>> {
    if input.is_empty() {
        return Ok(None);
    }
    let value = input.parse()?;
    input.parse::<Option<Token![,]>>()?;
    Ok(Some(value))
}

/// `elem; len`, as in `vec![elem; len]`.
fn parse_repeat(input: ParseStream<'_>) -> syn::Result<(Expr, Token![;], Expr)> {
    Ok((input.parse()?, input.parse()?, input.parse()?))
}

/// Whether an item carries `#[async_generator]`: then it rewrites its own yield points.
fn is_generator(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| last_segment(attr.path()).as_deref() == Some("async_generator"))
}

impl VisitMut for YieldPoints {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Macro(mac) => match Kind::of(&mac.mac.path) {
                Some(kind) => {
                    if let Some(rewritten) = self.yield_macro(kind, &mac.mac) {
                        *expr = rewritten;
                    }
                }
                None => self.other_macro(&mut mac.mac),
            },
            Expr::Yield(yield_expr) if !self.in_macro => {
                // Input:  yield value           Output: as yield_!(value)
                let span = yield_expr.yield_token.span;
                let value = yield_expr
                    .expr
                    .take()
                    .map_or_else(|| syn::parse_quote_spanned!(span=> ()), |value| *value);
                if let Some(rewritten) = self.yield_point(Kind::Plain, Some(value), span, true) {
                    *expr = rewritten;
                }
            }
            // `(yield value)`: rustc's parser needs the parentheses in some places (`while let
            // … = (yield x) {`), the rewrite does not (a method chain binds tightest), and
            // `unused_parens` would flag them.
            Expr::Paren(paren) if matches!(*paren.expr, Expr::Yield(_)) && !self.in_macro => {
                let mut inner = (*paren.expr).clone();
                self.visit_expr_mut(&mut inner);
                if !matches!(inner, Expr::Yield(_)) {
                    *expr = inner;
                }
            }
            Expr::Closure(_) => self.in_scope(Scope::Closure, |this| {
                visit_mut::visit_expr_mut(this, expr);
            }),
            Expr::Async(_) => self.in_scope(Scope::AsyncBlock, |this| {
                visit_mut::visit_expr_mut(this, expr);
            }),
            Expr::Const(_) => self.in_scope(Scope::Item, |this| {
                visit_mut::visit_expr_mut(this, expr);
            }),
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        let Stmt::Macro(mac) = stmt else {
            return visit_mut::visit_stmt_mut(self, stmt);
        };
        match Kind::of(&mac.mac.path) {
            Some(kind) => {
                if let Some(rewritten) = self.yield_macro(kind, &mac.mac) {
                    // The statement's attributes (`#[cfg]`) stay on it.
                    let attrs = &mac.attrs;
                    let rewritten = Expr::Verbatim(quote::quote!(#(#attrs)* #rewritten));
                    *stmt = Stmt::Expr(rewritten, mac.semi_token);
                }
            }
            None => self.other_macro(&mut mac.mac),
        }
    }

    // Nested items are their own scope: their yield points are reported, never rewritten, and
    // a nested `#[async_generator]` is left to expand on its own.
    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        let scope = match item {
            syn::Item::Fn(f) if is_generator(&f.attrs) => return,
            syn::Item::Fn(_) => Scope::Fn,
            _ => Scope::Item,
        };
        self.in_scope(scope, |this| visit_mut::visit_item_mut(this, item));
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if !is_generator(&f.attrs) {
            self.in_scope(Scope::Fn, |this| visit_mut::visit_impl_item_fn_mut(this, f));
        }
    }

    fn visit_trait_item_fn_mut(&mut self, f: &mut syn::TraitItemFn) {
        if !is_generator(&f.attrs) {
            self.in_scope(Scope::Fn, |this| {
                visit_mut::visit_trait_item_fn_mut(this, f)
            });
        }
    }
}
