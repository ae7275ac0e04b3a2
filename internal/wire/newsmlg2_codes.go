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
