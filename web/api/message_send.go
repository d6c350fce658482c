package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// SendRequest is the body of POST /api/v1/messages.
type SendRequest struct {
	PatientID rapport.PatientID `json:"patient_id"`
	Body      string            `json:"body"`
	// Purpose is "care" or "outreach": consent and caps are per purpose.
	Purpose rapport.Purpose `json:"purpose"`
	// Channel pins the channel (sms, voice, email); empty lets the
	// pipeline choose from the patient's preference and what works.
	Channel rapport.Channel `json:"channel,omitempty"`
	// Language is the body's language; the patient's (else "en") when empty.
	Language string `json:"language,omitempty"`
	// Subject is the email subject, if the message goes by email.
	Subject string `json:"subject,omitempty"`
	// Urgent care-team messages go out in quiet hours; only purpose care
	// may be urgent.
	Urgent bool `json:"urgent,omitempty"`
}

// SendResponse is the answer of POST /api/v1/messages.
type SendResponse struct {
	ID        rapport.MessageID     `json:"id"`
	PatientID rapport.PatientID     `json:"patient_id"`
	Status    rapport.MessageStatus `json:"status"`
	Channel   rapport.Channel       `json:"channel,omitempty"`
	NotBefore *time.Time            `json:"not_before,omitempty"`
	// Reason says why a suppressed message will not go.
	Reason string `json:"reason,omitempty"`
}

// validate checks the request, naming the field at fault.
func (s *SendRequest) validate() error {
	switch {
	case strings.TrimSpace(string(s.PatientID)) == "":
		return rapport.Errorf(rapport.EINVALID, "patient_id is required")
	case strings.TrimSpace(s.Body) == "":
		return rapport.Errorf(rapport.EINVALID, "body is required")
	case s.Purpose == "":
		return rapport.Errorf(rapport.EINVALID, "purpose is required: care or outreach")
	case s.Purpose != rapport.PurposeCare && s.Purpose != rapport.PurposeOutreach:
		return rapport.Errorf(rapport.EINVALID, "purpose %q is not one of care, outreach", s.Purpose)
	}
	if s.Urgent && s.Purpose != rapport.PurposeCare {
		return rapport.Errorf(rapport.EINVALID, "urgent: %s (purpose is %q)", rapport.ErrUrgentNotCare, s.Purpose)
	}
	switch s.Channel {
	case "", rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail:
	default:
		return rapport.Errorf(rapport.EINVALID, "channel %q is not one of sms, voice, email", s.Channel)
	}
	if len(s.Language) > 35 {
		return rapport.Errorf(rapport.EINVALID, "language %q is not a language tag", s.Language)
	}
	return nil
}

// sendMessage answers POST /api/v1/messages: the message planned and
// queued through the pipeline in one transaction, 201; suppressed, 200
// with the reason; 404 for an unknown patient; 400 naming the field.
func (a *api) sendMessage(w http.ResponseWriter, r *http.Request) {
	var req SendRequest
	if !decode(w, r, &req) {
		return
	}
	if err := req.validate(); err != nil {
		web.Error(w, r, err)
		return
	}
	if err := a.canSend(req.Channel); err != nil {
		web.Error(w, r, err)
		return
	}
	var m *rapport.Message
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) error {
		lang := req.Language
		if lang == "" {
			p, err := tx.FindPatientByID(r.Context(), req.PatientID)
			if err != nil {
				return err
			}
			if lang = p.Language; lang == "" {
				lang = "en"
			}
		}
		mr := messaging.Request{PatientID: req.PatientID, Purpose: req.Purpose, Urgent: req.Urgent,
			Content: messaging.Content{ByLang: map[string]messaging.Text{lang: {Body: req.Body, Subject: req.Subject}}, Fallback: lang}}
		if req.Channel != "" {
			mr.Channels = []rapport.Channel{req.Channel}
		}
		var err error
		if m, err = a.Pipeline.Send(r.Context(), tx, mr); err == nil && messaging.NoChannel(m) {
			// Nothing is wrong with the patient: the server cannot send on
			// the only channel that reaches them. Record nothing.
			return rapport.Errorf(rapport.EUNAVAILABLE, "%s on this server, and it is the only way to reach this patient; configured: %s", m.StatusReason, channelList(a.Pipeline.Configured()))
		}
		return err
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if err := a.DB.AppendAudit(r.Context(), a.audit(r, "send", "Message/"+string(m.ID), m.PatientID)); err != nil {
		a.Logger.ErrorContext(r.Context(), "audit of a sent message", "message", m.ID, "err", err)
	}
	res := SendResponse{ID: m.ID, PatientID: m.PatientID, Status: m.Status, Channel: m.Channel, Reason: m.StatusReason}
	status := http.StatusOK
	if m.Status == rapport.MessageQueued {
		nb := m.NotBefore.UTC()
		res.NotBefore, status = &nb, http.StatusCreated
	}
	web.JSON(w, status, res)
}

// canSend refuses a message this server cannot send at all: no channel,
// or a pinned channel that is not configured.
func (a *api) canSend(pinned rapport.Channel) error {
	have := a.Pipeline.Configured()
	switch {
	case len(have) == 0:
		return rapport.Errorf(rapport.EUNAVAILABLE, "no channel is configured on this server, so nothing can be sent: set RAPPORT_TWILIO_ACCOUNT_SID (SMS, voice) or RAPPORT_SMTP_URL (email), or try rapport with `rapport serve --channels simulator`")
	case pinned != "" && !slices.Contains(have, pinned):
		return rapport.Errorf(rapport.EUNAVAILABLE, "channel: %s is not configured on this server; configured: %s", pinned, channelList(have))
	}
	return nil
}

func channelList(chs []rapport.Channel) string {
	if len(chs) == 0 {
		return "none"
	}
	s := make([]string, len(chs))
	for i, c := range chs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
