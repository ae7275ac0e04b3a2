package sqlite

import (
	"context"
	"fmt"
)

// analysisLimit is how many rows of each index ANALYZE samples: enough
// for the planner to see that status = 'published' matches most stories,
// and quick on an archive of a million.
const analysisLimit = 1000

// Analyze refreshes the query planner's statistics. Without them SQLite
// guesses that an equality such as status = 'published' is selective,
// picks the index on (status, modified_at) and sorts the whole archive
// for a front page; with them it walks the index that is already in
// page order. It is run at open when the store has never been analysed,
// after the demo fill, and periodically by the server.
func (s *Store) Analyze(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA analysis_limit = %d", analysisLimit)); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// analyzeIfNever runs Analyze when the store holds no statistics yet but
// already a real archive. An empty or small store is left alone: figures
// taken from empty tables would tell the planner that scanning the
// stories is free, which stays wrong until the next analysis.
func (s *Store) analyzeIfNever(ctx context.Context) error {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").Scan(&n); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if n > 0 {
		return nil
	}
	var stories int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM stories LIMIT 1000)").Scan(&stories); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if stories < 1000 {
		return nil
	}
	return s.Analyze(ctx)
}
