package adherence

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"

	"github.com/rapporthq/rapport/internal/csvtable"
)

// The drug classes of PQA's three Part D adherence measures. Other drugs are
// measured per drug, in a class of their own named by [OtherClass]: those are
// not PQA measures, only the same arithmetic.
const (
	ClassStatins  = "STA"  // statins
	ClassRASA     = "RASA" // renin-angiotensin system antagonists
	ClassDiabetes = "DR"   // diabetes medications, all classes but insulin
)

// otherPrefix starts the class of a drug outside the PQA classes.
const otherPrefix = "other:"

// pqaExcluded are ingredients that keep a drug out of every PQA class even
// when it holds a class ingredient: PQA leaves out insulin from the diabetes
// measure and sacubitril/valsartan from the RAS antagonists.
var pqaExcluded = map[string]bool{"insulin": true, "sacubitril": true}

//go:embed classes.csv
var classesCSV string

// classTable is classes.csv read once: class by RxNorm code and by ingredient.
var classByCode, classByIngredient = mustLoadClasses(classesCSV)

func mustLoadClasses(text string) (map[string]string, map[string]string) {
	byCode, byIngredient, err := loadClasses(text)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return byCode, byIngredient
}

// loadClasses reads the class table: lines starting with # are comments,
// then a header and rows of code (may be empty), class, ingredient, display.
func loadClasses(text string) (byCode, byIngredient map[string]string, err error) {
	rows, err := csvtable.Read("drug classes", text, "code,class,ingredient,display")
	if err != nil {
		return nil, nil, err
	}
	byCode, byIngredient = map[string]string{}, map[string]string{}
	for i, r := range rows {
		code, class, ing := r[0], r[1], r[2]
		switch {
		case class != ClassStatins && class != ClassRASA && class != ClassDiabetes:
			return nil, nil, fmt.Errorf("drug classes row %d: class %q is not STA, RASA or DR", i+1, class)
		case ing == "" || ing != strings.ToLower(ing):
			return nil, nil, fmt.Errorf("drug classes row %d: ingredient must be lower case and not empty", i+1)
		case byIngredient[ing] != "" && byIngredient[ing] != class:
			return nil, nil, fmt.Errorf("drug classes row %d: ingredient %s is in two classes", i+1, ing)
		case code != "" && byCode[code] != "":
			return nil, nil, fmt.Errorf("drug classes row %d: code %s is listed twice", i+1, code)
		}
		byIngredient[ing] = class
		if code != "" {
			byCode[code] = class
		}
	}
	return byCode, byIngredient, nil
}

// ClassOf returns the PQA class of a dispensed drug: by its RxNorm code
// when the table lists it, else by an ingredient named in name ("amlodipine
// 10 MG / atorvastatin 20 MG" is a statin), else [OtherClass] of the drug.
// A drug holding insulin or sacubitril is never in a PQA class.
func ClassOf(system, code, name string) string {
	words := Words(name)
	for _, w := range words {
		if pqaExcluded[w] {
			return OtherClass(DrugKey(system, code, name))
		}
	}
	if c := classByCode[code]; c != "" && isRxNorm(system) {
		return c
	}
	for _, w := range words {
		if c := classByIngredient[w]; c != "" {
			return c
		}
	}
	return OtherClass(DrugKey(system, code, name))
}

// Words returns the words of a drug's name in lower case, letters only:
// what an ingredient is matched against ("amlodipine 5 MG / benazepril
// hydrochloride 20 MG" holds benazepril; "metforminish" is not metformin).
func Words(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) })
}

// Excludes returns the PQA class a patient is left out of for taking this
// drug, and why: insulin users from the diabetes measure (DR), and
// sacubitril/valsartan users from the RAS antagonists (RASA), as PQA
// specifies. It returns "" for every other drug. Callers apply it with
// [Exclude] to the results of the patients who had such a fill.
func Excludes(name string) (class string, why Exclusion) {
	for _, w := range Words(name) {
		switch w {
		case "insulin":
			return ClassDiabetes, ExcludedInsulin
		case "sacubitril":
			return ClassRASA, ExcludedSacubitril
		}
	}
	return "", ""
}

// Exclude marks the result of class excluded for why, dropping its
// measures; a patient with no result of the class is left as is.
func Exclude(results []Result, class string, why Exclusion) {
	for i, r := range results {
		if r.Class == class {
			results[i] = Result{Class: class, Excluded: why, SelfReport: r.SelfReport}
		}
	}
}

// DrugKey names a drug for the measure: its RxNorm code, or its name in
// lower case when it has no RxNorm code.
func DrugKey(system, code, name string) string {
	if code != "" && isRxNorm(system) {
		return code
	}
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// OtherClass is the class of a drug outside the PQA classes: the drug alone.
func OtherClass(drug string) string { return otherPrefix + drug }

// IsPQAClass reports whether class is one of the three PQA measures.
func IsPQAClass(class string) bool {
	return class == ClassStatins || class == ClassRASA || class == ClassDiabetes
}

// isRxNorm accepts the FHIR system URI of RxNorm, a bare "RxNorm", or no
// system at all (a CSV export with only a code column).
func isRxNorm(system string) bool {
	return system == "" || strings.Contains(strings.ToLower(system), "rxnorm")
}
