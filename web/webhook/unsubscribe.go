package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/rapporthq/rapport"
)

// Environment variables read by [UnsubscribeKeyFromEnv].
const (
	EnvUnsubscribeKey = "RAPPORT_UNSUBSCRIBE_KEY"
	EnvBounceSecret   = "RAPPORT_BOUNCE_SECRET"
)

// MinUnsubscribeKey is the shortest key [NewUnsubscribe] accepts, in bytes.
const MinUnsubscribeKey = 16

// macBytes is how much of the HMAC a token carries: 128 bits.
const macBytes = 16

// maxToken bounds a token before it is decoded.
const maxToken = 512

// b64 is strict, so each id and MAC has exactly one spelling.
var b64 = base64.RawURLEncoding.Strict()

// Unsubscribe signs message ids into unsubscribe tokens and links, and
// checks them. A token is base64url(message id) "." base64url(the first 128
// bits of HMAC-SHA256(key, "unsubscribe:" + message id)): it names the
// message, so no table of tokens is kept, and cannot be forged or guessed
// without the key. Every process (serve and worker) must share the key, so
// links built by a worker verify on any server. Safe for concurrent use.
type Unsubscribe struct {
	key  []byte
	base string
}

// NewUnsubscribe returns a signer whose links start with publicURL
// (https://rapport.example.org; mail clients offer one-click unsubscribe
// only for https) followed by /unsubscribe/. It fails on a key shorter than
// [MinUnsubscribeKey] bytes.
func NewUnsubscribe(key []byte, publicURL string) (*Unsubscribe, error) {
	if len(key) < MinUnsubscribeKey {
		return nil, errors.New("webhook: unsubscribe key is shorter than 16 bytes")
	}
	return &Unsubscribe{key: append([]byte(nil), key...), base: strings.TrimRight(publicURL, "/") + PathUnsubscribe}, nil
}

// UnsubscribeKeyFromEnv returns the unsubscribe key: RAPPORT_UNSUBSCRIBE_KEY
// as given, else a key derived from RAPPORT_BOUNCE_SECRET, else from
// RAPPORT_TWILIO_AUTH_TOKEN, else nil (no unsubscribe links). Set
// RAPPORT_UNSUBSCRIBE_KEY in production: a derived key changes, and old
// links stop working, when the secret it comes from is rotated.
func UnsubscribeKeyFromEnv(getenv func(string) string) []byte {
	if k := getenv(EnvUnsubscribeKey); k != "" {
		return []byte(k)
	}
	for _, name := range []string{EnvBounceSecret, "RAPPORT_TWILIO_AUTH_TOKEN"} {
		if s := getenv(name); s != "" {
			return DeriveUnsubscribeKey(s)
		}
	}
	return nil
}

// DeriveUnsubscribeKey derives a 32-byte unsubscribe key from another
// secret, so that the secret itself is never the key of two things.
func DeriveUnsubscribeKey(secret string) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("rapport unsubscribe key v1"))
	return mac.Sum(nil)
}

func (u *Unsubscribe) mac(id rapport.MessageID) []byte {
	mac := hmac.New(sha256.New, u.key)
	mac.Write([]byte("unsubscribe:"))
	mac.Write([]byte(id))
	return mac.Sum(nil)[:macBytes]
}

// Token returns the unsubscribe token of message id.
func (u *Unsubscribe) Token(id rapport.MessageID) string {
	return b64.EncodeToString([]byte(id)) + "." + b64.EncodeToString(u.mac(id))
}

// URL returns the one-click unsubscribe link of message id, for the
// List-Unsubscribe header and the email's footer.
func (u *Unsubscribe) URL(id rapport.MessageID) string { return u.base + u.Token(id) }

// Verify returns the message id a token names, and whether the token is
// genuine. The MAC is compared in constant time.
func (u *Unsubscribe) Verify(token string) (rapport.MessageID, bool) {
	if len(token) > maxToken {
		return "", false
	}
	enc, sig, ok := strings.Cut(token, ".")
	if !ok {
		return "", false
	}
	raw, err := b64.DecodeString(enc)
	if err != nil || len(raw) == 0 {
		return "", false
	}
	got, err := b64.DecodeString(sig)
	if err != nil {
		return "", false
	}
	id := rapport.MessageID(raw)
	if !hmac.Equal(got, u.mac(id)) {
		return "", false
	}
	return id, true
}
