package linkage

import (
	"fmt"
	"runtime"
)

// Config tunes detection. The zero value means the defaults.
type Config struct {
	// MaxBlock is the largest block compared all against all (default 100).
	// A larger block — a family landline shared by a clinic's whole
	// catchment, "smith" born in 1980 — would cost n² comparisons, most of
	// them hopeless. Such a block is sorted by given name, birth date and
	// street instead, and each record is compared with its Window-1 next
	// neighbours only (the sorted-neighbourhood method): the cost is linear
	// in the block's size, and the duplicates within it, which agree on more
	// than the block key, sort next to each other.
	MaxBlock int `json:"max_block"`
	// Window is the neighbourhood in oversized blocks (default 20).
	Window int `json:"window"`
	// MinProbability drops pairs scored below it (default 0.5). Set it
	// lower to fill a review band.
	MinProbability float64 `json:"min_probability"`
	// AutoProbability is the probability from which a pair may be merged
	// without review (default 0.99); see [Pair.Automatic].
	AutoProbability float64 `json:"auto_probability"`
	// Workers compares pairs in parallel (default GOMAXPROCS).
	Workers int `json:"workers"`
}

// The default thresholds: a pair is reported from DefaultMinProbability
// and may be merged without review from DefaultAutoProbability.
const (
	DefaultMinProbability  = 0.5
	DefaultAutoProbability = 0.99
)

func (c Config) withDefaults() Config {
	if c.MaxBlock == 0 {
		c.MaxBlock = 100
	}
	if c.Window == 0 {
		c.Window = 20
	}
	if c.MinProbability == 0 {
		c.MinProbability = DefaultMinProbability
	}
	if c.AutoProbability == 0 {
		c.AutoProbability = DefaultAutoProbability
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c
}

// Validate reports a setting out of range, naming it.
func (c Config) Validate() error {
	switch {
	case c.MaxBlock < 0:
		return fmt.Errorf("linkage: config max_block: %d is negative", c.MaxBlock)
	case c.Window < 0 || c.Window == 1:
		return fmt.Errorf("linkage: config window: %d must be 0 (default) or at least 2", c.Window)
	case c.MinProbability < 0 || c.MinProbability > 1:
		return fmt.Errorf("linkage: config min_probability: %g is outside [0, 1]", c.MinProbability)
	case c.AutoProbability < 0 || c.AutoProbability > 1:
		return fmt.Errorf("linkage: config auto_probability: %g is outside [0, 1]", c.AutoProbability)
	case c.Workers < 0:
		return fmt.Errorf("linkage: config workers: %d is negative", c.Workers)
	}
	return nil
}
