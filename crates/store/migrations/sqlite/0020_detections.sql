-- Early warning's detections: a laboratory's report that a substance was found (a registry
-- substance, or an unidentified one described in the draft), where and when. The columns are
-- what first detections and lists are computed on; the whole report is the domain's draft JSON.
-- confirmed is 1 or 0.
CREATE TABLE detections (
    id TEXT PRIMARY KEY,
    substance_id TEXT REFERENCES substances (id),
    country TEXT NOT NULL,
    detected_on TEXT NOT NULL,
    confirmed BIGINT NOT NULL,
    reporter TEXT NOT NULL,
    classification BIGINT NOT NULL,
    observers TEXT NOT NULL,
    draft TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX detections_substance ON detections (substance_id, detected_on);
CREATE INDEX detections_date ON detections (detected_on, id);
