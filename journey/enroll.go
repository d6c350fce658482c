package journey

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// EnrollOptions says how patients join a journey.
type EnrollOptions struct {
	// At is when the first step runs (default now).
	At time.Time
	// Spread staggers starts: the i-th patient starts at At + i·Spread.
	Spread   time.Duration
	Campaign string
	// Trigger names what enrolled them, for the ledger ("campaign", an event kind).
	Trigger string
	// Vars start each enrollment's variables (an event trigger's contact_id).
	Vars map[string]string
	// RunDue runs the first steps of the enrollments due now in the
	// enrolling transaction, instead of in a wake job: a campaign's first
	// messages are planned and queued with its launch page, saving a job,
	// a second read of each enrollment and a second write of it.
	RunDue bool
	// Patients, when given, are the patients with their contact points,
	// just loaded in this transaction: the first steps' messages use them.
	Patients map[rapport.PatientID]*rapport.Patient
}

// Enroll enrolls patients in the latest version of a journey inside tx.
// Patients already in the journey are skipped: a repeated trigger or a
// re-import never enrolls anyone twice. It returns the enrollments made.
func (e *Engine) Enroll(ctx context.Context, tx *store.Tx, journey string, pids []rapport.PatientID, o EnrollOptions) ([]*rapport.Enrollment, error) {
	b := e.newBatch(tx)
	b.patients = o.Patients
	ens, err := e.enroll(ctx, b, journey, pids, o)
	if err != nil {
		return nil, err
	}
	return ens, b.flush(ctx)
}

func (e *Engine) enroll(ctx context.Context, b *batch, journey string, pids []rapport.PatientID, o EnrollOptions) ([]*rapport.Enrollment, error) {
	def, err := e.Definition(journey, 0)
	if err != nil {
		return nil, err
	}
	if err := b.writeEnrollments(ctx); err != nil {
		return nil, err
	}
	live, err := b.tx.LiveEnrollments(ctx, journey, pids)
	if err != nil {
		return nil, err
	}
	at := o.At
	if at.IsZero() {
		at = b.tx.Now().Truncate(time.Millisecond) // wake times are kept to the ms: due now, not a fraction later
	}
	var ens []*rapport.Enrollment
	seen := map[rapport.PatientID]bool{}
	vars := func() map[string]string {
		if v := maps.Clone(o.Vars); v != nil {
			return v
		}
		return map[string]string{}
	}
	for _, pid := range pids {
		if live[pid] || seen[pid] {
			continue
		}
		seen[pid] = true
		ens = append(ens, &rapport.Enrollment{Journey: def.ID, Version: def.Version, PatientID: pid, Campaign: o.Campaign,
			Step: def.start(), Status: rapport.EnrollmentActive, WakeAt: at.Add(time.Duration(len(ens)) * o.Spread), Vars: vars()})
	}
	if o.RunDue {
		// Written once, at flush, in the state their first steps leave
		// them in: not inserted now and updated again in a moment.
		for _, en := range ens {
			en.ID = store.NewID()
			b.fresh.add(en)
		}
	} else if err := b.tx.CreateEnrollments(ctx, ens); err != nil {
		return nil, fmt.Errorf("enroll in %s: %w", journey, err)
	}
	now := b.tx.Now()
	for _, en := range ens {
		b.event(en, rapport.EventJourneyEnrolled, enrolledPayload{en.Step, o.Trigger, en.Version})
		if o.RunDue && !en.WakeAt.After(now) {
			if err := b.run(ctx, en, signal{}); err != nil {
				return nil, err
			}
			continue
		}
		b.wake(en)
	}
	return ens, nil
}

// eval evaluates an expression for the enrollment's patient.
func (b *batch) eval(ctx context.Context, src string, en *rapport.Enrollment) (bool, error) {
	cond, err := CompileCondition(src)
	if err != nil {
		return false, err
	}
	env, err := b.env(ctx, en.PatientID)
	if err != nil {
		return false, err
	}
	env.Reply, env.Text, env.Reason, env.Variant = en.Vars["reply"], en.Vars["text"], en.Vars["reason"], en.Variant
	fmt.Sscan(en.Vars["choice"], &env.Choice)
	return cond.Eval(env)
}

// env describes a patient for expressions, loading what it needs once per batch.
func (b *batch) env(ctx context.Context, pid rapport.PatientID) (*Env, error) {
	if env := b.envs[pid]; env != nil {
		cp := *env
		return &cp, nil
	}
	if err := b.writeEnrollments(ctx); err != nil { // the journeys the patient is in, as this batch left them
		return nil, err
	}
	envs, _, err := b.e.envs(ctx, b.tx, []rapport.PatientID{pid}, needAll)
	if err != nil {
		return nil, err
	}
	env := envs[pid]
	if env == nil {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "patient %s not found", pid)
	}
	b.envs[pid] = env
	cp := *env
	return &cp, nil
}

// needs says which costly parts of a patient an expression reads.
type needs struct{ contacts, conditions, journeys bool }

var needAll = needs{true, true, true}

// needsOf reads what an expression's source mentions: a segment over a
// million patients need not load their contact points to test their age.
func needsOf(src string) needs {
	return needs{
		contacts:   strings.Contains(src, "has_mobile") || strings.Contains(src, "has_email") || strings.Contains(src, "landline_only"),
		conditions: strings.Contains(src, "has_condition"),
		journeys:   strings.Contains(src, "enrolled"),
	}
}

// envs describes several patients for expressions, loading what n asks,
// and returns the patients it loaded (with their contact points when n
// asks for them).
func (e *Engine) envs(ctx context.Context, tx *store.Tx, pids []rapport.PatientID, n needs) (map[rapport.PatientID]*Env, map[rapport.PatientID]*rapport.Patient, error) {
	var ps []*rapport.Patient
	var err error
	if n.contacts {
		ps, err = tx.FindPatientsWithContacts(ctx, pids)
	} else {
		ps, err = tx.FindPatientsBare(ctx, pids)
	}
	if err != nil {
		return nil, nil, err
	}
	var conds map[rapport.PatientID][]string
	if n.conditions {
		if conds, err = tx.PatientConditions(ctx, pids); err != nil {
			return nil, nil, err
		}
	}
	var journeys map[rapport.PatientID]map[string]bool
	if n.journeys {
		if journeys, err = tx.PatientJourneys(ctx, pids); err != nil {
			return nil, nil, err
		}
	}
	now := tx.Now()
	out := make(map[rapport.PatientID]*Env, len(ps))
	byID := make(map[rapport.PatientID]*rapport.Patient, len(ps))
	for _, p := range ps {
		out[p.ID] = NewEnv(p, now, conds[p.ID], journeys[p.ID])
		byID[p.ID] = p
	}
	return out, byID, nil
}

// set changes what a set step names: the patient's preferred channel, or
// the status of the contact point the last message went to.
func (b *batch) set(ctx context.Context, s *SetStep, en *rapport.Enrollment) error {
	delete(b.patients, en.PatientID) // what the batch loaded is no longer what the patient is
	switch s.Attribute {
	case "preferred_channel":
		return b.tx.SetPreferredChannel(ctx, en.PatientID, rapport.Channel(s.Value))
	case "contact_valid", "contact_invalid":
		ms, err := b.tx.FindMessagesByID(ctx, []rapport.MessageID{rapport.MessageID(en.Vars["last_message"])})
		if err != nil || len(ms) == 0 || ms[0].ContactID == "" {
			return err
		}
		status := rapport.StatusValid
		if s.Attribute == "contact_invalid" {
			status = rapport.StatusInvalid
		}
		evidence := fmt.Sprintf("the patient answered %q to journey %s step %s", en.Vars["text"], en.Journey, en.Step)
		return b.tx.SetContactStatus(ctx, ms[0].ContactID, status, evidence)
	}
	return fmt.Errorf("journey %s: cannot set %q", en.Journey, s.Attribute)
}

// enrolledPayload is a journey.enrolled event's payload. Every enrollment
// writes one, so it is a struct, not a map the encoder must sort. Its fields
// are in key order, so the JSON is what a map made.
type enrolledPayload struct {
	Step    string `json:"step"`
	Trigger string `json:"trigger"`
	Version int    `json:"version"`
}
