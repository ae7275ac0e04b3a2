package sqlite

import (
	"context"
	"fmt"
	"time"
)

// ContentVersion returns the counter the triggers of migration 0016 move
// on every change to public content.
// A version read less than versionTTL ago, with no commit by this
// process since, is answered from memory (cache_memo.go).
func (s *Store) ContentVersion(ctx context.Context) (int64, error) {
	n, commits, ok := s.rememberedVersion()
	if ok {
		return n, nil
	}
	at := time.Now()
	if err := s.readRow(ctx, "SELECT n FROM content_version WHERE id = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("content version: %w", err)
	}
	s.remember(n, commits, at)
	return n, nil
}
