package csvimport

import (
	"strings"

	"github.com/rapporthq/rapport"
)

// relationshipWords are the words a CRM's relationship column holds most
// often, in English and Spanish, with the v3-RoleCode each stands for. A
// mapping's values translate anything else.
var relationshipWords = map[string]string{
	"mother": "MTH", "mom": "MTH", "father": "FTH", "dad": "FTH", "parent": "PRN",
	"spouse": "SPS", "wife": "WIFE", "husband": "HUSB", "partner": "DOMPART", "domestic partner": "DOMPART",
	"significant other": "SIGOTHR", "boyfriend": "SIGOTHR", "girlfriend": "SIGOTHR",
	"child": "CHILD", "daughter": "DAU", "son": "SON",
	"sibling": "SIB", "sister": "SIS", "brother": "BRO",
	"grandparent": "GRPRN", "grandmother": "GRPRN", "grandfather": "GRPRN",
	"grandchild": "GRNDCHILD", "granddaughter": "GRNDCHILD", "grandson": "GRNDCHILD",
	"aunt": "AUNT", "uncle": "UNCLE", "cousin": "COUSN", "niece": "NIENEPH", "nephew": "NIENEPH",
	"friend": "FRND", "neighbor": "NBOR", "neighbour": "NBOR", "roommate": "ROOM",
	"guardian": "GUARD", "legal guardian": "GUARD",
	"family member": "FAMMEMB", "family": "FAMMEMB", "relative": "FAMMEMB",
	"madre": "MTH", "mamá": "MTH", "padre": "FTH", "papá": "FTH", "esposa": "WIFE", "esposo": "HUSB",
	"pareja": "DOMPART", "hija": "DAU", "hijo": "SON", "hermana": "SIS", "hermano": "BRO",
	"abuela": "GRPRN", "abuelo": "GRPRN", "nieta": "GRNDCHILD", "nieto": "GRNDCHILD",
	"tía": "AUNT", "tío": "UNCLE", "prima": "COUSN", "primo": "COUSN", "sobrina": "NIENEPH", "sobrino": "NIENEPH",
	"amiga": "FRND", "amigo": "FRND", "vecina": "NBOR", "vecino": "NBOR", "tutor": "GUARD", "tutora": "GUARD",
	"familiar": "FAMMEMB",
}

// extraDisplays are the displays of the codes relationshipWords uses that
// [rapport.RoleDisplay] does not know.
var extraDisplays = map[string]string{"AUNT": "aunt", "UNCLE": "uncle", "COUSN": "cousin", "NIENEPH": "niece/nephew"}

// parseRelationship reads a relationship cell: a v3-RoleCode rapport knows
// (DAU, SPS, GUARD…, in any case) or one of relationshipWords ("daughter",
// "Wife", "hija"), spaces and case ignored. It reports false for anything
// else, so that a typo is an error rather than a caregiver of unknown role.
func parseRelationship(s string) (rapport.Code, bool) {
	s = strings.Join(strings.Fields(s), " ")
	code := strings.ToUpper(s)
	if roleName(code) == "" {
		code = relationshipWords[strings.ToLower(s)]
	}
	if code == "" {
		return rapport.Code{}, false
	}
	return rapport.Code{System: rapport.RoleCodeSystem, Code: code, Display: roleName(code)}, true
}

func roleName(code string) string {
	if d := rapport.RoleDisplay(code); d != "" {
		return d
	}
	return extraDisplays[code]
}

// splitName splits a caregiver's full name: "Reyes, Rosa" is family
// first; otherwise the last word is the family name ("Rosa María Reyes" →
// "Rosa María", "Reyes"). Either way the display name, given then family,
// reads as the cell did (apart from the comma form).
func splitName(s string) (given, family string) {
	if fam, giv, ok := strings.Cut(s, ","); ok {
		return strings.Join(strings.Fields(giv), " "), strings.Join(strings.Fields(fam), " ")
	}
	words := strings.Fields(s)
	if len(words) < 2 {
		return strings.Join(words, " "), ""
	}
	return strings.Join(words[:len(words)-1], " "), words[len(words)-1]
}
