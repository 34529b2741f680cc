# Pamir: every string the pages show, in Russian. Keys are the same in every language;
# a test fails when one is missing or unused. Values in { } are arguments: user data, never translated.

app-name = Памир
app-tagline = Центральная база данных регионального центра
demo-banner = Демонстрационный режим: второй фактор (TOTP) отключён, данные вымышленные. Не вводите реальную информацию.
nav-dashboard = Главная
nav-hits = Совпадения
nav-disclosures = Запросы на раскрытие
nav-operations = Операции
op-intro = Совместные операции, постоянные программы и контролируемые поставки, которые ваше ведомство координирует, в которых участвует или куда приглашено. Никто вне операции не узнаёт о её существовании.
op-none = Для вас пока нет операций.
op-open = Открыть операцию
op-open-button = Открыть операцию
op-code-name = Кодовое название
op-lead-country = Ведущая страна
op-starts = Начало
op-ends = Окончание
op-ceiling = Предельный гриф
op-ceiling-same = как у операции
op-seizure-form = Форма изъятий
op-description = Описание
op-objectives = Цели
op-coordinator = Координирующее ведомство
op-period = Период
op-standing = Вы
op-standing-coordinator = координатор
op-standing-member = участник
op-standing-invited = приглашены
op-invited-notice = { $party }: приглашение к участию. После согласия операция видна всем пользователям приглашённой стороны, имеющим допуск к ней.
op-accept = Принять
op-decline = Отклонить
op-participants = Участники
op-no-participants = Пока никто не приглашён.
op-party = Ведомство или страна
op-since = С
op-remove = Исключить
op-invite-party = Пригласить ведомство (KZ-MVD) или всю страну (KZ)
op-invite = Пригласить
rp-title = Отчёт об операции
rp-seizures = Изъятия
rp-no-seizures = Об изъятиях пока не сообщалось.
rp-quantity = Количество
rp-count = Изъятий
rp-missing = Удалено владельцем после привязки: { $count }.
rp-arrests = Задержания
rp-cases = Возбуждено дел
rp-assets = Арестовано активов
rp-results = Результаты ведомств
rp-no-results = Результатов пока нет.
rp-report = Сообщить о результатах вашего ведомства
rp-seizure-ids = Ваши записи об изъятиях (идентификаторы через запятую)
rp-currency = Валюта
rp-note = Примечание
rp-report-button = Сообщить
rp-print = Печать
jr-title = Журнал
jr-all = Всё
jr-empty = Здесь пока ничего нет.
jr-opened = Операция открыта
jr-participant = { $party }: { $state }
jr-task = Задача «{ $title }» ({ $assignee }): { $status }
jr-task-overdue = Задача «{ $title }» ({ $assignee }) просрочена
jr-task-reminder = Напоминание { $assignee }: задача «{ $title }»
live-on = На связи
live-off = Нет связи, переподключение…
jr-delivery = Поставка: { $status }
jr-leg = Этап { $seq }: { $status }
dlv-title = Контролируемая поставка
dlv-none = Груз ещё не описан.
dlv-substance = Вещество
dlv-quantity = Заявленное количество
dlv-actual = фактически
dlv-unit = Единица
dlv-concealment = Способ сокрытия
dlv-conveyance = Транспорт
dlv-vehicle = Контейнер или транспортное средство
dlv-markers = Метки и средства слежения
dlv-substitution = Замена
dlv-reason = Причина
dlv-terminate = Прекратить
dlv-legs = Этапы
dlv-no-legs = Этапы ещё не запланированы.
dlv-route = Откуда → куда
dlv-planned = По плану (UTC)
dlv-actual-times = Фактически (UTC)
dlv-add-leg = Запланировать следующий этап
dlv-from = Откуда (ведомство или страна)
dlv-to = Куда (ведомство или страна)
dlv-crossing = Пункт пропуска
dlv-departure = Плановое отправление (UTC)
dlv-handover = Плановая передача (UTC)
dlv-describe = Описать груз
dlv-save = Сохранить
task-title-plural = Задачи
task-none = Задач пока нет.
task-overdue = просрочена
task-assignee = Исполнитель
task-due = Срок
task-remind = Напоминание
task-start = Взять в работу
task-done = Выполнено
task-reopen = Вернуть в открытые
task-cancel = Отменить задачу
task-comments = Комментарии
task-comment = Комментарий
task-comment-button = Добавить комментарий
task-add = Поставить задачу
task-title = Задача
task-add-button = Поставить задачу
nav-screen = Проверка
matches = Совпадения
no-matches = Совпадений нет.
hits-intro = Совпадения с записями вашего ведомства. Если другая запись вам недоступна, вы видите только факт её существования, владельца и силу совпадения; запросите раскрытие у владельца.
hit-label = Совпадение (hit)
reference = ссылка
your-record = Ваша запись
strength = Сила
matched-record = Совпавшая запись
why = Почему / запрос
request-disclosure = Запросить раскрытие
justification = Обоснование
send-request = Отправить запрос
request-pending = запрошено, ожидает решения
request-approved = одобрено
request-declined = отклонено
record = Запись
requested-by = Запросил
add-handling-codes = Добавить коды обращения
approve = Одобрить
decline = Отклонить
decline-reason = Причина
incoming = В ваше ведомство
outgoing = От вашего ведомства
no-requests = Запросов нет.
schema-person = Лицо
schema-company = Организация
schema-vehicle = Транспорт (номер, VIN)
screen-name = Имя (или госномер)
screen-birth-date = Дата рождения
screen-document = Номер документа (или VIN)
screen-phone = Телефон
screen-country = Страна
screen-button = Проверить
screen-intro = Проверка лица, организации или транспортного средства по всем записям без сохранения. Проверка фиксируется в журнале аудита.
screen-nothing = Совпадений не найдено.
screen-results = Результаты
nav-search = Поиск
nav-report = Сообщить об изъятии
nav-import = Импорт
nav-users = Пользователи
nav-agencies = Ведомства
nav-audit = Журнал аудита
nav-tokens = API-токены
logout = Выйти
login = Войти
login-title = Вход в Памир
username = Имя пользователя
password = Пароль
totp-code = Одноразовый код
totp-hint = Из приложения-аутентификатора; обязателен при допуске выше RESTRICTED.
language = Язык
welcome = Добро пожаловать
your-agency = Ведомство
your-roles = Роли
your-clearance = Допуск
records-you-may-see = Доступные вам записи
recent-records = Последние записи
no-records = Записей нет.
search = Найти
search-placeholder = Имя, документ, номер, телефон… на любом алфавите
any-schema = Любой тип
any-country = Любая страна
any-classification = Любой гриф
owner-agency = Ведомство-владелец
schema = Тип
caption = Запись
owner = Владелец
classification = Гриф
updated = Изменено
created = Создано
version = Версия
next-page = Следующая страница
results = Результаты
metadata = Защита информации
dissemination = Рассылка
all-members = Все государства-члены
owner-only = Только ведомство-владелец
countries = Страны
agencies = Ведомства
handling-codes = Условия обращения
evaluation = Оценка (4x4)
properties = Сведения
links = Связи
no-links = Нет доступных вам связей.
hit-title = Запись существует
hit-text = У другого ведомства есть запись, которую вы не можете прочитать. Вам известно только о её существовании и владельце; решение о раскрытии принимает владелец.
delete = Удалить
delete-confirm = Удалить запись и её связи?
deleted = Запись удалена.
report-title = Сообщение об изъятии
report-intro = Изъятие, причастные лица и транспорт сохраняются вместе от имени вашего ведомства.
seizure-section = Изъятие
persons-section = Причастные лица
vehicles-section = Транспортные средства
protection-section = Защита информации
person = Лицо
vehicle = Транспортное средство
full-name = ФИО (как в документе)
role = Роль
transit-countries = Страны транзита (коды через запятую)
agencies-field = Ведомства (коды через запятую)
submit = Отправить
save = Сохранить
choose = — выберите —
fix-errors = Исправьте, пожалуйста:
import-title = Импорт записей
import-intro = FtM JSON lines или CSV со строкой заголовков. Файл проверяется целиком: при ошибках перечисляются все ошибочные строки и ничего не записывается.
file = Файл
format = Формат
csv-schema = Тип записей CSV
mapping = Соответствие столбцов (СТОЛБЕЦ=свойство, …)
import-done = Импорт завершён
import-rejected = Файл отклонён; ничего не записано.
line = Строка
field = Поле
reason = Ошибка
lines-read = Прочитано строк
records-created = Создано записей
records-updated = Обновлено записей
users-title = Пользователи
add-user = Добавить пользователя
display-name = Имя для отображения
agency = Ведомство
roles = Роли
clearance = Допуск
status = Состояние
active = активен
disabled = отключён
locked = заблокирован
disable = Отключить
enable = Включить
reset-password = Задать пароль
new-password = Новый пароль
enrol-totp = Подключить TOTP
totp-enrolled = TOTP
totp-secret-shown = Передайте пользователю этот секрет для приложения-аутентификатора (показывается один раз):
done = Готово.
agencies-title = Ведомства
add-agency = Добавить ведомство
code = Код
country = Страна
kind = Вид
name-in = Название ({ $language })
audit-title = Журнал аудита
audit-intro = Только добавление, цепочка хешей: каждая запись закрепляет предыдущую.
actor = Кто
action = Действие
target = Объект
outcome = Итог
details = Подробности
when = Когда
from = С
to = По
filter = Отобрать
verify-chain = Проверить цепочку
chain-intact = Цепочка не нарушена. Проверено записей:
chain-broken = Цепочка нарушена на записи
tokens-title = API-токены
tokens-intro = Токены для национальных систем. Секрет показывается один раз при создании.
label = Описание
days = Срок действия, дней
create-token = Создать токен
revoke = Отозвать
revoked = отозван
expires = Истекает
token-shown = Скопируйте токен сейчас; он больше не будет показан:
error-title = Ошибка
back = Назад
yes = да
no = нет
not-found-page = Такой страницы нет.
latin-reading = Латиницей
err-unauthenticated = Вы не вошли в систему или сеанс завершён.
err-bad-credentials = Неверное имя пользователя или пароль.
err-totp-required = Введите одноразовый код из приложения-аутентификатора.
err-totp-wrong = Неверный одноразовый код.
err-locked = Учётная запись заблокирована после нескольких неудачных попыток входа. Повторите позже.
err-rate-limited = Слишком много попыток. Подождите минуту и повторите.
err-forbidden = У вас нет прав на это действие.
err-not-found = Не найдено или недоступно вам.
err-conflict = Запись изменена другим пользователем; обновите страницу и повторите.
err-exists = Уже существует.
err-invalid = Некоторые данные введены неверно.
err-bad-request = Запрос не распознан.
err-too-large = Слишком большой файл.
err-internal = Внутренняя ошибка; она записана в журнал.
partial-date-hint = ГГГГ-ММ-ДД, ДД.ММ.ГГГГ или ГГГГ
err-disabled = Учётная запись отключена; обратитесь к администратору.
err-csrf = Форма устарела. Обновите страницу и отправьте снова.

# Сообщения и каналы ПОС
msg-awaiting-your-acknowledgement = ждёт вашего подтверждения
msg-acknowledgement-overdue = подтверждение просрочено
msg-acknowledged = подтвердили
msg-no-messages = Сообщений нет.
msg-subject = Тема
msg-from = От
msg-to = Кому
msg-priority = Приоритет
msg-sent = Отправлено
msg-state = Состояние
msg-messages = Сообщения
msg-unread-title = непрочитанные
msg-unread = непрочитано
msg-write-a-message = Написать сообщение
msg-blo-channels-colon = Каналы ПОС:
msg-search-subject-and-text = Поиск по теме и тексту
msg-any-priority = любой приоритет
msg-sender-or-agency = отправитель или ведомство
msg-linked-record-operation = связанная запись / операция
msg-date-from = с
msg-date-to = по
msg-reply-to-the-thread-leave = Ответ в ветке; оставьте получателей пустыми, чтобы ответить отправителю.
msg-the-original-is-quoted-below = Исходное сообщение будет приведено под вашим текстом, с его грифом и условиями обращения.
msg-countries-via-the-national-focal = Страны (через национальный координационный центр)
msg-operations = Операции (все участники)
op-write-to-participants = Написать участникам
dlv-authorisations = Разрешения государств
dlv-consent-missing = На маршруте ещё нет согласия: { $countries }. Поставку нельзя разрешить или начать, пока согласие не дадут все государства маршрута.
dlv-no-authorisations = Ни одно государство ещё не внесло своё разрешение.
dlv-authority = Орган, давший разрешение
dlv-legal-basis = Правовое основание
dlv-reference = Номер и дата
dlv-consent = Согласие
dlv-duty-contact = Дежурный для связи
dlv-authorised-on = Дата разрешения
dlv-record-authorisation = Внести разрешение
jr-authorisation = { $country }: { $consent }
dlv-route-map = { $operation }: маршрут груза
op-edit = Изменить операцию
op-save = Сохранить изменения
jr-edited = Операция изменена
msg-blo-channel = Канал ПОС
msg-text = Текст
msg-linked-records-cases-or-operations = Связанные записи, дела или операции (идентификаторы через запятую)
msg-send = Отправить
msg-new-message = Новое сообщение
msg-forwarded = пересланное
msg-linked = Связано:
msg-recipient = Получатель
msg-delivered = Доставлено
msg-read = Прочитано
msg-acknowledged-column = Подтверждено
msg-escalated = передано координатору
msg-acknowledge = Подтвердить получение
msg-reply = Ответить
msg-forward = Переслать
msg-message-to-the-other-side = Сообщение другой стороне
msg-blo-channels = Каналы ПОС
msg-you-are-not-a-member = Вы не состоите ни в одном канале.
msg-all-messages = Все сообщения
msg-routine = обычное
msg-urgent = срочное
msg-immediate = немедленное
msg-folder-inbox = Входящие
msg-folder-sent = Отправленные
msg-folder-all = Все
dash-your-blo-channels = Ваши каналы ПОС

# Этот язык, названный на нём самом (для переключателя языка)
language-name = Русский

# Роль лица в изъятии
role-courier = курьер
role-organiser = организатор
role-driver = водитель
role-recipient = получатель
role-sender = отправитель

# Страница импорта: пример сопоставления столбцов
import-map-example = ФИО=name, Дата рождения=birthDate

# Причины отказа при проверке данных. $value — значение, как его ввёл пользователь (в кавычках).
value-too-long = — { $length } символов; допускается не более { $limit }
value-control-characters = содержит управляющие символы
value-not-one-of = { $value } — не из списка { $allowed }
date-invalid = { $value } — не дата (ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД)
date-no-such-month = { $value }: месяца { $month } не существует
date-not-calendar = { $value } — несуществующая дата
date-time-part = { $value }: время указывается только после полной даты, как THH:MM[:SS][Z]
date-before-1800 = { $value } — раньше 1800 года
date-century-ahead = { $value } — более чем на сто лет вперёд
date-in-future = { $value } — дата в будущем
date-end-before-start = раньше, чем { $start }
number-ambiguous = { $value } — неоднозначно: пишите 1000 для тысячи или 1.000 с точкой для единицы
number-grouping = { $value } — не число: разделяйте тысячи пробелами (1 000 000) или не разделяйте вовсе
number-invalid = { $value } — не число
number-not-finite = { $value } — не конечное число
number-negative = { $value } — отрицательное значение
number-below-min = { $value } — меньше допустимого минимума { $min }
number-not-positive = { $value } — должно быть больше нуля
number-above-max = { $value } — больше допустимого максимума { $max }
phone-invalid = { $value } — не номер телефона (цифры, пробелы, + - ( ) .; от 5 до 20 цифр)
email-invalid = { $value } — не адрес эл. почты
url-invalid = { $value } — не ссылка http(s)
property-unknown = неизвестное свойство типа { $schema }
property-too-many-values = { $count } значений; допускается не более { $limit }
property-not-string = должно быть строкой (значение типа { $type })
property-single = допускает одно значение, а не { $count }
property-required = обязательно для типа { $schema }
property-one-required = одно из { $alternatives } обязательно для типа { $schema }
entity-not-object = должно быть объектом JSON
field-must-be-string = должно быть строкой
field-required = обязательно
schema-unknown = неизвестный тип { $value }; ожидается одно из { $allowed }
country-code-invalid = { $value } — не код страны ISO 3166-1 (две буквы)
agency-code-invalid = { $value } — не код ведомства вида KZ-MVD (код страны, дефис, 2–16 букв или цифр)
username-invalid = { $value } — недопустимое имя пользователя (3–64 символа: a–z, 0–9, '.', '_', '-', начиная с буквы)
id-invalid = { $value } — недопустимый идентификатор (1–128 букв, цифр, '.', '_', ':', '-')
classification-unknown = неизвестный гриф { $value }; допустимы UNCLASSIFIED, RESTRICTED, CONFIDENTIAL и SECRET
id-outside-namespace = { $value } — не идентификатор вашего ведомства: выбранный вами идентификатор начинается с "{ $prefix }" (или не указывайте его)
denied-no-writer-role = ваши роли не позволяют вносить и изменять записи
denied-not-owner = изменять эту запись может только ведомство-владелец { $owner }
denied-above-clearance = гриф { $classification } выше вашего допуска { $clearance }
agency-not-registered = ведомство { $agency } не зарегистрировано
country-not-registered = страна { $country } не зарегистрирована

# Импорт
import-empty = пуст: нет записей для импорта
import-more-bad-lines = и ещё { $count } строк(и) с ошибками
import-unreadable = не читается: { $error }
import-id-again = { $value } повторяется (впервые в строке { $line })
import-id-in-use = { $value } уже используется; выберите другой идентификатор
import-schema-change = { $value } — это { $from }, и он не может стать { $to }
not-utf8 = — не в кодировке UTF-8
json-malformed = ошибка в JSON: { $error }
json-line-not-object = каждая строка должна быть объектом JSON
field-unknown = неизвестное поле
csv-header-unreadable = не удаётся прочитать строку заголовка: { $error }
csv-no-such-column = нет столбца с именем { $column }
csv-row-length = { $count } полей; в заголовке { $expected }
csv-row-unreadable = не читается: { $error }
csv-not-a-property = { $value } — не свойство типа { $schema }: сопоставьте столбец свойству ({ $column }=свойство) или пропустите его ({ $column }=-)

# Записи и связи
meta-required = обязательно (как минимум {"{"}"classification": …{"}"})
link-end-not-in-report = { $end } — не запись этого сообщения
link-record-not-found = запись { $id } не найдена
link-role-too-long = не более 200 печатных символов
link-to-itself = запись нельзя связать с самой собой
record-schema-change = { $from } не может стать { $to }
record-id-mismatch = не совпадает с изменяемой записью
search-schema-unknown = неизвестный тип { $value }

# Метаданные и кодированные значения
enum-value-unknown = { $what ->
    [priority] неизвестный приоритет
    [receipt-state] неизвестное состояние получения
    [recipient-kind] неизвестный вид получателя
    [agency-kind] неизвестный тип ведомства
    [role] неизвестная роль
    [handling-code] неизвестный код обращения
    [link-kind] неизвестный вид связи
   *[other] неизвестное значение
} { $value }; ожидается одно из { $allowed }
evaluation-source-invalid = источник { $value } должен быть одним из A, B, C, D, X
evaluation-information-invalid = информация { $value } должна быть 1, 2, 3 или 4
evaluation-not-object = должно быть объектом {"{"}"source", "information"{"}"}
dissemination-not-object = должно быть объектом {"{"}"all_members", "countries", "agencies"{"}"}
field-must-be-object = должно быть объектом
field-must-be-code-list = должно быть списком кодов
field-must-be-bool = должно быть true или false

# Сообщения, администрирование, вложения, токены, проверка и раскрытие
message-reply-or-forward = сообщение может быть либо ответом, либо пересылкой
message-subject-too-long = длиннее { $limit } символов
message-subject-one-line = должна быть одной строкой без управляющих символов
message-body-required = обязателен (или приложите файл)
message-above-clearance = { $classification } выше вашего допуска { $clearance }
message-own-agency = это ваше собственное ведомство: адресуйте другим ведомствам
message-no-such-channel = нет канала ПОС { $value }
message-no-recipient = укажите хотя бы одно ведомство, страну или канал ПОС
message-too-many-recipients = не более { $limit } получателей
message-too-many-links = не более { $limit } связей
message-link-no-record = нет записи { $value }
message-nobody-cleared = в { $agency } нет никого с допуском к { $classification }
message-no-focal-point = у { $country } нет национального координационного центра, через который можно направить сообщение
message-focal-point-not-cleared = ни у одного координатора { $country } нет допуска к { $classification }
message-channel-restricted = канал ПОС { $channel } допускает гриф не выше RESTRICTED
message-attachment-not-yours = { $attachment } — не из ваших неотправленных файлов
name-printable-200 = от 1 до 200 печатных символов
language-unknown = должен быть одним из: { $languages }
agency-code-country = код ведомства страны { $country } начинается с { $country }-
roles-required = нужна хотя бы одна роль
password-too-short = должен содержать не менее 8 символов
password-too-long = должен содержать не более 256 символов
attachment-not-declared-type = файл не является заявленным { $type }
attachment-empty = вложение пустое
attachment-type-refused = { $value } не принимается; отправьте одно из: { $allowed }
token-label-length = от 1 до 100 символов
token-days-range = от 1 до 3650
audit-action-unknown = неизвестное действие { $value }
screening-schemata = проверка принимает { $allowed }
screening-nothing-to-match = не с чем сравнивать: укажите имя или номер
disclosure-justification-short = объясните, зачем вашему ведомству эта запись (не менее 10 символов)
disclosure-justification-long = не более 4 000 символов
disclosure-decline-reason = укажите причину отказа
operation-party-invalid = { $value } не код ведомства (KZ-MVD) и не код страны (KZ)
operation-party-coordinator = координирующее ведомство ведёт операцию; его не приглашают в неё
operation-observer-country = { $value } — наблюдатель: приглашайте его ведомства по одному, а не всю страну
operation-party-already = { $value } уже в состоянии «{ $state }»
operation-ceiling-below = ниже грифа самой операции { $classification }
operation-not-coordinator = операцию открывает только пользователь с ролью координатора
operation-date-full = { $value } не полная дата (ГГГГ-ММ-ДД)
task-due-past = раньше сегодняшнего дня ({ $today })
task-remind-after-due = позже срока { $due }
task-not-participant = { $value } не участвует в операции
task-status-move = задачу в состоянии «{ $from }» нельзя перевести в «{ $to }»
task-comment-required = напишите текст
task-status-open = открыта
task-status-in_progress = в работе
task-status-done = выполнена
task-status-cancelled = отменена
leg-moment-invalid = { $value } не дата и время (ГГГГ-ММ-ДДTЧЧ:ММ, UTC)
leg-handover-before-departure = передача не позже отправления
leg-same-party = этап ведёт от одной стороны к другой
leg-not-chained = этап начинается не там, где кончается предыдущий ({ $previous })
leg-overlaps = отправление раньше передачи на предыдущем этапе ({ $handover })
leg-party-not-participant = { $value } не участвует в операции
leg-status-move = этап в состоянии «{ $from }» нельзя перевести в «{ $to }»
delivery-status-move = поставку в состоянии «{ $from }» нельзя перевести в «{ $to }»
delivery-not-controlled = груз и этапы есть только у контролируемой поставки
delivery-reason-required = укажите, почему поставка прекращена
result-count-invalid = { $value } — не целое число от 0 до 1 000 000
result-currency-invalid = { $value } — не код валюты (три буквы, например USD)
result-empty = сообщите хотя бы об одном изъятии, аресте, деле или активе
result-not-own-seizure = { $value } — не запись об изъятии вашего ведомства
operation-id-invalid = { $value } — не идентификатор операции (op- и далее строчные латинские буквы, цифры или дефисы)
operation-tag-not-party = { $value }: нет операции с таким идентификатором, в которой участвует ваше ведомство
operation-tag-above-ceiling = операция принимает материалы не выше { $ceiling }; этот материал — { $classification }
delivery-consent-missing = не все государства на маршруте дали согласие: { $countries }
authorisation-country-not-participant = { $value } не участвует в этой операции
operation-kind-fixed = вид операции после открытия не меняется; у этой — { $kind }
operation-ceiling-below-tagged = в области операции уже есть материалы уровня { $classification }: предельный гриф не может быть ниже
consent-given = Согласие дано
consent-withdrawn = Согласие отозвано
delivery-kind-import = Ввоз
delivery-kind-export = Вывоз
delivery-kind-transit = Транзит
substitution-none = Без замены
substitution-partial = Частичная замена
substitution-full = Полная замена
delivery-status-requested = запрошена
delivery-status-authorised = разрешена
delivery-status-in_transit = в пути
delivery-status-delivered = доставлена
delivery-status-terminated = прекращена
leg-status-planned = запланирован
leg-status-in_transit = в пути
leg-status-handed_over = передан
leg-status-intercepted = перехвачен
leg-status-lost = потерян
search-limit-range = должно быть от 1 до 500
search-query-too-long = не более 500 символов
properties-not-object = должно быть объектом со списками значений свойств

# Объяснения совпадений. Имена, даты и номера — аргументы, как они записаны.
match-word-same = { $role ->
    [given] имя
    [surname] фамилия
    [patronymic] отчество
   *[name] имя
}: совпадает { $word }
match-word-like = { $role ->
    [given] имя
    [surname] фамилия
    [patronymic] отчество
   *[name] имя
}: { $likeness ->
    [transliteration] совпадение транслитерации
    [equivalent] равнозначное имя
    [initial] инициал
    [spelling] вариант написания
   *[different] различается
} { $word } ~ { $other }
match-word-one-side = { $role ->
    [given] имя
    [surname] фамилия
    [patronymic] отчество
   *[name] имя
} только в одной из записей: { $word }
match-word-order = другой порядок слов
match-date = дата рождения: { $what ->
    [same] совпадает ({ $a })
    [year-month] совпадают год и месяц ({ $a } ~ { $b })
    [year] совпадает год ({ $a } ~ { $b })
    [swapped] год совпадает, день и месяц переставлены ({ $a } ~ { $b })
    [one-digit] отличается одна цифра ({ $a } ~ { $b })
    [transposed] переставлены две цифры ({ $a } ~ { $b })
   *[differs] различается ({ $a } ~ { $b })
}
match-gender = пол: { $a ->
    [female] женский
   *[male] мужской
} ~ { $b ->
    [female] женский
   *[male] мужской
}
match-phone-same = телефон: совпадает ({ $phone })
match-id-same = { $kind ->
    [passport] номер паспорта
    [id] номер удостоверения
    [tax] налоговый номер
   *[registration] регистрационный номер
}: совпадает ({ $code })
match-id-differs = { $kind ->
    [passport] номер паспорта
    [id] номер удостоверения
    [tax] налоговый номер
   *[registration] регистрационный номер
}: различается ({ $a } ~ { $b })
match-org-same-words = название: те же слова ({ $a } ~ { $b })
match-org-alike = название: { $percent }% сходства ({ $a } ~ { $b })
match-vehicle = { $kind ->
    [vin] VIN
   *[plate] госномер
}: { $what ->
    [same] совпадает ({ $a })
    [read-alike] символы читаются одинаково ({ $a } ~ { $b })
    [one-char] отличается один символ ({ $a } ~ { $b })
   *[differs] различается ({ $a } ~ { $b })
}
match-model-alike = модель: сходна

# Record schemata, their properties and vocabularies (schema-…, prop-…, {vocabulary}-{value})
prop-name = Имя / наименование
prop-alias = Другое имя
prop-previousName = Прежнее имя
prop-weakAlias = Кличка / слабый псевдоним
prop-summary = Краткое описание
prop-description = Описание
prop-country = Страна
prop-address = Адрес
prop-addressEntity = Адрес (запись)
prop-sourceUrl = Ссылка на источник
prop-keywords = Ключевые слова
prop-notes = Примечания
prop-email = Эл. почта
prop-phone = Телефон
prop-website = Веб-сайт
prop-legalForm = Организационно-правовая форма
prop-incorporationDate = Дата регистрации
prop-dissolutionDate = Дата ликвидации
prop-taxNumber = ИНН / налоговый номер
prop-registrationNumber = Регистрационный номер
prop-idNumber = Идентификационный номер
prop-status = Статус
prop-sector = Отрасль
prop-jurisdiction = Юрисдикция
prop-mainCountry = Основная страна
prop-innCode = ИНН
prop-ogrnCode = ОГРН
prop-title = Обращение / звание
prop-firstName = Имя
prop-secondName = Второе имя
prop-middleName = Среднее имя
prop-fatherName = Отчество
prop-motherName = Имя матери
prop-lastName = Фамилия
prop-nameSuffix = Суффикс имени
prop-birthDate = Дата рождения
prop-birthPlace = Место рождения
prop-birthCountry = Страна рождения
prop-deathDate = Дата смерти
prop-position = Должность
prop-nationality = Гражданство (национальность)
prop-citizenship = Гражданство
prop-passportNumber = Номер паспорта
prop-gender = Пол
prop-ethnicity = Национальность
prop-height = Рост (см)
prop-weight = Вес (кг)
prop-eyeColor = Цвет глаз
prop-hairColor = Цвет волос
prop-appearance = Особые приметы
prop-capital = Уставный капитал
prop-currency = Валюта
prop-amount = Сумма
prop-type = Тип
prop-model = Модель
prop-owner = Владелец
prop-operator = Эксплуатант
prop-buildDate = Дата выпуска
prop-registrationDate = Дата регистрации
prop-vin = VIN (идентификационный номер)
prop-imoNumber = Номер ИМО
prop-mmsi = MMSI
prop-flag = Флаг
prop-pastFlags = Прежние флаги
prop-callSign = Позывной
prop-tonnage = Тоннаж
prop-navigationArea = Район плавания
prop-startDate = Дата начала
prop-endDate = Дата окончания
prop-date = Дата
prop-holder = Владелец документа
prop-number = Номер документа
prop-authority = Орган выдачи
prop-surname = Фамилия
prop-givenName = Имя
prop-personalNumber = Личный номер
prop-full = Полный адрес
prop-remarks = Примечания
prop-postOfficeBox = Абонентский ящик
prop-street = Улица
prop-street2 = Улица (2)
prop-city = Город / населённый пункт
prop-postalCode = Почтовый индекс
prop-region = Область / регион
prop-state = Штат / провинция
prop-latitude = Широта
prop-longitude = Долгота
prop-bankName = Банк
prop-bank = Банк (запись)
prop-accountNumber = Номер счёта
prop-iban = IBAN
prop-bic = БИК / SWIFT
prop-accountType = Тип счёта
prop-balance = Остаток
prop-openingDate = Дата открытия
prop-closingDate = Дата закрытия
prop-publicKey = Адрес кошелька
prop-currencySymbol = Код валюты
prop-managingExchange = Биржа
prop-wallet-holder = Владелец кошелька
prop-creationDate = Дата создания
prop-service = Сервис
prop-account-number = Номер телефона
prop-username = Имя пользователя
prop-amountUsd = Сумма (USD)
prop-sequenceNumber = Порядковый номер
prop-transactionNumber = Номер транзакции
prop-purpose = Назначение платежа
prop-payer = Плательщик
prop-payerAccount = Счёт плательщика
prop-beneficiary = Получатель
prop-beneficiaryAccount = Счёт получателя
prop-asset = Объект собственности
prop-percentage = Доля (%)
prop-sharesCount = Количество акций
prop-ownershipType = Вид собственности
prop-role = Роль
prop-legalBasis = Правовое основание
prop-seizure-date = Дата изъятия
prop-seizure-country = Страна изъятия
prop-place = Место изъятия
prop-substance = Вещество
prop-substanceGroup = Группа наркотиков
prop-quantity = Количество
prop-unit = Единица измерения
prop-purity = Чистота (%)
prop-packaging = Упаковка
prop-concealment = Способ сокрытия
prop-transportMode = Вид транспорта
prop-originCountry = Страна происхождения
prop-transitCountries = Страны транзита
prop-destinationCountry = Страна назначения
prop-detectionMethod = Способ обнаружения
prop-seizingAgency = Изъявшее ведомство
prop-traffickerNationalities = Гражданство наркокурьеров
prop-caseReference = Номер дела
prop-nationalReference = Национальный номер дела
prop-case-title = Название
prop-openedDate = Дата возбуждения
prop-closedDate = Дата закрытия
prop-article = Статья УК
gender-male = мужской
gender-female = женский
gender-other = иной
substance-group-opiates = Опиаты (опий, героин, морфин)
substance-group-cannabis = Каннабис (марихуана, гашиш, масло)
substance-group-cocaine = Кокаин
substance-group-ats = Стимуляторы амфетаминового ряда
substance-group-nps = Новые психоактивные вещества
substance-group-precursors = Прекурсоры
substance-group-sedatives = Седативные вещества и транквилизаторы
substance-group-hallucinogens = Галлюциногены
substance-group-other = Прочие
unit-kg = кг
unit-g = г
unit-l = л
unit-ml = мл
unit-tablets = таблеток
unit-units = единиц (доз, марок)
transport-road = Автомобильный
transport-rail = Железнодорожный
transport-air = Воздушный
transport-sea = Морской
transport-river = Речной
transport-postal = Почтовый / курьерский
transport-pedestrian = Пешком
transport-pack_animal = Вьючные животные
transport-other = Иной
detection-intelligence = Оперативная информация
detection-risk_profiling = Профиль риска
detection-random_check = Выборочный досмотр
detection-canine = Служебная собака
detection-xray = Рентген / сканер
detection-controlled_delivery = Контролируемая поставка
detection-other = Иной
case-status-open = Открыто
case-status-suspended = Приостановлено
case-status-transferred = Передано
case-status-closed = Закрыто
schema-Person = Лицо
schema-Organization = Организация
schema-Company = Компания
schema-Vehicle = Транспортное средство
schema-Vessel = Судно
schema-Identification = Удостоверение личности
schema-Passport = Паспорт
schema-Address = Адрес
schema-BankAccount = Банковский счёт
schema-CryptoWallet = Криптокошелёк
schema-UserAccount = Учётная запись
schema-Payment = Платёж
schema-Ownership = Собственность
schema-Seizure = Изъятие
schema-Case = Дело

# Handling codes, link kinds, agency kinds, roles
handling-LE_ONLY = Только для использования правоохранительными органами
handling-NO_EVIDENCE = Не использовать в качестве доказательства без согласия владельца
handling-NO_ONWARD = Не передавать третьим сторонам без согласия владельца
handling-INTEL_ONLY = Только для аналитической работы: без согласия владельца не использовать для оперативных действий
link-seizure_involves = причастен(-но)
link-carried_by = перевозилось на
link-owns = владеет
link-uses = использует
link-member_of = член / участник
link-associate_of = связан с
link-relative_of = родственник
link-holds_document = владеет документом
link-located_at = находится по адресу
link-part_of_case = относится к делу
link-linked_to = связано с
agency-kind-police = Полиция / МВД
agency-kind-drug_control = Наркоконтроль
agency-kind-customs = Таможня
agency-kind-border = Пограничная служба
agency-kind-security = Служба безопасности
agency-kind-fiu = Подразделение финансовой разведки
agency-kind-prosecutor = Прокуратура
agency-kind-centre = Региональный центр
role-officer = Оперативный сотрудник
role-blo_officer = Сотрудник пограничного офиса связи
role-analyst = Аналитик
role-coordinator = Координатор операций
operation-kind-joint_operation = Совместная операция
operation-kind-controlled_delivery = Контролируемая поставка
operation-kind-standing_programme = Постоянная программа
seizure-form-short = Краткая форма изъятия
seizure-form-full = Полная форма изъятия УНП ООН
participant-state-invited = приглашено
participant-state-accepted = участвует
participant-state-declined = отказалось
participant-state-removed = исключено
role-national_focal_point = Национальный координатор
role-centre_admin = Администратор центра
role-auditor = Аудитор

# Countries the centre deals with, by ISO code
country-XC = ЦАРИКЦ (центр)
country-AZ = Азербайджан
country-KZ = Казахстан
country-KG = Кыргызстан
country-RU = Россия
country-TJ = Таджикистан
country-TM = Туркменистан
country-UZ = Узбекистан
country-AF = Афганистан
country-AM = Армения
country-AT = Австрия
country-BY = Беларусь
country-CA = Канада
country-CN = Китай
country-DE = Германия
country-FI = Финляндия
country-FR = Франция
country-GB = Великобритания
country-GE = Грузия
country-IN = Индия
country-IR = Иран
country-IT = Италия
country-MN = Монголия
country-NL = Нидерланды
country-PK = Пакистан
country-PL = Польша
country-RO = Румыния
country-TR = Турция
country-UA = Украина
country-AE = ОАЭ
country-US = США
country-LT = Литва
country-LV = Латвия
country-EE = Эстония
country-IQ = Ирак
country-SA = Саудовская Аравия
analysis-date-invalid = { $value } — не дата: пишите ГГГГ-ММ-ДД
analysis-period-too-long = период может охватывать не более { $years } лет
analysis-too-many-values = укажите не более { $max } значений
analysis-operation-unknown = { $value } — не операция, в которой вы участвуете
analysis-by-substance_group = Группа веществ
analysis-by-substance = Вещество
analysis-by-country = Страна
analysis-by-month = Месяц
analysis-by-transport = Вид транспорта
analysis-by-concealment = Способ сокрытия
analysis-by-detection = Способ выявления
analysis-by-route = Маршрут (откуда → куда)
nav-analysis = Аналитика
an-title = Статистика изъятий
an-intro = Число и количество изъятий, доступных вам полностью, в сравнении с предыдущим периодом и с тем же периодом годом ранее.
an-from = С
an-to = По
an-operation = Операция
an-any-operation = Любая операция
an-countries-and-groups = Страны и группы веществ
an-seizing-country = Страна изъятия
an-groups = Группы веществ
an-show = Показать
an-by = Группировка
an-not-stated = не указано
an-total = Итого
an-seizures = Изъятия
an-litres = л
an-units = шт.
an-this-period = Этот период
an-previous-period = Предыдущий период
an-year-before = Годом ранее
an-nothing = Нет доступных вам изъятий, отвечающих этим условиям.
an-top-shown = На диаграмме — первые { $shown } из { $all }; в таблице — все.
an-csv = Скачать CSV
an-api = То же в JSON (API)
an-quantities-note = Количества суммируются только в пределах своего вида: масса в килограммах (граммы пересчитаны), объём в литрах, таблетки и прочие предметы в штуках. Δ — изменение числа изъятий.
an-kg = кг
