-- Seizure facts added up by month, per scope and per value of every dimension: a statistic reads
-- the whole months of a period here and only the days at its edges from seizure_facts. Kept
-- current by every write of a seizure (added on insert, taken off on change and delete); filled in
-- from the facts here.
CREATE TABLE seizure_months (
    month TEXT NOT NULL,
    scope_id BIGINT NOT NULL REFERENCES fact_scopes(id),
    country TEXT NOT NULL,
    substance TEXT NOT NULL,
    substance_group TEXT NOT NULL,
    transport TEXT NOT NULL,
    concealment TEXT NOT NULL,
    detection TEXT NOT NULL,
    origin TEXT NOT NULL,
    destination TEXT NOT NULL,
    transit TEXT NOT NULL,
    n BIGINT NOT NULL,
    kg DOUBLE PRECISION NOT NULL,
    litres DOUBLE PRECISION NOT NULL,
    units DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (month, scope_id, country, substance, substance_group, transport, concealment, detection, origin, destination, transit)
);
INSERT INTO seizure_months (month, scope_id, country, substance, substance_group, transport, concealment, detection, origin, destination, transit, n, kg, litres, units)
SELECT substr(day, 1, 7), scope_id, country, substance, substance_group, transport, concealment, detection, origin, destination, transit,
       COUNT(*), SUM(kg), SUM(litres), SUM(units)
FROM seizure_facts
GROUP BY substr(day, 1, 7), scope_id, country, substance, substance_group, transport, concealment, detection, origin, destination, transit;
