package adherence

import (
	"strings"
	"testing"
)

const rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"

func TestClassOf(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name               string
		system, code, drug string
		want               string
	}{
		// rapport generate's four measured drugs, and one that is not.
		{"generator lisinopril", rxnorm, "314076", "lisinopril 10 MG Oral Tablet", ClassRASA},
		{"generator amlodipine is a calcium channel blocker", rxnorm, "197361", "amlodipine 5 MG Oral Tablet", "other:197361"},
		{"generator metformin", rxnorm, "861007", "metformin hydrochloride 500 MG Oral Tablet", ClassDiabetes},
		{"generator atorvastatin", rxnorm, "617310", "atorvastatin 20 MG Oral Tablet", ClassStatins},
		// Synthea's.
		{"synthea metformin ER", rxnorm, "860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet", ClassDiabetes},
		{"synthea simvastatin", rxnorm, "312961", "Simvastatin 20 MG Oral Tablet", ClassStatins},
		{"synthea canagliflozin", rxnorm, "1373463", "canagliflozin 100 MG Oral Tablet", ClassDiabetes},
		{"synthea liraglutide pen", rxnorm, "897122", "3 ML liraglutide 6 MG/ML Pen Injector", ClassDiabetes},
		{"synthea insulin is not DR", rxnorm, "106892", "insulin human, isophane 70 UNT/ML / Regular Insulin, Human 30 UNT/ML Injectable Suspension", "other:106892"},
		// A strength not in the table classifies by its ingredient name.
		{"unlisted strength by name", rxnorm, "9999991", "Atorvastatin 40 MG Oral Tablet", ClassStatins},
		{"combination by name", rxnorm, "", "amlodipine 5 MG / benazepril hydrochloride 20 MG Oral Capsule", ClassRASA},
		{"ingredient-only row", "", "", "trandolapril 2 MG Oral Tablet", ClassRASA},
		{"sacubitril/valsartan is left out of RASA", rxnorm, "1656340", "sacubitril 49 MG / valsartan 51 MG Oral Tablet", "other:1656340"},
		// A code from another system never hits the RxNorm table.
		{"NDC code with a listed number", "http://hl7.org/fhir/sid/ndc", "314076", "Tylenol", "other:tylenol"},
		{"no code, unknown name", "", "", "  Vitamin   D3 ", "other:vitamin d3"},
		{"word, not substring", rxnorm, "", "metforminish", "other:metforminish"},
	}
	for _, c := range cases {
		if got := ClassOf(c.system, c.code, c.drug); got != c.want {
			t.Errorf("%s: ClassOf(%q, %q) = %q, want %q", c.name, c.code, c.drug, got, c.want)
		}
	}
}

func TestLoadClassesRejects(t *testing.T) {
	t.Parallel()
	const header = "code,class,ingredient,display\n"
	cases := map[string]string{
		"no header":      "1,STA,atorvastatin,x\n",
		"unknown class":  header + "1,ACE,lisinopril,x\n",
		"duplicate code": header + "1,STA,atorvastatin,x\n1,STA,simvastatin,y\n",
		"two classes":    header + "1,STA,atorvastatin,x\n2,DR,atorvastatin,y\n",
		"upper case":     header + "1,STA,Atorvastatin,x\n",
		"short row":      header + "1,STA\n",
	}
	for name, text := range cases {
		if _, _, err := loadClasses(text); err == nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
	byCode, byIng, err := loadClasses(classesCSV)
	if err != nil {
		t.Fatalf("embedded classes.csv: %v", err)
	}
	for _, class := range []string{ClassStatins, ClassRASA, ClassDiabetes} {
		n := 0
		for _, c := range byIng {
			if c == class {
				n++
			}
		}
		if n < 5 {
			t.Errorf("class %s has %d ingredients, want the common ones (5 or more)", class, n)
		}
	}
	if len(byCode) == 0 || !strings.Contains(classesCSV, "pqaalliance.org") {
		t.Error("classes.csv lacks codes or its source")
	}
}

func FuzzClassOf(f *testing.F) {
	f.Add(rxnorm, "617310", "atorvastatin 20 MG Oral Tablet")
	f.Add("", "", "insulin glargine")
	f.Fuzz(func(t *testing.T, system, code, name string) {
		c := ClassOf(system, code, name)
		if c == "" || (!IsPQAClass(c) && !strings.HasPrefix(c, otherPrefix)) {
			t.Fatalf("ClassOf(%q, %q, %q) = %q: neither PQA nor other", system, code, name, c)
		}
	})
}

func TestExcludes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		drug  string
		class string
		why   Exclusion
	}{
		{"insulin glargine 100 UNT/ML Pen Injector", ClassDiabetes, ExcludedInsulin},
		{"Insulin Lispro 100 UNT/ML Injectable Solution [Humalog]", ClassDiabetes, ExcludedInsulin},
		{"sacubitril 49 MG / valsartan 51 MG Oral Tablet", ClassRASA, ExcludedSacubitril},
		{"valsartan 80 MG Oral Tablet", "", ""},
		{"metformin hydrochloride 500 MG Oral Tablet", "", ""},
	}
	for _, c := range cases {
		if class, why := Excludes(c.drug); class != c.class || why != c.why {
			t.Errorf("Excludes(%q) = %q, %q; want %q, %q", c.drug, class, why, c.class, c.why)
		}
	}
	rs := []Result{{Class: ClassDiabetes, PDC: 0.9, Covered: 9, Days: 10, Adherent: true, SelfReport: SelfReportRate{Answered: 2, Taken: 1}}, {Class: ClassStatins, PDC: 0.5}}
	Exclude(rs, ClassDiabetes, ExcludedInsulin)
	if rs[0].Measured() || rs[0].PDC != 0 || rs[0].Adherent || rs[0].SelfReport.Answered != 2 || rs[1].PDC != 0.5 {
		t.Errorf("after Exclude: %+v", rs)
	}
}
