package store

import (
	"context"
	"time"
)

// Statuses of a WebhookDelivery.
const (
	DeliveryPending   = "pending"   // waiting for its first or next attempt
	DeliveryDelivered = "delivered" // the receiver answered 2xx
	DeliveryFailed    = "failed"    // given up after the retry window
)

// WebhookEndpoint is a partner's URL that receives story events.
type WebhookEndpoint struct {
	ID        int64
	URL       string
	Events    []string // the event kinds it wants (EventPublished…)
	Secret    string   // signs each delivery; stored in clear because signing needs it
	Enabled   bool
	CreatedAt time.Time
}

// WebhookDelivery is one message queued for an endpoint (or, with
// EndpointID 0, a WebSub ping to the configured hub).
type WebhookDelivery struct {
	ID             int64
	UID            string // stable across retries: the receiver's idempotency key
	EndpointID     int64  // 0 for the WebSub hub
	EventID        int64  // 0 for a test event
	Kind           string // the event kind, or "test"
	StoryID        int64
	Body           []byte
	Status         string
	Attempts       int
	CreatedAt      time.Time
	FirstAttemptAt time.Time // zero before the first attempt
	NextAt         time.Time
	LastCode       int
	LastError      string
	DoneAt         time.Time

	// Filled by ClaimWebhookDeliveries from the endpoint.
	URL    string
	Secret string
}

// WebhookAttempt is one try at sending a delivery.
type WebhookAttempt struct {
	ID         int64
	DeliveryID int64
	At         time.Time
	StatusCode int    // 0 when no HTTP answer came
	Error      string // why it failed, "" on success
	Duration   time.Duration
}

// WebhookOutcome is what an attempt decided about its delivery.
type WebhookOutcome struct {
	Status string    // DeliveryPending (retry at NextAt), DeliveryDelivered or DeliveryFailed
	NextAt time.Time // for DeliveryPending
}

// WebhookEvent is a story event ready to fan out: its bodies are made
// once, by the caller, and copied into each delivery.
type WebhookEvent struct {
	EventID int64
	Kind    string
	StoryID int64
	Body    []byte // JSON for the endpoints subscribed to Kind
	HubBody []byte // form for the WebSub hub, or nil for no ping
}

// Webhooks stores webhook endpoints and their delivery queue (webhooks.go).
type Webhooks interface {
	// CreateWebhookEndpoint stores e and returns its id; ErrInvalid when
	// an event kind is unknown or there are none.
	CreateWebhookEndpoint(ctx context.Context, e WebhookEndpoint) (int64, error)
	// WebhookEndpoints returns every endpoint, oldest first.
	WebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error)
	// WebhookEndpoint returns one endpoint, or ErrNotFound.
	WebhookEndpoint(ctx context.Context, id int64) (WebhookEndpoint, error)
	// SetWebhookEndpointEnabled turns an endpoint on or off; a disabled
	// endpoint gets no new deliveries and its queued ones wait.
	// ErrNotFound when there is no such endpoint.
	SetWebhookEndpointEnabled(ctx context.Context, id int64, enabled bool) error
	// DeleteWebhookEndpoint removes an endpoint with its deliveries and
	// attempts; ErrNotFound when there is no such endpoint.
	DeleteWebhookEndpoint(ctx context.Context, id int64) error

	// WebhookPosition returns the id of the last story event fanned out.
	WebhookPosition(ctx context.Context) (int64, error)
	// QueueWebhookEvents moves the position from from to to and, in the
	// same transaction, queues a delivery of each event to every enabled
	// endpoint subscribed to its kind (and to the hub when HubBody is
	// set), due at now. Events with a nil Body are only stepped over. ErrConflict when the position is no longer from
	// (another dispatcher got there first); nothing is queued then.
	QueueWebhookEvents(ctx context.Context, from, to int64, events []WebhookEvent, now time.Time) error
	// QueueWebhookTest queues a delivery of kind "test" with body to one
	// endpoint, due at now, and returns it. ErrNotFound without the endpoint.
	QueueWebhookTest(ctx context.Context, endpointID int64, body []byte, now time.Time) (WebhookDelivery, error)

	// ClaimWebhookDeliveries leases up to limit pending deliveries due at
	// now (whose endpoint is enabled, and whose lease has run out) until
	// now+lease, so no other sender takes them meanwhile, and returns them
	// with their endpoint's URL and secret. It takes at most one delivery
	// per endpoint, its oldest due one, and none for an endpoint that has
	// one leased: each endpoint gets one request at a time, in order.
	ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]WebhookDelivery, error)
	// RecordWebhookAttempt logs an attempt, counts it, sets the delivery's
	// outcome and releases its lease, in one transaction.
	RecordWebhookAttempt(ctx context.Context, a WebhookAttempt, o WebhookOutcome) error

	// WebhookDeliveries returns an endpoint's deliveries, newest first,
	// with ids below beforeID (0 for the newest).
	WebhookDeliveries(ctx context.Context, endpointID, beforeID int64, limit int) ([]WebhookDelivery, error)
	// PruneWebhookDeliveries deletes delivered and failed deliveries, with
	// their attempts, settled before the time, and returns how many.
	PruneWebhookDeliveries(ctx context.Context, before time.Time) (int, error)
	// WebhookAttempts returns the attempts of the given deliveries, oldest
	// first.
	WebhookAttempts(ctx context.Context, deliveryIDs []int64) ([]WebhookAttempt, error)
}
