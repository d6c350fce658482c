package messaging

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

// Sender is one way out: a channel's provider, the address messages come
// from, and its pace.
type Sender struct {
	Sender channel.Sender
	// From is the sending address: a phone number, a short code, an email address.
	From string
	// Rate is the pace in messages per second across every worker process;
	// 0 sends as fast as the provider takes them.
	Rate float64
}

// Org is what patients are told about who writes to them.
type Org struct {
	Name  string
	Phone string
}

// ReplyHandler takes a patient's reply to a message that a journey waits
// for. It returns false when nothing waits, and the reply goes to the
// staff inbox. Journeys implement it.
type ReplyHandler interface {
	HandleReply(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (handled bool, err error)
}

// Pipeline is the one way messages leave rapport.
type Pipeline struct {
	DB       *store.DB
	Queue    *jobs.Queue
	Clock    rapport.Clock
	Policy   Policy
	Senders  map[rapport.Channel]*Sender
	Keywords *rules.Catalogue
	Org      Org
	// Staleness is the rule that turns soft delivery failures into a stale
	// contact point, applied as each failure is recorded; the zero value
	// takes the defaults of [rapport.Staleness].
	Staleness rapport.Staleness
	// Replies routes replies to waiting journeys; nil sends every reply to the inbox.
	Replies ReplyHandler
	// UnsubscribeURL builds the one-click unsubscribe link of an email, put
	// in its List-Unsubscribe header and its footer; nil sends emails
	// without one (the binary refuses to start email without it).
	UnsubscribeURL func(rapport.MessageID) string
	// BatchSize is how many messages one send job carries (default
	// DefaultBatchSize). A send job records its batch's outcomes when the
	// batch is done, so a worker process killed mid-batch may send up to
	// BatchSize × its job workers twice (each detectable by its message
	// id, which no provider refuses a repeat by).
	BatchSize int
	// Concurrency is how many sends one job has in flight (default DefaultConcurrency).
	Concurrency int
	// InboundBatch is how many pending inbound messages one processing job
	// takes at most (default DefaultInboundBatch).
	InboundBatch int
	// SendTimeout bounds each provider request (default DefaultSendTimeout),
	// whatever the job's own deadline.
	SendTimeout time.Duration
	Logger      *slog.Logger
}

// Defaults of [Pipeline].
const (
	DefaultBatchSize = 100
	// DefaultInboundBatch: a processing job's transaction stays short
	// enough on SQLite (one writer) while saving most commits.
	DefaultInboundBatch = 100
	DefaultConcurrency  = 16
)

func (p *Pipeline) batchSize() int {
	if p.BatchSize <= 0 {
		return DefaultBatchSize
	}
	return p.BatchSize
}

// Send plans and queues one message inside tx: see [Pipeline.SendMany].
func (p *Pipeline) Send(ctx context.Context, tx *store.Tx, req Request) (*rapport.Message, error) {
	ms, err := p.SendMany(ctx, tx, []Request{req})
	if err != nil {
		return nil, err
	}
	return ms[0], nil
}

// SendMany plans messages and writes them, with the jobs that will send
// them, inside tx: they exist only if tx commits. A message that must not
// go (no consent, no usable contact point) is recorded as suppressed, with
// the reason, in the messages table and the ledger; that is an answer, not
// an error. Errors are bad requests (EINVALID, ENOTFOUND) or the database's.
func (p *Pipeline) SendMany(ctx context.Context, tx *store.Tx, reqs []Request) ([]*rapport.Message, error) {
	ids := make([]rapport.PatientID, 0, len(reqs))
	byID := make(map[rapport.PatientID]*rapport.Patient, len(reqs))
	var missing []rapport.PatientID
	for i := range reqs {
		req := &reqs[i]
		if err := req.validate(); err != nil {
			return nil, err
		}
		ids = append(ids, req.PatientID)
		if req.Patient != nil && req.Patient.ID == req.PatientID {
			byID[req.PatientID] = req.Patient
		} else {
			missing = append(missing, req.PatientID)
		}
	}
	if len(missing) > 0 {
		patients, err := tx.FindPatientsWithContacts(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, pt := range patients {
			byID[pt.ID] = pt
		}
	}
	merged, err := withMergedContacts(ctx, tx, byID)
	if err != nil {
		return nil, err
	}
	survivors, err := tx.Survivors(ctx, ids)
	if err != nil {
		return nil, err
	}
	consents, err := personConsents(ctx, tx, ids, merged)
	if err != nil {
		return nil, err
	}
	addrs, err := tx.FindAddressConsents(ctx, append(contactAddresses(byID), proxyAddresses(reqs)...))
	if err != nil {
		return nil, err
	}
	now := tx.Now()
	recent, err := tx.RecentSendsFor(ctx, ids, now.Add(-rules.Week))
	if err != nil {
		return nil, err
	}
	msgs := make([]*rapport.Message, len(reqs))
	events := make([]rapport.Event, 0, len(reqs))
	for i := range reqs {
		req := &reqs[i]
		pt := byID[req.PatientID]
		if pt == nil {
			return nil, rapport.Errorf(rapport.ENOTFOUND, "patient %s not found", req.PatientID)
		}
		m, err := p.plan(pt, consents[pt.ID], addrs, recent[pt.ID], req, now)
		if err != nil {
			return nil, err
		}
		if into, ok := survivors[pt.ID]; ok && m.Status == rapport.MessageQueued {
			// The record was merged: its person is reached as the survivor.
			m.Status, m.StatusReason, m.NotBefore, m.Deadline = rapport.MessageSuppressed, "record merged into patient "+string(into), now, now
			m.Channel, m.ContactID, m.To, m.Fallback = "", "", "", nil
		}
		if m.Status == rapport.MessageQueued && m.CaregiverID == "" {
			recent[pt.ID] = append(recent[pt.ID], store.Send{Purpose: m.Purpose, At: m.NotBefore})
		}
		msgs[i] = m
	}
	reserved, err := reserveSteps(ctx, tx, msgs)
	if err != nil {
		return nil, err
	}
	if err := tx.CreateMessages(ctx, msgs); err != nil {
		return nil, err
	}
	if err := tx.CreateStepSends(ctx, stepSends(reserved)); err != nil {
		return nil, err
	}
	for _, m := range msgs {
		// A queued message is a plan, not yet an attempt: its row holds it,
		// and the ledger hears of it once it is sent, fails or is stopped.
		if m.Status != rapport.MessageQueued {
			events = append(events, messageEvent(m, ""))
		}
	}
	if err := tx.AppendEvents(ctx, events...); err != nil {
		return nil, err
	}
	return msgs, p.enqueue(ctx, tx, msgs)
}

// plan turns one request into a message row: queued with its channel,
// address and time, or suppressed with the reason.
func (p *Pipeline) plan(pt *rapport.Patient, consents []rapport.Consent, addrs map[string][]rapport.AddressConsent, recent []store.Send, req *Request, now time.Time) (*rapport.Message, error) {
	if req.Caregiver != nil {
		return p.planProxy(pt, addrs, req, now)
	}
	return p.planWith(p.Policy, pt, consents, addrs, recent, req, now)
}

// planWith is plan under the policy pol, for pt as the addressee.
func (p *Pipeline) planWith(pol Policy, pt *rapport.Patient, consents []rapport.Consent, addrs map[string][]rapport.AddressConsent, recent []store.Send, req *Request, now time.Time) (*rapport.Message, error) {
	var previous []time.Time
	for _, s := range recent {
		if s.Purpose == req.Purpose {
			previous = append(previous, s.At)
		}
	}
	sort.Slice(previous, func(i, j int) bool { return previous[i].Before(previous[j]) })
	m := &rapport.Message{PatientID: pt.ID, Purpose: req.Purpose, Urgent: req.Urgent, Compliance: req.Compliance, PatientTimed: req.PatientTimed, Choices: req.Choices,
		Journey: req.Journey, Campaign: req.Campaign, Step: req.Step}
	vars := map[string]string{"first_name": pt.Given, "org": p.Org.Name, "org_phone": p.Org.Phone}
	for k, v := range req.Vars {
		vars[k] = v
	}
	tmpl, lang, err := req.Content.template(pt.Language)
	if err != nil {
		return nil, err
	}
	text, err := render(tmpl, vars, lang)
	if err != nil {
		return nil, err
	}
	m.Body, m.Subject, m.HTML, m.Language = text.Body, text.Subject, text.HTML, lang
	// The store keeps the template once and these values per message.
	m.Template, m.Vars = tmpl, vars

	d := pol.Plan(pt, consents, addrs, req, now, previous)
	if d.Suppressed == "" {
		if s := p.Senders[d.Channel]; s == nil {
			d.Suppressed = rapport.NoChannelReason(d.Channel)
		} else {
			m.From = s.From
		}
	}
	if d.Suppressed != "" {
		m.Status, m.StatusReason, m.NotBefore, m.Deadline = rapport.MessageSuppressed, d.Suppressed, now, now
		return m, nil
	}
	m.Status, m.Channel, m.ContactID, m.To, m.Fallback = rapport.MessageQueued, d.Channel, d.Contact.ID, d.Contact.Value, d.Fallback
	m.NotBefore, m.Deadline = d.NotBefore, d.Deadline
	if d.Channel == rapport.ChannelVoice {
		// A call is answered on the keypad: "Reply 1" becomes "Press 1".
		m.Template.Body = rules.Spoken(tmpl.Body, lang)
		m.Body = m.Template.Fill(vars).Body
	}
	if d.Channel == rapport.ChannelSMS {
		_, _, m.Segments = rules.Segments(m.Body)
	}
	return m, nil
}

// enqueue writes the send jobs for queued messages: one job per channel and
// minute of planned time, at most BatchSize messages each, scheduled at the
// latest planned time among them (never before any message's time).
func (p *Pipeline) enqueue(ctx context.Context, tx *store.Tx, msgs []*rapport.Message) error {
	type key struct {
		ch     rapport.Channel
		minute int64
	}
	groups := map[key][]*rapport.Message{}
	var keys []key
	for _, m := range msgs {
		if m.Status != rapport.MessageQueued {
			continue
		}
		k := key{m.Channel, m.NotBefore.Unix() / 60}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], m)
	}
	var params []river.InsertManyParams
	for _, k := range keys {
		g := groups[k]
		for start := 0; start < len(g); start += p.batchSize() {
			part := g[start:min(start+p.batchSize(), len(g))]
			args := SendArgs{IDs: make([]rapport.MessageID, len(part)), Channel: k.ch}
			at := part[0].NotBefore
			for i, m := range part {
				args.IDs[i] = m.ID
				if m.NotBefore.After(at) {
					at = m.NotBefore
				}
			}
			opts := &river.InsertOpts{Queue: river.QueueDefault, MaxAttempts: sendMaxAttempts}
			if at.After(tx.Now()) {
				opts.ScheduledAt = at
			}
			params = append(params, river.InsertManyParams{Args: args, InsertOpts: opts})
		}
	}
	if len(params) == 0 {
		return nil
	}
	_, err := p.Queue.InsertTx(ctx, tx, params...)
	return err
}

// messageEvent is the ledger event of a message's final or provider-known
// status (never queued: see SendMany).
func messageEvent(m *rapport.Message, code string) rapport.Event {
	kind := messageEventKind(m.Status)
	if m.CaregiverID != "" {
		kind = ProxyEventKind(kind)
	}
	payload, _ := json.Marshal(struct {
		Message   rapport.MessageID     `json:"message"`
		Status    rapport.MessageStatus `json:"status"`
		Reason    string                `json:"reason,omitempty"`
		Code      string                `json:"code,omitempty"`
		Purpose   rapport.Purpose       `json:"purpose"`
		Segments  int                   `json:"segments,omitempty"`
		Step      string                `json:"step,omitempty"`
		Caregiver string                `json:"caregiver_id,omitempty"`
		Proxy     rapport.ProxyMessage  `json:"proxy,omitempty"`
	}{m.ID, m.Status, m.StatusReason, code, m.Purpose, m.Segments, m.Step, m.CaregiverID, m.Proxy})
	return rapport.Event{PatientID: m.PatientID, Kind: kind, Channel: m.Channel, Journey: m.Journey, Campaign: m.Campaign, Payload: payload}
}

// messageEventKind is the ledger kind of a message status: "message." and the
// status (message.sent, message.delivered, message.suppressed,
// message.unknown, message.failed), except that undelivered is recorded as
// message.failed.
func messageEventKind(s rapport.MessageStatus) rapport.EventKind {
	if s == rapport.MessageUndelivered {
		return rapport.EventMessageFailed
	}
	return rapport.EventKind("message." + string(s))
}

// contactAddresses lists the addresses of the patients' phones and emails,
// each once, in [rapport.AddressKey] form: what one query of a batch's
// address consents asks about.
func contactAddresses(byID map[rapport.PatientID]*rapport.Patient) []string {
	seen := map[string]bool{}
	var out []string
	for _, pt := range byID {
		for i := range pt.Contacts {
			c := &pt.Contacts[i]
			if c.Kind != rapport.ContactPhone && c.Kind != rapport.ContactEmail {
				continue
			}
			k := rapport.AddressKey(rapport.ChannelSMS, c.Value)
			if k != "" && !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// NoChannel says whether m was suppressed only because this process has no
// sender for its channel: nothing is wrong with the patient's address.
func NoChannel(m *rapport.Message) bool {
	return m.Status == rapport.MessageSuppressed && rapport.IsNoChannelReason(m.StatusReason)
}

// Configured lists the channels this pipeline can send on.
func (p *Pipeline) Configured() []rapport.Channel {
	var out []rapport.Channel
	for _, ch := range []rapport.Channel{rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail} {
		if p.Senders[ch] != nil {
			out = append(out, ch)
		}
	}
	return out
}
