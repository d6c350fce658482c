package messaging

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/verify"
)

// Policy is the organisation's rules for when and how patients may be reached.
type Policy struct {
	// Quiet is when messages may reach patients, in their local time.
	Quiet rules.Window
	// Caps limits sends per patient and purpose; purposes not listed are uncapped.
	Caps map[rapport.Purpose]rules.Caps
	// OrgTimeZone is the last resort for a patient's time zone.
	OrgTimeZone string
	// GiveUpAfter bounds retries: a message not sent this long after its
	// planned time is failed (default 24h).
	GiveUpAfter time.Duration
	// Channels is the default fallback order (default sms, voice, email).
	Channels []rapport.Channel
}

// DefaultPolicy is 08:00–21:00, at most one outreach message a day and
// three a week, in the organisation's zone America/Chicago.
func DefaultPolicy() Policy {
	return Policy{
		Quiet:       rules.DefaultWindow,
		Caps:        map[rapport.Purpose]rules.Caps{rapport.PurposeOutreach: {PerDay: 1, PerWeek: 3}},
		OrgTimeZone: "America/Chicago",
		GiveUpAfter: 24 * time.Hour,
		Channels:    []rapport.Channel{rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail},
	}
}

// Decision is where and when one message goes, or why it does not.
type Decision struct {
	Channel  rapport.Channel
	Contact  rapport.ContactPoint
	Fallback []rapport.Channel
	// Location is the patient's time zone as far as rapport can tell: the
	// day of the caps.
	Location *time.Location
	// QuietZones are the zones whose quiet hours the message keeps: more
	// than one when the number's zones disagree (see [rules.QuietZones]).
	QuietZones []*time.Location
	NotBefore  time.Time
	Deadline   time.Time
	// Suppressed says why the message must not be sent; empty when it goes.
	Suppressed string
}

// Plan decides the channel, contact point and time of a message to p, from
// the patient's consents, the decisions recorded about the patient's
// addresses (by [rapport.AddressKey]; a STOP from a number holds for every
// record that has it) and the times of earlier sends for the purpose.
// It is a pure function: every rule of the outbound pipeline is here.
func (pol Policy) Plan(p *rapport.Patient, consents []rapport.Consent, addrs map[string][]rapport.AddressConsent, req *Request, now time.Time, previous []time.Time) Decision {
	if p.Deceased {
		return Decision{Suppressed: "patient is deceased"}
	}
	var d Decision
	var refused []string
	order := pol.order(p, req)
	addrOK := func(ch rapport.Channel, c *rapport.ContactPoint) bool {
		return req.Compliance || rapport.AddressAllowed(addrs[rapport.AddressKey(ch, c.Value)], ch, req.Purpose)
	}
	for i, ch := range order {
		cp, ok := contactFor(p, ch, req.ContactID, addrOK)
		if !ok {
			if _, any := contactFor(p, ch, req.ContactID, nil); any {
				refused = append(refused, fmt.Sprintf("address opted out of %s for %s", ch, req.Purpose))
			}
			continue
		}
		if !req.Compliance && !rapport.Allowed(consents, ch, req.Purpose) {
			refused = append(refused, fmt.Sprintf("opted out of %s for %s", ch, req.Purpose))
			continue
		}
		d.Channel, d.Contact = ch, cp
		for _, next := range order[i+1:] {
			if _, ok := contactFor(p, next, req.ContactID, addrOK); ok && (req.Compliance || rapport.Allowed(consents, next, req.Purpose)) {
				d.Fallback = append(d.Fallback, next)
			}
		}
		break
	}
	if d.Channel == "" {
		if len(refused) > 0 {
			return Decision{Suppressed: strings.Join(refused, "; ")}
		}
		return Decision{Suppressed: "no usable contact point for " + channelList(order)}
	}
	zones := phoneZones(d.Contact)
	d.Location = rules.PatientLocation(p.TimeZone, zones, p.Address.PostalCode, pol.OrgTimeZone)
	d.QuietZones = rules.QuietZones(p.TimeZone, zones, p.Address.PostalCode, pol.OrgTimeZone)
	d.NotBefore = pol.when(req, now, d.Location, d.QuietZones, previous)
	giveUp := pol.GiveUpAfter
	if giveUp <= 0 {
		giveUp = 24 * time.Hour
	}
	d.Deadline = d.NotBefore.Add(giveUp)
	if !req.Deadline.IsZero() {
		if !d.NotBefore.Before(req.Deadline) {
			return Decision{Suppressed: "quiet hours or caps hold it past its deadline " + req.Deadline.UTC().Format(time.RFC3339)}
		}
		d.Deadline = req.Deadline
	}
	return d
}

// when is the first instant at or after the requested time that respects
// quiet hours in every zone of quiet and the purpose's caps in loc. Urgent care and compliance messages
// (a STOP confirmation) skip both; urgent outreach does not.
func (pol Policy) when(req *Request, now time.Time, loc *time.Location, quiet []*time.Location, previous []time.Time) time.Time {
	t := now
	if req.NotBefore.After(t) {
		t = req.NotBefore
	}
	if (&rapport.Message{Purpose: req.Purpose, Urgent: req.Urgent, Compliance: req.Compliance, PatientTimed: req.PatientTimed}).SkipsQuietHours() {
		return t
	}
	caps := pol.Caps[req.Purpose]
	for range 16 { // each rule only moves t forward; a few rounds settle it
		next := caps.NextAllowed(pol.Quiet.NextAllowedAll(t, quiet), loc, previous)
		if next.Equal(t) {
			break
		}
		t = next
	}
	return t.UTC()
}

func (pol Policy) order(p *rapport.Patient, req *Request) []rapport.Channel {
	order := req.Channels
	if len(order) == 0 {
		order = pol.Channels
		if len(order) == 0 {
			order = DefaultPolicy().Channels
		}
		if p.PreferredChannel != "" {
			order = append([]rapport.Channel{p.PreferredChannel}, slices.DeleteFunc(slices.Clone(order), func(c rapport.Channel) bool { return c == p.PreferredChannel })...)
		}
	}
	return order
}

// contactFor picks the contact point a channel would use: for SMS a usable
// phone that can take texts (not a landline), mobiles first; for voice any
// usable phone, mobiles first; for email a usable address. Lower rank wins.
// A pinned contact point id restricts the choice to that one; allowed, if
// not nil, must allow it (its address is not opted out).
func contactFor(p *rapport.Patient, ch rapport.Channel, pinned string, allowed func(rapport.Channel, *rapport.ContactPoint) bool) (rapport.ContactPoint, bool) {
	var best *rapport.ContactPoint
	score := func(c *rapport.ContactPoint) int {
		s := c.Rank
		if c.Rank == 0 {
			s = 50
		}
		if c.Use == rapport.UseMobile || c.LineType == rapport.LineMobile {
			s -= 100
		}
		if c.Status == rapport.StatusValid {
			s -= 10
		}
		return s
	}
	for i := range p.Contacts {
		c := &p.Contacts[i]
		if !c.Usable() || (pinned != "" && c.ID != pinned) {
			continue
		}
		switch ch {
		case rapport.ChannelSMS:
			if c.Kind != rapport.ContactPhone || c.LineType == rapport.LineLandline || c.LineType == rapport.LineTollFree {
				continue
			}
		case rapport.ChannelVoice:
			if c.Kind != rapport.ContactPhone {
				continue
			}
		case rapport.ChannelEmail:
			if c.Kind != rapport.ContactEmail {
				continue
			}
		default:
			continue
		}
		if allowed != nil && !allowed(ch, c) {
			continue
		}
		if best == nil || score(c) < score(best) {
			best = c
		}
	}
	if best == nil {
		return rapport.ContactPoint{}, false
	}
	return *best, true
}

func phoneZones(c rapport.ContactPoint) []string {
	if c.Kind != rapport.ContactPhone {
		return nil
	}
	return verify.TimeZonesForPhone(c.Value)
}

func channelList(cs []rapport.Channel) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
