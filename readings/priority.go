package readings

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// rank orders the priorities a regimen may set; 0 is none.
var rank = map[rapport.Priority]int{rapport.PriorityNormal: 1, rapport.PriorityHigh: 2, rapport.PriorityUrgent: 3}

// SetPriority sets the inbox priority of the patient's out-of-range
// readings r concerns (see [Concerns]) and stores it: normal, high or
// urgent, or "" to take the reading's level. Any other value is EINVALID
// naming reading_priority.
func SetPriority(ctx context.Context, tx *store.Tx, r *store.Regimen, p rapport.Priority) error {
	if p != "" && rank[p] == 0 {
		return rapport.Errorf(rapport.EINVALID, "reading_priority: %q; want normal, high, urgent or \"\" (by the reading's level)", p)
	}
	r.ReadingPriority = p
	return tx.UpdateRegimens(ctx, []*store.Regimen{r})
}

// concerned returns the active regimens among regs that a reading of kind
// concerns, in their order: a stopped or proposed regimen is no treatment
// the patient is on.
func concerned(kind selfreport.Kind, regs []*store.Regimen) []*store.Regimen {
	var out []*store.Regimen
	for _, r := range regs {
		if r.Status == store.RegimenActive && Concerns(kind, r.Drug) {
			out = append(out, r)
		}
	}
	return out
}

// priority is the inbox priority of a reading at level for a patient on
// regs, the regimens it concerns: "" for a reading in range (no item,
// whatever a regimen says); else the highest priority a regimen sets, or
// the level's when none sets one. An urgent reading is never put below
// urgent: the patient has just been told that the care team will call and
// when to call 911, and a regimen's "normal" (set for its everyday highs)
// must not sink a hypertensive crisis or a dangerous glucose in the queue.
func priority(level selfreport.Level, regs []*store.Regimen) rapport.Priority {
	p := level.Priority()
	if p == "" {
		return ""
	}
	var set rapport.Priority
	for _, r := range regs {
		if rank[r.ReadingPriority] > rank[set] {
			set = r.ReadingPriority
		}
	}
	if set == "" || (level == selfreport.LevelUrgent && rank[set] < rank[rapport.PriorityUrgent]) {
		return p
	}
	return set
}

// drugs names the drugs of regs for the care team: "lisinopril 10 MG Oral
// Tablet and amlodipine 5 MG Oral Tablet" (the code when a drug has no name).
func drugs(regs []*store.Regimen) string {
	var names []string
	for _, r := range regs {
		n := r.Drug.Display
		if n == "" {
			n = r.Drug.Code
		}
		names = append(names, n)
	}
	return strings.Join(names, " and ")
}

// summary is an out-of-range reading's inbox summary: the kind, the value,
// the treatments it concerns, the level and why.
func summary(r selfreport.Reading, level selfreport.Level, why string, regs []*store.Regimen) string {
	on := ""
	if len(regs) > 0 {
		on = " on " + drugs(regs)
	}
	return fmt.Sprintf("%s reading %s%s: %s (%s)", kindWords["en"][r.Kind], Value(r), on, level, why)
}
