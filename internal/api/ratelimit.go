package api

import (
	"net/http"
	"strconv"
	"time"
)

// RateLimited answers 429 with the API's JSON error (code rate_limited)
// and a Retry-After in whole seconds. The limit is kept in front of the
// page cache (internal/app), which calls this.
func RateLimited(w http.ResponseWriter, retryAfter time.Duration) {
	secs := max(1, int(retryAfter.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, &Error{Status: http.StatusTooManyRequests, Code: "rate_limited",
		Message: "too many requests from this client; retry after " + strconv.Itoa(secs) + " s"})
}

// TooLarge answers 413 with the API's JSON error (code body_too_large).
func TooLarge(w http.ResponseWriter, msg string) {
	writeError(w, &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large", Message: msg})
}
