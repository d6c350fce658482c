package e2e

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
)

// TestImportKilled kills `rapport import fhir` with SIGKILL once it has
// written part of a file (issue 16: crash safety, all or nothing per file):
// first a first import (on SQLite a bulk load, which drops indexes inside
// its transaction and builds them at the end), then a nightly delta into
// what the first import left. Each time the database must be as it was
// before the command, indexes and all; the same command run again imports
// the whole file, and once more finds every record unchanged.
func TestImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs rapport import as a process and kills it")
	}
	t.Parallel()
	f := writeSyncFiles(t, 40000, 8000)
	base, delta := f.base, f.delta
	baseN, freshN, deltaN := lineCount(t, base), lineCount(t, f.fresh), lineCount(t, delta)

	onEachDatabase(t, func(t *testing.T, dsn string) {
		env := append(proctest.Env(), "RAPPORT_DB="+dsn)
		rapportCmd(t, env, "migrate")

		// Killed early, and again once a good part of the file is written
		// (the first import of these 41,264 patients grows SQLite's WAL to
		// ~90 MB and PostgreSQL's database by ~91 MB; the delta ~58 and ~20).
		kills := []int64{1 << 20, 16 << 20}
		if strings.HasPrefix(dsn, "postgres") {
			kills = []int64{1 << 20, 8 << 20}
		}
		for _, step := range []struct {
			file                        string
			created, updated, unchanged int
		}{{base, baseN, 0, 0}, {delta, freshN, deltaN - freshN, 0}} {
			before := snapshotDB(t, dsn)
			for _, at := range kills {
				killImport(t, env, dsn, step.file, at)
				if got := snapshotDB(t, dsn); got != before {
					t.Fatalf("%s killed after %d MB written: the database changed:\n got %s\nwant %s", filepath.Base(step.file), at>>20, got, before)
				}
			}
			wantCounts(t, rapportCmd(t, env, "import", "fhir", step.file), step.created, step.updated, step.unchanged)
			if snapshotDB(t, dsn) == before {
				t.Fatalf("%s imported whole: the database looks as before", filepath.Base(step.file))
			}
		}
		wantCounts(t, rapportCmd(t, env, "import", "fhir", delta), 0, 0, deltaN)
	})
}

// killImport starts `rapport import fhir file`, waits until its
// transaction has written n bytes to the database (SQLite: pages spilled to
// the WAL; PostgreSQL: the database's files grown), and kills it with
// SIGKILL. It fails t if the import ends first.
func killImport(t *testing.T, env []string, dsn, file string, n int64) {
	t.Helper()
	cmd := exec.Command(proctest.Binary(t), "import", "fhir", file)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	written, stop := importWriting(t, dsn, n)
	defer stop()
	deadline := time.Now().Add(2 * time.Minute)
	for !written() {
		select {
		case err := <-done:
			t.Fatalf("the import ended (%v) before it was seen writing; a larger file is needed: %s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the import was not seen writing within 2 minutes: %s", out.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err == nil {
		t.Fatalf("the import finished before SIGKILL reached it: %s", out.String())
	}
}

// importWriting returns a check of whether another connection's
// transaction has written n bytes to the database at dsn, and what ends
// it. On SQLite nobody else holds the file open: the last connection
// checkpointed and removed the WAL, so what is in it is the import's.
func importWriting(t *testing.T, dsn string, n int64) (written func() bool, stop func()) {
	t.Helper()
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		wal := func() int64 {
			fi, err := os.Stat(path + "-wal")
			if err != nil {
				return 0
			}
			return fi.Size()
		}
		if size := wal(); size >= n {
			t.Fatalf("the WAL holds %d bytes before the import starts", size)
		}
		return func() bool { return wal() >= n }, func() {}
	}
	db := openDB(t, dsn)
	size := func() int64 {
		var n int64
		if err := db.SQLDB().QueryRow("SELECT pg_database_size(current_database())").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	start := size()
	return func() bool { return size()-start >= n }, func() { db.Close() }
}

// snapshotDB describes what an import writes: the rows of each table it
// writes and a digest of the patients' contact points, and on SQLite the
// schema's indexes and the file's integrity check.
func snapshotDB(t *testing.T, dsn string) string {
	t.Helper()
	db := openDB(t, dsn)
	defer db.Close()
	var b strings.Builder
	for _, table := range []string{"patients", "patient_identifiers", "contact_points", "shared_values", "source_records", "ledger", "audit_log"} {
		fmt.Fprintf(&b, "%s=%d ", table, countRows(t, db, table))
	}
	rows, err := db.SQLDB().Query("SELECT patient_id, kind, value, status FROM contact_points ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for rows.Next() {
		var pid, kind, value, status string
		if err := rows.Scan(&pid, &kind, &value, &status); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s|%s|%s|%s\n", pid, kind, value, status)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "contacts=%x", h.Sum(nil)[:8])
	if db.Dialect() == store.SQLite {
		var names, check string
		if err := db.SQLDB().QueryRow("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name)").Scan(&names); err != nil {
			t.Fatal(err)
		}
		if err := db.SQLDB().QueryRow("PRAGMA integrity_check").Scan(&check); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, " integrity=%s indexes=%x", check, sha256.Sum256([]byte(names)))
	}
	return b.String()
}
