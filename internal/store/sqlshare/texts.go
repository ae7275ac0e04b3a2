package sqlshare

// texts are the statements and fragments whose text depends on the
// dialect, built once when a store opens: a page pays for no string
// building that the stores' constant SQL did not make it pay for before.
type texts struct {
	d Dialect
	// published is PublishedFrom for a list filtered by neither, by a
	// section, by a source.
	published [3]string
	breaking  string
	// listedTags and listedBylines are ListedFrom for a tag's and an
	// author's list.
	listedTags, listedBylines string
	// batchStories and batchChildren are StoriesByID's two statements.
	batchStories, batchChildren string
	// story is Story's statement: the story and its children packed.
	story string
}

func newTexts(d Dialect) *texts {
	t := &texts{d: d}
	for i, f := range [][2]int64{{0, 0}, {1, 0}, {0, 1}} {
		t.published[i] = PublishedFrom(d, f[0], f[1])
	}
	t.listedTags = ListedFrom(d, "story_tags", "story_tags_listed")
	t.listedBylines = ListedFrom(d, "story_bylines", "story_bylines_listed")
	// The partial index holds the few stories ever marked breaking.
	t.breaking = "SELECT " + SummaryCols + IndexedFrom(d, SummaryFrom, "stories s", "stories_breaking") +
		" WHERE s.status = 'published' AND s.breaking_until > ? ORDER BY s.first_published_at DESC LIMIT 1"
	t.story = "SELECT " + SummaryCols + storyExtraCols + ", " + packedChildren("s.id") + SummaryFrom + " WHERE s.id = ?"
	t.batchStories = "SELECT " + SummaryCols + storyExtraCols + SummaryFrom + `
		WHERE s.status = 'published' AND s.id IN (` + d.JSONIDs("?") + ")"
	t.batchChildren = `
		WITH ids(id) AS (` + d.JSONIDs("?1") + `)
		SELECT b.story_id, 'b', b.position, coalesce(b.author_id, 0), coalesce(a.slug, ''), b.name, 0
			FROM story_bylines b LEFT JOIN authors a ON a.id = b.author_id WHERE b.story_id IN (SELECT id FROM ids)
		UNION ALL SELECT st.story_id, 't', st.position, t.id, t.slug, t.name, 0
			FROM story_tags st JOIN tags t ON t.id = st.tag_id WHERE st.story_id IN (SELECT id FROM ids)
		UNION ALL SELECT story_id, 'r', position, related_id, '', '', 0
			FROM story_related WHERE story_id IN (SELECT id FROM ids)
		UNION ALL SELECT story_id, 'n', id, 0, kind, text, at
			FROM story_notes WHERE story_id IN (SELECT id FROM ids)
		ORDER BY 1, 2, 3`
	return t
}

// publishedFrom is PublishedFrom, already built.
func (t *texts) publishedFrom(sectionID, sourceID int64) string {
	switch {
	case sectionID > 0:
		return t.published[1]
	case sourceID > 0:
		return t.published[2]
	}
	return t.published[0]
}

// listedFrom is ListedFrom, already built.
func (t *texts) listedFrom(table string) string {
	if table == "story_tags" {
		return t.listedTags
	}
	return t.listedBylines
}
