package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// openPlanStore opens an empty store in a temporary directory, for
// reading the planner's choices.
func openPlanStore(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "plan.db"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// queryPlan returns the steps of SQLite's plan for sqlText on q.
func queryPlan(tb testing.TB, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, sqlText string, args ...any) []string {
	tb.Helper()
	rows, err := q.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+sqlText, args...)
	if err != nil {
		tb.Fatalf("%s: %v", sqlText, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			tb.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return plan
}
