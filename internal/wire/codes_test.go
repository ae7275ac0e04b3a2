package wire_test

import (
	"strings"
	"testing"

	"dateline/internal/testutil"
	"dateline/internal/wire"
)

// TestSubjectCodes: routing rules meet items by qcode, whether the agency
// sends a qcode (NewsML-G2, with the broader concepts it names) or an
// IPTC NewsCodes URI (ninjs 3), and ninjs 1.x's scheme and code.
func TestSubjectCodes(t *testing.T) {
	shared := testutil.SharedTestdata(t)
	l1 := news(t, shared+"/wire/newsml-g2/iptc-examples/LISTING_1_A_NewsML-G2_News_Item.xml", 1)[0]
	if got := strings.Join(l1.SubjectCodes, " "); !strings.HasPrefix(got, "medtop:04000000 medtop:20000523") {
		t.Errorf("LISTING_1 codes = %s", got)
	}
	pol := news(t, shared+"/wire/newsml-g2/real-world/dpa/tvo_pol.xml", 1)[0]
	if got := strings.Join(pol.SubjectCodes, " "); got != "dpacat:pl dpacountry:1 dpasubject:432 medtop:11000000" ||
		strings.Join(pol.Keywords, ",") != "Tagesvorschau,dpa" {
		t.Errorf("tvo_pol codes = %s, keywords %v", got, pol.Keywords)
	}
	sport := news(t, shared+"/wire/ninjs/examples/3.0/20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever-addb-ninjs-nitf.json", 1)[0]
	if got := strings.Join(sport.SubjectCodes, " "); !strings.HasPrefix(got, "medtop:15000000 medtop:20001105 medtop:20000892") {
		t.Errorf("ninjs 3 codes = %s", got)
	}
	b, err := wire.Parse([]byte(`{"uri": "urn:x:1", "headline": "H", "body_text": "B",
		"subject": [{"name": "sport", "scheme": "http://cv.iptc.org/newscodes/subjectcode/", "code": "15000000"}, {"name": "local", "code": "loc:7"}]}`))
	if err != nil || strings.Join(b.Items[0].SubjectCodes, " ") != "subj:15000000 loc:7" {
		t.Errorf("ninjs 1 codes = %v (%v)", b.Items[0].SubjectCodes, err)
	}
	for in, want := range map[string]string{
		"https://cv.iptc.org/newscodes/mediatopic/11000000/": "medtop:11000000",
		" medtop:11000000 ":    "medtop:11000000",
		"http://example.org/x": "http://example.org/x",
	} {
		if got := wire.CodeOf(in); got != want {
			t.Errorf("CodeOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCorrectionSignals reads the agencies' correction flags and the note
// that goes with them: dpa's reader-facing correctionshort edNote, never
// one the agency keeps for the receiver; a ninjs producer's signal list
// and ednote.
func TestCorrectionSignals(t *testing.T) {
	shared := testutil.SharedTestdata(t)
	dir := shared + "/wire/newsml-g2/real-world/dpa/"
	for file, want := range map[string]string{
		"tvo_pol.xml":       "Uhrzeit korrigiert",
		"dw-1.xml":          "In einer früheren Version dieses Textes hieß es, Vergewaltigung in der Ehe sei bis 1992 nicht strafbar gewesen. Richtig ist aber das Jahr 1997.",
		"with_dateline.xml": "",
	} {
		it := news(t, dir+file, 1)[0]
		if it.Corrected() != (want != "") || it.EdNote != want && want != "" {
			t.Errorf("%s: corrected %v, note %q, want %q", file, it.Corrected(), it.EdNote, want)
		}
	}
	// LISTING_1's edNote has no role: an update, not a correction, but
	// the note is read (ingest only uses it for a correction).
	l1 := news(t, shared+"/wire/newsml-g2/iptc-examples/LISTING_1_A_NewsML-G2_News_Item.xml", 1)[0]
	if l1.Corrected() || !strings.HasPrefix(l1.EdNote, "Note to editors: STRICTLY EMBARGOED.") {
		t.Errorf("LISTING_1: corrected %v, note %q", l1.Corrected(), l1.EdNote)
	}
	for _, doc := range []string{
		`{"uri": "u", "headline": "H", "signal": [{"qcode": "sig:correction"}], "ednote": "Fixes a name."}`,
		`{"uri": "u", "headline": "H", "signals": ["correction"], "edNote": "Fixes a name."}`,
		`{"uri": "u", "headline": "H", "signal": "sig:correction", "ednote": " Fixes  a name. "}`,
	} {
		b, err := wire.Parse([]byte(doc))
		if err != nil || !b.Items[0].Corrected() || b.Items[0].EdNote != "Fixes a name." {
			t.Errorf("%s: %+v (%v)", doc, b.Items[0], err)
		}
	}
}
