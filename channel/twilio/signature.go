package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
)

// SignatureHeader is the header Twilio signs its webhook requests with.
const SignatureHeader = "X-Twilio-Signature"

// Signature computes Twilio's request signature: the base64 HMAC-SHA1, keyed
// with the auth token, of the full URL (scheme, host, path and query, exactly
// as Twilio called it) followed by every POST parameter as name then value,
// no separators, sorted by name (byte order). A name with several values
// contributes each value, sorted, as Twilio's helper libraries do.
//
// form must hold only the POST body parameters (r.PostForm), not the query:
// the query is already in the URL.
func Signature(authToken, fullURL string, form url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sorted []string
	for _, k := range keys {
		vs := form[k]
		if len(vs) > 1 {
			sorted = append(sorted[:0], vs...)
			slices.Sort(sorted)
			vs = sorted
		}
		for _, v := range vs {
			mac.Write([]byte(k))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ValidateSignature reports whether signature (the X-Twilio-Signature header)
// is Twilio's signature of the request to fullURL with POST parameters form,
// under authToken. The comparison is constant-time. Because Twilio sometimes
// signs an https URL with its default port written out (:443) and sometimes
// without, both spellings are tried, as Twilio's own libraries do.
//
// An empty token or signature never validates.
func ValidateSignature(authToken, fullURL string, form url.Values, signature string) bool {
	if authToken == "" || signature == "" {
		return false
	}
	if equalSig(Signature(authToken, fullURL, form), signature) {
		return true
	}
	if alt, ok := otherPortSpelling(fullURL); ok {
		return equalSig(Signature(authToken, alt, form), signature)
	}
	return false
}

func equalSig(want, got string) bool {
	return hmac.Equal([]byte(want), []byte(got))
}

// otherPortSpelling returns fullURL with its scheme's default port added when
// absent, or removed when present.
func otherPortSpelling(fullURL string) (string, bool) {
	u, err := url.Parse(fullURL)
	if err != nil || u.Host == "" || u.User != nil {
		return "", false
	}
	var def string
	switch u.Scheme {
	case "https":
		def = "443"
	case "http":
		def = "80"
	default:
		return "", false
	}
	// Work on the raw string so the path and query keep their exact spelling.
	prefix := u.Scheme + "://" + u.Host
	if !strings.HasPrefix(fullURL, prefix) {
		return "", false
	}
	rest := fullURL[len(prefix):]
	switch port := u.Port(); port {
	case "":
		return prefix + ":" + def + rest, true
	case def:
		return strings.TrimSuffix(prefix, ":"+def) + rest, true
	}
	return "", false
}
