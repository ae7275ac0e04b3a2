-- The admin pages: the audit log filtered by action (newest first) and
-- the list of actions for its filter; the inbox filtered by kind.

CREATE INDEX audit_log_action ON audit_log(action, id DESC);
CREATE INDEX messages_kind ON messages(kind, id DESC);
