package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Error is an API error as clients see it:
// {"error": {"code": …, "message": …, "parameter": …}}. Codes are stable
// and documented in the OpenAPI description; messages are for people.
type Error struct {
	Status    int    `json:"-"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Parameter string `json:"parameter,omitempty"`
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// badParam is a 400 naming the query parameter at fault.
func badParam(param, code, format string, a ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Parameter: param,
		Message: param + ": " + fmt.Sprintf(format, a...)}
}

func notFound(code, msg string) *Error {
	return &Error{Status: http.StatusNotFound, Code: code, Message: msg}
}

// unauthorized is a 401; the WWW-Authenticate header says how to
// authenticate (RFC 6750), and why the key sent was refused, if one was.
func unauthorized(code, msg string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: code, Message: msg}
}

func writeError(w http.ResponseWriter, e *Error) {
	if e.Status == http.StatusUnauthorized {
		v := `Bearer realm="api"`
		if e.Code != "key_required" {
			v += `, error="invalid_token", error_description="` + strings.ReplaceAll(e.Message, `"`, "'") + `"`
		}
		w.Header().Set("WWW-Authenticate", v)
	}
	if e.Status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", "GET, HEAD")
	}
	w.Header().Set("Cache-Control", "no-store")
	// Messages echo the request's input: unlike documents, they are
	// written with <, > and & escaped, so a payload sent in a parameter
	// never comes back as markup, whatever a client or proxy sniffs.
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.Status)
	json.NewEncoder(w).Encode(struct {
		Error *Error `json:"error"`
	}{e})
}
