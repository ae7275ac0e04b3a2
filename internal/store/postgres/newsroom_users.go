package postgres

import (
	"context"
	"fmt"
	"strings"

	"dateline/internal/store"
	"dateline/internal/store/sqlshare"
)

// The rest of the newsroom's accounts are shared (sqlshare); only the
// case-insensitive match on an email differs.

// UserByEmail matches without regard to case, on lower(email).
func (s *Store) UserByEmail(ctx context.Context, email string) (store.User, error) {
	u, err := sqlshare.ScanUser(s.readRow(ctx, "SELECT "+sqlshare.UserCols+" FROM users u WHERE lower(u.email) = lower(?)", strings.TrimSpace(email)))
	if err != nil {
		return u, fmt.Errorf("user %q: %w", email, mapErr(err))
	}
	return u, nil
}
