package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// scripted is one patient record of the population and what the script
// expects of it.
type scripted struct {
	mrn, given, family, lang string
	phone                    string // as the CRM holds it
	use                      string // FHIR telecom use
	kind                     string // the script's name for the behaviour
	// person is who answers at phone; nil for numbers nobody answers (dead,
	// malformed, refused). Records sharing a number share the person.
	person *Person
	// outcome is the outreach outcome; nurture the decliner-nurture
	// outcome, "" when the patient must not enter it.
	outcome, nurture string
	// reason is the decline reason outreach must record, if any.
	reason string
	// maxContacts bounds the SMS and calls the number receives.
	maxContacts int
	// shared: other records hold the same number; the campaign reaches
	// the person through one of them.
	shared bool
	// mayBeRefused allows the import to reject the record (malformed CRM
	// data): it then has no enrollment at all.
	mayBeRefused bool
}

// script is the scripted population and the numbers the fake Twilio
// treats specially.
type script struct {
	records  []scripted
	dead     map[string]int // number → 30003/30005 undelivered; calls fail
	landline map[string]int // number → 30006 undelivered (SMS only)
	refused  map[string]int // number → 21211 at the API
}

// think is how long a person takes to answer: well inside a scaled day.
const think = 150 * time.Millisecond

// population builds the scripted records; phones are valid US mobiles
// (libphonenumber refuses 555 numbers).
func population() script {
	// Capacity for all: add returns pointers into records.
	sc := script{records: make([]scripted, 0, 64), dead: map[string]int{}, landline: map[string]int{}, refused: map[string]int{}}
	n := 0
	// add appends count records of one behaviour; offers, when given, vary
	// the answer to the offer record by record.
	add := func(kind, lang string, count int, s scripted, answers map[Prompt]string, offers ...string) []*scripted {
		var added []*scripted
		for i := range count {
			n++
			r := s
			r.kind, r.lang = kind, lang
			r.mrn = fmt.Sprintf("MRN-%03d", n)
			r.given, r.family = givenNames[lang][n%len(givenNames[lang])], "Test"
			if r.phone == "" {
				r.phone = fmt.Sprintf("+1512%07d", 4100000+n)
			}
			if answers != nil {
				a := maps.Clone(answers)
				if len(offers) > 0 {
					a[PromptOffer] = offers[i%len(offers)]
				}
				r.person = &Person{Phone: r.phone, Answers: a, Think: think}
			}
			if len(sc.records) == cap(sc.records) {
				panic("population: raise the capacity of records")
			}
			sc.records = append(sc.records, r)
			added = append(added, &sc.records[len(sc.records)-1])
		}
		return added
	}
	add("yes", "en", 6, scripted{outcome: "interested", maxContacts: 1}, map[Prompt]string{}, "YES", "Yes please!", "1", "yes")
	add("sí", "es", 4, scripted{outcome: "interested", maxContacts: 1}, map[Prompt]string{}, "Sí", "si", "Sí, me interesa", "1")
	add("can't afford, later yes", "en", 3, scripted{outcome: "declined", reason: "cost", nurture: "interested", maxContacts: 3},
		map[Prompt]string{PromptOffer: "No, I can't afford it", PromptReoffer: "yes"})
	add("no, then why: 2", "en", 3, scripted{outcome: "declined", nurture: "declined", maxContacts: 4},
		map[Prompt]string{PromptOffer: "no", PromptWhy: "2", PromptReoffer: "no"})
	add("no time (es), later sí", "es", 1, scripted{outcome: "declined", reason: "no_time", nurture: "interested", maxContacts: 3},
		map[Prompt]string{PromptOffer: "No gracias, no tengo tiempo", PromptReoffer: "Sí"})
	add("silent", "en", 4, scripted{outcome: "no_reply", nurture: "no_reply", maxContacts: 4}, map[Prompt]string{})
	add("question, then presses 1", "en", 2, scripted{outcome: "interested", maxContacts: 3},
		map[Prompt]string{PromptOffer: "Is it really free? How does it work?", PromptRetry: "1"})
	add("STOP", "en", 3, scripted{outcome: "opted_out", maxContacts: 2}, map[Prompt]string{PromptOffer: "STOP"})
	add("PARAR", "es", 2, scripted{outcome: "opted_out", maxContacts: 2}, map[Prompt]string{PromptOffer: "PARAR"})
	// A landline: the SMS comes back undelivered (30006); the call gets 1.
	landline := scripted{use: "home", outcome: "interested", maxContacts: 2}
	keys := map[Prompt]string{PromptOffer: "1", PromptRetry: "1"}
	for _, r := range append(add("landline, presses 1", "en", 3, landline, keys), add("landline, oprime 1", "es", 1, landline, keys)...) {
		sc.landline[r.phone] = 30006
		r.person.Landline = true
	}
	// A dead number: texts come back undelivered (30003 unreachable handset,
	// 30005 unknown handset) and a call, if one is tried, fails.
	for i, r := range add("dead number", "en", 3, scripted{outcome: "undeliverable", maxContacts: 2}, nil) {
		sc.dead[r.phone] = []int{30003, 30005}[i%2]
	}
	for i, r := range add("malformed in CRM", "en", 2, scripted{outcome: "undeliverable", mayBeRefused: true}, nil) {
		r.phone = []string{"12345", "call the front desk"}[i]
	}
	for _, r := range add("refused by Twilio (21211)", "en", 1, scripted{outcome: "undeliverable"}, nil) {
		sc.refused[r.phone] = 21211
	}
	// Two records of one person (a duplicate in the CRM): one phone, one
	// offer, one STOP; the other record's enrollment ends duplicate_address.
	dup := add("duplicate record, STOP", "en", 2, scripted{phone: "+15124199999", outcome: "opted_out", maxContacts: 3}, map[Prompt]string{PromptOffer: "STOP"})
	dup[1].person = dup[0].person
	for _, r := range dup {
		r.given, r.shared = "Jose", true
	}
	return sc
}

var givenNames = map[string][]string{
	"en": {"Ann", "Bob", "Cora", "Dan", "Eve", "Finn", "Gail", "Hank"},
	"es": {"Rosa", "Luis", "Marta", "Jorge", "Lucia", "Pablo"},
}

// people returns the distinct persons of the population.
func people(pop []scripted) []*Person {
	seen := map[*Person]bool{}
	var out []*Person
	for _, r := range pop {
		if r.person != nil && !seen[r.person] {
			seen[r.person] = true
			out = append(out, r.person)
		}
	}
	return out
}

// markers tell the journeys' texts apart, in each language, the way a
// reader would: by what they ask. They come from journeys/outreach.yaml and
// decliner-nurture.yaml.
var markers = []struct {
	prompt Prompt
	lang   string
	text   string
}{
	{PromptOffer, "en", "can lend you a blood-pressure cuff"},
	{PromptOffer, "es", "le presta un tensiómetro"},
	{PromptRetry, "en", "We can lend you a blood-pressure monitor"},
	{PromptRetry, "es", "Podemos prestarle un tensiómetro"},
	{PromptWhy, "en", "may we ask why not"},
	{PromptWhy, "es", "Nos dice por qué no"},
	{PromptReoffer, "en", "is still open"},
	{PromptReoffer, "es", "sigue en pie"},
}

// classify is the [Classifier] of the outreach and nurture journeys.
func classify(text string) (Prompt, string) {
	for _, m := range markers {
		if strings.Contains(text, m.text) {
			return m.prompt, m.lang
		}
	}
	return PromptOther, ""
}

// writeBundle writes the population as a FHIR R4 collection Bundle: each
// patient with a hypertension Condition (ICD-10-CM I10), which the outreach
// journey's segment selects.
func writeBundle(t *testing.T, pop []scripted) string {
	t.Helper()
	var entries []any
	for i, r := range pop {
		pid := fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", i)
		cid := fmt.Sprintf("urn:uuid:00000000-0000-4000-9000-%012d", i)
		telecom := map[string]any{"system": "phone", "value": r.phone}
		if r.use != "" {
			telecom["use"] = r.use
		}
		patient := map[string]any{
			"resourceType": "Patient",
			"identifier":   []any{map[string]any{"system": "urn:e2e:mrn", "value": r.mrn}},
			"name":         []any{map[string]any{"family": r.family, "given": []string{r.given}}},
			"birthDate":    "1958-03-14",
			"telecom":      []any{telecom},
			"address":      []any{map[string]any{"state": "TX", "postalCode": "78701", "country": "US"}},
			"communication": []any{map[string]any{"preferred": true,
				"language": map[string]any{"coding": []any{map[string]any{"system": "urn:ietf:bcp:47", "code": r.lang}}}}},
		}
		condition := map[string]any{
			"resourceType":   "Condition",
			"clinicalStatus": map[string]any{"coding": []any{map[string]any{"code": "active"}}},
			"code":           map[string]any{"coding": []any{map[string]any{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I10"}}},
			"subject":        map[string]any{"reference": pid},
		}
		entries = append(entries, map[string]any{"fullUrl": pid, "resource": patient}, map[string]any{"fullUrl": cid, "resource": condition})
	}
	b, err := json.MarshalIndent(map[string]any{"resourceType": "Bundle", "type": "collection", "entry": entries}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "population.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
