//! What the generator macros do to a body before handing it to the runtime's `__body!`: bare
//! `yield` becomes a yield point, and a yield point written in a closure or an `async` block gets
//! an error of its own.
//!
//! This pass is about syntax and messages, not soundness. Where a yield point may be is enforced
//! by the compiler, whatever this pass sees or misses (see the runtime's `macros.rs`): the
//! yield-point macros expand, wherever they end up, to the innermost body's local macro, which
//! does not compile outside that body's own control flow. What this pass adds is a clearer
//! message for the cases it can see (a yield point written directly inside a closure or an
//! `async` block), and the rewrite of bare `yield`, which stable Rust cannot expand on its own.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Macro, Path, Stmt, Token};

use crate::error::Errors;

/// The name of the local macro each body defines; the yield-point macros expand to it.
pub(crate) const LOCAL_MACRO: &str = "yield_point_outside_of_an_async_generator_body";

/// The yield-point macros, by the last segment of their path.
const YIELD_MACROS: [&str; 6] = [
    "yield_",
    "yield_catch",
    "closed",
    "yield_from",
    "yield_from_catch",
    "raise",
];

/// Macros of other crates whose bare `yield` is their own (async-stream's generators).
const OTHER_GENERATORS: [&str; 3] = ["stream", "try_stream", "async_gen"];

/// Where the visitor is, relative to the generator's body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The body's own control flow.
    Body,
    Closure,
    AsyncBlock,
    /// A `const` block or item, or a `static`.
    Const,
    /// A nested item: a fn, an `impl` block, a `const`…
    Item,
}

impl Scope {
    /// Why a yield point cannot be here; `None` in the body.
    fn reason(self) -> Option<&'static str> {
        Some(match self {
            Scope::Body => return None,
            Scope::Closure => {
                "inside a closure: a closure is its own function, not part of the generator \
                 body, and cannot suspend it"
            }
            Scope::AsyncBlock => {
                "inside an `async` block: an async block is its own future, not part of the \
                 generator body (to yield from another generator or stream, use `yield_from!`)"
            }
            Scope::Const => {
                "inside a `const` or `static`: it is evaluated at compile time, not part of the \
                 generator body"
            }
            Scope::Item => {
                "inside a nested item: a nested fn is its own function, not part of the \
                 generator body (make it an `#[async_generator]` of its own)"
            }
        })
    }
}

fn last_segment(path: &Path) -> Option<String> {
    path.segments.last().map(|s| s.ident.to_string())
}

/// A yield point the pass reports, and what its replacement keeps of it.
struct Misplaced<'a> {
    /// How the error names it: `` `yield_!` ``, `` `yield` ``.
    name: String,
    span: Span,
    /// The macro's path as written, if it is a macro.
    path: Option<&'a Path>,
    operand: Option<&'a Expr>,
}

/// The body pass; see the module docs.
pub(crate) struct BodyPass {
    scope: Scope,
    /// Whether the expression visited is a whole statement (its value unused).
    statement: bool,
    /// The paths of the yield-point macros the body names, once each, and whether one is only
    /// named in code under a `#[cfg]`: such code may be removed, and a body that cannot be
    /// expanded is removed, but their imports must still count as used.
    used: Vec<(Path, bool)>,
    /// Inside a statement under `#[cfg]` or `#[cfg_attr]`.
    under_cfg: bool,
    /// Whether a yield-point macro was seen in tokens that do not parse (inside another
    /// macro's arguments).
    yield_macro_tokens: bool,
    /// Bare `yield` is rewritten (the expression form, and the attribute form on nightly).
    rewrites: usize,
    /// `for_await!` loops marked as in the body's own control flow.
    marked_loops: usize,
    /// The yield points seen (each kind, bare `yield` included, wherever it is).
    yield_points: usize,
    /// Where the item's own code (not another macro's tokens, which the compiler has not parsed)
    /// has a bare `yield`: the compiler's feature gate rejects those on a stable compiler.
    pub(crate) gated_yields: Vec<Span>,
    /// Inside another macro's tokens.
    in_macro_tokens: bool,
    /// The attribute that ran before this one and wrapped the body in an `async` block
    /// (`#[tracing::instrument]`): yield points in that block get one error that says so.
    pub(crate) wrapped_by: Option<&'static str>,
    /// Whether that error was reported.
    wrapped_reported: bool,
    /// The declared return type, when it can be named in a `let`: each `return value` in the
    /// body's control flow checks `value` against it (see `typed_return`).
    pub(crate) returns: Option<syn::Type>,
    pub(crate) errors: Errors,
}

impl BodyPass {
    pub(crate) fn new() -> Self {
        BodyPass {
            scope: Scope::Body,
            statement: false,
            used: Vec::new(),
            under_cfg: false,
            yield_macro_tokens: false,
            rewrites: 0,
            marked_loops: 0,
            yield_points: 0,
            gated_yields: Vec::new(),
            in_macro_tokens: false,
            wrapped_by: None,
            wrapped_reported: false,
            returns: None,
            errors: Errors::default(),
        }
    }

    /// Whether the body has a yield point (bare `yield`, `yield_!`, `yield_catch!`,
    /// `yield_from!`), which determines its item type.
    pub(crate) fn saw_yield_points(&self) -> bool {
        self.rewrites > 0
            || self.used.iter().any(|(path, _)| {
                last_segment(path).is_some_and(|name| name != "closed" && name != "raise")
            })
            || self.yield_macro_tokens
    }

    /// `use path as _;` for each yield-point macro the body names only under `#[cfg]`, or, with
    /// `all`, for every one (see `used`).
    pub(crate) fn uses(&self, all: bool) -> TokenStream {
        let used = self
            .used
            .iter()
            .filter(|(_, under_cfg)| all || *under_cfg)
            .map(|(path, _)| path);
        quote!(#(#[allow(unused_imports)] use #used as _;)*)
    }

    fn note_used(&mut self, path: &Path) {
        let text = path.to_token_stream().to_string();
        let under_cfg = self.under_cfg;
        match self
            .used
            .iter_mut()
            .find(|(p, _)| p.to_token_stream().to_string() == text)
        {
            Some((_, only_under_cfg)) => *only_under_cfg &= under_cfg,
            None => self.used.push((path.clone(), under_cfg)),
        }
    }

    /// `return value` becomes `return { let __agen_return: R = value; __agen_return }`, `R` the
    /// declared return type. The body's `async` block infers its value's type from the first
    /// `return` it meets, so without this a `return` of the wrong type is reported backwards,
    /// where the body's value is compared with `R` (at the attribute, "expected `&str`, found
    /// `usize`"); with it, at the value, "expected `usize`", pointing at the declared type.
    fn typed_return(&mut self, ret: &mut syn::ExprReturn) {
        let Some(ty) = &self.returns else { return };
        let value = match ret.expr.take() {
            Some(value) => *value,
            None => {
                let span = ret.return_token.span;
                syn::parse_quote_spanned!(span=> ())
            }
        };
        let span = value.span();
        ret.expr = Some(Box::new(syn::parse_quote_spanned! {span=>
            { let __agen_return: #ty = #value; __agen_return }
        }));
    }

    fn in_scope(&mut self, scope: Scope, visit: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.scope, scope);
        visit(self);
        self.scope = outer;
    }

    /// A yield point out of the body's control flow: reported, and replaced by an expression
    /// that keeps its operand type-checked (so rust-analyzer still sees it), still names the
    /// macro (so its import counts as used), and adds no error of its own: `()` as a statement,
    /// a diverging block where its value is used.
    fn misplaced(&mut self, point: Misplaced<'_>, reason: &str) -> Expr {
        let Misplaced {
            name,
            span,
            path,
            operand,
        } = point;
        match self.wrapped_by {
            Some(attribute) if self.scope == Scope::AsyncBlock => {
                if !std::mem::replace(&mut self.wrapped_reported, true) {
                    self.errors.push(syn::Error::new(
                        span,
                        format!(
                            "{name} is in the `async` block that `#[{attribute}]`, above \
                             `#[async_generator]`, wrapped the body in: a yield point there \
                             cannot suspend the generator. `#[{attribute}]` cannot wrap a \
                             generator's body: remove it, or put it below `#[async_generator]`, \
                             where it applies to the call that creates the generator"
                        ),
                    ));
                }
            }
            _ => self.errors.push(syn::Error::new(
                span,
                format!("{name} cannot be used {reason}"),
            )),
        }
        let operand = operand.map(|operand| quote!(let _ = #operand;));
        let path = path.map(|path| quote!(#[allow(unused_imports)] use #path as _;));
        let diverge = (!self.statement).then(|| quote!(loop {}));
        Expr::Verbatim(quote_spanned! {span=>
            {
                #path
                #operand
                #diverge
            }
        })
    }

    /// `yield value` as a yield point, or `None` after reporting why it cannot be one.
    fn bare_yield(&mut self, span: Span, value: Option<Box<Expr>>) -> Expr {
        self.yield_points += 1;
        let statement = std::mem::take(&mut self.statement);
        let mut value = value.map_or_else(|| syn::parse_quote_spanned!(span=> ()), |v| *v);
        self.visit_expr_mut(&mut value);
        self.statement = statement;
        if let Some(reason) = self.scope.reason() {
            let point = Misplaced {
                name: "`yield`".into(),
                span,
                path: None,
                operand: Some(&value),
            };
            return self.misplaced(point, reason);
        }
        self.rewrites += 1;
        // Input:  yield value
        // Output: yield_point_outside_of_an_async_generator_body! { plain value }
        // (the body's local macro, found by name where it ends up, as `yield_!` expands to)
        let local = syn::Ident::new(LOCAL_MACRO, span);
        Expr::Verbatim(quote_spanned!(span=> #local! { plain #value }))
    }

    /// A macro invocation in the body: a yield point out of place is replaced (the returned
    /// expression); another macro's tokens are searched for bare `yield` and for yield points in
    /// closures.
    fn visit_macro(&mut self, mac: &mut Macro) -> Option<Expr> {
        let name = last_segment(&mac.path);
        let name = name.as_deref().unwrap_or_default();
        if name == LOCAL_MACRO {
            // A yield point already rewritten (an outer generator's pass rewrites the bare
            // `yield`s of the generators inside it).
            let kind = mac
                .tokens
                .clone()
                .into_iter()
                .next()
                .map(|kind| kind.to_string());
            self.yield_macro_tokens |= !matches!(kind.as_deref(), Some("closed" | "raise"));
            self.yield_points += 1;
            return None;
        }
        if YIELD_MACROS.contains(&name) {
            self.yield_points += 1;
            self.note_used(&mac.path);
            if let Some(reason) = self.scope.reason() {
                // Parsed only here, for the message: a yield point in place is parsed once, as
                // any macro's tokens are below.
                let operand = mac.parse_body_with(parse_operand).ok().flatten();
                let point = Misplaced {
                    name: format!("`{name}!`"),
                    span: mac.path.span(),
                    path: Some(&mac.path),
                    operand: operand.as_ref(),
                };
                return Some(self.misplaced(point, reason));
            }
        }
        if OTHER_GENERATORS.contains(&name) {
            return None;
        }
        if name == "try_finally" {
            // Its two blocks are the body's own control flow: visited as such (bare `yield`
            // rewritten, yield points in closures reported, `return` typed).
            if let Ok(mut blocks) = mac.parse_body::<crate::finally::TryFinally>() {
                self.statement = false;
                self.visit_block_mut(&mut blocks.try_block);
                self.visit_block_mut(&mut blocks.finally_block);
                mac.tokens = blocks.into_token_stream();
                return None;
            }
        }
        if name == "for_await" {
            if let Some(tokens) = self.for_await(mac.tokens.clone()) {
                mac.tokens = tokens;
                return None;
            }
        }
        self.statement = false;
        let before = self.edits();
        let tokens = self.tokens(mac.tokens.clone());
        if self.edits() != before {
            mac.tokens = tokens;
        }
        None
    }

    /// A `for_await!` loop's tokens, visited: its operand and body are the body's own control
    /// flow too (a `return` in the loop body is typed as the body's). A loop in the body's own
    /// control flow whose body has a yield point is marked as in the generator body, so that it
    /// sees the body ending from inside it (see `ForAwait::in_body`). (One without cannot end the
    /// body, and is left as any loop, which it may be, moved into a closure by a macro.) `None`
    /// if the tokens do not parse as a loop.
    fn for_await(&mut self, tokens: TokenStream) -> Option<TokenStream> {
        let mut parsed = syn::parse2::<crate::for_await::ForAwait>(tokens).ok()?;
        self.statement = false;
        self.visit_expr_mut(&mut parsed.expr);
        let before = self.yield_points;
        self.visit_block_mut(&mut parsed.body);
        parsed.in_body = self.scope == Scope::Body && self.yield_points != before;
        self.marked_loops += usize::from(parsed.in_body);
        Some(parsed.into_token_stream())
    }

    /// How many changes the pass made to the tokens it visited.
    fn edits(&self) -> usize {
        self.rewrites + self.marked_loops
    }

    /// Another macro's tokens, with bare `yield`s rewritten: where the tokens parse as
    /// expressions or statements, through the visitor (which also sees closures); elsewhere
    /// token by token (`tokio::select!`'s `pattern = future => handler` branches, …).
    fn tokens(&mut self, tokens: TokenStream) -> TokenStream {
        let outer = std::mem::replace(&mut self.in_macro_tokens, true);
        let tokens = self.tokens_inner(tokens);
        self.in_macro_tokens = outer;
        tokens
    }

    fn tokens_inner(&mut self, tokens: TokenStream) -> TokenStream {
        let before = self.edits();
        let errors_before = self.errors.count();
        if let Ok(mut exprs) =
            Punctuated::<Expr, Token![,]>::parse_terminated.parse2(tokens.clone())
        {
            exprs.iter_mut().for_each(|expr| self.visit_expr_mut(expr));
            return self.changed(before, errors_before, exprs.into_token_stream(), tokens);
        }
        if let Ok(mut stmts) = Block::parse_within.parse2(tokens.clone()) {
            stmts.iter_mut().for_each(|stmt| self.visit_stmt_mut(stmt));
            return self.changed(before, errors_before, quote!(#(#stmts)*), tokens);
        }
        let scanned = (|input: ParseStream<'_>| Ok(self.scan(input))).parse2(tokens.clone());
        match scanned {
            Ok(scanned) => self.changed(before, errors_before, scanned, tokens),
            Err(_) => tokens,
        }
    }

    /// Tokens that do not parse as a whole: each `yield` followed by an expression (or by
    /// nothing, `;` or `,`) is a bare yield point; groups are searched recursively; every other
    /// token is kept as it is.
    fn scan(&mut self, input: ParseStream<'_>) -> TokenStream {
        let mut out = TokenStream::new();
        while !input.is_empty() {
            if input.peek(Token![yield]) {
                let fork = input.fork();
                let yield_token: Token![yield] = fork.parse().expect("peeked");
                let value = if fork.is_empty() || fork.peek(Token![;]) || fork.peek(Token![,]) {
                    Some(None)
                } else {
                    fork.parse::<Expr>().ok().map(|value| Some(Box::new(value)))
                };
                if let Some(value) = value {
                    input.advance_to(&fork);
                    self.bare_yield(yield_token.span, value).to_tokens(&mut out);
                    continue;
                }
            }
            if input.peek(syn::Ident) && input.peek2(Token![!]) {
                let fork = input.fork();
                if let Ok(name) = fork.parse::<syn::Ident>() {
                    if name == "for_await" {
                        if let Some(marked) = self.scan_for_await(&fork) {
                            input.advance_to(&fork);
                            out.extend([TokenTree::Ident(name)]);
                            out.extend(marked);
                            continue;
                        }
                    }
                    let name = name.to_string();
                    if YIELD_MACROS.contains(&name.as_str()) || name == LOCAL_MACRO {
                        self.yield_points += 1;
                    }
                    self.yield_macro_tokens |= [
                        "yield_",
                        "yield_catch",
                        "yield_from",
                        "yield_from_catch",
                        LOCAL_MACRO,
                    ]
                    .contains(&name.as_str());
                }
            }
            match input.parse::<TokenTree>() {
                Ok(TokenTree::Group(group)) if group.delimiter() != Delimiter::None => {
                    let inner = (|input: ParseStream<'_>| Ok(self.scan(input)))
                        .parse2(group.stream())
                        .unwrap_or_else(|_: syn::Error| group.stream());
                    let mut new = Group::new(group.delimiter(), inner);
                    new.set_span(group.span());
                    out.extend([TokenTree::Group(new)]);
                }
                Ok(tree) => out.extend([tree]),
                Err(_) => break,
            }
        }
        out
    }

    /// `!(…)` after `for_await` in tokens that do not parse as a whole: the loop's tokens
    /// visited as `for_await!`'s (`BodyPass::for_await`), with the `!` and the delimiters kept.
    fn scan_for_await(&mut self, input: ParseStream<'_>) -> Option<TokenStream> {
        let bang = input.parse::<Token![!]>().ok()?;
        let fork = input.fork();
        let Ok(TokenTree::Group(group)) = fork.parse::<TokenTree>() else {
            return None;
        };
        let visited = self.for_await(group.stream())?;
        input.advance_to(&fork);
        let mut new = Group::new(group.delimiter(), visited);
        new.set_span(group.span());
        Some(quote!(#bang #new))
    }

    /// The re-emitted tokens if the visit changed anything, else the original ones untouched.
    fn changed(
        &self,
        edits: usize,
        errors: usize,
        new: TokenStream,
        old: TokenStream,
    ) -> TokenStream {
        if self.edits() != edits || self.errors.count() != errors {
            new
        } else {
            old
        }
    }
}

/// A yield point's operand, `value` or `value,`; `None` when empty.
fn parse_operand(input: ParseStream<'_>) -> syn::Result<Option<Expr>> {
    if input.is_empty() {
        return Ok(None);
    }
    let value = input.parse()?;
    input.parse::<Option<Token![,]>>()?;
    Ok(Some(value))
}

impl VisitMut for BodyPass {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Macro(mac) => {
                if let Some(replacement) = self.visit_macro(&mut mac.mac) {
                    *expr = replacement;
                }
            }
            Expr::Yield(yield_expr) => {
                let span = yield_expr.yield_token.span;
                if !self.in_macro_tokens {
                    self.gated_yields.push(span);
                }
                *expr = self.bare_yield(span, yield_expr.expr.take());
            }
            // `(yield value)`: rustc's parser needs the parentheses in some places (`while let
            // … = (yield x) {`), the rewrite does not, and `unused_parens` would flag them.
            Expr::Paren(paren) if matches!(*paren.expr, Expr::Yield(_)) => {
                let mut inner = (*paren.expr).clone();
                self.visit_expr_mut(&mut inner);
                *expr = inner;
            }
            Expr::Return(ret) if self.scope == Scope::Body && self.returns.is_some() => {
                visit_mut::visit_expr_return_mut(self, ret);
                self.typed_return(ret);
            }
            Expr::Closure(_) => self.in_scope(Scope::Closure, |this| {
                visit_mut::visit_expr_mut(this, expr);
            }),
            Expr::Async(_) => self.in_scope(Scope::AsyncBlock, |this| {
                visit_mut::visit_expr_mut(this, expr);
            }),
            Expr::Const(_) => self.in_scope(Scope::Const, |this| {
                visit_mut::visit_expr_mut(this, expr);
            }),
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        let attrs = match stmt {
            Stmt::Local(local) => &local.attrs[..],
            Stmt::Macro(mac) => &mac.attrs,
            Stmt::Expr(expr, _) => expr_attrs(expr),
            Stmt::Item(_) => &[],
        };
        let cfg = attrs
            .iter()
            .any(|attr| attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr"));
        let outer = self.under_cfg;
        self.under_cfg |= cfg;
        self.visit_stmt_inner(stmt);
        self.under_cfg = outer;
    }

    // A nested item is its own scope. One with an attribute macro on it may be a generator of
    // its own (under any name): its yield points are left to it, or to the compiler's errors.
    // In any other, a yield point is reported here.
    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        let scope = match item {
            syn::Item::Const(_) | syn::Item::Static(_) => Scope::Const,
            _ => Scope::Item,
        };
        if only_builtin_attributes(item) {
            self.in_scope(scope, |this| visit_mut::visit_item_mut(this, item));
        }
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.attrs.iter().all(is_builtin) {
            visit_mut::visit_impl_item_fn_mut(self, f);
        }
    }

    fn visit_trait_item_fn_mut(&mut self, f: &mut syn::TraitItemFn) {
        if f.attrs.iter().all(is_builtin) {
            visit_mut::visit_trait_item_fn_mut(self, f);
        }
    }
}

impl BodyPass {
    fn visit_stmt_inner(&mut self, stmt: &mut Stmt) {
        match stmt {
            Stmt::Macro(mac) => {
                self.statement = mac.semi_token.is_some();
                let replaced = self.visit_macro(&mut mac.mac);
                self.statement = false;
                if let Some(replacement) = replaced {
                    // The statement's attributes (`#[cfg]`) stay on it.
                    let attrs = &mac.attrs;
                    let replacement = Expr::Verbatim(quote!(#(#attrs)* #replacement));
                    *stmt = Stmt::Expr(replacement, mac.semi_token);
                }
            }
            // `yield value;`
            Stmt::Expr(expr @ Expr::Yield(_), Some(_)) => {
                self.statement = true;
                self.visit_expr_mut(expr);
                self.statement = false;
            }
            _ => visit_mut::visit_stmt_mut(self, stmt),
        }
    }
}

/// An expression's outer attributes.
fn expr_attrs(expr: &Expr) -> &[syn::Attribute] {
    match expr {
        Expr::Array(e) => &e.attrs,
        Expr::Assign(e) => &e.attrs,
        Expr::Async(e) => &e.attrs,
        Expr::Await(e) => &e.attrs,
        Expr::Binary(e) => &e.attrs,
        Expr::Block(e) => &e.attrs,
        Expr::Call(e) => &e.attrs,
        Expr::Field(e) => &e.attrs,
        Expr::ForLoop(e) => &e.attrs,
        Expr::If(e) => &e.attrs,
        Expr::Loop(e) => &e.attrs,
        Expr::Macro(e) => &e.attrs,
        Expr::Match(e) => &e.attrs,
        Expr::MethodCall(e) => &e.attrs,
        Expr::Paren(e) => &e.attrs,
        Expr::Unary(e) => &e.attrs,
        Expr::While(e) => &e.attrs,
        Expr::Yield(e) => &e.attrs,
        _ => &[],
    }
}

/// Whether an item carries only attributes that are not macros (`#[inline]`, `#[allow]`, doc
/// comments, …), so that no macro will rewrite its body.
fn only_builtin_attributes(item: &syn::Item) -> bool {
    let attrs: &[syn::Attribute] = match item {
        syn::Item::Fn(f) => &f.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Trait(t) => &t.attrs,
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Const(c) => &c.attrs,
        syn::Item::Static(s) => &s.attrs,
        _ => return false,
    };
    attrs.iter().all(is_builtin)
}

fn is_builtin(attr: &syn::Attribute) -> bool {
    const BUILTIN: [&str; 12] = [
        "allow",
        "warn",
        "deny",
        "expect",
        "forbid",
        "doc",
        "inline",
        "cold",
        "must_use",
        "track_caller",
        "cfg",
        "cfg_attr",
    ];
    attr.path()
        .get_ident()
        .is_some_and(|ident| BUILTIN.iter().any(|name| ident == name))
}
