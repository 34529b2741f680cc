//! Every string the pages show, in English and Russian. A message is an enum variant, so a page
//! cannot show a string that lacks a translation.

use pamir_app::AppError;
use pamir_domain::schema::Lang;

macro_rules! messages {
    ($($key:ident => ($en:expr, $ru:expr),)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum M { $($key),* }

        impl M {
            pub const ALL: &'static [M] = &[$(M::$key),*];
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((M::$key, Lang::En) => $en, (M::$key, Lang::Ru) => $ru,)*
                }
            }
        }
    };
}

messages! {
    AppName => ("Pamir", "Памир"),
    AppTagline => ("Central database of the regional centre", "Центральная база данных регионального центра"),
    DemoBanner => ("Demo mode: the second factor (TOTP) is switched off and the data are synthetic. Do not enter real information.",
                   "Демонстрационный режим: второй фактор (TOTP) отключён, данные вымышленные. Не вводите реальную информацию."),
    NavDashboard => ("Dashboard", "Главная"),
    NavHits => ("Hits", "Совпадения"),
    NavDisclosures => ("Disclosure requests", "Запросы на раскрытие"),
    NavScreen => ("Screening", "Проверка"),
    Matches => ("Matches", "Совпадения"),
    NoMatches => ("No matches.", "Совпадений нет."),
    HitsIntro => ("Matches touching your agency's records. Where you may not read the other record you see only that it exists, who owns it and how strong the match is; ask its owner to disclose it.",
                  "Совпадения с записями вашего ведомства. Если другая запись вам недоступна, вы видите только факт её существования, владельца и силу совпадения; запросите раскрытие у владельца."),
    HitLabel => ("Hit", "Совпадение (hit)"),
    Reference => ("reference", "ссылка"),
    YourRecord => ("Your record", "Ваша запись"),
    Strength => ("Strength", "Сила"),
    MatchedRecord => ("Matched record", "Совпавшая запись"),
    Why => ("Why / request", "Почему / запрос"),
    RequestDisclosure => ("Request disclosure", "Запросить раскрытие"),
    Justification => ("Justification", "Обоснование"),
    SendRequest => ("Send request", "Отправить запрос"),
    RequestPending => ("requested, pending", "запрошено, ожидает решения"),
    RequestApproved => ("approved", "одобрено"),
    RequestDeclined => ("declined", "отклонено"),
    Record => ("Record", "Запись"),
    RequestedBy => ("Requested by", "Запросил"),
    AddHandlingCodes => ("Add handling codes", "Добавить коды обращения"),
    Approve => ("Approve", "Одобрить"),
    Decline => ("Decline", "Отклонить"),
    DeclineReason => ("Reason", "Причина"),
    Incoming => ("To your agency", "В ваше ведомство"),
    Outgoing => ("From your agency", "От вашего ведомства"),
    NoRequests => ("No requests.", "Запросов нет."),
    SchemaPerson => ("Person", "Лицо"),
    SchemaCompany => ("Organisation", "Организация"),
    SchemaVehicle => ("Vehicle (plate, VIN)", "Транспорт (номер, VIN)"),
    ScreenName => ("Name (or plate)", "Имя (или госномер)"),
    ScreenBirthDate => ("Date of birth", "Дата рождения"),
    ScreenDocument => ("Document number (or VIN)", "Номер документа (или VIN)"),
    ScreenPhone => ("Phone", "Телефон"),
    ScreenCountry => ("Country", "Страна"),
    ScreenButton => ("Check", "Проверить"),
    ScreenIntro => ("Check a person, organisation or vehicle against all records without storing anything. The check is recorded in the audit trail.",
                    "Проверка лица, организации или транспортного средства по всем записям без сохранения. Проверка фиксируется в журнале аудита."),
    ScreenNothing => ("No matches.", "Совпадений не найдено."),
    ScreenResults => ("Results", "Результаты"),
    NavSearch => ("Search", "Поиск"),
    NavReport => ("Report a seizure", "Сообщить об изъятии"),
    NavImport => ("Import", "Импорт"),
    NavUsers => ("Users", "Пользователи"),
    NavAgencies => ("Agencies", "Ведомства"),
    NavAudit => ("Audit trail", "Журнал аудита"),
    NavTokens => ("API tokens", "API-токены"),
    Logout => ("Log out", "Выйти"),
    Login => ("Log in", "Войти"),
    LoginTitle => ("Log in to Pamir", "Вход в Памир"),
    Username => ("Username", "Имя пользователя"),
    Password => ("Password", "Пароль"),
    TotpCode => ("One-time code", "Одноразовый код"),
    TotpHint => ("From your authenticator app; required for clearance above RESTRICTED.", "Из приложения-аутентификатора; обязателен при допуске выше RESTRICTED."),
    Language => ("Language", "Язык"),
    Welcome => ("Welcome", "Добро пожаловать"),
    YourAgency => ("Agency", "Ведомство"),
    YourRoles => ("Roles", "Роли"),
    YourClearance => ("Clearance", "Допуск"),
    RecordsYouMaySee => ("Records you may read", "Доступные вам записи"),
    RecentRecords => ("Latest records", "Последние записи"),
    NoRecords => ("No records.", "Записей нет."),
    Search => ("Search", "Найти"),
    SearchPlaceholder => ("Name, document, plate, phone… in any script", "Имя, документ, номер, телефон… на любом алфавите"),
    AnySchema => ("Any type", "Любой тип"),
    AnyCountry => ("Any country", "Любая страна"),
    AnyClassification => ("Any classification", "Любой гриф"),
    OwnerAgency => ("Owner agency", "Ведомство-владелец"),
    Schema => ("Type", "Тип"),
    Caption => ("Record", "Запись"),
    Owner => ("Owner", "Владелец"),
    Classification => ("Classification", "Гриф"),
    Updated => ("Updated", "Изменено"),
    Created => ("Created", "Создано"),
    Version => ("Version", "Версия"),
    NextPage => ("Next page", "Следующая страница"),
    Results => ("Results", "Результаты"),
    Metadata => ("Protection", "Защита информации"),
    Dissemination => ("Dissemination", "Рассылка"),
    AllMembers => ("All member states", "Все государства-члены"),
    OwnerOnly => ("Owner agency only", "Только ведомство-владелец"),
    Countries => ("Countries", "Страны"),
    Agencies => ("Agencies", "Ведомства"),
    HandlingCodes => ("Handling codes", "Условия обращения"),
    Evaluation => ("Evaluation (4x4)", "Оценка (4x4)"),
    Properties => ("Details", "Сведения"),
    Links => ("Links", "Связи"),
    NoLinks => ("No links you may see.", "Нет доступных вам связей."),
    HitTitle => ("A record exists", "Запись существует"),
    HitText => ("Another agency holds a record here that you may not read. You learn only that it exists and who owns it; its owner decides on disclosure.",
                "У другого ведомства есть запись, которую вы не можете прочитать. Вам известно только о её существовании и владельце; решение о раскрытии принимает владелец."),
    Delete => ("Delete", "Удалить"),
    DeleteConfirm => ("Delete this record and its links?", "Удалить запись и её связи?"),
    Deleted => ("The record was deleted.", "Запись удалена."),
    ReportTitle => ("Report a seizure", "Сообщение об изъятии"),
    ReportIntro => ("The seizure, its persons and vehicles are stored together, on behalf of your agency.", "Изъятие, причастные лица и транспорт сохраняются вместе от имени вашего ведомства."),
    SeizureSection => ("Seizure", "Изъятие"),
    PersonsSection => ("Persons involved", "Причастные лица"),
    VehiclesSection => ("Vehicles", "Транспортные средства"),
    ProtectionSection => ("Protection", "Защита информации"),
    Person => ("Person", "Лицо"),
    Vehicle => ("Vehicle", "Транспортное средство"),
    FullName => ("Full name (as written)", "ФИО (как в документе)"),
    Role => ("Role", "Роль"),
    TransitCountries => ("Transit countries (codes, comma-separated)", "Страны транзита (коды через запятую)"),
    AgenciesField => ("Agencies (codes, comma-separated)", "Ведомства (коды через запятую)"),
    Submit => ("Submit", "Отправить"),
    Save => ("Save", "Сохранить"),
    Choose => ("— choose —", "— выберите —"),
    FixErrors => ("Please correct the following:", "Исправьте, пожалуйста:"),
    ImportTitle => ("Import records", "Импорт записей"),
    ImportIntro => ("FtM JSON lines or CSV with a header row. The file is checked whole: if any line is bad, every bad line is listed and nothing is written.",
                    "FtM JSON lines или CSV со строкой заголовков. Файл проверяется целиком: при ошибках перечисляются все ошибочные строки и ничего не записывается."),
    File => ("File", "Файл"),
    Format => ("Format", "Формат"),
    CsvSchema => ("Schema of CSV rows", "Тип записей CSV"),
    Mapping => ("Column mapping (COLUMN=property, …)", "Соответствие столбцов (СТОЛБЕЦ=свойство, …)"),
    ImportDone => ("Import complete", "Импорт завершён"),
    ImportRejected => ("The file was refused; nothing was written.", "Файл отклонён; ничего не записано."),
    Line => ("Line", "Строка"),
    Field => ("Field", "Поле"),
    Reason => ("Problem", "Ошибка"),
    LinesRead => ("Lines read", "Прочитано строк"),
    RecordsCreated => ("Records created", "Создано записей"),
    RecordsUpdated => ("Records updated", "Обновлено записей"),
    UsersTitle => ("Users", "Пользователи"),
    AddUser => ("Add a user", "Добавить пользователя"),
    DisplayName => ("Display name", "Имя для отображения"),
    Agency => ("Agency", "Ведомство"),
    Roles => ("Roles", "Роли"),
    Clearance => ("Clearance", "Допуск"),
    Status => ("Status", "Состояние"),
    Active => ("active", "активен"),
    Disabled => ("disabled", "отключён"),
    Locked => ("locked", "заблокирован"),
    Disable => ("Disable", "Отключить"),
    Enable => ("Enable", "Включить"),
    ResetPassword => ("Set password", "Задать пароль"),
    NewPassword => ("New password", "Новый пароль"),
    EnrolTotp => ("Enrol TOTP", "Подключить TOTP"),
    TotpEnrolled => ("TOTP", "TOTP"),
    TotpSecretShown => ("Give this secret to the user once, for their authenticator app:", "Передайте пользователю этот секрет для приложения-аутентификатора (показывается один раз):"),
    Done => ("Done.", "Готово."),
    AgenciesTitle => ("Agencies", "Ведомства"),
    AddAgency => ("Add an agency", "Добавить ведомство"),
    Code => ("Code", "Код"),
    Country => ("Country", "Страна"),
    Kind => ("Kind", "Вид"),
    NameEn => ("Name (English)", "Название (англ.)"),
    NameRu => ("Name (Russian)", "Название (рус.)"),
    AuditTitle => ("Audit trail", "Журнал аудита"),
    AuditIntro => ("Append-only and hash-chained: every entry commits to the previous one.", "Только добавление, цепочка хешей: каждая запись закрепляет предыдущую."),
    Actor => ("Actor", "Кто"),
    Action => ("Action", "Действие"),
    Target => ("Object", "Объект"),
    Outcome => ("Outcome", "Итог"),
    Details => ("Details", "Подробности"),
    When => ("When", "Когда"),
    From => ("From", "С"),
    To => ("To", "По"),
    Filter => ("Filter", "Отобрать"),
    VerifyChain => ("Verify the chain", "Проверить цепочку"),
    ChainIntact => ("The chain is intact. Entries verified:", "Цепочка не нарушена. Проверено записей:"),
    ChainBroken => ("The chain is broken at entry", "Цепочка нарушена на записи"),
    TokensTitle => ("API tokens", "API-токены"),
    TokensIntro => ("Bearer tokens for national systems. The secret is shown once, when created.", "Токены для национальных систем. Секрет показывается один раз при создании."),
    Label => ("Label", "Описание"),
    Days => ("Valid for days", "Срок действия, дней"),
    CreateToken => ("Create token", "Создать токен"),
    Revoke => ("Revoke", "Отозвать"),
    Revoked => ("revoked", "отозван"),
    Expires => ("Expires", "Истекает"),
    TokenShown => ("Copy the token now; it will not be shown again:", "Скопируйте токен сейчас; он больше не будет показан:"),
    ErrorTitle => ("Something is wrong", "Ошибка"),
    Back => ("Back", "Назад"),
    Yes => ("yes", "да"),
    No => ("no", "нет"),
    NotFoundPage => ("The page does not exist.", "Такой страницы нет."),
    LatinReading => ("Latin reading", "Латиницей"),
    ErrUnauthenticated => ("You are not logged in, or your session has ended.", "Вы не вошли в систему или сеанс завершён."),
    ErrBadCredentials => ("Wrong username or password.", "Неверное имя пользователя или пароль."),
    ErrTotpRequired => ("Enter the one-time code from your authenticator.", "Введите одноразовый код из приложения-аутентификатора."),
    ErrTotpWrong => ("Wrong one-time code.", "Неверный одноразовый код."),
    ErrLocked => ("The account is locked after repeated failed logins. Try again later.", "Учётная запись заблокирована после нескольких неудачных попыток входа. Повторите позже."),
    ErrRateLimited => ("Too many attempts. Wait a minute and try again.", "Слишком много попыток. Подождите минуту и повторите."),
    ErrForbidden => ("You are not allowed to do this.", "У вас нет прав на это действие."),
    ErrNotFound => ("Not found, or not visible to you.", "Не найдено или недоступно вам."),
    ErrConflict => ("Someone changed it meanwhile; reload and try again.", "Запись изменена другим пользователем; обновите страницу и повторите."),
    ErrExists => ("It already exists.", "Уже существует."),
    ErrInvalid => ("Some input is not valid.", "Некоторые данные введены неверно."),
    ErrBadRequest => ("The request could not be understood.", "Запрос не распознан."),
    ErrTooLarge => ("The upload is too large.", "Слишком большой файл."),
    ErrInternal => ("An internal error occurred; it has been logged.", "Внутренняя ошибка; она записана в журнал."),
    PartialDateHint => ("YYYY-MM-DD, YYYY-MM or YYYY", "ГГГГ-ММ-ДД, ДД.ММ.ГГГГ или ГГГГ"),
    ErrDisabled => ("The account is disabled; ask your administrator.", "Учётная запись отключена; обратитесь к администратору."),
    ErrCsrf => ("The form has expired. Reload the page and submit again.", "Форма устарела. Обновите страницу и отправьте снова."),
}

pub fn t(lang: Lang, m: M) -> &'static str {
    m.text(lang)
}

/// The translated summary of an error, for pages.
pub fn error_text(lang: Lang, e: &AppError) -> &'static str {
    let m = match e {
        AppError::Unauthenticated(msg) if msg.contains("wrong one-time code") => M::ErrTotpWrong,
        AppError::Unauthenticated(msg) if msg.contains("username or password") => {
            M::ErrBadCredentials
        }
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

/// Russian for the reasons validation gives, phrase by phrase; unknown phrases stay in English.
const REASONS_RU: &[(&str, &str)] = &[
    ("is required for a", "обязательно для типа"),
    ("is required", "обязательно"),
    ("one of", "одно из"),
    ("unknown property of", "неизвестное свойство типа"),
    ("unknown field", "неизвестное поле"),
    ("is not a calendar date", "— несуществующая дата"),
    ("month", "месяц"),
    ("does not exist", "не существует"),
    (
        "is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
        "— не дата (ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД)",
    ),
    ("is in the future", "— дата в будущем"),
    ("is before 1800", "— раньше 1800 года"),
    ("is negative", "— отрицательное значение"),
    ("is not a number", "— не число"),
    ("is above the maximum", "— больше допустимого"),
    ("is below the minimum", "— меньше допустимого"),
    (
        "is not an ISO 3166-1 alpha-2 country code",
        "— не код страны ISO 3166-1",
    ),
    ("is not a phone number", "— не номер телефона"),
    ("is not an e-mail address", "— не адрес эл. почты"),
    ("is not one of", "— не из списка"),
    ("is not valid UTF-8", "— не в кодировке UTF-8"),
    ("malformed JSON", "ошибка в JSON"),
    (
        "appears again (first on line",
        "повторяется (впервые в строке",
    ),
    (
        "is already in use; choose another id",
        "уже используется; выберите другой идентификатор",
    ),
    (
        "is not an id of your agency: an id you choose begins with",
        "— не идентификатор вашего ведомства: выбранный вами идентификатор начинается с",
    ),
    ("(or leave it out)", "(или не указывайте его)"),
    ("is not registered", "не зарегистрировано"),
    ("is above your clearance", "выше вашего допуска"),
    ("classification", "гриф"),
    ("has", "содержит"),
    ("fields; the header has", "полей; в заголовке"),
    ("is before", "раньше, чем"),
    (
        "must be at least 8 characters long",
        "должен содержать не менее 8 символов",
    ),
    ("is not a valid username", "— недопустимое имя пользователя"),
    (
        "contains control characters",
        "содержит управляющие символы",
    ),
    (
        "is empty: no records to import",
        "пуст: нет записей для импорта",
    ),
];

pub fn reason(lang: Lang, text: &str) -> String {
    match lang {
        Lang::En => text.to_string(),
        Lang::Ru => translate_phrases(text, REASONS_RU, false),
    }
}

/// Translates the fixed phrases of a text built by the application, leaving every value it
/// holds exactly as written. Values are what the text quotes (`"…"`, with `\"` escapes) and,
/// with `skip_parens`, what it puts in parentheses; phrases match whole words only (never
/// `male` inside `Jamalev`, `has` inside `Khasanov`), case-sensitively, the longest first.
/// A phrase the table lacks stays in English: untranslated, never altered.
pub fn translate_phrases(text: &str, table: &[(&str, &str)], skip_parens: bool) -> String {
    let mut sorted: Vec<&(&str, &str)> = table.iter().collect();
    sorted.sort_by_key(|(en, _)| std::cmp::Reverse(en.len()));
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    while i < text.len() {
        let rest = &text[i..];
        let Some(c) = rest.chars().next() else { break };
        // A value: copy it whole.
        let close = match c {
            '"' => Some('"'),
            '(' if skip_parens => Some(')'),
            _ => None,
        };
        if let Some(close) = close {
            let mut end = text.len();
            let mut escaped = false;
            for (j, ch) in rest.char_indices().skip(1) {
                if escaped {
                    escaped = false;
                } else if ch == '\\' && close == '"' {
                    escaped = true;
                } else if ch == close {
                    end = i + j + ch.len_utf8();
                    break;
                }
            }
            out.push_str(&text[i..end]);
            i = end;
            continue;
        }
        let before = text[..i].chars().next_back();
        let found = sorted.iter().find(|(en, _)| {
            rest.starts_with(en)
                && !(word(en.chars().next()) && word(before))
                && !(word(en.chars().next_back()) && word(rest[en.len()..].chars().next()))
        });
        match found {
            Some((en, ru)) => {
                out.push_str(ru);
                i += en.len();
            }
            None => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever a user typed — phrases of the table, Cyrillic, quotes, backslashes — comes
        /// back exactly as typed in a Russian message, for every template that quotes a value.
        #[test]
        fn russian_messages_keep_every_value(
            v in proptest::string::string_regex(
                "(has|is required|one of|male|Khasanov|Хасанов|\\\\|\"|classification| |[a-zA-Zа-яА-Я0-9]){0,12}"
            ).unwrap()
        ) {
            for template in [
                "{} is not one of male, female",
                "{} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                "{} is not a calendar date",
                "{} is in the future",
                "{} is not a number",
                "{} appears again (first on line 3)",
                "{} is already in use; choose another id",
                "{} is not an id of your agency: an id you choose begins with \"kz-mvd:\" (or leave it out)",
            ] {
                let quoted = format!("{v:?}");
                let en = template.replace("{}", &quoted);
                let ru = reason(Lang::Ru, &en);
                proptest::prop_assert!(ru.contains(&quoted), "{en:?} became {ru:?}");
            }
        }
    }

    #[test]
    fn translation_never_alters_a_value() {
        let en = r#""Khasanov" is not one of male, female"#;
        assert_eq!(
            reason(Lang::Ru, en),
            r#""Khasanov" — не из списка male, female"#
        );
        // Quoted values with escapes, and phrases inside values or words, pass unchanged.
        let en = r#""has \" is required" is not a number"#;
        assert_eq!(reason(Lang::Ru, en), r#""has \" is required" — не число"#);
        assert_eq!(reason(Lang::Ru, "Jamalev has"), "Jamalev содержит");
        assert_eq!(reason(Lang::Ru, "Khasanov"), "Khasanov");
        assert_eq!(
            reason(Lang::Ru, r#""1985-13-45": month 13 does not exist"#),
            r#""1985-13-45": месяц 13 не существует"#
        );
    }

    #[test]
    fn every_message_has_both_languages() {
        for m in M::ALL {
            assert!(!m.text(Lang::En).is_empty(), "{m:?}");
            assert!(!m.text(Lang::Ru).is_empty(), "{m:?}");
        }
    }
}
