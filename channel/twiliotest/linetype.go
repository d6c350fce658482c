package twiliotest

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
)

// LineAnswer is what the fake Lookup says of one number's line.
type LineAnswer struct {
	// Type is Line Type Intelligence's type: mobile, landline, fixedVoip,
	// nonFixedVoip, tollFree, pager, voicemail, unknown…
	Type    string
	Carrier string
	// ErrorCode is line_type_intelligence.error_code (60600, 60601); 0 is
	// none.
	ErrorCode int
	// Status, when not 0 or 200, is the HTTP status the look-up answers
	// with Twilio's error JSON (404 unknown number, 429 throttled, 401…);
	// Code is that error's code and RetryAfter its Retry-After header.
	Status     int
	Code       int
	RetryAfter string
}

// SetLineType makes Lookup answer a for number, replacing the default.
func (s *Server) SetLineType(number string, a LineAnswer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lineTypes == nil {
		s.lineTypes = map[string]LineAnswer{}
	}
	s.lineTypes[number] = a
}

// Lookups returns how many line-type look-ups of number were asked (all
// numbers when number is ""), answered or not.
func (s *Server) Lookups(number string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if number == "" {
		n := 0
		for _, k := range s.lookups {
			n += k
		}
		return n
	}
	return s.lookups[number]
}

// DefaultLineType is the answer of a number no test set, fixed by the
// number: the magic landline +15005550009 and numbers ending in 0 are
// landlines, ending in 1 fixed VoIP, toll-free area codes tollFree, the
// rest mobiles.
func DefaultLineType(number string) LineAnswer {
	switch {
	case number == "+15005550009" || strings.HasSuffix(number, "0"):
		return LineAnswer{Type: "landline", Carrier: "AT&T Local"}
	case strings.HasSuffix(number, "1"):
		return LineAnswer{Type: "fixedVoip", Carrier: "Bandwidth/13 - Bandwidth.com - SVR"}
	}
	for _, p := range []string{"+1800", "+1833", "+1844", "+1855", "+1866", "+1877", "+1888"} {
		if strings.HasPrefix(number, p) {
			return LineAnswer{Type: "tollFree"}
		}
	}
	return LineAnswer{Type: "mobile", Carrier: "T-Mobile USA, Inc."}
}

// lookupResource is Lookup v2's PhoneNumber resource with the
// line_type_intelligence field, in Twilio's field order.
type lookupResource struct {
	CallingCountryCode   *string       `json:"calling_country_code"`
	CountryCode          *string       `json:"country_code"`
	PhoneNumber          string        `json:"phone_number"`
	NationalFormat       *string       `json:"national_format"`
	Valid                bool          `json:"valid"`
	ValidationErrors     []string      `json:"validation_errors"`
	CallerName           any           `json:"caller_name"`
	SimSwap              any           `json:"sim_swap"`
	CallForwarding       any           `json:"call_forwarding"`
	LineStatus           any           `json:"line_status"`
	LineTypeIntelligence *lineTypeJSON `json:"line_type_intelligence"`
	IdentityMatch        any           `json:"identity_match"`
	ReassignedNumber     any           `json:"reassigned_number"`
	SMSPumpingRisk       any           `json:"sms_pumping_risk"`
	PhoneNumberQuality   any           `json:"phone_number_quality_score"`
	PreFill              any           `json:"pre_fill"`
	URL                  string        `json:"url"`
}

type lineTypeJSON struct {
	CarrierName       *string `json:"carrier_name"`
	ErrorCode         *int    `json:"error_code"`
	MobileCountryCode *string `json:"mobile_country_code"`
	MobileNetworkCode *string `json:"mobile_network_code"`
	Type              *string `json:"type"`
}

// serveLineType answers GET /v2/PhoneNumbers/{number}: basic auth, then
// the number's answer in Lookup v2's shape. Numbers of the wrong length
// answer valid=false with a validation error, as Twilio does.
func (s *Server) serveLineType(w http.ResponseWriter, r *http.Request) {
	user, pass, hasAuth := r.BasicAuth()
	if !hasAuth ||
		subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.AccountSID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.AuthToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	number := r.PathValue("number")
	s.mu.Lock()
	if s.lookups == nil {
		s.lookups = map[string]int{}
	}
	s.lookups[number]++
	a, set := s.lineTypes[number]
	s.mu.Unlock()
	if !set {
		a = DefaultLineType(number)
	}
	if a.Status != 0 && a.Status != http.StatusOK {
		if a.RetryAfter != "" {
			w.Header().Set("Retry-After", a.RetryAfter)
		}
		writeError(w, a.Status, a.Code, http.StatusText(a.Status))
		return
	}
	res := lookupResource{PhoneNumber: number, URL: "https://lookups.twilio.com/v2/PhoneNumbers/" + number}
	if verr := lookupValidation(number); verr != "" {
		res.ValidationErrors = []string{verr}
		b, _ := json.Marshal(res)
		writeJSON(w, http.StatusOK, b)
		return
	}
	res.Valid = true
	if strings.HasPrefix(number, "+1") && len(number) == 12 {
		cc, country, national := "1", "US", "("+number[2:5]+") "+number[5:8]+"-"+number[8:]
		res.CallingCountryCode, res.CountryCode, res.NationalFormat = &cc, &country, &national
	}
	if r.URL.Query().Get("Fields") == "line_type_intelligence" {
		lt := &lineTypeJSON{}
		if a.Type != "" {
			lt.Type = &a.Type
		}
		if a.Carrier != "" {
			lt.CarrierName = &a.Carrier
		}
		if a.ErrorCode != 0 {
			lt.ErrorCode = &a.ErrorCode
		}
		if a.Type == "mobile" {
			mcc, mnc := "310", "260"
			lt.MobileCountryCode, lt.MobileNetworkCode = &mcc, &mnc
		}
		res.LineTypeIntelligence = lt
	}
	b, _ := json.Marshal(res)
	writeJSON(w, http.StatusOK, b)
}

// lookupValidation is Lookup's validation error for number, or "": North
// American numbers have 10 digits after +1, others at least 7.
func lookupValidation(number string) string {
	switch {
	case !isE164(number):
		return "NOT_A_NUMBER"
	case strings.HasPrefix(number, "+1") && len(number) < 12, len(number) < 8:
		return "TOO_SHORT"
	case strings.HasPrefix(number, "+1") && len(number) > 12:
		return "TOO_LONG"
	}
	return ""
}
