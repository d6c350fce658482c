package messaging_test

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/duplicates"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// TestMergedPatientIsReachedAsOne: after B is merged into A, A is reached
// at B's number too, an opt-out recorded on B holds for A, and a message
// asked for B (an old reference) is not sent.
func TestMergedPatientIsReachedAsOne(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		phone := freshNumber()
		a := h.patient("en", email("rosa@example.org"))
		b := h.patient("en", mobile(phone))
		h.tx(func(tx *store.Tx) error {
			return tx.RecordConsent(h.ctx, &rapport.Consent{PatientID: b.ID, Channel: rapport.ChannelSMS, Purpose: rapport.PurposeOutreach,
				Decision: rapport.OptOut, Source: rapport.SourcePatient})
		})
		h.tx(func(tx *store.Tx) error { _, err := duplicates.Merge(h.ctx, tx, a.ID, b.ID, "nurse"); return err })

		sms := []rapport.Channel{rapport.ChannelSMS}
		care := h.send(messaging.Request{PatientID: a.ID, Purpose: rapport.PurposeCare, Channels: sms, Content: en("care")})
		if care.Status != rapport.MessageQueued || care.To != phone {
			t.Errorf("care text to the survivor: %s to %q (%s), want queued to the merged record's number", care.Status, care.To, care.StatusReason)
		}
		out := h.send(messaging.Request{PatientID: a.ID, Purpose: rapport.PurposeOutreach, Channels: sms, Content: en("offer")})
		if out.Status != rapport.MessageSuppressed || !strings.Contains(out.StatusReason, "opted out") {
			t.Errorf("outreach text after the merged record's opt-out: %s %q, want suppressed", out.Status, out.StatusReason)
		}
		old := h.send(messaging.Request{PatientID: b.ID, Purpose: rapport.PurposeCare, Channels: sms, Content: en("care")})
		if old.Status != rapport.MessageSuppressed || !strings.Contains(old.StatusReason, "merged into") {
			t.Errorf("message for the merged record: %s %q, want suppressed", old.Status, old.StatusReason)
		}
	})
}
