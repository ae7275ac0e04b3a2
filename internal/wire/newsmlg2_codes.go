package wire

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
)

func g2Status(qcode string) PubStatus {
	switch strings.ToLower(afterColon(qcode)) {
	case "withheld":
		return Withheld
	case "canceled", "cancelled":
		return Canceled
	}
	return Usable
}

func g2Class(qcode string) Kind {
	switch afterColon(qcode) {
	case "text", "":
		return KindText
	case "picture":
		return KindPicture
	case "graphic":
		return KindGraphic
	case "video":
		return KindVideo
	case "audio":
		return KindAudio
	case "composite":
		return KindPackage
	case "event":
		return KindEvent
	case "concept":
		return KindConcept
	}
	return KindOther
}

// conceptName is the concept's first name, else its literal.
func conceptName(c g2Concept) string {
	for _, n := range c.Names {
		if t := collapse(n.Text); t != "" {
			return t
		}
	}
	return collapse(c.Literal)
}

// xmlText decodes the character data of an inner XML fragment.
func xmlText(inner string) string {
	d := xml.NewDecoder(bytes.NewReader([]byte("<x>" + inner + "</x>")))
	d.Strict = false
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return b.String()
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
		}
	}
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

func afterColon(qcode string) string {
	if i := strings.LastIndexByte(qcode, ':'); i >= 0 {
		return qcode[i+1:]
	}
	return qcode
}

func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}

// cvAliases maps the URIs of IPTC NewsCodes vocabularies to the aliases
// IPTC's own catalog gives them, so a subject sent by URI and a routing
// rule written as a qcode meet.
var cvAliases = []struct{ uri, alias string }{
	{"cv.iptc.org/newscodes/mediatopic/", "medtop:"},
	{"cv.iptc.org/newscodes/subjectcode/", "subj:"},
	{"cv.iptc.org/newscodes/genre/", "genre:"},
	{"cv.iptc.org/newscodes/signal/", "sig:"},
}

// subjectCode is a concept's code as a qcode: its qcode, else its URI
// (IPTC NewsCodes URIs turned into qcodes), else "".
func subjectCode(qcode, uri string) string {
	if q := strings.TrimSpace(qcode); q != "" {
		return q
	}
	u := strings.TrimSpace(uri)
	l := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(u), "https://"), "http://")
	for _, a := range cvAliases {
		if code, ok := strings.CutPrefix(l, a.uri); ok && code != "" {
			return a.alias + strings.TrimSuffix(code, "/")
		}
	}
	return u
}

// CodeOf is a subject code written by hand or sent by an agency, as
// the qcode items carry in SubjectCodes: IPTC NewsCodes URIs become
// qcodes, anything else is kept as it is, trimmed.
func CodeOf(s string) string { return subjectCode("", s) }
