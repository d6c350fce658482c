package twilio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/channel/twilio"
	"github.com/rapporthq/rapport/channel/twiliotest"
)

// TestLineType asks the fake Lookup about numbers with each kind of answer
// and checks what a caller stores or retries.
func TestLineType(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	fake := twiliotest.NewServer(t, twiliotest.Options{})
	cfg := fake.Config()
	cfg.Clock = rapport.NewManualClock(now)
	lt, err := twilio.NewLineTypes(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		number string
		answer *twiliotest.LineAnswer
		want   rapport.LineLookup // LookedUpAt is now when no error is wanted
		// failure
		wantKind       error
		wantCode       string
		wantRetryAfter time.Duration
	}{
		{name: "mobile", number: "+15122345678", answer: &twiliotest.LineAnswer{Type: "mobile", Carrier: "Verizon Wireless"},
			want: rapport.LineLookup{LineType: rapport.LineMobile, ProviderType: "mobile", Carrier: "Verizon Wireless"}},
		{name: "landline recorded as a mobile", number: "+15122345679", answer: &twiliotest.LineAnswer{Type: "landline", Carrier: "AT&T Local"},
			want: rapport.LineLookup{LineType: rapport.LineLandline, ProviderType: "landline", Carrier: "AT&T Local"}},
		{name: "fixed voip", number: "+15122345601", answer: &twiliotest.LineAnswer{Type: "fixedVoip"},
			want: rapport.LineLookup{LineType: rapport.LineVoIP, ProviderType: "fixedVoip"}},
		{name: "non-fixed voip", number: "+15122345602", answer: &twiliotest.LineAnswer{Type: "nonFixedVoip", Carrier: "Google (Grand Central) - SVR"},
			want: rapport.LineLookup{LineType: rapport.LineVoIP, ProviderType: "nonFixedVoip", Carrier: "Google (Grand Central) - SVR"}},
		{name: "toll free", number: "+18005550199", answer: &twiliotest.LineAnswer{Type: "tollFree"},
			want: rapport.LineLookup{LineType: rapport.LineTollFree, ProviderType: "tollFree"}},
		{name: "pager means nothing to rapport", number: "+15122345603", answer: &twiliotest.LineAnswer{Type: "pager"},
			want: rapport.LineLookup{ProviderType: "pager"}},
		{name: "package error", number: "+14165550123", answer: &twiliotest.LineAnswer{ErrorCode: 60601},
			want: rapport.LineLookup{ErrorCode: "60601"}},
		{name: "invalid number is an answer", number: "+1512",
			want: rapport.LineLookup{ErrorCode: "invalid: TOO_SHORT"}},
		{name: "unknown number is an answer", number: "+15122345604", answer: &twiliotest.LineAnswer{Status: 404, Code: 20404},
			want: rapport.LineLookup{ErrorCode: "20404"}},
		{name: "throttled honours Retry-After", number: "+15122345605", answer: &twiliotest.LineAnswer{Status: 429, Code: 20429, RetryAfter: "7"},
			wantKind: channel.ErrRetryable, wantCode: "20429", wantRetryAfter: 7 * time.Second},
		{name: "server error retries", number: "+15122345606", answer: &twiliotest.LineAnswer{Status: 503, Code: 20503},
			wantKind: channel.ErrRetryable, wantCode: "20503"},
		{name: "refused number", number: "+15122345608", answer: &twiliotest.LineAnswer{Status: http.StatusBadRequest, Code: 20001},
			wantKind: channel.ErrBadAddress, wantCode: "20001"},
		{name: "refused credentials", number: "+15122345607", answer: &twiliotest.LineAnswer{Status: http.StatusUnauthorized, Code: 20003},
			wantKind: channel.ErrPermanent, wantCode: "20003"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.answer != nil {
				fake.SetLineType(tt.number, *tt.answer)
			}
			got, err := lt.LineType(context.Background(), tt.number)
			if fake.Lookups(tt.number) != 1 {
				t.Errorf("the fake was asked %d times, want 1", fake.Lookups(tt.number))
			}
			if tt.wantKind != nil {
				var ce *channel.Error
				if !errors.As(err, &ce) || !errors.Is(ce, tt.wantKind) || ce.Code != tt.wantCode || ce.RetryAfter != tt.wantRetryAfter {
					t.Fatalf("LineType = %+v, %v; want %v code %s retry after %v", got, err, tt.wantKind, tt.wantCode, tt.wantRetryAfter)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Number, want.Provider, want.LookedUpAt = tt.number, twilio.ProviderLookup, now
			if got != want {
				t.Errorf("LineType =\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}

// TestLineTypeBadCredentials: the fake checks basic auth, as Twilio does.
func TestLineTypeBadCredentials(t *testing.T) {
	t.Parallel()
	fake := twiliotest.NewServer(t, twiliotest.Options{})
	cfg := fake.Config()
	cfg.AuthToken = "wrong"
	lt, err := twilio.NewLineTypes(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lt.LineType(context.Background(), "+15122345678")
	var ce *channel.Error
	if !errors.As(err, &ce) || !errors.Is(ce, channel.ErrPermanent) || ce.Code != "20003" {
		t.Fatalf("LineType with a wrong token: %v, want permanent 20003", err)
	}
}

// TestLineTypeDeadline: a Lookup that does not answer ends at the
// client's per-request deadline, retryable.
func TestLineTypeDeadline(t *testing.T) {
	t.Parallel()
	hang := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer hs.Close()
	lt, err := twilio.NewLineTypes(twilio.Config{LookupURL: hs.URL, AccountSID: "AC1", AuthToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	lt.Timeout = 50 * time.Millisecond
	start := time.Now()
	_, err = lt.LineType(context.Background(), "+15122345678")
	close(hang)
	if !errors.Is(err, channel.ErrRetryable) {
		t.Fatalf("hanging lookup: %v, want retryable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("hanging lookup took %v", d)
	}
}

func TestNewLineTypesNeedsCredentials(t *testing.T) {
	t.Parallel()
	if _, err := twilio.NewLineTypes(twilio.Config{LookupURL: "https://lookups.twilio.com"}); err == nil {
		t.Error("NewLineTypes without account SID and token accepted")
	}
	if _, err := twilio.NewLineTypes(twilio.Config{LookupURL: "ftp://x", AccountSID: "AC1", AuthToken: "t"}); err == nil {
		t.Error("NewLineTypes with an ftp lookup URL accepted")
	}
}

// Answers as Twilio's Lookup v2 documentation shows them.
const (
	nonFixedVoipAnswer = `{"calling_country_code":"1","country_code":"US","phone_number":"+14159929960","national_format":"(415) 992-9960",` +
		`"valid":true,"validation_errors":null,"caller_name":null,"sim_swap":null,"call_forwarding":null,"line_status":null,` +
		`"line_type_intelligence":{"carrier_name":"Bandwidth/13 - Bandwidth.com - SVR","error_code":null,"mobile_country_code":"313",` +
		`"mobile_network_code":"981","type":"nonFixedVoip"},"identity_match":null,"reassigned_number":null,"sms_pumping_risk":null,` +
		`"phone_number_quality_score":null,"pre_fill":null,"url":"https://lookups.twilio.com/v2/PhoneNumbers/+14159929960"}`
	invalidAnswer = `{"calling_country_code":null,"country_code":null,"phone_number":"+1415","national_format":null,"valid":false,` +
		`"validation_errors":["TOO_SHORT"],"line_type_intelligence":null,"url":"https://lookups.twilio.com/v2/PhoneNumbers/+1415"}`
	canadaAnswer = `{"phone_number":"+14165550123","valid":true,"validation_errors":[],"line_type_intelligence":` +
		`{"carrier_name":null,"error_code":60601,"mobile_country_code":null,"mobile_network_code":null,"type":null}}`
)

func TestParseLineType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		want    rapport.LineLookup
		wantErr bool
	}{
		{name: "non-fixed voip", body: nonFixedVoipAnswer, want: rapport.LineLookup{Number: "+14159929960", Provider: "twilio",
			LineType: rapport.LineVoIP, ProviderType: "nonFixedVoip", Carrier: "Bandwidth/13 - Bandwidth.com - SVR"}},
		{name: "invalid", body: invalidAnswer, want: rapport.LineLookup{Number: "+1415", Provider: "twilio", ErrorCode: "invalid: TOO_SHORT"}},
		{name: "package error", body: canadaAnswer, want: rapport.LineLookup{Number: "+14165550123", Provider: "twilio", ErrorCode: "60601"}},
		{name: "string error code", body: `{"valid":true,"line_type_intelligence":{"error_code":"60600","type":null}}`,
			want: rapport.LineLookup{Provider: "twilio", ErrorCode: "60600"}},
		{name: "no line type field asked", body: `{"phone_number":"+14159929960","valid":true}`, wantErr: true},
		{name: "not json", body: `<html>`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := twilio.ParseLineType([]byte(tt.body))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseLineType = %+v, %v; want %+v (error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestLineTypeOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]rapport.LineType{
		"mobile": rapport.LineMobile, "landline": rapport.LineLandline, "fixedVoip": rapport.LineVoIP,
		"nonFixedVoip": rapport.LineVoIP, "tollFree": rapport.LineTollFree, "voicemail": "", "personal": "", "unknown": "", "": "",
	} {
		if got := twilio.LineTypeOf(in); got != want {
			t.Errorf("LineTypeOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseLineType: any body either parses into a look-up whose line type
// is one rapport knows (or none) or is an error; it never panics.
func FuzzParseLineType(f *testing.F) {
	for _, s := range []string{nonFixedVoipAnswer, invalidAnswer, canadaAnswer, `{}`, `null`, `{"valid":false}`,
		`{"line_type_intelligence":{"type":"landline","error_code":"x"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := twilio.ParseLineType(body)
		if err != nil {
			if l != (rapport.LineLookup{}) {
				t.Fatalf("error %v with a look-up %+v", err, l)
			}
			return
		}
		switch l.LineType {
		case "", rapport.LineMobile, rapport.LineLandline, rapport.LineVoIP, rapport.LineTollFree:
		default:
			t.Fatalf("line type %q", l.LineType)
		}
		if l.LineType != twilio.LineTypeOf(l.ProviderType) || l.Provider != twilio.ProviderLookup || !l.LookedUpAt.IsZero() {
			t.Fatalf("look-up %+v", l)
		}
	})
}
