//! Errors of a submitted form, as the form shows them: each next to the field it names, the rest
//! above the form. The names are the domain's field names, which the forms use for their inputs.

use super::page::zh;
use crate::error::ApiError;

/// What was wrong with a submitted form.
#[derive(Debug, Default, Clone)]
pub struct FormErrors {
    fields: Vec<(String, String)>,
    general: Option<String>,
}

impl FormErrors {
    /// No errors: a form shown for the first time.
    pub fn none() -> FormErrors {
        FormErrors::default()
    }

    /// The domain's error, by its field (in Chinese).
    pub fn from_error(err: &ApiError) -> FormErrors {
        let message = zh(&err.message).to_string();
        match &err.field {
            Some(field) => FormErrors { fields: vec![(field.clone(), message)], general: None },
            None => FormErrors { fields: Vec::new(), general: Some(message) },
        }
    }

    /// One field's error, set by the page itself (e.g. a number that is not a number).
    pub fn field(field: &str, message: &str) -> FormErrors {
        FormErrors { fields: vec![(field.to_string(), message.to_string())], general: None }
    }

    /// The error of `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// The error that names no field of the form (or one the form does not show).
    pub fn general(&self) -> Option<&str> {
        self.general.as_deref()
    }

    /// Move errors of fields the form does not show to the general message, so none is lost.
    pub fn shown_in(mut self, fields: &[&str]) -> FormErrors {
        if let Some(pos) = self.fields.iter().position(|(f, _)| !fields.contains(&f.as_str())) {
            let (_, message) = self.fields.remove(pos);
            self.general = Some(message);
        }
        self
    }
}

/// `axum::extract::Query` for pages: a malformed query string is an error page, not plain text.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(super::PageError))]
pub struct PageQuery<T>(pub T);

/// `axum::Form` for pages: a form that cannot be read is an error page, not plain text.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Form), rejection(super::PageError))]
pub struct PageForm<T>(pub T);

impl From<axum::extract::rejection::FormRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::FormRejection) -> Self {
        ApiError::bad_request("invalid_form", "表单内容不完整或格式错误", &rejection.body_text())
    }
}
