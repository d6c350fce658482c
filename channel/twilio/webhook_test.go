package twilio

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/channel"
)

func form(kv ...string) url.Values {
	f := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return f
}

const (
	smSID = "SM0123456789abcdef0123456789abcdef"
	caSID = "CA0123456789abcdef0123456789abcdef"
	acSID = "AC0123456789abcdef0123456789abcdef"
)

func TestParseInbound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		form    url.Values
		want    Inbound
		wantErr string
	}{
		{"sms", form("MessageSid", smSID, "AccountSid", acSID, "From", "+15551230001", "To", "+15005550006",
			"Body", "STOP", "NumMedia", "0", "NumSegments", "1", "FromCountry", "US"),
			Inbound{MessageSID: smSID, AccountSID: acSID, From: "+15551230001", To: "+15005550006", Body: "STOP", NumSegments: 1, FromCountry: "US"}, ""},
		{"older SmsSid only", form("SmsSid", smSID, "From", "+1", "To", "+2", "Body", "hola"),
			Inbound{MessageSID: smSID, From: "+1", To: "+2", Body: "hola"}, ""},
		{"mms", form("MessageSid", smSID, "From", "+1", "To", "+2", "NumMedia", "1",
			"MediaUrl0", "https://api.twilio.com/m/1", "MediaContentType0", "image/jpeg"),
			Inbound{MessageSID: smSID, From: "+1", To: "+2", Media: []Media{{URL: "https://api.twilio.com/m/1", ContentType: "image/jpeg"}}}, ""},
		{"no sid", form("From", "+1", "To", "+2", "Body", "x"), Inbound{}, "MessageSid is missing"},
		{"sid with slash", form("MessageSid", "SM/1", "From", "+1", "To", "+2"), Inbound{}, "not a Twilio SID"},
		{"no from", form("MessageSid", smSID, "To", "+2", "Body", "x"), Inbound{}, "From and To are required"},
		{"media count lies", form("MessageSid", smSID, "From", "+1", "To", "+2", "NumMedia", "2", "MediaUrl0", "u"), Inbound{}, "MediaUrl1 is missing"},
		{"media count absurd", form("MessageSid", smSID, "From", "+1", "To", "+2", "NumMedia", "1000000"), Inbound{}, "NumMedia"},
		{"body too long", form("MessageSid", smSID, "From", "+1", "To", "+2", "Body", strings.Repeat("x", maxField+1)), Inbound{}, "Body is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseInbound(tt.form)
			checkParse(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	msg := func(status, code string) url.Values {
		f := form("MessageSid", smSID, "SmsSid", smSID, "AccountSid", acSID, "MessageStatus", status,
			"SmsStatus", status, "From", "+15005550006", "To", "+15551230001", "mid", "msg-7")
		if code != "" {
			f.Set("ErrorCode", code)
		}
		return f
	}
	call := func(status string) url.Values {
		return form("CallSid", caSID, "AccountSid", acSID, "CallStatus", status, "To", "+15551230001", "mid", "msg-8")
	}
	tests := []struct {
		name      string
		form      url.Values
		wantKind  error // nil: no failure reported
		wantCode  string
		final     bool
		delivered bool
		wantErr   string
	}{
		{"sent", msg("sent", ""), nil, "", false, false, ""},
		{"delivered", msg("delivered", ""), nil, "", true, true, ""},
		{"30003 unreachable is temporary", msg("undelivered", "30003"), channel.ErrRetryable, "30003", true, false, ""},
		{"30005 unknown number", msg("undelivered", "30005"), channel.ErrBadAddress, "30005", true, false, ""},
		{"30006 landline", msg("undelivered", "30006"), channel.ErrBadAddress, "30006", true, false, ""},
		{"30007 filtered", msg("undelivered", "30007"), channel.ErrPermanent, "30007", true, false, ""},
		{"30008 unknown error", msg("failed", "30008"), channel.ErrRetryable, "30008", true, false, ""},
		{"21610 at delivery", msg("failed", "21610"), channel.ErrRecipientOptedOut, "21610", true, false, ""},
		{"failed without code", msg("failed", ""), channel.ErrPermanent, "", true, false, ""},
		{"call completed", call("completed"), nil, "", true, true, ""},
		{"call ringing", call("ringing"), nil, "", false, false, ""},
		{"call busy", call("busy"), channel.ErrRetryable, "", true, false, ""},
		{"call no-answer", call("no-answer"), channel.ErrRetryable, "", true, false, ""},
		{"call failed", call("failed"), channel.ErrBadAddress, "", true, false, ""},
		{"no status", form("MessageSid", smSID), nil, "", false, false, "neither MessageStatus nor CallStatus"},
		{"no sid", form("MessageStatus", "sent"), nil, "", false, false, "SmsSid is missing"},
		{"bad code", msg("failed", "30x"), nil, "", false, false, "ErrorCode"},
		{"bad status word", msg("de livered", ""), nil, "", false, false, "not a status word"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseStatus(tt.form)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseStatus error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.MessageID == "" || got.SID == "" || got.Status == "" {
				t.Errorf("ParseStatus = %+v: want SID, status and mid", got)
			}
			if got.Final() != tt.final || got.Delivered() != tt.delivered {
				t.Errorf("final %v delivered %v, want %v %v", got.Final(), got.Delivered(), tt.final, tt.delivered)
			}
			switch {
			case tt.wantKind == nil && got.Err != nil:
				t.Errorf("Err = %v, want nil", got.Err)
			case tt.wantKind != nil && (got.Err == nil || !errors.Is(got.Err, tt.wantKind) || got.Err.Code != tt.wantCode):
				t.Errorf("Err = %v, want kind %v code %q", got.Err, tt.wantKind, tt.wantCode)
			}
		})
	}
}

func TestParseGather(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		form    url.Values
		want    Gather
		wantErr string
	}{
		{"digit", form("CallSid", caSID, "AccountSid", acSID, "Digits", "1", "From", "+15005550006", "To", "+1555", "CallStatus", "in-progress", "mid", "m-1"),
			Gather{CallSID: caSID, AccountSID: acSID, Digits: "1", From: "+15005550006", To: "+1555", CallStatus: "in-progress", MessageID: "m-1"}, ""},
		{"star and pound", form("CallSid", caSID, "Digits", "*#0"), Gather{CallSID: caSID, Digits: "*#0"}, ""},
		{"nothing pressed", form("CallSid", caSID), Gather{CallSID: caSID}, ""},
		{"no call sid", form("Digits", "1"), Gather{}, "CallSid is missing"},
		{"letters", form("CallSid", caSID, "Digits", "1a"), Gather{}, "not 0-9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseGather(tt.form)
			checkParse(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func checkParse[T any](t *testing.T, got T, err error, want T, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("error = %v, want it to mention %q", err, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// Fuzz seeds: one real-looking form of each kind plus hostile ones.
var fuzzSeeds = []string{
	"MessageSid=" + smSID + "&From=%2B1&To=%2B2&Body=hola&NumMedia=1&MediaUrl0=u&MediaContentType0=image%2Fpng",
	"MessageSid=" + smSID + "&MessageStatus=undelivered&ErrorCode=30006&mid=m1",
	"CallSid=" + caSID + "&CallStatus=busy&Digits=1%23&mid=x",
	"SmsSid=&SmsStatus=%00&ErrorCode=-1&NumMedia=-1&NumSegments=99999999999999999999",
	"CallSid=CA%E2%80%8B&Digits=%F0%9F%99%82",
}

func FuzzParseInbound(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fm, _ := url.ParseQuery(body)
		in, err := ParseInbound(fm)
		if err == nil && (in.MessageSID == "" || in.From == "" || in.To == "" || len(in.Media) > maxMedia) {
			t.Fatalf("accepted an incomplete message: %+v", in)
		}
	})
}

func FuzzParseStatus(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fm, _ := url.ParseQuery(body)
		s, err := ParseStatus(fm)
		if err != nil {
			return
		}
		if s.SID == "" || !isToken(s.Status) {
			t.Fatalf("accepted an update without SID or status: %+v", s)
		}
		if s.ErrorCode != "" && s.ErrorCode != "0" && s.Err == nil {
			t.Fatalf("error code %s not classified", s.ErrorCode)
		}
	})
}

func FuzzParseGather(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fm, _ := url.ParseQuery(body)
		g, err := ParseGather(fm)
		if err != nil {
			return
		}
		if g.CallSID == "" || strings.Trim(g.Digits, "0123456789*#") != "" {
			t.Fatalf("accepted a bad gather: %+v", g)
		}
	})
}
