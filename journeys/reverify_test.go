package journeys_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// TestContactReverify marks phone numbers stale; the event trigger enrolls
// their patients in contact-reverify, which asks on that very number. Yes
// makes it valid again; no, or a new number in the reply, makes it invalid
// with the patient's words as evidence and gives staff the task of the new
// number; silence leaves it stale.
func TestContactReverify(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		if err := h.e.StartTriggers(h.ctx); err != nil {
			t.Fatal(err)
		}
		ana := h.patient("Ana", "en", mobile("+15125550401"), mobile("+15125550411"))
		beto := h.patient("Beto", "es", mobile("+15125550402"))
		cora := h.patient("Cora", "en", mobile("+15125550403"))
		dario := h.patient("Dario", "en", mobile("+15125550404"))
		elena := h.patient("Elena", "en", mobile("+15125550405"))
		mark := func(p *rapport.Patient, i int, status rapport.ContactStatus) {
			h.tx(func(tx *store.Tx) error {
				return tx.SetContactStatus(h.ctx, p.Contacts[i].ID, status, "no answer to the last three messages")
			})
		}
		mark(ana, 1, rapport.StatusStale) // her second number; the first is fine
		mark(beto, 0, rapport.StatusStale)
		mark(cora, 0, rapport.StatusStale)
		mark(dario, 0, rapport.StatusStale)
		mark(elena, 0, rapport.StatusInvalid) // not stale: nothing to ask
		h.advance(10 * time.Minute)

		if ms := h.sent("+15125550401"); len(ms) != 0 {
			t.Errorf("Ana's good number was asked: %q", bodies(ms))
		}
		if got := h.lastSent("+15125550411").Body; got != "Hi, this is Valley Clinic. Is this still the best number to reach Ana? Reply 1 yes, 2 no. If not, feel free to send us the new number." {
			t.Errorf("Ana's question: %q", got)
		}
		if got := h.lastSent("+15125550402").Body; !strings.HasPrefix(got, "Hola, le escribe Valley Clinic. ¿Sigue siendo este el mejor número para Beto?") {
			t.Errorf("Beto's question: %q", got)
		}
		if ms := h.sent("+15125550405"); len(ms) != 0 {
			t.Errorf("Elena's invalid number was asked: %q", bodies(ms))
		}

		h.text("+15125550411", "1")
		h.text("+15125550402", "2")
		h.text("+15125550403", "Not Cora's phone anymore, her new number is (512) 867-5399")
		h.advance(7 * day)

		h.wantPath("Ana", ana, "contact-reverify", "ask wait_ask valid confirmed thanks end")
		h.wantOutcomes("Ana", ana, "contact-reverify", outcome{Outcome: "confirmed"})
		h.wantPath("Beto", beto, "contact-reverify", "ask wait_ask invalid updated number_given find_number end")
		h.wantOutcomes("Beto", beto, "contact-reverify", outcome{Outcome: "updated"})
		h.wantPath("Cora", cora, "contact-reverify", "ask wait_ask has_number invalid updated number_given record_number end")
		h.wantOutcomes("Cora", cora, "contact-reverify", outcome{Outcome: "updated"})
		h.wantPath("Dario", dario, "contact-reverify", "ask wait_ask no_reply end")
		h.wantOutcomes("Dario", dario, "contact-reverify", outcome{Outcome: "no_reply"})
		if ens := h.enrollments(elena, "contact-reverify"); len(ens) != 0 {
			t.Errorf("Elena enrolled %d times", len(ens))
		}

		contact := func(p *rapport.Patient, i int) rapport.ContactPoint {
			got, err := h.db.FindPatientByID(h.ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range got.Contacts {
				if c.ID == p.Contacts[i].ID {
					return c
				}
			}
			t.Fatalf("%s has no contact %s", p.Given, p.Contacts[i].ID)
			return rapport.ContactPoint{}
		}
		for _, tc := range []struct {
			who    string
			c      rapport.ContactPoint
			status rapport.ContactStatus
			words  string
		}{
			{"Ana", contact(ana, 1), rapport.StatusValid, `"1"`},
			{"Beto", contact(beto, 0), rapport.StatusInvalid, `"2"`},
			{"Cora", contact(cora, 0), rapport.StatusInvalid, "(512) 867-5399"},
			{"Dario", contact(dario, 0), rapport.StatusStale, "no answer"},
		} {
			if tc.c.Status != tc.status || !strings.Contains(tc.c.StatusReason, tc.words) {
				t.Errorf("%s's number: %s (%q), want %s with %s as evidence", tc.who, tc.c.Status, tc.c.StatusReason, tc.status, tc.words)
			}
		}
		if got := h.lastSent("+15125550411").Body; got != "Thank you! We'll keep using this number." {
			t.Errorf("Ana's thanks: %q", got)
		}
		if c := contact(ana, 0); c.Status != rapport.StatusValid {
			t.Errorf("Ana's first number: %s", c.Status)
		}
		if items := h.inbox(beto); len(items) != 1 || !strings.Contains(items[0].Summary, "by other means") {
			t.Errorf("Beto's inbox: %+v", items)
		}
		if items := h.inbox(cora); len(items) != 1 || !strings.Contains(items[0].Summary, "(512) 867-5399") {
			t.Errorf("Cora's inbox: %+v, want the new number in the summary", items)
		}
		for _, p := range []*rapport.Patient{ana, dario} {
			if items := h.inbox(p); len(items) != 0 {
				t.Errorf("%s's inbox: %+v", p.Given, items)
			}
		}
	})
}
