package rapport_test

import (
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/rapporthq/rapport"
)

var cgNow = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

func daughter() rapport.Caregiver {
	return rapport.Caregiver{ID: "c1", PatientID: "p1", Given: "Rosa", Family: "Núñez",
		Relationship: rapport.Code{System: rapport.RoleCodeSystem, Code: "DAU", Display: "daughter"},
		Contacts:     []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: "+1 512 555 0142", Status: rapport.StatusUnverified, Source: rapport.SourceImport}},
		Scope:        rapport.ScopeReminders, Consent: rapport.ConsentGranted, ConsentAt: cgNow.Add(-time.Hour), ConsentSource: rapport.SourceStaff}
}

func TestCaregiverMayReceive(t *testing.T) {
	t.Parallel()
	conv := daughter()
	conv.Scope = rapport.ScopeConversation
	unconsented := daughter()
	unconsented.Consent, unconsented.ConsentAt, unconsented.ConsentSource = rapport.ConsentNotRecorded, time.Time{}, ""
	refused := daughter()
	refused.Consent = rapport.ConsentRefused
	revoked := conv
	revoked.RevokedAt, revoked.RevokedBy = cgNow.Add(-time.Minute), rapport.SourcePatient
	ended := conv
	ended.PeriodEnd = cgNow
	notYet := conv
	notYet.PeriodStart = cgNow.Add(time.Second)
	stopped := conv
	stopped.OptedOutAt = cgNow.Add(-time.Minute)
	tests := []struct {
		name string
		c    rapport.Caregiver
		want map[rapport.ProxyMessage]bool // kinds not listed: false
	}{
		{"reminders scope", daughter(), map[rapport.ProxyMessage]bool{rapport.ProxyDoseReminder: true, rapport.ProxyRefillReminder: true, rapport.ProxyMissedDose: true}},
		{"conversation scope", conv, map[rapport.ProxyMessage]bool{rapport.ProxyDoseReminder: true, rapport.ProxyRefillReminder: true, rapport.ProxyMissedDose: true,
			rapport.ProxyCheckIn: true, rapport.ProxyConversation: true}},
		{"consent not recorded", unconsented, nil},
		{"consent refused", refused, nil},
		{"revoked", revoked, nil},
		{"period ended at now", ended, nil},
		{"period not begun", notYet, nil},
		{"caregiver texted STOP", stopped, nil},
	}
	kinds := []rapport.ProxyMessage{rapport.ProxyDoseReminder, rapport.ProxyRefillReminder, rapport.ProxyMissedDose,
		rapport.ProxyCheckIn, rapport.ProxyConversation, "survey"}
	for _, tc := range tests {
		for _, k := range kinds {
			if got := tc.c.MayReceive(k, cgNow); got != tc.want[k] {
				t.Errorf("%s: MayReceive(%s) = %v, want %v", tc.name, k, got, tc.want[k])
			}
		}
	}
}

// TestScopeNesting: whatever a reminders-only caregiver may receive, a
// conversation caregiver may too, and an unknown scope allows nothing.
func TestScopeNesting(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		k := rapport.ProxyMessage(rapid.SampledFrom([]string{"dose_reminder", "refill_reminder", "missed_dose", "check_in", "conversation", "x"}).Draw(t, "kind"))
		if rapport.ScopeReminders.Allows(k) && !rapport.ScopeConversation.Allows(k) {
			t.Fatalf("%s allowed for reminders but not conversation", k)
		}
		if rapport.CaregiverScope(rapid.String().Draw(t, "scope") + "?").Allows(k) {
			t.Fatalf("unknown scope allows %s", k)
		}
	})
}

func TestCaregiverValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(c *rapport.Caregiver)
		field string // "" when valid
	}{
		{"valid", func(c *rapport.Caregiver) {}, ""},
		{"no patient", func(c *rapport.Caregiver) { c.PatientID = "" }, "patient_id"},
		{"no name, no contact", func(c *rapport.Caregiver) { c.Given, c.Family, c.Contacts = "", "", nil }, "name"},
		{"name only", func(c *rapport.Caregiver) { c.Contacts = nil }, ""},
		{"no relationship", func(c *rapport.Caregiver) { c.Relationship = rapport.Code{} }, "relationship"},
		{"display only relationship", func(c *rapport.Caregiver) { c.Relationship = rapport.Code{Display: "aunt"} }, ""},
		{"bad role code", func(c *rapport.Caregiver) { c.Relationship.Code = "daughter" }, "relationship"},
		{"other system", func(c *rapport.Caregiver) { c.Relationship = rapport.Code{System: "urn:crm", Code: "daughter"} }, ""},
		{"region in language", func(c *rapport.Caregiver) { c.Language = "es-MX" }, "language"},
		{"no language", func(c *rapport.Caregiver) { c.Language = "" }, ""},
		{"bad scope", func(c *rapport.Caregiver) { c.Scope = "everything" }, "scope"},
		{"empty scope", func(c *rapport.Caregiver) { c.Scope = "" }, "scope"},
		{"bad consent", func(c *rapport.Caregiver) { c.Consent = "yes" }, "consent"},
		{"granted without time", func(c *rapport.Caregiver) { c.ConsentAt = time.Time{} }, "consent_at"},
		{"granted without source", func(c *rapport.Caregiver) { c.ConsentSource = "" }, "consent_source"},
		{"period backwards", func(c *rapport.Caregiver) { c.PeriodStart, c.PeriodEnd = cgNow, cgNow.Add(-time.Hour) }, "period"},
		{"revoked without who", func(c *rapport.Caregiver) { c.RevokedAt = cgNow }, "revoked_by"},
		{"who without revoked", func(c *rapport.Caregiver) { c.RevokedBy = rapport.SourceStaff }, "revoked_by"},
		{"revoked by a stranger", func(c *rapport.Caregiver) { c.RevokedAt, c.RevokedBy = cgNow, "hygiene" }, "revoked_by"},
		{"revoked by staff", func(c *rapport.Caregiver) { c.RevokedAt, c.RevokedBy = cgNow, rapport.SourceStaff }, ""},
		{"bad contact", func(c *rapport.Caregiver) { c.Contacts[0].Kind = "fax" }, "contacts[0]"},
	}
	for _, tc := range tests {
		c := daughter()
		tc.edit(&c)
		err := c.Validate()
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (rapport.ErrorCode(err) != rapport.EINVALID || !strings.HasPrefix(rapport.ErrorMessage(err), tc.field+":")):
			t.Errorf("%s: err = %v, want EINVALID naming %s", tc.name, err, tc.field)
		}
	}
}

func TestCaregiverRevoke(t *testing.T) {
	t.Parallel()
	c := daughter()
	if err := c.Revoke(cgNow, "neighbour", ""); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Errorf("revoke by an unknown party: %v", err)
	}
	if err := c.Revoke(cgNow, rapport.SourcePatient, "asked by text"); err != nil {
		t.Fatal(err)
	}
	if !c.Revoked() || c.RevokedBy != rapport.SourcePatient || c.Validate() != nil || c.MayReceive(rapport.ProxyDoseReminder, cgNow) {
		t.Errorf("after revoke: %+v", c)
	}
	if err := c.Revoke(cgNow.Add(time.Hour), rapport.SourceStaff, ""); rapport.ErrorCode(err) != rapport.ECONFLICT || !c.RevokedAt.Equal(cgNow) {
		t.Errorf("second revoke: %v, revoked at %v", err, c.RevokedAt)
	}
}

func TestCaregiverReimported(t *testing.T) {
	t.Parallel()
	imported := func() rapport.Caregiver {
		c := daughter()
		c.ID, c.Consent, c.ConsentAt, c.ConsentSource = "", rapport.ConsentNotRecorded, time.Time{}, ""
		return c
	}
	byPatient := daughter()
	byPatient.RevokedAt, byPatient.RevokedBy = cgNow.Add(-time.Hour), rapport.SourcePatient
	byImport := daughter()
	byImport.RevokedAt, byImport.RevokedBy = cgNow.Add(-time.Hour), rapport.SourceImport
	inactive := imported()
	inactive.RevokedAt, inactive.RevokedBy = cgNow, rapport.SourceImport
	moved := imported()
	moved.PatientID = "p2"
	statesConsent := imported()
	statesConsent.Consent, statesConsent.ConsentAt, statesConsent.ConsentSource = rapport.ConsentGranted, cgNow, rapport.SourceImport

	tests := []struct {
		name        string
		in          rapport.Caregiver
		old         rapport.Caregiver
		revokedAt   time.Time
		consent     rapport.CaregiverConsent
		consentFrom rapport.ContactSource
	}{
		{"staff consent kept over an unstated one", imported(), daughter(), time.Time{}, rapport.ConsentGranted, rapport.SourceStaff},
		{"source's stated consent wins", statesConsent, daughter(), time.Time{}, rapport.ConsentGranted, rapport.SourceImport},
		{"patient's revocation survives an active record", imported(), byPatient, byPatient.RevokedAt, rapport.ConsentGranted, rapport.SourceStaff},
		{"source lifts its own revocation", imported(), byImport, time.Time{}, rapport.ConsentGranted, rapport.SourceStaff},
		{"still inactive keeps the first revocation time", inactive, byImport, byImport.RevokedAt, rapport.ConsentGranted, rapport.SourceStaff},
		{"another patient's caregiver now: nothing carries over", moved, byPatient, time.Time{}, rapport.ConsentNotRecorded, ""},
	}
	for _, tc := range tests {
		got := tc.in.Reimported(&tc.old)
		if got.ID != tc.old.ID || !got.RevokedAt.Equal(tc.revokedAt) || got.Consent != tc.consent || got.ConsentSource != tc.consentFrom {
			t.Errorf("%s: got id %q revoked %v consent %s from %s", tc.name, got.ID, got.RevokedAt, got.Consent, got.ConsentSource)
		}
	}
	// The caregiver's own STOP survives a re-import, for whichever patient.
	for _, in := range []rapport.Caregiver{imported(), moved} {
		old := daughter()
		old.OptedOutAt = cgNow.Add(-time.Hour)
		if got := in.Reimported(&old); !got.OptedOutAt.Equal(old.OptedOutAt) {
			t.Errorf("patient %s: re-import lost the caregiver's opt-out", in.PatientID)
		}
	}
}

// TestReimportNeverLiftsAPatientsRevocation: whatever the source sends
// again, a caregiver the patient or staff revoked stays revoked as they
// left it, and a consent they recorded stays unless the source states one.
func TestReimportNeverLiftsAPatientsRevocation(t *testing.T) {
	t.Parallel()
	sources := []rapport.ContactSource{rapport.SourceImport, rapport.SourcePatient, rapport.SourceStaff}
	consents := []rapport.CaregiverConsent{rapport.ConsentNotRecorded, rapport.ConsentGranted, rapport.ConsentRefused}
	rapid.Check(t, func(t *rapid.T) {
		old := daughter()
		old.Consent = rapid.SampledFrom(consents).Draw(t, "old consent")
		old.ConsentSource = rapid.SampledFrom(sources).Draw(t, "old consent source")
		if rapid.Bool().Draw(t, "old revoked") {
			old.RevokedAt = cgNow.Add(-time.Duration(rapid.IntRange(1, 1000).Draw(t, "hours ago")) * time.Hour)
			old.RevokedBy = rapid.SampledFrom(sources).Draw(t, "revoked by")
		}
		in := daughter()
		in.ID, in.Scope = "", rapid.SampledFrom([]rapport.CaregiverScope{rapport.ScopeReminders, rapport.ScopeConversation}).Draw(t, "scope")
		in.Consent, in.ConsentSource = rapid.SampledFrom([]rapport.CaregiverConsent{rapport.ConsentNotRecorded, rapport.ConsentGranted}).Draw(t, "new consent"), rapport.SourceImport
		if rapid.Bool().Draw(t, "inactive now") {
			in.RevokedAt, in.RevokedBy = cgNow, rapport.SourceImport
		}
		got := in.Reimported(&old)
		if got.ID != old.ID {
			t.Fatalf("id %q, want %q", got.ID, old.ID)
		}
		if old.Revoked() && old.RevokedBy != rapport.SourceImport && (!got.RevokedAt.Equal(old.RevokedAt) || got.RevokedBy != old.RevokedBy) {
			t.Fatalf("revocation by %s at %v became %s at %v", old.RevokedBy, old.RevokedAt, got.RevokedBy, got.RevokedAt)
		}
		if in.Consent == rapport.ConsentNotRecorded && old.Consent != rapport.ConsentNotRecorded && old.ConsentSource != rapport.SourceImport &&
			(got.Consent != old.Consent || got.ConsentSource != old.ConsentSource) {
			t.Fatalf("consent %s by %s became %s by %s", old.Consent, old.ConsentSource, got.Consent, got.ConsentSource)
		}
		if got.Scope != in.Scope {
			t.Fatalf("scope %s, want the source's %s", got.Scope, in.Scope)
		}
	})
}
