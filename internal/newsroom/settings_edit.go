package newsroom

import (
	"errors"
	"net/http"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/site"
	"dateline/internal/store"
)

func init() {
	routeAdders = append(routeAdders, (*Server).settingsRoutes)
	extraPages = append(extraPages, "settings")
}

// settingsRoutes are the site settings (admins only).
func (s *Server) settingsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/settings", s.user(s.settingsShow))
	mux.HandleFunc("POST /newsroom/settings", s.user(s.settingsSave))
}

// maxPageText bounds each page text: a long standards page is ~30 KB.
const maxPageText = 100 << 10

// settingField is one editable setting and its current text.
type settingField struct {
	Key   string // the settings key, also the form field's name
	Label string
	Hint  string
	Path  string // the public page it feeds
	Value string
}

type settingsPage struct {
	Page
	Fields []settingField
	Feed   feedChoice // settings_feed.go
}

// editableSettings are the settings the page edits, in order.
func editableSettings() []settingField {
	return []settingField{
		{Key: site.SettingAbout, Label: "About us", Path: "/about",
			Hint: "Who you are, who owns and funds you, how to reach you. Paragraphs are separated by a blank line."},
		{Key: site.SettingStandards, Label: "Editorial standards", Path: "/standards",
			Hint: "Accuracy, corrections, sourcing, independence. Paragraphs are separated by a blank line."},
	}
}

func (s *Server) settingsFields(r *http.Request) ([]settingField, error) {
	fields := editableSettings()
	for i := range fields {
		v, err := s.store.Setting(r.Context(), fields[i].Key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		fields[i].Value = v
	}
	return fields, nil
}

// settingsShow shows the texts of the About and Editorial standards pages.
func (s *Server) settingsShow(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSettings); err != nil {
		return err
	}
	fields, err := s.settingsFields(r)
	if err != nil {
		return err
	}
	p := settingsPage{Page: s.page(u, "Site settings", "settings"), Fields: fields}
	if p.Feed, err = s.feedSetting(r); err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "saved" {
		p.Flash = "Saved. The public pages show the new text now."
	}
	return s.render.Render(w, r, http.StatusOK, "settings", p)
}

// settingsSave stores the texts that changed, each audited as
// settings_change with the key (not the text: the log stays small).
func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageSettings); err != nil {
		return err
	}
	if err := readForm(w, r, 2*maxPageText+4<<10); err != nil {
		return err
	}
	fields, err := s.settingsFields(r)
	if err != nil {
		return err
	}
	if msg, err := s.saveFeedSetting(r, u); err != nil || msg != "" {
		if err != nil {
			return err
		}
		p := settingsPage{Page: s.page(u, "Site settings", "settings"), Fields: fields}
		if p.Feed, err = s.feedSetting(r); err != nil {
			return err
		}
		p.Error = msg
		return s.render.Render(w, r, http.StatusBadRequest, "settings", p)
	}
	for _, f := range fields {
		v, ok := r.PostForm[f.Key]
		if !ok {
			continue
		}
		text := strings.TrimSpace(strings.ReplaceAll(v[0], "\r\n", "\n"))
		if len(text) > maxPageText {
			p := settingsPage{Page: s.page(u, "Site settings", "settings"), Fields: fields}
			p.Error = f.Label + " is too long (100 KB at most)."
			return s.render.Render(w, r, http.StatusBadRequest, "settings", p)
		}
		if text == f.Value {
			continue
		}
		if err := s.store.SetSetting(r.Context(), f.Key, text); err != nil {
			return err
		}
		s.audit(r, u, "settings_change", "setting:"+f.Key, f.Label)
	}
	return seeOther(w, r, "/newsroom/settings?done=saved")
}
