package readings_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/readings"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// TestReadingReplies: a reading in reply to a message of ours is stored
// with its level by the patient's thresholds, goes to the inbox above
// normal with the level's priority, and is confirmed to the patient in
// their language (urgent: the care team will call, 911 on symptoms);
// what is not a reading goes on, and is no observation.
func TestReadingReplies(t *testing.T) {
	cases := []struct {
		name, lang, body string
		thresholds       *selfreport.Thresholds
		level            string            // "" for no observation
		codes            []string          // LOINC codes stored, sorted
		priority         rapport.Priority  // of the inbox item
		kind             rapport.InboxKind // of the inbox item; "" for none
		confirm          []string          // in the confirmation; nil for none
	}{
		{name: "high blood pressure", lang: "en", body: "bp 150/95", level: "high", codes: []string{"8462-4", "8480-6"},
			priority: rapport.PriorityHigh, kind: rapport.InboxCareTask, confirm: []string{"Thanks, we recorded your blood pressure 150/95.", "care team know"}},
		{name: "normal with a pulse", lang: "en", body: "128/82 p 70", level: "normal", codes: []string{"8462-4", "8480-6", "8867-4"},
			confirm: []string{"blood pressure 128/82 pulse 70."}},
		{name: "low glucose", lang: "en", body: "glucose 45", level: "urgent", codes: []string{"2339-0"},
			priority: rapport.PriorityUrgent, kind: rapport.InboxCareTask, confirm: []string{"blood sugar 45 mg/dL", "will call you", "sugar now", "911"}},
		{name: "glucose in mmol/L", lang: "es", body: "azucar 12 mmol", level: "high", codes: []string{"2339-0"},
			priority: rapport.PriorityHigh, kind: rapport.InboxCareTask, confirm: []string{"azucar en la sangre 216 mg/dL (12.0 mmol/L)."}},
		{name: "crisis in Spanish", lang: "es", body: "presión 185 sobre 100", level: "urgent", codes: []string{"8462-4", "8480-6"},
			priority: rapport.PriorityUrgent, kind: rapport.InboxCareTask, confirm: []string{"Gracias, registramos su presion arterial 185/100.", "le llamara", "911"}},
		{name: "a check-in's answer is not a reading", lang: "en", body: "1", priority: rapport.PriorityNormal, kind: rapport.InboxReply},
		{name: "a time is not a reading", lang: "en", body: "8PM", priority: rapport.PriorityNormal, kind: rapport.InboxReply},
		{name: "a mistyped reading is for staff", lang: "en", body: "bp 1420/90", priority: rapport.PriorityNormal, kind: rapport.InboxReply},
		{name: "the patient's own threshold", lang: "en", body: "135/85", thresholds: &selfreport.Thresholds{SystolicHigh: 130},
			level: "high", codes: []string{"8462-4", "8480-6"}, priority: rapport.PriorityHigh, kind: rapport.InboxCareTask, confirm: []string{"135/85"}},
		{name: "default threshold", lang: "en", body: "135/85", level: "normal", codes: []string{"8462-4", "8480-6"}, confirm: []string{"135/85."}},
	}
	each(t, func(t *testing.T, h *harness) {
		h.at(0, 10, 0)
		for i, c := range cases {
			p := h.patient(fmt.Sprintf("+1512555%04d", 160+i), c.lang)
			if c.thresholds != nil {
				h.tx(func(tx *store.Tx) error { return readings.SetThresholds(h.w.Ctx, tx, p.ID, *c.thresholds, "test") })
			}
			h.message(p)
			h.reply(p, c.body)

			os := h.observations(p)
			var codes []string
			for _, o := range os {
				codes = append(codes, o.Code.Code)
				if o.Level != c.level || o.Panel != os[0].Panel || o.Source != "sms" || o.InboundID == "" {
					t.Errorf("%s: observation %+v, want level %q in one panel from an sms", c.name, o, c.level)
				}
			}
			if strings.Join(codes, " ") != strings.Join(c.codes, " ") {
				t.Errorf("%s: stored %v, want %v", c.name, codes, c.codes)
			}
			items := h.inbox(p)
			switch {
			case c.kind == "" && len(items) != 0:
				t.Errorf("%s: inbox %+v, want nothing", c.name, items)
			case c.kind != "" && (len(items) != 1 || items[0].Kind != c.kind || items[0].Priority != c.priority):
				t.Errorf("%s: inbox %+v, want one %s item of priority %s", c.name, items, c.kind, c.priority)
			case c.kind == rapport.InboxCareTask && !strings.Contains(items[0].Summary, c.level):
				t.Errorf("%s: summary %q does not name the level", c.name, items[0].Summary)
			}
			got := h.sent(p, "reading-recorded")
			if c.confirm == nil {
				if len(got) != 0 {
					t.Errorf("%s: confirmed %q, want no confirmation", c.name, got[0].Body)
				}
				continue
			}
			if len(got) != 1 {
				t.Fatalf("%s: %d confirmations, want 1", c.name, len(got))
			}
			for _, want := range c.confirm {
				if !strings.Contains(got[0].Body, want) {
					t.Errorf("%s: confirmation %q, want it to say %q", c.name, got[0].Body, want)
				}
			}
			if c.level != "urgent" && strings.Contains(got[0].Body, "911") {
				t.Errorf("%s: confirmation %q mentions 911 for a %s reading", c.name, got[0].Body, c.level)
			}
		}
	})
}
