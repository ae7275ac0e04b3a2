// Package webhook tells partners' systems about public story changes: it
// keeps webhook endpoints, follows the store's story event log and fans
// each event out into queued deliveries (a dispatcher), and sends those
// deliveries, signed, with retries (a sender). WebSub pings to the
// configured hub travel the same queue.
//
// Publishing never waits for any of this: the store writes the event in
// the publishing transaction, and everything here happens afterwards, in
// the background, from rows that survive a restart.
//
// It holds no newsroom handlers and no SQL; outgoing requests go only to
// public addresses unless the configuration allows private targets.
package webhook
