package storetest

import (
	"slices"
	"testing"
	"time"

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
	as, err := s.db.FindAudit(s.ctx, rapport.AuditFilter{PatientID: "p1"})
	if err != nil || len(as) != 1 || as[0].Actor.Name != "ehr-push" || !as[0].At.Equal(Start) {
		t.Errorf("audit of p1: %+v %v", as, err)
	}
	if _, err := s.db.SQLDB().ExecContext(s.ctx, "DELETE FROM audit_log"); err == nil {
		t.Error("audit log entries could be deleted")
	}

	// Names are unique, a revoked token's included: the trail names actors by them.
	if err := s.db.CreateToken(s.ctx, &rapport.Token{Name: "ehr-push", Role: rapport.RoleStaff}, "hash-2"); rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Errorf("second token named ehr-push: %v, want a conflict", err)
	}
	testAuditFilter(t, s, actor)
}

// testAuditFilter reads the trail by patient, actor, time and page.
func testAuditFilter(t *testing.T, s suite, actor rapport.Actor) {
	other := rapport.Actor{ID: "cli", Name: "cli"}
	t0 := s.clock.Now()
	s.clock.Advance(time.Hour)
	if err := s.db.AppendAudit(s.ctx, rapport.Audit{Actor: other, Action: "read", Resource: "Report", PatientID: "p2"}); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(time.Hour)
	if err := s.db.AppendAudit(s.ctx, rapport.Audit{Actor: actor, Action: "update", Resource: "Patient/p2", PatientID: "p2"}); err != nil {
		t.Fatal(err)
	}
	all, err := s.db.FindAudit(s.ctx, rapport.AuditFilter{})
	if err != nil || len(all) != 4 {
		t.Fatalf("whole trail: %d entries, %v; want 4", len(all), err)
	}
	tests := []struct {
		name string
		f    rapport.AuditFilter
		want []string // resources
	}{
		{"patient", rapport.AuditFilter{PatientID: "p2"}, []string{"Report", "Patient/p2"}},
		{"actor by name", rapport.AuditFilter{Actor: actor.Name}, []string{"Patient/p1", "Patient", "Patient/p2"}},
		{"actor by id", rapport.AuditFilter{Actor: "cli"}, []string{"Report"}},
		{"since", rapport.AuditFilter{Since: t0.Add(time.Hour)}, []string{"Report", "Patient/p2"}},
		{"until", rapport.AuditFilter{Until: t0.Add(time.Hour)}, []string{"Patient/p1", "Patient"}},
		{"page", rapport.AuditFilter{After: all[0].Seq, Limit: 2}, []string{"Patient", "Report"}},
		{"patient and actor", rapport.AuditFilter{PatientID: "p2", Actor: "cli"}, []string{"Report"}},
	}
	for _, tt := range tests {
		got, err := s.db.FindAudit(s.ctx, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var res []string
		for _, a := range got {
			res = append(res, a.Resource)
		}
		if !slices.Equal(res, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, res, tt.want)
		}
	}
}
