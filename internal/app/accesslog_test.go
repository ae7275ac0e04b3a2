package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// The hand-written request line is byte for byte what slog's
// TextHandler writes for the same record, whatever the path holds.
func TestRequestLineMatchesTextHandler(t *testing.T) {
	paths := []string{
		"/", "", "/world/story-1", "/search", "/a b", "/a=b", `/say-"hi"`, `/back\slash`,
		"/tab\there", "/nl\nhere", "/del\x7f", "/nul\x00", "/bad-utf8-\xff\xfe",
		"/العالم/قصة", "/wörld/ß", "/emoji-📰", "/nbsp\u00a0x", "/zwsp\u200bx", "/ideo\u3000sp",
		"/ctl\u0085", "/" + strings.Repeat("long-", 1200),
	}
	for _, m := range []string{"GET", "HEAD", "POST", "M=D", ""} {
		paths = append(paths, "/method-"+m)
	}
	zones := []*time.Location{time.UTC, time.FixedZone("X", 5*3600+30*60), time.FixedZone("Y", -8*3600)}
	times := []time.Time{
		time.Date(2026, 11, 30, 13, 44, 21, 915_499_999, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 999_999_999, time.UTC),
		time.Now(), // with a monotonic reading
	}
	durs := []time.Duration{0, 999, 74_661 * time.Nanosecond, 2_719_803 * time.Nanosecond, 3 * time.Second, 90 * time.Minute}
	for i, path := range paths {
		method := "GET"
		if m, ok := strings.CutPrefix(path, "/method-"); ok {
			method = m
		}
		at := times[i%len(times)].In(zones[i%len(zones)])
		status, size, dur, queries := 200+i, i*1000, durs[i%len(durs)], int64(i%4)

		var want bytes.Buffer
		rec := slog.NewRecord(at, slog.LevelInfo, "request", 0)
		rec.AddAttrs(slog.String("method", method), slog.String("path", path),
			slog.Int("status", status), slog.Int("bytes", size),
			slog.Duration("dur", dur), slog.Int64("queries", queries))
		if err := slog.NewTextHandler(&want, nil).Handle(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		newTextLog(&got).request(at, method, path, status, size, dur, queries)
		if got.String() != want.String() {
			t.Errorf("path %q:\n got %q\nwant %q", path, got.String(), want.String())
		}
	}
}

// A textLog still writes every other record through the TextHandler,
// and no request line when INFO is not enabled.
func TestTextLogOtherRecords(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(newTextLog(&out))
	log.Warn("disk low", "free", 3)
	logRequest(context.Background(), log.Handler(), time.Now(), "GET", "/", 200, 5, time.Millisecond, 1)
	if !strings.Contains(out.String(), "level=WARN msg=\"disk low\" free=3\n") || !strings.Contains(out.String(), "msg=request method=GET path=/ status=200 bytes=5 dur=1ms queries=1\n") {
		t.Errorf("log:\n%s", out.String())
	}
	quiet := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn}))
	out.Reset()
	logRequest(context.Background(), quiet.Handler(), time.Now(), "GET", "/", 200, 5, time.Millisecond, 1)
	if out.Len() != 0 {
		t.Errorf("a request line at level WARN: %q", out.String())
	}
}

func BenchmarkRequestLine(b *testing.B) {
	const path = "/science-tech/cern-physicists-test-timing-detector-that-could-sharpen-view-of-particle-61"
	ctx := context.Background()
	b.Run("textLog", func(b *testing.B) {
		h := newTextLog(io.Discard)
		b.ReportAllocs()
		for b.Loop() {
			logRequest(ctx, h, time.Now(), "GET", path, 200, 5564, 74*time.Microsecond, 0)
		}
	})
	b.Run("TextHandler", func(b *testing.B) {
		h := slog.NewTextHandler(io.Discard, nil)
		b.ReportAllocs()
		for b.Loop() {
			logRequest(ctx, h, time.Now(), "GET", path, 200, 5564, 74*time.Microsecond, 0)
		}
	})
}
