package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"testing"
)

// docForm is the <Gather> POST of the example in Twilio's security docs.
func docForm(caller string) url.Values {
	return url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {caller},
		"Digits":  {"1234"},
		"From":    {caller},
		"To":      {"+18005551212"},
	}
}

// independentSignature spells the algorithm out by hand, for a known answer
// that does not share code with Signature.
func independentSignature(token, data string) string {
	m := hmac.New(sha1.New, []byte(token))
	m.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestValidateSignature(t *testing.T) {
	t.Parallel()
	const docURL = "https://mycompany.com/myapp.php?foo=1&bar=2"
	statusForm := url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}, "AccountSid": {"AC1"}}
	statusURL := "https://rapport.example.org/webhooks/twilio/status?mid=m-1"
	statusSig := independentSignature("tok",
		statusURL+"AccountSidAC1"+"MessageSidSM1"+"MessageStatusdelivered")

	tests := []struct {
		name  string
		token string
		url   string
		form  url.Values
		sig   string
		want  bool
	}{
		// The two published examples of Twilio's security docs (the caller
		// number differs between their editions).
		{"twilio docs example", "12345", docURL, docForm("+14158675309"), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
		{"twilio docs example, newer edition", "12345", docURL, docForm("+12349013030"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", true},
		{"independent vector", "tok", statusURL, statusForm, statusSig, true},
		{"default port written out", "tok", "https://rapport.example.org:443/webhooks/twilio/status?mid=m-1", statusForm, statusSig, true},
		{"no params", "tok", "https://h.example/x", url.Values{}, independentSignature("tok", "https://h.example/x"), true},
		{"multi-valued param sorted", "tok", "https://h.example/x", url.Values{"A": {"2", "1"}}, independentSignature("tok", "https://h.example/xA1A2"), true},
		{"wrong token", "54321", docURL, docForm("+14158675309"), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"param changed", "12345", docURL, docForm("+14158675300"), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"query changed", "12345", "https://mycompany.com/myapp.php?foo=1&bar=3", docForm("+14158675309"), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"mid forged", "tok", "https://rapport.example.org/webhooks/twilio/status?mid=m-2", statusForm, statusSig, false},
		{"http instead of https", "tok", "http://rapport.example.org/webhooks/twilio/status?mid=m-1", statusForm, statusSig, false},
		{"other port", "tok", "https://rapport.example.org:8443/webhooks/twilio/status?mid=m-1", statusForm, statusSig, false},
		{"empty signature", "tok", statusURL, statusForm, "", false},
		{"empty token", "", statusURL, statusForm, independentSignature("", statusURL+"AccountSidAC1MessageSidSM1MessageStatusdelivered"), false},
		{"garbage signature", "tok", statusURL, statusForm, "not base64!", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ValidateSignature(tt.token, tt.url, tt.form, tt.sig); got != tt.want {
				t.Errorf("ValidateSignature = %v, want %v (computed %s)", got, tt.want, Signature(tt.token, tt.url, tt.form))
			}
		})
	}
}

func FuzzValidateSignature(f *testing.F) {
	f.Add("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", "CallSid=CA1234567890ABCDE&Digits=1234", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
	f.Add("t", "https://h:443/x", "a=1&a=2&b=", "")
	f.Add("t", "http://[::1]:80/x?y", "%zz", "====")
	f.Add("t", "https://user@h/x", "", "x")
	f.Fuzz(func(t *testing.T, token, rawURL, body, sig string) {
		form, _ := url.ParseQuery(body)
		ok := ValidateSignature(token, rawURL, form, sig)
		if token != "" && !ValidateSignature(token, rawURL, form, Signature(token, rawURL, form)) {
			t.Fatalf("own signature does not validate for %q %q", rawURL, body)
		}
		if ok && token == "" {
			t.Fatal("validated with an empty token")
		}
	})
}
