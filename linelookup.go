package rapport

import "time"

// LineLookup is what a line-type provider (Twilio Lookup) said of one phone
// number, cached so that a number is asked about once per configured age,
// whichever patients share it.
type LineLookup struct {
	// Number is the phone number in E.164.
	Number   string `json:"number"`
	Provider string `json:"provider"`
	// LineType is the provider's answer in rapport's terms; empty when the
	// answer says nothing rapport acts on (a pager, an unknown type, a
	// number out of the provider's coverage).
	LineType LineType `json:"line_type,omitempty"`
	// ProviderType and Carrier are the provider's own words ("fixedVoip").
	ProviderType string `json:"provider_type,omitempty"`
	Carrier      string `json:"carrier,omitempty"`
	// ErrorCode is the provider's error code for this number, if any.
	ErrorCode string `json:"error_code,omitempty"`
	// LookedUpAt is the date of the last answer; zero until one came.
	LookedUpAt time.Time `json:"looked_up_at,omitzero"`
	// Attempts counts the failed look-ups since the last answer; RetryAt is
	// when the next may be made, and LastError says why the last failed.
	Attempts  int       `json:"attempts,omitempty"`
	RetryAt   time.Time `json:"retry_at"`
	LastError string    `json:"last_error,omitempty"`
}
