package webhook

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// EmailOptOut records unsubscribes in the database: [OptOuter] over
// [*store.DB].
type EmailOptOut struct {
	DB *store.DB
}

// OptOut opts the patient that message id went to, and the address it went
// to, out of email, for care and outreach, with source patient and the evidence "one-click
// unsubscribe". A purpose already opted out is not recorded again, so a
// second unsubscribe changes nothing. ENOTFOUND for an unknown message.
func (o EmailOptOut) OptOut(ctx context.Context, id rapport.MessageID) error {
	return o.DB.InTx(ctx, func(tx *store.Tx) error {
		m, err := tx.FindMessage(ctx, id)
		if err != nil {
			return err
		}
		// The address too: a record imported later with it gets no email either.
		if addr := rapport.AddressKey(rapport.ChannelEmail, m.To); addr != "" {
			var cs []rapport.AddressConsent
			for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
				cs = append(cs, rapport.AddressConsent{Address: addr, Channel: rapport.ChannelEmail, Purpose: purpose, Decision: rapport.OptOut,
					Source: rapport.SourcePatient, Evidence: "one-click unsubscribe (message " + string(id) + ")"})
			}
			if err := tx.RecordAddressConsents(ctx, cs); err != nil {
				return fmt.Errorf("unsubscribe message %s: %w", id, err)
			}
		}
		if m.CaregiverID != "" {
			// The caregiver unsubscribed, not the patient.
			_, err := tx.OptOutCaregivers(ctx, []string{m.CaregiverID}, "unsubscribe:"+string(id))
			return err
		}
		consents, err := tx.FindConsents(ctx, m.PatientID)
		if err != nil {
			return fmt.Errorf("unsubscribe message %s: %w", id, err)
		}
		for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
			if !rapport.Allowed(consents, rapport.ChannelEmail, purpose) {
				continue
			}
			c := &rapport.Consent{PatientID: m.PatientID, Channel: rapport.ChannelEmail, Purpose: purpose, Decision: rapport.OptOut,
				Source: rapport.SourcePatient, Evidence: "one-click unsubscribe (message " + string(id) + ")"}
			if err := tx.RecordConsent(ctx, c); err != nil {
				return fmt.Errorf("unsubscribe message %s: %w", id, err)
			}
		}
		return nil
	})
}
