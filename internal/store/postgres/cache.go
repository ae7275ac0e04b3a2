package postgres

import (
	"context"
	"fmt"
)

// ContentVersion returns the counter the triggers of migration 0016 move
// on every change to public content.
func (s *Store) ContentVersion(ctx context.Context) (int64, error) {
	var n int64
	if err := s.readRow(ctx, "SELECT n FROM content_version WHERE id = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("content version: %w", err)
	}
	return n, nil
}
