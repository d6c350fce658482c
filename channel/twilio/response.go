package twilio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rapporthq/rapport/channel"
)

// apiResource is the part of a Message or Call resource rapport reads.
type apiResource struct {
	SID         string   `json:"sid"`
	Status      string   `json:"status"`
	NumSegments flexInt  `json:"num_segments"` // a string in Messages ("1"); absent in Calls
	ErrorCode   *flexInt `json:"error_code"`
	ErrorMsg    string   `json:"error_message"`
}

// apiError is Twilio's error body:
// {"code":21211,"message":"…","more_info":"https://www.twilio.com/docs/errors/21211","status":400}.
type apiError struct {
	Code     flexInt `json:"code"`
	Message  string  `json:"message"`
	MoreInfo string  `json:"more_info"`
	Status   int     `json:"status"`
}

// flexInt reads a JSON number or a string holding one (Twilio sends both).
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("not an integer: %q", b)
	}
	*n = flexInt(v)
	return nil
}

// classify turns an API answer into a Result or a [*channel.Error].
func (c *Client) classify(resp *http.Response, body []byte) (channel.Result, error) {
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		var r apiResource
		if err := json.Unmarshal(body, &r); err != nil || r.SID == "" {
			// Twilio said yes but we cannot read the SID: it has the
			// message, and a lookup finds it; a blind retry would send it twice.
			return channel.Result{}, &channel.Error{Kind: channel.ErrUnknown,
				Msg: fmt.Sprintf("HTTP %d with an unreadable body", resp.StatusCode)}
		}
		if r.ErrorCode != nil && *r.ErrorCode != 0 && r.Status == "failed" {
			return channel.Result{}, codeError(int(*r.ErrorCode), r.ErrorMsg)
		}
		return channel.Result{ProviderID: r.SID, Status: r.Status, Segments: int(r.NumSegments)}, nil

	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		e := &channel.Error{Kind: channel.ErrRetryable, Msg: "HTTP " + strconv.Itoa(resp.StatusCode)}
		if ae, ok := parseAPIError(body); ok {
			e.Code, e.Msg = strconv.Itoa(int(ae.Code)), ae.Message
		}
		e.RetryAfter = RetryAfter(resp.Header.Get("Retry-After"), c.clock.Now())
		return channel.Result{}, e

	case resp.StatusCode >= 500:
		e := &channel.Error{Kind: channel.ErrRetryable, Msg: "HTTP " + strconv.Itoa(resp.StatusCode)}
		if ae, ok := parseAPIError(body); ok {
			e.Code = strconv.Itoa(int(ae.Code))
		}
		return channel.Result{}, e

	default:
		if ae, ok := parseAPIError(body); ok {
			return channel.Result{}, codeError(int(ae.Code), ae.Message)
		}
		return channel.Result{}, &channel.Error{Kind: channel.ErrPermanent,
			Msg: "HTTP " + strconv.Itoa(resp.StatusCode) + " without a Twilio error body"}
	}
}

func parseAPIError(body []byte) (apiError, bool) {
	var ae apiError
	if err := json.Unmarshal(body, &ae); err != nil || ae.Code == 0 {
		return apiError{}, false
	}
	return ae, true
}

// maxRetryAfter caps what a provider may ask us to wait.
const maxRetryAfter = time.Hour

// RetryAfter parses a Retry-After header, either delay-seconds or an HTTP
// date (read against now), into a duration between 0 and one hour. It returns
// 0 when the header is empty or malformed, or the date is past.
func RetryAfter(header string, now time.Time) time.Duration {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(header, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(header); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}
