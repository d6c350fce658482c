package importer

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/verify"
)

// prepareCaregiver is the database-free work on an imported caregiver, run
// by the pool after the content hash: its contact points are judged as a
// patient's are, a revocation by the source (an inactive RelatedPerson) is
// dated now, so is a consent the source states without a date (a CSV's
// yes or no), and the result validated. Its patient is resolved later,
// when the batch is written.
func (im *Importer) prepareCaregiver(r *record, c *rapport.Caregiver, now time.Time) {
	for i := range c.Contacts {
		if c.Contacts[i].Source == "" {
			c.Contacts[i].Source = rapport.SourceImport
		}
		verify.ContactPoint(&c.Contacts[i], im.region(), now)
	}
	if c.RevokedBy != "" && c.RevokedAt.IsZero() {
		c.RevokedAt = now
	}
	if c.Consent != rapport.ConsentNotRecorded && c.ConsentAt.IsZero() {
		c.ConsentAt, r.consentDated = now, true
	}
	v := *c
	v.PatientID = "unresolved" // Validate asks for one; the batch resolves it
	if err := v.Validate(); err != nil {
		r.invalid = fmt.Errorf("%s: %w", r.where, err)
	}
}

// saveCaregiver queues a caregiver of patient pid for the batch's write,
// under its stored id when the source sent it before ("" for a new one).
// dated says the import dated its consent (the source gave no date).
func (b *batch) saveCaregiver(c *rapport.Caregiver, pid rapport.PatientID, id string, dated bool) string {
	c.PatientID, c.ID = pid, id
	if id != "" {
		b.pend.reimported[id] = true
		if dated {
			b.pend.consentDated[id] = true
		}
	} else {
		c.ID = b.im.newID()
	}
	b.pend.caregivers = append(b.pend.caregivers, c)
	return c.ID
}

// writeCaregivers writes the batch's caregivers. Those the source sent
// before are merged with what is stored first (one query for the batch):
// a revocation or consent the patient or staff recorded is kept, see
// [rapport.Caregiver.Reimported]. A consent the import dated keeps the
// date it was first imported with while the source still says the same:
// a changed phone number on the row does not make the consent newer.
func (b *batch) writeCaregivers(ctx context.Context) error {
	p := &b.pend
	if len(p.caregivers) == 0 {
		return nil
	}
	var ids []string
	for id := range p.reimported {
		ids = append(ids, id)
	}
	stored, err := b.tx.FindCaregiversByID(ctx, ids)
	if err != nil {
		return err
	}
	for _, c := range p.caregivers {
		if old := stored[c.ID]; old != nil {
			*c = c.Reimported(old)
			if p.consentDated[c.ID] && old.Consent == c.Consent && old.ConsentSource == rapport.SourceImport && c.ConsentSource == rapport.SourceImport {
				c.ConsentAt = old.ConsentAt
			}
		}
	}
	return b.tx.SaveCaregivers(ctx, p.caregivers)
}
