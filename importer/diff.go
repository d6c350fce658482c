package importer

import (
	"reflect"
	"slices"

	"github.com/rapporthq/rapport"
)

// changedFields names the demographic fields of a patient that differ
// between what was stored and what the source now says.
func changedFields(old, upd *rapport.Patient) []string {
	var out []string
	check := func(name string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			out = append(out, name)
		}
	}
	check("given", old.Given, upd.Given)
	check("family", old.Family, upd.Family)
	check("birth_date", old.BirthDate, upd.BirthDate)
	check("sex", old.Sex, upd.Sex)
	check("language", old.Language, upd.Language)
	check("time_zone", old.TimeZone, upd.TimeZone)
	check("address", old.Address, upd.Address)
	check("rural", old.Rural, upd.Rural)
	check("ruca", old.RUCA, upd.RUCA)
	check("internet_access", old.InternetAccess, upd.InternetAccess)
	check("deceased", old.Deceased, upd.Deceased)
	check("identifiers", identifierSet(old.Identifiers), identifierSet(upd.Identifiers))
	check("contacts", contactSet(old.Contacts), contactSet(upd.Contacts))
	return out
}

func identifierSet(ids []rapport.Identifier) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.System + "|" + id.Value
	}
	slices.Sort(out)
	return out
}

// contactSet lists the contact points a source lists; stale ones (which
// only rapport keeps) do not count.
func contactSet(cs []rapport.ContactPoint) []string {
	var out []string
	for _, c := range cs {
		if c.Status != rapport.StatusStale {
			out = append(out, string(c.Kind)+":"+c.Raw)
		}
	}
	slices.Sort(out)
	return out
}
