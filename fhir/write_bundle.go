package fhir

import (
	"encoding/json"
	"strings"

	"github.com/rapporthq/rapport"
)

// Entry is one resource of a Bundle: its absolute URL and its JSON.
type Entry struct {
	FullURL  string
	Resource json.RawMessage
}

// PatientEntry returns p as a bundle entry: its [PatientResource] JSON and
// the fullUrl base + "/Patient/" + id (base is the FHIR endpoint, e.g.
// "https://rapport.example/fhir/R4"; a trailing slash is ignored).
func PatientEntry(p *rapport.Patient, base string) (Entry, error) {
	res, err := PatientResource(p)
	if err != nil {
		return Entry{}, err
	}
	return Entry{FullURL: strings.TrimRight(base, "/") + "/Patient/" + string(p.ID), Resource: res}, nil
}

// Searchset is a page of search results.
type Searchset struct {
	// Self is the URL of this search; Next, when set, of the next page.
	Self, Next string
	// Total is the number of matches across all pages.
	Total   int
	Entries []Entry
}

type linkOut struct {
	Relation string `json:"relation"`
	URL      string `json:"url"`
}

type searchEntryOut struct {
	FullURL  string          `json:"fullUrl,omitempty"`
	Resource json.RawMessage `json:"resource"`
	Search   struct {
		Mode string `json:"mode"`
	} `json:"search"`
}

type bundleOut struct {
	ResourceType string           `json:"resourceType"`
	Type         string           `json:"type"`
	Total        int              `json:"total"`
	Link         []linkOut        `json:"link,omitempty"`
	Entry        []searchEntryOut `json:"entry,omitempty"`
}

// SearchsetBundle returns a FHIR R4 Bundle of type searchset: total, the
// self (and next) links, and each entry with its fullUrl, resource and
// search.mode "match". It fails only when an entry's resource is not JSON.
func SearchsetBundle(s Searchset) ([]byte, error) {
	out := bundleOut{ResourceType: "Bundle", Type: "searchset", Total: max(s.Total, 0)}
	if s.Self != "" {
		out.Link = append(out.Link, linkOut{Relation: "self", URL: s.Self})
	}
	if s.Next != "" {
		out.Link = append(out.Link, linkOut{Relation: "next", URL: s.Next})
	}
	for _, e := range s.Entries {
		o := searchEntryOut{FullURL: e.FullURL, Resource: e.Resource}
		o.Search.Mode = "match"
		out.Entry = append(out.Entry, o)
	}
	return json.Marshal(out)
}
