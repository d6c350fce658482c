package twilio

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

// ProviderLookup names Twilio Lookup in stored look-ups.
const ProviderLookup = "twilio"

// lookupTimeout bounds one look-up: a batch must not stall on one number.
const lookupTimeout = 10 * time.Second

// LineTypes asks Twilio Lookup v2 (Line Type Intelligence) what kind of
// line a number is. It is safe for concurrent use.
type LineTypes struct {
	base  string // {LookupURL}/v2/PhoneNumbers/
	auth  string
	hc    *http.Client
	clock rapport.Clock
	// Timeout bounds each request; lookupTimeout when zero.
	Timeout time.Duration
}

// NewLineTypes returns a Lookup client for cfg's account; only LookupURL,
// AccountSID, AuthToken, HTTPClient and Clock are read.
func NewLineTypes(cfg Config) (*LineTypes, error) {
	if cfg.LookupURL == "" {
		cfg.LookupURL = DefaultLookupURL
	}
	var errs []error
	if err := checkURL("lookup URL", cfg.LookupURL, true); err != nil {
		errs = append(errs, err)
	}
	if cfg.AccountSID == "" || cfg.AuthToken == "" {
		errs = append(errs, errors.New("twilio: lookup needs the account SID and auth token"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: defaultTransport}
	}
	clock := cfg.Clock
	if clock == nil {
		clock = rapport.SystemClock{}
	}
	return &LineTypes{
		base:  strings.TrimRight(cfg.LookupURL, "/") + "/v2/PhoneNumbers/",
		auth:  "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.AccountSID+":"+cfg.AuthToken)),
		hc:    hc,
		clock: clock,
	}, nil
}

// LineType looks number (E.164) up. An answer, even one that says the
// number is invalid or unknown to Twilio, is a [rapport.LineLookup] with
// LookedUpAt set: it is cached like any other. A failure to get one is a
// [*channel.Error]: ErrRetryable (throttled, with Twilio's Retry-After;
// 5xx; timeouts), ErrPermanent (refused credentials, code 20003) or
// ErrBadAddress (another refusal, of this number).
func (c *LineTypes) LineType(ctx context.Context, number string) (rapport.LineLookup, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = lookupTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+url.PathEscape(number)+"?Fields=line_type_intelligence", nil)
	if err != nil {
		return rapport.LineLookup{}, &channel.Error{Kind: channel.ErrPermanent, Msg: "build lookup request: " + err.Error()}
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		// A look-up changes nothing at Twilio: any failure may be retried.
		e := transportError(err, false)
		e.Kind = channel.ErrRetryable
		return rapport.LineLookup{}, e
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return rapport.LineLookup{}, &channel.Error{Kind: channel.ErrRetryable, Msg: "read lookup answer: " + err.Error()}
	}
	now := c.clock.Now()
	switch {
	case resp.StatusCode == http.StatusOK:
		l, err := ParseLineType(body)
		if err != nil {
			return rapport.LineLookup{}, &channel.Error{Kind: channel.ErrRetryable, Msg: err.Error()}
		}
		if l.Number == "" {
			l.Number = number
		}
		l.LookedUpAt = now
		return l, nil
	case resp.StatusCode == http.StatusNotFound:
		// Twilio knows no such number: an answer, cached like the others.
		return rapport.LineLookup{Number: number, Provider: ProviderLookup, ErrorCode: "20404", LookedUpAt: now}, nil
	}
	// Refused credentials fail every look-up alike; another refusal is
	// about this number.
	e := &channel.Error{Kind: channel.ErrBadAddress, Msg: "lookup: HTTP " + strconv.Itoa(resp.StatusCode)}
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		e.Kind = channel.ErrPermanent
	}
	if ae, ok := parseAPIError(body); ok {
		e.Code, e.Msg = strconv.Itoa(int(ae.Code)), "lookup: "+ae.Message
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		e.Kind = channel.ErrRetryable
		e.RetryAfter = RetryAfter(resp.Header.Get("Retry-After"), now)
	}
	return rapport.LineLookup{}, e
}

// lookupAnswer is the part of a Lookup v2 PhoneNumber resource rapport
// reads.
type lookupAnswer struct {
	PhoneNumber      string   `json:"phone_number"`
	Valid            *bool    `json:"valid"`
	ValidationErrors []string `json:"validation_errors"`
	LineType         *struct {
		Type        *string  `json:"type"`
		CarrierName *string  `json:"carrier_name"`
		ErrorCode   *flexInt `json:"error_code"`
	} `json:"line_type_intelligence"`
}

// ParseLineType reads a Lookup v2 answer into a look-up without its date.
// A number Twilio finds invalid has no line type and the validation errors
// as its error code; so has one whose line type package reports an error
// (60600 unprovisioned, 60601 Canada without access).
func ParseLineType(body []byte) (rapport.LineLookup, error) {
	var a lookupAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return rapport.LineLookup{}, fmt.Errorf("lookup: unreadable answer: %w", err)
	}
	l := rapport.LineLookup{Number: a.PhoneNumber, Provider: ProviderLookup}
	if a.Valid != nil && !*a.Valid {
		l.ErrorCode = "invalid"
		if len(a.ValidationErrors) > 0 {
			l.ErrorCode = "invalid: " + strings.Join(a.ValidationErrors, ",")
		}
		return l, nil
	}
	lt := a.LineType
	if lt == nil {
		return rapport.LineLookup{}, errors.New("lookup: answer has no line_type_intelligence")
	}
	if lt.ErrorCode != nil && *lt.ErrorCode != 0 {
		l.ErrorCode = strconv.Itoa(int(*lt.ErrorCode))
	}
	if lt.Type != nil {
		l.ProviderType = *lt.Type
		l.LineType = LineTypeOf(*lt.Type)
	}
	if lt.CarrierName != nil {
		l.Carrier = *lt.CarrierName
	}
	return l, nil
}

// LineTypeOf maps a Line Type Intelligence type to rapport's line types;
// types rapport does not act on (pager, voicemail, personal, premium,
// sharedCost, uan, unknown) map to "".
func LineTypeOf(t string) rapport.LineType {
	switch t {
	case "mobile":
		return rapport.LineMobile
	case "landline":
		return rapport.LineLandline
	case "fixedVoip", "nonFixedVoip":
		return rapport.LineVoIP
	case "tollFree":
		return rapport.LineTollFree
	}
	return ""
}
