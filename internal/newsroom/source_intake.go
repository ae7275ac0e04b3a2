package newsroom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
)

func init() {
	routeAdders = append(routeAdders, (*Server).sourceIntakeRoutes)
}

// sourceIntakeRoutes set how copy arrives for a source (admins only).
func (s *Server) sourceIntakeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /newsroom/sources/{id}/intake", s.user(s.sourceIntake))
	mux.HandleFunc("POST /newsroom/sources/{id}/push-token", s.user(s.sourcePushToken))
}

// sourceIntake is one source's intake as the sources page shows it.
type sourceIntake struct {
	store.WireIntake
	PushToken bool // a push token is set
	Minutes   int  // the polling interval in minutes
}

// intakes returns every source's intake settings by source id, with
// whether a push token is set. A source without settings queues.
func (s *Server) intakes(ctx context.Context, ids []int64) (map[int64]sourceIntake, error) {
	all, err := s.store.WireIntakes(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64]sourceIntake{}
	for _, in := range all {
		out[in.SourceID] = sourceIntake{WireIntake: in, Minutes: int(in.PollInterval / time.Minute)}
	}
	for _, id := range ids {
		in := out[id]
		in.SourceID = id
		_, _, err := s.store.WirePushToken(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		in.PushToken = err == nil
		out[id] = in
	}
	return out, nil
}

// intakeForm reads and checks the intake fields; the message says what
// is wrong, or is "".
func intakeForm(r *http.Request, id int64) (store.WireIntake, string) {
	in := store.WireIntake{SourceID: id, Folder: strings.TrimSpace(r.PostForm.Get("folder")),
		FeedURL: strings.TrimSpace(r.PostForm.Get("feed_url")), Publish: r.PostForm.Get("arrival") == "publish"}
	if in.Folder != "" {
		if !filepath.IsAbs(in.Folder) {
			return in, "The watched folder must be an absolute path on the server, such as /srv/wire/aa."
		}
		in.Folder = filepath.Clean(in.Folder)
		if fi, err := os.Stat(in.Folder); err != nil || !fi.IsDir() {
			return in, fmt.Sprintf("There is no folder %s on the server.", in.Folder)
		}
	}
	if in.FeedURL != "" {
		u, err := url.Parse(in.FeedURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return in, "The feed must be an http or https address without a user name, such as https://agency.example/feed.xml."
		}
		min, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("poll_minutes")))
		if err != nil || min < 1 || min > 1440 {
			return in, "Poll the feed every 1 to 1440 minutes."
		}
		in.PollInterval = time.Duration(min) * time.Minute
	}
	return in, ""
}

// sourceIntake saves a source's intake: POST /newsroom/sources/{id}/intake.
// The push token's publish flag follows the source's "on arrival" choice.
func (s *Server) sourceIntake(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageSources, 8<<10)
	if err != nil {
		return err
	}
	in, msg := intakeForm(r, id)
	if msg != "" {
		p, err := s.sourcesPage(r, u)
		if err != nil {
			return err
		}
		p.Error = msg
		return s.render.Render(w, r, http.StatusBadRequest, "sources", p)
	}
	if err := s.store.SetWireIntake(r.Context(), in); errors.Is(err, store.ErrInvalid) {
		return notFound(errors.New("There is no such source."))
	} else if err != nil {
		return err
	}
	if hash, _, err := s.store.WirePushToken(r.Context(), id); err == nil {
		if err := s.store.SetWirePushToken(r.Context(), id, hash, in.Publish); err != nil {
			return err
		}
	}
	detail := fmt.Sprintf("folder=%q feed=%q every=%s publish=%v", in.Folder, in.FeedURL, in.PollInterval, in.Publish)
	s.audit(r, u, "source_intake", fmt.Sprintf("source:%d", id), detail)
	return seeOther(w, r, "/newsroom/sources?done=saved")
}

// sourcePushToken makes a new push token, replacing the old one, and
// shows it once: POST /newsroom/sources/{id}/push-token.
func (s *Server) sourcePushToken(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageSources, 4<<10)
	if err != nil {
		return err
	}
	p, err := s.sourcesPage(r, u)
	if err != nil {
		return err
	}
	in, ok := p.Intake[id]
	if !ok {
		return notFound(errors.New("There is no such source."))
	}
	token, hash := auth.NewToken()
	if err := s.store.SetWirePushToken(r.Context(), id, hash, in.Publish); err != nil {
		return err
	}
	s.audit(r, u, "source_push_token", fmt.Sprintf("source:%d", id), "new token")
	in.PushToken = true
	p.Intake[id] = in
	p.Token, p.TokenFor = token, id
	p.Flash = "A new push token is below. Copy it now: it is shown only once, and the old one no longer works."
	return s.render.Render(w, r, http.StatusOK, "sources", p)
}
