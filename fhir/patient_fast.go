package fhir

import "strconv"

// Patients are the bulk of an import, and encoding/json spends most of its
// time validating and reflecting: about 28,000 Synthea patients per CPU
// second, short of the importer's target once its database writes share
// the machine. decodeFast fills the same patientJSON in one pass with [scan]
// at several times that speed. It gives up — and the caller decodes with
// encoding/json, which then also words any error — on anything it would
// not decode exactly as encoding/json does: invalid JSON, a value of an
// unexpected JSON type, a decoded string with escapes, a duplicate key, or
// a key that differs from a known one only in case (encoding/json matches
// keys case-insensitively). FuzzPatientFast checks that both decoders agree
// whenever decodeFast succeeds.

var (
	patientKeys       = []string{"resourceType", "id", "extension", "identifier", "name", "telecom", "gender", "birthDate", "deceasedBoolean", "deceasedDateTime", "address", "communication"}
	communicationKeys = []string{"language", "preferred"}
	extensionKeys     = []string{"url", "valueCode", "valueBoolean"}
	identifierKeys    = []string{"type", "system", "value"}
	conceptKeys       = []string{"coding", "text"}
	// Patient mapping reads only the code of a coding (identifier type,
	// communication language): system and display are skipped unread.
	codingKeys  = []string{"code"}
	nameKeys    = []string{"use", "text", "family", "given", "prefix"}
	telecomKeys = []string{"system", "value", "use", "rank"}
	addressKeys = []string{"line", "city", "district", "state", "postalCode", "country"}
)

// decodeFast decodes a Patient into in and reports whether it could.
func (in *patientJSON) decodeFast(data []byte) bool {
	s := &scan{b: data}
	return s.object(patientKeys, func(i int) bool {
		switch i {
		case 0:
			return s.str(&in.ResourceType)
		case 1:
			return s.str(&in.ID)
		case 2:
			return scanArray(s, &in.Extension, (*scan).extension)
		case 3:
			return scanArray(s, &in.Identifier, (*scan).identifier)
		case 4:
			return scanArray(s, &in.Name, (*scan).humanName)
		case 5:
			return scanArray(s, &in.Telecom, (*scan).contactPoint)
		case 6:
			return s.str(&in.Gender)
		case 7:
			return s.str(&in.BirthDate)
		case 8:
			return s.boolPtr(&in.DeceasedBoolean)
		case 9:
			return s.str(&in.DeceasedDateTime)
		case 10:
			return scanArray(s, &in.Address, (*scan).address)
		default:
			return scanArray(s, &in.Communication, func(s *scan, c *patientCommunication) bool {
				return s.object(communicationKeys, func(i int) bool {
					if i == 0 {
						return s.concept(&c.Language)
					}
					return s.bool(&c.Preferred)
				})
			})
		}
	}) && s.end()
}

// str decodes a string (null leaves dst as it is).
func (s *scan) str(dst *string) bool {
	if s.null() {
		return true
	}
	b, ok := s.plainString()
	if ok {
		*dst = string(b)
	}
	return ok
}

func (s *scan) bool(dst *bool) bool {
	s.ws()
	switch {
	case s.literal("true"):
		*dst = true
	case s.literal("false"):
		*dst = false
	default:
		return s.null()
	}
	return true
}

func (s *scan) boolPtr(dst **bool) bool {
	if s.null() {
		*dst = nil
		return true
	}
	b := new(bool)
	*dst = b
	return s.bool(b)
}

func (s *scan) int(dst *int) bool {
	if s.null() {
		return true
	}
	raw, isInt, ok := s.number()
	if !ok || !isInt {
		return false
	}
	n, err := strconv.Atoi(string(raw))
	*dst = n
	return err == nil
}

// scanArray decodes an array into a fresh slice (null → nil), as
// encoding/json does into an empty slice.
func scanArray[T any](s *scan, dst *[]T, elem func(*scan, *T) bool) bool {
	out := []T{}
	isNull, ok := s.array(func() bool {
		out = append(out, *new(T))
		return elem(s, &out[len(out)-1])
	})
	if isNull {
		out = nil
	}
	*dst = out
	return ok
}

func (s *scan) strElem(dst *string) bool { return s.str(dst) }

func (s *scan) extension(e *extension) bool {
	return s.object(extensionKeys, func(i int) bool {
		switch i {
		case 0:
			// Only rapport's own extensions are mapped: other URLs are
			// checked but not kept, which saves a string per extension.
			if s.null() {
				return true
			}
			b, ok := s.plainString()
			e.URL = ourExtension(b)
			return ok
		case 1:
			if s.null() {
				e.ValueCode = nil
				return true
			}
			e.ValueCode = new(string)
			return s.str(e.ValueCode)
		default:
			return s.boolPtr(&e.ValueBoolean)
		}
	})
}

func (s *scan) identifier(id *identifier) bool {
	return s.object(identifierKeys, func(i int) bool {
		switch i {
		case 0:
			if s.null() {
				id.Type = nil
				return true
			}
			id.Type = new(codeableConcept)
			return s.concept(id.Type)
		case 1:
			return s.str(&id.System)
		default:
			return s.str(&id.Value)
		}
	})
}

func (s *scan) concept(c *codeableConcept) bool {
	return s.object(conceptKeys, func(i int) bool {
		if i == 1 {
			return s.str(&c.Text)
		}
		return scanArray(s, &c.Coding, func(s *scan, cd *coding) bool {
			return s.object(codingKeys, func(int) bool { return s.str(&cd.Code) })
		})
	})
}

func (s *scan) humanName(n *humanName) bool {
	return s.object(nameKeys, func(i int) bool {
		switch i {
		case 0:
			return s.str(&n.Use)
		case 1:
			return s.str(&n.Text)
		case 2:
			return s.str(&n.Family)
		case 3:
			return scanArray(s, &n.Given, (*scan).strElem)
		default:
			return scanArray(s, &n.Prefix, (*scan).strElem)
		}
	})
}

func (s *scan) contactPoint(c *contactPoint) bool {
	return s.object(telecomKeys, func(i int) bool {
		switch i {
		case 0:
			return s.str(&c.System)
		case 1:
			return s.str(&c.Value)
		case 2:
			return s.str(&c.Use)
		default:
			return s.int(&c.Rank)
		}
	})
}

func (s *scan) address(a *address) bool {
	return s.object(addressKeys, func(i int) bool {
		switch i {
		case 0:
			return scanArray(s, &a.Line, (*scan).strElem)
		case 1:
			return s.str(&a.City)
		case 2:
			return s.str(&a.District)
		case 3:
			return s.str(&a.State)
		case 4:
			return s.str(&a.PostalCode)
		default:
			return s.str(&a.Country)
		}
	})
}

// ourExtension returns the extension URL rapport maps that b spells, or "".
func ourExtension(b []byte) string {
	switch string(b) {
	case ExtPatientTimezone:
		return ExtPatientTimezone
	case ExtTimezone:
		return ExtTimezone
	case ExtRural:
		return ExtRural
	case ExtInternetAccess:
		return ExtInternetAccess
	}
	return ""
}
