package fhirapi

import (
	"net/http"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/web"
)

// auth lets a request through to h only with "Authorization: Bearer TOKEN"
// of a live token whose role allows one of roles (admin allows all). It is
// [web.Auth] with FHIR errors: 401 (with WWW-Authenticate) and 403 are
// OperationOutcomes, as FHIR clients expect.
func (a *api) auth(h http.HandlerFunc, roles ...rapport.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		secret = strings.TrimSpace(secret)
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="rapport"`)
			writeError(w, r, rapport.Errorf(rapport.EUNAUTHORIZED, "missing bearer token"))
			return
		}
		t, err := a.Tokens.FindTokenByHash(r.Context(), web.HashToken(secret))
		if err != nil {
			if rapport.ErrorCode(err) == rapport.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="rapport", error="invalid_token"`)
			}
			writeError(w, r, err)
			return
		}
		allowed := false
		for _, need := range roles {
			allowed = allowed || t.Role.Allows(need)
		}
		if !allowed {
			writeError(w, r, rapport.Errorf(rapport.EFORBIDDEN, "role %s may not do this (needs %s)", t.Role, roleList(roles)))
			return
		}
		ctx := web.WithActor(r.Context(), rapport.Actor{ID: t.ID, Name: t.Name, Role: t.Role})
		h(w, r.WithContext(ctx))
	})
}

func roleList(roles []rapport.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, " or ")
}
