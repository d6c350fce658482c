package twiliotest

import (
	"crypto/subtle"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rapporthq/rapport/channel/twilio"
)

const apiVersion = "2010-04-01"

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", s.serveMessage)
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Calls.json", s.serveCall)
	mux.HandleFunc("GET /2010-04-01/Accounts/{sid}/Messages.json", s.serveList(KindMessage))
	mux.HandleFunc("GET /2010-04-01/Accounts/{sid}/Calls.json", s.serveList(KindCall))
	mux.HandleFunc("GET /v2/PhoneNumbers/{number}", s.serveLineType)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
	})
	return mux
}

// admit checks what every API request needs and parses its form. It answers
// the request itself and returns false when the request goes no further.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) (lost bool, ok bool) {
	if f, faulty := s.fault(); faulty {
		if s.serveFault(w, r, f) {
			return false, false
		}
		lost = true
	}
	user, pass, hasAuth := r.BasicAuth()
	if !hasAuth ||
		subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.AccountSID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.AuthToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return false, false
	}
	if r.PathValue("sid") != s.opts.AccountSID {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return false, false
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		writeError(w, http.StatusBadRequest, 0, "twiliotest: the body must be application/x-www-form-urlencoded")
		return false, false
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 0, "twiliotest: unreadable form: "+err.Error())
		return false, false
	}
	return lost, true
}

func (s *Server) serveMessage(w http.ResponseWriter, r *http.Request) {
	lost, ok := s.admit(w, r)
	if !ok {
		return
	}
	to, from, body, cb := r.PostForm.Get("To"), r.PostForm.Get("From"), r.PostForm.Get("Body"), r.PostForm.Get("StatusCallback")
	switch {
	case to == "":
		writeError(w, http.StatusBadRequest, 21604, "A 'To' phone number is required.")
		return
	case from == "":
		writeError(w, http.StatusBadRequest, 21603, "A 'From' phone number is required.")
		return
	case body == "":
		writeError(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	case utf8.RuneCountInString(body) > 1600:
		writeError(w, http.StatusBadRequest, 21617, "The concatenated message body exceeds the 1600 character limit.")
		return
	case !isE164(to):
		writeError(w, http.StatusBadRequest, 21211, "The 'To' number "+to+" is not a valid phone number.")
		return
	case cb != "" && !isCallbackURL(cb):
		writeError(w, http.StatusBadRequest, 21609, "The StatusCallback URL "+cb+" is not a valid URL.")
		return
	}
	if code := s.numberError(to); code != 0 {
		writeError(w, http.StatusBadRequest, code, numberMessage(code, to))
		return
	}
	now := s.opts.NowFunc().UTC()
	req := Request{
		Kind: KindMessage, SID: s.newSID("SM"), To: to, From: from, Body: body,
		Segments: twilio.Segments(body), StatusCallback: cb, MessageID: midOf(cb),
		IdempotencyToken: r.Header.Get(twilio.IdempotencyHeader), At: now,
	}
	s.record(req)
	if lost {
		s.hang(r)
		return
	}
	b := getBuf()
	defer putBuf(b)
	*b = appendMessageJSON((*b)[:0], s.opts.AccountSID, &req, now)
	writeJSON(w, http.StatusCreated, *b)
}

func (s *Server) serveCall(w http.ResponseWriter, r *http.Request) {
	lost, ok := s.admit(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	to, from, twiml, twimlURL, cb := f.Get("To"), f.Get("From"), f.Get("Twiml"), f.Get("Url"), f.Get("StatusCallback")
	switch {
	case to == "":
		writeError(w, http.StatusBadRequest, 21201, "No 'To' number is specified")
		return
	case from == "":
		writeError(w, http.StatusBadRequest, 21213, "No 'From' number is specified")
		return
	case twiml == "" && f.Get("Url") == "" && f.Get("ApplicationSid") == "":
		writeError(w, http.StatusBadRequest, 21205, "Url parameter is required.")
		return
	case !isE164(to):
		writeError(w, http.StatusBadRequest, 21211, "The 'To' number "+to+" is not a valid phone number.")
		return
	case cb != "" && !isCallbackURL(cb):
		writeError(w, http.StatusBadRequest, 21609, "The StatusCallback URL "+cb+" is not a valid URL.")
		return
	case twiml == "" && twimlURL != "" && !isCallbackURL(twimlURL):
		writeError(w, http.StatusBadRequest, 21205, "Url is not a valid URL: "+twimlURL)
		return
	}
	switch code := s.numberError(to); code {
	case 0, 21610, 21614: // SMS-only refusals: a landline takes calls
	case 21211:
		writeError(w, http.StatusBadRequest, 21217, numberMessage(21217, to))
		return
	default:
		writeError(w, http.StatusBadRequest, code, numberMessage(code, to))
		return
	}
	now := s.opts.NowFunc().UTC()
	req := Request{
		Kind: KindCall, SID: s.newSID("CA"), To: to, From: from, Twiml: twiml, URL: twimlURL,
		StatusCallback: cb, MessageID: midOf(cb),
		IdempotencyToken: r.Header.Get(twilio.IdempotencyHeader), At: now,
	}
	s.record(req)
	if twiml == "" && twimlURL != "" {
		// Twilio fetches the TwiML when the call connects, after answering.
		go s.fetchTwiml(req)
	}
	if lost {
		s.hang(r)
		return
	}
	b := getBuf()
	defer putBuf(b)
	*b = appendCallJSON((*b)[:0], s.opts.AccountSID, &req, now)
	writeJSON(w, http.StatusCreated, *b)
}

func (s *Server) numberError(to string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.numbers[to]
}

// numberMessage is Twilio's wording for the number errors.
func numberMessage(code int, to string) string {
	switch code {
	case 21211:
		return "The 'To' number " + to + " is not a valid phone number."
	case 21217:
		return "Phone number does not appear to be valid"
	case 21408:
		return "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: " + to
	case 21610:
		return "Attempt to send to unsubscribed recipient"
	case 21612:
		return "The 'To' phone number: " + to + ", is not currently reachable using the 'From' phone number via SMS."
	case 21614:
		return "'To' number is not a valid mobile number"
	}
	return fmt.Sprintf("Error %d for %s", code, to)
}

// isE164 reports whether n is + and 2 to 15 digits, the first not 0.
func isE164(n string) bool {
	if len(n) < 3 || len(n) > 16 || n[0] != '+' || n[1] == '0' {
		return false
	}
	for i := 1; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}

func isCallbackURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func getBuf() *[]byte  { return bufPool.Get().(*[]byte) }
func putBuf(b *[]byte) { bufPool.Put(b) }

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json; charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError answers Twilio's error JSON; code 0 leaves code out.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	if code != 0 {
		b = append(b, `"code":`...)
		b = strconv.AppendInt(b, int64(code), 10)
		b = append(b, `,"more_info":"https://www.twilio.com/docs/errors/`...)
		b = strconv.AppendInt(b, int64(code), 10)
		b = append(b, `",`...)
	}
	b = append(b, `"message":`...)
	b = appendString(b, msg)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, '}')
	writeJSON(w, status, b)
}

func appendMessageJSON(b []byte, account string, r *Request, now time.Time) []byte {
	uri := "/2010-04-01/Accounts/" + account + "/Messages/" + r.SID
	b = append(b, `{"account_sid":`...)
	b = appendString(b, account)
	b = append(b, `,"api_version":"`+apiVersion+`","body":`...)
	b = appendString(b, r.Body)
	b = append(b, `,"date_created":"`...)
	b = now.AppendFormat(b, time.RFC1123Z)
	b = append(b, `","date_sent":null,"date_updated":"`...)
	b = now.AppendFormat(b, time.RFC1123Z)
	b = append(b, `","direction":"outbound-api","error_code":null,"error_message":null,"from":`...)
	b = appendString(b, r.From)
	b = append(b, `,"messaging_service_sid":null,"num_media":"0","num_segments":"`...)
	b = strconv.AppendInt(b, int64(r.Segments), 10)
	b = append(b, `","price":null,"price_unit":"USD","sid":"`...)
	b = append(b, r.SID...)
	b = append(b, `","status":"queued","subresource_uris":{"media":"`...)
	b = append(b, uri...)
	b = append(b, `/Media.json"},"to":`...)
	b = appendString(b, r.To)
	b = append(b, `,"uri":"`...)
	b = append(b, uri...)
	b = append(b, `.json"}`...)
	return b
}

func appendCallJSON(b []byte, account string, r *Request, now time.Time) []byte {
	uri := "/2010-04-01/Accounts/" + account + "/Calls/" + r.SID
	b = append(b, `{"account_sid":`...)
	b = appendString(b, account)
	b = append(b, `,"annotation":null,"answered_by":null,"api_version":"`+apiVersion+`","caller_name":null,"date_created":"`...)
	b = now.AppendFormat(b, time.RFC1123Z)
	b = append(b, `","date_updated":"`...)
	b = now.AppendFormat(b, time.RFC1123Z)
	b = append(b, `","direction":"outbound-api","duration":null,"end_time":null,"forwarded_from":null,"from":`...)
	b = appendString(b, r.From)
	b = append(b, `,"from_formatted":`...)
	b = appendString(b, r.From)
	b = append(b, `,"group_sid":null,"parent_call_sid":null,"phone_number_sid":null,"price":null,"price_unit":"USD","queue_time":"0","sid":"`...)
	b = append(b, r.SID...)
	b = append(b, `","start_time":null,"status":"queued","subresource_uris":{"notifications":"`...)
	b = append(b, uri...)
	b = append(b, `/Notifications.json","recordings":"`...)
	b = append(b, uri...)
	b = append(b, `/Recordings.json"},"to":`...)
	b = appendString(b, r.To)
	b = append(b, `,"to_formatted":`...)
	b = appendString(b, r.To)
	b = append(b, `,"uri":"`...)
	b = append(b, uri...)
	b = append(b, `.json"}`...)
	return b
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	const hexdigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hexdigits[c>>4], hexdigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, `\u202`...)
			b = append(b, hexdigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
