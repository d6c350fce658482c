package rapport_test

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

func TestMostRestrictive(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := func(pid string, d rapport.ConsentDecision, min int) rapport.Consent {
		return rapport.Consent{PatientID: rapport.PatientID(pid), Channel: rapport.ChannelSMS, Purpose: rapport.PurposeOutreach, Decision: d,
			RecordedAt: t0.Add(time.Duration(min) * time.Minute)}
	}
	tests := []struct {
		name  string
		lists [][]rapport.Consent
		want  bool
	}{
		{"no decisions", [][]rapport.Consent{nil, nil}, true},
		{"opt-out on the merged record holds", [][]rapport.Consent{nil, {c("b", rapport.OptOut, 0)}}, false},
		{"a later opt-in on the other record does not lift it", [][]rapport.Consent{{c("a", rapport.OptIn, 5)}, {c("b", rapport.OptOut, 0)}}, false},
		{"each record opted back in", [][]rapport.Consent{{c("a", rapport.OptOut, 0), c("a", rapport.OptIn, 1)}, {c("b", rapport.OptIn, 2)}}, true},
		{"one record alone keeps the latest-decision rule", [][]rapport.Consent{{c("a", rapport.OptOut, 0), c("a", rapport.OptIn, 1)}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rapport.Allowed(rapport.MostRestrictive(tt.lists...), rapport.ChannelSMS, rapport.PurposeOutreach)
			if got != tt.want {
				t.Errorf("allowed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestKeepEnrollment(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	older := &rapport.Enrollment{ID: "old", Status: rapport.EnrollmentActive, CreatedAt: t0}
	newer := &rapport.Enrollment{ID: "new", Status: rapport.EnrollmentActive, CreatedAt: t0.Add(time.Hour)}
	waiting := &rapport.Enrollment{ID: "wait", Status: rapport.EnrollmentWaiting, CreatedAt: t0.Add(2 * time.Hour)}
	for _, tt := range []struct {
		a, b *rapport.Enrollment
		keep string
	}{{older, newer, "old"}, {newer, older, "old"}, {older, waiting, "wait"}, {waiting, older, "wait"}} {
		if keep, end := rapport.KeepEnrollment(tt.a, tt.b); keep.ID != tt.keep || end == keep {
			t.Errorf("KeepEnrollment(%s, %s) kept %s, want %s", tt.a.ID, tt.b.ID, keep.ID, tt.keep)
		}
	}
}

func TestStepKey(t *testing.T) {
	t.Parallel()
	m := func(campaign, step string, ch rapport.Channel, to string) *rapport.Message {
		return &rapport.Message{Campaign: campaign, Step: step, Channel: ch, To: to}
	}
	if rapport.StepKey(m("c", "offer", rapport.ChannelEmail, "Ana@Example.org ")) != rapport.StepKey(m("c", "offer", rapport.ChannelEmail, "ana@example.org")) {
		t.Error("an email address in another case is another key")
	}
	for _, tt := range []*rapport.Message{m("", "offer", rapport.ChannelSMS, "+15122340001"), m("c", "", rapport.ChannelSMS, "+15122340001"), m("c", "offer", rapport.ChannelSMS, "")} {
		if k := rapport.StepKey(tt); k != "" {
			t.Errorf("StepKey(%+v) = %q, want none outside a campaign step", tt, k)
		}
	}
	if rapport.StepKey(m("c", "offer", rapport.ChannelSMS, "+15122340001")) == rapport.StepKey(m("c", "offer", rapport.ChannelVoice, "+15122340001")) {
		t.Error("a call after a failed text of the same step shares the text's key")
	}
}

func TestDuplicateCandidateValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []rapport.DuplicateCandidate{{A: "a"}, {A: "a", B: "a"}, {A: "a", B: "b", Probability: 1.5}} {
		if err := c.Validate(); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Errorf("Validate(%+v) = %v, want EINVALID", c, err)
		}
	}
}
