package newsroom

import (
	"net/http"

	"dateline/internal/auth"
	"dateline/internal/store"
)

func init() {
	routeAdders = append(routeAdders, (*Server).apiKeyRoutes)
	extraPages = append(extraPages, "api_keys")
}

// apiKeyRoutes are the content API's keys (admins only: a key reads
// every draft, so making one is a site setting, not an editorial act).
func (s *Server) apiKeyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/api-keys", s.user(s.apiKeyList))
	mux.HandleFunc("POST /newsroom/api-keys", s.user(s.apiKeyCreate))
	mux.HandleFunc("POST /newsroom/api-keys/{id}/revoke", s.user(s.apiKeyRevoke))
}

// apiKeysPage lists the keys; NewKey is set only on the answer to the
// request that made it, the one time the key itself is shown.
type apiKeysPage struct {
	Page
	Keys    []store.APIKey
	Form    string // the name typed, kept when it was refused
	NewKey  string
	NewName string
}

func (s *Server) apiKeysPage(r *http.Request, u store.User) (apiKeysPage, error) {
	p := apiKeysPage{Page: s.page(u, "API keys", "api-keys")}
	var err error
	p.Keys, err = s.store.APIKeys(r.Context())
	if r.URL.Query().Get("done") == "revoked" {
		p.Flash = "Key revoked. Requests with it are refused from now on."
	}
	return p, err
}

func (s *Server) apiKeyList(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSettings); err != nil {
		return err
	}
	p, err := s.apiKeysPage(r, u)
	if err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "api_keys", p)
}
