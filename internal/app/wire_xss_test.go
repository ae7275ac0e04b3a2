package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"dateline/internal/api"
	"dateline/internal/app"
	"dateline/internal/config"
	"dateline/internal/store"
	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/internal/wire/ingest"
)

// wirePayloads is the corpus the wire fields carry
// (testutil.InjectionValues).
func wirePayloads(t *testing.T) []string {
	t.Helper()
	v, err := testutil.InjectionValues()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fields are the text fields of one wire item, each with a payload of
// its own.
type fields struct {
	guid, headline, sub, byline, credit, subject, keyword, located, dateline, ednote, caption, alt, body string
}

func itemFields(i int, p []string) fields {
	at := func(j int) string { return p[(i+j)%len(p)] }
	// The number makes each item's copy distinct: the same copy from two
	// sources would be flagged as a duplicate instead of published.
	return fields{
		guid:     fmt.Sprintf("urn:xss:%d:", i) + at(0),
		headline: fmt.Sprintf("W%d ", i) + at(1),
		sub:      at(2), byline: "Ann " + at(3), credit: at(4), subject: "Subject " + at(5),
		keyword: "kw " + at(6), located: at(7), dateline: at(8), ednote: at(9),
		caption: "Caption " + at(10), alt: at(11), body: fmt.Sprintf("Item %d. ", i) + at(12),
	}
}

// g2Item is a NewsML-G2 news item whose every text field carries a
// payload (escaped as XML requires, so the parser reads the payload
// itself), with a picture link.
func g2Item(f fields, picture string) []byte {
	e := func(s string) string {
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="` + e(f.guid) + `" version="1" standard="NewsML-G2" standardversion="2.35" xml:lang="en">
 <itemMeta>
  <itemClass qcode="ninat:text"/>
  <provider qcode="nprov:XSS"><name>` + e(f.credit) + `</name></provider>
  <versionCreated>2026-01-01T09:00:00Z</versionCreated>
  <pubStatus qcode="stat:usable"/>
  <edNote>` + e(f.ednote) + `</edNote>
  <link rel="irel:seeAlso" href="` + e(picture) + `"><itemClass qcode="ninat:picture"/><title>` + e(f.caption) + `</title></link>
 </itemMeta>
 <contentMeta>
  <located qcode="geo:x"><name>` + e(f.located) + `</name></located>
  <creator><name>` + e(f.byline) + `</name></creator>
  <subject qcode="medtop:1"><name>` + e(f.subject) + `</name></subject>
  <keyword>` + e(f.keyword) + `</keyword>
  <headline>` + e(f.headline) + `</headline>
  <headline role="hrol:subheadline">` + e(f.sub) + `</headline>
  <dateline>` + e(f.dateline) + `</dateline>
  <by>` + e(f.byline) + `</by>
  <creditline>` + e(f.credit) + `</creditline>
 </contentMeta>
 <contentSet>
  <inlineData contenttype="text/html">` + e("<p>"+f.body+"</p><p>"+f.sub+"</p>") + `</inlineData>
 </contentSet>
</newsItem>`)
}

// ninjsItem is the same as a ninjs 3 document.
func ninjsItem(f fields, picture string) []byte {
	doc := map[string]any{
		"uri": f.guid, "type": "text", "version": "1", "pubStatus": "usable", "language": "en",
		"versionCreated": "2026-01-01T09:00:00Z", "by": f.byline, "creditline": f.credit,
		"located": f.located, "edNote": f.ednote, "keywords": []string{f.keyword},
		"headlines":    []map[string]string{{"role": "main", "value": f.headline}},
		"descriptions": []map[string]string{{"role": "summary", "value": f.sub}},
		"bodies":       []map[string]string{{"role": "main", "contentType": "text/html", "value": "<p>" + f.body + "</p><p>" + f.dateline + "</p>"}},
		"subjects":     []map[string]string{{"name": f.subject, "uri": "http://cv.example.org/" + f.located}},
		"infoSources":  []map[string]string{{"name": f.credit}},
		"associations": []map[string]any{{
			"name": "mainpicture", "type": "picture", "uri": f.guid + ":pic", "creditline": f.credit,
			"descriptions": []map[string]string{{"role": "caption", "value": f.caption}, {"role": "alt", "value": f.alt}},
			"renditions":   []map[string]any{{"name": "highres", "href": picture, "width": 64, "height": 48, "contentType": "image/jpeg"}},
		}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

// TestWireFieldsXSS ingests and publishes, in both wire formats, items
// whose every text field carries a payload of the corpus: NewsML-G2
// through the push endpoint, ninjs through the importer the command line
// uses (without --source, so the credit line names the source); the
// NewsML-G2 items also go to a second source's queue. Every story page,
// tag and source page, feed, sitemap, API document and wire desk page
// that shows them must stay structurally safe, with the headline shown
// as text.
func TestWireFieldsXSS(t *testing.T) {
	payloads := wirePayloads(t)
	if testing.Short() {
		payloads = payloads[:60]
	}
	pic := pictureServer(t)
	// Pictures come from loopback. The page cache is off: it would only
	// compress each of the thousands of pages once for nobody.
	s, err := testutil.NewSite(t.TempDir(), map[string]string{config.EnvName("allow-private-targets"): "true",
		config.EnvName("page-cache-mb"): "0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Store.Close()
	ctx := context.Background()
	token := wirePushToken(t, s.Config.DB, "AA", true)
	queueToken := wirePushToken(t, s.Config.DB, "BB", false)
	im, err := ingest.New(ctx, ingest.Options{Store: s.Store, Publish: true, Fetch: ingest.NewFetcher(s.Media, s.Store, true).Fetch})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Store.CountStories(ctx)

	c := testutil.NewClient(s.Handler)
	var ids []int64
	var failures []string
	fail := func(format string, a ...any) {
		if len(failures) < 10 {
			failures = append(failures, fmt.Sprintf(format, a...))
		}
	}
	push := func(source, token string, item []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/wire/"+source, bytes.NewReader(item))
		req.Header.Set("Authorization", "Bearer "+token)
		return c.Do(req)
	}
	for i := range payloads {
		f := itemFields(i, payloads)
		var id int64
		if i%2 == 0 {
			// The same item also waits in the queue of another source,
			// for the wire desk to show.
			if w := push("bb", queueToken, g2Item(f, pic)); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"outcome":"queued"`) {
				fail("NewsML-G2 item %d: push to the queue answered %d %.300s", i, w.Code, w.Body)
			}
			w := push("aa", token, g2Item(f, pic))
			var res struct {
				Items []struct {
					Outcome string `json:"outcome"`
					StoryID int64  `json:"story_id"`
				} `json:"items"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &res); w.Code != http.StatusOK || err != nil || len(res.Items) != 1 {
				fail("NewsML-G2 item %d: push answered %d %.300s", i, w.Code, w.Body)
				continue
			}
			if res.Items[0].Outcome != store.WireImported {
				fail("NewsML-G2 item %d: %s, want imported: %.300s", i, res.Items[0].Outcome, w.Body)
				continue
			}
			id = res.Items[0].StoryID
		} else {
			res, err := im.Import(ctx, ninjsItem(f, pic))
			if err != nil || len(res) != 1 || res[0].Outcome != store.WireImported || res[0].Unfetched != 0 {
				fail("ninjs item %d: %+v %v", i, res, err)
				continue
			}
			id = res[0].StoryID
		}
		ids = append(ids, id)
		// The feeds hold the newest 20: read them before they move on.
		if len(ids)%20 == 0 || i == len(payloads)-1 {
			checkFeeds(t, c, fail, s, id)
		}
	}
	if len(failures) > 0 {
		t.Fatalf("%d items, first failures:\n%s", len(payloads), strings.Join(failures, "\n"))
	}

	tags, sources := map[string]bool{}, map[string]bool{}
	for _, id := range ids {
		st, err := s.Store.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != story.StatusPublished || st.Lead == nil || st.Lead.Caption == "" {
			fail("story %d: %s, lead %+v: want published with its picture and caption", id, st.Status, st.Lead)
		}
		w := c.Get(st.Path())
		checkPage(fail, st.Path(), w)
		if m := h1.FindStringSubmatch(w.Body.String()); m == nil || strings.TrimSpace(html.UnescapeString(m[1])) != st.Headline {
			fail("GET %s: the headline %q is not the <h1>'s text: %.300q", st.Path(), st.Headline, m)
		}
		for _, tg := range st.Tags {
			tags[tg.Slug] = true
		}
		if st.Source != nil {
			sources[st.Source.Slug] = true
		}
		checkAPIDoc(fail, c, st)
	}
	if len(sources) < 3 {
		t.Errorf("only %d sources: the credit lines did not name them", len(sources))
	}
	for slug := range tags {
		checkPage(fail, "/tag/"+slug, c.Get("/tag/"+slug))
	}
	for slug := range sources {
		checkPage(fail, "/source/"+slug, c.Get("/source/"+slug))
	}
	for _, path := range []string{"/", "/world", "/search?q=alert", "/search?q=script", "/sitemap.xml", "/sitemap-news.xml"} {
		w := c.Get(path)
		if strings.HasSuffix(path, ".xml") {
			checkXML(fail, path, w)
			continue
		}
		checkPage(fail, path, w)
	}
	for _, loc := range regexp.MustCompile(`<loc>http://dateline\.test(/[^<]+)</loc>`).FindAllStringSubmatch(c.Get("/sitemap.xml").Body.String(), -1) {
		checkXML(fail, loc[1], c.Get(loc[1]))
	}
	queued := checkWireDesk(t, s, fail, payloads)
	if len(failures) > 0 {
		t.Fatalf("%d stories, first failures:\n%s", len(ids), strings.Join(failures, "\n"))
	}
	if after, _ := s.Store.CountStories(ctx); after != before+len(payloads) {
		t.Errorf("%d stories after %d items, %d before", after, len(payloads), before)
	}
	t.Logf("%d items ingested and published, %d more queued, %d tags, %d sources: pages, feeds, sitemaps, API and wire desk checked",
		len(ids), queued, len(tags), len(sources))
}

// checkWireDesk signs in as an editor and reads the wire queue page by
// page, every queued item's page, and the queue filtered by each payload:
// the desk shows agency copy to staff, whose sessions are the prize.
func checkWireDesk(t *testing.T, s *testutil.Site, fail func(string, ...any), payloads []string) int {
	t.Helper()
	s.MustUser("wire-editor@dateline.test", "Wire Editor", store.RoleEditor, crashPassword)
	c := testutil.NewClient(s.Handler)
	if !c.Login("wire-editor@dateline.test", crashPassword) {
		t.Fatal("login failed")
	}
	items := map[string]bool{}
	next := "/newsroom/wire?source=bb"
	for pages := 0; next != "" && pages < 100; pages++ {
		w := c.Get(next)
		checkPage(fail, next, w)
		for _, m := range regexp.MustCompile(`href="(/newsroom/wire/\d+)"`).FindAllStringSubmatch(w.Body.String(), -1) {
			items[m[1]] = true
		}
		next = ""
		if m := regexp.MustCompile(`href="(/newsroom/wire\?[^"]*after=[^"]*)"`).FindStringSubmatch(w.Body.String()); m != nil {
			next = html.UnescapeString(m[1])
		}
	}
	if want := (len(payloads) + 1) / 2; len(items) < want {
		fail("the wire queue links %d items, want the %d queued", len(items), want)
	}
	for path := range items {
		checkPage(fail, path, c.Get(path))
	}
	for i, p := range payloads {
		path := "/newsroom/wire?q=" + url.QueryEscape(p) + "&lang=" + url.QueryEscape(payloads[(i+1)%len(payloads)])
		w := c.Get(path)
		if w.Code >= 500 {
			fail("GET %s: %d", path, w.Code)
		} else if bad := testutil.UnsafeHTML(w.Body.String()); len(bad) > 0 {
			fail("GET %s: %v", path, bad)
		}
	}
	return len(items)
}

// h1 is the heading of a story page: only text, no element inside.
var h1 = regexp.MustCompile(`(?s)<h1[^>]*>([^<]*)</h1>`)

// checkPage: a 200 whose HTML could run nothing.
func checkPage(fail func(string, ...any), path string, w *httptest.ResponseRecorder) {
	if w.Code != http.StatusOK {
		fail("GET %s: %d", path, w.Code)
		return
	}
	if bad := testutil.UnsafeHTML(w.Body.String()); len(bad) > 0 {
		fail("GET %s: %v", path, bad)
	}
}

// checkXML: a 200 that is well-formed XML.
func checkXML(fail func(string, ...any), path string, w *httptest.ResponseRecorder) {
	if w.Code != http.StatusOK {
		fail("GET %s: %d", path, w.Code)
		return
	}
	d := xml.NewDecoder(bytes.NewReader(w.Body.Bytes()))
	for {
		if _, err := d.Token(); err == io.EOF {
			return
		} else if err != nil {
			fail("GET %s: not well-formed XML: %v", path, err)
			return
		}
	}
}

// checkFeeds reads the site's three feeds: each parses, its newest item
// is story newest, and every item's HTML could run nothing.
func checkFeeds(t *testing.T, c *testutil.Client, fail func(string, ...any), s *testutil.Site, newest int64) {
	t.Helper()
	st, err := s.Store.Story(context.Background(), newest)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/rss.xml", "/atom.xml", "/feed.json"} {
		w := c.Get(path)
		if w.Code != http.StatusOK {
			fail("GET %s: %d", path, w.Code)
			continue
		}
		if path != "/feed.json" {
			checkXML(fail, path, w)
		} else if !json.Valid(w.Body.Bytes()) {
			fail("GET %s: not JSON", path)
		}
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			fail("GET %s: %v", path, err)
			continue
		}
		if len(feed.Items) == 0 || feed.Items[0].Title != st.Headline {
			fail("GET %s: newest item is not story %d %q", path, newest, st.Headline)
		}
		for _, it := range feed.Items {
			// The HTML of each format: RSS's description and
			// content:encoded, Atom's content (its summary is text),
			// JSON Feed's content_html (its summary is text).
			html := []string{it.Content}
			if path == "/rss.xml" {
				html = append(html, it.Description)
			}
			for _, h := range html {
				if bad := testutil.UnsafeHTML(h); len(bad) > 0 {
					fail("GET %s: item %q: %v", path, it.Title, bad)
				}
			}
		}
	}
}

// checkAPIDoc reads the story as the content API serves it: JSON with
// nosniff, the headline as given, and HTML bodies that could run nothing.
func checkAPIDoc(fail func(string, ...any), c *testutil.Client, st *story.Story) {
	path := fmt.Sprintf("/api/v1/stories/%d", st.ID)
	w := c.Get(path)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json; charset=utf-8" ||
		w.Header().Get("X-Content-Type-Options") != "nosniff" {
		fail("GET %s: %d %q", path, w.Code, w.Header().Get("Content-Type"))
		return
	}
	var doc api.Document
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		fail("GET %s: %v", path, err)
		return
	}
	if len(doc.Headlines) == 0 || doc.Headlines[0].Value != st.Headline {
		fail("GET %s: headlines %+v, want %q", path, doc.Headlines, st.Headline)
	}
	bodies := doc.Bodies
	for _, a := range doc.Associations {
		bodies = append(bodies, a.Bodies...)
	}
	for _, b := range bodies {
		if strings.Contains(b.ContentType, "html") {
			if bad := testutil.UnsafeHTML(b.Value); len(bad) > 0 {
				fail("GET %s: body: %v", path, bad)
			}
		}
	}
}

// pictureServer serves one small JPEG on loopback, the wire items'
// picture.
func pictureServer(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(b.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/picture.jpg"
}

// wirePushToken makes a push token for a source with the real command:
// its items are published at once, or queued for the wire desk.
func wirePushToken(t *testing.T, db, source string, publish bool) string {
	t.Helper()
	var out bytes.Buffer
	args := []string{"ingest", "--push-token", "--source", source, "--db", db}
	if publish {
		args = append(args, "--publish")
	}
	if err := app.Run(context.Background(), args, noEnv, &out, &out); err != nil {
		t.Fatalf("push-token: %v\n%s", err, out.String())
	}
	m := regexp.MustCompile(`(?m)^token: (\S+)$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no token in\n%s", out.String())
	}
	return m[1]
}
