package metrics_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

// TestCaregiverMessagesAreNotOutreach: messages to patients' caregivers,
// delivered and answered (even with "yes"), change none of the patients'
// figures — contacted, reached, replied, outcomes, decliners, engaged
// decliners, segments, message counts — in the campaign or overall.
func TestCaregiverMessagesAreNotOutreach(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, d, rapport.NewManualClock(t0), 0, 0)
			phones := h.hypertensives(3)
			c := h.launch("caregivers", 0)
			var ids []rapport.PatientID
			for id := range phones {
				ids = append(ids, id)
			}
			sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
			// One patient declines: a decliner whose caregiver is written to.
			if _, err := simulator.Reply(h.ctx, h.p, rapport.ChannelSMS, phones[ids[0]], ourNumber, "no, it costs too much"); err != nil {
				t.Fatal(err)
			}
			h.idle()
			report := func() string {
				t.Helper()
				var out []byte
				for _, f := range []metrics.Filter{{}, {Campaign: c.ID}} {
					f.QuietHours, f.OrgTimeZone = rules.DefaultWindow, "America/Chicago"
					r, err := metrics.Compute(h.ctx, h.db, f)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := json.Marshal(r)
					out = append(out, b...)
				}
				return string(out)
			}
			before := report()
			sentBefore := len(h.sim.Sent())

			var reqs []messaging.Request
			cgPhones := map[string]bool{}
			for i, id := range ids {
				phone := fmt.Sprintf("+1512300%04d", i)
				cgPhones[phone] = true
				cg := &rapport.Caregiver{PatientID: id, Given: "Rosa", Relationship: rapport.Code{Code: "DAU"}, Scope: rapport.ScopeReminders,
					Consent: rapport.ConsentGranted, ConsentAt: t0, ConsentSource: rapport.SourceStaff,
					Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: phone, Value: phone, Use: rapport.UseMobile, LineType: rapport.LineMobile,
						Status: rapport.StatusValid, Source: rapport.SourceStaff}}}
				h.tx(func(tx *store.Tx) error { return tx.SaveCaregiver(h.ctx, cg) })
				reqs = append(reqs, messaging.Request{PatientID: id, Caregiver: cg, Proxy: rapport.ProxyMissedDose, Purpose: rapport.PurposeCare,
					Channels: []rapport.Channel{rapport.ChannelSMS}, Content: messaging.Plain("en", "{org}: a dose was missed. Reply STOP to end these messages.")})
			}
			h.tx(func(tx *store.Tx) error { _, err := h.p.SendMany(h.ctx, tx, reqs); return err })
			h.idle()
			for phone := range cgPhones {
				if _, err := simulator.Reply(h.ctx, h.p, rapport.ChannelSMS, phone, ourNumber, "yes"); err != nil {
					t.Fatal(err)
				}
			}
			h.idle()

			went := 0
			for _, m := range h.sim.Sent()[sentBefore:] {
				if cgPhones[m.To] {
					went++
				}
			}
			if went != len(ids) {
				t.Fatalf("%d messages reached the caregivers, want %d: the test proves nothing", went, len(ids))
			}
			if after := report(); after != before {
				t.Errorf("caregiver messages changed the patients' metrics:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}
