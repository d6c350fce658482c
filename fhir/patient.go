package fhir

import (
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/zones"
)

// Extension URLs rapport reads on Patient and writes back.
const (
	// ExtPatientTimezone and ExtTimezone carry the patient's IANA time zone
	// as valueCode; rapport reads either and writes ExtTimezone.
	ExtPatientTimezone = "http://hl7.org/fhir/StructureDefinition/patient-timezone"
	ExtTimezone        = "http://hl7.org/fhir/StructureDefinition/timezone"
	// ExtRural (valueBoolean) says the patient lives in a rural area. When
	// present it wins over the rurality the importer derives from the ZIP
	// code (rapport.Patient.RuralStated).
	ExtRural = "https://rapport.dev/fhir/StructureDefinition/rural"
	// ExtInternetAccess (valueBoolean) says whether the patient has
	// internet access at home.
	ExtInternetAccess = "https://rapport.dev/fhir/StructureDefinition/internet-access"
)

type patientJSON struct {
	ResourceType     string                 `json:"resourceType"`
	ID               string                 `json:"id"`
	Extension        []extension            `json:"extension"`
	Identifier       []identifier           `json:"identifier"`
	Name             []humanName            `json:"name"`
	Telecom          []contactPoint         `json:"telecom"`
	Gender           string                 `json:"gender"`
	BirthDate        string                 `json:"birthDate"`
	DeceasedBoolean  *bool                  `json:"deceasedBoolean"`
	DeceasedDateTime string                 `json:"deceasedDateTime"`
	Address          []address              `json:"address"`
	Communication    []patientCommunication `json:"communication"`
}

type patientCommunication struct {
	Language  codeableConcept `json:"language"`
	Preferred bool            `json:"preferred"`
}

func (in *patientJSON) toDomain() (*rapport.Patient, error) {
	p := &rapport.Patient{Identifiers: identifiers(in.Identifier)}
	if n := pickName(in.Name); n != nil {
		p.Given, p.Family = n.given(), n.Family
	}
	if in.BirthDate != "" {
		if !ValidDate(in.BirthDate) {
			return nil, errField("birthDate", "%q is not a FHIR date", in.BirthDate)
		}
		p.BirthDate = in.BirthDate
	}
	switch g := rapport.Sex(in.Gender); g {
	case "", rapport.SexFemale, rapport.SexMale, rapport.SexOther, rapport.SexUnknown:
		p.Sex = g
	default:
		return nil, errField("gender", "%q is not one of male, female, other, unknown", in.Gender)
	}
	if err := in.language(p); err != nil {
		return nil, err
	}
	if len(in.Address) > 0 {
		p.Address = in.Address[0].domain()
	}
	p.Contacts = contacts(in.Telecom)
	if in.DeceasedBoolean != nil {
		p.Deceased = *in.DeceasedBoolean
	}
	if in.DeceasedDateTime != "" {
		if _, err := ParseDateTime(in.DeceasedDateTime); err != nil {
			return nil, errField("deceasedDateTime", "%q is not a FHIR dateTime", in.DeceasedDateTime)
		}
		p.Deceased = true
	}
	if err := in.extensions(p); err != nil {
		return nil, err
	}
	return p, nil
}

func (in *patientJSON) language(p *rapport.Patient) error {
	lang, err := language(in.Communication)
	p.Language = lang
	return err
}

// language takes the preferred communication language, else the first, and
// keeps its primary subtag: "en-US" → "en". Patient and RelatedPerson
// share the element.
func language(comms []patientCommunication) (string, error) {
	pick := -1
	for i, c := range comms {
		if pick < 0 || (c.Preferred && !comms[pick].Preferred) {
			pick = i
		}
	}
	if pick < 0 {
		return "", nil
	}
	code := comms[pick].Language.firstCode()
	if code == "" {
		return "", nil
	}
	primary, _, _ := strings.Cut(strings.ReplaceAll(code, "_", "-"), "-")
	if len(primary) < 2 || len(primary) > 8 || strings.IndexFunc(primary, notASCIILetter) >= 0 {
		return "", errField("communication.language", "%q is not a BCP 47 language tag", code)
	}
	return strings.ToLower(primary), nil
}

func notASCIILetter(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') }

func (in *patientJSON) extensions(p *rapport.Patient) error {
	for _, e := range in.Extension {
		switch e.URL {
		case ExtPatientTimezone, ExtTimezone:
			if e.ValueCode == nil {
				return errField("extension("+e.URL+")", "has no valueCode")
			}
			if !knownZone(*e.ValueCode) {
				return errField("extension("+e.URL+")", "%q is not an IANA time zone", *e.ValueCode)
			}
			p.TimeZone = *e.ValueCode
		case ExtRural:
			if e.ValueBoolean == nil {
				return errField("extension("+e.URL+")", "has no valueBoolean")
			}
			p.Rural, p.RuralStated = *e.ValueBoolean, true // wins over the ZIP code's RUCA code
		case ExtInternetAccess:
			if e.ValueBoolean == nil {
				return errField("extension("+e.URL+")", "has no valueBoolean")
			}
			v := *e.ValueBoolean
			p.InternetAccess = &v
		}
	}
	return nil
}

// contacts maps telecom to raw contact points: phone and sms become phones,
// email stays email, other systems are skipped, and so are contact points
// marked "old" (FHIR: no longer in use). Each kind is ranked by the source's
// rank when given.
func contacts(in []contactPoint) []rapport.ContactPoint {
	var out []rapport.ContactPoint
	for _, t := range in {
		var kind rapport.ContactKind
		switch t.System {
		case "phone", "sms":
			kind = rapport.ContactPhone
		case "email":
			kind = rapport.ContactEmail
		default:
			continue
		}
		if t.Value == "" || t.Use == "old" {
			continue
		}
		var use rapport.ContactUse
		switch t.Use {
		case "mobile":
			use = rapport.UseMobile
		case "home":
			use = rapport.UseHome
		case "work":
			use = rapport.UseWork
		}
		out = append(out, rapport.ContactPoint{Kind: kind, Raw: t.Value, Use: use, Rank: max(t.Rank, 0), Source: rapport.SourceImport})
	}
	return out
}

// knownZone reports whether name is an IANA zone.
func knownZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := zones.Load(name)
	return err == nil
}
