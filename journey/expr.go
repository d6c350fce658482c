package journey

import (
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/rapporthq/rapport"
)

// Env is what segment and branch expressions see of a patient and of the
// enrollment that evaluates them.
type Env struct {
	Age      int    `expr:"age"`
	Sex      string `expr:"sex"`
	Language string `expr:"language"`
	Rural    bool   `expr:"rural"`
	// RUCA is the USDA rural-urban commuting area code of the patient's ZIP,
	// 1 (metropolitan core) to 10 (rural), 0 unknown: "ruca >= 4" selects
	// the non-metropolitan patients whose ZIP code is known.
	RUCA int `expr:"ruca"`
	// Internet is true when the patient is known to have internet access.
	Internet   bool   `expr:"internet"`
	NoInternet bool   `expr:"no_internet"` // known to have none
	State      string `expr:"state"`
	PostalCode string `expr:"postal_code"`
	HasMobile  bool   `expr:"has_mobile"`
	HasEmail   bool   `expr:"has_email"`
	Landline   bool   `expr:"landline_only"`
	// SharedPhone is true when a usable phone of the patient is on other
	// patients' records too (a family landline): replies need care.
	SharedPhone bool `expr:"shared_phone"`

	// The enrollment's state, for branches.
	Reply   string `expr:"reply"`   // intent of the last reply: yes, no, choice, free_text
	Text    string `expr:"text"`    // its words, as written
	Choice  int    `expr:"choice"`  // its number, for a choice
	Reason  string `expr:"reason"`  // classified decline reason
	Variant string `expr:"variant"` // A/B variant

	HasCondition func(code string) bool    `expr:"has_condition"`
	Enrolled     func(journey string) bool `expr:"enrolled"`

	conditions []string
	journeys   map[string]bool
}

// NewEnv describes a patient at now: conditions are their condition codes
// (ICD-10 or SNOMED CT), journeys the ids of journeys they are or were in.
func NewEnv(p *rapport.Patient, now time.Time, conditions []string, journeys map[string]bool) *Env {
	e := &Env{Sex: string(p.Sex), Language: p.Language, Rural: p.Rural, RUCA: p.RUCA, State: p.Address.State, PostalCode: p.Address.PostalCode,
		conditions: conditions, journeys: journeys}
	e.Age, _ = p.Age(now)
	if p.InternetAccess != nil {
		e.Internet, e.NoInternet = *p.InternetAccess, !*p.InternetAccess
	}
	phones := 0
	for _, c := range p.Contacts {
		if !c.Usable() {
			continue
		}
		switch {
		case c.Kind == rapport.ContactEmail:
			e.HasEmail = true
		case c.Kind == rapport.ContactPhone:
			phones++
			e.SharedPhone = e.SharedPhone || c.Shared()
			if c.LineType != rapport.LineLandline {
				e.HasMobile = true
			}
		}
	}
	e.Landline = phones > 0 && !e.HasMobile
	e.HasCondition = e.hasCondition
	e.Enrolled = func(j string) bool { return e.journeys[j] }
	return e
}

// hasCondition matches a code or a code prefix ("I10" matches "I10.9";
// "E11" matches every type 2 diabetes code).
func (e *Env) hasCondition(code string) bool {
	for _, c := range e.conditions {
		if c == code || strings.HasPrefix(c, code+".") || (len(code) >= 3 && strings.HasPrefix(c, code)) {
			return true
		}
	}
	return false
}

// compileCondition compiles a boolean expression over Env.
func compileCondition(src string) (*vm.Program, error) {
	return expr.Compile(src, expr.Env(&Env{}), expr.AsBool())
}

// Condition is a compiled expression.
type Condition struct {
	src  string
	prog *vm.Program
}

// CompileCondition compiles a segment or branch expression.
func CompileCondition(src string) (*Condition, error) {
	if strings.TrimSpace(src) == "" {
		src = "true"
	}
	p, err := compileCondition(src)
	if err != nil {
		return nil, rapport.Errorf(rapport.EINVALID, "expression %q: %v", src, firstLine(err.Error()))
	}
	return &Condition{src: src, prog: p}, nil
}

// Eval runs the condition on env.
func (c *Condition) Eval(env *Env) (bool, error) {
	v, err := expr.Run(c.prog, env)
	if err != nil {
		return false, rapport.Errorf(rapport.EINVALID, "expression %q: %v", c.src, err)
	}
	return v.(bool), nil
}
