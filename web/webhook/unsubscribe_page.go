package webhook

import (
	"html/template"
	"io"
	"net/http"

	"github.com/rapporthq/rapport"
)

// pages are the unsubscribe pages: no script, no style sheet, no images, a
// few hundred bytes, so they load on a 2G phone. The form posts to the page's
// own URL, whose token is the only authority needed.
var pages = template.Must(template.New("ask").Parse(`<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Unsubscribe</title>
<p>Stop receiving emails from us?
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button>Unsubscribe</button></form>
`))

var donePage = template.Must(template.New("done").Parse(`<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Unsubscribed</title>
<p>You are unsubscribed. We will send you no more emails.
`))

// pageHeaders keep the token out of caches and referrers and forbid
// everything a page could load.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
}

// unsubscribePage answers GET /unsubscribe/{token} for a genuine token
// (see [handlers.limitFailures]): the page with the button. A GET changes
// nothing: mail scanners follow links.
func (h *handlers) unsubscribePage(w http.ResponseWriter, r *http.Request, _ rapport.MessageID) {
	pageHeaders(w)
	_ = pages.Execute(w, nil)
}

// unsubscribe answers POST /unsubscribe/{token} for a genuine token (see
// [handlers.limitFailures]): the one-click POST of a mail client (body
// List-Unsubscribe=One-Click) or the page's form. It opts the patient out
// of email, idempotently; 404 for a message that no longer exists; 500 if
// it cannot be recorded.
func (h *handlers) unsubscribe(w http.ResponseWriter, r *http.Request, id rapport.MessageID) {
	// The body says nothing the token does not: drain a little of it so the
	// connection can be reused, and ignore it.
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 4<<10))
	switch err := h.OptOut.OptOut(r.Context(), id); rapport.ErrorCode(err) {
	case "":
	case rapport.ENOTFOUND:
		http.NotFound(w, r)
		return
	default:
		h.Logger.Error("unsubscribe: record opt-out", "message", id, "err", err)
		http.Error(w, "Something went wrong. Please try again later.", http.StatusInternalServerError)
		return
	}
	pageHeaders(w)
	_ = donePage.Execute(w, nil)
}
