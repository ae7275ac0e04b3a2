package api_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"dateline/internal/testutil"
)

// sharedTestdata is the folder of official samples and schemas.
func sharedTestdata(t testing.TB) string { return testutil.SharedTestdata(t) }

// ninjsSchema compiles the official ninjs schema of a generation
// ("3.1", "2.2"). Dateline's documents are held to format assertions too
// (strict: uri must be absolute, date-time well formed); JSON Schema 2020-12
// makes formats annotations only, and one official example relies on that
// with a relative uri, so the examples are checked without (strict false).
func ninjsSchema(t testing.TB, version string, strict bool) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	if strict {
		c.AssertFormat()
	}
	// The place type refers to the GeoJSON schema on the web; Dateline
	// writes no places, so an empty schema stands in for it offline.
	if err := c.AddResource("https://geojson.org/schema/GeoJSON.json", map[string]any{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(sharedTestdata(t), "wire", "ninjs", "schema", "ninjs-schema_"+version+".json")
	sch, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return sch
}

// validate checks one JSON document against a schema.
func validate(t testing.TB, sch *jsonschema.Schema, name string, doc []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("%s: not JSON: %v", name, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s is not valid ninjs: %v", name, err)
	}
}

// TestSchemaCatchesMistakes makes sure the validator set up above can
// fail: the official examples pass, a document with a property the schema
// lacks, a relative uri or the other generation's spelling does not.
func TestSchemaCatchesMistakes(t *testing.T) {
	v3, v2 := ninjsSchema(t, "3.1", true), ninjsSchema(t, "2.2", true)
	root := filepath.Join(sharedTestdata(t), "wire", "ninjs", "doc-examples")
	for _, tc := range []struct {
		dir string
		sch *jsonschema.Schema
	}{{"3.1", ninjsSchema(t, "3.1", false)}, {"2.2", ninjsSchema(t, "2.2", false)}} {
		files, _ := filepath.Glob(filepath.Join(root, tc.dir, "*.json"))
		if len(files) == 0 {
			t.Fatalf("no examples in %s", tc.dir)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			validate(t, tc.sch, f, b)
		}
	}
	for _, bad := range []struct {
		sch *jsonschema.Schema
		doc string
	}{
		{v3, `{"uri": "http://x.test/1", "body_html": "<p>x</p>"}`},
		{v3, `{"uri": "stories/1"}`},
		{v3, `{"uri": "http://x.test/1", "versioncreated": "2026-11-29T21:00:00Z"}`},
		{v2, `{"uri": "http://x.test/1", "versionCreated": "2026-11-29T21:00:00Z"}`},
		{v3, `{"uri": "http://x.test/1", "versionCreated": "yesterday"}`},
	} {
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(bad.doc)))
		if bad.sch.Validate(inst) == nil {
			t.Errorf("the schema accepts %s", bad.doc)
		}
	}
}
