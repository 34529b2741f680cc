-- What each Seizure contributes to statistics, kept beside its record (written with it, deleted
-- with it): day, places, substance and quantities by kind. Access is still decided on the
-- record's row, so a statistic counts exactly the seizures its reader may see. Existing
-- seizures are filled in by the migration runner (`backfill_seizure_facts`).
CREATE TABLE seizure_facts (
    rid BIGINT PRIMARY KEY REFERENCES records(rid) ON DELETE CASCADE,
    day TEXT NOT NULL,
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
    transit TEXT NOT NULL
);
CREATE INDEX seizure_facts_day ON seizure_facts(day);
