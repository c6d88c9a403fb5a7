//! `for_await!(pattern in generator { body })`: an `async for` loop that, when its body leaves
//! early, awaits the generator's `aclose()` before going on.
//!
//! The body's early exits (`break`, `break`/`continue` to an enclosing loop's label, `return`,
//! `?`) are rewritten to leave the loop with a value saying where they were going; the expansion
//! closes the generator, then goes there. A loop that a generator body's pass marked as in that
//! body (`@agen_body`) also leaves its body, closes the generator and goes on when the generator
//! body ends from inside it (`body_end_hooks`).

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::discouraged::Speculative;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, ExprBreak, ExprContinue, Label, Lifetime, Macro, Pat, Token};

/// A parsed `for_await!` invocation.
pub(crate) struct ForAwait {
    /// Whether the loop is in a generator body's own control flow: the body pass marks it so
    /// (`@agen_body` before the loop), and the loop then sees the body ending from inside it (see
    /// `body_end_hooks`).
    pub(crate) in_body: bool,
    pub(crate) label: Option<Label>,
    pub(crate) pat: Pat,
    pub(crate) expr: Expr,
    pub(crate) body: Block,
}

impl Parse for ForAwait {
    /// `pattern in expr { body }`, or `for pattern in expr { body }` (an ordinary `for`
    /// expression, which rustfmt formats and rust-analyzer parses as one), each with an optional
    /// label first.
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let marker = input.fork();
        let in_body = marker.parse::<Token![@]>().is_ok()
            && marker
                .parse::<syn::Ident>()
                .is_ok_and(|marker| marker == BODY_MARKER);
        if in_body {
            input.advance_to(&marker);
        }
        let label = if input.peek(syn::Lifetime) {
            Some(input.parse()?)
        } else {
            None
        };
        if input.peek(Token![for]) {
            input.parse::<Token![for]>()?;
        }
        let pat = Pat::parse_single(input).map_err(|error| usage(input.span(), error))?;
        input
            .parse::<Token![in]>()
            .map_err(|error| usage(input.span(), error))?;
        let expr = Expr::parse_without_eager_brace(input)?;
        let body = input.parse().map_err(|error| usage(input.span(), error))?;
        if !input.is_empty() {
            return Err(syn::Error::new(
                input.span(),
                "unexpected tokens after the loop body of `for_await!`",
            ));
        }
        Ok(ForAwait {
            in_body,
            label,
            pat,
            expr,
            body,
        })
    }
}

fn usage(span: Span, error: syn::Error) -> syn::Error {
    let mut usage = syn::Error::new(
        span,
        "expected `for_await!(for pattern in generator_or_stream { body })`",
    );
    usage.combine(error);
    usage
}

/// The mark of a loop in a generator body's own control flow (see `ForAwait::in_body`).
const BODY_MARKER: &str = "agen_body";

impl ToTokens for ForAwait {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ForAwait {
            in_body,
            label,
            pat,
            expr,
            body,
        } = self;
        if *in_body {
            let marker = syn::Ident::new(BODY_MARKER, Span::call_site());
            tokens.extend(quote!(@#marker));
        }
        tokens.extend(quote!(#label #pat in #expr #body));
    }
}

/// Where one rewritten exit goes once the generator is closed (or the `finally` block has run):
/// a `break` or `continue` of an enclosing loop, by its label or (`None`, `try_finally!` only)
/// the innermost one.
pub(crate) enum Outer {
    Break(Option<Lifetime>),
    /// A `break` with a value, which waits in the slot meanwhile.
    BreakWith(Option<Lifetime>, syn::Ident),
    Continue(Option<Lifetime>),
}

impl Outer {
    /// The `match` arm that goes there, for `LoopExit::Outer(index)` / `Interrupted::Outer(index)`.
    pub(crate) fn arm(&self, krate: &TokenStream, index: usize) -> TokenStream {
        match self {
            Outer::Break(label) => quote!(#index => break #label,),
            Outer::BreakWith(label, slot) => quote! {
                #index => break #label match #slot {
                    #krate::__private::core::option::Option::Some(value) => value,
                    #krate::__private::core::option::Option::None => {
                        #krate::__private::core::unreachable!()
                    }
                },
            },
            Outer::Continue(label) => quote!(#index => continue #label,),
        }
    }
}

/// What the exits leave: the generated loop of `for_await!`, or the `try` block of
/// `try_finally!`.
pub(crate) enum Frame {
    /// `for_await!`'s loop: an exit is `break 'loop Some(LoopExit::…)`. `own_label` is the
    /// user's label on the loop, which means the generated loop.
    Loop { own_label: Option<String> },
    /// `try_finally!`'s block: an exit is `{ slot = Some(Err(Interrupted::…)); break 'block; }`
    /// (a `break` without a value, which a `for_await!` inside the block rewrites in turn, so its
    /// generator is closed on the way out).
    Block { slot: syn::Ident },
}

/// Rewrites the early exits of a loop body, or of a `try` block.
pub(crate) struct Exits {
    /// Where the runtime is.
    pub(crate) krate: TokenStream,
    /// The hygienic label of the generated loop or block.
    pub(crate) label: Lifetime,
    pub(crate) frame: Frame,
    /// How many loops of the body enclose the visitor: unlabeled `break`/`continue` inside one
    /// belong to it.
    pub(crate) inner_loops: usize,
    /// Labels declared inside the body around the visitor.
    pub(crate) inner_labels: HashSet<String>,
    /// Where each `…::Outer(n)` goes.
    pub(crate) outer: Vec<Outer>,
    /// Whether the body has a `return` or a `?`.
    pub(crate) returns: bool,
    /// How many `for_await!` loops and `try_finally!` blocks this one is nested in within one
    /// expansion (see `expand_nested`): their labels differ by it, so none shadows another.
    pub(crate) depth: usize,
}

/// One kind of rewritten exit.
enum Exit {
    /// `break` of the `for_await!` loop itself.
    Break,
    Outer(usize),
    Return(TokenStream),
}

impl Exits {
    pub(crate) fn new(krate: TokenStream, label: Lifetime, frame: Frame, depth: usize) -> Self {
        Exits {
            krate,
            label,
            frame,
            inner_loops: 0,
            inner_labels: HashSet::new(),
            outer: Vec::new(),
            returns: false,
            depth,
        }
    }

    /// The witness of the enclosing function's return type (see `ReturnType`), declared by
    /// `returns_witness` where the body returns.
    pub(crate) fn witness(&self) -> syn::Ident {
        syn::Ident::new(&format!("__agen_returns{}", self.depth), Span::mixed_site())
    }

    /// The declarations this frame's exits need before the loop or block: the slots of the
    /// values of `break`s with one, and the witness of the return type (`witness()`, tied to the
    /// enclosing function's return type) where the body returns.
    pub(crate) fn declarations(&self) -> TokenStream {
        let krate = &self.krate;
        let slots = self.outer.iter().filter_map(|outer| match outer {
            Outer::BreakWith(_, slot) => Some(slot),
            _ => None,
        });
        let mut tokens = quote! {
            #(let mut #slots = #krate::__private::core::option::Option::None;)*
        };
        tokens.extend(self.returns_witness());
        tokens
    }

    fn returns_witness(&self) -> TokenStream {
        if !self.returns {
            return TokenStream::new();
        }
        let krate = &self.krate;
        let witness = self.witness();
        quote! {
            let #witness = #krate::__private::ReturnType::new();
            if false {
                return #witness.value();
            }
        }
    }

    fn exit(&self, span: Span, exit: Exit) -> Expr {
        let label = &self.label;
        let krate = &self.krate;
        let core = quote_spanned!(span=> #krate::__private::core);
        let exit = match exit {
            Exit::Return(value) => {
                let witness = self.witness();
                Exit::Return(quote_spanned!(span=> #witness.expect(#value)))
            }
            exit => exit,
        };
        match &self.frame {
            Frame::Loop { .. } => {
                let exit = match exit {
                    Exit::Break => quote_spanned!(span=> #krate::__private::LoopExit::Break),
                    Exit::Outer(index) => {
                        quote_spanned!(span=> #krate::__private::LoopExit::Outer(#index))
                    }
                    Exit::Return(value) => {
                        quote_spanned!(span=> #krate::__private::LoopExit::Return(#value))
                    }
                };
                Expr::Verbatim(quote_spanned! {span=>
                    break #label #core::option::Option::Some(#exit)
                })
            }
            Frame::Block { slot } => {
                let exit = match exit {
                    Exit::Break => unreachable!("a `try` block has no loop of its own"),
                    Exit::Outer(index) => {
                        quote_spanned!(span=> #krate::__private::Interrupted::Outer(#index))
                    }
                    Exit::Return(value) => {
                        quote_spanned!(span=> #krate::__private::Interrupted::Return(#value))
                    }
                };
                Expr::Verbatim(quote_spanned! {span=>
                    {
                        #slot = #core::option::Option::Some(#core::result::Result::Err(#exit));
                        break #label;
                    }
                })
            }
        }
    }

    fn outer(&mut self, span: Span, outer: Outer) -> Expr {
        let index = self.outer.len();
        self.outer.push(outer);
        self.exit(span, Exit::Outer(index))
    }

    /// Whether a label names the generated loop (`None`: an unlabeled exit), and if not,
    /// whether it is declared inside the body.
    fn target(&self, label: Option<&Lifetime>) -> Target {
        let own_label = match &self.frame {
            Frame::Loop { own_label } => own_label.as_deref(),
            Frame::Block { .. } => None,
        };
        match label {
            None if self.inner_loops > 0 => Target::Inside,
            // A `try` block is no loop: an unlabeled exit is the enclosing loop's.
            None if matches!(self.frame, Frame::Block { .. }) => Target::Outside,
            None => Target::ThisLoop,
            Some(label) => {
                let name = label.ident.to_string();
                if self.inner_labels.contains(&name) {
                    Target::Inside
                } else if own_label == Some(name.as_str()) {
                    Target::ThisLoop
                } else {
                    Target::Outside
                }
            }
        }
    }

    fn with_label(&mut self, label: Option<&Label>, visit: impl FnOnce(&mut Self)) {
        let name = label.map(|label| label.name.ident.to_string());
        let added = name
            .clone()
            .is_some_and(|name| self.inner_labels.insert(name));
        visit(self);
        if let (true, Some(name)) = (added, name) {
            self.inner_labels.remove(&name);
        }
    }

    fn in_loop(&mut self, label: Option<&Label>, visit: impl FnOnce(&mut Self)) {
        self.inner_loops += 1;
        self.with_label(label, visit);
        self.inner_loops -= 1;
    }

    fn rewrite_break(&mut self, expr: &ExprBreak) -> Option<Expr> {
        let span = expr.span();
        match self.target(expr.label.as_ref()) {
            Target::Inside => None,
            Target::ThisLoop => Some(self.exit(span, Exit::Break)),
            Target::Outside => Some(self.outer(span, Outer::Break(expr.label.clone()))),
        }
    }

    /// A `break` with a value, of a labeled block or a `loop` outside the frame: the value is
    /// evaluated where the `break` is, waits in a slot of its own while the generator is closed
    /// or the `finally` block runs, then goes with the `break`.
    fn rewrite_break_with(&mut self, expr: &ExprBreak) -> Option<Expr> {
        let span = expr.span();
        match self.target(expr.label.as_ref()) {
            Target::Inside => None,
            // A `for_await!` loop is a `for` loop, which has no value. (Left as it is, the
            // `break` would find an enclosing loop of the same label, the user's label being on
            // no generated loop.)
            Target::ThisLoop => Some(Expr::Verbatim(
                syn::Error::new(
                    span,
                    "`break` with a value cannot leave a `for_await!` loop: like a `for` loop, \
                     it has no value (break to a labeled block around it instead)",
                )
                .to_compile_error(),
            )),
            Target::Outside => {
                let value = expr.expr.as_ref()?;
                let slot = syn::Ident::new(
                    &format!("__agen_break{}_{}", self.depth, self.outer.len()),
                    Span::mixed_site(),
                );
                let krate = &self.krate;
                let store = quote_spanned! {span=>
                    #slot = #krate::__private::core::option::Option::Some(#value);
                };
                let exit = self.outer(span, Outer::BreakWith(expr.label.clone(), slot));
                Some(Expr::Verbatim(quote_spanned!(span=> { #store #exit })))
            }
        }
    }

    fn rewrite_continue(&mut self, expr: &ExprContinue) -> Option<Expr> {
        let span = expr.span();
        match self.target(expr.label.as_ref()) {
            Target::Inside => None,
            Target::ThisLoop => {
                let label = &self.label;
                Some(Expr::Verbatim(quote_spanned!(span=> continue #label)))
            }
            Target::Outside => Some(self.outer(span, Outer::Continue(expr.label.clone()))),
        }
    }

    /// A `for_await!` or `try_finally!` nested in the body or block, expanded here and then
    /// visited: its expansion goes where an exit of its own was going (a `return` after its
    /// generator is closed or its `finally` block has run, a `break` or `continue` of a label
    /// outside it) with plain exits, which this rewriting then sees. Left to the compiler, it
    /// would expand after this rewriting and those exits would skip this frame's close or
    /// `finally` block. Recognised by its name and syntax; under another name it is any other
    /// macro.
    fn expand_nested(&mut self, attrs: &[syn::Attribute], mac: &Macro) -> Option<Expr> {
        let name = macro_name(mac)?;
        // Under `#[cfg]` or `#[cfg_attr]` (which may become a `#[cfg]`), the attributes must stay
        // on something the compiler may remove: a statement. A loop has no value, so its
        // expansion can be one; a `try_finally!` block may have one, and is left to the compiler.
        let conditional = attrs
            .iter()
            .any(|attr| attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr"));
        if conditional && name != "for_await" {
            return None;
        }
        let depth = self.depth + 1;
        let expanded = match name.as_str() {
            "for_await" => expand(self.krate.clone(), mac.parse_body().ok()?, depth),
            "try_finally" => {
                crate::finally::expand(self.krate.clone(), mac.parse_body().ok()?, depth)
            }
            _ => return None,
        };
        let mut expr = syn::parse2(expanded).ok()?;
        self.visit_expr_mut(&mut expr);
        // The user's path to the macro stays in the expansion, invoked so that it expands to
        // nothing: an import of it is used. Other attributes (`#[rustfmt::skip]`, `#[allow(…)]`)
        // go on a `let` of its value, where they are stable in any position.
        let path = &mac.path;
        if conditional {
            return Some(Expr::Verbatim(quote!({
                #(#attrs)*
                {
                    #path! { @agen_used }
                    #expr
                };
            })));
        }
        let value = syn::Ident::new("__agen_nested", Span::mixed_site());
        Some(Expr::Verbatim(quote!({
            #path! { @agen_used }
            #(#attrs)*
            let #value = #expr;
            #value
        })))
    }

    /// Another macro's tokens: rewritten when they are expressions (`println!`, `vec!`, …),
    /// except an inner generator's, whose exits are its own (as a closure's are).
    fn visit_other_macro(&mut self, mac: &mut Macro) {
        if macro_name(mac).as_deref() == Some("async_gen") {
            return;
        }
        let parsed = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated);
        // A macro whose whole input is one `for` loop is most likely a loop macro of its own
        // (this one under another name): its exits are its own, not this frame's.
        if let Ok(exprs) = &parsed {
            if exprs.len() == 1 && !exprs.trailing_punct() && matches!(exprs[0], Expr::ForLoop(_)) {
                return;
            }
        }
        if let Ok(mut exprs) = parsed {
            for expr in exprs.iter_mut() {
                self.visit_expr_mut(expr);
            }
            mac.tokens = exprs.into_token_stream();
        }
    }
}

/// The last segment of a macro's path, without `r#`.
fn macro_name(mac: &Macro) -> Option<String> {
    use syn::ext::IdentExt;
    Some(mac.path.segments.last()?.ident.unraw().to_string())
}

enum Target {
    /// A loop or labeled block inside the body.
    Inside,
    /// The `for_await!` loop itself.
    ThisLoop,
    /// A loop enclosing the `for_await!`.
    Outside,
}

impl VisitMut for Exits {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let replacement = match expr {
            Expr::Break(brk) if brk.expr.is_none() => self.rewrite_break(brk),
            Expr::Break(brk) => {
                if let Some(value) = &mut brk.expr {
                    self.visit_expr_mut(value);
                }
                self.rewrite_break_with(brk)
            }
            Expr::Continue(cont) => self.rewrite_continue(cont),
            Expr::Return(ret) => {
                if let Some(value) = &mut ret.expr {
                    self.visit_expr_mut(value);
                }
                self.returns = true;
                let span = ret.span();
                let value = match &ret.expr {
                    Some(value) => value.to_token_stream(),
                    None => quote!(()),
                };
                Some(self.exit(span, Exit::Return(value)))
            }
            Expr::Try(try_expr) => {
                self.visit_expr_mut(&mut try_expr.expr);
                self.returns = true;
                let span = try_expr.question_token.span();
                let operand = &try_expr.expr;
                let krate = self.krate.clone();
                let exit = self.exit(
                    span,
                    Exit::Return(quote_spanned! {span=>
                        #krate::__private::FromResidual::from_residual(residual)
                    }),
                );
                Some(Expr::Verbatim(quote_spanned! {span=>
                    match #krate::__private::Branch::branch(#operand) {
                        #krate::__private::core::ops::ControlFlow::Continue(value) => value,
                        #krate::__private::core::ops::ControlFlow::Break(residual) => #exit,
                    }
                }))
            }
            Expr::ForLoop(for_loop) => {
                self.visit_expr_mut(&mut for_loop.expr);
                let label = for_loop.label.clone();
                self.in_loop(label.as_ref(), |this| {
                    this.visit_block_mut(&mut for_loop.body)
                });
                None
            }
            Expr::While(while_loop) => {
                let label = while_loop.label.clone();
                self.in_loop(label.as_ref(), |this| {
                    this.visit_expr_mut(&mut while_loop.cond);
                    this.visit_block_mut(&mut while_loop.body);
                });
                None
            }
            Expr::Loop(inner) => {
                let label = inner.label.clone();
                self.in_loop(label.as_ref(), |this| this.visit_block_mut(&mut inner.body));
                None
            }
            Expr::Block(block) => {
                let label = block.label.clone();
                self.with_label(label.as_ref(), |this| {
                    this.visit_block_mut(&mut block.block)
                });
                None
            }
            // Their own `return`, `?` and loops: not this loop's exits.
            Expr::Closure(_) | Expr::Async(_) => None,
            Expr::Macro(mac) => match self.expand_nested(&mac.attrs, &mac.mac) {
                Some(expanded) => Some(expanded),
                None => {
                    self.visit_other_macro(&mut mac.mac);
                    None
                }
            },
            _ => {
                visit_mut::visit_expr_mut(self, expr);
                None
            }
        };
        if let Some(replacement) = replacement {
            *expr = replacement;
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        if let syn::Stmt::Macro(mac) = stmt {
            if let Some(expanded) = self.expand_nested(&mac.attrs, &mac.mac) {
                *stmt = syn::Stmt::Expr(expanded, mac.semi_token);
                return;
            }
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_stmt_macro_mut(&mut self, mac: &mut syn::StmtMacro) {
        self.visit_other_macro(&mut mac.mac);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {
        // A nested item's exits are its own.
    }
}

/// Whether a `for_await!` or `try_finally!` invocation is the one a loop or block that expanded
/// it leaves in its place (`@agen_used`, see `Exits::expand_nested`), which expands to nothing.
pub(crate) fn marks_a_use(input: &TokenStream) -> bool {
    let tokens: Vec<_> = input.clone().into_iter().collect();
    matches!(
        tokens.as_slice(),
        [proc_macro2::TokenTree::Punct(at), proc_macro2::TokenTree::Ident(used)]
            if at.as_char() == '@' && used == "agen_used"
    )
}

/// Rejects labels that start with `'__agen_` in a loop's or a block's tokens as written. The
/// rewriting tells labels apart by name, and the loops and blocks it generates, nested ones
/// included, are labeled so: a label of the user's spelled the same inside them would be taken for
/// one of them.
pub(crate) fn no_reserved_labels(input: &TokenStream) -> syn::Result<()> {
    let mut tokens = input.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            proc_macro2::TokenTree::Group(group) => no_reserved_labels(&group.stream())?,
            proc_macro2::TokenTree::Punct(quote) if quote.as_char() == '\'' => {
                if let Some(proc_macro2::TokenTree::Ident(name)) = tokens.peek() {
                    if name.to_string().starts_with("__agen_") {
                        return Err(syn::Error::new(
                            name.span(),
                            "labels and lifetimes that start with `'__agen_` are reserved for \
                             the loops and blocks agen's macros generate: rename this one",
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Expands a `for_await!` invocation; `krate` is where the runtime is, `depth` how deep in
/// other loops and blocks this expansion is expanding it (0 for the compiler's own expansion).
pub(crate) fn expand(krate: TokenStream, input: ForAwait, depth: usize) -> TokenStream {
    let ForAwait {
        in_body,
        label,
        pat,
        expr,
        mut body,
    } = input;
    let span = Span::mixed_site();
    let own_label = label.map(|label| label.name.ident.to_string());
    let mut exits = Exits::new(
        krate.clone(),
        Lifetime::new(&format!("'__agen_loop{depth}"), span),
        Frame::Loop { own_label },
        depth,
    );
    exits.visit_block_mut(&mut body);
    // The loop's own block holds the body's statements (a block of braces inside it would be
    // `unused_braces` in the user's crate), and the operand loses the parentheses the `for`
    // syntax needs around a struct literal (`unused_parens` otherwise).
    let stmts = &body.stmts;
    let expr = match expr {
        Expr::Paren(paren) if paren.attrs.is_empty() => *paren.expr,
        expr => expr,
    };

    let loop_label = &exits.label;
    let declarations = exits.declarations();
    let iter = syn::Ident::new(&format!("__agen_iter{depth}"), span);
    let operand = syn::Ident::new(&format!("__agen_operand{depth}"), span);
    let exit = syn::Ident::new(&format!("__agen_exit{depth}"), span);
    let (return_type, return_arm) = if exits.returns {
        (
            quote!(_),
            quote!(#krate::__private::LoopExit::Return(value) => return value,),
        )
    } else {
        (
            quote!(#krate::__private::core::convert::Infallible),
            quote!(#krate::__private::LoopExit::Return(never) => match never {},),
        )
    };
    let outer_arms = exits
        .outer
        .iter()
        .enumerate()
        .map(|(index, outer)| outer.arm(&krate, index));
    let (hooks, ended, ended_arms) = if in_body {
        let (hooks, arms) = body_end_hooks(&krate, loop_label);
        (hooks, quote!(#krate::__private::BodyEnd<_>), arms)
    } else {
        (
            TokenStream::new(),
            quote!(#krate::__private::core::convert::Infallible),
            quote!(#krate::__private::LoopExit::Ended(never) => match never {},),
        )
    };
    // Input:  for_await!(pat in gen { body })
    // Output: let mut iter = pin!(ForAwait::new(gen));
    //         let exit = 'l: loop { let pat = match iter.next().await { Some(x) => x, None => break 'l None }; body' };
    //         if let Some(exit) = exit { iter.close().await; /* go where the exit was going */ }
    //         where body' has each early exit rewritten as `break 'l Some(LoopExit::…)`.
    let core = quote!(#krate::__private::core);
    let check = {
        // The call takes the span of the operand's first token (spans do not join on stable),
        // so that its error is reported at the operand; its arguments keep this expansion's
        // hygiene.
        let at = expr.span();
        quote_spanned! {at=>
            #krate::__private::loop_operand(
                (&&&#krate::__private::Probe::of(&#operand)).__agen_delegation(),
                #operand,
            )
        }
    };
    quote! {{
        #[allow(unused_imports)]
        use #krate::__private::{
            ForAwaitGenerator as _, ForAwaitStream as _, ProbeGenerator as _, ProbeNeither as _,
            ProbeStream as _,
        };
        let #operand = #expr;
        // A generator or a stream, or an error at the operand that says it is neither (see
        // `Loopable`).
        let #operand = #check;
        let mut #iter = #core::pin::pin!(#krate::__private::ForAwait::new(#operand));
        #declarations
        let #exit: #core::option::Option<#krate::__private::LoopExit<#return_type, #ended>> =
            #loop_label: loop {
                let #pat = match #iter.agen_next().await {
                    #core::option::Option::Some(item) => item,
                    #core::option::Option::None => break #loop_label #core::option::Option::None,
                };
                #hooks
                #(#stmts)*
            };
        if let #core::option::Option::Some(exit) = #exit {
            #iter.agen_close().await;
            #[allow(unreachable_code)]
            match exit {
                #krate::__private::LoopExit::Break => {}
                #return_arm
                #krate::__private::LoopExit::Outer(index) => match index {
                    #(#outer_arms)*
                    _ => #core::unreachable!(),
                },
                #ended_arms
            }
        }
    }}
}

/// The three hooks through which a generator body ends (see the runtime's `__body!`), as a block
/// or a loop shadows them inside itself: plain yield points put their item out as catching ones,
/// and a throw or a close that reaches one, `closed!()` and `raise!(e)` go where `leave` says
/// (`leave(quote!(Closed))`, `leave(quote!(Raised(error)))`: an expression that diverges).
pub(crate) fn end_hooks(
    krate: &TokenStream,
    leave: impl Fn(TokenStream) -> TokenStream,
) -> TokenStream {
    let private = quote!(#krate::__private);
    let closed = leave(quote!(Closed));
    let raised = leave(quote!(Raised(error)));
    let raise = leave(quote!(Raised($error)));
    quote! {
        #[allow(unused_macros)]
        macro_rules! __agen_plain_put {
            () => {
                #private::CatchingYield
            };
        }
        #[allow(unused_macros)]
        macro_rules! __agen_plain_resumed {
            ($resume:expr) => {
                match $resume {
                    #krate::Resume::Throw(error) => #raised,
                    #krate::Resume::Close => #closed,
                    resume => resume,
                }
            };
        }
        #[allow(unused_macros)]
        macro_rules! __agen_end {
            (closed) => {{
                #closed
            }};
            (raise $error:expr) => {{
                #raise
            }};
        }
    }
}

/// For a loop in a generator body's own control flow: the hooks through which the body ends
/// (see the runtime's `__body!`), shadowed inside the loop body, and the `match` arms that go on
/// ending it once the loop's generator is closed.
///
/// Inside the loop body, `closed!()`, `raise!(e)`, and the end of a `yield_from!` whose inner
/// generator was closed or raised, go through `__agen_end!`: here it leaves the loop with where
/// the body was going. Plain yield points put their item out as catching ones, and a throw or a
/// close that reaches one leaves the loop the same way (their other resumptions are the plain
/// yield point's, as before). After the loop, once the generator is closed, the arms end the body
/// through `__agen_end!` as found there: an enclosing loop's or `try_finally!` block's, or the
/// body's own. Each hook's expansion is a `break` to this loop's label, so it does not compile
/// anywhere but in this loop's body, and the arms name the body's local macro, so a loop marked
/// as in a body that is not in one does not compile either. The handle is never named here.
fn body_end_hooks(krate: &TokenStream, loop_label: &Lifetime) -> (TokenStream, TokenStream) {
    let private = quote!(#krate::__private);
    let core = quote!(#private::core);
    let leave = |end: TokenStream| {
        quote! {
            break #loop_label #core::option::Option::Some(
                #private::LoopExit::Ended(#private::BodyEnd::#end)
            )
        }
    };
    let hooks = end_hooks(krate, leave);
    let arms = quote! {
        #private::LoopExit::Ended(#private::BodyEnd::Closed) => {
            yield_point_outside_of_an_async_generator_body! { end closed }
        }
        #private::LoopExit::Ended(#private::BodyEnd::Raised(error)) => {
            yield_point_outside_of_an_async_generator_body! { end raise error }
        }
    };
    (hooks, arms)
}
