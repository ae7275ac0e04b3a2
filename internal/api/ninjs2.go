package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// encodeDoc returns d as JSON in ninjs version 3 or 2. Version 2 names
// every property as version 3 does but in lower case (versionCreated →
// versioncreated, altIds → altids), for the properties Document uses, so
// it is made by renaming the keys of the version 3 document.
func encodeDoc(d Document, version int) (json.RawMessage, error) {
	if version == 2 && d.Standard != nil {
		d.Standard = &Standard{Name: "ninjs", Version: ninjs2Version, Schema: ninjs2Schema}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode ninjs %s: %w", d.URI, err)
	}
	if version != 2 {
		return bytes.TrimSpace(buf.Bytes()), nil
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("encode ninjs2 %s: %w", d.URI, err)
	}
	var out bytes.Buffer
	enc = json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(lowerKeys(v)); err != nil {
		return nil, fmt.Errorf("encode ninjs2 %s: %w", d.URI, err)
	}
	return bytes.TrimSpace(out.Bytes()), nil
}

// lowerKeys lower-cases the keys of every object in v, never the values.
func lowerKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, val := range x {
			m[strings.ToLower(k)] = lowerKeys(val)
		}
		return m
	case []any:
		for i := range x {
			x[i] = lowerKeys(x[i])
		}
		return x
	}
	return v
}
