package postgres

import (
	"context"
	"database/sql"

	"dateline/internal/store/sqlshare"
	"dateline/internal/story"
)

// termCounts is the term bookkeeping (sqlshare/search_terms.go) that the
// shared related lists build on, in this store's dialect.
var termCounts = sqlshare.Search{Counted: sqlshare.CountedTerms, Recount: recount, BodyText: sqlshare.BodyText, EncodeIDs: sqlshare.EncodeIDs}

func recount(ctx context.Context, tx *sql.Tx, id int64, terms []string) (map[string]int, int, error) {
	return sqlshare.Recount(ctx, dialect{}, tx, id, terms)
}

// searchHooks is all the shared code needs of this store's full-text
// search: the term counts and the index a story save updates. A function,
// since indexStory reaches txCore, which is built from termCounts.
func searchHooks() sqlshare.Search {
	s := termCounts
	s.Index = indexStory
	return s
}

// txCore runs shared code that works only inside a transaction it is
// given, where no Store is at hand (indexStory relating a story). It has
// no database and no statement cache: what it runs takes neither.
var txCore = sqlshare.NewCore(nil, nil, dialect{}, termCounts)

// relateStory keeps the related lists current after st was written in tx
// (sqlshare.Core.RelateStory).
func relateStory(ctx context.Context, tx *sql.Tx, st *story.Story) error {
	return txCore.RelateStory(ctx, tx, st)
}
