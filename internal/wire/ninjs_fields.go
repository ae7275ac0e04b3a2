package wire

import (
	"sort"
	"strconv"
	"strings"
)

func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// number reads an integer given as a JSON number or a numeric string.
func number(v any) (int, bool) {
	switch v := v.(type) {
	case float64:
		return int(v), v == float64(int(v))
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		return n, err == nil
	}
	return 0, false
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func first(v any) any {
	if l := list(v); len(l) > 0 {
		return l[0]
	}
	return nil
}

// name is the "name" of an object, or the string itself.
func name(v any) string {
	if m, ok := v.(map[string]any); ok {
		return str(m["name"])
	}
	return ""
}

// role returns the value of the first element of a ninjs array of
// {role, value} objects whose role is one of roles, trying roles in order.
func role(v any, roles ...string) string {
	l := list(v)
	for _, r := range roles {
		for _, e := range l {
			m, ok := e.(map[string]any)
			if ok && strings.EqualFold(str(m["role"]), r) && str(m["value"]) != "" {
				return str(m["value"])
			}
		}
	}
	return ""
}

// bodyOf returns the value of the first HTML (html true) or the first
// other body in a ninjs 2/3 bodies array.
func bodyOf(v any, html bool) string {
	for _, e := range list(v) {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		ct := strings.ToLower(str(m["contenttype"]))
		isHTML := strings.Contains(ct, "html") || strings.EqualFold(str(m["role"]), "richtext")
		if isHTML == html && str(m["value"]) != "" {
			return str(m["value"])
		}
	}
	return ""
}

// prefixed returns the value of the first key (in order) starting with
// prefix, for ninjs 1.5+'s extensible headline_* and body_* properties.
func prefixed(m map[string]any, prefix string) string {
	var keys []string
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if s := str(m[k]); s != "" {
			return s
		}
	}
	return ""
}

// ninjsCode is a ninjs subject's code as a qcode: qcode, else uri (IPTC
// NewsCodes URIs become qcodes), else code within its scheme (1.x), else
// literal.
func ninjsCode(c map[string]any) string {
	if q := subjectCode(str(c["qcode"]), str(c["uri"])); q != "" {
		return q
	}
	if code := str(c["code"]); code != "" {
		if scheme := str(c["scheme"]); scheme != "" && !strings.Contains(code, ":") {
			if q := subjectCode("", strings.TrimSuffix(scheme, "/")+"/"+code); strings.Contains(q, ":") && !strings.Contains(q, "/") {
				return q
			}
		}
		return code
	}
	return str(c["literal"])
}

// ninjsSignals reads the signals producers add to ninjs, which has no
// property of its own for them: "signal" or "signals", as strings or as
// objects with a qcode, code or name ("sig:correction", {"code":
// "correction"}). Each is kept without its scheme, lower case.
func ninjsSignals(m map[string]any) []string {
	var out []string
	for _, key := range []string{"signal", "signals"} {
		vals := list(m[key])
		if s := str(m[key]); s != "" {
			vals = []any{s}
		}
		for _, v := range vals {
			s := str(v)
			if c, ok := v.(map[string]any); ok {
				s = firstOf(str(c["qcode"]), str(c["code"]), str(c["name"]))
			}
			out = appendUnique(out, strings.ToLower(afterColon(s)))
		}
	}
	return out
}
