//! Validation errors that name the field at fault, so that a person can fix the input.

use std::fmt;

/// Every catalogue key a [`Reason`] may carry (the catalogue test checks each is translated,
/// and counts them as used).
pub const REASON_KEYS: &[&str] = &[
    "value-too-long",
    "value-control-characters",
    "value-not-one-of",
    "date-invalid",
    "date-no-such-month",
    "date-not-calendar",
    "date-time-part",
    "date-before-1800",
    "date-century-ahead",
    "date-in-future",
    "date-end-before-start",
    "number-ambiguous",
    "number-grouping",
    "number-invalid",
    "number-not-finite",
    "number-negative",
    "number-below-min",
    "number-not-positive",
    "number-above-max",
    "phone-invalid",
    "email-invalid",
    "url-invalid",
    "property-unknown",
    "property-too-many-values",
    "property-not-string",
    "property-single",
    "property-required",
    "property-one-required",
    "entity-not-object",
    "field-must-be-string",
    "field-required",
    "schema-unknown",
    "country-code-invalid",
    "agency-code-invalid",
    "username-invalid",
    "id-invalid",
    "classification-unknown",
    "id-outside-namespace",
    "denied-no-writer-role",
    "denied-not-owner",
    "denied-above-clearance",
    "agency-not-registered",
    "country-not-registered",
    "import-empty",
    "import-more-bad-lines",
    "import-unreadable",
    "import-id-again",
    "import-id-in-use",
    "import-schema-change",
    "not-utf8",
    "json-malformed",
    "json-line-not-object",
    "field-unknown",
    "csv-header-unreadable",
    "csv-no-such-column",
    "csv-row-length",
    "csv-row-unreadable",
    "csv-not-a-property",
    "meta-required",
    "link-end-not-in-report",
    "link-record-not-found",
    "link-role-too-long",
    "link-to-itself",
    "record-schema-change",
    "record-id-mismatch",
    "search-schema-unknown",
    "enum-value-unknown",
    "evaluation-source-invalid",
    "evaluation-information-invalid",
    "evaluation-not-object",
    "dissemination-not-object",
    "field-must-be-object",
    "field-must-be-code-list",
    "field-must-be-bool",
    "search-limit-range",
    "search-query-too-long",
    "properties-not-object",
    "message-reply-or-forward",
    "message-subject-too-long",
    "message-subject-one-line",
    "message-body-required",
    "message-above-clearance",
    "message-own-agency",
    "message-no-such-channel",
    "message-no-recipient",
    "message-too-many-recipients",
    "message-too-many-links",
    "message-link-no-record",
    "message-nobody-cleared",
    "message-no-focal-point",
    "message-focal-point-not-cleared",
    "message-channel-restricted",
    "message-attachment-not-yours",
    "name-printable-200",
    "language-unknown",
    "agency-code-country",
    "roles-required",
    "password-too-short",
    "password-too-long",
    "attachment-not-declared-type",
    "attachment-empty",
    "attachment-type-refused",
    "token-label-length",
    "token-days-range",
    "audit-action-unknown",
    "screening-schemata",
    "screening-nothing-to-match",
    "disclosure-justification-short",
    "disclosure-justification-long",
    "disclosure-decline-reason",
    "operation-party-invalid",
    "operation-party-coordinator",
    "operation-observer-country",
    "operation-party-already",
    "operation-ceiling-below",
    "operation-not-coordinator",
    "operation-date-full",
    "task-due-past",
    "task-remind-after-due",
    "task-not-participant",
    "task-status-move",
    "task-comment-required",
    "leg-moment-invalid",
    "leg-handover-before-departure",
    "leg-same-party",
    "leg-not-chained",
    "leg-overlaps",
    "leg-party-not-participant",
    "leg-status-move",
    "delivery-status-move",
    "delivery-not-controlled",
    "delivery-reason-required",
    "result-count-invalid",
    "result-currency-invalid",
    "result-empty",
    "result-not-own-seizure",
    "operation-id-invalid",
    "operation-tag-not-party",
    "operation-tag-above-ceiling",
    "delivery-consent-missing",
    "authorisation-country-not-participant",
    "operation-kind-fixed",
    "operation-ceiling-below-tagged",
    "analysis-date-invalid",
    "analysis-period-too-long",
    "analysis-too-many-values",
    "analysis-operation-unknown",
    "analysis-roots-range",
    "analysis-connect-two",
    "analysis-depth-range",
    "analysis-limit-range",
    "cas-invalid",
    "cas-check-digit",
    "inchikey-invalid",
    "formula-invalid",
    "formula-element-unknown",
    "control-unknown",
    "field-must-be-list",
    "substance-name-not-object",
    "substance-name-no-letters",
    "substance-name-twice",
    "substance-name-en-required",
    "substance-name-ru-required",
    "substance-country-status-twice",
    "substance-effective-range",
    "substance-name-taken",
    "substance-cas-taken",
    "substance-inchikey-taken",
    "substance-not-editor",
    "substance-version-stale",
    "substance-country-not-yours",
    "substance-name-line",
    "substance-country-line",
    "detection-not-reporter",
    "detection-other-country",
    "detection-substance-or-unidentified",
    "detection-method-required",
    "detection-too-early",
    "detection-seizure-unknown",
    "detection-substance-unknown",
    "detection-not-analyst",
    "pen-not-sender",
    "pen-other-exporter",
    "pen-not-importer",
    "pen-not-exporter",
    "pen-withdrawn",
    "pen-answered",
    "pen-acknowledged-late",
    "pen-no-request",
    "pen-request-open",
    "pen-reply-days",
    "pen-customs-code",
    "pen-not-number",
    "pen-same-country",
    "pen-quantity-invalid",
    "pen-percent",
    "pen-arrival-before-departure",
    "pen-substance-not-chemical",
    "pen-substance-unknown",
    "pen-reply-days-forbidden",
    "incident-not-reporter",
    "incident-other-country",
    "incident-company-unknown",
    "incident-notification-unknown",
    "incident-not-party",
    "risk-not-analyst",
    "risk-not-issuer",
    "risk-detection-unknown",
    "risk-substance-fixed",
    "risk-retracted",
];

/// Why a value was refused. A coded reason is a message of the translation catalogue
/// (`pamir-i18n`) with its arguments — the values exactly as the user gave them — so each language
/// renders it without touching user data; its English text is what the API shows. A reason made
/// from plain text (not coded yet) shows that text in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    message: Option<pamir_i18n::Message>,
    english: String,
}

impl Reason {
    /// The catalogue's message `key` (one of [`REASON_KEYS`]) with `args` (name, value).
    pub fn coded(key: &'static str, args: &[(&'static str, &dyn fmt::Display)]) -> Reason {
        debug_assert!(REASON_KEYS.contains(&key), "{key} is not in REASON_KEYS");
        let message = pamir_i18n::Message::new(key, args);
        Reason {
            english: message.render(pamir_i18n::Lang::EN),
            message: Some(message),
        }
    }

    /// The reason in `lang`.
    pub fn in_lang(&self, lang: pamir_i18n::Lang) -> String {
        match &self.message {
            Some(m) => m.render(lang),
            None => self.english.clone(),
        }
    }

    /// The catalogue key, when coded.
    pub fn key(&self) -> Option<&'static str> {
        self.message.as_ref().map(|m| m.key)
    }

    pub fn as_str(&self) -> &str {
        &self.english
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

impl serde::Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english)
    }
}

impl From<String> for Reason {
    fn from(english: String) -> Reason {
        Reason {
            message: None,
            english,
        }
    }
}

impl From<Reason> for String {
    fn from(r: Reason) -> String {
        r.english
    }
}

impl std::error::Error for Reason {}

impl From<&str> for Reason {
    fn from(english: &str) -> Reason {
        Reason::from(english.to_string())
    }
}

impl PartialEq<str> for Reason {
    fn eq(&self, other: &str) -> bool {
        self.english == other
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.english == *other
    }
}

/// One problem with one field, e.g. `properties.birthDate[0]: 2023-02-30 is not a calendar date`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub reason: Reason,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<Reason>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// Every problem found in one input; validation collects them all instead of stopping at the first.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn push(&mut self, field: impl Into<String>, reason: impl Into<Reason>) {
        self.0.push(FieldError::new(field, reason));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn extend(&mut self, other: ValidationErrors) {
        self.0.extend(other.0);
    }
    /// `Ok(value)` when nothing was found, the errors otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
    pub fn single(field: impl Into<String>, reason: impl Into<Reason>) -> Self {
        Self(vec![FieldError::new(field, reason)])
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
