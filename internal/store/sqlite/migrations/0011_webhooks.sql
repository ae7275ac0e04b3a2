-- Webhooks: partner endpoints, the queue of deliveries to them, every
-- attempt made, and how far the story event log has been fanned out.
CREATE TABLE webhook_endpoints (
	id         INTEGER PRIMARY KEY,
	url        TEXT NOT NULL,
	secret     TEXT NOT NULL, -- kept in clear: it signs every delivery
	enabled    INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE webhook_endpoint_events (
	endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL CHECK (kind IN ('published', 'updated', 'unpublished', 'killed', 'withheld')),
	PRIMARY KEY (endpoint_id, kind)
) STRICT, WITHOUT ROWID;
CREATE INDEX webhook_endpoint_events_kind ON webhook_endpoint_events(kind);

-- One row per message to send. endpoint_id NULL is a WebSub ping to the
-- configured hub. The body is made once, when the event is fanned out, so
-- every retry sends the same bytes.
CREATE TABLE webhook_deliveries (
	id               INTEGER PRIMARY KEY,
	uid              TEXT NOT NULL UNIQUE, -- the Dateline-Delivery idempotency id
	endpoint_id      INTEGER REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
	event_id         INTEGER, -- NULL for a test event
	kind             TEXT NOT NULL,
	story_id         INTEGER,
	body             TEXT NOT NULL,
	status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
	attempts         INTEGER NOT NULL DEFAULT 0,
	created_at       INTEGER NOT NULL,
	first_attempt_at INTEGER,
	next_at          INTEGER NOT NULL,
	locked_until     INTEGER,
	last_code        INTEGER NOT NULL DEFAULT 0,
	last_error       TEXT NOT NULL DEFAULT '',
	done_at          INTEGER
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);
-- An event reaches an endpoint once, whatever happens to the dispatcher.
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries(endpoint_id, event_id);

CREATE TABLE webhook_attempts (
	id          INTEGER PRIMARY KEY,
	delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
	at          INTEGER NOT NULL,
	status_code INTEGER NOT NULL DEFAULT 0, -- 0 when no answer came
	error       TEXT NOT NULL DEFAULT '',
	duration_us INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, id);

-- The id of the last story event fanned out. It starts at the newest event
-- so an upgrade does not replay the whole history.
CREATE TABLE webhook_dispatch (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	last_event_id INTEGER NOT NULL
) STRICT;
INSERT INTO webhook_dispatch (id, last_event_id) SELECT 1, coalesce(max(id), 0) FROM story_events;
