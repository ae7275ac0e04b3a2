package newsroom

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"dateline/internal/auth"
	"dateline/internal/store"
)

func init() {
	routeAdders = append(routeAdders, (*Server).auditRoutes)
	extraPages = append(extraPages, "audit")
}

// auditRoutes is the audit log (admins only: auth.ReadAuditLog).
func (s *Server) auditRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/audit", s.user(s.auditList))
}

const auditPageSize = 100

type auditPage struct {
	Page
	Action  string
	Actions []string
	Entries []store.AuditEntry
	Older   string
	Newest  string
}

// auditList shows who did what, newest first, a page at a time (keyset
// by id, stable while entries are added), filtered by action.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ReadAuditLog); err != nil {
		return err
	}
	ctx := r.Context()
	q := r.URL.Query()
	p := auditPage{Page: s.page(u, "Audit log", "audit")}
	var err error
	if p.Actions, err = s.store.AuditActions(ctx); err != nil {
		return err
	}
	if a := q.Get("action"); slices.Contains(p.Actions, a) {
		p.Action = a
	}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	p.Entries, err = s.store.AuditEntries(ctx, store.AuditQuery{Action: p.Action, BeforeID: max(before, 0), Limit: auditPageSize + 1})
	if err != nil {
		return err
	}
	base := url.Values{}
	if p.Action != "" {
		base.Set("action", p.Action)
	}
	if len(p.Entries) > auditPageSize {
		p.Entries = p.Entries[:auditPageSize]
		next := url.Values{"before": {strconv.FormatInt(p.Entries[auditPageSize-1].ID, 10)}}
		if p.Action != "" {
			next.Set("action", p.Action)
		}
		p.Older = "/newsroom/audit?" + next.Encode()
	}
	if before > 0 {
		p.Newest = "/newsroom/audit"
		if len(base) > 0 {
			p.Newest += "?" + base.Encode()
		}
	}
	return s.render.Render(w, r, http.StatusOK, "audit", p)
}
