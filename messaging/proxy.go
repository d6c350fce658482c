package messaging

import (
	"context"
	"errors"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

// Messages to a caregiver on a patient's behalf (Request.Caregiver) go
// through the same pipeline as the patient's, with the caregiver in the
// patient's place: the caregiver's own contact points (never the
// patient's), language and consent, and quiet hours on the caregiver's
// clock. Their ledger events are kinds of their own (proxyEventPrefix), so
// that the patient's reach, engagement and decliner counts never see them,
// and the patient's caps neither count them nor hold them.

// proxyEventPrefix begins the ledger kind of every event of a message to a
// caregiver: "caregiver.message.sent".
const proxyEventPrefix = "caregiver."

// ProxyEventKind is the ledger kind of an event of kind k about a message
// to a caregiver.
func ProxyEventKind(k rapport.EventKind) rapport.EventKind { return proxyEventPrefix + k }

// proxyRefusal is why a message may not go to a caregiver now; it names
// no patient data.
const proxyRefusal = "caregiver may not receive it: no consent, revoked, opted out, or outside its scope"

// planProxy turns a request to a caregiver into a message row, as plan
// does for the patient. Compliance messages (a STOP's confirmation) go
// whatever the caregiver's consent; no other message does without it.
func (p *Pipeline) planProxy(pt *rapport.Patient, addrs map[string][]rapport.AddressConsent, req *Request, now time.Time) (*rapport.Message, error) {
	cg := req.Caregiver
	// The caregiver in the patient's place: their contacts and language.
	// The patient's consents and caps are the patient's: the caregiver's
	// consent decides, and the caregiver's address consents (a STOP).
	stand := &rapport.Patient{ID: pt.ID, Given: cg.Given, Language: cg.Language, Contacts: cg.Contacts, Deceased: pt.Deceased}
	pol := p.Policy
	pol.OrgTimeZone, pol.Caps = p.proxyFallbackZone(pt.TimeZone, pt.Address.PostalCode), nil
	m, err := p.planWith(pol, stand, nil, addrs, nil, req, now)
	if err != nil {
		return nil, err
	}
	m.CaregiverID, m.Proxy = cg.ID, req.Proxy
	if m.Status == rapport.MessageQueued && !req.Compliance && !cg.MayReceive(req.Proxy, now) {
		m.Status, m.StatusReason, m.NotBefore, m.Deadline = rapport.MessageSuppressed, proxyRefusal, now, now
		m.Channel, m.ContactID, m.To, m.Segments, m.Fallback = "", "", "", 0, nil
	}
	return m, nil
}

// proxyFallbackZone is the zone of a caregiver whose number names none:
// the patient's (their zone, else their ZIP code's), else the
// organisation's. A caregiver usually lives near the patient.
func (p *Pipeline) proxyFallbackZone(patientTZ, postalCode string) string {
	return rules.PatientLocation(patientTZ, nil, postalCode, p.Policy.OrgTimeZone).String()
}

// proxyZones are the zones whose quiet hours a message to a caregiver
// keeps at its send, as [Pipeline.planProxy] chose them.
func (p *Pipeline) proxyZones(patientTZ, postalCode string, phoneZones []string) []*time.Location {
	return rules.QuietZones("", phoneZones, "", p.proxyFallbackZone(patientTZ, postalCode))
}

// proxyAddresses lists the addresses of the caregivers' contact points in
// [rapport.AddressKey] form, for the batch's one query of address consents.
func proxyAddresses(reqs []Request) []string {
	var out []string
	for i := range reqs {
		if cg := reqs[i].Caregiver; cg != nil {
			for _, c := range cg.Contacts {
				if k := rapport.AddressKey(rapport.ChannelSMS, c.Value); k != "" {
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// proxyCaregivers loads the caregivers of the batch's queued messages to
// caregivers, by id: the send checks their consent again.
func proxyCaregivers(ctx context.Context, tx *store.Tx, msgs []*rapport.Message) (map[string]*rapport.Caregiver, error) {
	var ids []string
	for _, m := range msgs {
		if m.CaregiverID != "" && m.Status == rapport.MessageQueued {
			ids = append(ids, m.CaregiverID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return tx.FindCaregiversByID(ctx, ids)
}

// proxyAllowed reports whether a queued message to a caregiver may still
// go at now: the caregiver exists and may receive its kind.
func proxyAllowed(m *rapport.Message, cgs map[string]*rapport.Caregiver, now time.Time) bool {
	cg := cgs[m.CaregiverID]
	return m.Compliance || (cg != nil && cg.MayReceive(m.Proxy, now))
}

// learnProxy applies what a failed message to a caregiver says: an
// opt-out held by the provider opts out the address and the caregiver,
// never the patient; a bad address is marked on the caregiver's contact
// point (a number that takes no texts becomes a landline) and the message
// goes on by the next of the caregiver's channels, as a patient's does.
func (p *Pipeline) learnProxy(ctx context.Context, tx *store.Tx, m *rapport.Message, ce *channel.Error, evidence string) error {
	switch {
	case errors.Is(ce, channel.ErrRecipientOptedOut):
	case errors.Is(ce, channel.ErrBadAddress) && m.ContactID != "":
		var lt rapport.LineType
		status := rapport.StatusInvalid
		switch {
		case m.Channel == rapport.ChannelSMS && landlineCodes[ce.Code]:
			lt = rapport.LineLandline
		case ce.Code == "30003" || ce.Code == "30005":
			status = rapport.StatusUnreachable
		}
		if err := tx.LearnCaregiverContact(ctx, m.ContactID, lt, status, evidence); err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return err
		}
		return p.proxyFallback(ctx, tx, m)
	default:
		return nil
	}
	if addr := rapport.AddressKey(m.Channel, m.To); addr != "" {
		var cs []rapport.AddressConsent
		for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
			cs = append(cs, rapport.AddressConsent{Address: addr, Channel: m.Channel, Purpose: purpose,
				Decision: rapport.OptOut, Source: rapport.SourcePatient, Evidence: "opt-out held by the provider: " + evidence})
		}
		if err := tx.RecordAddressConsents(ctx, cs); err != nil {
			return err
		}
	}
	_, err := tx.OptOutCaregivers(ctx, []string{m.CaregiverID}, "provider:"+string(m.ID))
	return err
}

// proxyFallback queues a failed message to a caregiver again on the next
// channels of its fallback order, to the same caregiver as they are now
// (the contact point just learned of is no longer chosen), through the
// whole pipeline: their consent and scope are checked again.
func (p *Pipeline) proxyFallback(ctx context.Context, tx *store.Tx, m *rapport.Message) error {
	if len(m.Fallback) == 0 {
		return nil
	}
	cg, err := tx.FindCaregiverByID(ctx, m.CaregiverID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	t := m.Unfilled()
	content := Content{ByLang: map[string]Text{m.Language: {Body: t.Body, Subject: t.Subject, HTML: t.HTML}}, Fallback: m.Language}
	_, err = p.SendMany(ctx, tx, []Request{{PatientID: m.PatientID, Caregiver: cg, Proxy: m.Proxy, Purpose: m.Purpose, Channels: m.Fallback,
		Content: content, Vars: m.Vars, Urgent: m.Urgent, Compliance: m.Compliance, Journey: m.Journey, Campaign: m.Campaign, Step: m.Step}})
	return err
}

// optOutCaregivers opts out every caregiver with the sender's address and
// returns the first of them that it opted out, nil when none.
func (p *Pipeline) optOutCaregivers(ctx context.Context, tx *store.Tx, in *rapport.Inbound) (*rapport.Caregiver, error) {
	kind, addr := senderAddress(in)
	cgs, err := tx.FindCaregiversByContact(ctx, kind, addr)
	if err != nil || len(cgs) == 0 {
		return nil, err
	}
	ids := make([]string, len(cgs))
	for i, c := range cgs {
		ids[i] = c.ID
	}
	done, err := tx.OptOutCaregivers(ctx, ids, in.ID)
	if err != nil || len(done) == 0 {
		return nil, err
	}
	for _, c := range cgs {
		if c.ID == done[0] {
			return c, nil
		}
	}
	return nil, nil
}

// optInCaregivers opts in again every caregiver with the sender's address
// who had opted out, lifts the address's opt-out on the channel, and
// confirms once in the keyword's language. A weak keyword ("yes") counts
// only when one of them had opted out. It reports whether the keyword was
// a caregiver's.
func (p *Pipeline) optInCaregivers(ctx context.Context, tx *store.Tx, in *rapport.Inbound, kw rules.Keyword) (bool, error) {
	kind, addr := senderAddress(in)
	cgs, err := tx.FindCaregiversByContact(ctx, kind, addr)
	if err != nil || len(cgs) == 0 {
		return false, err
	}
	ids := make([]string, len(cgs))
	for i, c := range cgs {
		ids[i] = c.ID
	}
	done, err := tx.OptInCaregivers(ctx, ids, in.ID)
	if err != nil || len(done) == 0 {
		return false, err
	}
	// The STOP also opted the address out; a patient who shares it keeps
	// their own opt-out (recorded on the patient), which only their START lifts.
	if err := recordAddress(ctx, tx, in, rapport.OptIn, kw.Word); err != nil {
		return false, err
	}
	in.Intent, in.Status = string(kw.Kind), rapport.InboundProcessed
	for _, c := range cgs {
		if c.ID == done[0] && in.PatientID == "" {
			return true, p.confirmCaregiver(ctx, tx, in, kw, c, caregiverResumed)
		}
	}
	return in.PatientID == "", nil // the patient's own START goes on and is confirmed
}

// confirmCaregiver sends the one confirmation of a caregiver's keyword, to
// the number that wrote, in the keyword's language.
func (p *Pipeline) confirmCaregiver(ctx context.Context, tx *store.Tx, in *rapport.Inbound, kw rules.Keyword, cg *rapport.Caregiver, content Content) error {
	_, addr := senderAddress(in)
	contact := ""
	for _, c := range cg.Contacts {
		if c.Value == addr {
			contact = c.ID
		}
	}
	if t, ok := content.ByLang[kw.Lang]; ok {
		content = Content{ByLang: map[string]Text{kw.Lang: t}, Fallback: kw.Lang}
	}
	_, err := p.SendMany(ctx, tx, []Request{{PatientID: cg.PatientID, Caregiver: cg, Purpose: rapport.PurposeCare, Compliance: true,
		Channels: []rapport.Channel{in.Channel}, ContactID: contact, Content: content}})
	return err
}

// caregiverStopped confirms a caregiver's STOP. The caregiver's START
// lifts it (their own decision); the patient's consent to them is apart.
var caregiverStopped = Content{Fallback: "en", ByLang: map[string]Text{
	"en": {Body: "{org}: you are unsubscribed and will get no more messages from us. Reply START to get them again."},
	"es": {Body: "{org}: se ha dado de baja y no recibirá más mensajes nuestros. Responda INICIO para recibirlos de nuevo."},
}}

// caregiverResumed confirms a caregiver's START.
var caregiverResumed = Content{Fallback: "en", ByLang: map[string]Text{
	"en": {Body: "{org}: you are subscribed again and will get our messages. Reply STOP to end them."},
	"es": {Body: "{org}: se ha suscrito de nuevo y recibirá nuestros mensajes. Responda ALTO para terminarlos."},
}}
