//! Every string the pages show, in English and Russian. A message is an enum variant, so a page
//! cannot show a string that lacks a translation.

use pamir_app::AppError;
use pamir_domain::error::Reason;
use pamir_domain::schema::Lang;

macro_rules! messages {
    ($($variant:ident => $key:literal,)*) => {
        /// A message of the catalogue (`pamir-i18n`'s `locales/*.ftl`), by its key: a page names
        /// a variant, so it cannot name a key that does not exist.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum M { $($variant),* }

        impl M {
            pub const ALL: &'static [M] = &[$(M::$variant),*];
            pub fn key(self) -> &'static str {
                match self {
                    $(M::$variant => $key,)*
                }
            }
            pub fn text(self, lang: Lang) -> &'static str {
                pamir_i18n::text(lang, self.key())
            }
            /// The message with its arguments, each passed as given.
            pub fn with(self, lang: Lang, args: &[(&str, &str)]) -> String {
                let args: Vec<(&str, pamir_i18n::Arg<'_>)> =
                    args.iter().map(|(n, v)| (*n, pamir_i18n::Arg::from(*v))).collect();
                pamir_i18n::format(lang, self.key(), &args)
            }
        }
    };
}

messages! {
    AppName => "app-name",
    AppTagline => "app-tagline",
    DemoBanner => "demo-banner",
    NavDashboard => "nav-dashboard",
    NavHits => "nav-hits",
    NavDisclosures => "nav-disclosures",
    NavOperations => "nav-operations",
    OpIntro => "op-intro",
    OpNone => "op-none",
    OpOpen => "op-open",
    OpOpenButton => "op-open-button",
    OpCodeName => "op-code-name",
    OpLeadCountry => "op-lead-country",
    OpStarts => "op-starts",
    OpEnds => "op-ends",
    OpCeiling => "op-ceiling",
    OpCeilingSame => "op-ceiling-same",
    OpSeizureForm => "op-seizure-form",
    OpDescription => "op-description",
    OpObjectives => "op-objectives",
    OpCoordinator => "op-coordinator",
    OpPeriod => "op-period",
    OpStanding => "op-standing",
    OpStandingCoordinator => "op-standing-coordinator",
    OpStandingMember => "op-standing-member",
    OpStandingInvited => "op-standing-invited",
    OpInvitedNotice => "op-invited-notice",
    OpAccept => "op-accept",
    OpDecline => "op-decline",
    OpParticipants => "op-participants",
    OpNoParticipants => "op-no-participants",
    OpParty => "op-party",
    OpSince => "op-since",
    OpRemove => "op-remove",
    OpInviteParty => "op-invite-party",
    OpInvite => "op-invite",
    RpTitle => "rp-title",
    RpSeizures => "rp-seizures",
    RpNoSeizures => "rp-no-seizures",
    RpQuantity => "rp-quantity",
    RpCount => "rp-count",
    RpMissing => "rp-missing",
    RpArrests => "rp-arrests",
    RpCases => "rp-cases",
    RpAssets => "rp-assets",
    RpResults => "rp-results",
    RpNoResults => "rp-no-results",
    RpReport => "rp-report",
    RpSeizureIds => "rp-seizure-ids",
    RpCurrency => "rp-currency",
    RpNote => "rp-note",
    RpReportButton => "rp-report-button",
    RpPrint => "rp-print",
    JrTitle => "jr-title",
    JrAll => "jr-all",
    JrEmpty => "jr-empty",
    JrOpened => "jr-opened",
    JrParticipant => "jr-participant",
    JrTask => "jr-task",
    JrTaskOverdue => "jr-task-overdue",
    JrDelivery => "jr-delivery",
    JrLeg => "jr-leg",
    DlvTitle => "dlv-title",
    DlvNone => "dlv-none",
    DlvSubstance => "dlv-substance",
    DlvQuantity => "dlv-quantity",
    DlvActual => "dlv-actual",
    DlvUnit => "dlv-unit",
    DlvConcealment => "dlv-concealment",
    DlvConveyance => "dlv-conveyance",
    DlvVehicle => "dlv-vehicle",
    DlvMarkers => "dlv-markers",
    DlvSubstitution => "dlv-substitution",
    DlvReason => "dlv-reason",
    DlvTerminate => "dlv-terminate",
    DlvLegs => "dlv-legs",
    DlvNoLegs => "dlv-no-legs",
    DlvRoute => "dlv-route",
    DlvPlanned => "dlv-planned",
    DlvActualTimes => "dlv-actual-times",
    DlvAddLeg => "dlv-add-leg",
    DlvFrom => "dlv-from",
    DlvTo => "dlv-to",
    DlvCrossing => "dlv-crossing",
    DlvDeparture => "dlv-departure",
    DlvHandover => "dlv-handover",
    DlvDescribe => "dlv-describe",
    DlvSave => "dlv-save",
    TaskTitlePlural => "task-title-plural",
    TaskNone => "task-none",
    TaskOverdue => "task-overdue",
    TaskAssignee => "task-assignee",
    TaskDue => "task-due",
    TaskRemind => "task-remind",
    TaskStart => "task-start",
    TaskDone => "task-done",
    TaskReopen => "task-reopen",
    TaskCancel => "task-cancel",
    TaskComments => "task-comments",
    TaskComment => "task-comment",
    TaskCommentButton => "task-comment-button",
    TaskAdd => "task-add",
    TaskTitle => "task-title",
    TaskAddButton => "task-add-button",
    NavScreen => "nav-screen",
    Matches => "matches",
    NoMatches => "no-matches",
    HitsIntro => "hits-intro",
    HitLabel => "hit-label",
    Reference => "reference",
    YourRecord => "your-record",
    Strength => "strength",
    MatchedRecord => "matched-record",
    Why => "why",
    RequestDisclosure => "request-disclosure",
    Justification => "justification",
    SendRequest => "send-request",
    RequestPending => "request-pending",
    RequestApproved => "request-approved",
    RequestDeclined => "request-declined",
    Record => "record",
    RequestedBy => "requested-by",
    AddHandlingCodes => "add-handling-codes",
    Approve => "approve",
    Decline => "decline",
    DeclineReason => "decline-reason",
    Incoming => "incoming",
    Outgoing => "outgoing",
    NoRequests => "no-requests",
    SchemaPerson => "schema-person",
    SchemaCompany => "schema-company",
    SchemaVehicle => "schema-vehicle",
    ScreenName => "screen-name",
    ScreenBirthDate => "screen-birth-date",
    ScreenDocument => "screen-document",
    ScreenPhone => "screen-phone",
    ScreenCountry => "screen-country",
    ScreenButton => "screen-button",
    ScreenIntro => "screen-intro",
    ScreenNothing => "screen-nothing",
    ScreenResults => "screen-results",
    NavSearch => "nav-search",
    NavReport => "nav-report",
    NavAnalysis => "nav-analysis",
    NavEarlyWarning => "nav-early-warning",
    EwTitle => "ew-title",
    EwIntro => "ew-intro",
    EwNone => "ew-none",
    EwNewSubstances => "ew-new-substances",
    EwFirstDetected => "ew-first-detected",
    EwCountries => "ew-countries",
    EwDetections => "ew-detections",
    EwLatest => "ew-latest",
    EwFirstInRegion => "ew-first-in-region",
    EwFirstInCountry => "ew-first-in-country",
    EwDate => "ew-date",
    EwConfidence => "ew-confidence",
    EwLaboratory => "ew-laboratory",
    EwUnidentified => "ew-unidentified",
    EwRegistryEntry => "ew-registry-entry",
    EwSeeSpread => "ew-see-spread",
    EwSpreadTitle => "ew-spread-title",
    EwSpreadNote => "ew-spread-note",
    NavSubstances => "nav-substances",
    SrTitle => "sr-title",
    SrIntro => "sr-intro",
    SrSearchHint => "sr-search-hint",
    SrClass => "sr-class",
    SrAnyClass => "sr-any-class",
    SrInternational => "sr-international",
    SrAnyControl => "sr-any-control",
    SrConvention1961 => "sr-convention-1961",
    SrConvention1971 => "sr-convention-1971",
    SrConvention1988 => "sr-convention-1988",
    SrNotControlled => "sr-not-controlled",
    SrAdd => "sr-add",
    SrImport => "sr-import",
    SrNone => "sr-none",
    SrCount => "sr-count",
    SrName => "sr-name",
    SrFormula => "sr-formula",
    SrNames => "sr-names",
    SrNamesHelp => "sr-names-help",
    SrNamesPlaceholder => "sr-names-placeholder",
    SrCountries => "sr-countries",
    SrCountriesHelp => "sr-countries-help",
    SrSources => "sr-sources",
    SrNotes => "sr-notes",
    SrEdit => "sr-edit",
    SrNoCountries => "sr-no-countries",
    SrCountry => "sr-country",
    SrStatus => "sr-status",
    SrEffective => "sr-effective",
    SrNote => "sr-note",
    SrChanged => "sr-changed",
    SrImportIntro => "sr-import-intro",
    SrImportDone => "sr-import-done",
    AnTitle => "an-title",
    AnIntro => "an-intro",
    AnFrom => "an-from",
    AnTo => "an-to",
    AnOperation => "an-operation",
    AnAnyOperation => "an-any-operation",
    AnCountriesAndGroups => "an-countries-and-groups",
    AnSeizingCountry => "an-seizing-country",
    AnGroups => "an-groups",
    AnShow => "an-show",
    AnBy => "an-by",
    AnNotStated => "an-not-stated",
    AnTotal => "an-total",
    AnSeizures => "an-seizures",
    AnLitres => "an-litres",
    AnKg => "an-kg",
    AnChartOpen => "an-chart-open",
    AnChartTitle => "an-chart-title",
    AnChartIntro => "an-chart-intro",
    AnChartAdd => "an-chart-add",
    AnChartRecordId => "an-chart-record-id",
    AnDepth => "an-depth",
    AnLimit => "an-limit",
    AnConnect => "an-connect",
    AnRoots => "an-roots",
    AnRemove => "an-remove",
    AnChartEmpty => "an-chart-empty",
    AnChartCounts => "an-chart-counts",
    AnChartTruncated => "an-chart-truncated",
    AnHitNode => "an-hit-node",
    AnMatchEdge => "an-match-edge",
    AnChartHowTo => "an-chart-how-to",
    AnDownload => "an-download",
    AnCentrality => "an-centrality",
    AnNode => "an-node",
    AnDegree => "an-degree",
    AnBetweenness => "an-betweenness",
    AnTimeline => "an-timeline",
    AnLegFrom => "an-leg-from",
    AnLegTo => "an-leg-to",
    AnRoutesTitle => "an-routes-title",
    AnRoutesIntro => "an-routes-intro",
    AnLegs => "an-legs",
    AnPaths => "an-paths",
    AnNoRoutes => "an-no-routes",
    AnWidthBy => "an-width-by",
    AnNotOnMap => "an-not-on-map",
    AnMapTitle => "an-map-title",
    AnCsvLegs => "an-csv-legs",
    AnCsvPaths => "an-csv-paths",
    AnUnits => "an-units",
    AnThisPeriod => "an-this-period",
    AnPreviousPeriod => "an-previous-period",
    AnYearBefore => "an-year-before",
    AnNothing => "an-nothing",
    AnTopShown => "an-top-shown",
    AnCsv => "an-csv",
    AnApi => "an-api",
    AnQuantitiesNote => "an-quantities-note",
    NavImport => "nav-import",
    NavUsers => "nav-users",
    NavAgencies => "nav-agencies",
    NavAudit => "nav-audit",
    NavTokens => "nav-tokens",
    Logout => "logout",
    Login => "login",
    LoginTitle => "login-title",
    Username => "username",
    Password => "password",
    TotpCode => "totp-code",
    TotpHint => "totp-hint",
    Language => "language",
    Welcome => "welcome",
    YourAgency => "your-agency",
    YourRoles => "your-roles",
    YourClearance => "your-clearance",
    RecordsYouMaySee => "records-you-may-see",
    RecentRecords => "recent-records",
    NoRecords => "no-records",
    Search => "search",
    SearchPlaceholder => "search-placeholder",
    AnySchema => "any-schema",
    AnyCountry => "any-country",
    AnyClassification => "any-classification",
    OwnerAgency => "owner-agency",
    Schema => "schema",
    Caption => "caption",
    Owner => "owner",
    Classification => "classification",
    Updated => "updated",
    Created => "created",
    Version => "version",
    NextPage => "next-page",
    Results => "results",
    Metadata => "metadata",
    Dissemination => "dissemination",
    AllMembers => "all-members",
    OwnerOnly => "owner-only",
    Countries => "countries",
    Agencies => "agencies",
    HandlingCodes => "handling-codes",
    Evaluation => "evaluation",
    Properties => "properties",
    Links => "links",
    NoLinks => "no-links",
    HitTitle => "hit-title",
    HitText => "hit-text",
    Delete => "delete",
    DeleteConfirm => "delete-confirm",
    Deleted => "deleted",
    ReportTitle => "report-title",
    ReportIntro => "report-intro",
    SeizureSection => "seizure-section",
    PersonsSection => "persons-section",
    VehiclesSection => "vehicles-section",
    ProtectionSection => "protection-section",
    Person => "person",
    Vehicle => "vehicle",
    FullName => "full-name",
    Role => "role",
    TransitCountries => "transit-countries",
    AgenciesField => "agencies-field",
    Submit => "submit",
    Save => "save",
    Choose => "choose",
    FixErrors => "fix-errors",
    ImportTitle => "import-title",
    ImportIntro => "import-intro",
    File => "file",
    Format => "format",
    CsvSchema => "csv-schema",
    Mapping => "mapping",
    ImportDone => "import-done",
    ImportRejected => "import-rejected",
    Line => "line",
    Field => "field",
    Reason => "reason",
    LinesRead => "lines-read",
    RecordsCreated => "records-created",
    RecordsUpdated => "records-updated",
    UsersTitle => "users-title",
    AddUser => "add-user",
    DisplayName => "display-name",
    Agency => "agency",
    Roles => "roles",
    Clearance => "clearance",
    Status => "status",
    Active => "active",
    Disabled => "disabled",
    Locked => "locked",
    Disable => "disable",
    Enable => "enable",
    ResetPassword => "reset-password",
    NewPassword => "new-password",
    EnrolTotp => "enrol-totp",
    TotpEnrolled => "totp-enrolled",
    TotpSecretShown => "totp-secret-shown",
    Done => "done",
    AgenciesTitle => "agencies-title",
    AddAgency => "add-agency",
    Code => "code",
    Country => "country",
    Kind => "kind",
    NameIn => "name-in",
    AuditTitle => "audit-title",
    AuditIntro => "audit-intro",
    Actor => "actor",
    Action => "action",
    Target => "target",
    Outcome => "outcome",
    Details => "details",
    When => "when",
    From => "from",
    To => "to",
    Filter => "filter",
    VerifyChain => "verify-chain",
    ChainIntact => "chain-intact",
    ChainBroken => "chain-broken",
    TokensTitle => "tokens-title",
    TokensIntro => "tokens-intro",
    Label => "label",
    Days => "days",
    CreateToken => "create-token",
    Revoke => "revoke",
    Revoked => "revoked",
    Expires => "expires",
    TokenShown => "token-shown",
    ErrorTitle => "error-title",
    Back => "back",
    Yes => "yes",
    No => "no",
    NotFoundPage => "not-found-page",
    LatinReading => "latin-reading",
    ErrUnauthenticated => "err-unauthenticated",
    ErrBadCredentials => "err-bad-credentials",
    ErrTotpRequired => "err-totp-required",
    ErrTotpWrong => "err-totp-wrong",
    ErrLocked => "err-locked",
    ErrRateLimited => "err-rate-limited",
    ErrForbidden => "err-forbidden",
    ErrNotFound => "err-not-found",
    ErrConflict => "err-conflict",
    ErrExists => "err-exists",
    ErrInvalid => "err-invalid",
    ErrBadRequest => "err-bad-request",
    ErrTooLarge => "err-too-large",
    ErrInternal => "err-internal",
    PartialDateHint => "partial-date-hint",
    ErrDisabled => "err-disabled",
    ErrCsrf => "err-csrf",
    MsgAwaitingYourAcknowledgement => "msg-awaiting-your-acknowledgement",
    MsgAcknowledgementOverdue => "msg-acknowledgement-overdue",
    MsgAcknowledged => "msg-acknowledged",
    MsgNoMessages => "msg-no-messages",
    MsgSubject => "msg-subject",
    MsgFrom => "msg-from",
    MsgTo => "msg-to",
    MsgPriority => "msg-priority",
    MsgSent => "msg-sent",
    MsgState => "msg-state",
    MsgMessages => "msg-messages",
    MsgUnreadTitle => "msg-unread-title",
    MsgUnread => "msg-unread",
    MsgWriteAMessage => "msg-write-a-message",
    MsgBloChannelsColon => "msg-blo-channels-colon",
    MsgSearchSubjectAndText => "msg-search-subject-and-text",
    MsgAnyPriority => "msg-any-priority",
    MsgSenderOrAgency => "msg-sender-or-agency",
    MsgLinkedRecordOperation => "msg-linked-record-operation",
    MsgDateFrom => "msg-date-from",
    MsgDateTo => "msg-date-to",
    MsgReplyToTheThreadLeave => "msg-reply-to-the-thread-leave",
    MsgTheOriginalIsQuotedBelow => "msg-the-original-is-quoted-below",
    MsgCountriesViaTheNationalFocal => "msg-countries-via-the-national-focal",
    MsgBloChannel => "msg-blo-channel",
    MsgText => "msg-text",
    MsgLinkedRecordsCasesOrOperations => "msg-linked-records-cases-or-operations",
    MsgOperations => "msg-operations",
    OpWriteToParticipants => "op-write-to-participants",
    DlvAuthorisations => "dlv-authorisations",
    DlvConsentMissing => "dlv-consent-missing",
    DlvNoAuthorisations => "dlv-no-authorisations",
    DlvAuthority => "dlv-authority",
    DlvLegalBasis => "dlv-legal-basis",
    DlvReference => "dlv-reference",
    DlvConsent => "dlv-consent",
    DlvDutyContact => "dlv-duty-contact",
    DlvAuthorisedOn => "dlv-authorised-on",
    DlvRecordAuthorisation => "dlv-record-authorisation",
    JrAuthorisation => "jr-authorisation",
    DlvRouteMap => "dlv-route-map",
    OpEdit => "op-edit",
    OpSave => "op-save",
    JrEdited => "jr-edited",
    JrTaskReminder => "jr-task-reminder",
    LiveOn => "live-on",
    LiveOff => "live-off",
    MsgSend => "msg-send",
    MsgNewMessage => "msg-new-message",
    MsgForwarded => "msg-forwarded",
    MsgLinked => "msg-linked",
    MsgRecipient => "msg-recipient",
    MsgDelivered => "msg-delivered",
    MsgRead => "msg-read",
    MsgAcknowledgedColumn => "msg-acknowledged-column",
    MsgEscalated => "msg-escalated",
    MsgAcknowledge => "msg-acknowledge",
    MsgReply => "msg-reply",
    MsgForward => "msg-forward",
    MsgMessageToTheOtherSide => "msg-message-to-the-other-side",
    MsgBloChannels => "msg-blo-channels",
    MsgYouAreNotAMember => "msg-you-are-not-a-member",
    MsgAllMessages => "msg-all-messages",
    MsgRoutine => "msg-routine",
    MsgUrgent => "msg-urgent",
    MsgImmediate => "msg-immediate",
    MsgFolderInbox => "msg-folder-inbox",
    MsgFolderSent => "msg-folder-sent",
    MsgFolderAll => "msg-folder-all",
    DashYourBloChannels => "dash-your-blo-channels",
    LanguageName => "language-name",
    RoleCourier => "role-courier",
    RoleOrganiser => "role-organiser",
    RoleDriver => "role-driver",
    RoleRecipient => "role-recipient",
    RoleSender => "role-sender",
    ImportMapExample => "import-map-example",
}

pub fn t(lang: Lang, m: M) -> &'static str {
    m.text(lang)
}

/// The translated summary of an error, for pages.
pub fn error_text(lang: Lang, e: &AppError) -> &'static str {
    let m = match e {
        AppError::TotpWrong => M::ErrTotpWrong,
        AppError::BadCredentials => M::ErrBadCredentials,
        AppError::Unauthenticated(_) => M::ErrUnauthenticated,
        AppError::TotpRequired => M::ErrTotpRequired,
        AppError::AccountLocked { .. } => M::ErrLocked,
        AppError::RateLimited { .. } => M::ErrRateLimited,
        AppError::Forbidden(_) => M::ErrForbidden,
        AppError::NotFound(_) => M::ErrNotFound,
        AppError::VersionConflict { .. } | AppError::Conflict(_) => M::ErrConflict,
        AppError::AlreadyExists(_) => M::ErrExists,
        AppError::Invalid(_) | AppError::ImportRejected(_) => M::ErrInvalid,
        AppError::BadRequest(_) | AppError::UnsupportedMediaType(_) => M::ErrBadRequest,
        AppError::TooLarge(_) => M::ErrTooLarge,
        AppError::Internal(_) => M::ErrInternal,
    };
    t(lang, m)
}

/// Why a value was refused, in `lang`: a catalogue message with the user's values passed as
/// arguments. A reason not coded (none of the domain's or the application's; only the API's
/// own, which pages do not show) stays in English, as written: text is never translated by
/// replacing its parts.
pub fn reason(lang: Lang, r: &Reason) -> String {
    r.in_lang(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A coded reason passes the user's value to the message: whatever it holds, each
        /// language shows it exactly as given.
        #[test]
        fn coded_reasons_keep_every_value(
            v in proptest::string::string_regex(
                "(has|is required|one of|male|Khasanov|Хасанов|\\\\|\"|\\{|\\}|\\$value| |[a-zA-Zа-яА-Я0-9]){0,12}"
            ).unwrap()
        ) {
            let quoted = format!("{v:?}");
            for r in [
                Reason::coded("value-not-one-of", &[("value", &quoted), ("allowed", &"male, female")]),
                Reason::coded("date-not-calendar", &[("value", &quoted)]),
                Reason::coded("number-invalid", &[("value", &quoted)]),
            ] {
                for lang in [Lang::EN, Lang::RU] {
                    let shown = reason(lang, &r);
                    proptest::prop_assert!(shown.contains(&quoted), "{shown:?} lost {quoted:?}");
                }
            }
        }
    }

    #[test]
    fn coded_reasons_read_in_each_language() {
        let r = Reason::coded(
            "value-not-one-of",
            &[("value", &"\"Khasanov\""), ("allowed", &"male, female")],
        );
        assert_eq!(r.as_str(), r#""Khasanov" is not one of male, female"#);
        assert_eq!(
            reason(Lang::RU, &r),
            r#""Khasanov" — не из списка male, female"#
        );
    }

    /// A reason that is not coded is shown as written, in every language.
    #[test]
    fn uncoded_reasons_are_never_rewritten() {
        let r = Reason::from("\"Khasanov\" has is required");
        assert_eq!(reason(Lang::RU, &r), "\"Khasanov\" has is required");
    }

    /// The catalogue and the pages agree: every key a page can name is in every language, and
    /// every key of the catalogue is one a page can name (none left unused).
    #[test]
    fn every_message_is_in_every_language_and_used() {
        let mut named: std::collections::BTreeSet<&str> = M::ALL.iter().map(|m| m.key()).collect();
        assert_eq!(named.len(), M::ALL.len(), "a key named twice");
        // Validation reasons are named by the domain.
        for key in pamir_domain::error::REASON_KEYS {
            assert!(named.insert(key), "{key} is both a page's and a reason's");
        }
        // So are the reasons of a match, by the matcher.
        for key in pamir_app::matching::explain::KEYS {
            assert!(named.insert(key), "{key} is named twice");
        }
        // And the labels of schemata, vocabularies, roles, countries… by the domain.
        let labels = pamir_domain::label_keys();
        for key in &labels {
            assert!(named.insert(key.as_str()), "{key} is named twice");
        }
        for lang in pamir_i18n::Lang::all() {
            let defined = pamir_i18n::keys(lang);
            let missing: Vec<_> = named.difference(&defined).collect();
            let unused: Vec<_> = defined.difference(&named).collect();
            assert!(missing.is_empty(), "{lang}: missing {missing:?}");
            assert!(unused.is_empty(), "{lang}: unused {unused:?}");
        }
        for m in M::ALL {
            for lang in Lang::all() {
                assert!(!m.with(lang, &[]).trim().is_empty(), "{m:?} in {lang}");
            }
        }
    }
}
