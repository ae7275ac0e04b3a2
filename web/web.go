// Package web holds the HTML templates and static assets, embedded in the
// binary so one file is the whole site.
package web

import "embed"

// Templates are the html/template files, parsed once at start.
//
//go:embed templates/*.html templates/newsroom/*.html
var Templates embed.FS

//go:generate go run precompress.go

// Static are the stylesheets, scripts and icons served under hashed names,
// each text file with its gzip and brotli forms beside it (site.css.gz,
// site.css.br), made by precompress.go.
//
//go:embed static
var Static embed.FS
