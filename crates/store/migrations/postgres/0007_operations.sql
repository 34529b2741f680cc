-- Joint operations, standing programmes and controlled deliveries, and the parties taking part.
CREATE TABLE operations (
    id TEXT PRIMARY KEY,
    code_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    lead_country TEXT NOT NULL,
    coordinator_agency TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT,
    classification BIGINT NOT NULL,
    ceiling BIGINT NOT NULL,
    description TEXT NOT NULL,
    objectives TEXT NOT NULL,
    seizure_form TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX operations_coordinator ON operations (coordinator_agency);

-- A party is an agency code (KZ-MVD) or a country code (KZ); its state changes only from the
-- state the writer read (compare and set), so an answer and a removal cannot both win.
CREATE TABLE operation_participants (
    operation_id TEXT NOT NULL REFERENCES operations (id),
    party TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('invited', 'accepted', 'declined', 'removed')),
    invited_by TEXT NOT NULL,
    invited_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (operation_id, party)
);
CREATE INDEX operation_participants_party ON operation_participants (party, state);
