package sqlite

import "dateline/internal/store/sqlshare"

// publishedFrom is summaryFrom reading stories through the partial index
// in page order for a list filtered by section, by source, or neither
// (why SQLite needs the index named: sqlshare.PublishedFrom).
func publishedFrom(sectionID, sourceID int64) string {
	return sqlshare.PublishedFrom(dialect{}, sectionID, sourceID)
}
