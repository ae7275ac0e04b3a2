package newsroom

import (
	"net/http"
	"slices"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/webhook"
)

func init() {
	routeAdders = append(routeAdders, (*Server).webhookRoutes)
	extraPages = append(extraPages, "webhooks", "webhooks_show")
}

// webhookRoutes are the webhook administration (admins only): partner
// endpoints that receive story events, and their delivery logs.
func (s *Server) webhookRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/webhooks", s.user(s.webhookList))
	mux.HandleFunc("POST /newsroom/webhooks", s.user(s.webhookAdd))
	mux.HandleFunc("GET /newsroom/webhooks/{id}", s.user(s.webhookShow))
	mux.HandleFunc("POST /newsroom/webhooks/{id}/enabled", s.user(s.webhookToggle))
	mux.HandleFunc("POST /newsroom/webhooks/{id}/delete", s.user(s.webhookDelete))
	mux.HandleFunc("POST /newsroom/webhooks/{id}/test", s.user(s.webhookSendTest))
}

// requireWebhookAdmin: webhooks send the site's content to other systems
// and hold signing secrets, so they belong with the site's settings,
// which only admins manage.
func requireWebhookAdmin(u store.User) error { return require(u, auth.ManageSettings) }

// webhookKindLabels describe the events in the register form.
var webhookKindLabels = map[string]string{
	store.EventPublished:   "Published: a story becomes public",
	store.EventUpdated:     "Updated: a public story changes",
	store.EventUnpublished: "Unpublished: an editor takes a story down",
	store.EventKilled:      "Killed: an agency kills a wire story",
	store.EventWithheld:    "Withheld: an agency withholds a wire story",
}

// eventChoice is one checkbox of the register form.
type eventChoice struct {
	Kind    string
	Label   string
	Checked bool
}

type webhooksPage struct {
	Page
	Endpoints []store.WebhookEndpoint
	FormURL   string
	Choices   []eventChoice
}

func (s *Server) webhooksPage(r *http.Request, u store.User, url string, kinds []string) (webhooksPage, error) {
	p := webhooksPage{Page: s.page(u, "Webhooks", "webhooks"), FormURL: url}
	for _, k := range webhook.Kinds {
		p.Choices = append(p.Choices, eventChoice{Kind: k, Label: webhookKindLabels[k], Checked: slices.Contains(kinds, k)})
	}
	if r.URL.Query().Get("done") == "deleted" {
		p.Flash = "Endpoint deleted."
	}
	var err error
	p.Endpoints, err = s.store.WebhookEndpoints(r.Context())
	return p, err
}

func (s *Server) webhookList(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := requireWebhookAdmin(u); err != nil {
		return err
	}
	defaults := []string{store.EventPublished, store.EventUpdated, store.EventUnpublished, store.EventKilled}
	p, err := s.webhooksPage(r, u, "", defaults)
	if err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "webhooks", p)
}
