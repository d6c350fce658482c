package twilio

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-3", 0},
		{"7", 7 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"999999999999", time.Hour},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{now.Add(48 * time.Hour).Format(http.TimeFormat), time.Hour},
		{"Wed, 25 Nov 2026 12:00:30 GMT", 30 * time.Second},
		{"soon", 0},
		{"1.5", 0},
	}
	for _, tt := range tests {
		if got := RetryAfter(tt.header, now); got != tt.want {
			t.Errorf("RetryAfter(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	c := &Client{clock: rapport.NewManualClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))}
	tests := []struct {
		name       string
		status     int
		header     string
		body       string
		wantKind   error // nil for success
		wantCode   string
		wantRetry  time.Duration
		wantResult channel.Result
	}{
		{"created", 201, "", `{"sid":"SM1","status":"queued","num_segments":"2","error_code":null}`, nil, "", 0,
			channel.Result{ProviderID: "SM1", Status: "queued", Segments: 2}},
		{"segments as number", 201, "", `{"sid":"SM1","status":"queued","num_segments":3}`, nil, "", 0,
			channel.Result{ProviderID: "SM1", Status: "queued", Segments: 3}},
		{"call has no segments", 201, "", `{"sid":"CA1","status":"queued"}`, nil, "", 0,
			channel.Result{ProviderID: "CA1", Status: "queued"}},
		{"created but failed", 201, "", `{"sid":"SM1","status":"failed","error_code":"30007","error_message":"filtered"}`, channel.ErrPermanent, "30007", 0, channel.Result{}},
		{"2xx unreadable", 200, "", `<html>`, channel.ErrUnknown, "", 0, channel.Result{}},
		{"2xx without sid", 200, "", `{}`, channel.ErrUnknown, "", 0, channel.Result{}},
		{"429 seconds", 429, "3", `{"code":20429,"message":"Too Many Requests","status":429}`, channel.ErrRetryable, "20429", 3 * time.Second, channel.Result{}},
		{"503 date", 503, "Wed, 25 Nov 2026 12:01:00 GMT", ``, channel.ErrRetryable, "", time.Minute, channel.Result{}},
		{"500", 500, "", `{"code":20500,"message":"Internal","status":500}`, channel.ErrRetryable, "20500", 0, channel.Result{}},
		{"502 html", 502, "", `<html>bad gateway</html>`, channel.ErrRetryable, "", 0, channel.Result{}},
		{"21211", 400, "", `{"code":21211,"message":"invalid","more_info":"x","status":400}`, channel.ErrBadAddress, "21211", 0, channel.Result{}},
		{"21614", 400, "", `{"code":21614,"message":"not mobile","status":400}`, channel.ErrBadAddress, "21614", 0, channel.Result{}},
		{"21610", 400, "", `{"code":21610,"message":"unsubscribed","status":400}`, channel.ErrRecipientOptedOut, "21610", 0, channel.Result{}},
		{"21408 is the account's", 400, "", `{"code":21408,"message":"region","status":400}`, channel.ErrPermanent, "21408", 0, channel.Result{}},
		{"401", 401, "", `{"code":20003,"message":"Authenticate","status":401}`, channel.ErrPermanent, "20003", 0, channel.Result{}},
		{"unknown code", 400, "", `{"code":12345,"message":"?","status":400}`, channel.ErrPermanent, "12345", 0, channel.Result{}},
		{"400 without body", 400, "", ``, channel.ErrPermanent, "", 0, channel.Result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			if tt.header != "" {
				resp.Header.Set("Retry-After", tt.header)
			}
			res, err := c.classify(resp, []byte(tt.body))
			if tt.wantKind == nil {
				if err != nil || res != tt.wantResult {
					t.Fatalf("classify = %+v, %v; want %+v", res, err, tt.wantResult)
				}
				return
			}
			var ce *channel.Error
			if !errors.As(err, &ce) || !errors.Is(err, tt.wantKind) {
				t.Fatalf("classify error = %v, want kind %v", err, tt.wantKind)
			}
			if ce.Code != tt.wantCode || ce.RetryAfter != tt.wantRetry {
				t.Errorf("code %q retry %v, want %q %v", ce.Code, ce.RetryAfter, tt.wantCode, tt.wantRetry)
			}
		})
	}
}

func TestKindOfDeliveryCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code int
		want error
	}{
		{30003, channel.ErrRetryable},
		{30005, channel.ErrBadAddress},
		{30006, channel.ErrBadAddress},
		{30007, channel.ErrPermanent},
		{30008, channel.ErrRetryable},
		{21610, channel.ErrRecipientOptedOut},
		{20429, channel.ErrRetryable},
		{99999, channel.ErrPermanent},
	}
	for _, tt := range tests {
		if got := KindOf(tt.code); got != tt.want {
			t.Errorf("KindOf(%d) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
