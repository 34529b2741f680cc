-- Statistics read seizure facts by day without touching records: each fact carries the id of
-- its record's protective metadata (owner, classification, dissemination) in fact_scopes, a
-- small table the reader's access filter is applied to in the application
-- (FullAccessFilter::admits, the Full rule). The facts are filled in again by the migration
-- runner (`backfill_seizure_facts`).
CREATE TABLE fact_scopes (
    id INTEGER PRIMARY KEY,
    owner_agency TEXT NOT NULL,
    classification BIGINT NOT NULL,
    all_members BIGINT NOT NULL,
    countries TEXT NOT NULL,
    agencies TEXT NOT NULL,
    operations TEXT NOT NULL,
    UNIQUE (owner_agency, classification, all_members, countries, agencies, operations)
);
DROP TABLE seizure_facts;
-- Kept in day order (WITHOUT ROWID, keyed by day and record): a period is one range of pages.
CREATE TABLE seizure_facts (
    day TEXT NOT NULL,
    rid BIGINT NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
    scope_id BIGINT NOT NULL REFERENCES fact_scopes(id),
    country TEXT NOT NULL,
    substance TEXT NOT NULL,
    substance_group TEXT NOT NULL,
    kg DOUBLE PRECISION NOT NULL,
    litres DOUBLE PRECISION NOT NULL,
    units DOUBLE PRECISION NOT NULL,
    transport TEXT NOT NULL,
    concealment TEXT NOT NULL,
    detection TEXT NOT NULL,
    origin TEXT NOT NULL,
    destination TEXT NOT NULL,
    transit TEXT NOT NULL,
    PRIMARY KEY (day, rid)
) WITHOUT ROWID;
CREATE INDEX seizure_facts_rid ON seizure_facts(rid);
