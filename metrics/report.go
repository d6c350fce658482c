// Package metrics computes rapport's honest metrics from the engagement
// ledger — never from loose counters: funnels per campaign and overall,
// decline reasons with verbatims, engaged decliners over time, reach by
// segment, and lift against the hold-out group with a confidence interval.
// Medication adherence ([ComputeAdherence]) is read from the imported
// pharmacy fills and the check-in answers in the ledger, measured by
// package adherence.
package metrics

import (
	"time"

	"github.com/rapporthq/rapport"
)

// EngagedDeclinerDefinition is the sentence reports open with: what the
// headline, [Report.EngagedDecliners], counts.
const EngagedDeclinerDefinition = "An engaged decliner is a patient who declined an offer or never answered it, and later engaged: booked, enrolled, refilled, or said yes."

// Funnel counts patients at each stage of outreach. Each patient counts
// once per stage; the definitions are in the README. Reached and Replied
// are shares of Contacted; the outcomes (Interested to Undeliverable, and
// NoOutcome) add up to InJourney.
type Funnel struct {
	Contacted int `json:"contacted"`
	// Reached: what production can observe that a person got a message —
	// an SMS delivery receipt, or any answer (a reply, a keypad press).
	// A call that completed (voicemail too) or an email accepted by the
	// relay is not enough.
	Reached       int `json:"reached"`
	Replied       int `json:"replied"`
	Interested    int `json:"interested"`
	Declined      int `json:"declined"`
	NoReply       int `json:"no_reply"`
	OptedOut      int `json:"opted_out"`
	Undeliverable int `json:"undeliverable"`
	// NoChannel counts the patients whose journey ended undeliverable only
	// because the server had no channel for them (email-only server,
	// phone-only patient): not sent, with nothing wrong with their addresses.
	NoChannel int `json:"no_channel"`
	// InJourney counts the patients enrolled in a journey (or with an
	// outcome); NoOutcome those of them with no outcome yet.
	InJourney int `json:"in_journey"`
	NoOutcome int `json:"no_outcome"`
}

// Holdout is the group kept out of a campaign to measure lift.
type Holdout struct {
	Size int `json:"size"`
	// Contacted must be 0: held-out patients are never contacted.
	Contacted int `json:"contacted"`
	// Engaged counts held-out patients who engaged on their own;
	// EngagedCommon those of them with a common outcome ([CommonOutcome]).
	Engaged       int `json:"engaged"`
	EngagedCommon int `json:"engaged_common_outcome"`
}

// Outcomes counts patients by one journey outcome each.
type Outcomes struct {
	Interested    int `json:"interested"`
	Declined      int `json:"declined"`
	NoReply       int `json:"no_reply"`
	OptedOut      int `json:"opted_out"`
	Undeliverable int `json:"undeliverable"`
}

// DeclinersSince follows the patients whose first decline-or-silence
// outcome was a decline (Declined) or silence (NoReply), whatever their
// latest outcome: each of them is in exactly one of EngagedLater,
// OptedOutLater, StillDeclining and StillSilent.
type DeclinersSince struct {
	Declined int `json:"declined"`
	NoReply  int `json:"no_reply"`
	// Reasons counts the first decliners (Declined) by the latest reason
	// they stated ("unstated" for none).
	Reasons map[string]int `json:"reasons"`
	// EngagedLater engaged in any way afterwards (the headline, engaged
	// decliners); CommonLater is those of them with a common outcome.
	EngagedLater int `json:"engaged_later"`
	CommonLater  int `json:"common_outcome_later"`
	// OptedOutLater opted out afterwards without engaging.
	OptedOutLater int `json:"opted_out_later"`
	// StillDeclining and StillSilent did neither: their latest outcome is
	// a decline, or anything else (silence, undeliverable).
	StillDeclining int `json:"still_declining"`
	StillSilent    int `json:"still_silent"`
}

// Lift is the difference in engagement rate between the patients a
// campaign enrolled (treatment) and its hold-out (control), with a 95%
// confidence interval by the normal approximation (Wald). When either group
// is empty nothing can be measured: Measurable is false and the numbers are 0.
type Lift struct {
	Estimate float64 `json:"estimate"`
	CILow    float64 `json:"ci_low"`
	CIHigh   float64 `json:"ci_high"`
	// Treated and Control are the engagement rates compared.
	Treated float64 `json:"treated_rate"`
	Control float64 `json:"control_rate"`
	// TreatedN and ControlN are the group sizes; TreatedEngaged and
	// ControlEngaged the engaged in each.
	TreatedN       int  `json:"treated_n"`
	TreatedEngaged int  `json:"treated_engaged"`
	ControlN       int  `json:"control_n"`
	ControlEngaged int  `json:"control_engaged"`
	Measurable     bool `json:"measurable"`
}

// Messages counts outbound messages, each once by what became of it:
// Sent = Delivered + FailedAfterSending + NoReceipt, and Failed =
// FailedAtSend + FailedAfterSending. A failed message is never delivered.
type Messages struct {
	// Sent were accepted by the provider.
	Sent int `json:"sent"`
	// Delivered are sent messages with a delivery receipt (an SMS
	// delivered, a call completed, the relay's acceptance is not one).
	Delivered int `json:"delivered"`
	// FailedAfterSending were sent, then reported undelivered or failed.
	FailedAfterSending int `json:"failed_after_sending"`
	// NoReceipt were sent and neither confirmed nor reported failed.
	NoReceipt int `json:"no_receipt"`
	// Failed counts every failed message; FailedAtSend those the provider
	// refused, never sent.
	Failed       int            `json:"failed"`
	FailedAtSend int            `json:"failed_at_send"`
	Suppressed   int            `json:"suppressed"`
	SMSSegments  int            `json:"sms_segments"`
	ByChannel    map[string]int `json:"by_channel,omitempty"`
}

// Reason is one decline reason with its count and a few verbatims.
type Reason struct {
	Reason string `json:"reason"`
	// Label is the reason for people ([ReasonLabel]).
	Label string `json:"label"`
	Count int    `json:"count"`
	// Verbatims are distinct answers as the patients gave them; Examples
	// the same for people: words quoted, a bare number ("5", a keypad
	// press or a numbered choice) shown as the option it chose.
	Verbatims []string `json:"verbatims,omitempty"`
	Examples  []string `json:"examples,omitempty"`
	// VerbatimPatients are whose words Verbatims are, in the same order:
	// a report showing them is a read of those patients' data, audited.
	VerbatimPatients []rapport.PatientID `json:"-"`
}

// VerbatimPatients lists the patients whose words the report quotes.
func (r *Report) VerbatimPatients() []rapport.PatientID {
	var out []rapport.PatientID
	for _, d := range r.DeclineReasonDetails {
		out = append(out, d.VerbatimPatients...)
	}
	return out
}

// Point is a value on a day, for series over time.
type Point struct {
	Day   time.Time `json:"day"`
	Value int       `json:"value"`
}

// Report is every metric of one campaign (or of all, when Campaign is empty).
type Report struct {
	Campaign string    `json:"campaign,omitempty"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	// Patients counts the distinct patients with any campaign, journey or
	// message event in scope (held-out patients included).
	Patients int `json:"patients"`
	// SimulatedMessages counts messages that went to simulated patients
	// (serve --channels simulator): answers to them are not real.
	SimulatedMessages int `json:"simulated_messages,omitempty"`
	// Enrolled counts the patients campaigns enrolled (the treatment group).
	Enrolled int    `json:"enrolled"`
	Funnel   Funnel `json:"funnel"`
	// EngagedDecliners is the headline: patients who declined or never
	// answered an offer and later engaged.
	EngagedDecliners      int     `json:"engaged_decliners"`
	EngagedDeclinersByDay []Point `json:"engaged_decliners_over_time,omitempty"`
	// FirstOutcomes counts each patient's first outcome (Funnel the
	// latest); DeclinersSince what became of those who declined or were
	// silent first.
	FirstOutcomes  Outcomes       `json:"first_outcomes"`
	DeclinersSince DeclinersSince `json:"decliners_since"`
	Holdout        Holdout        `json:"holdout"`
	// Lift is on any engagement after the launch, which includes a yes to
	// the offer: a held-out patient, never asked, cannot give one, so it
	// overstates what outreach changed. CommonLift is on the outcomes a
	// held-out patient can reach too ([CommonOutcome]): the fair measure.
	Lift                 Lift              `json:"lift"`
	CommonLift           Lift              `json:"lift_common_outcome"`
	DeclineReasons       map[string]int    `json:"decline_reasons"`
	DeclineReasonDetails []Reason          `json:"decline_reason_details,omitempty"`
	BySegment            map[string]Funnel `json:"by_segment"`
	Messages             Messages          `json:"messages"`
	QuietHoursViolations int               `json:"quiet_hours_violations"`
	// Baseline is a comparison others fill in (the demo: what ordinary
	// one-message outreach would have reached); Compute leaves it empty.
	Baseline map[string]any `json:"baseline,omitempty"`
}
