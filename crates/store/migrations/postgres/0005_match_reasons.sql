-- A match's reasons as catalogue messages with their arguments (JSON), so that every language
-- renders them; NULL for matches stored before, which keep their English explanation.
ALTER TABLE matches ADD COLUMN reasons TEXT;
