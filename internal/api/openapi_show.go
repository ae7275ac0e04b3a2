package api

import (
	_ "embed"
	"net/http"
)

// openAPI is the hand-written OpenAPI 3.1 description of every route in
// routes(); a test keeps the two in step.
//
//go:embed openapi.json
var openAPI []byte

// openAPIShow serves GET /api/openapi.json.
func (s *Server) openAPIShow(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPI)
	return err
}
