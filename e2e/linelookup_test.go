package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/twiliotest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/store"
)

// TestLineLookupCallsALandline is issue 13's "line type without a failed
// text" on the user's path: rapport serve with --lookup twilio asks the
// (fake) Twilio Lookup about the imported numbers over HTTP; the one the
// CRM recorded as a mobile but Lookup says is a landline becomes a
// landline, so the outreach offer, which prefers SMS, calls it instead of
// sending a text that would fail, while the real mobile gets its text.
// Started again within the maximum age, serve asks Lookup nothing.
func TestLineLookupCallsALandline(t *testing.T) {
	skipShort(t)
	t.Parallel()
	proctest.Binary(t)
	const landline, mobile = "+15122345679", "+15122345678"
	fake := twiliotest.NewServer(t, twiliotest.Options{
		Undeliverable: map[string]int{landline: 30006}, // a text to it would fail
	})
	fake.SetLineType(landline, twiliotest.LineAnswer{Type: "landline", Carrier: "AT&T Local"})
	fake.SetLineType(mobile, twiliotest.LineAnswer{Type: "mobile", Carrier: "Verizon Wireless"})
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "rapport.db")
	addr := freeAddr(t)
	env := append(proctest.TwilioEnv(fake), "RAPPORT_DB="+dsn, proctest.AllHours, "RAPPORT_OUTREACH_CAPS=0",
		"RAPPORT_ORG_NAME=Hillside Clinic", "RAPPORT_ORG_PHONE=+15128000000")
	rapportCmd(t, env, "import", "fhir", writeBundle(t, []scripted{
		{mrn: "LL-1", given: "Olga", family: "Ruiz", lang: "en", phone: landline, use: "mobile"},
		{mrn: "LL-2", given: "Rosa", family: "Diaz", lang: "en", phone: mobile, use: "mobile"},
	}))
	serveArgs := []string{"serve", "--addr", addr, "--public-url", "http://" + addr, "--workers", "4",
		"--lookup", "twilio", "--lookup-rate", "20", "--lookup-max-age", "2160h", "--hygiene-every", "off"}
	srv := proctest.Start(t, env, serveArgs...)

	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lineType := func(number string) rapport.LineType {
		var cps []rapport.ContactPoint
		err := db.InTx(context.Background(), func(tx *store.Tx) (err error) {
			cps, err = tx.FindContactPointsByValue(context.Background(), rapport.ContactPhone, number)
			return err
		})
		if err != nil || len(cps) != 1 {
			t.Fatalf("contact points of %s: %v, %v", number, cps, err)
		}
		return cps[0].LineType
	}
	proctest.WaitFor(t, srv, 2*time.Minute, "both numbers looked up", func() bool {
		return fake.Lookups(landline) == 1 && fake.Lookups(mobile) == 1
	})
	proctest.WaitFor(t, srv, time.Minute, "the landline recorded as such", func() bool { return lineType(landline) == rapport.LineLandline })
	if lt := lineType(mobile); lt != rapport.LineMobile {
		t.Errorf("the mobile is now %q", lt)
	}

	rapportCmd(t, env, "campaign", "launch", "--journey", "outreach", "--holdout", "0")
	to := func(number string, kind twiliotest.Kind) int {
		n := 0
		for _, r := range fake.Requests() {
			if r.To == number && r.Kind == kind {
				n++
			}
		}
		return n
	}
	proctest.WaitFor(t, srv, 2*time.Minute, "the offer reaching both", func() bool {
		return to(landline, twiliotest.KindCall) == 1 && to(mobile, twiliotest.KindMessage) == 1
	})
	if n := to(landline, twiliotest.KindMessage); n != 0 {
		t.Errorf("%d texts to the landline; want the offer by call only", n)
	}
	if n := to(mobile, twiliotest.KindCall); n != 0 {
		t.Errorf("%d calls to the mobile; want the offer by text", n)
	}
	srv.Stop()

	// Started again: the run at start finds nothing due within the
	// maximum age and asks Lookup nothing.
	srv = proctest.Start(t, env, serveArgs...)
	proctest.WaitFor(t, srv, 2*time.Minute, "the look-up run at start", func() bool {
		return strings.Contains(srv.Output(), `msg="line lookups"`)
	})
	if out := srv.Output(); !strings.Contains(out, "asked=0") {
		t.Errorf("second start: %s; want a run that asked nothing", out)
	}
	if a, b := fake.Lookups(landline), fake.Lookups(mobile); a != 1 || b != 1 {
		t.Errorf("after a restart Lookup was asked %d and %d times; want once each (cached)", a, b)
	}
	srv.Stop()
}
