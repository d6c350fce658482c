package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/rapporthq/rapport"
)

// TokenPrefix starts every API token, so leaked tokens are easy to scan for.
const TokenPrefix = "rpt_"

// NewToken returns a new random API token and the hash to store for it.
func NewToken() (secret, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("web: no randomness: " + err.Error())
	}
	secret = TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return secret, HashToken(secret)
}

// HashToken returns the stored form of a token. Tokens carry 256 random
// bits, so a plain SHA-256 is enough: there is nothing to brute-force.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// TokenFinder finds the live token whose secret hashes to hash.
type TokenFinder interface {
	FindTokenByHash(ctx context.Context, hash string) (*rapport.Token, error)
}

type actorKey struct{}

// ActorFrom returns who made the request, once [Auth] let it through.
func ActorFrom(ctx context.Context) (rapport.Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(rapport.Actor)
	return a, ok
}

// WithActor returns ctx carrying a; handlers' tests use it.
func WithActor(ctx context.Context, a rapport.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// Auth lets a request through to h only with "Authorization: Bearer TOKEN"
// of a live token whose role allows need.
func Auth(tokens TokenFinder, need rapport.Role, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || secret == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="rapport"`)
			Error(w, r, rapport.Errorf(rapport.EUNAUTHORIZED, "missing bearer token"))
			return
		}
		t, err := tokens.FindTokenByHash(r.Context(), HashToken(strings.TrimSpace(secret)))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="rapport", error="invalid_token"`)
			Error(w, r, err)
			return
		}
		if !t.Role.Allows(need) {
			Error(w, r, rapport.Errorf(rapport.EFORBIDDEN, "role %s may not do this (needs %s)", t.Role, need))
			return
		}
		h.ServeHTTP(w, r.WithContext(WithActor(r.Context(), rapport.Actor{ID: t.ID, Name: t.Name, Role: t.Role})))
	})
}
