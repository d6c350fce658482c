package metrics

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

// Filter says which part of the ledger a report covers.
type Filter struct {
	// Campaign limits the report to one campaign; empty covers everything.
	Campaign string
	// From and To bound event times (From ≤ at < To); zero is unbounded.
	From, To time.Time
	// QuietHours is the window messages may reach patients in their local
	// time, for counting violations; the zero Window means the default
	// 08:00–21:00.
	QuietHours rules.Window
	// OrgTimeZone is the organisation's zone: the last resort for a
	// patient's zone, and the zone whose days the series are counted in.
	OrgTimeZone string
}

// Funnel outcomes: a patient's latest of these counts.
const (
	outcomeInterested    = "interested"
	outcomeDeclined      = "declined"
	outcomeNoReply       = "no_reply"
	outcomeOptedOut      = "opted_out"
	outcomeUndeliverable = "undeliverable"
)

// maxVerbatims is how many example verbatims a decline reason keeps.
const maxVerbatims = 3

// patientState is what the ledger says about one patient in scope.
type patientState struct {
	contacted, replied bool
	// smsDelivered: an SMS had a delivery receipt. Delivered calls and
	// emails are not counted: a completed call may be a voicemail, and a
	// relay's acceptance says nothing of a reader.
	smsDelivered bool
	inJourney    bool // enrolled in a journey
	// noChannel: a message was suppressed because the server had no
	// channel for it; addressFailed: one failed or was suppressed for
	// another reason. An undeliverable outcome with only the first is the
	// server's doing, not a bad address.
	noChannel, addressFailed bool
	channel                  rapport.Channel // of the first message sent
	sentCampaigns            []string
	outcome                  string // latest funnel outcome
	firstOutcome             string // first funnel outcome
	// The first declined or no_reply outcome: what a later engagement
	// must follow, in time (and in the ledger when at the same time).
	declineSeq       int64
	declineAt        time.Time
	declineOutcome   string
	everDeclined     bool
	optedOutLater    bool   // an opted_out outcome after the decline
	reason, verbatim string // of the latest outcome with a reason
	reasonSeq        int64
	variant          string
	// engagedAfterDecline is the earliest engagement after the decline,
	// commonAfterDecline the earliest one a held-out patient could have too.
	engagedAfterDecline, commonAfterDecline time.Time
	lastEngaged, lastCommon                 time.Time
}

// assignment is a patient's place in a campaign: enrolled or held out.
type assignment struct {
	campaign string
	pid      rapport.PatientID
	held     bool
}

// computation is the state of one Compute.
type computation struct {
	f           Filter
	patients    map[rapport.PatientID]*patientState
	assignments map[assignment]bool // key with held=false for treatment, true for hold-out
	launches    map[string]time.Time
	firstAssign map[assignment]time.Time
	msgs        Messages
	// person maps a record that belongs to a group of records of one
	// person to the group's key (see [people]); others are their own.
	person map[rapport.PatientID]rapport.PatientID
}

// Compute computes every metric of f from the ledger, with the patients'
// attributes and the sent messages' times and sizes. It streams the ledger
// and the messages page by page: memory grows with the patients in scope,
// not with the events. The definitions are documented in the README
// ("Metrics"); they are implemented here and nowhere else.
func Compute(ctx context.Context, db *store.DB, f Filter) (*Report, error) {
	if f.QuietHours == (rules.Window{}) {
		f.QuietHours = rules.DefaultWindow
	}
	c := newComputation(f)
	var err error
	if c.person, err = people(ctx, db, f); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	scope := store.EventScan{Campaign: f.Campaign, From: f.From, To: f.To, Kinds: []rapport.EventKind{
		rapport.EventCampaignLaunched, rapport.EventCampaignHoldout, rapport.EventJourneyEnrolled, rapport.EventJourneyOutcome,
		rapport.EventMessageSent, rapport.EventMessageDelivered, rapport.EventMessageFailed, rapport.EventMessageSuppressed,
		rapport.EventMessageReceived}}
	if err := db.ScanEvents(ctx, scope, c.event); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	// Engagement counts from any journey or source, so it is read apart
	// from the campaign's own events.
	engaged := store.EventScan{From: f.From, To: f.To, Kinds: []rapport.EventKind{rapport.EventEngaged}}
	if err := db.ScanEvents(ctx, engaged, c.engaged); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	r := &Report{Campaign: f.Campaign, From: f.From, To: f.To, Patients: len(c.patients), DeclineReasons: map[string]int{},
		BySegment: map[string]Funnel{}}
	if r.SimulatedMessages, err = db.CountSimulatedMessages(ctx, f.Campaign); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	c.funnel(r)
	c.lift(r)
	c.decliners(r)
	c.firstAnswers(r)
	if err := c.segments(ctx, db, r); err != nil {
		return nil, err
	}
	r.Messages = c.msgs
	if err := c.messages(ctx, db, r); err != nil {
		return nil, err
	}
	return r, nil
}

func newComputation(f Filter) *computation {
	return &computation{f: f, patients: map[rapport.PatientID]*patientState{}, assignments: map[assignment]bool{},
		launches: map[string]time.Time{}, firstAssign: map[assignment]time.Time{},
		msgs: Messages{ByChannel: map[string]int{}}}
}

func (c *computation) patient(pid rapport.PatientID) *patientState {
	p := c.patients[pid]
	if p == nil {
		p = &patientState{}
		c.patients[pid] = p
	}
	return p
}

// outcomePayload is the part of a journey.outcome payload metrics read.
type outcomePayload struct {
	Outcome  string `json:"outcome"`
	Reason   string `json:"reason"`
	Verbatim string `json:"verbatim"`
	Variant  string `json:"variant"`
}

// event takes one event of the scope, in ledger order.
func (c *computation) event(e rapport.Event) error {
	e.PatientID = c.personOf(e.PatientID)
	if e.Kind == rapport.EventCampaignLaunched {
		var p struct {
			StartAt time.Time `json:"start_at"`
		}
		_ = json.Unmarshal(e.Payload, &p)
		if p.StartAt.IsZero() || p.StartAt.Before(e.At) {
			p.StartAt = e.At
		}
		c.launches[e.Campaign] = p.StartAt
		return nil
	}
	switch e.Kind { // message counts include messages to no known patient
	case rapport.EventMessageSent:
		c.msgs.Sent++
		c.msgs.ByChannel[string(e.Channel)]++
	case rapport.EventMessageDelivered:
		c.msgs.Delivered++
	case rapport.EventMessageFailed:
		c.msgs.Failed++
	case rapport.EventMessageSuppressed:
		c.msgs.Suppressed++
	}
	if e.PatientID == "" {
		return nil
	}
	p := c.patient(e.PatientID)
	switch e.Kind {
	case rapport.EventCampaignHoldout:
		c.assign(assignment{campaign: e.Campaign, pid: e.PatientID, held: true}, e.At)
	case rapport.EventJourneyEnrolled:
		p.inJourney = true
		var pl struct {
			Trigger string `json:"trigger"`
		}
		_ = json.Unmarshal(e.Payload, &pl)
		if e.Campaign != "" && pl.Trigger == "campaign" {
			c.assign(assignment{campaign: e.Campaign, pid: e.PatientID}, e.At)
		}
	case rapport.EventMessageSent:
		p.contacted = true
		if p.channel == "" {
			p.channel = e.Channel
		}
		if e.Campaign != "" && !contains(p.sentCampaigns, e.Campaign) {
			p.sentCampaigns = append(p.sentCampaigns, e.Campaign)
		}
	case rapport.EventMessageDelivered:
		if e.Channel == rapport.ChannelSMS {
			p.smsDelivered = true
		}
	case rapport.EventMessageFailed:
		p.addressFailed = true
	case rapport.EventMessageSuppressed:
		var pl struct {
			Reason string `json:"reason"`
		}
		_ = json.Unmarshal(e.Payload, &pl)
		if rapport.IsNoChannelReason(pl.Reason) {
			p.noChannel = true
		} else {
			p.addressFailed = true
		}
	case rapport.EventMessageReceived:
		p.replied = true
	case rapport.EventJourneyOutcome:
		var o outcomePayload
		if err := json.Unmarshal(e.Payload, &o); err != nil {
			return fmt.Errorf("ledger event %d: outcome payload: %w", e.Seq, err)
		}
		if o.Variant != "" {
			p.variant = o.Variant
		}
		switch o.Outcome {
		case outcomeInterested, outcomeDeclined, outcomeNoReply, outcomeOptedOut, outcomeUndeliverable:
			p.outcome = o.Outcome
			if p.firstOutcome == "" {
				p.firstOutcome = o.Outcome
			}
		default:
			return nil
		}
		if (o.Outcome == outcomeDeclined || o.Outcome == outcomeNoReply) && p.declineSeq == 0 {
			p.declineSeq, p.declineAt, p.declineOutcome = e.Seq, e.At, o.Outcome
		}
		if o.Outcome == outcomeDeclined {
			p.everDeclined = true
		}
		if o.Outcome == outcomeOptedOut && p.declineSeq > 0 {
			p.optedOutLater = true
		}
		if o.Reason != "" {
			// The latest reason the patient stated: a later bare "no", or
			// silence, does not erase it.
			p.reason, p.verbatim, p.reasonSeq = o.Reason, o.Verbatim, e.Seq
		}
	}
	return nil
}

// assign records a campaign assignment once, at its first event.
func (c *computation) assign(a assignment, at time.Time) {
	if _, ok := c.firstAssign[a]; ok {
		return
	}
	c.firstAssign[a] = at
	c.assignments[a] = true
}

// engaged takes one patient.engaged event. Events are dated by what they
// record (an imported appointment by its own time), so the ledger's order
// is not their time order: an engagement credits a decline only when it is
// later in time, or at the same time and later in the ledger.
func (c *computation) engaged(e rapport.Event) error {
	e.PatientID = c.personOf(e.PatientID)
	p := c.patients[e.PatientID]
	if p == nil {
		return nil // engaged, but nothing in scope is about them
	}
	var how struct {
		How string `json:"how"`
	}
	_ = json.Unmarshal(e.Payload, &how)
	common := CommonOutcome(how.How)
	p.lastEngaged = later(p.lastEngaged, e.At)
	if common {
		p.lastCommon = later(p.lastCommon, e.At)
	}
	if p.declineSeq == 0 || !(e.At.After(p.declineAt) || (e.At.Equal(p.declineAt) && e.Seq > p.declineSeq)) {
		return nil
	}
	p.engagedAfterDecline = earlier(p.engagedAfterDecline, e.At)
	if common {
		p.commonAfterDecline = earlier(p.commonAfterDecline, e.At)
	}
	return nil
}

// CommonOutcome says whether an engagement (the how of a patient.engaged
// event) is one a held-out patient can reach too, without any message: a
// booking (rapport's importer records one for every appointment booked,
// arrived or fulfilled, so a kept visit counts), an enrolment in the
// offered service by any route, or a refill. A yes to an offer, a journey
// outcome or a check-in answer need a message, so they are not.
func CommonOutcome(how string) bool {
	switch how {
	case "booking", "enrolment", "refill":
		return true
	}
	return false
}

// later is the later of a and b, where zero is "never".
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// earlier is the earlier of a and b, where zero is "never".
func earlier(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// stages adds one patient's stages to a funnel.
func (p *patientState) addTo(f *Funnel) {
	if !p.contacted {
		return
	}
	f.Contacted++
	if p.smsDelivered || p.replied {
		f.Reached++
	}
	if p.replied {
		f.Replied++
	}
}

// addOutcome adds one patient's outcome to a funnel.
func (p *patientState) addOutcome(f *Funnel) {
	if p.inJourney || p.outcome != "" {
		f.InJourney++
	}
	switch p.outcome {
	case "":
		if p.inJourney {
			f.NoOutcome++
		}
	case outcomeInterested:
		f.Interested++
	case outcomeDeclined:
		f.Declined++
	case outcomeNoReply:
		f.NoReply++
	case outcomeOptedOut:
		f.OptedOut++
	case outcomeUndeliverable:
		if p.noChannel && !p.addressFailed && !p.contacted {
			f.NoChannel++ // nothing was wrong with the patient's addresses
		} else {
			f.Undeliverable++
		}
	}
}

// funnel counts the stages, the outcomes and the decline reasons, with the
// earliest verbatims (in ledger order) as examples.
func (c *computation) funnel(r *Report) {
	type verbatim struct {
		seq  int64
		text string
		pid  rapport.PatientID
	}
	examples := map[string][]verbatim{}
	for pid, p := range c.patients {
		p.addTo(&r.Funnel)
		p.addOutcome(&r.Funnel)
		if !p.everDeclined {
			continue // a decliner stays one, whatever their latest outcome
		}
		reason := p.reason
		if reason == "" {
			reason = "unstated"
		}
		r.DeclineReasons[reason]++
		if p.verbatim != "" {
			examples[reason] = append(examples[reason], verbatim{p.reasonSeq, p.verbatim, pid})
		}
	}
	for reason, n := range r.DeclineReasons {
		vs := examples[reason]
		sort.Slice(vs, func(i, j int) bool { return vs[i].seq < vs[j].seq })
		d := Reason{Reason: reason, Label: ReasonLabel(reason), Count: n}
		seen := map[string]bool{}
		for _, v := range vs {
			if len(d.Verbatims) == maxVerbatims {
				break
			}
			ex := example(reason, v.text)
			if k := sameWords(ex); seen[k] {
				continue // the same words from another patient add nothing
			} else {
				seen[k] = true
			}
			d.Verbatims = append(d.Verbatims, v.text)
			d.Examples = append(d.Examples, ex)
			d.VerbatimPatients = append(d.VerbatimPatients, v.pid)
		}
		r.DeclineReasonDetails = append(r.DeclineReasonDetails, d)
	}
	sort.Slice(r.DeclineReasonDetails, func(i, j int) bool {
		a, b := r.DeclineReasonDetails[i], r.DeclineReasonDetails[j]
		return a.Count > b.Count || (a.Count == b.Count && a.Reason < b.Reason)
	})
	for a, ok := range c.assignments {
		if ok && !a.held {
			r.Enrolled++
		}
	}
}

// decliners counts engaged decliners and their series by day.
func (c *computation) decliners(r *Report) {
	loc := time.UTC
	if l, err := time.LoadLocation(c.f.OrgTimeZone); err == nil && c.f.OrgTimeZone != "" {
		loc = l
	}
	byDay := map[time.Time]int{}
	for _, p := range c.patients {
		if p.engagedAfterDecline.IsZero() {
			continue
		}
		r.EngagedDecliners++
		t := p.engagedAfterDecline.In(loc)
		byDay[time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)]++
	}
	days := make([]time.Time, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	total := 0
	for _, d := range days {
		total += byDay[d]
		r.EngagedDeclinersByDay = append(r.EngagedDeclinersByDay, Point{Day: d, Value: total})
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
