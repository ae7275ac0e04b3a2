package testutil

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// SharedTestdata returns the folder of shared test data: the official
// schemas and samples in testdata/ at the repository's root (copied
// unchanged with their sources and licences in testdata/SOURCES.md), or
// $DATELINE_TESTDATA when set. The test fails when it is missing.
func SharedTestdata(tb testing.TB) string {
	tb.Helper()
	d, err := testdataDir()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func testdataDir() (string, error) {
	if d := os.Getenv("DATELINE_TESTDATA"); d != "" {
		return d, nil
	}
	_, file, _, _ := runtime.Caller(0)
	d := filepath.Join(filepath.Dir(file), "..", "..", "testdata")
	if fi, err := os.Stat(filepath.Join(d, "SOURCES.md")); err != nil || fi.IsDir() {
		return "", errors.New("shared test data not found in testdata/ at the repository root (or $DATELINE_TESTDATA)")
	}
	return filepath.Clean(d), nil
}

// moduleRoot is the folder holding go.mod, found upwards from the
// working directory.
func moduleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			tb.Fatal("go.mod not found above the working directory")
		}
		dir = up
	}
}

// Xmllint returns the path of xmllint. When it is missing the test fails
// in CI (CI=true) and is skipped elsewhere, naming the package to install.
func Xmllint(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("xmllint")
	if err == nil {
		return p
	}
	msg := "xmllint is missing: install Debian's libxml2-utils (scripts/test.sh does)"
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}

// ValidateSitemap checks doc with xmllint against the official
// sitemaps.org schema (sitemap.xsd for a urlset, siteindex.xsd for a
// sitemap index). Those schemas take extension elements only when a
// schema of their namespace is known (processContents="strict"), so a
// urlset is validated with a small wrapper schema that imports
// sitemap.xsd with Dateline's own schemas of Google's image and news
// extensions (internal/sitemap/testdata). It returns xmllint's complaint,
// or nil.
func ValidateSitemap(tb testing.TB, doc []byte) error {
	tb.Helper()
	lint := Xmllint(tb)
	official := filepath.Join(SharedTestdata(tb), "sitemaps")
	dir := tb.TempDir()
	schema := filepath.Join(official, "siteindex.xsd")
	if bytes.Contains(doc, []byte("<urlset")) {
		ext := filepath.Join(moduleRoot(tb), "internal", "sitemap", "testdata")
		schema = filepath.Join(dir, "wrapper.xsd")
		wrapper := `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
<xs:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="` + filepath.Join(official, "sitemap.xsd") + `"/>
<xs:import namespace="http://www.google.com/schemas/sitemap-image/1.1" schemaLocation="` + filepath.Join(ext, "sitemap-image.xsd") + `"/>
<xs:import namespace="http://www.google.com/schemas/sitemap-news/0.9" schemaLocation="` + filepath.Join(ext, "sitemap-news.xsd") + `"/>
</xs:schema>
`
		if err := os.WriteFile(schema, []byte(wrapper), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	file := filepath.Join(dir, "doc.xml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(lint, "--noout", "--nonet", "--schema", schema, file).CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			tb.Fatalf("run xmllint: %v", err)
		}
		return errors.New(strings.TrimSpace(string(out)))
	}
	return nil
}
