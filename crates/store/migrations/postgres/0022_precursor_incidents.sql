-- Precursor incidents (as PICS): a seizure, stopped shipment or diversion attempt of a
-- precursor. The columns are what access and lists are decided on (countries: the countries
-- concerned, separated by spaces); the whole report is the domain's draft JSON.
CREATE TABLE precursor_incidents (
    id TEXT PRIMARY KEY,
    reporter TEXT NOT NULL,
    country TEXT NOT NULL,
    substance_id TEXT NOT NULL REFERENCES substances (id),
    occurred_on TEXT NOT NULL,
    classification BIGINT NOT NULL,
    countries TEXT NOT NULL,
    notification_id TEXT REFERENCES pre_export_notifications (id),
    draft TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX precursor_incidents_date ON precursor_incidents (occurred_on, id);
CREATE INDEX precursor_incidents_notification ON precursor_incidents (notification_id);
