package sqlshare

import "strings"

// The planner's statistics are sampled (SQLite's analysisLimit): on a
// large archive whose first thousand index entries are all published,
// they say that status = 'published' matches a thousand stories, and the
// planner then walks stories_status_modified and sorts the whole archive
// (five seconds for a front page at 100,000 stories). The lists that read
// "published, newest first" therefore name the index that is already in
// that order, where the dialect names indexes (Dialect.IndexedBy).
// PostgreSQL's planner finds the partial index by itself.

// PublishedFrom is SummaryFrom reading stories through the partial index
// in page order for a list filtered by section, by source, or neither.
func PublishedFrom(d Dialect, sectionID, sourceID int64) string {
	idx := "stories_published"
	switch {
	case sectionID > 0:
		idx = "stories_section_published"
	case sourceID > 0:
		idx = "stories_source_published"
	}
	return IndexedFrom(d, SummaryFrom, "stories s", idx)
}

// ListedFrom is SummaryFrom led by table (story_tags or story_bylines,
// as f) read through index, its rows in list order (migration 0023).
// CROSS JOIN keeps f the outer loop on SQLite, which takes the written
// order of a CROSS JOIN as given; the caller joins s.id = f.story_id in
// its WHERE. PostgreSQL plans a CROSS JOIN with that condition as any
// join.
func ListedFrom(d Dialect, table, index string) string {
	return strings.Replace(SummaryFrom, "FROM stories s", "FROM "+table+" f"+d.IndexedBy(index)+" CROSS JOIN stories s", 1)
}

// IndexedFrom is from with table (a name and its alias, as written in
// from) read through index where d names indexes.
func IndexedFrom(d Dialect, from, table, index string) string {
	hint := d.IndexedBy(index)
	if hint == "" {
		return from
	}
	return strings.Replace(from, "FROM "+table, "FROM "+table+hint, 1)
}
