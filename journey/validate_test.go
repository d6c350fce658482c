package journey_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/journey"
)

// validJourney is a small journey that passes validation; each case below
// breaks one thing in it.
const validJourney = `id: demo
version: 1
name: Demo
trigger:
  campaign: true
segment: age >= 18
steps:
  - id: offer
    send:
      purpose: outreach
      channels: [sms, voice]
      choices: {"1": "yes", "2": "no"}
      content:
        fallback: en
        max_segments: 1
        by_lang:
          en: {body: "Hi {first_name}, interested? Reply 1 yes, 2 no."}
          es: {body: "Hola {first_name}, ¿le interesa? Responda 1 sí, 2 no."}
  - id: wait
    wait_reply:
      timeout: 3d
      on:
        "yes": yes_branch
        "no": done
        timeout: pause
  - id: yes_branch
    branch: {if: 'reply == "yes"', then: interested, else: done}
  - id: interested
    outcome: {outcome: interested}
    next: tell
  - id: tell
    notify: {priority: normal, summary: Patient is interested}
    next: done
  - id: pause
    delay: {for: 30d}
  - id: again
    enroll: {journey: demo-followup, delay: 1d}
  - id: mark
    set: {attribute: contact_valid}
  - id: done
    end: true
`

func lineContaining(t *testing.T, text, marker string) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	t.Fatalf("marker %q not in the journey", marker)
	return 0
}

// A worded answer to a care question (a check-in) may be engagement: only
// offers can be refused.
func TestWordedAnswerToCareQuestionMayEngage(t *testing.T) {
	t.Parallel()
	text := strings.Replace(strings.Replace(validJourney, "purpose: outreach", "purpose: care", 1), `"no": done`, `free_text: interested`, 1)
	if _, err := journey.Parse("care.yaml", []byte(text)); err != nil {
		t.Fatal(err)
	}
}

func TestValidJourneyParses(t *testing.T) {
	t.Parallel()
	d, err := journey.Parse("demo.yaml", []byte(validJourney))
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "demo" || len(d.Steps) != 9 {
		t.Fatalf("parsed %s with %d steps", d.ID, len(d.Steps))
	}
}

// TestValidationErrors breaks the valid journey one way per case and checks
// the error names the file, the line of the broken part and its field.
func TestValidationErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		old, new string // replace old with new in validJourney
		field    string
		at       string // a text on the line the error must name ("" : no line)
		msg      string
	}{
		{"not YAML", "name: Demo\n", "name: [Demo\n", "", "", "not YAML"},
		{"not a number", "version: 1", "version: one", "", "version: one", ""},
		{"unknown field", "name: Demo\n", "name: Demo\ncolour: blue\n", "", "colour: blue", "unknown field"},
		{"bad duration", "timeout: 3d", "timeout: soon", "steps[1].wait_reply.timeout", "timeout: soon", `duration "soon"`},
		{"missing id", "id: demo\n", "", "id", "", "needs an id"},
		{"version below 1", "version: 1", "version: 0", "version", "version: 0", "version must be 1"},
		{"no trigger", "trigger:\n  campaign: true\n", "", "trigger", "", "needs a trigger"},
		{"unknown event", "  campaign: true", "  event: {kind: visit.done}", "trigger.event.kind", "visit.done", `unknown event "visit.done"`},
		{"schedule too often", "  campaign: true", "  schedule: {every: 10m}", "trigger.schedule.every", "every: 10m", "at most hourly"},
		{"where does not compile", "  campaign: true", "  event: {kind: contact.stale, where: 'age >>> 3'}", "trigger.event.where", "age >>> 3", "does not compile"},
		{"segment does not compile", "segment: age >= 18", "segment: age >= ", "segment", "segment: age", "does not compile"},
		{"segment of the wrong type", "segment: age >= 18", "segment: age + 1", "segment", "segment: age", "does not compile"},
		{"unknown variable", "segment: age >= 18", "segment: shoe_size > 40", "segment", "shoe_size", "does not compile"},
		{"step without id", "  - id: pause\n", "  - next: again\n", "steps[5].id", "next: again", "has no id"},
		{"duplicate step id", "  - id: pause\n", "  - id: tell # again\n", "steps[5].id", "tell # again", "also used by step 4"},
		{"unknown step in next", "next: tell", "next: tel", "steps[3].next", "next: tel", `unknown step "tel"`},
		{"unknown step in on", `"no": done`, `"no": gone`, "steps[1].wait_reply.on.no", `"no": gone`, `unknown step "gone"`},
		{"unknown step in branch", "then: interested", "then: intrested", "steps[2].branch.then", "then: intrested", `unknown step "intrested"`},
		{"unknown start", "steps:\n", "start: begin\nsteps:\n", "start", "start: begin", `unknown step "begin"`},
		{"unreachable step", "        timeout: pause\n", "        timeout: done\n", "steps[5].id", "id: pause", `"pause" can never be reached`},
		{"step of two kinds", "    delay: {for: 30d}\n", "    delay: {for: 30d}\n    end: true\n", "steps[5]", "id: pause", "exactly one of"},
		{"step of no kind", "    delay: {for: 30d}\n", "", "steps[5]", "id: pause", "exactly one of"},
		{"no steps", "steps:\n", "steps: []\nx:\n", "", "", ""}, // replaced below
		{"bad purpose", "purpose: outreach", "purpose: sales", "steps[0].send.purpose", "purpose: sales", `"sales" is not care or outreach`},
		{"urgent outreach", "      purpose: outreach\n", "      purpose: outreach\n      urgent: true\n", "steps[0].send.urgent", "urgent: true", "urgent is only for purpose care"},
		{"bad channel", "channels: [sms, voice]", "channels: [sms, fax]", "steps[0].send.channels[1]", "channels: [sms, fax]", `"fax"`},
		{"bad contact", "      purpose: outreach\n", "      purpose: outreach\n      contact: office\n", "steps[0].send.contact", "contact: office", `contact "office"`},
		{"missing template language", `          es: {body: "Hola {first_name}, ¿le interesa? Responda 1 sí, 2 no."}` + "\n", "", "steps[0].send.content.by_lang", "by_lang:", `no text in "es"`},
		{"missing fallback language", "fallback: en", "fallback: fr", "steps[0].send.content", "content:", `fallback language "fr"`},
		{"empty body", `en: {body: "Hi {first_name}, interested? Reply 1 yes, 2 no."}`, `en: {body: " "}`, "steps[0].send.content", "content:", "empty body"},
		{"too long for SMS", `en: {body: "Hi {first_name}, interested? Reply 1 yes, 2 no."}`, `en: {body: "` + strings.Repeat("Long text. ", 20) + `"}`, "steps[0].send.content", "content:", "more than its limit of 1"},
		{"wait without timeout", "timeout: 3d", "timeout: 0h", "steps[1].wait_reply.timeout", "timeout: 0h", "needs a timeout"},
		{"wait on an unknown key", `"no": done`, `maybe: done`, "steps[1].wait_reply.on.maybe", "maybe: done", `cannot branch on "maybe"`},
		{"wait without on.timeout", "        timeout: pause\n", "        undeliverable: pause\n", "steps[1].wait_reply.on", "      on:", "on.timeout"},
		{"delay without duration", "delay: {for: 30d}", "delay: {for: 0h}", "steps[5].delay.for", "for: 0h", "needs a duration"},
		{"branch that does not compile", `if: 'reply == "yes"'`, `if: 'reply = "yes"'`, "steps[2].branch.if", `if: 'reply = "yes"'`, "does not compile"},
		{"branch on a number", `if: 'reply == "yes"'`, `if: 'choice'`, "steps[2].branch.if", `if: 'choice'`, "does not compile"},
		{"branch without else", ", else: done}", "}", "steps[2].branch", "branch:", "both then and else"},
		{"unknown outcome", "outcome: {outcome: interested}", "outcome: {outcome: thrilled}", "steps[3].outcome.outcome", "thrilled", `unknown outcome "thrilled"`},
		{"unknown attribute", "attribute: contact_valid", "attribute: shoe_size", "steps[7].set.attribute", "shoe_size", `cannot set "shoe_size"`},
		{"enroll without journey", "enroll: {journey: demo-followup, delay: 1d}", "enroll: {delay: 1d}", "steps[6].enroll.journey", "enroll: {delay: 1d}", "needs a journey id"},
		{"notify with a bad priority", "priority: normal", "priority: asap", "steps[4].notify.priority", "priority: asap", `"asap"`},
		{"promise with no notify", `en: {body: "Hi {first_name}, interested? Reply 1 yes, 2 no."}`, `en: {body: "Hi {first_name}, a nurse will call you. Reply 1 yes, 2 no."}`, "steps[0].send.content", "content:", `promises "a nurse will" but reaches step "wait" without a notify step`},
		{"notify falling through to an outcome", "  - id: interested\n    outcome: {outcome: interested}\n    next: tell\n  - id: tell\n    notify: {priority: normal, summary: Patient is interested}\n    next: done\n",
			"  - id: tell\n    notify: {priority: normal, summary: Patient is interested}\n  - id: interested\n    outcome: {outcome: interested}\n    next: done\n", "steps[3]", "id: tell", `notify step "tell" falls through to outcome step "interested"`},
		{"notify going on to engagement", "    next: tell\n  - id: tell\n    notify: {priority: normal, summary: Patient is interested}\n    next: done\n",
			"    next: done\n  - id: tell\n    notify: {priority: normal, summary: Patient is interested}\n    next: interested\n", "steps[4].next", "next: interested", `notify step "tell" goes on to the engagement outcome step "interested"`},
		{"refusal to an offer as engagement", `"no": done`, `refusal: interested`, "steps[1].wait_reply.on.refusal", "refusal: interested", "a refusal in words to an offer takes on.refusal"},
		{"question to an offer as engagement", `"no": done`, `reply: yes_branch`, "steps[1].wait_reply.on.reply", "reply: yes_branch", "a question to an offer takes on.reply"},
		{"silence to an offer as engagement", "        timeout: pause\n", "        timeout: yes_branch\n", "steps[1].wait_reply.on.timeout", "timeout: yes_branch", "silence to an offer takes on.timeout"},
		{"anchors and aliases", "name: Demo\n", "name: Demo\nx: &a [lol, lol]\ny: [*a, *a]\n", "", "x: &a", "anchors and aliases are not allowed (&a)"},
		{"billion laughs", "name: Demo\n", "name: Demo\n" + billionLaughs, "", "a: &a", "anchors and aliases are not allowed (&a)"},
		{"notify without summary", "notify: {priority: normal, summary: Patient is interested}", "notify: {priority: normal}", "steps[4].notify.summary", "notify: {priority: normal}", "needs a summary"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(validJourney, tc.old) {
				t.Fatalf("case does not apply: %q not in the journey", tc.old)
			}
			text := strings.Replace(validJourney, tc.old, tc.new, 1)
			if tc.name == "no steps" {
				text = validJourney[:strings.Index(validJourney, "steps:")] + "steps: []\n"
				tc.field, tc.at, tc.msg = "steps", "steps: []", "at least one step"
			}
			_, err := journey.Parse("broken.yaml", []byte(text))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, errInvalid) && rapport.ErrorCode(err) != rapport.EINVALID {
				t.Errorf("error %v is not EINVALID", err)
			}
			var fe *journey.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *journey.FieldError", err)
			}
			// The first error must be the expected one; a broken step may
			// also make another unreachable, which is fine.
			fes := fieldErrors(err)
			var got *journey.FieldError
			for _, e := range fes {
				if e.Field == tc.field && strings.Contains(e.Msg, tc.msg) {
					got = e
				}
			}
			if got == nil {
				t.Fatalf("no error on field %q saying %q; got %v", tc.field, tc.msg, err)
			}
			if got.File != "broken.yaml" {
				t.Errorf("file %q, want broken.yaml", got.File)
			}
			if tc.at != "" {
				if want := lineContaining(t, text, tc.at); got.Line != want {
					t.Errorf("line %d, want %d (%q): %v", got.Line, want, tc.at, got)
				}
			}
			if !strings.Contains(got.Error(), "broken.yaml") {
				t.Errorf("message %q does not name the file", got.Error())
			}
		})
	}
}

// billionLaughs nests aliases nine times nine: 9^7 strings if expanded.
const billionLaughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
`

var errInvalid = rapport.Errorf(rapport.EINVALID, "x")

// fieldErrors flattens joined errors into their FieldErrors.
func fieldErrors(err error) []*journey.FieldError {
	var out []*journey.FieldError
	var fe *journey.FieldError
	if errors.As(err, &fe) && fe != nil {
		if j, ok := err.(interface{ Unwrap() []error }); !ok {
			return []*journey.FieldError{fe}
		} else {
			for _, e := range j.Unwrap() {
				out = append(out, fieldErrors(e)...)
			}
		}
	}
	return out
}

// TestValidationReportsEveryError checks all problems come back together, in line order.
func TestValidationReportsEveryError(t *testing.T) {
	t.Parallel()
	text := strings.NewReplacer("version: 1", "version: 0", "purpose: outreach", "purpose: sales", "priority: normal", "priority: asap").Replace(validJourney)
	_, err := journey.Parse("many.yaml", []byte(text))
	fes := fieldErrors(err)
	if len(fes) != 3 {
		t.Fatalf("%d errors, want 3: %v", len(fes), err)
	}
	for i := 1; i < len(fes); i++ {
		if fes[i].Line < fes[i-1].Line {
			t.Errorf("errors out of line order: %v", err)
		}
	}
}

// TestLoadDirDuplicate checks two files defining one id and version.
func TestLoadDirDuplicate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, n := range []string{"a.yaml", "b.yml"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(validJourney), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a journey"), 0o600); err != nil {
		t.Fatal(err)
	}
	defs, err := journey.LoadDir(dir)
	fes := fieldErrors(err)
	if len(defs) != 1 || len(fes) != 1 || fes[0].File != "b.yml" || fes[0].Field != "id" || !strings.Contains(fes[0].Msg, "also defined in a.yaml") {
		t.Fatalf("%d definitions, error %v", len(defs), err)
	}
}

// TestLoadFileErrorsNameTheFile checks a file that is broken and one that is missing.
func TestLoadFileErrorsNameTheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(validJourney, "version: 1", "version: 0", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := journey.LoadFile(path)
	var fe *journey.FieldError
	if !errors.As(err, &fe) || fe.File != "bad.yaml" || fe.Line != 2 {
		t.Fatalf("error %v", err)
	}
	if _, err := journey.LoadFile(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Fatalf("missing file: %v", err)
	}
}
