package sqlshare

import (
	"database/sql"
	"strings"
	"time"
)

// Micro stores times as microseconds since the epoch, UTC, on both
// stores: cursors and comparisons are then exact integers.
func Micro(t time.Time) int64 { return t.UnixMicro() }

// NullMicro is Micro with the zero time stored as NULL.
func NullMicro(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// FromMicro reads a time stored by Micro or NullMicro.
func FromMicro(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}

// Placeholders returns "?, ?, ?" for n arguments.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Int64Args turns ids into statement arguments.
func Int64Args(ids []int64) []any {
	a := make([]any, len(ids))
	for i, id := range ids {
		a[i] = id
	}
	return a
}

// B2I stores a flag as the 0 or 1 both schemas keep.
func B2I(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NullID stores an optional reference: 0 (or less) is NULL.
func NullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id > 0}
}

// ClampLimit keeps a page size between 1 and 500, 20 when unset or wild.
func ClampLimit(n int) int {
	if n <= 0 || n > 500 {
		return 20
	}
	return n
}

// UnixHour is the hour bucket views are counted in.
func UnixHour(t time.Time) int64 { return t.Unix() / 3600 }

// repeatJoin is s n times, joined by ", ".
func repeatJoin(s string, n int) string {
	return strings.TrimSuffix(strings.Repeat(s+", ", n), ", ")
}
