package main

import (
	"strings"

	"github.com/rapporthq/rapport/web"
	"github.com/rapporthq/rapport/web/fhirapi"
)

// mount registers every handler on srv, which listens already: public URLs
// (FHIR fullUrls, webhook addresses) start with --public-url, or with the
// listening address when it is not set.
func (a *App) mount(srv *web.Server) {
	public := strings.TrimSuffix(a.Config.PublicURL, "/")
	if public == "" {
		public = "http://" + srv.Addr()
	}
	fhirapi.Register(srv.Mux, fhirapi.Deps{DB: a.DB, Queue: a.Queue, Importer: a.Importer, Tokens: a.DB,
		Base: public + fhirapi.Prefix, Version: Version, Clock: a.Clock})
}
