package twiliotest

import (
	"crypto/subtle"
	"net/http"
	"strconv"
)

// serveList answers GET Messages.json or Calls.json: the accepted
// requests of kind, newest first, filtered by To and From, one page of
// PageSize (50 by default, at most 1000) in Twilio's list envelope. List
// requests draw no faults: they are how a client finds out what a faulty
// send did.
func (s *Server) serveList(kind Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user, pass, hasAuth := r.BasicAuth()
		if !hasAuth ||
			subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.AccountSID)) != 1 ||
			subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.AuthToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
			writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
			return
		}
		if r.PathValue("sid") != s.opts.AccountSID {
			writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
			return
		}
		q := r.URL.Query()
		size := 50
		if v := q.Get("PageSize"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				writeError(w, http.StatusBadRequest, 20001, "Invalid PageSize: "+v)
				return
			}
			size = n
		}
		to, from := q.Get("To"), q.Get("From")
		var page []Request
		s.mu.Lock()
		for i := len(s.requests) - 1; i >= 0 && len(page) < size; i-- {
			rq := s.requests[i]
			if rq.Kind == kind && (to == "" || rq.To == to) && (from == "" || rq.From == from) {
				page = append(page, rq)
			}
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, s.appendList(nil, kind, r.URL.RequestURI(), page, size))
	}
}

// appendList writes Twilio's list envelope around page.
func (s *Server) appendList(b []byte, kind Kind, uri string, page []Request, size int) []byte {
	field := "messages"
	if kind == KindCall {
		field = "calls"
	}
	b = append(b, `{"end":`...)
	b = strconv.AppendInt(b, int64(max(len(page)-1, 0)), 10)
	b = append(b, `,"first_page_uri":`...)
	b = appendString(b, uri)
	b = append(b, `,"`+field+`":[`...)
	for i := range page {
		if i > 0 {
			b = append(b, ',')
		}
		if kind == KindCall {
			b = appendCallJSON(b, s.opts.AccountSID, &page[i], page[i].At)
		} else {
			b = appendMessageJSON(b, s.opts.AccountSID, &page[i], page[i].At)
		}
	}
	b = append(b, `],"next_page_uri":null,"page":0,"page_size":`...)
	b = strconv.AppendInt(b, int64(size), 10)
	b = append(b, `,"previous_page_uri":null,"start":0,"uri":`...)
	b = appendString(b, uri)
	return append(b, '}')
}
