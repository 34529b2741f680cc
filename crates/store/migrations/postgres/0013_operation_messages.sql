-- A message may be addressed to an operation: one recipient row of kind 'operation' whose code is
-- the operation id, read and acknowledged by whoever takes part in it.
ALTER TABLE message_recipients DROP CONSTRAINT message_recipients_kind_check;
ALTER TABLE message_recipients ADD CONSTRAINT message_recipients_kind_check
    CHECK (kind IN ('agency', 'country', 'channel', 'operation'));
