package main

import (
	"github.com/rapporthq/rapport/web"
)

// server builds the HTTP server with every handler mounted.
func (a *App) server() (*web.Server, error) {
	srv := web.NewServer(a.DB, a.Registry, a.Logger)
	return srv, nil
}
