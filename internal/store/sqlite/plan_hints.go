package sqlite

import "strings"

// The planner's statistics are sampled (analysisLimit): on a large
// archive whose first thousand index entries are all published, they say
// that status = 'published' matches a thousand stories, and the planner
// then walks stories_status_modified and sorts the whole archive (five
// seconds for a front page at 100,000 stories). The lists that read
// "published, newest first" therefore name the index that is already in
// that order.

// publishedFrom is summaryFrom reading stories through the partial index
// in page order for a list filtered by section, by source, or neither.
func publishedFrom(sectionID, sourceID int64) string {
	idx := "stories_published"
	switch {
	case sectionID > 0:
		idx = "stories_section_published"
	case sourceID > 0:
		idx = "stories_source_published"
	}
	return strings.Replace(summaryFrom, "FROM stories s", "FROM stories s INDEXED BY "+idx, 1)
}
