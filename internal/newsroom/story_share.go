package newsroom

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

// shareTTLs are the lifetimes an editor can give a shared preview link.
var shareTTLs = map[string]time.Duration{"1d": 24 * time.Hour, "3d": 72 * time.Hour, "7d": 7 * 24 * time.Hour}

// shareToken signs a story id and an expiry with the site's secret:
// base64url(id ‖ expiry ‖ HMAC-SHA256(secret, "share" ‖ id ‖ expiry)).
// Nothing is stored; the link is valid until it expires or the secret
// changes.
func shareToken(secret []byte, id int64, exp time.Time) string {
	b := make([]byte, 16, 16+sha256.Size)
	binary.BigEndian.PutUint64(b[:8], uint64(id))
	binary.BigEndian.PutUint64(b[8:], uint64(exp.Unix()))
	return base64.RawURLEncoding.EncodeToString(append(b, shareMAC(secret, b)...))
}

func shareMAC(secret, payload []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("share"))
	m.Write(payload)
	return m.Sum(nil)
}

// Errors of readShareToken.
var (
	errBadShare     = errors.New("this preview link is not valid")
	errExpiredShare = errors.New("this preview link has expired; ask the newsroom for a new one")
)

// readShareToken checks a token and returns its story id.
func readShareToken(secret []byte, token string, now time.Time) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 16+sha256.Size {
		return 0, errBadShare
	}
	if !hmac.Equal(b[16:], shareMAC(secret, b[:16])) {
		return 0, errBadShare
	}
	id := int64(binary.BigEndian.Uint64(b[:8]))
	if now.Unix() > int64(binary.BigEndian.Uint64(b[8:16])) {
		return id, errExpiredShare
	}
	return id, nil
}

// storySharePage shows a new shared preview link.
type storySharePage struct {
	Page
	StoryID  int64
	Headline string
	URL      string
	Expires  time.Time
}

// storyShareCreate makes a signed preview link for someone outside the
// newsroom.
func (s *Server) storyShareCreate(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := storyID(r)
	if err != nil {
		return err
	}
	d, err := s.workflow().Load(r.Context(), id)
	if err != nil {
		return err
	}
	if !auth.Can(u, auth.EditStory, d.Ref()) {
		return forbidden(errors.New("Only someone who may edit the story can share its preview."))
	}
	ttl, ok := shareTTLs[r.PostFormValue("ttl")]
	if !ok {
		ttl = shareTTLs["3d"]
	}
	exp := s.now().Add(ttl).Truncate(time.Second)
	token := shareToken(s.secret, id, exp)
	s.audit(r, u, "share_preview", storyTarget(id), "until "+exp.UTC().Format(time.RFC3339))
	p := storySharePage{Page: s.page(u, "Share a preview", "stories"), StoryID: id, Headline: d.Working().Headline,
		URL: s.cfg.BaseURL + "/newsroom/share/" + token, Expires: exp}
	return s.render.Render(w, r, http.StatusOK, "story_share", p)
}

// storyShareShow shows the latest saved version of a story to whoever has
// a valid link; no session needed. 404 when the link is not valid, 410
// when it has expired.
func (s *Server) storyShareShow(w http.ResponseWriter, r *http.Request) error {
	id, err := readShareToken(s.secret, r.PathValue("token"), s.now())
	switch {
	case errors.Is(err, errExpiredShare):
		return &httpError{http.StatusGone, err}
	case err != nil:
		return notFound(err)
	}
	d, err := s.workflow().Load(r.Context(), id)
	if err != nil {
		return err
	}
	if d.Story.Status == story.StatusSpiked {
		return notFound(fmt.Errorf("story %s was withdrawn", strconv.FormatInt(id, 10)))
	}
	st := d.Working()
	st.Status, st.Notes = d.Story.Status, d.Story.Notes
	if st.FirstPublishedAt.IsZero() {
		st.FirstPublishedAt = s.now()
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.preview.RenderPreview(w, r, st)
}
