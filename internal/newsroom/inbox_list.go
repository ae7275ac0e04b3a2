package newsroom

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
)

func init() {
	routeAdders = append(routeAdders, (*Server).inboxRoutes)
	extraPages = append(extraPages, "inbox")
}

// inboxRoutes are the readers' inbox (editors and admins: auth.ReadInbox).
func (s *Server) inboxRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/inbox", s.user(s.inboxList))
	mux.HandleFunc("POST /newsroom/inbox/{id}/handled", s.user(s.inboxMark))
}

const inboxPageSize = 50

// inboxFilter is the inbox's view: unhandled or all, of one kind or both.
type inboxFilter struct {
	All  bool
	Kind string // "contact", "feedback" or ""
}

func readInboxFilter(q url.Values) inboxFilter {
	f := inboxFilter{All: q.Get("show") == "all"}
	if k := q.Get("kind"); k == "contact" || k == "feedback" {
		f.Kind = k
	}
	return f
}

// Query is the filter as URL parameters.
func (f inboxFilter) Query() string {
	v := url.Values{}
	if f.All {
		v.Set("show", "all")
	}
	if f.Kind != "" {
		v.Set("kind", f.Kind)
	}
	return v.Encode()
}

// inboxMessage is a message with the link to the page it came from, when
// that is a page of this site.
type inboxMessage struct {
	store.Message
	PageURL string
}

// inboxTab is one filter link.
type inboxTab struct {
	Name    string
	URL     string
	Current bool
}

type inboxPage struct {
	Page
	Filter   inboxFilter
	Tabs     []inboxTab
	Kinds    []inboxTab
	Messages []inboxMessage
	Older    string
	Return   string // the filter to come back to after marking
}

// inboxList shows reader messages newest first, unhandled ones by default.
func (s *Server) inboxList(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ReadInbox); err != nil {
		return err
	}
	q := r.URL.Query()
	f := readInboxFilter(q)
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	list, err := s.store.InboxMessages(r.Context(), store.MessageQuery{Unhandled: !f.All, Kind: f.Kind,
		BeforeID: max(before, 0), Limit: inboxPageSize + 1})
	if err != nil {
		return err
	}
	p := inboxPage{Page: s.page(u, "Readers' inbox", "inbox"), Filter: f, Return: f.Query()}
	if len(list) > inboxPageSize {
		list = list[:inboxPageSize]
		p.Older = fmt.Sprintf("/newsroom/inbox?%s&before=%d", f.Query(), list[inboxPageSize-1].ID)
	}
	for _, m := range list {
		p.Messages = append(p.Messages, inboxMessage{Message: m, PageURL: localPath(m.Page, "")})
	}
	tab := func(name string, g inboxFilter, cur bool) inboxTab {
		return inboxTab{Name: name, URL: "/newsroom/inbox?" + g.Query(), Current: cur}
	}
	p.Tabs = []inboxTab{
		tab("Not handled", inboxFilter{Kind: f.Kind}, !f.All),
		tab("All", inboxFilter{All: true, Kind: f.Kind}, f.All),
	}
	p.Kinds = []inboxTab{
		tab("Both kinds", inboxFilter{All: f.All}, f.Kind == ""),
		tab("Contact", inboxFilter{All: f.All, Kind: "contact"}, f.Kind == "contact"),
		tab("Feedback", inboxFilter{All: f.All, Kind: "feedback"}, f.Kind == "feedback"),
	}
	if q.Get("done") == "marked" {
		p.Flash = "Marked."
	}
	return s.render.Render(w, r, http.StatusOK, "inbox", p)
}

// inboxMark marks a message handled (handled=1) or not handled again.
func (s *Server) inboxMark(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ReadInbox, 4<<10)
	if err != nil {
		return err
	}
	var at time.Time
	action := "message_reopened"
	if r.PostForm.Get("handled") == "1" {
		at, action = s.now(), "message_handled"
	}
	if err := s.store.SetMessageHandled(r.Context(), id, at); err != nil {
		return err
	}
	s.audit(r, u, action, fmt.Sprintf("message:%d", id), "")
	back := readInboxFilter(mustParseQuery(r.PostForm.Get("return")))
	return seeOther(w, r, "/newsroom/inbox?"+back.Query()+"&done=marked")
}

// mustParseQuery parses a query string, taking a malformed one as empty.
func mustParseQuery(q string) url.Values {
	v, err := url.ParseQuery(q)
	if err != nil {
		return url.Values{}
	}
	return v
}
