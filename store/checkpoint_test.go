package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

// TestBackgroundCheckpoint: pages a transaction commits reach the database
// file without the writer checkpointing (the WAL holds far fewer than
// writerCheckpointPages), and closing the database leaves no WAL behind.
func TestBackgroundCheckpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	db, err := Open(ctx, "sqlite:"+path, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	size := func() int64 {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	if _, err := db.q.exec(ctx, "CREATE TABLE t (b BLOB)"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for size() < pageSize*2 { // the new table reaches the file first
		if time.Now().After(deadline) {
			t.Fatalf("a created table never reached the database file (%d bytes)", size())
		}
		time.Sleep(10 * time.Millisecond)
	}
	before := size()
	const pages = 200 // far below writerCheckpointPages
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for range pages {
		if _, err := tx.q.exec(ctx, "INSERT INTO t VALUES (zeroblob(?))", pageSize); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for size() < before+pages*pageSize {
		if time.Now().After(deadline) {
			t.Fatalf("committed pages never reached the database file: %d bytes, want ≥ %d", size(), before+pages*pageSize)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("after Close the WAL is still there (%v)", err)
	}
}
