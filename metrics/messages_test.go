package metrics_test

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

// TestQuietHoursViolation: a message sent at night counts unless it is a
// compliance message or urgent care; urgent outreach counts, since only
// care may skip quiet hours.
func TestQuietHoursViolation(t *testing.T) {
	t.Parallel()
	night := time.Date(2026, 3, 4, 8, 30, 0, 0, time.UTC) // 02:30 in Chicago
	day := time.Date(2026, 3, 4, 16, 0, 0, 0, time.UTC)   // 10:00 in Chicago
	care, outreach := rapport.PurposeCare, rapport.PurposeOutreach
	cases := []struct {
		name               string
		purpose            rapport.Purpose
		urgent, compliance bool
		at                 time.Time
		want               bool
	}{
		{"outreach by day", outreach, false, false, day, false},
		{"outreach at night", outreach, false, false, night, true},
		{"urgent care at night", care, true, false, night, false},
		{"urgent outreach at night", outreach, true, false, night, true},
		{"compliance at night", care, false, true, night, false},
		{"care at night", care, false, false, night, true},
		{"not sent", outreach, true, false, time.Time{}, false},
	}
	for _, c := range cases {
		m := store.SentMessage{Channel: rapport.ChannelEmail, To: "a@example.org", Purpose: c.purpose, Urgent: c.urgent,
			Compliance: c.compliance, SentAt: c.at, TimeZone: "America/Chicago"}
		if got := metrics.QuietHoursViolation(m, rules.DefaultWindow, "America/Chicago"); got != c.want {
			t.Errorf("%s: violation %v, want %v", c.name, got, c.want)
		}
	}
}

// TestQuietHoursViolationZonesDiffer: a text at 07:30 in Los Angeles to a
// +1 208 number (Boise's zone and Los Angeles') with no zone or ZIP on
// record is counted, though the organisation's Chicago was awake.
func TestQuietHoursViolationZonesDiffer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		at   time.Time
		zip  string
		want bool
	}{
		{"07:30 Pacific", time.Date(2026, 3, 3, 15, 30, 0, 0, time.UTC), "", true},
		{"08:00 Pacific", time.Date(2026, 3, 3, 16, 0, 0, 0, time.UTC), "", false},
		{"20:30 Pacific, 21:30 Mountain", time.Date(2026, 3, 4, 4, 30, 0, 0, time.UTC), "", true},
		{"07:30 Pacific, ZIP in Boise", time.Date(2026, 3, 3, 15, 30, 0, 0, time.UTC), "83702", false},
	}
	for _, c := range cases {
		m := store.SentMessage{Channel: rapport.ChannelSMS, To: "+12085550123", Purpose: rapport.PurposeOutreach, SentAt: c.at, PostalCode: c.zip}
		if got := metrics.QuietHoursViolation(m, rules.DefaultWindow, "America/Chicago"); got != c.want {
			t.Errorf("%s: violation %v, want %v", c.name, got, c.want)
		}
	}
}
