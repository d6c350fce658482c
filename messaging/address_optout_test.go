package messaging_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// TestPropertyAddressOptOut: after a STOP from a number, no text and no
// outreach call but a compliance message reaches that number, whatever
// records with it are imported afterwards (the sender may be unknown, or
// one patient of several), and whichever path sends: one message at a time
// as the API does, or batches of preloaded patients as a campaign launch
// does; some messages are queued for later, before more records arrive.
func TestPropertyAddressOptOut(t *testing.T) {
	t.Parallel()
	fewerChecks()
	h := setup(t, store.SQLite)
	check := 0
	rapid.Check(t, func(rt *rapid.T) {
		check++
		num := freshNumber()
		var pts []*rapport.Patient
		if rapid.Bool().Draw(rt, "known before the STOP") {
			pts = append(pts, h.patient("en", mobile(num)))
		}
		h.reply(rapport.ChannelSMS, num, rapid.SampledFrom([]string{"STOP", "Alto", "unsubscribe", "CANCEL"}).Draw(rt, "stop"))
		sentBefore := len(h.sim.Sent())
		steps := rapid.IntRange(1, 8).Draw(rt, "steps")
		for i := range steps {
			switch rapid.IntRange(0, 3).Draw(rt, "action") {
			case 0: // an import brings a new record with the number
				cp := mobile(num)
				if rapid.Bool().Draw(rt, "landline") {
					cp = landline(num)
				}
				pts = append(pts, h.patient("en", cp, email(fmt.Sprintf("a%d-%s@example.org", i, num[1:]))))
			case 1, 2: // a send through the API's path, or a campaign batch
				if len(pts) == 0 {
					continue
				}
				var reqs []messaging.Request
				for range rapid.IntRange(1, 3).Draw(rt, "batch") {
					p := rapid.SampledFrom(pts).Draw(rt, "patient")
					req := messaging.Request{PatientID: p.ID, Purpose: rapid.SampledFrom(purposes).Draw(rt, "purpose"),
						Content: en(fmt.Sprintf("check %d step %d", check, i)), Campaign: "c"}
					if k := rapid.IntRange(0, len(channels)).Draw(rt, "channel"); k < len(channels) {
						req.Channels = []rapport.Channel{channels[k]}
					}
					if rapid.Bool().Draw(rt, "later") {
						req.NotBefore = h.clock.Now().Add(time.Duration(rapid.IntRange(1, 48).Draw(rt, "hours")) * time.Hour)
					}
					req.Patient = p
					reqs = append(reqs, req)
				}
				h.tx(func(tx *store.Tx) error { _, err := h.p.SendMany(h.ctx, tx, reqs); return err })
				h.idle()
			case 3:
				h.advance(time.Duration(rapid.IntRange(1, 24*60).Draw(rt, "minutes")) * time.Minute)
			}
		}
		h.advance(3 * 24 * time.Hour) // everything planned has gone or been suppressed
		for _, sm := range h.sim.Sent()[sentBefore:] {
			if sm.To != num {
				continue
			}
			m := h.message(rapport.MessageID(sm.ID))
			if !m.Compliance && (m.Channel == rapport.ChannelSMS || (m.Channel == rapport.ChannelVoice && m.Purpose == rapport.PurposeOutreach)) {
				rt.Fatalf("%s %s message %q reached %s after its STOP", m.Channel, m.Purpose, m.Body, num)
			}
		}
	})
}

// TestAddressOptOutBeforeSending: a message planned before its address
// opted out (here by the provider's word about another record's message) is
// suppressed when its send job runs, on both databases.
func TestAddressOptOutBeforeSending(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		p := h.patient("en", mobile("+15125550177"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Channels: []rapport.Channel{rapport.ChannelSMS},
			Content: en("Later"), NotBefore: start.Add(2 * time.Hour)})
		h.tx(func(tx *store.Tx) error {
			return tx.RecordAddressConsents(h.ctx, []rapport.AddressConsent{{Address: "+15125550177", Channel: rapport.ChannelSMS,
				Purpose: rapport.PurposeOutreach, Decision: rapport.OptOut, Source: rapport.SourcePatient, Evidence: "test"}})
		})
		h.advance(3 * time.Hour)
		if got := h.message(m.ID); got.Status != rapport.MessageSuppressed || !strings.Contains(got.StatusReason, "address opted out") {
			t.Errorf("after the address opted out: %s %q, want suppressed", got.Status, got.StatusReason)
		}
		if n := len(h.sim.Sent()); n != 0 {
			t.Errorf("%d messages sent", n)
		}
	})
}

// TestStopFromUnknownNumberHoldsForLaterRecords: a STOP from a number no
// record has yet still holds once a record with it is imported, on both
// databases; START from it lifts it.
func TestStopFromUnknownNumberHoldsForLaterRecords(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, h *harness) {
		h.reply(rapport.ChannelSMS, "+15125550188", "STOP")
		p := h.patient("en", mobile("+15125550188"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Channels: []rapport.Channel{rapport.ChannelSMS}, Content: en("Offer")})
		if m.Status != rapport.MessageSuppressed || !strings.Contains(m.StatusReason, "address opted out of sms for outreach") {
			t.Fatalf("after STOP from the number: %s %q, want suppressed", m.Status, m.StatusReason)
		}
		h.reply(rapport.ChannelSMS, "+15125550188", "START")
		m = h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeOutreach, Channels: []rapport.Channel{rapport.ChannelSMS}, Content: en("Offer")})
		if m.Status != rapport.MessageQueued {
			t.Errorf("after START from the number: %s %q, want queued", m.Status, m.StatusReason)
		}
	})
}
