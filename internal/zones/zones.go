// Package zones loads IANA time zones once per process: time.LoadLocation
// reads and parses the zone database's file on every call, and imports and
// reminder planners ask for a zone per patient or regimen.
package zones

import (
	"sync"
	"time"
	_ "time/tzdata" // zones must resolve even on hosts without /usr/share/zoneinfo
)

var cache sync.Map // name → *time.Location

// Load returns the zone time.LoadLocation returns for name, from a cache
// after the first call. Names that fail are not cached, so the cache is
// bounded by the zone database.
func Load(name string) (*time.Location, error) {
	if loc, ok := cache.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	cache.Store(name, loc)
	return loc, nil
}
