package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed content/authors.md content/stories/*.md
var content embed.FS

// storyFile is one parsed content/stories/*.md file.
type storyFile struct {
	Key    string
	Header map[string]string
	Body   string
}

type authorFile struct {
	Slug, Name, Role, Bio string
	Seed                  int64
}

func loadStories() ([]storyFile, error) {
	names, err := fs.Glob(content, "content/stories/*.md")
	if err != nil {
		return nil, err
	}
	out := make([]storyFile, 0, len(names))
	for _, name := range names {
		b, err := content.ReadFile(name)
		if err != nil {
			return nil, err
		}
		head, body, ok := strings.Cut(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n---\n")
		if !ok {
			return nil, fmt.Errorf("%s: no --- line after the header", name)
		}
		f := storyFile{Key: strings.TrimSuffix(path.Base(name), ".md"), Header: parseHeader(head), Body: body}
		for _, k := range []string{"headline", "section", "type", "language", "published", "lead_scene"} {
			if f.Header[k] == "" {
				return nil, fmt.Errorf("%s: header %q is missing", name, k)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func parseHeader(s string) map[string]string {
	h := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok {
			h[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return h
}

func loadAuthors() ([]authorFile, error) {
	b, err := content.ReadFile("content/authors.md")
	if err != nil {
		return nil, err
	}
	var out []authorFile
	for _, block := range strings.Split(string(b), "\n---\n") {
		h := parseHeader(block)
		if h["slug"] == "" {
			continue
		}
		seed, _ := strconv.ParseInt(h["seed"], 10, 64)
		out = append(out, authorFile{Slug: h["slug"], Name: h["name"], Role: h["role"], Bio: h["bio"], Seed: seed})
	}
	return out, nil
}

// when turns "-3d 14:05" into a time: that many days before now's date at
// that UTC time, but never later than a few minutes before now, so a
// demo started early in the morning has no stories from the future.
func when(spec string, now time.Time) (time.Time, error) {
	d, hm, _ := strings.Cut(strings.TrimSpace(spec), " ")
	days, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(d, "-"), "d"))
	if err != nil || days < 0 {
		return time.Time{}, fmt.Errorf("published %q: want -Nd HH:MM", spec)
	}
	hh, mm := 9, 0
	if hm != "" {
		t, err := time.Parse("15:04", hm)
		if err != nil {
			return time.Time{}, fmt.Errorf("published %q: want -Nd HH:MM", spec)
		}
		hh, mm = t.Hour(), t.Minute()
	}
	day := now.UTC().AddDate(0, 0, -days)
	t := time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, time.UTC)
	if limit := now.Add(-20 * time.Minute); t.After(limit) {
		t = limit.Add(-time.Duration(hh) * time.Minute)
	}
	return t, nil
}

// hoursAfter parses "+5h".
func hoursAfter(spec string) (time.Duration, error) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(spec), "+"), "h"))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("updated %q: want +Nh", spec)
	}
	return time.Duration(n) * time.Hour, nil
}

func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
