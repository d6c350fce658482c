package journey

import (
	"log/slog"
	"sort"
	"strconv"
	"time"
)

// Broken is a journey version whose expression failed at run time (a
// segment or where that compiles but cannot be evaluated, such as a
// division by zero). Its triggers and launches stop until a new version
// replaces it; the other journeys go on.
type Broken struct {
	Journey string    `json:"journey"`
	Version int       `json:"version"`
	Field   string    `json:"field"` // segment, trigger.event.where
	Since   time.Time `json:"since"`
}

// markBroken records that an expression of def failed, and logs it with
// the journey, version and field only: the error itself may quote a
// patient's values.
func (e *Engine) markBroken(def *Definition, field string) {
	key := def.ID + "@" + strconv.Itoa(def.Version)
	e.mu.Lock()
	if e.broken == nil {
		e.broken = map[string]Broken{}
	}
	_, known := e.broken[key]
	if !known {
		e.broken[key] = Broken{Journey: def.ID, Version: def.Version, Field: field, Since: e.now()}
	}
	e.mu.Unlock()
	if !known {
		e.logger().Error("journey expression failed at run time; journey marked broken until a new version replaces it",
			"journey", def.ID, "version", def.Version, "field", field)
	}
}

// isBroken reports whether def is marked broken.
func (e *Engine) isBroken(def *Definition) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	_, ok := e.broken[def.ID+"@"+strconv.Itoa(def.Version)]
	return ok
}

// BrokenJourneys lists the journey versions marked broken in this process,
// by journey and version.
func (e *Engine) BrokenJourneys() []Broken {
	e.mu.RLock()
	out := make([]Broken, 0, len(e.broken))
	for _, b := range e.broken {
		out = append(out, b)
	}
	e.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Journey != out[j].Journey {
			return out[i].Journey < out[j].Journey
		}
		return out[i].Version < out[j].Version
	})
	return out
}

func (e *Engine) logger() *slog.Logger {
	if e.Logger != nil {
		return e.Logger
	}
	return slog.Default()
}

func (e *Engine) now() time.Time {
	if e.Clock != nil {
		return e.Clock.Now()
	}
	return time.Now()
}
