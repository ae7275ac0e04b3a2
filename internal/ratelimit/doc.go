// Package ratelimit keeps a token bucket per client (an IP address or an
// API key) and answers whether a request may go ahead now, or after how
// long. It holds no HTTP or store code: callers choose the key and the
// answer; buckets live in memory and are forgotten once full again, so
// its memory follows the number of recently active clients.
package ratelimit
