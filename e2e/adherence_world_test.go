package e2e

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web/api"
)

// rxPatient is a patient the adherence tests import, with the pharmacy's
// fills of their medicines.
type rxPatient struct {
	phone, lang string
	fills       []rxFill
}

// rxFill is one completed MedicationDispense.
type rxFill struct {
	code, display string
	handedOver    time.Time
	days          int
}

// lisinopril is the drug the adherence tests prescribe (RxNorm 314076,
// a RASA: the report's class "RASA").
var lisinopril = map[string]string{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076", "display": "lisinopril"}

// adherenceWorld is `rapport serve` as a process on the real clock, sending
// through the Twilio fake, with patients imported by `rapport import fhir`
// and a staff token. The fake posts every status callback as Twilio would,
// a tenth of a second after the send at most.
type adherenceWorld struct {
	t     *testing.T
	fake  *twiliotest.Server
	srv   *proctest.Proc
	env   []string
	base  string
	token string
	db    *store.DB
}

// startAdherenceWorld imports pats and starts serve with the extra args.
func startAdherenceWorld(t *testing.T, opts twiliotest.Options, pats []rxPatient, args ...string) *adherenceWorld {
	t.Helper()
	proctest.Binary(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	w := &adherenceWorld{t: t, fake: twiliotest.NewServer(t, opts)}
	w.env = append(proctest.TwilioEnv(w.fake), "RAPPORT_DB="+dsn, proctest.AllHours, "RAPPORT_ORG_NAME=Hillside Clinic", "RAPPORT_ORG_PHONE=+15128000000")
	rapportCmd(t, w.env, "import", "fhir", writeRxBundle(t, pats))
	w.token = strings.TrimSpace(rapportCmd(t, w.env, "token", "create", "--role", "staff", "--name", "pharmacist"))
	addr := freeAddr(t)
	w.base = "http://" + addr
	w.srv = proctest.Start(t, w.env, append([]string{"serve", "--addr", addr, "--public-url", w.base, "--log-level", "warn"}, args...)...)
	t.Cleanup(w.srv.Stop)
	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w.db = db
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			_ = w.fake.DeliverStatus(ctx)
			select {
			case <-ctx.Done():
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return w
}

// writeRxBundle writes pats as a FHIR collection Bundle of Patients (in
// Austin, TX: America/Chicago) and their MedicationDispenses.
func writeRxBundle(t *testing.T, pats []rxPatient) string {
	t.Helper()
	var entries []any
	for i, p := range pats {
		pid := fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", i)
		patient := map[string]any{
			"resourceType": "Patient",
			"identifier":   []any{map[string]any{"system": "urn:e2e:mrn", "value": fmt.Sprintf("RX-%d", i)}},
			"name":         []any{map[string]any{"family": "Ortiz", "given": []string{fmt.Sprintf("Eva%d", i)}}},
			"birthDate":    "1955-06-01",
			"telecom":      []any{map[string]any{"system": "phone", "value": p.phone, "use": "mobile"}},
			"address":      []any{map[string]any{"state": "TX", "postalCode": "78701", "country": "US"}},
			"communication": []any{map[string]any{"preferred": true,
				"language": map[string]any{"coding": []any{map[string]any{"system": "urn:ietf:bcp:47", "code": p.lang}}}}},
		}
		entries = append(entries, map[string]any{"fullUrl": pid, "resource": patient})
		for j, f := range p.fills {
			entries = append(entries, map[string]any{"fullUrl": fmt.Sprintf("urn:uuid:00000000-0000-4000-a%03d-%012d", i, j), "resource": map[string]any{
				"resourceType": "MedicationDispense", "status": "completed",
				"medicationCodeableConcept": map[string]any{"coding": []any{map[string]any{"system": lisinopril["system"], "code": f.code, "display": f.display}}},
				"subject":                   map[string]any{"reference": pid},
				"quantity":                  map[string]any{"value": f.days},
				"daysSupply":                map[string]any{"value": f.days, "unit": "d"},
				"whenHandedOver":            f.handedOver.Format(time.RFC3339),
			}})
		}
	}
	b, err := json.MarshalIndent(map[string]any{"resourceType": "Bundle", "type": "collection", "entry": entries}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "patients.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// patientID is the rapport id of the patient at phone.
func (w *adherenceWorld) patientID(phone string) string {
	w.t.Helper()
	var cps []rapport.ContactPoint
	err := w.db.InTx(context.Background(), func(tx *store.Tx) (err error) {
		cps, err = tx.FindContactPointsByValue(context.Background(), rapport.ContactPhone, phone)
		return err
	})
	if err != nil || len(cps) != 1 {
		w.t.Fatalf("the patient at %s: %v, %v", phone, cps, err)
	}
	return string(cps[0].PatientID)
}

// addRegimen enters a regimen through the API, as staff do.
func (w *adherenceWorld) addRegimen(phone string, body map[string]any) api.Regimen {
	w.t.Helper()
	status, b := postJSON(w.t, w.base+"/api/v1/patients/"+w.patientID(phone)+"/regimens", w.token, body)
	var reg api.Regimen
	if err := json.Unmarshal(b, &reg); status != 201 || err != nil {
		w.t.Fatalf("POST regimens: %d %s", status, b)
	}
	return reg
}

// waitRequest waits for the first request of kind to phone whose text
// (the SMS body, or what the call says) contains substr, after the
// first skip such requests.
func (w *adherenceWorld) waitRequest(kind twiliotest.Kind, phone, substr string, skip int, within time.Duration) twiliotest.Request {
	w.t.Helper()
	var found twiliotest.Request
	proctest.WaitFor(w.t, w.srv, within, fmt.Sprintf("a %s to %s saying %q", kind, phone, substr), func() bool {
		n := 0
		for _, r := range w.fake.Requests() {
			if r.Kind == kind && r.To == phone && strings.Contains(requestText(r), substr) {
				if n == skip {
					found = r
					return true
				}
				n++
			}
		}
		return false
	})
	return found
}

// requests counts the requests of kind to phone whose text contains substr.
func (w *adherenceWorld) requests(kind twiliotest.Kind, phone, substr string) int {
	n := 0
	for _, r := range w.fake.Requests() {
		if r.Kind == kind && r.To == phone && strings.Contains(requestText(r), substr) {
			n++
		}
	}
	return n
}

// requestText is an SMS's body, or everything a call says.
func requestText(r twiliotest.Request) string {
	if r.Kind == twiliotest.KindMessage {
		return r.Body
	}
	return spoken(r.Twiml)
}

// spoken is the text of every <Say> of TwiML, in order, one space apart.
func spoken(twiml string) string {
	d := xml.NewDecoder(strings.NewReader(twiml))
	var says []string
	in := false
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			in = e.Name.Local == "Say"
		case xml.EndElement:
			in = false
		case xml.CharData:
			if in {
				says = append(says, strings.TrimSpace(string(e)))
			}
		}
	}
	return strings.Join(says, " ")
}

// waitFor waits for cond while serve runs.
func (w *adherenceWorld) waitFor(within time.Duration, what string, cond func() bool) {
	w.t.Helper()
	proctest.WaitFor(w.t, w.srv, within, what, cond)
}

// text sends body from phone to our number through the signed SMS webhook.
func (w *adherenceWorld) text(phone, body string) {
	w.t.Helper()
	if _, err := w.fake.SendInbound(context.Background(), w.base+twilio.PathSMS, phone, w.fake.Config().From, body); err != nil {
		w.t.Fatalf("the patient's %q: %v", body, err)
	}
}

// inbox lists the open items of the staff inbox through the API.
func (w *adherenceWorld) inbox() []*rapport.InboxItem {
	w.t.Helper()
	var in api.Inbox
	getJSON(w.t, w.base+"/api/v1/inbox?open=true", w.token, &in)
	return in.Items
}

// events reads the ledger's events of kind for the patient at phone.
func (w *adherenceWorld) events(phone string, kind rapport.EventKind) []rapport.Event {
	w.t.Helper()
	pid := rapport.PatientID(w.patientID(phone)) // before the transaction: the store has one connection
	var evs []rapport.Event
	err := w.db.InTx(context.Background(), func(tx *store.Tx) (err error) {
		evs, err = tx.PatientEvents(context.Background(), pid, time.Now().Add(-time.Hour), kind)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return evs
}

// nextMinute is the first whole minute at least lead from now, in zone:
// a dose time the reminder job (every 30 s) plans before it is due.
func nextMinute(t *testing.T, lead time.Duration) time.Time {
	t.Helper()
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return time.Now().Add(lead).Truncate(time.Minute).Add(time.Minute).In(chicago)
}
