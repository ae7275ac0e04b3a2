package site_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"dateline/internal/story"
	"dateline/internal/testutil"
)

// BenchmarkSitemapStories serves the article sitemap of n synthetic
// published stories (each with a picture and a 4 KB body, so rows spill
// onto overflow pages as real ones do). Besides time and allocations it
// reports the most live heap seen while the file streams out: flat from
// 2,000 to 20,000 stories when nothing grows with the file.
func BenchmarkSitemapStories(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h := syntheticSite(b, n)
			req := httptest.NewRequest(http.MethodGet, "/sitemap-stories-1.xml", nil)
			w := &sinkWriter{}
			h.ServeHTTP(w, req)
			if w.code != http.StatusOK || w.urls != n {
				b.Fatalf("status %d with %d URLs, want 200 and %d", w.code, w.urls, n)
			}
			m := &sinkWriter{sampleEvery: 256 << 10}
			m.baseline = liveHeap()
			h.ServeHTTP(m, req)
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(&sinkWriter{}, req)
			}
			// After the loop: b.Loop resets the timer, which drops metrics.
			b.ReportMetric(float64(m.peak-m.baseline)/1024, "peak-live-KB")
			b.ReportMetric(float64(w.bytes)/float64(n), "bytes/url")
		})
	}
}

// syntheticSite is an empty site filled with n published stories in one
// statement, far faster than n calls of CreateStory (which also index
// each story for search).
func syntheticSite(b *testing.B, n int) http.Handler {
	b.Helper()
	testutil.SkipOnPostgres(b, "fills the archive with SQLite's recursive CTE and printf")
	ts, err := testutil.NewSite(b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ts.Close() })
	ctx := context.Background()
	world, _ := ts.Store.SectionBySlug(ctx, "world")
	mid, err := ts.Store.CreateMedia(ctx, story.Media{Hash: "0123456789abcdef", Mime: "image/jpeg", Width: 2400, Height: 1350, Bytes: 1})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	_, err = ts.DB().ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO stories (slug, language, type, status, section_id, headline, body_json, lead_media_id,
			first_published_at, published_at, updated_at, created_at, modified_at)
		SELECT 'synthetic-story-number-' || i, 'en', 'news', 'published', ?, 'Synthetic story ' || i,
			'[]' || printf('%4000s', ''), ?, ? + i * 60000000, ? + i * 60000000, ? + i * 90000000, ?, ?
		FROM n`, n, world.ID, mid, start, start, start, start, start)
	if err != nil {
		b.Fatal(err)
	}
	return ts.Handler
}

// sinkWriter is a ResponseWriter that keeps nothing but counts; with
// sampleEvery set it also samples the live heap as the body streams.
type sinkWriter struct {
	header      http.Header
	code        int
	bytes, urls int
	tail        []byte // the last bytes written, for a <url> cut in two
	sampleEvery int
	sinceSample int
	baseline    uint64
	peak        uint64
}

func (w *sinkWriter) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}

func (w *sinkWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *sinkWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.bytes += len(p)
	w.urls += bytes.Count(append(w.tail, p[:min(len(p), 4)]...), []byte("<url>")) + bytes.Count(p, []byte("<url>"))
	w.tail = append(w.tail[:0], p[max(0, len(p)-4):]...)
	if w.sampleEvery > 0 {
		if w.sinceSample += len(p); w.sinceSample >= w.sampleEvery {
			w.sinceSample = 0
			w.peak = max(w.peak, liveHeap())
		}
	}
	return len(p), nil
}

// liveHeap is the heap still in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
