package metrics

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/verify"
)

// messages adds what the sent messages themselves tell: each one once by
// its status now (delivered, failed after sending, no receipt), SMS
// segments, and the messages that went out in quiet hours in the patient's
// zone although they were neither urgent care nor compliance messages.
func (c *computation) messages(ctx context.Context, db *store.DB, r *Report) error {
	// The ledger's counts (its events) stand when the messages table has
	// fewer rows: a ledger imported or written without the messages.
	ms := &r.Messages
	var sent, delivered int
	err := db.ScanSentMessages(ctx, store.MessageScan{Campaign: c.f.Campaign, From: c.f.From, To: c.f.To}, func(m store.SentMessage) error {
		sent++
		switch m.Status {
		case rapport.MessageDelivered:
			delivered++
		case rapport.MessageUndelivered, rapport.MessageFailed:
			ms.FailedAfterSending++
		}
		if m.Channel == rapport.ChannelSMS {
			r.Messages.SMSSegments += m.Segments
		}
		if QuietHoursViolation(m, c.f.QuietHours, c.f.OrgTimeZone) {
			r.QuietHoursViolations++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	// Failed counts the failure events, one per message at most (a final
	// status does not change); those not sent were refused at the send.
	ms.Sent, ms.Delivered = max(ms.Sent, sent), max(ms.Delivered, delivered)
	ms.Delivered = min(ms.Delivered, ms.Sent-min(ms.FailedAfterSending, ms.Sent))
	ms.FailedAfterSending = min(ms.FailedAfterSending, ms.Sent-ms.Delivered)
	ms.NoReceipt = ms.Sent - ms.Delivered - ms.FailedAfterSending
	ms.Failed = max(ms.Failed, ms.FailedAfterSending)
	ms.FailedAtSend = ms.Failed - ms.FailedAfterSending
	return nil
}

// QuietHoursViolation reports whether a sent message went out outside the
// window on its patient's wall clock — in any of the zones [rules.QuietZones]
// chooses from the patient's zone, the number it went to, the postal code
// and the organisation's zone, as the pipeline does — without being urgent
// care or a compliance message. Urgent outreach is counted: only care may
// skip quiet hours.
func QuietHoursViolation(m store.SentMessage, w rules.Window, orgTZ string) bool {
	exempt := (&rapport.Message{Purpose: m.Purpose, Urgent: m.Urgent, Compliance: m.Compliance}).SkipsQuietHours()
	if exempt || m.SentAt.IsZero() {
		return false
	}
	var phoneZones []string
	if m.Channel == rapport.ChannelSMS || m.Channel == rapport.ChannelVoice {
		phoneZones = verify.TimeZonesForPhone(m.To)
	}
	return !w.AllowedAll(m.SentAt, rules.QuietZones(m.TimeZone, phoneZones, m.PostalCode, orgTZ))
}
