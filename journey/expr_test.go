package journey

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

// TestConditionRUCA: segments and branches see the patient's RUCA code.
func TestConditionRUCA(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		src  string
		p    rapport.Patient
		want bool
	}{
		{"ruca >= 4", rapport.Patient{RUCA: 10, Rural: true}, true},
		{"ruca >= 4", rapport.Patient{RUCA: 4, Rural: true}, true},
		{"ruca >= 4", rapport.Patient{RUCA: 3}, false},
		{"ruca >= 4", rapport.Patient{}, false}, // unknown is 0
		{"ruca == 0 and rural", rapport.Patient{Rural: true}, true},
		{"ruca in 7..10", rapport.Patient{RUCA: 8}, true},
	}
	for _, tt := range tests {
		c, err := CompileCondition(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		got, err := c.Eval(NewEnv(&tt.p, now, nil, nil))
		if err != nil || got != tt.want {
			t.Errorf("%q on RUCA %d rural %v = %v, %v; want %v", tt.src, tt.p.RUCA, tt.p.Rural, got, err, tt.want)
		}
	}
}
