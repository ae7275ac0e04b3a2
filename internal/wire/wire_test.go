package wire_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/internal/story"
	"dateline/internal/testutil"
	"dateline/internal/wire"
)

// brokenJSON are the ninjs test-suite files that are deliberately not
// JSON at all; every other shared file must parse.
var brokenJSON = map[string]bool{
	"wire/ninjs/test_suite/1.0/should_fail/009_body_text_with_cr.json":          true,
	"wire/ninjs/test_suite/1.0/should_fail/010_body_must_be_string.json":        true,
	"wire/ninjs/test_suite/1.0/should_fail/011_description_must_be_string.json": true,
	"wire/ninjs/test_suite/1.0/should_fail/012_location_not_object.json":        true,
	"wire/ninjs/test_suite/1.3/should_fail/006_bad_genre.json":                  true,
}

// sharedFiles walks the shared wire and feed samples and returns their
// contents by path relative to the testdata folder.
func sharedFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	shared := testutil.SharedTestdata(tb)
	out := map[string][]byte{}
	for _, dir := range []string{"wire", "feeds"} {
		err := filepath.WalkDir(filepath.Join(shared, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(shared, p)
			out[filepath.ToSlash(rel)] = data
			return err
		})
		if err != nil {
			tb.Fatalf("walk %s: %v", dir, err)
		}
	}
	if len(out) < 350 {
		tb.Fatalf("found %d shared samples, want the whole tree (350+)", len(out))
	}
	return out
}

func TestParseEverySharedFile(t *testing.T) {
	news := 0
	for name, data := range sharedFiles(t) {
		b, err := wire.Parse(data)
		if brokenJSON[name] {
			if !errors.Is(err, wire.ErrFormat) || !strings.Contains(err.Error(), "broken JSON") {
				t.Errorf("%s: err = %v, want a broken JSON error", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(b.Items) == 0 && b.Skip == "" {
			t.Errorf("%s: no items and no reason", name)
		}
		for _, it := range b.Items {
			if it.SkipReason() != "" {
				continue
			}
			news++
			if it.Version < 1 || it.PubStatus == "" || it.GUID == "" || it.Headline == "" {
				t.Errorf("%s: incomplete item %+v", name, it)
			}
			checkSafe(t, name, it.Body)
		}
	}
	if news < 100 {
		t.Errorf("%d news items in the shared samples, want 100 or more", news)
	}
}

// checkSafe asserts that every link in blocks is absolute http(s) or
// mailto and no block is empty.
func checkSafe(t *testing.T, name string, blocks []story.Block) {
	t.Helper()
	for _, b := range blocks {
		spans := b.Spans
		for _, it := range b.Items {
			spans = append(spans, it...)
		}
		if len(spans) == 0 {
			t.Errorf("%s: empty %s block", name, b.Type)
		}
		for _, sp := range spans {
			if sp.Href != "" && !strings.HasPrefix(sp.Href, "https://") && !strings.HasPrefix(sp.Href, "http://") && !strings.HasPrefix(sp.Href, "mailto:") {
				t.Errorf("%s: unsafe link %q", name, sp.Href)
			}
		}
	}
}

func parseFile(t *testing.T, path string) *wire.Batch {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := wire.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

// news returns the items of a file that are news, failing when there are
// not exactly n.
func news(t *testing.T, path string, n int) []*wire.Item {
	t.Helper()
	var out []*wire.Item
	for _, it := range parseFile(t, path).Items {
		if it.SkipReason() == "" {
			out = append(out, it)
		}
	}
	if len(out) != n {
		t.Fatalf("%s: %d news items, want %d", path, len(out), n)
	}
	return out
}

func text(blocks []story.Block) string { return story.BodyText(blocks) }

func TestParseNewsMLG2Listings(t *testing.T) {
	shared := testutil.SharedTestdata(t)
	dir := shared + "/wire/newsml-g2/iptc-examples/"
	l1 := news(t, dir+"LISTING_1_A_NewsML-G2_News_Item.xml", 1)[0]
	if l1.Version != 11 || l1.GUID != "urn:newsml:acmenews.com:20161018:US-FINANCE-FED" || l1.Headline != `Fed to halt QE to avert "bubble"` ||
		!l1.Embargo.Equal(time.Date(2018, 10, 23, 12, 0, 0, 0, time.UTC)) || strings.Join(l1.Signals, ",") != "update" ||
		l1.Language != "en-GB" || l1.Located != "Berlin" || l1.PubStatus != wire.Usable || l1.Bylines[0] != "Meredith Jameson" {
		t.Errorf("LISTING_1 = %+v", l1)
	}
	if want := time.Date(2018, 10, 21, 21, 25, 32, 0, time.UTC); !l1.VersionCreated.Equal(want) {
		t.Errorf("LISTING_1 versionCreated = %v, want %v", l1.VersionCreated, want)
	}
	l2 := news(t, dir+"LISTING_2_NewsML-G2_Text_Document.xml", 1)[0]
	if l2.Headline != `Fed to halt QE to avert "bubble"` || l2.Language != "en-US" || l2.Located != "New York, NY" ||
		strings.Join(l2.Bylines, ";") != "Meredith Jameson" || len(l2.Body) != 2 || l2.Provider != "Associated Press" ||
		strings.Join(l2.Subjects, ";") != "economy, business and finance;central bank;money and monetary policy" ||
		!strings.HasPrefix(text(l2.Body), "(New York, NY - October 21) Et, sent luptat") || !l2.Embargo.IsZero() {
		t.Errorf("LISTING_2 = %+v\n%s", l2, text(l2.Body))
	}
	for file, kind := range map[string]wire.Kind{
		"LISTING_6_Simple_NewsML-G2_Package.xml":                             wire.KindPackage,
		"LISTING_13_Complete_Catalog_Item.xml":                               wire.KindCatalog,
		"LISTING_17_Planning_Item_a_CCL.xml":                                 wire.KindPlanning,
		"LISTING_11_Person_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml": wire.KindConcept,
		"LISTING_3_Photo_in_NewsML-G2.xml":                                   wire.KindPicture,
		"LISTING_4_Multiple_Renditions_of_a_Video_in_NewsML-G2.xml":          wire.KindVideo,
	} {
		b := parseFile(t, dir+file)
		if len(b.Items) != 1 || b.Items[0].Kind != kind || !strings.Contains(b.Items[0].SkipReason(), string(kind)+" item") {
			t.Errorf("%s: items %+v, want one %s item skipped", file, b.Items, kind)
		}
	}
	if b := parseFile(t, dir+"LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml"); !strings.Contains(b.Skip, "fragment") {
		t.Errorf("LISTING_25 skip = %q, want a fragment", b.Skip)
	}
}

func TestParseRealWorldNewsMLG2(t *testing.T) {
	shared := testutil.SharedTestdata(t)
	dir := shared + "/wire/newsml-g2/real-world/"
	emb := news(t, dir+"dpa/embargoed.xml", 1)[0]
	if emb.Version != 1 || !emb.Embargo.Equal(time.Date(2025, 1, 23, 18, 0, 0, 0, time.UTC)) || emb.Language != "de" ||
		emb.Headline != "Steinmeier: Russland zerstört kulturelles Erbe der Ukraine" || emb.Urgency != 4 ||
		emb.Creditline != "dpa" || emb.Dateline != "Berlin (dpa) -" || !strings.HasPrefix(emb.Subheadline, "Eine Ausstellung in Berlin") {
		t.Errorf("embargoed = %+v", emb)
	}
	if got := story.PlainText(emb.Body[0].Spans); !strings.HasPrefix(got, "Berlin (dpa) - Bundespräsident") {
		t.Errorf("embargoed body starts %q: the teaser repeating the standfirst should be dropped", got)
	}
	if h := emb.Body[3]; h.Type != story.BlockHeading || h.Level != 2 {
		t.Errorf("embargoed block 3 = %+v, want the h2", h)
	}
	for file, sig := range map[string]string{"dpa/dw-1.xml": "correction", "dpa/tvo_pol.xml": "correction", "dpa/with_dateline.xml": "update"} {
		it := news(t, dir+file, 1)[0]
		if it.Version != 2 || strings.Join(it.Signals, ",") != sig || it.PubStatus != wire.Usable {
			t.Errorf("%s: version %d signals %v, want 2 and %s", file, it.Version, it.Signals, sig)
		}
	}
	tab := news(t, dir+"dpa/spe_tab.xml", 1)[0]
	if tab.Version != 33 || !strings.Contains(text(tab.Body), "FC Augsburg · - · Bor. Mönchengladbach · 2:1 (1:0)") {
		t.Errorf("spe_tab: version %d, table rows not paragraphs of cells:\n%s", tab.Version, text(tab.Body))
	}
	if ep := news(t, dir+"dpa/empty_paragraph.xml", 1)[0]; ep.Language != "es" || len(ep.Pictures) != 1 || ep.Pictures[0].Caption == "" {
		t.Errorf("empty_paragraph = %+v", ep)
	}
	tt := news(t, dir+"tt/TT_newsmlg2_sample.xml", 1)[0]
	if tt.Headline != `Jan Guillou skriver på ny "Hamilton"-bok` || tt.Language != "sv" || tt.Urgency != 3 ||
		tt.Body[0].Type == story.BlockHeading || !strings.Contains(text(tt.Body), "pensionärsäventyr") {
		t.Errorf("TT = %+v\n%s", tt, text(tt.Body))
	}
	if len(tt.Pictures) != 1 || !strings.HasSuffix(tt.Pictures[0].URL, "a001_NormalHires.jpg") || tt.Pictures[0].Width != 4928 ||
		!strings.HasPrefix(tt.Pictures[0].Caption, "Journalisten och författaren Jan Guillou") {
		t.Errorf("TT pictures = %+v", tt.Pictures)
	}
}

func TestParseNinjsGenerations(t *testing.T) {
	shared := testutil.SharedTestdata(t)
	dir := shared + "/wire/ninjs/doc-examples/"
	for _, gen := range []string{"1.6", "2.2", "3.1"} {
		it := news(t, dir+gen+"/004_simple_text_article.json", 1)[0]
		if it.GUID != "http://ninjs.example.com/newsitems/20130709simp123" || it.Headline != "Captain of wrecked cruise ship on trial in Italy" ||
			len(it.Body) != 4 || !it.VersionCreated.Equal(time.Date(2013, 7, 9, 10, 37, 0, 0, time.UTC)) ||
			strings.Join(it.Bylines, "") != "Paulo Santalucia and Frances d'Emilio" {
			t.Errorf("%s simple text = %+v", gen, it)
		}
		if b := parseFile(t, dir+gen+"/007_multimedia.json"); b.Items[0].Kind != wire.KindPackage {
			t.Errorf("%s multimedia kind = %s, want package", gen, b.Items[0].Kind)
		}
	}
	dpa := news(t, shared+"/wire/ninjs/examples/3.0/dpa_text.json", 1)[0]
	if dpa.Version != 2 || dpa.Language != "de" || !strings.HasPrefix(dpa.Headline, "Faktencheck Derby-Elfmeter") {
		t.Errorf("dpa ninjs 3 = %+v", dpa)
	}
	ntb := news(t, shared+"/wire/ninjs/examples/2.1/ntb_text.json", 1)[0]
	if ntb.Version != 6 || ntb.Language != "nb-NO" || ntb.Urgency != 5 || len(ntb.Body) == 0 {
		t.Errorf("NTB ninjs 2 (body sent as description) = %+v", ntb)
	}
	suite := shared + "/wire/ninjs/test_suite/1.0/should_pass/"
	for file, st := range map[string]wire.PubStatus{"022_pubstatus_withheld.json": wire.Withheld, "023_pubstatus_canceled.json": wire.Canceled, "021_pubstatus_usable.json": wire.Usable} {
		if b := parseFile(t, suite+file); b.Items[0].PubStatus != st {
			t.Errorf("%s: pubstatus %s, want %s", file, b.Items[0].PubStatus, st)
		}
	}
	if ev := parseFile(t, dir+"3.1/008_event.json"); ev.Items[0].SkipReason() != "event item, not a text story" {
		t.Errorf("event skip = %q", ev.Items[0].SkipReason())
	}
	if s := parseFile(t, shared+"/wire/ninjs/schema/ninjs-schema_3.1.json"); !strings.Contains(s.Skip, "JSON Schema") {
		t.Errorf("schema skip = %q", s.Skip)
	}
}
