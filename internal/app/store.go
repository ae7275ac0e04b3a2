package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"dateline/internal/config"
	"dateline/internal/store"
	"dateline/internal/store/postgres"
	"dateline/internal/store/sqlite"
)

// openStore opens the store the configuration names: PostgreSQL when
// --database-url is set, otherwise the SQLite file at --db. Either is
// created or migrated as needed.
func openStore(ctx context.Context, cfg *config.Config) (store.Store, error) {
	if cfg.DatabaseURL != "" {
		if !postgres.IsURL(cfg.DatabaseURL) {
			return nil, fmt.Errorf("--database-url: want a postgres:// or postgresql:// URL")
		}
		return postgres.Open(ctx, cfg.DatabaseURL, nil)
	}
	return sqlite.Open(ctx, cfg.DB, nil)
}

// storeName says which store the configuration names, for logs and
// messages: the file, or the PostgreSQL host and database without the
// password.
func storeName(cfg *config.Config) string {
	if cfg.DatabaseURL == "" {
		return cfg.DB
	}
	u, err := url.Parse(cfg.DatabaseURL)
	if err != nil {
		return "PostgreSQL"
	}
	return "postgres://" + u.Host + u.Path
}

// listener is a store that learns of changes made by other processes by
// holding a listening connection (PostgreSQL's LISTEN/NOTIFY) until ctx
// ends.
type listener interface {
	Listen(ctx context.Context, log *slog.Logger)
}

// analyzer is a store whose query planner wants its statistics refreshed
// after bulk changes and now and then (both stores have it; PostgreSQL's
// autovacuum also does it by itself).
type analyzer interface {
	Analyze(ctx context.Context) error
}

// analyze refreshes st's planner statistics when it keeps any.
func analyze(ctx context.Context, st store.Store) error {
	if a, ok := st.(analyzer); ok {
		return a.Analyze(ctx)
	}
	return nil
}
