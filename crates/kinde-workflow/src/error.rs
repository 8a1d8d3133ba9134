//! The error type of workflows and of this SDK.

use crate::Binding;

/// Why a workflow failed. Its message becomes the rejection Kinde logs.
///
/// Messages name what is wrong (a JSON path, a variable, a binding) and never carry
/// secret values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The event did not match its trigger's shape.
    #[error("invalid event at `{path}`: {message}")]
    InvalidEvent {
        /// JSON path of the offending field, e.g. `context.auth.providedEmail`.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A required environment variable is not set.
    #[error("environment variable `{name}` is not set")]
    MissingEnv {
        /// The variable's name.
        name: String,
    },
    /// An environment variable is set to something unusable.
    #[error("environment variable `{name}` is invalid: {reason}")]
    InvalidEnv {
        /// The variable's name.
        name: String,
        /// Why the value is unusable (without the value when it is secret).
        reason: String,
    },
    /// The workflow used a binding its settings do not declare.
    #[error("binding `{binding}` is not declared; add `{binding_variant:?}` to `bindings(...)` in #[workflow]")]
    UndeclaredBinding {
        /// The binding.
        binding: Binding,
        /// Same binding, printed as the `bindings(...)` entry to add.
        binding_variant: Binding,
    },
    /// A host binding threw or returned something unexpected.
    #[error("`{binding}` failed: {message}")]
    Binding {
        /// The binding that failed.
        binding: Binding,
        /// The host's message.
        message: String,
    },
    /// A JSON answer or body did not have the expected shape.
    #[error("unexpected JSON {0}")]
    Json(#[from] crate::json::JsonError),
    /// A failure reported by workflow code.
    #[error("{0}")]
    Workflow(String),
}

impl Error {
    /// A failure with a message of the workflow's own.
    pub fn msg(message: impl std::fmt::Display) -> Self {
        Error::Workflow(message.to_string())
    }

    /// The event did not read as its trigger's type.
    pub(crate) fn invalid_event(err: crate::json::JsonError) -> Self {
        let (path, message) = err.into_parts();
        Error::InvalidEvent { path, message }
    }

    pub(crate) fn undeclared(binding: Binding) -> Self {
        Error::UndeclaredBinding {
            binding,
            binding_variant: binding,
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
