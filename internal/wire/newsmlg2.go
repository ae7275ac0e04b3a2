package wire

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// g2Concept is any NewsML-G2 element that names a concept by qcode or
// uri, with a name child or a literal.
type g2Concept struct {
	QCode   string    `xml:"qcode,attr"`
	URI     string    `xml:"uri,attr"`
	Literal string    `xml:"literal,attr"`
	Type    string    `xml:"type,attr"`
	Names   []g2Text  `xml:"name"`
	Broader []g2Named `xml:"broader"`
}

type g2Named struct {
	QCode string   `xml:"qcode,attr"`
	URI   string   `xml:"uri,attr"`
	Type  string   `xml:"type,attr"`
	Names []g2Text `xml:"name"`
}

type g2Text struct {
	Role string `xml:"role,attr"`
	Rank string `xml:"rank,attr"`
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Text string `xml:",chardata"`
}

// g2EdNote is a note to the receiving editors; its content may be XHTML.
type g2EdNote struct {
	Role          string `xml:"role,attr"`
	PubConstraint string `xml:"pubconstraint,attr"`
	Inner         string `xml:",innerxml"`
}

type g2Link struct {
	Rel       string    `xml:"rel,attr"`
	Href      string    `xml:"href,attr"`
	ItemClass g2Concept `xml:"itemClass"`
	Title     string    `xml:"title"`
}

type g2Content struct {
	ContentType string `xml:"contenttype,attr"`
	Rendition   string `xml:"rendition,attr"`
	Href        string `xml:"href,attr"`
	Width       string `xml:"width,attr"`
	Height      string `xml:"height,attr"`
	Inner       string `xml:",innerxml"`
}

// g2Item is the part of a newsItem (or any other NewsML-G2 item) that
// Dateline reads.
type g2Item struct {
	XMLName  xml.Name
	GUID     string `xml:"guid,attr"`
	Version  string `xml:"version,attr"`
	Lang     string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ItemMeta struct {
		ItemClass      g2Concept   `xml:"itemClass"`
		Provider       g2Concept   `xml:"provider"`
		VersionCreated string      `xml:"versionCreated"`
		FirstCreated   string      `xml:"firstCreated"`
		Embargoed      string      `xml:"embargoed"`
		PubStatus      g2Concept   `xml:"pubStatus"`
		Signals        []g2Concept `xml:"signal"`
		EdNotes        []g2EdNote  `xml:"edNote"`
		Links          []g2Link    `xml:"link"`
	} `xml:"itemMeta"`
	ContentMeta struct {
		Urgency        string      `xml:"urgency"`
		ContentCreated string      `xml:"contentCreated"`
		Located        []g2Concept `xml:"located"`
		Creators       []g2Concept `xml:"creator"`
		InfoSources    []g2Concept `xml:"infoSource"`
		Languages      []struct {
			Tag string `xml:"tag,attr"`
		} `xml:"language"`
		Subjects     []g2Concept `xml:"subject"`
		Keywords     []string    `xml:"keyword"`
		Headlines    []g2Text    `xml:"headline"`
		Subheadlines []g2Text    `xml:"subheadline"`
		Descriptions []g2Text    `xml:"description"`
		Datelines    []string    `xml:"dateline"`
		Creditline   []string    `xml:"creditline"`
		By           []string    `xml:"by"`
	} `xml:"contentMeta"`
	ContentSet struct {
		InlineXML     []g2Content `xml:"inlineXML"`
		InlineData    []g2Content `xml:"inlineData"`
		RemoteContent []g2Content `xml:"remoteContent"`
	} `xml:"contentSet"`
}

// g2Kinds maps the root element of a NewsML-G2 item to its kind; a
// newsItem's kind is its itemClass.
var g2Kinds = map[string]Kind{
	"packageItem": KindPackage, "planningItem": KindPlanning, "conceptItem": KindConcept,
	"knowledgeItem": KindConcept, "catalog": KindCatalog, "catalogItem": KindCatalog,
}

// parseNewsMLG2 reads a NewsML-G2 document whose root element is root.
func parseNewsMLG2(data []byte, root string) (*Batch, error) {
	b := &Batch{Format: "newsml-g2"}
	d := newXMLDecoder(data)
	if root != "newsMessage" {
		it, err := decodeG2(d, root)
		if err != nil {
			return nil, err
		}
		b.Items = append(b.Items, it)
		return b, nil
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: newsMessage: %v", ErrFormat, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local == "newsMessage" || se.Name.Local == "itemSet" {
			continue
		}
		if _, known := g2Kinds[se.Name.Local]; !known && se.Name.Local != "newsItem" {
			if err := d.Skip(); err != nil { // header, signals of the envelope
				return nil, fmt.Errorf("%w: newsMessage: %v", ErrFormat, err)
			}
			continue
		}
		var g g2Item
		if err := d.DecodeElement(&g, &se); err != nil {
			return nil, fmt.Errorf("%w: newsMessage %s: %v", ErrFormat, se.Name.Local, err)
		}
		b.Items = append(b.Items, g.item())
	}
	attachPictures(b.Items)
	return b, nil
}

func decodeG2(d *xml.Decoder, root string) (*Item, error) {
	var g g2Item
	if err := d.Decode(&g); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrFormat, root, err)
	}
	return g.item(), nil
}

// attachPictures gives the text items of an envelope the picture items
// sent with them (TT sends a package, its text and its pictures together).
func attachPictures(items []*Item) {
	var pics []Picture
	for _, it := range items {
		if it.Kind == KindPicture {
			pics = append(pics, it.Pictures...)
		}
	}
	if len(pics) == 0 {
		return
	}
	for _, it := range items {
		if it.Kind == KindText && len(it.Pictures) == 0 {
			it.Pictures = pics
		}
	}
}

func (g *g2Item) item() *Item {
	it := &Item{Format: "newsml-g2", GUID: strings.TrimSpace(g.GUID), Version: atoiOr(g.Version, 1),
		Language: g.Lang, PubStatus: g2Status(g.ItemMeta.PubStatus.QCode)}
	it.Kind = g2Kinds[g.XMLName.Local]
	if it.Kind == "" {
		it.Kind = g2Class(g.ItemMeta.ItemClass.QCode)
	}
	m, cm := &g.ItemMeta, &g.ContentMeta
	it.Provider = conceptName(m.Provider)
	it.VersionCreated = parseTime(m.VersionCreated)
	it.FirstCreated = parseTime(m.FirstCreated)
	it.Embargo = parseTime(m.Embargoed)
	it.ContentCreated = parseTime(cm.ContentCreated)
	for _, s := range m.Signals {
		it.Signals = append(it.Signals, afterColon(s.QCode))
	}
	it.EdNote = g2CorrectionNote(m.EdNotes)
	it.Urgency = atoiOr(cm.Urgency, 0)
	if len(cm.Languages) > 0 && cm.Languages[0].Tag != "" {
		it.Language = cm.Languages[0].Tag
	}
	it.Headline, it.Subheadline = g2Headlines(cm.Headlines, cm.Subheadlines)
	for _, d := range cm.Descriptions {
		role := afterColon(d.Role)
		if it.Subheadline == "" && (role == "" || role == "teaser" || role == "summary" || role == "abstract") {
			it.Subheadline = collapse(d.Text)
		}
	}
	for _, c := range cm.Creators {
		if n := conceptName(c); n != "" {
			it.Bylines = append(it.Bylines, n)
		}
	}
	for _, by := range cm.By {
		if by = collapse(by); by != "" {
			it.Bylines = []string{by} // an explicit byline beats the creators' names
		}
	}
	if len(cm.Creditline) > 0 {
		it.Creditline = collapse(cm.Creditline[0])
	}
	if it.Provider == "" && len(cm.InfoSources) > 0 {
		it.Provider = conceptName(cm.InfoSources[0])
	}
	if len(cm.Located) > 0 {
		it.Located = conceptName(cm.Located[0])
	}
	if len(cm.Datelines) > 0 {
		it.Dateline = collapse(cm.Datelines[0])
	}
	for _, s := range cm.Subjects {
		it.Subjects = appendUnique(it.Subjects, conceptName(s))
		it.SubjectCodes = appendUnique(it.SubjectCodes, subjectCode(s.QCode, s.URI))
		for _, b := range s.Broader {
			it.SubjectCodes = appendUnique(it.SubjectCodes, subjectCode(b.QCode, b.URI))
		}
	}
	for _, k := range cm.Keywords {
		it.Subjects = appendUnique(it.Subjects, collapse(k))
		it.Keywords = appendUnique(it.Keywords, collapse(k))
	}
	g.content(it)
	for _, l := range m.Links {
		if g2Class(l.ItemClass.QCode) == KindPicture && l.Href != "" {
			it.Pictures = append(it.Pictures, Picture{URL: l.Href, Caption: collapse(l.Title), Credit: it.Creditline})
		}
	}
	return it
}

// content reads the body (the first inline XML or inline data) and, for
// a picture item, its best rendition.
func (g *g2Item) content(it *Item) {
	cs := &g.ContentSet
	switch {
	case len(cs.InlineXML) > 0:
		it.Body = HTMLToBlocks(cs.InlineXML[0].Inner)
	case len(cs.InlineData) > 0:
		body := xmlText(cs.InlineData[0].Inner)
		if strings.Contains(cs.InlineData[0].ContentType, "html") {
			it.Body = HTMLToBlocks(body)
		} else {
			it.Body = TextToBlocks(body)
		}
	}
	if it.Kind != KindPicture || len(cs.RemoteContent) == 0 {
		return
	}
	best := cs.RemoteContent[0]
	for _, rc := range cs.RemoteContent[1:] {
		if afterColon(rc.Rendition) == "highRes" || atoiOr(rc.Width, 0) > atoiOr(best.Width, 0) && afterColon(best.Rendition) != "highRes" {
			best = rc
		}
	}
	p := Picture{URL: best.Href, Width: atoiOr(best.Width, 0), Height: atoiOr(best.Height, 0),
		Credit: it.Creditline, Alt: it.Headline}
	for _, d := range g.ContentMeta.Descriptions {
		t := collapse(d.Text)
		if t != "" && (afterColon(d.Role) == "caption" || p.Caption == "") {
			p.Caption = t
		}
	}
	it.Pictures = append(it.Pictures, p)
}

// g2Headlines picks the main headline (no role or role main, lowest rank)
// and a subheadline (role subheadline) among NewsML-G2 headline elements.
func g2Headlines(hs, subs []g2Text) (main, sub string) {
	bestRank := 1 << 30
	for _, h := range hs {
		text := collapse(h.Text)
		role := afterColon(h.Role)
		switch {
		case text == "":
		case role == "subheadline" || role == "sub":
			if sub == "" {
				sub = text
			}
		case role == "" || role == "main" || role == "headline":
			if r := atoiOr(h.Rank, 1); r < bestRank {
				main, bestRank = text, r
			}
		}
	}
	for _, s := range subs {
		if sub == "" {
			sub = collapse(s.Text)
		}
	}
	return main, sub
}

// maxEdNote bounds the correction note taken from an agency's edNote.
const maxEdNote = 1000

// g2CorrectionNote picks the edNote that says what a correction changed,
// for readers: dpa sends two, role correctionshort, a sentence for the
// public ("In einer früheren Version dieses Textes hieß es …"), and role
// correction, a notice for the desk that cites the agency's message id;
// so a correctionshort note comes first, then a correction one, then any
// other role naming a correction, then a note with no role. Notes the
// agency restricts to the receiver (pubconstraint …nonpublic) and notes
// with other roles (closing lines, contacts, picture notes) are never
// taken: the text goes on a public page.
func g2CorrectionNote(notes []g2EdNote) string {
	pick := func(ok func(role string) bool) string {
		for _, n := range notes {
			if strings.Contains(strings.ToLower(n.PubConstraint), "nonpublic") || !ok(strings.ToLower(afterColon(n.Role))) {
				continue
			}
			if t := collapse(xmlText(n.Inner)); t != "" {
				return clip(t, maxEdNote)
			}
		}
		return ""
	}
	for _, ok := range []func(string) bool{
		func(r string) bool { return r == "correctionshort" },
		func(r string) bool { return r == "correction" },
		func(r string) bool { return strings.Contains(r, "correction") },
		func(r string) bool { return r == "" },
	} {
		if t := pick(ok); t != "" {
			return t
		}
	}
	return ""
}

// clip cuts s to at most n bytes at a word boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + " …"
}
