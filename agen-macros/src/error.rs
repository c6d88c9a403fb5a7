//! Small helpers to build and collect `syn::Error`s.

/// Builds a `syn::Error` at the span of `$tokens` (anything `ToTokens`) with a formatted message.
macro_rules! format_err {
    ($tokens:expr, $($msg:tt)+) => {
        syn::Error::new_spanned(&$tokens, format!($($msg)+))
    };
}

/// Returns early with a [`format_err!`].
macro_rules! bail {
    ($($tt:tt)+) => {
        return Err($crate::error::format_err!($($tt)+))
    };
}

pub(crate) use {bail, format_err};

/// Errors collected along the way, reported together (`syn::Error::combine`).
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    /// Adds one error.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// Adds the error of `result`, if any, and returns its value.
    pub(crate) fn take<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    /// How many errors were collected.
    pub(crate) fn count(&self) -> usize {
        self.0
            .as_ref()
            .map_or(0, |error| error.clone().into_iter().count())
    }

    /// Whether nothing was collected.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Moves the errors of `other` into `self`.
    pub(crate) fn append(&mut self, other: Errors) {
        if let Some(error) = other.0 {
            self.push(error);
        }
    }

    /// `Ok(())` if nothing was collected, otherwise every error combined.
    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}
