package messaging_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
)

// cp is a contact point for Plan tests, with an id and a status.
func cp(id string, c rapport.ContactPoint, status rapport.ContactStatus) rapport.ContactPoint {
	c.ID, c.Status = id, status
	if c.Status == "" {
		c.Status = rapport.StatusValid
	}
	return c
}

func optOut(ch rapport.Channel, purpose rapport.Purpose, at time.Time) rapport.Consent {
	return rapport.Consent{Channel: ch, Purpose: purpose, Decision: rapport.OptOut, RecordedAt: at}
}

func optIn(ch rapport.Channel, purpose rapport.Purpose, at time.Time) rapport.Consent {
	return rapport.Consent{Channel: ch, Purpose: purpose, Decision: rapport.OptIn, RecordedAt: at}
}

// TestPlanChannel: consent, channel choice, contact points, deceased.
func TestPlanChannel(t *testing.T) {
	t.Parallel()
	now := start // 10:00 in Chicago
	mob := cp("mob", mobile("+15125550101"), "")
	mob2 := cp("mob2", mobile("+15125550102"), "")
	home := cp("home", landline("+15125550103"), "")
	mail := cp("mail", email("rosa@example.org"), "")
	care, outreach := rapport.PurposeCare, rapport.PurposeOutreach
	sms, voice, mailCh := rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail
	cases := []struct {
		name       string
		contacts   []rapport.ContactPoint
		preferred  rapport.Channel
		deceased   bool
		consents   []rapport.Consent
		addrs      map[string][]rapport.AddressConsent
		req        messaging.Request
		want       rapport.Channel
		contact    string
		fallback   []rapport.Channel
		suppressed string
	}{
		{name: "mobile gets sms, the rest is fallback", contacts: []rapport.ContactPoint{mob, mail}, req: messaging.Request{Purpose: care},
			want: sms, contact: "mob", fallback: []rapport.Channel{voice, mailCh}},
		{name: "landline gets a call", contacts: []rapport.ContactPoint{home, mail}, req: messaging.Request{Purpose: care},
			want: voice, contact: "home", fallback: []rapport.Channel{mailCh}},
		{name: "mobile preferred to landline for sms and voice", contacts: []rapport.ContactPoint{home, mob}, req: messaging.Request{Purpose: care, Channels: []rapport.Channel{voice}},
			want: voice, contact: "mob"},
		{name: "preferred channel first", contacts: []rapport.ContactPoint{mob, mail}, preferred: mailCh, req: messaging.Request{Purpose: care},
			want: mailCh, contact: "mail", fallback: []rapport.Channel{sms, voice}},
		{name: "request's channels win over the preference", contacts: []rapport.ContactPoint{mob, mail}, preferred: mailCh,
			req: messaging.Request{Purpose: care, Channels: []rapport.Channel{voice}}, want: voice, contact: "mob"},
		{name: "pinned contact", contacts: []rapport.ContactPoint{mob, mob2}, req: messaging.Request{Purpose: care, ContactID: "mob2"},
			want: sms, contact: "mob2", fallback: []rapport.Channel{voice}},
		{name: "pinned contact that cannot take the channel", contacts: []rapport.ContactPoint{mob, mail}, req: messaging.Request{Purpose: care, ContactID: "mail", Channels: []rapport.Channel{sms}},
			suppressed: "no usable contact point for sms"},
		{name: "invalid phone skipped", contacts: []rapport.ContactPoint{cp("bad", mobile("+15125550104"), rapport.StatusInvalid), mail}, req: messaging.Request{Purpose: care},
			want: mailCh, contact: "mail"},
		{name: "unreachable phone skipped for another", contacts: []rapport.ContactPoint{cp("gone", mobile("+15125550105"), rapport.StatusUnreachable), mob2}, req: messaging.Request{Purpose: care},
			want: sms, contact: "mob2", fallback: []rapport.Channel{voice}},
		{name: "opted-out contact point skipped", contacts: []rapport.ContactPoint{cp("oo", mobile("+15125550106"), rapport.StatusOptedOut)}, req: messaging.Request{Purpose: care},
			suppressed: "no usable contact point"},
		{name: "unverified contact point still tried", contacts: []rapport.ContactPoint{cp("u", mobile("+15125550107"), rapport.StatusUnverified)}, req: messaging.Request{Purpose: care, Channels: []rapport.Channel{sms}},
			want: sms, contact: "u"},
		{name: "opted out of sms outreach: care still goes by sms", contacts: []rapport.ContactPoint{mob, mail},
			consents: []rapport.Consent{optOut(sms, outreach, now.Add(-time.Hour))}, req: messaging.Request{Purpose: care}, want: sms, contact: "mob", fallback: []rapport.Channel{voice, mailCh}},
		{name: "opted out of sms outreach: outreach goes by voice", contacts: []rapport.ContactPoint{mob, mail},
			consents: []rapport.Consent{optOut(sms, outreach, now.Add(-time.Hour))}, req: messaging.Request{Purpose: outreach}, want: voice, contact: "mob", fallback: []rapport.Channel{mailCh}},
		{name: "opted-out channels leave the fallback", contacts: []rapport.ContactPoint{mob, mail},
			consents: []rapport.Consent{optOut(voice, care, now.Add(-time.Hour))}, req: messaging.Request{Purpose: care}, want: sms, contact: "mob", fallback: []rapport.Channel{mailCh}},
		{name: "opted out everywhere", contacts: []rapport.ContactPoint{mob},
			consents:   []rapport.Consent{optOut(sms, outreach, now.Add(-time.Hour)), optOut(voice, outreach, now.Add(-time.Hour))},
			req:        messaging.Request{Purpose: outreach},
			suppressed: "opted out of sms for outreach; opted out of voice for outreach"},
		{name: "a later opt-in wins", contacts: []rapport.ContactPoint{mob},
			consents: []rapport.Consent{optIn(sms, care, now.Add(-time.Minute)), optOut(sms, care, now.Add(-time.Hour))}, req: messaging.Request{Purpose: care, Channels: []rapport.Channel{sms}},
			want: sms, contact: "mob"},
		{name: "a later opt-out wins", contacts: []rapport.ContactPoint{mob},
			consents: []rapport.Consent{optOut(sms, care, now.Add(-time.Minute)), optIn(sms, care, now.Add(-time.Hour))}, req: messaging.Request{Purpose: care, Channels: []rapport.Channel{sms}},
			suppressed: "opted out of sms for care"},
		{name: "compliance goes whatever the consent", contacts: []rapport.ContactPoint{mob},
			consents: []rapport.Consent{optOut(sms, care, now.Add(-time.Minute))}, req: messaging.Request{Purpose: care, Compliance: true, Channels: []rapport.Channel{sms}},
			want: sms, contact: "mob"},
		{name: "deceased", contacts: []rapport.ContactPoint{mob}, deceased: true, req: messaging.Request{Purpose: care, Urgent: true},
			suppressed: "deceased"},
		{name: "deceased, even compliance", contacts: []rapport.ContactPoint{mob}, deceased: true, req: messaging.Request{Purpose: care, Compliance: true},
			suppressed: "deceased"},
		{name: "no contact points", req: messaging.Request{Purpose: care}, suppressed: "no usable contact point for sms, voice, email"},
		// Opt-outs by address hold whichever record has the address.
		{name: "stopped number: the other mobile", contacts: []rapport.ContactPoint{mob, mob2}, addrs: stopped("+15125550101", sms, outreach),
			req: messaging.Request{Purpose: outreach, Channels: []rapport.Channel{sms}}, want: sms, contact: "mob2"},
		{name: "stopped number: email instead", contacts: []rapport.ContactPoint{mob, mail},
			addrs: merge(stopped("+15125550101", sms, outreach), stopped("+15125550101", voice, outreach)), req: messaging.Request{Purpose: outreach},
			want: mailCh, contact: "mail"},
		{name: "stopped number, care still goes", contacts: []rapport.ContactPoint{mob}, addrs: stopped("+15125550101", sms, outreach),
			req: messaging.Request{Purpose: care}, want: sms, contact: "mob", fallback: []rapport.Channel{voice}},
		{name: "unsubscribed email, any case on record", contacts: []rapport.ContactPoint{cp("m", email(" Rosa@Example.ORG"), "")}, addrs: stopped("rosa@example.org", mailCh, outreach),
			req: messaging.Request{Purpose: outreach}, suppressed: "address opted out of email for outreach"},
		{name: "opted back in from the number", contacts: []rapport.ContactPoint{mob},
			addrs: map[string][]rapport.AddressConsent{"+15125550101": {
				{Address: "+15125550101", Channel: sms, Purpose: outreach, Decision: rapport.OptOut, RecordedAt: now.Add(-2 * time.Hour)},
				{Address: "+15125550101", Channel: sms, Purpose: outreach, Decision: rapport.OptIn, RecordedAt: now.Add(-time.Hour)}}},
			req: messaging.Request{Purpose: outreach, Channels: []rapport.Channel{sms}}, want: sms, contact: "mob"},
		{name: "compliance reaches a stopped number", contacts: []rapport.ContactPoint{mob}, addrs: stopped("+15125550101", sms, care),
			req: messaging.Request{Purpose: care, Channels: []rapport.Channel{sms}, Compliance: true}, want: sms, contact: "mob"},
	}
	pol := messaging.DefaultPolicy()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := &rapport.Patient{ID: "p1", Language: "en", TimeZone: "America/Chicago", Contacts: c.contacts, PreferredChannel: c.preferred, Deceased: c.deceased}
			req := c.req
			d := pol.Plan(p, c.consents, c.addrs, &req, now, nil)
			if c.suppressed != "" {
				if !strings.Contains(d.Suppressed, c.suppressed) || d.Channel != "" {
					t.Errorf("decision %+v; want suppressed with %q", d, c.suppressed)
				}
				return
			}
			if d.Suppressed != "" || d.Channel != c.want || d.Contact.ID != c.contact || !equalChannels(d.Fallback, c.fallback) {
				t.Errorf("decision: channel %q contact %q fallback %v suppressed %q; want %q %q %v", d.Channel, d.Contact.ID, d.Fallback, d.Suppressed, c.want, c.contact, c.fallback)
			}
			if !d.NotBefore.Equal(now) || !d.Deadline.Equal(now.Add(24*time.Hour)) {
				t.Errorf("times: %v–%v, want now and a day later", d.NotBefore, d.Deadline)
			}
		})
	}
}

func equalChannels(a, b []rapport.Channel) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func utc(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}

// TestPlanTime: quiet hours across DST, zone fallbacks, caps, and what
// urgent and compliance messages skip.
func TestPlanTime(t *testing.T) {
	t.Parallel()
	ny := "America/New_York"
	cases := []struct {
		name     string
		zone     string // the patient's own
		contact  rapport.ContactPoint
		zip      string
		orgZone  string
		req      messaging.Request
		now      time.Time
		previous []time.Time
		wantZone string
		want     time.Time
	}{
		// Spring forward: 2026-03-08 02:00 EST becomes 03:00 EDT.
		{name: "late evening before spring forward", zone: ny, now: utc(2026, 3, 8, 3, 0), // 22:00 EST on the 7th
			wantZone: ny, want: utc(2026, 3, 8, 12, 0)}, // 08:00 EDT
		{name: "just after the jump", zone: ny, now: utc(2026, 3, 8, 7, 30), // 03:30 EDT (just after the jump)
			wantZone: ny, want: utc(2026, 3, 8, 12, 0)},
		{name: "inside the window after spring forward", zone: ny, now: utc(2026, 3, 8, 12, 30), wantZone: ny, want: utc(2026, 3, 8, 12, 30)},
		{name: "20:59 EDT is allowed", zone: ny, now: utc(2026, 3, 9, 0, 59), wantZone: ny, want: utc(2026, 3, 9, 0, 59)},
		{name: "21:00 EDT waits for the morning", zone: ny, now: utc(2026, 3, 9, 1, 0), wantZone: ny, want: utc(2026, 3, 9, 12, 0)},
		// Fall back: 2026-11-01 02:00 EDT becomes 01:00 EST.
		{name: "night of fall back", zone: ny, now: utc(2026, 11, 1, 5, 30), wantZone: ny, want: utc(2026, 11, 1, 13, 0)}, // 08:00 EST
		{name: "requested time in the future", zone: ny, now: utc(2026, 3, 9, 13, 0), req: messaging.Request{NotBefore: utc(2026, 3, 10, 2, 0)},
			wantZone: ny, want: utc(2026, 3, 10, 12, 0)},
		// Zone fallbacks.
		{name: "patient zone first", zone: "America/Los_Angeles", contact: mobile("+12125550123"), zip: "60601", now: utc(2026, 3, 3, 14, 0),
			wantZone: "America/Los_Angeles", want: utc(2026, 3, 3, 16, 0)},
		{name: "unknown patient zone: phone's zone", zone: "Mars/Olympus", contact: mobile("+12125550123"), zip: "85001", now: utc(2026, 3, 3, 12, 0),
			wantZone: ny, want: utc(2026, 3, 3, 13, 0)},
		{name: "no zone: phone's zone", contact: mobile("+18085550123"), now: utc(2026, 3, 3, 17, 0), wantZone: "Pacific/Honolulu", want: utc(2026, 3, 3, 18, 0)},
		{name: "no phone: ZIP", contact: email("a@example.org"), zip: "85001", now: utc(2026, 3, 3, 14, 0), wantZone: "America/Phoenix", want: utc(2026, 3, 3, 15, 0)},
		{name: "no phone, no ZIP: org zone", contact: email("a@example.org"), orgZone: "America/Denver", now: utc(2026, 3, 3, 14, 0),
			wantZone: "America/Denver", want: utc(2026, 3, 3, 15, 0)},
		{name: "foreign org: no ZIP guess", contact: email("a@example.org"), zip: "28013", orgZone: "Europe/Madrid", now: utc(2026, 3, 3, 6, 0),
			wantZone: "Europe/Madrid", want: utc(2026, 3, 3, 7, 0)},
		// +1 208 is in Boise's zone and Los Angeles': without a ZIP, only
		// the hours both allow (08:00–20:00 Pacific) hold, not Chicago's.
		{name: "zones differ, morning: wait for the later one", contact: mobile("+12085550123"), now: utc(2026, 3, 3, 15, 30),
			wantZone: "America/Chicago", want: utc(2026, 3, 3, 16, 0)},
		{name: "zones differ, evening: wait for tomorrow", contact: mobile("+12085550123"), now: utc(2026, 3, 4, 4, 30),
			wantZone: "America/Chicago", want: utc(2026, 3, 4, 16, 0)},
		{name: "zones differ, ZIP decides", contact: mobile("+12085550123"), zip: "83702", now: utc(2026, 3, 3, 15, 30),
			wantZone: "America/Boise", want: utc(2026, 3, 3, 15, 30)},
		{name: "Phoenix keeps standard time", zone: "America/Phoenix", now: utc(2026, 3, 9, 14, 30), wantZone: "America/Phoenix", want: utc(2026, 3, 9, 15, 0)},
		// Caps: one outreach a day, three a week, in the patient's zone.
		{name: "second outreach today waits for tomorrow", zone: ny, req: messaging.Request{Purpose: rapport.PurposeOutreach},
			now: utc(2026, 3, 3, 15, 0), previous: []time.Time{utc(2026, 3, 3, 14, 0)}, wantZone: ny, want: utc(2026, 3, 4, 13, 0)},
		{name: "yesterday's send does not count today", zone: ny, req: messaging.Request{Purpose: rapport.PurposeOutreach},
			now: utc(2026, 3, 3, 15, 0), previous: []time.Time{utc(2026, 3, 2, 23, 0)}, wantZone: ny, want: utc(2026, 3, 3, 15, 0)},
		{name: "fourth in a week waits for the first to leave the week", zone: ny, req: messaging.Request{Purpose: rapport.PurposeOutreach},
			now: utc(2026, 3, 5, 15, 0), previous: []time.Time{utc(2026, 3, 1, 16, 0), utc(2026, 3, 2, 16, 0), utc(2026, 3, 4, 16, 0)},
			wantZone: ny, want: utc(2026, 3, 8, 16, 0)},
		{name: "care is not capped", zone: ny, req: messaging.Request{Purpose: rapport.PurposeCare},
			now: utc(2026, 3, 3, 15, 0), previous: []time.Time{utc(2026, 3, 3, 14, 0), utc(2026, 3, 3, 14, 30)}, wantZone: ny, want: utc(2026, 3, 3, 15, 0)},
		{name: "cap then quiet hours", zone: ny, req: messaging.Request{Purpose: rapport.PurposeOutreach},
			now: utc(2026, 3, 4, 1, 30), previous: []time.Time{utc(2026, 3, 3, 23, 0)}, wantZone: ny, want: utc(2026, 3, 4, 13, 0)},
		// Urgent and compliance skip quiet hours and caps.
		{name: "urgent at night", zone: ny, req: messaging.Request{Purpose: rapport.PurposeCare, Urgent: true}, now: utc(2026, 3, 8, 7, 30), wantZone: ny, want: utc(2026, 3, 8, 7, 30)},
		// Only care may be urgent: an urgent flag on outreach changes nothing.
		{name: "urgent outreach stays capped", zone: ny, req: messaging.Request{Purpose: rapport.PurposeOutreach, Urgent: true},
			now: utc(2026, 3, 3, 15, 0), previous: []time.Time{utc(2026, 3, 3, 14, 0)}, wantZone: ny, want: utc(2026, 3, 4, 13, 0)},
		{name: "urgent outreach waits for morning", zone: ny, req: messaging.Request{Purpose: rapport.PurposeOutreach, Urgent: true},
			now: utc(2026, 3, 8, 7, 30), wantZone: ny, want: utc(2026, 3, 8, 12, 0)},
		{name: "compliance at night", zone: ny, req: messaging.Request{Purpose: rapport.PurposeCare, Compliance: true}, now: utc(2026, 3, 8, 5, 0), wantZone: ny, want: utc(2026, 3, 8, 5, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pol := messaging.DefaultPolicy()
			if c.orgZone != "" {
				pol.OrgTimeZone = c.orgZone
			}
			contact := c.contact
			if contact.Kind == "" {
				contact = mobile("+15125550123")
			}
			p := &rapport.Patient{ID: "p1", TimeZone: c.zone, Contacts: []rapport.ContactPoint{cp("c", contact, "")}}
			p.Address.PostalCode = c.zip
			req := c.req
			if req.Purpose == "" {
				req.Purpose = rapport.PurposeCare
			}
			d := pol.Plan(p, nil, nil, &req, c.now, c.previous)
			if d.Suppressed != "" {
				t.Fatalf("suppressed: %s", d.Suppressed)
			}
			if d.Location == nil || d.Location.String() != c.wantZone {
				t.Errorf("zone %v, want %s", d.Location, c.wantZone)
			}
			if !d.NotBefore.Equal(c.want) {
				t.Errorf("not before %v (%v local), want %v (%v local)", d.NotBefore, d.NotBefore.In(d.Location), c.want, c.want.In(d.Location))
			}
			if !d.Deadline.Equal(d.NotBefore.Add(pol.GiveUpAfter)) {
				t.Errorf("deadline %v, want %v after %v", d.Deadline, pol.GiveUpAfter, d.NotBefore)
			}
			if !req.Urgent && !req.Compliance && !pol.Quiet.AllowedAll(d.NotBefore, d.QuietZones) {
				t.Errorf("planned in quiet hours: %v in zones %v", d.NotBefore, d.QuietZones)
			}
		})
	}
}

// stopped is an opt-out recorded against an address an hour before start.
func stopped(addr string, ch rapport.Channel, purpose rapport.Purpose) map[string][]rapport.AddressConsent {
	return map[string][]rapport.AddressConsent{addr: {{Address: addr, Channel: ch, Purpose: purpose, Decision: rapport.OptOut, RecordedAt: start.Add(-time.Hour)}}}
}

func merge(ms ...map[string][]rapport.AddressConsent) map[string][]rapport.AddressConsent {
	out := map[string][]rapport.AddressConsent{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = append(out[k], v...)
		}
	}
	return out
}

// TestPlanPatientTimed: a care message at a time the patient chose goes
// at that time inside quiet hours; an outreach one cannot be so timed; a
// deadline stops a message that quiet hours would hold past it.
func TestPlanPatientTimed(t *testing.T) {
	t.Parallel()
	ny := "America/New_York"
	at630 := utc(2026, 3, 10, 10, 30) // 06:30 EDT, inside quiet hours
	cases := []struct {
		name           string
		req            messaging.Request
		want           time.Time
		wantSuppressed bool
		wantDeadline   time.Time
	}{
		{name: "patient-timed care at 06:30", req: messaging.Request{Purpose: rapport.PurposeCare, PatientTimed: true, NotBefore: at630}, want: at630},
		{name: "prescriber-timed care at 06:30 waits for 08:00", req: messaging.Request{Purpose: rapport.PurposeCare, NotBefore: at630}, want: utc(2026, 3, 10, 12, 0)},
		{name: "patient-timed outreach still keeps quiet hours", req: messaging.Request{Purpose: rapport.PurposeOutreach, PatientTimed: true, NotBefore: at630}, want: utc(2026, 3, 10, 12, 0)},
		{name: "deadline before the morning: not sent", req: messaging.Request{Purpose: rapport.PurposeCare, NotBefore: at630, Deadline: at630.Add(time.Hour)}, wantSuppressed: true},
		{name: "deadline after the morning: sent at 08:00, deadline kept", req: messaging.Request{Purpose: rapport.PurposeCare, NotBefore: at630, Deadline: at630.Add(3 * time.Hour)},
			want: utc(2026, 3, 10, 12, 0), wantDeadline: at630.Add(3 * time.Hour)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pol := messaging.DefaultPolicy()
			p := &rapport.Patient{ID: "p1", TimeZone: ny, Contacts: []rapport.ContactPoint{cp("c", mobile("+15125550123"), "")}}
			req := c.req
			d := pol.Plan(p, nil, nil, &req, utc(2026, 3, 10, 3, 0), nil)
			if (d.Suppressed != "") != c.wantSuppressed {
				t.Fatalf("suppressed %q, want suppressed %v", d.Suppressed, c.wantSuppressed)
			}
			if c.wantSuppressed {
				return
			}
			if !d.NotBefore.Equal(c.want) {
				t.Errorf("not before %v, want %v", d.NotBefore, c.want)
			}
			if !c.wantDeadline.IsZero() && !d.Deadline.Equal(c.wantDeadline) {
				t.Errorf("deadline %v, want %v", d.Deadline, c.wantDeadline)
			}
		})
	}
}
