package ingest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"dateline/internal/store/sqlite"
	"dateline/internal/story"
	"dateline/internal/wire/ingest"
)

// g2Item makes a NewsML-G2 news item of about 3 KB, like a short agency story.
func g2Item(i int) []byte {
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:bench.test:%d" version="1" standard="NewsML-G2" xml:lang="en">
<itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:BW"><name>Bench Wire</name></provider>
<versionCreated>2026-01-01T09:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
<contentMeta><urgency>4</urgency><located><name>Ankara</name></located><creator><name>Ayşe Demir</name></creator>
<subject qcode="medtop:04000000"><name>economy</name></subject><keyword>markets</keyword><keyword>trade %d</keyword>
<headline>Markets steady as traders weigh rate outlook, item %d</headline><creditline>BW</creditline></contentMeta>
<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>
<p>Stocks moved little on the day as investors waited for the central bank's decision, with volumes thin across the region and bond yields unchanged from the previous close in item %d.</p>
<p>Analysts said the <strong>currency</strong> held its ground after a week of swings, and that exporters had sold dollars at the higher levels reached on Monday.</p>
<h2>Outlook</h2>
<p>Economists polled this week expect the bank to hold its main rate, citing slowing inflation, firm wages and the <a href="https://example.org/report">latest report</a> from the statistics office.</p>
<ul><li>Shares: flat</li><li>Bonds: steady</li><li>Currency: firmer</li></ul>
<p>Trading volumes are expected to pick up next week when companies begin to publish their quarterly results.</p>
</body></html></inlineXML></contentSet></newsItem>`, i, i%50, i, i)
}

// BenchmarkIngestNewsMLG2 imports b.N distinct NewsML-G2 items into a
// fresh SQLite store, each in its own transaction, and reports items per
// second. bench/RESULTS.md records a run with -benchtime=10000x.
func BenchmarkIngestNewsMLG2(b *testing.B) { benchIngest(b, true, false) }

// BenchmarkIngestNewsMLG2Bulk is the same as a bulk import runs it: the
// related stories are left to one rebuild at the end (DeferRelated and
// Finish, which is timed too).
func BenchmarkIngestNewsMLG2Bulk(b *testing.B) { benchIngest(b, true, true) }

// BenchmarkIngestNewsMLG2Queue is the same without --publish: the items
// wait in the wire queue, so no story is written or indexed.
func BenchmarkIngestNewsMLG2Queue(b *testing.B) { benchIngest(b, false, false) }

func benchIngest(b *testing.B, publish, bulk bool) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CreateSection(ctx, story.Section{Slug: "business", Name: "Business"}); err != nil {
		b.Fatal(err)
	}
	im, err := ingest.New(ctx, ingest.Options{Store: st, Source: "BW", Publish: publish, DeferRelated: bulk})
	if err != nil {
		b.Fatal(err)
	}
	files := make([][]byte, b.N)
	for i := range files {
		files[i] = g2Item(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := im.Import(ctx, files[i])
		if err != nil || len(res) != 1 || (res[0].Outcome != "imported" && res[0].Outcome != "queued") {
			b.Fatalf("item %d: %+v %v", i, res, err)
		}
	}
	if n, err := im.Finish(ctx); err != nil || bulk && n != b.N {
		b.Fatalf("finish: %d stories related, %v", n, err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}
