package readings

import (
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/selfreport"
)

const rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"

func TestConcerns(t *testing.T) {
	t.Parallel()
	bp, glucose, weight, hr := selfreport.BloodPressure, selfreport.Glucose, selfreport.Weight, selfreport.HeartRate
	cases := []struct {
		name string
		kind selfreport.Kind
		drug rapport.Code
		want bool
	}{
		{"lisinopril by code (RASA)", bp, rapport.Code{System: rxnorm, Code: "314076", Display: "lisinopril 10 MG Oral Tablet"}, true},
		{"losartan by name (RASA)", bp, rapport.Code{Display: "Losartan Potassium 50 MG Oral Tablet"}, true},
		{"amlodipine by ingredient", bp, rapport.Code{System: rxnorm, Code: "197361", Display: "amlodipine 5 MG Oral Tablet"}, true},
		{"hydrochlorothiazide", bp, rapport.Code{Display: "hydrochlorothiazide 25 MG Oral Tablet"}, true},
		{"combination with a RAS antagonist", bp, rapport.Code{Display: "amlodipine 5 MG / benazepril hydrochloride 20 MG Oral Capsule"}, true},
		{"sacubitril/valsartan, outside RASA, still lowers pressure", bp, rapport.Code{System: rxnorm, Code: "1656340", Display: "sacubitril 49 MG / valsartan 51 MG Oral Tablet"}, true},
		{"metformin is not a blood pressure drug", bp, rapport.Code{System: rxnorm, Code: "861007", Display: "metformin hydrochloride 500 MG Oral Tablet"}, false},
		{"atorvastatin is not", bp, rapport.Code{System: rxnorm, Code: "617310", Display: "atorvastatin 20 MG Oral Tablet"}, false},
		{"metformin (DR)", glucose, rapport.Code{System: rxnorm, Code: "861007", Display: "metformin hydrochloride 500 MG Oral Tablet"}, true},
		{"metformin by code alone", glucose, rapport.Code{System: rxnorm, Code: "861007"}, true},
		{"insulin, outside DR", glucose, rapport.Code{System: rxnorm, Code: "106892", Display: "insulin human, isophane 70 UNT/ML Injectable Suspension"}, true},
		{"lisinopril is not a diabetes drug", glucose, rapport.Code{System: rxnorm, Code: "314076", Display: "lisinopril 10 MG Oral Tablet"}, false},
		{"furosemide", weight, rapport.Code{Display: "Furosemide 40 MG Oral Tablet"}, true},
		{"spironolactone", weight, rapport.Code{Display: "spironolactone 25 MG Oral Tablet"}, true},
		{"lisinopril is not a diuretic", weight, rapport.Code{System: rxnorm, Code: "314076", Display: "lisinopril 10 MG Oral Tablet"}, false},
		{"metoprolol", hr, rapport.Code{Display: "metoprolol succinate 50 MG Extended Release Oral Tablet"}, true},
		{"digoxin", hr, rapport.Code{Display: "digoxin 0.125 MG Oral Tablet"}, true},
		{"amlodipine does not slow the heart", hr, rapport.Code{Display: "amlodipine 5 MG Oral Tablet"}, false},
		{"a word, not a substring", hr, rapport.Code{Display: "metoprololish"}, false},
		{"no drug", bp, rapport.Code{}, false},
		{"unknown kind", selfreport.Kind("temperature"), rapport.Code{Display: "lisinopril"}, false},
	}
	for _, c := range cases {
		if got := Concerns(c.kind, c.drug); got != c.want {
			t.Errorf("%s: Concerns(%s, %+v) = %v, want %v", c.name, c.kind, c.drug, got, c.want)
		}
	}
}

func TestLoadConcernsRejects(t *testing.T) {
	t.Parallel()
	const header = "kind,class,ingredient\n"
	cases := map[string]string{
		"no header":            "blood_pressure,RASA,\n",
		"unknown kind":         header + "temperature,,aspirin\n",
		"class and ingredient": header + "blood_pressure,RASA,amlodipine\n",
		"neither":              header + "blood_pressure,,\n",
		"not a PQA class":      header + "blood_pressure,ACE,\n",
		"upper case":           header + "heart_rate,,Digoxin\n",
		"two words":            header + "glucose,,insulin glargine\n",
		"listed twice":         header + "weight,,furosemide\nweight,,furosemide\n",
		"short row":            header + "weight,\n",
	}
	for name, text := range cases {
		if _, err := loadConcerns(text); err == nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
	byKind, err := loadConcerns(drugsCSV)
	if err != nil {
		t.Fatalf("embedded drugs.csv: %v", err)
	}
	for _, k := range []selfreport.Kind{selfreport.BloodPressure, selfreport.Glucose, selfreport.Weight, selfreport.HeartRate} {
		if c := byKind[k]; len(c.classes)+len(c.ingredients) < 2 {
			t.Errorf("kind %s concerns %d classes and ingredients, want the common ones", k, len(c.classes)+len(c.ingredients))
		}
	}
}
