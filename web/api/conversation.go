package api

import (
	"net/http"
	"sort"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/web"
)

// Entry is one message of a conversation, outbound or inbound.
type Entry struct {
	// Direction is "out" (rapport to the patient) or "in".
	Direction string          `json:"direction"`
	ID        string          `json:"id"`
	At        time.Time       `json:"at"`
	Channel   rapport.Channel `json:"channel,omitempty"`
	Body      string          `json:"body"`
	Subject   string          `json:"subject,omitempty"`
	// Status is the message's status (queued, sent, delivered, undelivered,
	// failed, suppressed) or the inbound one's (received, processed, unmatched).
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	// Purpose of an outbound message.
	Purpose rapport.Purpose `json:"purpose,omitempty"`
	// NotBefore of a queued outbound message; SentAt once it went.
	NotBefore *time.Time `json:"not_before,omitempty"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	// Intent and InReplyTo of an inbound message.
	Intent    string            `json:"intent,omitempty"`
	InReplyTo rapport.MessageID `json:"in_reply_to,omitempty"`
	Journey   string            `json:"journey,omitempty"`
	Campaign  string            `json:"campaign,omitempty"`
}

// Conversation is the answer of GET /api/v1/patients/{id}/conversation.
type Conversation struct {
	PatientID rapport.PatientID `json:"patient_id"`
	Messages  []Entry           `json:"messages"`
}

// conversation answers GET /api/v1/patients/{id}/conversation: every
// message to and from the patient, oldest first (outbound by creation,
// inbound by receipt; at the same instant, outbound first). 404 for an
// unknown patient. Audited as a read before it is sent.
func (a *api) conversation(w http.ResponseWriter, r *http.Request) {
	pid := rapport.PatientID(r.PathValue("id"))
	if _, err := a.DB.FindPatientByID(r.Context(), pid); err != nil {
		web.Error(w, r, err)
		return
	}
	out, err := a.DB.FindPatientMessages(r.Context(), pid)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	in, err := a.DB.FindPatientInbound(r.Context(), pid)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	c := Conversation{PatientID: pid, Messages: make([]Entry, 0, len(out)+len(in))}
	for _, m := range out {
		e := Entry{Direction: "out", ID: string(m.ID), At: m.CreatedAt.UTC(), Channel: m.Channel, Body: m.Body, Subject: m.Subject,
			Status: string(m.Status), Reason: m.StatusReason, Purpose: m.Purpose, Journey: m.Journey, Campaign: m.Campaign}
		if m.Status == rapport.MessageQueued {
			t := m.NotBefore.UTC()
			e.NotBefore = &t
		}
		if !m.SentAt.IsZero() {
			t := m.SentAt.UTC()
			e.SentAt = &t
		}
		c.Messages = append(c.Messages, e)
	}
	for _, m := range in {
		c.Messages = append(c.Messages, Entry{Direction: "in", ID: m.ID, At: m.ReceivedAt.UTC(), Channel: m.Channel, Body: m.Body,
			Status: string(m.Status), Intent: m.Intent, InReplyTo: m.InReplyTo})
	}
	sort.SliceStable(c.Messages, func(i, j int) bool { return c.Messages[i].At.Before(c.Messages[j].At) })
	if err := a.DB.AppendAudit(r.Context(), a.audit(r, "read", "Patient/"+string(pid)+"/conversation", pid)); err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, c)
}
