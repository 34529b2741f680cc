-- An item's dissemination may name operations: their coordinating agency and accepted parties
-- read it (record_scope rows of kind 'o' carry the operation ids for the listing filter).
ALTER TABLE records ADD COLUMN scope_operations TEXT NOT NULL DEFAULT '';
