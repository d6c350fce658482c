package reminders

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/internal/zones"
	"github.com/rapporthq/rapport/store"
)

// ByImport is who regimens made or stopped by an import are by.
const ByImport = "import"

// ImportCounts are what [FromRequests] did to regimens.
type ImportCounts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Stopped counts regimens stopped because their prescription ended.
	Stopped int `json:"stopped"`
	// NoZone counts schedulable prescriptions of patients without a time
	// zone on record: their dose times cannot be placed, so no regimen.
	NoZone int `json:"no_zone"`
	// Unschedulable counts prescriptions whose dosage names no schedule
	// that can be reminded (five a day without times, monthly, …).
	Unschedulable int `json:"unschedulable"`
}

// Add adds o to c.
func (c *ImportCounts) Add(o ImportCounts) {
	c.Created += o.Created
	c.Updated += o.Updated
	c.Unchanged += o.Unchanged
	c.Stopped += o.Stopped
	c.NoZone += o.NoZone
	c.Unschedulable += o.Unschedulable
}

// endedRequest are the prescription statuses that end a regimen made from it.
var endedRequest = map[string]bool{"completed": true, "stopped": true, "cancelled": true, "entered-in-error": true}

// FromRequests brings the patients' regimens in line with prescriptions
// just imported (new or changed ones), one regimen per patient and drug:
//
//   - an active order or plan with a schedulable dosage makes a proposed
//     regimen, which reminds nothing until staff start it ([Start]);
//   - a newer prescription of a drug with a proposed or active regimen
//     changes its times ([dosing.Represcribe]: the patient's choices
//     stand; an active regimen's days already reminded stay as they were);
//   - an ended prescription stops the regimen made from it.
//
// A stopped regimen is never started again; a prescription written after
// the stop makes a new proposed one. Nothing is written for what is
// already so, so a re-import changes nothing.
func FromRequests(ctx context.Context, tx *store.Tx, reqs []*rapport.MedicationRequest) (ImportCounts, error) {
	var c ImportCounts
	if len(reqs) == 0 {
		return c, nil
	}
	var pids []rapport.PatientID
	for _, mr := range reqs {
		if !slices.Contains(pids, mr.PatientID) {
			pids = append(pids, mr.PatientID)
		}
	}
	zones, err := tx.PatientZones(ctx, pids)
	if err != nil {
		return c, err
	}
	regs, err := tx.PatientsRegimens(ctx, pids)
	if err != nil {
		return c, err
	}
	// Oldest first, so that the newest prescription of a drug has the last word.
	reqs = slices.Clone(reqs)
	slices.SortStableFunc(reqs, func(a, b *rapport.MedicationRequest) int { return a.AuthoredOn.Compare(b.AuthoredOn) })
	run := &importRun{tx: tx, regs: regs, fresh: map[string]bool{}, c: &c}
	var events []rapport.Event
	var created []*store.Regimen
	for _, mr := range reqs {
		ev, r, err := run.apply(ctx, mr, zones[mr.PatientID].TimeZone)
		if err != nil {
			return c, fmt.Errorf("medication request %s: %w", mr.ID, err)
		}
		if r != nil {
			created = append(created, r)
			run.fresh[r.ID] = true
		}
		events = append(events, ev...)
	}
	if err := tx.CreateRegimens(ctx, created); err != nil {
		return c, err
	}
	return c, tx.AppendEvents(ctx, events...)
}

// importRun is one call of [FromRequests]: the patients' regimens, those
// proposed in it (stored together at its end) and its counts.
type importRun struct {
	tx    *store.Tx
	regs  map[rapport.PatientID][]*store.Regimen
	fresh map[string]bool
	c     *ImportCounts
}

// lock reads r again, locked on PostgreSQL until the import commits, so
// that a reminder planned meanwhile is not overwritten by the change
// (the plan waits). Regimens only read, most of them, are not locked.
func (run *importRun) lock(ctx context.Context, r *store.Regimen) error {
	if run.fresh[r.ID] {
		return nil
	}
	cur, err := run.tx.FindRegimen(ctx, r.ID)
	if err != nil {
		return err
	}
	*r = *cur
	return nil
}

// update writes r, unless it is proposed in this run and not stored yet:
// it is then stored as it ends up.
func (run *importRun) update(ctx context.Context, r *store.Regimen) error {
	if run.fresh[r.ID] {
		return nil
	}
	return run.tx.UpdateRegimens(ctx, []*store.Regimen{r})
}

// apply applies one prescription, returning its events and the regimen
// it proposes (added to regs; the caller stores it).
func (run *importRun) apply(ctx context.Context, mr *rapport.MedicationRequest, zone string) ([]rapport.Event, *store.Regimen, error) {
	tx, regs, c := run.tx, run.regs, run.c
	if endedRequest[mr.Status] {
		var events []rapport.Event
		for _, r := range regs[mr.PatientID] {
			if r.RequestID != mr.ID || r.Status == store.RegimenStopped {
				continue
			}
			if err := run.lock(ctx, r); err != nil {
				return nil, nil, err
			}
			if r.Status == store.RegimenStopped {
				continue // stopped meanwhile
			}
			r.Status, r.NextDueAt = store.RegimenStopped, time.Time{}
			if err := run.update(ctx, r); err != nil {
				return nil, nil, err
			}
			c.Stopped++
			events = append(events, regimenEvent(r, EventRegimenStopped, map[string]any{"by": ByImport, "request": mr.ID, "request_status": mr.Status}))
		}
		return events, nil, nil
	}
	if mr.Status != "active" || (mr.Intent != "order" && mr.Intent != "plan") {
		return nil, nil, nil
	}
	if mr.Dosage.AsNeeded {
		return nil, nil, nil // taken when needed: nothing to remind
	}
	loc, err := zones.Load(zone)
	if zone == "" || zone == "Local" || err != nil {
		c.NoZone++
		return nil, nil, nil
	}
	sched, err := dosing.FromRequest(*mr, loc)
	if err != nil || !sched.Scheduled() {
		c.Unschedulable++
		return nil, nil, nil
	}
	live, stopped := sameDrug(regs[mr.PatientID], mr.Medication)
	if live == nil {
		if stopped != nil && (stopped.RequestID == mr.ID || !mr.AuthoredOn.After(stopped.UpdatedAt)) {
			c.Unchanged++ // stopped by staff or by its end: not brought back
			return nil, nil, nil
		}
		r, err := propose(sched, mr.ID)
		if err != nil {
			return nil, nil, err
		}
		regs[mr.PatientID] = append(regs[mr.PatientID], r)
		c.Created++
		return []rapport.Event{regimenEvent(r, EventRegimenCreated, map[string]any{"by": ByImport, "proposed": true, "request": mr.ID})}, r, nil
	}
	if err := run.lock(ctx, live); err != nil {
		return nil, nil, err
	}
	if live.Status == store.RegimenStopped {
		c.Unchanged++ // stopped meanwhile: left so
		return nil, nil, nil
	}
	old, err := Schedule(live)
	if err != nil {
		return nil, nil, err
	}
	if live.RequestID != mr.ID && sched.Start.Before(old.Start) {
		c.Unchanged++ // an older prescription than the regimen's
		return nil, nil, nil
	}
	var from dosing.Date
	if live.Status == store.RegimenActive {
		from = dosing.DateOf(tx.Now().In(loc)).AddDays(1) // today's doses stay as reminded
	}
	upd := dosing.Represcribe(old, sched, from)
	data, err := json.Marshal(upd)
	if err != nil {
		return nil, nil, fmt.Errorf("encode regimen %s: %w", live.ID, err)
	}
	if string(data) == string(live.Schedule) && live.RequestID == mr.ID {
		c.Unchanged++
		return nil, nil, nil
	}
	live.RequestID = mr.ID
	if live.Status == store.RegimenActive {
		err = save(live, upd, tx.Now())
	} else {
		live.Schedule = data
	}
	if err != nil {
		return nil, nil, err
	}
	if err := run.update(ctx, live); err != nil {
		return nil, nil, err
	}
	c.Updated++
	return []rapport.Event{regimenEvent(live, EventRegimenChanged, map[string]any{"by": ByImport, "request": mr.ID})}, nil, nil
}

// propose makes a proposed regimen, to be stored: no reminders until
// staff start it. It has its id, for its event.
func propose(sched dosing.Regimen, requestID string) (*store.Regimen, error) {
	data, err := json.Marshal(sched)
	if err != nil {
		return nil, fmt.Errorf("encode regimen: %w", err)
	}
	r := &store.Regimen{PatientID: sched.PatientID, Drug: sched.Medication, Zone: sched.Zone.String(), Schedule: data,
		ID: store.NewID(), Status: store.RegimenProposed, RequestID: requestID, CreatedBy: ByImport}
	return r, nil
}

// sameDrug finds among rs the regimen of drug that is not stopped (the
// latest, should there be more) and the latest stopped one.
func sameDrug(rs []*store.Regimen, drug rapport.Code) (live, stopped *store.Regimen) {
	for _, r := range rs {
		if drugKey(r.Drug) != drugKey(drug) {
			continue
		}
		if r.Status == store.RegimenStopped {
			stopped = r
		} else {
			live = r
		}
	}
	return live, stopped
}

// drugKey names a medication: its code in its system, or its name when
// it has no code.
func drugKey(c rapport.Code) string {
	if c.Code != "" {
		return c.System + "|" + c.Code
	}
	return "name:" + strings.ToLower(strings.TrimSpace(c.Display))
}
