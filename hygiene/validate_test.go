package hygiene

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

// TestRevalidate: validation may make a contact point invalid or
// normalise its value, but never clears evidence it did not produce, and
// leaves opt-outs exactly as they are.
func TestRevalidate(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	phone := func(raw, value string, status rapport.ContactStatus, reason string) rapport.ContactPoint {
		return rapport.ContactPoint{ID: "c", Kind: rapport.ContactPhone, Raw: raw, Value: value, Status: status,
			StatusReason: reason, StatusAt: at, LineType: rapport.LineFixedMobile, Region: "US"}
	}
	email := func(raw string, status rapport.ContactStatus, reason string) rapport.ContactPoint {
		return rapport.ContactPoint{ID: "e", Kind: rapport.ContactEmail, Raw: raw, Value: raw, Status: status, StatusReason: reason, StatusAt: at}
	}
	learned := func(cp rapport.ContactPoint, lt rapport.LineType) rapport.ContactPoint { cp.LineType = lt; return cp }
	for _, c := range []struct {
		name              string
		in                rapport.ContactPoint
		region            string
		rewrite, invalid  bool
		status            rapport.ContactStatus
		reason, wantValue string
	}{
		{"unchanged", phone("(512) 234-5678", "+15122345678", rapport.StatusValid, ""), "US", false, false, rapport.StatusValid, "", "+15122345678"},
		{"normalised anew", phone("(512) 234-5678", "", rapport.StatusUnverified, ""), "US", true, false, rapport.StatusUnverified, "", "+15122345678"},
		{"stale stays stale", phone("(512) 234-5678", "+15122345678", rapport.StatusStale, "no answer"), "US", false, false, rapport.StatusStale, "no answer", "+15122345678"},
		{"delivery's invalid stays", phone("(512) 234-5678", "+15122345678", rapport.StatusInvalid, "twilio error 30006"), "US", false, false, rapport.StatusInvalid, "twilio error 30006", "+15122345678"},
		{"learned landline stays", learned(phone("(512) 234-5678", "+15122345678", rapport.StatusValid, "Twilio Lookup 2026-03-02: landline"), rapport.LineLandline),
			"US", false, false, rapport.StatusValid, "", "+15122345678"},
		{"now invalid", email("ben at example", rapport.StatusUnverified, ""), "US", true, true, rapport.StatusInvalid, "", ""},
		{"opt-out untouched", email("ben at example", rapport.StatusOptedOut, "STOP"), "US", false, false, rapport.StatusOptedOut, "STOP", "ben at example"},
	} {
		got, what := revalidate(c.in, c.region)
		if what.rewrite != c.rewrite || what.invalidate != c.invalid || got.Status != c.status || got.Value != c.wantValue ||
			(c.reason != "" && got.StatusReason != c.reason) || (c.invalid && got.StatusReason == "") || (c.in.Value != "" && got.LineType != c.in.LineType) {
			t.Errorf("%s: %+v %+v", c.name, what, got)
		}
	}
}
