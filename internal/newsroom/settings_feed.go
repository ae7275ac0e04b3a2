package newsroom

import (
	"errors"
	"net/http"
	"strconv"

	"dateline/internal/site"
	"dateline/internal/store"
)

// feedChoice is the feed setting as the settings page shows it.
type feedChoice struct {
	FullText bool
}

// feedSetting reads whether feeds carry full text: yes unless an admin
// chose summaries (the site reads it the same way).
func (s *Server) feedSetting(r *http.Request) (feedChoice, error) {
	v, err := s.store.Setting(r.Context(), site.SettingFeedFullText)
	if errors.Is(err, store.ErrNotFound) {
		return feedChoice{FullText: true}, nil
	}
	if err != nil {
		return feedChoice{}, err
	}
	full, perr := strconv.ParseBool(v)
	return feedChoice{FullText: perr != nil || full}, nil
}

// saveFeedSetting stores the posted feed choice when it changed, audited
// as settings_change. It returns a message for the admin when the posted
// value is neither "true" nor "false"; a form without the field changes
// nothing.
func (s *Server) saveFeedSetting(r *http.Request, u store.User) (string, error) {
	v, ok := r.PostForm[site.SettingFeedFullText]
	if !ok {
		return "", nil
	}
	if v[0] != "true" && v[0] != "false" {
		return "Feed content must be full text or summary only.", nil
	}
	full := v[0] == "true"
	cur, err := s.feedSetting(r)
	if err != nil {
		return "", err
	}
	if cur.FullText == full {
		return "", nil
	}
	if err := s.store.SetSetting(r.Context(), site.SettingFeedFullText, strconv.FormatBool(full)); err != nil {
		return "", err
	}
	s.audit(r, u, "settings_change", "setting:"+site.SettingFeedFullText, "Feed content")
	return "", nil
}
