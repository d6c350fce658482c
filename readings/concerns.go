package readings

import (
	_ "embed"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/adherence"
	"github.com/rapporthq/rapport/internal/csvtable"
	"github.com/rapporthq/rapport/selfreport"
)

// concern is what a reading kind measures the effect of: drugs of PQA
// classes and drugs holding ingredients.
type concern struct {
	classes     map[string]bool
	ingredients map[string]bool
}

//go:embed drugs.csv
var drugsCSV string

// concerns is drugs.csv read once, by reading kind.
var concerns = mustLoadConcerns(drugsCSV)

func mustLoadConcerns(text string) map[selfreport.Kind]concern {
	c, err := loadConcerns(text)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return c
}

// loadConcerns reads the table: lines starting with # are comments, then
// the header kind,class,ingredient and rows naming a class or an
// ingredient (lower case) of a known reading kind.
func loadConcerns(text string) (map[selfreport.Kind]concern, error) {
	rows, err := csvtable.Read("reading drugs", text, "kind,class,ingredient")
	if err != nil {
		return nil, err
	}
	out := map[selfreport.Kind]concern{}
	for i, r := range rows {
		kind, class, ing := selfreport.Kind(r[0]), r[1], r[2]
		c, ok := out[kind]
		if !ok {
			c = concern{classes: map[string]bool{}, ingredients: map[string]bool{}}
		}
		switch {
		case kind != selfreport.BloodPressure && kind != selfreport.Glucose && kind != selfreport.Weight && kind != selfreport.HeartRate:
			return nil, fmt.Errorf("reading drugs row %d: kind %q is not a reading kind", i+1, kind)
		case (class == "") == (ing == ""):
			return nil, fmt.Errorf("reading drugs row %d: name a class or an ingredient, not both", i+1)
		case class != "" && !adherence.IsPQAClass(class):
			return nil, fmt.Errorf("reading drugs row %d: class %q is not a PQA class", i+1, class)
		case ing != "" && (len(adherence.Words(ing)) != 1 || adherence.Words(ing)[0] != ing):
			return nil, fmt.Errorf("reading drugs row %d: ingredient %q is not one lower-case word", i+1, ing)
		case c.classes[class] || c.ingredients[ing]:
			return nil, fmt.Errorf("reading drugs row %d: %s%s is listed twice for %s", i+1, class, ing, kind)
		}
		if class != "" {
			c.classes[class] = true
		} else {
			c.ingredients[ing] = true
		}
		out[kind] = c
	}
	return out, nil
}

// Concerns reports whether a reading of kind measures the effect of drug:
// a blood pressure concerns antihypertensives, a glucose diabetes drugs
// and insulin, a weight heart-failure diuretics, a heart rate beta
// blockers and digoxin (the table is drugs.csv). A drug matches by its
// PQA class ([adherence.ClassOf]) or by an ingredient its name holds.
func Concerns(kind selfreport.Kind, drug rapport.Code) bool {
	c, ok := concerns[kind]
	if !ok {
		return false
	}
	if c.classes[adherence.ClassOf(drug.System, drug.Code, drug.Display)] {
		return true
	}
	for _, w := range adherence.Words(drug.Display) {
		if c.ingredients[w] {
			return true
		}
	}
	return false
}
