package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

// A token is checked while another transaction holds SQLite's one
// connection (a live feed's import), and the check sees what is committed:
// a token revoked is refused at once.
func TestTokenCheckBesideTheWriter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "rapport.db"), rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tok := &rapport.Token{Name: "crm-feed", Role: rapport.RoleIntegration}
	if err := db.CreateToken(ctx, tok, "hash-1"); err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		// The writer is held: a check on it would wait for this very
		// transaction, so only the deadline would end it.
		check, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		got, err := db.FindTokenByHash(check, "hash-1")
		if err != nil {
			t.Errorf("token check while a transaction runs: %v", err)
		} else if got.ID != tok.ID || got.Role != rapport.RoleIntegration {
			t.Errorf("token check found %+v, want %+v", got, tok)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindTokenByHash(ctx, "hash-1"); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
		t.Errorf("a revoked token checked: error %v, want EUNAUTHORIZED", err)
	}
}
