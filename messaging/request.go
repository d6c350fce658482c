package messaging

import (
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
)

// Request asks the pipeline to send one message to one patient.
type Request struct {
	PatientID rapport.PatientID
	Purpose   rapport.Purpose
	// Channels is the fallback order for this message; empty means the
	// patient's preference, then the policy's order.
	Channels []rapport.Channel
	// ContactID pins the contact point (a reply goes to the number that wrote).
	ContactID string
	// Content is the message in each language; the patient's language is
	// used when present, else Content's fallback language.
	Content Content
	// Vars fill {name} placeholders in the content ({first_name} is always known).
	Vars map[string]string
	// Choices are the keypad answers a voice call gathers ("1" → "yes").
	Choices map[string]string
	// NotBefore asks for a send no earlier than this.
	NotBefore time.Time
	// Urgent care-team messages may go out in quiet hours and past caps.
	Urgent bool
	// Compliance marks what carriers and law require whatever the consent:
	// the one confirmation of an opt-out, a HELP answer.
	Compliance bool
	// PatientTimed care messages go at the time the patient chose, quiet
	// hours or not (see [rapport.Message.PatientTimed]).
	PatientTimed bool
	// Deadline, when set, is when the message stops being worth sending (a
	// dose reminder hours late): one that quiet hours or caps would push
	// past it is not sent. Zero: the policy's GiveUpAfter from NotBefore.
	Deadline time.Time

	Journey, Campaign, Step string

	// Caregiver, when set, is whom the message goes to on the patient's
	// behalf (a caregiver of PatientID, with its contact points), and Proxy
	// its kind, which the caregiver's scope must allow; see planProxy.
	Caregiver *rapport.Caregiver
	Proxy     rapport.ProxyMessage

	// Patient is the patient with their contact points when the caller has
	// just loaded them in the same transaction (a launch page); SendMany
	// then does not read them again.
	Patient *rapport.Patient
}

// Text is a message in one language.
type Text struct {
	Body    string `json:"body" yaml:"body"`
	Subject string `json:"subject,omitempty" yaml:"subject,omitempty"`
	HTML    string `json:"html,omitempty" yaml:"html,omitempty"`
}

// Content is a message in several languages.
type Content struct {
	ByLang map[string]Text `json:"by_lang" yaml:"by_lang"`
	// Fallback is the language used when the patient's is missing.
	Fallback string `json:"fallback" yaml:"fallback"`
	// MaxSegments limits the SMS length of every language (0: no limit).
	MaxSegments int `json:"max_segments,omitempty" yaml:"max_segments,omitempty"`
}

// Plain is content in one language, as staff type a reply.
func Plain(lang, body string) Content {
	return Content{ByLang: map[string]Text{lang: {Body: body}}, Fallback: lang}
}

// Validate checks content when it is saved, not when it is sent: the
// fallback language exists, no body is empty, and no body is longer than
// MaxSegments SMS segments.
func (c Content) Validate() error {
	if len(c.ByLang) == 0 {
		return rapport.Errorf(rapport.EINVALID, "content has no text")
	}
	if _, ok := c.ByLang[c.Fallback]; !ok {
		return rapport.Errorf(rapport.EINVALID, "content has no text in its fallback language %q", c.Fallback)
	}
	for lang, t := range c.ByLang {
		if strings.TrimSpace(t.Body) == "" {
			return rapport.Errorf(rapport.EINVALID, "content in %q has an empty body", lang)
		}
		if c.MaxSegments > 0 {
			// Placeholders are filled at send time; judge the template with
			// them as written, which is close for short names.
			enc, _, n := rules.Segments(t.Body)
			if n > c.MaxSegments {
				return rapport.Errorf(rapport.EINVALID, "content in %q is %d SMS segments (%s), more than its limit of %d", lang, n, enc, c.MaxSegments)
			}
		}
	}
	return nil
}

// Render returns the text in lang (or the fallback language) with
// placeholders filled, and the language used.
func (c Content) Render(lang string, vars map[string]string) (Text, string, error) {
	tmpl, lang, err := c.template(lang)
	if err != nil {
		return Text{}, "", err
	}
	t, err := render(tmpl, vars, lang)
	return t, lang, err
}

// template returns the text in lang, or in the fallback language, unfilled.
func (c Content) template(lang string) (rapport.MessageText, string, error) {
	t, ok := c.ByLang[lang]
	if !ok {
		lang = c.Fallback
		if t, ok = c.ByLang[lang]; !ok {
			return rapport.MessageText{}, "", rapport.Errorf(rapport.EINVALID, "content has neither %q nor its fallback language", lang)
		}
	}
	return rapport.MessageText{Subject: t.Subject, Body: t.Body, HTML: t.HTML}, lang, nil
}

// render fills a template, refusing an empty result.
func render(tmpl rapport.MessageText, vars map[string]string, lang string) (Text, error) {
	t := tmpl.Fill(vars)
	if strings.TrimSpace(t.Body) == "" {
		return Text{}, rapport.Errorf(rapport.EINVALID, "message body in %q is empty", lang)
	}
	return Text{Body: t.Body, Subject: t.Subject, HTML: t.HTML}, nil
}

func (r *Request) validate() error {
	if r.PatientID == "" {
		return rapport.Errorf(rapport.EINVALID, "message has no patient")
	}
	switch r.Purpose {
	case rapport.PurposeCare, rapport.PurposeOutreach:
	default:
		return rapport.Errorf(rapport.EINVALID, "purpose %q is not one of care, outreach", r.Purpose)
	}
	if r.Urgent && r.Purpose != rapport.PurposeCare {
		return rapport.Errorf(rapport.EINVALID, "%s (purpose is %q)", rapport.ErrUrgentNotCare, r.Purpose)
	}
	for _, ch := range r.Channels {
		switch ch {
		case rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail:
		default:
			return rapport.Errorf(rapport.EINVALID, "channel %q is not one of sms, voice, email", ch)
		}
	}
	if r.Caregiver != nil && r.Caregiver.PatientID != r.PatientID {
		return rapport.Errorf(rapport.EINVALID, "caregiver %s is not a caregiver of patient %s", r.Caregiver.ID, r.PatientID)
	}
	if r.Caregiver != nil && r.Proxy == "" && !r.Compliance {
		return rapport.Errorf(rapport.EINVALID, "a message to caregiver %s needs its kind (proxy)", r.Caregiver.ID)
	}
	if len(r.Content.ByLang) == 0 {
		return rapport.Errorf(rapport.EINVALID, "message has no body")
	}
	if err := r.Content.Validate(); err != nil {
		return fmt.Errorf("message content: %w", err)
	}
	return nil
}
