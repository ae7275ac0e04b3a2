package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// TestTxStmtNeedsNoSecondConnection: a transaction runs a statement the
// cache has not seen while every other connection of the pool is taken
// (as when the other writers wait for its lock). Preparing it for the
// cache through the pool would wait for a connection none will give
// back.
func TestTxStmtNeedsNoSecondConnection(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var held []*sql.Conn
	for range maxConns - 1 {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	d := dialect{s}
	if _, err := d.TxExec(tctx, tx, "INSERT INTO settings (key, value) VALUES (?, ?)", "tx_probe", "1"); err != nil {
		t.Fatalf("TxExec with the pool taken: %v", err)
	}
	var v string
	if err := d.TxQueryRow(tctx, tx, "SELECT value FROM settings WHERE key = ? AND 1 = 1", "tx_probe").Scan(&v); err != nil || v != "1" {
		t.Fatalf("TxQueryRow with the pool taken: %q %v", v, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, c := range held {
		c.Close()
	}
	// Once a connection is free, the statements reach the cache.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, ok, _ := s.stmts.lookup("INSERT INTO settings (key, value) VALUES (?, ?)")
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the statement never reached the cache")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
