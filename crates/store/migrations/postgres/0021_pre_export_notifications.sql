-- Pre-export notifications (as PEN Online): the exporting country's authority tells the
-- importing country's of a precursor shipment; the columns are what access and lists are
-- decided on, the whole notification is the domain's draft JSON. due_on (YYYY-MM-DD) is fixed
-- when it is sent, from the importing country's reply period then. version serialises steps.
CREATE TABLE pre_export_notifications (
    id TEXT PRIMARY KEY,
    exporter_country TEXT NOT NULL,
    importer_country TEXT NOT NULL,
    substance_id TEXT NOT NULL REFERENCES substances (id),
    classification BIGINT NOT NULL,
    draft TEXT NOT NULL,
    due_on TEXT NOT NULL,
    sender_agency TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX pre_export_exporter ON pre_export_notifications (exporter_country, created_at);
CREATE INDEX pre_export_importer ON pre_export_notifications (importer_country, created_at);

-- Its steps, in order: the importer's answers, information the exporter gave, a withdrawal.
CREATE TABLE pre_export_steps (
    notification_id TEXT NOT NULL REFERENCES pre_export_notifications (id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    agency TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (notification_id, seq)
);

-- Each importing country's reply period in working days (absent: the default).
CREATE TABLE pre_export_reply_days (
    country TEXT PRIMARY KEY,
    working_days BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
