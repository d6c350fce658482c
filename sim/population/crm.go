package population

import "strings"

// crmHeader is the CRM export's header row.
const crmHeader = "crm_id,mrn,first_name,last_name,dob,gender,lang,street,city,state,zip,country,tz,rural_flag,has_internet,cell_phone,home_phone,email\n"

// CRMMapping is the csvimport mapping of crm.csv. It shares MRNSystem with
// the FHIR Patients, so importing both links each CRM row to its EHR
// record; the CRM's own ids are a separate source (CRMSource).
const CRMMapping = `# Mapping of the synthetic Meridian Health CRM export (crm.csv), written by
# rapport generate. Use it with:
#   rapport import csv crm.csv --mapping crm-mapping.yaml
source: ` + CRMSource + `
id_column: crm_id
default_region: US
identifiers:
  - {column: mrn, system: "` + MRNSystem + `", type: MR}
patient:
  given: first_name
  family: last_name
  birth_date: {column: dob, format: "%m/%d/%Y"}
  sex: {column: gender, values: {F: female, M: male}}
  language: {column: lang, values: {English: en, Spanish: es}}
  time_zone: tz
  address: {line: street, city: city, state: state, postal_code: zip, country: country}
  rural: rural_flag
  internet_access: has_internet
contacts:
  - {column: cell_phone, kind: phone, use: mobile, separator: ";"}
  - {column: home_phone, kind: phone, use: home, separator: ";"}
  - {column: email, kind: email}
`

// appendCRMRow appends rec as one row of crm.csv.
func appendCRMRow(b []byte, p *Person, rec *Record) []byte {
	b = appendCSV(b, rec.CRMID, ',')
	b = appendCSV(b, rec.MRN, ',')
	b = appendCSV(b, rec.Given, ',')
	b = appendCSV(b, rec.Family, ',')
	d := rec.BirthDate // YYYY-MM-DD → MM/DD/YYYY
	b = append(b, d[5:7]...)
	b = append(b, '/')
	b = append(b, d[8:10]...)
	b = append(b, '/')
	b = append(b, d[0:4]...)
	b = append(b, ',')
	if p.Sex == "female" {
		b = append(b, "F,"...)
	} else {
		b = append(b, "M,"...)
	}
	if p.Language == "es" {
		b = append(b, "Spanish,"...)
	} else {
		b = append(b, "English,"...)
	}
	a := &rec.Address
	b = appendCSV(b, a.Line, ',')
	b = appendCSV(b, a.City, ',')
	b = appendCSV(b, a.State, ',')
	b = appendCSV(b, a.ZIP, ',')
	b = append(b, "US,"...)
	b = appendCSV(b, a.TimeZone, ',')
	b = append(b, yn(a.Rural)...)
	b = append(b, ',')
	if rec.InternetKnown {
		b = append(b, yn(p.Internet)...)
	}
	b = append(b, ',')
	b = appendPhones(b, rec, "mobile")
	b = append(b, ',')
	b = appendPhones(b, rec, "home")
	b = append(b, ',')
	if rec.Email != nil {
		b = appendCSV(b, rec.Email.Raw, '\n')
	} else {
		b = append(b, '\n')
	}
	return b
}

func yn(v bool) string {
	if v {
		return "Y"
	}
	return "N"
}

// appendPhones appends the record's phones of one use, "; "-separated.
func appendPhones(b []byte, rec *Record, use string) []byte {
	var arr [64]byte
	cell := arr[:0]
	for _, ph := range rec.Phones {
		if ph.Use != use {
			continue
		}
		if len(cell) > 0 {
			cell = append(cell, "; "...)
		}
		cell = append(cell, ph.Raw...)
	}
	return appendCSV(b, string(cell), 0)
}

// appendCSV appends one field, quoted when it must be, then sep (none when
// sep is 0).
func appendCSV(b []byte, s string, sep byte) []byte {
	if strings.ContainsAny(s, ",\"\r\n") || strings.TrimSpace(s) != s {
		b = append(b, '"')
		b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
		b = append(b, '"')
	} else {
		b = append(b, s...)
	}
	if sep != 0 {
		b = append(b, sep)
	}
	return b
}
