package journey

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
)

// signal is what woke an enrollment: its time came (timeout of a wait or
// delay), or a reply to the message it waits for.
type signal struct {
	timeout bool
	reply   *rapport.Inbound
	to      *rapport.Message // the message replied to
}

// maxSteps guards against a journey that loops without waiting.
const maxSteps = 64

// run advances an enrollment from its current step until it must wait
// (for a reply, a delay) or ends, and writes it.
func (b *batch) run(ctx context.Context, en *rapport.Enrollment, sig signal) error {
	def, err := b.e.Definition(en.Journey, en.Version)
	if err != nil {
		return err
	}
	if en.Vars == nil {
		en.Vars = map[string]string{}
	}
	for range maxSteps {
		s := def.step(en.Step)
		if s == nil {
			return fmt.Errorf("journey %s version %d has no step %q", en.Journey, en.Version, en.Step)
		}
		if s.Send != nil {
			// The batch sends its enrollments' messages together and
			// then resumes each after its send step (settle).
			return b.queueSend(def, s, en)
		}
		next, wait, err := b.step(ctx, def, s, en, sig)
		if err != nil {
			return err
		}
		sig = signal{}
		if wait {
			b.save(en)
			return nil
		}
		if next == "" {
			return b.finish(ctx, en)
		}
		b.enter(def, en, next)
	}
	return fmt.Errorf("journey %s: more than %d steps without a wait (a loop?)", en.Journey, maxSteps)
}

// finish ends an enrollment that has no step left.
func (b *batch) finish(ctx context.Context, en *rapport.Enrollment) error {
	en.Status, en.WaitingFor = rapport.EnrollmentDone, ""
	b.event(en, rapport.EventJourneyEnded, endedPayload{en.Outcome, en.Step})
	b.save(en)
	return nil
}

// enter moves an enrollment to its next step. Entering an end step writes
// no journey.step: the journey.ended that follows at once names the step,
// and a campaign's ledger is its largest write (one row fewer of five a
// message in a send-then-end campaign).
func (b *batch) enter(def *Definition, en *rapport.Enrollment, next string) {
	en.Step, en.Status = next, rapport.EnrollmentActive
	if s := def.step(next); s != nil && s.End {
		return
	}
	b.event(en, rapport.EventJourneyStep, map[string]any{"step": next})
}

// step runs one step and says where to go next, or that the enrollment waits.
func (b *batch) step(ctx context.Context, def *Definition, s *Step, en *rapport.Enrollment, sig signal) (next string, wait bool, err error) {
	now := b.tx.Now()
	switch {
	case s.Wait != nil:
		if en.Status != rapport.EnrollmentWaiting || en.Step != s.ID {
			if last := en.Vars["last_status"]; last == string(rapport.MessageSuppressed) || en.Vars["last_message"] == "" {
				// Nothing went out to wait for: no contact, or no consent.
				key := "undeliverable"
				if en.Vars["last_reason_optout"] == "true" {
					key = "opted_out"
				}
				if t := s.Wait.On[key]; t != "" {
					return t, false, nil
				}
				return s.Wait.On["timeout"], false, nil
			}
			en.Status, en.WaitingFor, en.WakeAt = rapport.EnrollmentWaiting, rapport.MessageID(en.Vars["last_message"]), now.Add(b.e.scaled(s.Wait.Timeout.D()))
			b.wake(en)
			return "", true, nil
		}
		if sig.reply != nil {
			en.WaitingFor = ""
			return b.onReply(s, en, sig.reply, sig.to), false, nil
		}
		if unsent, err := b.stillQueued(ctx, en); err != nil || unsent {
			// The wait's time counts from when the message left: one held
			// by quiet hours, a provider outage or a crashed worker has
			// not been seen by anyone yet.
			en.WakeAt = now.Add(b.e.scaled(s.Wait.Timeout.D()))
			b.wake(en)
			return "", true, err
		}
		en.WaitingFor = ""
		return b.onTimeout(ctx, s, en)
	case s.Delay != nil:
		if en.Status == rapport.EnrollmentWaiting && en.Step == s.ID {
			return def.after(s.ID), false, nil
		}
		en.Status, en.WakeAt = rapport.EnrollmentWaiting, now.Add(b.e.scaled(s.Delay.For.D()))
		b.wake(en)
		return "", true, nil
	case s.Branch != nil:
		ok, err := b.eval(ctx, s.Branch.If, en)
		if err != nil {
			return "", false, err
		}
		if ok {
			return s.Branch.Then, false, nil
		}
		return s.Branch.Else, false, nil
	case s.Outcome != nil:
		b.outcome(en, s.Outcome)
		return def.after(s.ID), false, nil
	case s.Set != nil:
		return def.after(s.ID), false, b.set(ctx, s.Set, en)
	case s.Enroll != nil:
		_, err := b.e.enroll(ctx, b, s.Enroll.Journey, []rapport.PatientID{en.PatientID}, EnrollOptions{At: now.Add(b.e.scaled(s.Enroll.Delay.D())), Campaign: en.Campaign,
			Trigger: "journey:" + en.Journey, Vars: carried(en.Vars)})
		return def.after(s.ID), false, err
	case s.Notify != nil:
		it := &rapport.InboxItem{PatientID: en.PatientID, Kind: rapport.InboxCareTask, Priority: s.Notify.Priority, Summary: fillVars(s.Notify.Summary, en.Vars),
			Journey: en.Journey, Campaign: en.Campaign}
		return def.after(s.ID), false, b.tx.CreateInboxItem(ctx, it)
	case s.End:
		return "", false, nil
	}
	return "", false, fmt.Errorf("journey %s: step %q has no kind", def.ID, s.ID)
}

// stillQueued reports whether the message the enrollment waits for has
// not been sent yet.
func (b *batch) stillQueued(ctx context.Context, en *rapport.Enrollment) (bool, error) {
	if en.WaitingFor == "" {
		return false, nil
	}
	st, ok, err := b.messageState(ctx, en.WaitingFor)
	return ok && st.Status == rapport.MessageQueued, err
}

// pickVariant assigns an A/B variant by a stable hash of campaign and patient.
func pickVariant(pid rapport.PatientID, campaign string, variants map[string]messaging.Content) string {
	names := make([]string, 0, len(variants))
	for n := range variants {
		names = append(names, n)
	}
	sort.Strings(names)
	h := fnv.New32a()
	h.Write([]byte(campaign + "/variant/" + string(pid)))
	return names[int(h.Sum32())%len(names)]
}

// outcome records the enrollment's outcome and, for outcomes that show the
// patient engaging, the engagement.
func (b *batch) outcome(en *rapport.Enrollment, o *OutcomeStep) {
	en.Outcome = string(o.Outcome)
	payload := map[string]any{"outcome": en.Outcome, "step": en.Step}
	if en.Variant != "" {
		payload["variant"] = en.Variant
	}
	if o.WithReason && en.Vars["reason"] != "" {
		verbatim := en.Vars["reason_text"]
		if _, ok := en.Vars["reason_text"]; !ok {
			verbatim = en.Vars["text"] // enrollments from before reason_text
		}
		payload["reason"], payload["verbatim"] = en.Vars["reason"], verbatim
	}
	b.event(en, rapport.EventJourneyOutcome, payload)
	if engagedOutcomes[o.Outcome] {
		b.event(en, rapport.EventEngaged, map[string]any{"how": "outcome:" + en.Outcome})
	}
}

// carriedVars are what an enrollment passes to the journey it enrolls the
// patient in: a reason once given is not asked for again.
var carriedVars = []string{"reason", "reason_text"}

func carried(vars map[string]string) map[string]string {
	out := map[string]string{}
	for _, k := range carriedVars {
		if v, ok := vars[k]; ok && v != "" {
			out[k] = v
		}
	}
	return out
}

// engagedOutcomes are outcomes in which the patient engaged.
var engagedOutcomes = map[Outcome]bool{OutcomeInterested: true, OutcomeEngaged: true, OutcomeCompleted: true,
	OutcomeBetter: true, OutcomeSame: true, OutcomeWorse: true, OutcomeConfirmed: true, OutcomeUpdated: true}

// fillVars replaces {name} placeholders of a notification's summary with
// the enrollment's variables ({text} is the patient's last reply); unknown
// placeholders stay as written.
func fillVars(s string, vars map[string]string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// endedPayload is the payload of the journey.ended event of a finished
// enrollment: a struct, not a map, as [enrolledPayload] is.
type endedPayload struct {
	Outcome string `json:"outcome"`
	Step    string `json:"step"`
}
