package messaging

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/verify"
)

// Receive stores an inbound message and the job that will process it, in
// one transaction, before anything else happens: a crash after Receive
// returns loses nothing. A provider's second delivery of the same message
// is recognised by its provider id and stored once; new reports which.
func (p *Pipeline) Receive(ctx context.Context, in *rapport.Inbound) (isNew bool, err error) {
	err = p.DB.InTx(ctx, func(tx *store.Tx) error {
		isNew, err = tx.CreateInbound(ctx, in)
		if err != nil || !isNew {
			return err
		}
		res, err := p.Queue.InsertTx(ctx, tx, river.InsertManyParams{Args: ProcessArgs{InboundID: in.ID}})
		if err != nil {
			return err
		}
		// A batch that processes the message first deletes its job.
		return tx.SetInboundJob(ctx, in.ID, res[0].Job.ID)
	})
	return isNew, err
}

// ProcessArgs is the job that processes one inbound message (and, with
// it, a batch of others: see [ProcessWorker.Work]).
type ProcessArgs struct {
	InboundID string `json:"inbound_id"`
}

// Kind is the job kind.
func (ProcessArgs) Kind() string { return "process_inbound" }

// ProcessWorker works inbound processing jobs.
type ProcessWorker struct {
	river.WorkerDefaults[ProcessArgs]
	p *Pipeline
}

// NewProcessWorker returns the worker of p's inbound jobs.
func NewProcessWorker(p *Pipeline) *ProcessWorker { return &ProcessWorker{p: p} }

// process ties an inbound message to a patient and the message it answers,
// acts on carrier keywords, reads the reply's intent and routes it: to the
// journey waiting for it, else to the staff inbox.
func (p *Pipeline) process(ctx context.Context, tx *store.Tx, in *rapport.Inbound) error {
	to, contact, err := p.match(ctx, tx, in)
	if err != nil {
		return err
	}
	// Keywords first: a STOP is honoured even from a sender rapport cannot
	// tie to one patient (a family phone), for everyone at that address.
	handled, err := p.keyword(ctx, tx, in, contact)
	if err != nil {
		return err
	}
	if in.PatientID == "" {
		in.Status = rapport.InboundUnmatched
		summary := "message from a " + string(in.Channel) + " sender rapport cannot tie to one patient"
		if handled {
			summary = string(in.Channel) + " opt-out from a sender rapport cannot tie to one patient; everyone at that address is opted out"
			if in.Intent == intentOptIn {
				summary = string(in.Channel) + " opt-in from a caregiver's address: the caregivers there get messages again"
			}
		}
		if err := tx.CreateInboxItem(ctx, &rapport.InboxItem{Kind: rapport.InboxUnmatched, Priority: rapport.PriorityNormal, InboundID: in.ID,
			Summary: summary}); err != nil {
			return err
		}
		return p.finish(ctx, tx, in, to)
	}
	if handled {
		return p.finish(ctx, tx, in, to)
	}
	p.readIntent(in, to)
	in.Status = rapport.InboundProcessed
	// An answer to a message rapport sent proves the address works.
	if to != nil && to.ContactID != "" && to.PatientID == in.PatientID {
		evidence := string(in.Channel) + " reply " + in.ID + " to message " + string(to.ID)
		if err := tx.ConfirmContactPoint(ctx, to.ContactID, evidence); err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return err
		}
	}
	routed := false
	if p.Replies != nil && to != nil {
		if routed, err = p.Replies.HandleReply(ctx, tx, in, to); err != nil {
			return err
		}
	}
	if !routed {
		it := &rapport.InboxItem{PatientID: in.PatientID, Kind: rapport.InboxReply, Priority: rapport.PriorityNormal, InboundID: in.ID,
			Summary: "reply (" + in.Intent + ") that no journey was waiting for"}
		if to != nil && to.Journey != "" {
			// The journey may still wait for an answer; this is not one it
			// acts on (a question, a remark), so staff read it.
			it.Journey, it.Campaign = to.Journey, to.Campaign
			it.Summary = "reply (" + in.Intent + ") to a message of journey " + to.Journey + ", which does not act on it: for staff to read"
		}
		if err := tx.CreateInboxItem(ctx, it); err != nil {
			return err
		}
	}
	return p.finish(ctx, tx, in, to)
}

// finish records the processed message and its ledger event.
func (p *Pipeline) finish(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) error {
	if err := tx.UpdateInbound(ctx, in); err != nil {
		return err
	}
	payload, _ := json.Marshal(struct {
		Inbound   string            `json:"inbound"`
		InReplyTo rapport.MessageID `json:"in_reply_to,omitempty"`
		Intent    string            `json:"intent,omitempty"`
		Choice    int               `json:"choice,omitempty"`
		Status    string            `json:"status"`
	}{in.ID, in.InReplyTo, in.Intent, in.Choice, string(in.Status)})
	ev := rapport.Event{PatientID: in.PatientID, At: in.ReceivedAt, Kind: rapport.EventMessageReceived, Channel: in.Channel, Payload: payload}
	if to != nil {
		ev.Journey, ev.Campaign = to.Journey, to.Campaign
	}
	return tx.AppendEvents(ctx, ev)
}

// match finds the patient who wrote and the message they answer. A voice
// answer names its message, and so does an email threaded by its headers. Otherwise the sender's address finds the
// patients who have it; one is the patient; several (a family landline)
// are told apart by the latest message rapport sent to that address; none,
// or several with nothing waiting, leave the message unmatched for staff.
func (p *Pipeline) match(ctx context.Context, tx *store.Tx, in *rapport.Inbound) (*rapport.Message, *rapport.ContactPoint, error) {
	if in.InReplyTo != "" {
		m, err := tx.FindMessage(ctx, in.InReplyTo)
		if err == nil && m.CaregiverID != "" {
			// A caregiver's answer (a key pressed, an email reply) is not
			// the patient's: it stays unmatched, for staff.
			in.InReplyTo = ""
			return nil, nil, nil
		}
		switch {
		case err == nil && (in.Channel != rapport.ChannelEmail || m.Channel == rapport.ChannelEmail):
			in.PatientID = m.PatientID
			return m, nil, nil
		case err != nil && (in.Channel != rapport.ChannelEmail || rapport.ErrorCode(err) != rapport.ENOTFOUND):
			return nil, nil, err
		}
		// An email's headers are the sender's word: one naming no email
		// of ours is matched by the sender's address instead.
		in.InReplyTo = ""
	}
	kind, addr := senderAddress(in)
	cps, err := tx.FindContactPointsByValue(ctx, kind, addr)
	if err != nil {
		return nil, nil, err
	}
	last, err := tx.LastMessageTo(ctx, in.Channel, addr)
	if err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return nil, nil, err
	}
	if len(cps) > 1 {
		// Several records share the address (probable duplicates, a family
		// phone): the reply belongs to the message a journey waits for,
		// even when a later one went to another record.
		waited, err := tx.LastWaitedMessageTo(ctx, in.Channel, addr)
		if err == nil {
			last = waited
		} else if rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return nil, nil, err
		}
	}
	var pick *rapport.ContactPoint
	for i := range cps {
		c := &cps[i]
		if len(cps) == 1 || (last != nil && c.PatientID == last.PatientID) {
			pick = c
			break
		}
	}
	if pick == nil {
		return nil, nil, nil
	}
	in.PatientID = pick.PatientID
	if last != nil && last.PatientID == pick.PatientID {
		in.InReplyTo = last.ID
		return last, pick, nil
	}
	return nil, pick, nil
}

// senderAddress is the kind and normalised value of the contact point an
// inbound message comes from.
func senderAddress(in *rapport.Inbound) (rapport.ContactKind, string) {
	if in.Channel == rapport.ChannelEmail {
		return rapport.ContactEmail, verify.Email(in.From).Normalised
	}
	if r := verify.Phone(in.From, "US"); r.E164 != "" {
		return rapport.ContactPhone, r.E164
	}
	return rapport.ContactPhone, in.From
}

// readIntent sets the reply's intent: keypad digits through the message's
// choices, text through the intent parser.
func (p *Pipeline) readIntent(in *rapport.Inbound, to *rapport.Message) {
	choices := 0
	text := in.Body
	if to != nil {
		choices = len(to.Choices)
		if label, ok := to.Choices[strings.TrimSpace(in.Body)]; ok && in.Channel == rapport.ChannelVoice {
			text = label // "1" → "yes": the same intents as a typed answer
		}
	}
	it := parseIntent(text, choices)
	in.Intent, in.Choice = string(it.Kind), it.Choice
	if it.Kind == "choice" || (in.Channel == rapport.ChannelVoice && it.Choice == 0) {
		if n := parseIntent(in.Body, choices); n.Choice > 0 {
			in.Choice = n.Choice
		}
	}
}
