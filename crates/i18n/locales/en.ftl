# Pamir: every string the pages show, in English. Keys are the same in every language;
# a test fails when one is missing or unused. Values in { } are arguments: user data, never translated.

app-name = Pamir
app-tagline = Central database of the regional centre
demo-banner = Demo mode: the second factor (TOTP) is switched off and the data are synthetic. Do not enter real information.
nav-dashboard = Dashboard
nav-hits = Hits
nav-disclosures = Disclosure requests
nav-operations = Operations
op-intro = Joint operations, standing programmes and controlled deliveries your agency coordinates, takes part in or is invited to. Nobody outside an operation learns it exists.
op-none = No operations for you yet.
op-open = Open an operation
op-open-button = Open the operation
op-code-name = Code name
op-lead-country = Lead country
op-starts = Starts
op-ends = Ends
op-ceiling = Classification ceiling
op-ceiling-same = as the operation
op-seizure-form = Seizure form
op-description = Description
op-objectives = Objectives
op-coordinator = Coordinating agency
op-period = Period
op-standing = You are
op-standing-coordinator = coordinator
op-standing-member = participant
op-standing-invited = invited
op-invited-notice = { $party } is invited to take part. Accepting shows the operation to every user of it cleared for it.
op-accept = Accept
op-decline = Decline
op-participants = Participants
op-no-participants = Nobody is invited yet.
op-party = Agency or country
op-since = Since
op-remove = Remove
op-invite-party = Invite an agency (KZ-MVD) or a whole country (KZ)
op-invite = Invite
rp-title = Operation report
rp-seizures = Seizures
rp-no-seizures = No seizures reported yet.
rp-quantity = Quantity
rp-count = Seizures
rp-missing = { $count } linked record(s) were deleted by their owner since.
rp-arrests = Arrests
rp-cases = Cases opened
rp-assets = Assets seized
rp-results = Results by agency
rp-no-results = No results reported yet.
rp-report = Report your agency's results
rp-seizure-ids = Your Seizure records (ids, separated by commas)
rp-currency = Currency
rp-note = Note
rp-report-button = Report
rp-print = Print
jr-title = Journal
jr-all = Everything
jr-empty = Nothing here yet.
jr-opened = Operation opened
jr-participant = { $party }: { $state }
jr-task = Task “{ $title }” ({ $assignee }): { $status }
jr-task-overdue = Task “{ $title }” ({ $assignee }) is overdue
jr-task-reminder = Reminder sent to { $assignee }: task “{ $title }”
live-on = Live
live-off = Offline, reconnecting…
jr-delivery = Delivery: { $status }
jr-leg = Leg { $seq }: { $status }
dlv-title = Controlled delivery
dlv-none = The consignment is not described yet.
dlv-substance = Substance
dlv-quantity = Declared quantity
dlv-actual = actual
dlv-unit = Unit
dlv-concealment = Concealment
dlv-conveyance = Conveyance
dlv-vehicle = Container or vehicle
dlv-markers = Markers and tracking devices
dlv-substitution = Substitution
dlv-reason = Reason
dlv-terminate = Terminate
dlv-legs = Legs
dlv-no-legs = No legs planned yet.
dlv-route = From → to
dlv-planned = Planned (UTC)
dlv-actual-times = Actual (UTC)
dlv-add-leg = Plan the next leg
dlv-from = From (agency or country)
dlv-to = To (agency or country)
dlv-crossing = Crossing point
dlv-departure = Planned departure (UTC)
dlv-handover = Planned hand-over (UTC)
dlv-describe = Describe the consignment
dlv-save = Save
task-title-plural = Tasks
task-none = No tasks yet.
task-overdue = overdue
task-assignee = Assigned to
task-due = Due
task-remind = Reminder
task-start = Start work
task-done = Mark done
task-reopen = Reopen
task-cancel = Cancel task
task-comments = Comments
task-comment = Comment
task-comment-button = Add comment
task-add = Set a task
task-title = Task
task-add-button = Set the task
nav-screen = Screening
matches = Matches
no-matches = No matches.
hits-intro = Matches touching your agency's records. Where you may not read the other record you see only that it exists, who owns it and how strong the match is; ask its owner to disclose it.
hit-label = Hit
reference = reference
your-record = Your record
strength = Strength
matched-record = Matched record
why = Why / request
request-disclosure = Request disclosure
justification = Justification
send-request = Send request
request-pending = requested, pending
request-approved = approved
request-declined = declined
record = Record
requested-by = Requested by
add-handling-codes = Add handling codes
approve = Approve
decline = Decline
decline-reason = Reason
incoming = To your agency
outgoing = From your agency
no-requests = No requests.
schema-person = Person
schema-company = Organisation
schema-vehicle = Vehicle (plate, VIN)
screen-name = Name (or plate)
screen-birth-date = Date of birth
screen-document = Document number (or VIN)
screen-phone = Phone
screen-country = Country
screen-button = Check
screen-intro = Check a person, organisation or vehicle against all records without storing anything. The check is recorded in the audit trail.
screen-nothing = No matches.
screen-results = Results
nav-search = Search
nav-report = Report a seizure
nav-import = Import
nav-users = Users
nav-agencies = Agencies
nav-audit = Audit trail
nav-tokens = API tokens
logout = Log out
login = Log in
login-title = Log in to Pamir
username = Username
password = Password
totp-code = One-time code
totp-hint = From your authenticator app; required for clearance above RESTRICTED.
language = Language
welcome = Welcome
your-agency = Agency
your-roles = Roles
your-clearance = Clearance
records-you-may-see = Records you may read
recent-records = Latest records
no-records = No records.
search = Search
search-placeholder = Name, document, plate, phone… in any script
any-schema = Any type
any-country = Any country
any-classification = Any classification
owner-agency = Owner agency
schema = Type
caption = Record
owner = Owner
classification = Classification
updated = Updated
created = Created
version = Version
next-page = Next page
results = Results
metadata = Protection
dissemination = Dissemination
all-members = All member states
owner-only = Owner agency only
countries = Countries
agencies = Agencies
handling-codes = Handling codes
evaluation = Evaluation (4x4)
properties = Details
links = Links
no-links = No links you may see.
hit-title = A record exists
hit-text = Another agency holds a record here that you may not read. You learn only that it exists and who owns it; its owner decides on disclosure.
delete = Delete
delete-confirm = Delete this record and its links?
deleted = The record was deleted.
report-title = Report a seizure
report-intro = The seizure, its persons and vehicles are stored together, on behalf of your agency.
seizure-section = Seizure
persons-section = Persons involved
vehicles-section = Vehicles
protection-section = Protection
person = Person
vehicle = Vehicle
full-name = Full name (as written)
role = Role
transit-countries = Transit countries (codes, comma-separated)
agencies-field = Agencies (codes, comma-separated)
submit = Submit
save = Save
choose = — choose —
fix-errors = Please correct the following:
import-title = Import records
import-intro = FtM JSON lines or CSV with a header row. The file is checked whole: if any line is bad, every bad line is listed and nothing is written.
file = File
format = Format
csv-schema = Schema of CSV rows
mapping = Column mapping (COLUMN=property, …)
import-done = Import complete
import-rejected = The file was refused; nothing was written.
line = Line
field = Field
reason = Problem
lines-read = Lines read
records-created = Records created
records-updated = Records updated
users-title = Users
add-user = Add a user
display-name = Display name
agency = Agency
roles = Roles
clearance = Clearance
status = Status
active = active
disabled = disabled
locked = locked
disable = Disable
enable = Enable
reset-password = Set password
new-password = New password
enrol-totp = Enrol TOTP
totp-enrolled = TOTP
totp-secret-shown = Give this secret to the user once, for their authenticator app:
done = Done.
agencies-title = Agencies
add-agency = Add an agency
code = Code
country = Country
kind = Kind
name-in = Name ({ $language })
audit-title = Audit trail
audit-intro = Append-only and hash-chained: every entry commits to the previous one.
actor = Actor
action = Action
target = Object
outcome = Outcome
details = Details
when = When
from = From
to = To
filter = Filter
verify-chain = Verify the chain
chain-intact = The chain is intact. Entries verified:
chain-broken = The chain is broken at entry
tokens-title = API tokens
tokens-intro = Bearer tokens for national systems. The secret is shown once, when created.
label = Label
days = Valid for days
create-token = Create token
revoke = Revoke
revoked = revoked
expires = Expires
token-shown = Copy the token now; it will not be shown again:
error-title = Something is wrong
back = Back
yes = yes
no = no
not-found-page = The page does not exist.
latin-reading = Latin reading
err-unauthenticated = You are not logged in, or your session has ended.
err-bad-credentials = Wrong username or password.
err-totp-required = Enter the one-time code from your authenticator.
err-totp-wrong = Wrong one-time code.
err-locked = The account is locked after repeated failed logins. Try again later.
err-rate-limited = Too many attempts. Wait a minute and try again.
err-forbidden = You are not allowed to do this.
err-not-found = Not found, or not visible to you.
err-conflict = Someone changed it meanwhile; reload and try again.
err-exists = It already exists.
err-invalid = Some input is not valid.
err-bad-request = The request could not be understood.
err-too-large = The upload is too large.
err-internal = An internal error occurred; it has been logged.
partial-date-hint = YYYY-MM-DD, YYYY-MM or YYYY
err-disabled = The account is disabled; ask your administrator.
err-csrf = The form has expired. Reload the page and submit again.

# Messages and BLO channels
msg-awaiting-your-acknowledgement = awaiting your acknowledgement
msg-acknowledgement-overdue = acknowledgement overdue
msg-acknowledged = acknowledged
msg-no-messages = No messages.
msg-subject = Subject
msg-from = From
msg-to = To
msg-priority = Priority
msg-sent = Sent
msg-state = State
msg-messages = Messages
msg-unread-title = unread
msg-unread = unread
msg-write-a-message = Write a message
msg-blo-channels-colon = BLO channels:
msg-search-subject-and-text = Search subject and text
msg-any-priority = any priority
msg-sender-or-agency = sender or agency
msg-linked-record-operation = linked record / operation
msg-date-from = from
msg-date-to = to
msg-reply-to-the-thread-leave = Reply to the thread; leave recipients empty to answer the sender.
msg-the-original-is-quoted-below = The original is quoted below your text, with its classification and handling codes.
msg-countries-via-the-national-focal = Countries (via the national focal point)
msg-operations = Operations (everyone taking part)
op-write-to-participants = Write to the participants
dlv-authorisations = Authorisations by state
dlv-consent-missing = Not yet consented on the route: { $countries }. The delivery cannot be authorised or run until every state on it consents.
dlv-no-authorisations = No state has recorded its authorisation yet.
dlv-authority = Authorising authority
dlv-legal-basis = Legal basis
dlv-reference = Reference and date
dlv-consent = Consent
dlv-duty-contact = Contact on duty
dlv-authorised-on = Date of the authorisation
dlv-record-authorisation = Record an authorisation
jr-authorisation = { $country }: { $consent }
dlv-route-map = { $operation }: the consignment's route
op-edit = Change the operation
op-save = Save the changes
jr-edited = Operation changed
msg-blo-channel = BLO channel
msg-text = Text
msg-linked-records-cases-or-operations = Linked records, cases or operations (ids, comma-separated)
msg-send = Send
msg-new-message = New message
msg-forwarded = forwarded
msg-linked = Linked:
msg-recipient = Recipient
msg-delivered = Delivered
msg-read = Read
msg-acknowledged-column = Acknowledged
msg-escalated = escalated
msg-acknowledge = Acknowledge
msg-reply = Reply
msg-forward = Forward
msg-message-to-the-other-side = Message to the other side
msg-blo-channels = BLO channels
msg-you-are-not-a-member = You are not a member of any channel.
msg-all-messages = All messages
msg-routine = routine
msg-urgent = urgent
msg-immediate = immediate
msg-folder-inbox = Inbox
msg-folder-sent = Sent
msg-folder-all = All
dash-your-blo-channels = Your BLO channels

# This language, named in itself (for the language switch)
language-name = English

# A person's role in a seizure
role-courier = courier
role-organiser = organiser
role-driver = driver
role-recipient = recipient
role-sender = sender

# Import page: an example of a column mapping
import-map-example = Full name=name, Date of birth=birthDate

# Validation reasons: why a value was refused. $value is the value as the user gave it (quoted).
value-too-long = is { $length } characters long; at most { $limit } are allowed
value-control-characters = contains control characters
value-not-one-of = { $value } is not one of { $allowed }
date-invalid = { $value } is not a date (YYYY, YYYY-MM or YYYY-MM-DD)
date-no-such-month = { $value }: month { $month } does not exist
date-not-calendar = { $value } is not a calendar date
date-time-part = { $value }: the time part must follow a full date as THH:MM[:SS][Z]
date-before-1800 = { $value } is before 1800
date-century-ahead = { $value } is more than a century ahead
date-in-future = { $value } is in the future
date-end-before-start = is before { $start }
number-ambiguous = { $value } is ambiguous: write 1000 for a thousand, or 1.000 with a point for one
number-grouping = { $value } is not a number: group thousands with spaces (1 000 000) or not at all
number-invalid = { $value } is not a number
number-not-finite = { $value } is not a finite number
number-negative = { $value } is negative
number-below-min = { $value } is below the minimum { $min }
number-not-positive = { $value } must be above zero
number-above-max = { $value } is above the maximum { $max }
phone-invalid = { $value } is not a phone number (digits, spaces, + - ( ) .; 5–20 digits)
email-invalid = { $value } is not an e-mail address
url-invalid = { $value } is not an http(s) link
property-unknown = unknown property of { $schema }
property-too-many-values = has { $count } values; at most { $limit } are allowed
property-not-string = must be a string ({ $type } value)
property-single = takes one value, not { $count }
property-required = is required for a { $schema }
property-one-required = one of { $alternatives } is required for a { $schema }
entity-not-object = must be a JSON object
field-must-be-string = must be a string
field-required = is required
schema-unknown = unknown schema { $value }; expected one of { $allowed }
country-code-invalid = { $value } is not an ISO 3166-1 alpha-2 country code
agency-code-invalid = { $value } is not an agency code like KZ-MVD (country code, dash, 2–16 letters or digits)
username-invalid = { $value } is not a valid username (3–64 characters: a–z, 0–9, '.', '_', '-', starting with a letter)
id-invalid = { $value } is not a valid id (1–128 of letters, digits, '.', '_', ':', '-')
classification-unknown = unknown classification { $value }; expected UNCLASSIFIED, RESTRICTED, CONFIDENTIAL or SECRET
id-outside-namespace = { $value } is not an id of your agency: an id you choose begins with "{ $prefix }" (or leave it out)
denied-no-writer-role = your roles do not allow submitting or changing records
denied-not-owner = only the owner agency { $owner } may change this record
denied-above-clearance = classification { $classification } is above your clearance { $clearance }
agency-not-registered = agency { $agency } is not registered
country-not-registered = country { $country } is not registered

# Imports
import-empty = is empty: no records to import
import-more-bad-lines = and { $count } more bad line(s)
import-unreadable = cannot be read: { $error }
import-id-again = { $value } appears again (first on line { $line })
import-id-in-use = { $value } is already in use; choose another id
import-schema-change = { $value } is a { $from } and cannot become a { $to }
not-utf8 = is not valid UTF-8
json-malformed = malformed JSON: { $error }
json-line-not-object = each line must be a JSON object
field-unknown = unknown field
csv-header-unreadable = cannot read the header row: { $error }
csv-no-such-column = there is no column named { $column }
csv-row-length = has { $count } fields; the header has { $expected }
csv-row-unreadable = cannot be read: { $error }
csv-not-a-property = { $value } is not a property of { $schema }: map the column to one ({ $column }=property) or ignore it ({ $column }=-)

# Records and links
meta-required = is required (at least {"{"}"classification": …{"}"})
link-end-not-in-report = { $end } is not a record of this report
link-record-not-found = record { $id } not found
link-role-too-long = must be at most 200 printable characters
link-to-itself = a record cannot be linked to itself
record-schema-change = a { $from } cannot become a { $to }
record-id-mismatch = does not match the record being changed
search-schema-unknown = unknown schema { $value }

# Metadata and coded values
enum-value-unknown = unknown { $what ->
    [priority] priority
    [receipt-state] receipt state
    [recipient-kind] recipient kind
    [agency-kind] agency kind
    [role] role
    [handling-code] handling code
    [link-kind] link kind
   *[other] value
} { $value }; expected one of { $allowed }
evaluation-source-invalid = source { $value } must be one of A, B, C, D, X
evaluation-information-invalid = information { $value } must be 1, 2, 3 or 4
evaluation-not-object = must be an object {"{"}"source", "information"{"}"}
dissemination-not-object = must be an object {"{"}"all_members", "countries", "agencies"{"}"}
field-must-be-object = must be an object
field-must-be-code-list = must be a list of codes
field-must-be-bool = must be true or false

# Messages, administration, attachments, tokens, screening and disclosure
message-reply-or-forward = a message is either a reply or a forward
message-subject-too-long = is longer than { $limit } characters
message-subject-one-line = must be one line without control characters
message-body-required = is required (or attach a file)
message-above-clearance = { $classification } is above your clearance { $clearance }
message-own-agency = that is your own agency: address other agencies
message-no-such-channel = there is no BLO channel { $value }
message-no-recipient = name at least one agency, country or BLO channel
message-too-many-recipients = at most { $limit } recipients
message-too-many-links = at most { $limit } links
message-link-no-record = no record { $value }
message-nobody-cleared = nobody at { $agency } is cleared for { $classification }
message-no-focal-point = { $country } has no national focal point to route the message
message-focal-point-not-cleared = no focal point of { $country } is cleared for { $classification }
message-channel-restricted = BLO channel { $channel } carries at most RESTRICTED
message-attachment-not-yours = { $attachment } is not one of your unsent uploads
name-printable-200 = must be 1–200 printable characters
language-unknown = must be one of: { $languages }
agency-code-country = an agency of { $country } has a code starting { $country }-
roles-required = at least one role is required
password-too-short = must be at least 8 characters long
password-too-long = must be at most 256 characters long
attachment-not-declared-type = the file is not a { $type } as declared
attachment-empty = the attachment is empty
attachment-type-refused = { $value } is not accepted; send one of { $allowed }
token-label-length = must be 1–100 characters
token-days-range = must be between 1 and 3650
audit-action-unknown = unknown action { $value }
screening-schemata = screening reads { $allowed }
screening-nothing-to-match = nothing to match on: give a name or a number
disclosure-justification-short = say why your agency needs the record (at least 10 characters)
disclosure-justification-long = at most 4,000 characters
disclosure-decline-reason = say why the request is declined
operation-party-invalid = { $value } is neither an agency code (KZ-MVD) nor a country code (KZ)
operation-party-coordinator = the coordinating agency runs the operation; it is not invited to it
operation-observer-country = { $value } is an observer: invite its agencies one by one, not the whole country
operation-party-already = { $value } is already { $state }
operation-ceiling-below = is below the operation's own classification { $classification }
operation-not-coordinator = only a user with the coordinator role opens an operation
operation-date-full = { $value } is not a full date (YYYY-MM-DD)
task-due-past = is before today ({ $today })
task-remind-after-due = is after the due date { $due }
task-not-participant = { $value } does not take part in the operation
task-status-move = a task that is { $from } cannot become { $to }
task-comment-required = write something
task-status-open = open
task-status-in_progress = in progress
task-status-done = done
task-status-cancelled = cancelled
leg-moment-invalid = { $value } is not a date and time (YYYY-MM-DDTHH:MM, UTC)
leg-handover-before-departure = the hand-over is not after the departure
leg-same-party = a leg goes from one party to another
leg-not-chained = the leg does not start where the previous one ends ({ $previous })
leg-overlaps = departs before the previous leg is handed over ({ $handover })
leg-party-not-participant = { $value } does not take part in the operation
leg-status-move = a leg that is { $from } cannot become { $to }
delivery-status-move = a delivery that is { $from } cannot become { $to }
delivery-not-controlled = only a controlled delivery has a consignment and legs
delivery-reason-required = say why the delivery is terminated
result-count-invalid = { $value } is not a whole number from 0 to 1,000,000
result-currency-invalid = { $value } is not a currency code (three letters, e.g. USD)
result-empty = report at least one seizure, arrest, case or asset
result-not-own-seizure = { $value } is not a seizure record of your agency
operation-id-invalid = { $value } is not an operation id (op- followed by lower-case letters, digits or dashes)
operation-tag-not-party = { $value }: no operation your agency takes part in has this id
operation-tag-above-ceiling = the operation takes items up to { $ceiling }; this one is { $classification }
delivery-consent-missing = not every state on the route has given consent: { $countries }
authorisation-country-not-participant = { $value } does not take part in this operation
operation-kind-fixed = an operation's kind is fixed once opened; this one is { $kind }
operation-ceiling-below-tagged = items up to { $classification } are already in the operation's scope: the ceiling cannot go below that
consent-given = Consent given
consent-withdrawn = Consent withdrawn
delivery-kind-import = Import
delivery-kind-export = Export
delivery-kind-transit = Transit
substitution-none = No substitution
substitution-partial = Partial substitution
substitution-full = Full substitution
delivery-status-requested = requested
delivery-status-authorised = authorised
delivery-status-in_transit = in transit
delivery-status-delivered = delivered
delivery-status-terminated = terminated
leg-status-planned = planned
leg-status-in_transit = in transit
leg-status-handed_over = handed over
leg-status-intercepted = intercepted
leg-status-lost = lost
search-limit-range = must be between 1 and 500
search-query-too-long = must be at most 500 characters
properties-not-object = must be an object of property lists

# Match explanations: why two records match. Names, dates and numbers are arguments, as written.
match-word-same = { $role ->
    [given] given name
    [surname] surname
    [patronymic] patronymic
   *[name] name
}: same { $word }
match-word-like = { $role ->
    [given] given name
    [surname] surname
    [patronymic] patronymic
   *[name] name
}: { $likeness ->
    [transliteration] transliteration match
    [equivalent] equivalent name
    [initial] initial
    [spelling] spelling variant
   *[different] different
} { $word } ~ { $other }
match-word-one-side = { $role ->
    [given] given name
    [surname] surname
    [patronymic] patronymic
   *[name] name
} only on one side: { $word }
match-word-order = word order differs
match-date = birth date: { $what ->
    [same] same ({ $a })
    [year-month] year and month match ({ $a } ~ { $b })
    [year] year matches ({ $a } ~ { $b })
    [swapped] year matches, day and month swapped ({ $a } ~ { $b })
    [one-digit] one digit differs ({ $a } ~ { $b })
    [transposed] two digits transposed ({ $a } ~ { $b })
   *[differs] differs ({ $a } ~ { $b })
}
match-gender = gender: { $a ->
    [female] female
   *[male] male
} ~ { $b ->
    [female] female
   *[male] male
}
match-phone-same = phone: same ({ $phone })
match-id-same = { $kind ->
    [passport] passport number
    [id] identity number
    [tax] tax number
   *[registration] registration number
}: same ({ $code })
match-id-differs = { $kind ->
    [passport] passport number
    [id] identity number
    [tax] tax number
   *[registration] registration number
}: differs ({ $a } ~ { $b })
match-org-same-words = name: same words ({ $a } ~ { $b })
match-org-alike = name: { $percent }% alike ({ $a } ~ { $b })
match-vehicle = { $kind ->
    [vin] VIN
   *[plate] plate
}: { $what ->
    [same] same ({ $a })
    [read-alike] characters read alike ({ $a } ~ { $b })
    [one-char] one character differs ({ $a } ~ { $b })
   *[differs] differs ({ $a } ~ { $b })
}
match-model-alike = model: alike

# Record schemata, their properties and vocabularies (schema-…, prop-…, {vocabulary}-{value})
prop-name = Name
prop-alias = Other name
prop-previousName = Previous name
prop-weakAlias = Weak alias
prop-summary = Summary
prop-description = Description
prop-country = Country
prop-address = Address
prop-addressEntity = Address (record)
prop-sourceUrl = Source link
prop-keywords = Keywords
prop-notes = Notes
prop-email = E-mail
prop-phone = Phone
prop-website = Website
prop-legalForm = Legal form
prop-incorporationDate = Incorporation date
prop-dissolutionDate = Dissolution date
prop-taxNumber = Tax number
prop-registrationNumber = Registration number
prop-idNumber = ID number
prop-status = Status
prop-sector = Sector
prop-jurisdiction = Jurisdiction
prop-mainCountry = Country of origin
prop-innCode = INN
prop-ogrnCode = OGRN
prop-title = Title
prop-firstName = First name
prop-secondName = Second name
prop-middleName = Middle name
prop-fatherName = Patronymic
prop-motherName = Matronymic
prop-lastName = Last name
prop-nameSuffix = Name suffix
prop-birthDate = Birth date
prop-birthPlace = Place of birth
prop-birthCountry = Country of birth
prop-deathDate = Death date
prop-position = Position
prop-nationality = Nationality
prop-citizenship = Citizenship
prop-passportNumber = Passport number
prop-gender = Gender
prop-ethnicity = Ethnicity
prop-height = Height (cm)
prop-weight = Weight (kg)
prop-eyeColor = Eye colour
prop-hairColor = Hair colour
prop-appearance = Physical appearance
prop-capital = Capital
prop-currency = Currency
prop-amount = Amount
prop-type = Type
prop-model = Model
prop-owner = Owner
prop-operator = Operator
prop-buildDate = Build date
prop-registrationDate = Registration date
prop-vin = VIN
prop-imoNumber = IMO number
prop-mmsi = MMSI
prop-flag = Flag
prop-pastFlags = Past flags
prop-callSign = Call sign
prop-tonnage = Tonnage
prop-navigationArea = Navigation area
prop-startDate = Start date
prop-endDate = End date
prop-date = Date
prop-holder = Holder
prop-number = Document number
prop-authority = Authority
prop-surname = Surname
prop-givenName = Given name
prop-personalNumber = Personal number
prop-full = Full address
prop-remarks = Remarks
prop-postOfficeBox = PO box
prop-street = Street
prop-street2 = Street (2)
prop-city = City
prop-postalCode = Postal code
prop-region = Region
prop-state = State
prop-latitude = Latitude
prop-longitude = Longitude
prop-bankName = Bank name
prop-bank = Bank (record)
prop-accountNumber = Account number
prop-iban = IBAN
prop-bic = BIC
prop-accountType = Account type
prop-balance = Balance
prop-openingDate = Opening date
prop-closingDate = Closing date
prop-publicKey = Address
prop-currencySymbol = Currency code
prop-managingExchange = Managing exchange
prop-wallet-holder = Wallet holder
prop-creationDate = Creation date
prop-service = Service
prop-account-number = Phone number
prop-username = Username
prop-amountUsd = Amount (USD)
prop-sequenceNumber = Sequence number
prop-transactionNumber = Transaction number
prop-purpose = Purpose
prop-payer = Payer
prop-payerAccount = Payer account
prop-beneficiary = Beneficiary
prop-beneficiaryAccount = Beneficiary account
prop-asset = Asset
prop-percentage = Share (%)
prop-sharesCount = Number of shares
prop-ownershipType = Type of ownership
prop-role = Role
prop-legalBasis = Legal basis
prop-seizure-date = Date of seizure
prop-seizure-country = Country of seizure
prop-place = Place
prop-substance = Substance
prop-substanceGroup = Drug group
prop-quantity = Quantity
prop-unit = Unit
prop-purity = Purity (%)
prop-packaging = Packaging
prop-concealment = Concealment
prop-transportMode = Mode of transport
prop-originCountry = Country of origin
prop-transitCountries = Transit countries
prop-destinationCountry = Country of destination
prop-detectionMethod = Detection method
prop-seizingAgency = Seizing agency
prop-traffickerNationalities = Traffickers' nationalities
prop-caseReference = Case reference
prop-nationalReference = National reference
prop-case-title = Title
prop-openedDate = Opened
prop-closedDate = Closed
prop-article = Article of the criminal code
gender-male = male
gender-female = female
gender-other = other
substance-group-opiates = Opiates (opium, heroin, morphine)
substance-group-cannabis = Cannabis (herb, resin, oil)
substance-group-cocaine = Cocaine
substance-group-ats = Amphetamine-type stimulants
substance-group-nps = New psychoactive substances
substance-group-precursors = Precursors
substance-group-sedatives = Sedatives and tranquillisers
substance-group-hallucinogens = Hallucinogens
substance-group-other = Other
unit-kg = kg
unit-g = g
unit-l = l
unit-ml = ml
unit-tablets = tablets
unit-units = units (doses, blotters)
transport-road = Road
transport-rail = Rail
transport-air = Air
transport-sea = Sea
transport-river = River
transport-postal = Postal / courier
transport-pedestrian = On foot
transport-pack_animal = Pack animal
transport-other = Other
detection-intelligence = Intelligence-led
detection-risk_profiling = Risk profiling
detection-random_check = Random check
detection-canine = Detector dog
detection-xray = X-ray / scanner
detection-controlled_delivery = Controlled delivery
detection-other = Other
case-status-open = Open
case-status-suspended = Suspended
case-status-transferred = Transferred
case-status-closed = Closed
schema-Person = Person
schema-Organization = Organization
schema-Company = Company
schema-Vehicle = Vehicle
schema-Vessel = Vessel
schema-Identification = Identification
schema-Passport = Passport
schema-Address = Address
schema-BankAccount = Bank account
schema-CryptoWallet = Cryptocurrency wallet
schema-UserAccount = User account
schema-Payment = Payment
schema-Ownership = Ownership
schema-Seizure = Seizure
schema-Case = Case

# Handling codes, link kinds, agency kinds, roles
handling-LE_ONLY = For law-enforcement use only
handling-NO_EVIDENCE = Not for use as evidence without the owner's consent
handling-NO_ONWARD = No onward dissemination without the owner's consent
handling-INTEL_ONLY = Intelligence only: no operational action without the owner's consent
link-seizure_involves = involves
link-carried_by = carried by
link-owns = owns
link-uses = uses
link-member_of = member of
link-associate_of = associate of
link-relative_of = relative of
link-holds_document = holds document
link-located_at = located at
link-part_of_case = part of case
link-linked_to = linked to
agency-kind-police = Police
agency-kind-drug_control = Drug control
agency-kind-customs = Customs
agency-kind-border = Border guard
agency-kind-security = Security service
agency-kind-fiu = Financial intelligence unit
agency-kind-prosecutor = Prosecutor's office
agency-kind-centre = Regional centre
role-officer = Officer
role-blo_officer = Border liaison officer
role-analyst = Analyst
role-coordinator = Operations coordinator
operation-kind-joint_operation = Joint operation
operation-kind-controlled_delivery = Controlled delivery
operation-kind-standing_programme = Standing programme
seizure-form-short = Short seizure form
seizure-form-full = Full UNODC seizure form
participant-state-invited = invited
participant-state-accepted = taking part
participant-state-declined = declined
participant-state-removed = removed
role-national_focal_point = National focal point
role-centre_admin = Centre administrator
role-auditor = Auditor

# Countries the centre deals with, by ISO code
country-XC = CARICC (the centre)
country-AZ = Azerbaijan
country-KZ = Kazakhstan
country-KG = Kyrgyzstan
country-RU = Russia
country-TJ = Tajikistan
country-TM = Turkmenistan
country-UZ = Uzbekistan
country-AF = Afghanistan
country-AM = Armenia
country-AT = Austria
country-BY = Belarus
country-CA = Canada
country-CN = China
country-DE = Germany
country-FI = Finland
country-FR = France
country-GB = United Kingdom
country-GE = Georgia
country-IN = India
country-IR = Iran
country-IT = Italy
country-MN = Mongolia
country-NL = Netherlands
country-PK = Pakistan
country-PL = Poland
country-RO = Romania
country-TR = Türkiye
country-UA = Ukraine
country-AE = United Arab Emirates
country-US = United States
country-LT = Lithuania
country-LV = Latvia
country-EE = Estonia
country-IQ = Iraq
country-SA = Saudi Arabia
analysis-date-invalid = { $value } is not a date: write YYYY-MM-DD
analysis-period-too-long = the period may cover at most { $years } years
analysis-too-many-values = name at most { $max } values
analysis-operation-unknown = { $value } is not an operation you take part in
analysis-by-substance_group = Substance group
analysis-by-substance = Substance
analysis-by-country = Country
analysis-by-month = Month
analysis-by-transport = Transport mode
analysis-by-concealment = Concealment
analysis-by-detection = Detection method
analysis-by-route = Route (origin → destination)
nav-analysis = Analysis
an-title = Seizure statistics
an-intro = Counts and quantities of the seizures you may read in full, compared with the period before and with the same period a year earlier.
an-from = From
an-to = To
an-operation = Operation
an-any-operation = Any operation
an-countries-and-groups = Countries and substance groups
an-seizing-country = Country of seizure
an-groups = Substance groups
an-show = Show
an-by = Group by
an-not-stated = not stated
an-total = Total
an-seizures = Seizures
an-litres = litres
an-units = units
an-this-period = This period
an-previous-period = Period before
an-year-before = A year before
an-nothing = No seizures you may see match these filters.
an-top-shown = The chart shows the first { $shown } of { $all }; the table lists them all.
an-csv = Download CSV
an-api = The same as JSON (API)
an-quantities-note = Quantities add up within their kind only: mass in kilograms (grams converted), volume in litres, tablets and other items as units. Δ is the change in the number of seizures.
an-kg = kg
