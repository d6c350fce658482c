package storetest

import (
	"testing"

	"github.com/rapporthq/rapport"
)

func testTokensAndAudit(t *testing.T, s suite) {
	tok := &rapport.Token{Name: "ehr-push", Role: rapport.RoleIntegration}
	if err := s.db.CreateToken(s.ctx, tok, "hash-1"); err != nil {
		t.Fatal(err)
	}
	got, err := s.db.FindTokenByHash(s.ctx, "hash-1")
	if err != nil || got.ID != tok.ID || got.Role != rapport.RoleIntegration {
		t.Fatalf("find token: %+v %v", got, err)
	}
	if _, err := s.db.FindTokenByHash(s.ctx, "other"); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
		t.Errorf("unknown hash: %v", err)
	}
	if err := s.db.RevokeToken(s.ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.FindTokenByHash(s.ctx, "hash-1"); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
		t.Errorf("revoked token still works: %v", err)
	}
	if err := s.db.RevokeToken(s.ctx, tok.ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
		t.Errorf("second revoke: %v", err)
	}

	actor := rapport.Actor{ID: tok.ID, Name: tok.Name, Role: tok.Role}
	if err := s.db.AppendAudit(s.ctx, rapport.Audit{Actor: actor, Action: "read", Resource: "Patient/p1", PatientID: "p1"},
		rapport.Audit{Actor: actor, Action: "search", Resource: "Patient"}); err != nil {
		t.Fatal(err)
	}
	as, err := s.db.FindAudit(s.ctx, "p1", 0)
	if err != nil || len(as) != 1 || as[0].Actor.Name != "ehr-push" || !as[0].At.Equal(Start) {
		t.Errorf("audit of p1: %+v %v", as, err)
	}
	if _, err := s.db.SQLDB().ExecContext(s.ctx, "DELETE FROM audit_log"); err == nil {
		t.Error("audit log entries could be deleted")
	}
}
