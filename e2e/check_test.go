package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// checkOutcomes compares each record's enrollments with the script.
func checkOutcomes(t *testing.T, sc script, got map[string][]enrollment) {
	t.Helper()
	// Records sharing a number: the campaign reaches the person once, through
	// one of them; the others end duplicate_address, unmessaged.
	reached := map[string]int{}
	for _, r := range sc.records {
		es := got[r.mrn]
		who := fmt.Sprintf("%s (%s, %s)", r.mrn, r.kind, r.lang)
		if len(es) == 0 && r.mayBeRefused {
			continue // refused at import: nobody to contact
		}
		outreach := one(es, "outreach")
		if len(outreach) != 1 {
			t.Errorf("%s: %d outreach enrollments, want 1", who, len(outreach))
			continue
		}
		if o := outreach[0]; r.shared && o.status == "done" && o.outcome == duplicateAddress {
			continue
		} else if r.shared {
			reached[r.phone]++
		}
		if o := outreach[0]; o.status != "done" || o.outcome != r.outcome {
			t.Errorf("%s: outreach %s with outcome %q, want done with %q", who, o.status, o.outcome, r.outcome)
		} else if r.reason != "" && o.reason != r.reason {
			t.Errorf("%s: outreach outcome %s with reason %q, want %q", who, o.outcome, o.reason, r.reason)
		}
		nurture := one(es, "decliner-nurture")
		switch {
		case r.nurture == "" && len(nurture) > 0:
			t.Errorf("%s: %d decliner-nurture enrollments (outcome %q), want none", who, len(nurture), nurture[0].outcome)
		case r.nurture != "" && len(nurture) != 1:
			t.Errorf("%s: %d decliner-nurture enrollments, want 1 ending %q", who, len(nurture), r.nurture)
		case r.nurture != "" && (nurture[0].status != "done" || nurture[0].outcome != r.nurture):
			t.Errorf("%s: decliner-nurture %s with outcome %q, want done with %q", who, nurture[0].status, nurture[0].outcome, r.nurture)
		}
	}
	for phone, n := range reached {
		if n != 1 {
			t.Errorf("%s: %d records sharing it went through outreach, want 1 (the others end %s)", phone, n, duplicateAddress)
		}
	}
}

// duplicateAddress is the outcome of an enrollment whose campaign step
// another record already sent to the same address.
const duplicateAddress = "duplicate_address"

// checkContacts checks what reached every number: how many messages and
// calls, nothing after an opt-out but its confirmation, Spanish for Spanish
// speakers, calls that ask for keys, and no prompt sent twice as two
// different messages (a resend after a crash keeps its idempotency key).
func checkContacts(t *testing.T, sc script, crowd *Crowd) {
	t.Helper()
	records := map[string][]scripted{} // by number
	for _, r := range sc.records {
		records[r.phone] = append(records[r.phone], r)
	}
	for number, rs := range records {
		r := rs[0]
		who := fmt.Sprintf("%s (%s, %s)", r.mrn, r.kind, r.lang)
		var sent []Contact
		for _, c := range crowd.Contacts(number) {
			if !c.Request.Duplicate {
				sent = append(sent, c)
			}
		}
		if len(sent) > r.maxContacts {
			t.Errorf("%s: %d messages and calls, want at most %d: %s", who, len(sent), r.maxContacts, summary(sent))
		}
		checkAfterStop(t, who, sent)
		// A prompt may go once per record and channel: a call after an
		// undelivered text is the text's fallback, not a resend.
		type key struct {
			p Prompt
			k Kind
		}
		perPrompt := map[key]int{}
		for _, c := range sent {
			if c.Prompt != PromptOther {
				perPrompt[key{c.Prompt, c.Request.Kind}]++
			}
			if r.lang == "es" && c.Prompt != PromptOther && c.Lang != "es" {
				t.Errorf("%s: Spanish speaker got a %s %s in %q: %q", who, c.Prompt, c.Request.Kind, c.Lang, text(c))
			}
			if c.Request.Kind == KindCall {
				checkCall(t, who, r.lang, c)
			}
		}
		for k, n := range perPrompt {
			if n > len(rs) {
				t.Errorf("%s: the %s went %d times as different %ss to one number of %d record(s): %s", who, k.p, n, k.k, len(rs), summary(sent))
			}
		}
	}
}

// checkAfterStop allows, after an opt-out, its confirmation and nothing
// else. rapport handles an inbound text after answering its webhook, so a
// message may be in flight between the STOP and the confirmation (logged);
// once the confirmation went, the STOP was handled and nothing may follow.
func checkAfterStop(t *testing.T, who string, sent []Contact) {
	t.Helper()
	var inFlight, after []Contact
	confirmed := false
	for _, c := range sent {
		switch {
		case !c.AfterStop:
		case confirmed:
			after = append(after, c)
		case c.Prompt == PromptOther && c.Request.Kind == KindMessage:
			confirmed = true
		default:
			inFlight = append(inFlight, c)
		}
	}
	if !confirmed {
		after, inFlight = inFlight, nil
	}
	if len(inFlight) > 0 {
		t.Logf("%s: in flight between the STOP and its confirmation: %s", who, summary(inFlight))
	}
	if len(after) > 0 {
		t.Errorf("%s: after STOP (confirmed: %v) got %s; want nothing but the confirmation", who, confirmed, summary(after))
	}
}

// checkCall wants a call to ask for keys ("Press 1", "Oprima 1") and not
// for a text reply.
func checkCall(t *testing.T, who, lang string, c Contact) {
	t.Helper()
	press, wrong := "Press 1", []string{"Reply"}
	if lang == "es" {
		press, wrong = "Oprima 1", []string{"Responda", "yes"} // "yes": an English label read out
	}
	bad := !strings.Contains(c.Request.Twiml, press)
	for _, w := range wrong {
		bad = bad || strings.Contains(c.Request.Twiml, w)
	}
	if bad {
		t.Errorf("%s: call %s says %q; want %q and none of %q", who, c.Prompt, c.Request.Twiml, press, wrong)
	}
}

func text(c Contact) string {
	if c.Request.Kind == KindCall {
		return c.Request.Twiml
	}
	return c.Request.Body
}

// summary lists contacts briefly: kind, prompt and the start of the text.
func summary(cs []Contact) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		s := text(c)
		if len(s) > 60 {
			s = s[:60] + "…"
		}
		parts[i] = fmt.Sprintf("[%s %s %q]", c.Request.Kind, c.Prompt, s)
	}
	return strings.Join(parts, " ")
}
