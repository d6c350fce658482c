package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// fataler is what the helpers need of a test, rapid's included.
type fataler interface {
	Helper()
	Fatal(args ...any)
}

func feedClock() rapport.Clock {
	return rapport.NewManualClock(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
}

// feedPatient is a patient as a CRM's feed sends it.
type feedPatient struct{ id, mrn, phone, given, birth string }

// feedBundle is a transaction Bundle of patients, as a feed posts it.
func feedBundle(t fataler, ps ...feedPatient) []byte {
	var entries []any
	for _, p := range ps {
		birth := p.birth
		if birth == "" {
			birth = "1958-03-09"
		}
		r := map[string]any{"resourceType": "Patient", "id": p.id, "birthDate": birth,
			"identifier": []any{map[string]any{"system": "urn:test:mrn", "value": p.mrn}},
			"name":       []any{map[string]any{"family": "Okafor", "given": []string{p.given}}},
			"telecom":    []any{map[string]any{"system": "phone", "use": "mobile", "value": p.phone}}}
		entries = append(entries, map[string]any{"fullUrl": "Patient/" + p.id, "resource": r,
			"request": map[string]any{"method": "PUT", "url": "Patient/" + p.id}})
	}
	body, err := json.Marshal(map[string]any{"resourceType": "Bundle", "type": "transaction", "entry": entries})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func bundleParts(bodies [][]byte) []part {
	parts := make([]part, len(bodies))
	for i, b := range bodies {
		parts[i] = part{name: "Bundle", r: bytes.NewReader(b), read: fhirReader("Bundle", fhir.KindBundle)}
	}
	return parts
}

// feedState is what the database holds of a source's patients: for each
// source id, the patient's name, identifiers and phones (with their
// status), and the possible duplicates among all patients, named by
// their source ids, so that two databases compare whatever ids they drew.
func feedState(t fataler, db *store.DB, sources map[string][]string) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	names := map[rapport.PatientID][]string{}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for src, ids := range sources {
			links, err := tx.FindSourceRecords(ctx, src, "Patient", ids)
			if err != nil {
				return err
			}
			for id, link := range links {
				p, err := tx.FindPatientByID(ctx, rapport.PatientID(link.EntityID))
				if err != nil {
					return err
				}
				names[p.ID] = append(names[p.ID], src+"/"+id)
				var ident, phones []string
				for _, x := range p.Identifiers {
					ident = append(ident, x.System+"|"+x.Value)
				}
				for _, c := range p.Contacts {
					phones = append(phones, fmt.Sprintf("%s:%s:%d", c.Value, c.Status, c.SharedBy))
				}
				slices.Sort(ident)
				slices.Sort(phones)
				out = append(out, fmt.Sprintf("%s/%s: %s %v %v", src, id, p.Given, ident, phones))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dups, err := db.FindPossibleDuplicates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	name := func(id rapport.PatientID) string {
		slices.Sort(names[id])
		return strings.Join(names[id], "+")
	}
	for _, d := range dups {
		pair := []string{name(d.A), name(d.B)}
		slices.Sort(pair)
		out = append(out, "duplicate "+strings.Join(pair, " ~ "))
	}
	slices.Sort(out)
	return out
}

// Bundles imported together leave the database as they would one after
// the other, each in its own transaction, and each is counted as it would
// be alone: a patient changed twice, new ones sharing an MRN (possible
// duplicates), a feed's patient carrying the MRN of the EHR's (the same
// person), numbers moving between patients.
func TestTogetherAsAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	together, alone := dbtest.Open(t, store.SQLite, feedClock()), dbtest.Open(t, store.SQLite, feedClock())
	phones := []string{"+15124100001", "+15124100002", "+15124100003", "+15124100004"}
	run := 0
	rapid.Check(t, func(rt *rapid.T) {
		run++
		ehr, feed := fmt.Sprintf("ehr-%d", run), fmt.Sprintf("feed-%d", run)
		mrn := func(k int) string { return fmt.Sprintf("R%d-M%d", run, k) }
		// The EHR's patients, the same in both databases.
		base := feedBundle(rt, feedPatient{id: "e0", mrn: mrn(0), phone: phones[0], given: "Ada"},
			feedPatient{id: "e1", mrn: mrn(1), phone: phones[1], given: "Bo", birth: "1971-01-02"})
		for _, db := range []*store.DB{together, alone} {
			im := &Importer{DB: db, Source: ehr}
			if _, err := im.ImportFHIRReader(ctx, bytes.NewReader(base), "Bundle", fhir.KindBundle); err != nil {
				rt.Fatal(err)
			}
		}
		bodies := make([][]byte, rapid.IntRange(2, 7).Draw(rt, "bundles"))
		for i := range bodies {
			var ps []feedPatient
			seen := map[string]bool{}
			for range rapid.IntRange(1, 3).Draw(rt, "patients") {
				id := fmt.Sprintf("f%d", rapid.IntRange(0, 4).Draw(rt, "id"))
				if seen[id] {
					continue // a Bundle names a resource once
				}
				seen[id] = true
				ps = append(ps, feedPatient{id: id, mrn: mrn(rapid.IntRange(0, 4).Draw(rt, "mrn")),
					phone: rapid.SampledFrom(phones).Draw(rt, "phone"), given: rapid.SampledFrom([]string{"Ada", "Bo", "Cy"}).Draw(rt, "given")})
			}
			bodies[i] = feedBundle(rt, ps...)
		}
		im := &Importer{DB: together, Source: feed}
		sums, err := im.importParts(ctx, bundleParts(bodies))
		if err != nil {
			rt.Fatalf("together: %v", err)
		}
		im = &Importer{DB: alone, Source: feed}
		for i, b := range bodies {
			sum, err := im.ImportFHIRReader(ctx, bytes.NewReader(b), "Bundle", fhir.KindBundle)
			if err != nil {
				rt.Fatalf("Bundle %d alone: %v", i, err)
			}
			if !reflect.DeepEqual(sums[i], sum) {
				rt.Fatalf("Bundle %d counted together:\n%s\nalone:\n%s", i, sums[i], sum)
			}
		}
		sources := map[string][]string{ehr: {"e0", "e1"}, feed: {"f0", "f1", "f2", "f3", "f4"}}
		if got, want := feedState(rt, together, sources), feedState(rt, alone, sources); !slices.Equal(got, want) {
			rt.Fatalf("together:\n%s\nalone:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// visitBundle is a transaction Bundle of one finished visit of the source's patient pid.
func visitBundle(id, pid string) []byte {
	return []byte(`{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Encounter","id":"` + id +
		`","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/` + pid + `"},"period":{"start":"2026-05-30T09:00:00Z","end":"2026-05-30T09:30:00Z"}}}]}`)
}

// An import of several parts fails whole: on a bad record, on a resource
// imported alone, and on an encounter whose patient only a later part
// brings (alone, it would be refused).
func TestImportPartsAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbtest.Each(t, feedClock, func(t *testing.T, db *store.DB) {
		im := &Importer{DB: db, Source: "crm"}
		good := feedBundle(t, feedPatient{id: "a", mrn: "M1", phone: "+15124100001", given: "Ada"})
		bad := feedBundle(t, feedPatient{id: "b", mrn: "M2", phone: "+15124100002", given: "Bo", birth: "1958-13-40"})
		rx := []byte(`{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"MedicationRequest","id":"rx1","status":"active","intent":"order",` +
			`"medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314076","display":"lisinopril"}]},` +
			`"subject":{"reference":"Patient/a"},"authoredOn":"2026-05-01"}}]}`)
		for _, tc := range []struct {
			name   string
			bodies [][]byte
			want   string
		}{
			{"a bad patient", [][]byte{good, bad}, "birthDate"},
			{"a prescription", [][]byte{good, rx}, errNotTogether.Error()},
			{"a visit before its patient", [][]byte{visitBundle("v1", "a"), good}, "Patient/a is not known"},
		} {
			sums, err := im.importParts(ctx, bundleParts(tc.bodies))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
			}
			if len(sums) != len(tc.bodies) || sums[0].ByType["Patient"] != nil {
				t.Errorf("%s: counts %v, want nothing counted for each part", tc.name, sums)
			}
			if n := counts(t, db)["patients"]; n != 0 {
				t.Errorf("%s: %d patients stored, want none", tc.name, n)
			}
		}
	})
}

func counts(t testing.TB, db *store.DB) map[string]int {
	t.Helper()
	c, err := db.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Bundles posted at once wait for the import that runs and are then
// imported together; each caller hears of its own Bundle, a bad one's
// error naming its entry while the others are kept, and a Bundle with
// more than patients is imported alone.
func TestTogetherImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbtest.Each(t, feedClock, func(t *testing.T, db *store.DB) {
		var tg Together
		who := rapport.Actor{ID: "tok1", Name: "crm-feed", Role: rapport.RoleIntegration}
		im := Importer{DB: db, Source: who.Name, Actor: &who}
		seed := feedBundle(t, feedPatient{id: "p0", mrn: "M0", phone: "+15124100009", given: "Ada"})
		if _, err := tg.Import(ctx, im, seed, "Bundle", []string{"Patient"}); err != nil {
			t.Fatal(err)
		}
		// A leader that has not started yet: the posts below queue. The
		// seed's leader answers before it looks for more and leaves: wait
		// until it has gone, or it takes this one's key away with it.
		key := togetherKey{source: who.Name, actor: who}
		waitFor(t, func() bool {
			tg.mu.Lock()
			defer tg.mu.Unlock()
			_, leading := tg.waiting[key]
			return !leading
		})
		tg.mu.Lock()
		tg.waiting[key] = []*posted{}
		tg.mu.Unlock()

		const n = 12
		type answer struct {
			sum Summary
			err error
		}
		answers := make([]answer, n)
		var wg sync.WaitGroup
		for i := range n {
			p := feedPatient{id: fmt.Sprintf("p%d", i), mrn: fmt.Sprintf("M%d", i), phone: fmt.Sprintf("+1512410%04d", 10+i), given: "Bo"}
			if i == 5 {
				p.birth = "1958-02-30"
			}
			wg.Go(func() {
				sum, err := tg.Import(ctx, im, feedBundle(t, p), "Bundle", []string{"Patient"})
				answers[i] = answer{sum, err}
			})
		}
		waitFor(t, func() bool {
			tg.mu.Lock()
			defer tg.mu.Unlock()
			return len(tg.waiting[key]) == n
		})
		tg.lead(key)
		wg.Wait()
		for i, a := range answers {
			switch {
			case i == 5:
				if a.err == nil || !strings.Contains(a.err.Error(), "Bundle entry 0 (Patient/p5): birthDate") {
					t.Errorf("Bundle %d: error %v, want one naming entry 0's birthDate", i, a.err)
				}
			case a.err != nil:
				t.Errorf("Bundle %d: %v", i, a.err)
			case i == 0 && a.sum.ByType["Patient"].Updated != 1, i > 0 && a.sum.ByType["Patient"].Created != 1:
				t.Errorf("Bundle %d counted %s", i, a.sum)
			}
		}
		if c := counts(t, db)["patients"]; c != n-1 {
			t.Errorf("%d patients stored, want %d", c, n-1)
		}
		tg.mu.Lock()
		if _, leading := tg.waiting[key]; leading {
			t.Error("the leader left its key behind: the next post would wait for ever")
		}
		tg.mu.Unlock()

		// A type imported alone: its error its own.
		enc := visitBundle("v1", "nobody")
		if _, err := tg.Import(ctx, im, enc, "Bundle", []string{"Encounter", "MedicationRequest"}); err == nil || !strings.Contains(err.Error(), "Patient/nobody is not known") {
			t.Errorf("an encounter of an unknown patient: %v", err)
		}
	})
}

// A caller that goes leaves: its Bundle, not taken yet, is not imported.
func TestTogetherCallerGone(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, store.SQLite, feedClock())
	var tg Together
	im := Importer{DB: db, Source: "crm"}
	key := togetherKey{source: "crm"}
	tg.waiting = map[togetherKey][]*posted{key: {}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := tg.Import(ctx, im, feedBundle(t, feedPatient{id: "a", mrn: "M1", phone: "+15124100001", given: "Ada"}), "Bundle", []string{"Patient"})
		done <- err
	}()
	waitFor(t, func() bool {
		tg.mu.Lock()
		defer tg.mu.Unlock()
		return len(tg.waiting[key]) == 1
	})
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want the caller's cancellation", err)
	}
	tg.lead(key)
	if c := counts(t, db)["patients"]; c != 0 {
		t.Errorf("%d patients stored for a caller that left, want none", c)
	}
}

// waitFor waits until cond holds, failing after a generous deadline.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 30 s")
		}
		time.Sleep(time.Millisecond) // polling a condition, not waiting out a time
	}
}

// A group takes Bundles in the order they came, up to its bounds, and
// passes over those whose caller has gone; a Bundle larger than the
// bytes bound goes alone.
func TestTogetherTake(t *testing.T) {
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	live := context.Background()
	p := func(ctx context.Context, size int) *posted { return &posted{ctx: ctx, body: make([]byte, size)} }
	small, big := 1000, maxTogetherBytes-500
	for _, tc := range []struct {
		name  string
		queue []*posted
		want  []int // indexes taken, the rest left
		left  int
	}{
		{"all small", []*posted{p(live, small), p(live, small), p(live, small)}, []int{0, 1, 2}, 0},
		{"the gone passed over", []*posted{p(gone, small), p(live, small), p(gone, small), p(live, small)}, []int{1, 3}, 0},
		{"bytes bound", []*posted{p(live, small), p(live, big), p(live, small)}, []int{0}, 2},
		{"a big one first goes alone", []*posted{p(live, 2*maxTogetherBytes), p(live, small)}, []int{0}, 1},
		{"a gone big one does not count", []*posted{p(gone, 2*maxTogetherBytes), p(live, small), p(live, small)}, []int{1, 2}, 0},
	} {
		var tg Together
		key := togetherKey{source: "crm"}
		tg.waiting = map[togetherKey][]*posted{key: tc.queue}
		group := tg.take(key)
		var got []int
		for _, g := range group {
			got = append(got, slices.Index(tc.queue, g))
		}
		if !slices.Equal(got, tc.want) || len(tg.waiting[key]) != tc.left {
			t.Errorf("%s: took %v leaving %d, want %v leaving %d", tc.name, got, len(tg.waiting[key]), tc.want, tc.left)
		}
	}
	var tg Together
	key := togetherKey{source: "crm"}
	q := make([]*posted, maxTogether+5)
	for i := range q {
		q[i] = p(live, 10)
	}
	tg.waiting = map[togetherKey][]*posted{key: q}
	if n := len(tg.take(key)); n != maxTogether || len(tg.waiting[key]) != 5 {
		t.Errorf("took %d of %d, want %d", n, len(q), maxTogether)
	}
}

// A visit feed's Bundles (patients and their encounters) go together too,
// each answered as alone: an encounter whose patient a later Bundle of the
// group brings is refused, as it would be alone, and the others are kept.
func TestTogetherVisits(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, feedClock, func(t *testing.T, db *store.DB) {
		im := &Importer{DB: db, Source: "ehr-feed"}
		run := func(bodies ...[]byte) []result {
			group := make([]*posted, len(bodies))
			for i, b := range bodies {
				group[i] = &posted{ctx: context.Background(), im: im, body: b, name: "Bundle", done: make(chan result, 1)}
			}
			importGroup(group)
			out := make([]result, len(group))
			for i, p := range group {
				out[i] = <-p.done
			}
			return out
		}
		created := func(r result, typ string) bool {
			return r.err == nil && r.sum.ByType[typ] != nil && r.sum.ByType[typ].Created == 1
		}
		c := feedBundle(t, feedPatient{id: "c", mrn: "M3", phone: "+15124100003", given: "Cy"})
		d := feedBundle(t, feedPatient{id: "d", mrn: "M4", phone: "+15124100004", given: "Di"})
		rs := run(c, visitBundle("v2", "c"), visitBundle("v3", "d"), d)
		if !created(rs[0], "Patient") || !created(rs[1], "Encounter") || !created(rs[3], "Patient") {
			t.Errorf("answers %+v, want c, its visit and d created", rs)
		}
		if rs[2].err == nil || !strings.Contains(rs[2].err.Error(), "Patient/d is not known") {
			t.Errorf("a visit before its patient's Bundle: %v, want refused as alone", rs[2].err)
		}
		e := feedBundle(t, feedPatient{id: "e", mrn: "M5", phone: "+15124100005", given: "Ed"})
		// In one transaction, not each alone after a failure.
		sums, err := im.importParts(context.Background(), bundleParts([][]byte{e, visitBundle("v4", "e"), visitBundle("v5", "c"), visitBundle("v3", "d")}))
		if err != nil {
			t.Fatal(err)
		}
		for i, typ := range []string{"Patient", "Encounter", "Encounter", "Encounter"} {
			if !created(result{sum: sums[i]}, typ) {
				t.Errorf("Bundle %d counted %s, want one %s created", i, sums[i], typ)
			}
		}
		if n := counts(t, db)["encounters"]; n != 4 {
			t.Errorf("%d encounters stored, want 4", n)
		}
	})
}

// Which Bundles may share an import: those of types counted per record.
func TestImportedTogether(t *testing.T) {
	for _, tc := range []struct {
		types []string
		want  bool
	}{
		{[]string{"Patient"}, true},
		{[]string{"Patient", "Encounter", "Condition", "Appointment"}, true},
		{[]string{"Patient", "MedicationRequest"}, false}, // regimens are counted per batch
		{[]string{"RelatedPerson"}, false},                // so are caregivers ended
		{[]string{"Patient", ""}, false},
		{nil, false},
	} {
		if got := importedTogether(tc.types); got != tc.want {
			t.Errorf("%q: together %v, want %v", tc.types, got, tc.want)
		}
	}
}
