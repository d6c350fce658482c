package fhir

import (
	"encoding/json"
	"time"
)

// Capabilities describes what a FHIR server offers; [CapabilityStatement]
// states exactly this and nothing more.
type Capabilities struct {
	// Date is when the statement was last changed (e.g. the build time).
	Date time.Time
	// Software and Version name the server software.
	Software, Version string
	// URL is the FHIR endpoint, e.g. "https://rapport.example/fhir/R4".
	URL string
	// Description says what the endpoint is for.
	Description string
	Resources   []ResourceCapability
	// SystemInteractions are whole-system interactions: "transaction",
	// "batch", "search-system", "history-system".
	SystemInteractions []string
}

// ResourceCapability is what the server offers for one resource type.
type ResourceCapability struct {
	Type string
	// Interactions are type-level codes: "read", "vread", "update",
	// "patch", "delete", "history-instance", "history-type", "create",
	// "search-type".
	Interactions []string
	SearchParams []SearchParam
}

// SearchParam is a search parameter the server understands.
type SearchParam struct {
	Name string
	// Type is number, date, string, token, reference, composite, quantity,
	// uri or special.
	Type          string
	Documentation string
}

// ServerCapabilities is what rapport's FHIR API supports: Patient read and
// search by identifier (token SYSTEM|VALUE) and phone (token, matched on
// the normalised E.164 number), Observation search by patient (the
// readings patients text), and transaction and batch Bundles POSTed at
// the root, which import their resources.
func ServerCapabilities(date time.Time, version, url string) Capabilities {
	return Capabilities{
		Date: date, Software: "rapport", Version: version, URL: url,
		Description: "rapport patient-engagement server: Patient read and search, Observation search; Bundle import by transaction or batch",
		Resources: []ResourceCapability{{
			Type:         "Patient",
			Interactions: []string{"read", "search-type"},
			SearchParams: []SearchParam{
				{Name: "identifier", Type: "token", Documentation: "A patient identifier, as SYSTEM|VALUE or VALUE"},
				{Name: "phone", Type: "token", Documentation: "A phone number, matched on its normalised E.164 form"},
			},
		}, {
			Type:         "Observation",
			Interactions: []string{"search-type"},
			SearchParams: []SearchParam{
				{Name: "patient", Type: "reference", Documentation: "The patient whose reported readings (blood pressure, glucose, weight, heart rate) to list, newest first, the latest 1000 values"},
			},
		}},
		SystemInteractions: []string{"transaction", "batch"},
	}
}

type codeOut struct {
	Code string `json:"code"`
}

type resourceCapOut struct {
	Type        string           `json:"type"`
	Interaction []codeOut        `json:"interaction,omitempty"`
	SearchParam []searchParamOut `json:"searchParam,omitempty"`
}

type capabilityOut struct {
	ResourceType   string             `json:"resourceType"`
	Status         string             `json:"status"`
	Date           string             `json:"date"`
	Kind           string             `json:"kind"`
	Software       *softwareOut       `json:"software,omitempty"`
	Implementation *implementationOut `json:"implementation,omitempty"`
	FHIRVersion    string             `json:"fhirVersion"`
	Format         []string           `json:"format"`
	Rest           []restOut          `json:"rest"`
}

type searchParamOut struct {
	Name          string `json:"name"`
	Type          string `json:"type"`
	Documentation string `json:"documentation,omitempty"`
}

type softwareOut struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

type implementationOut struct {
	Description string `json:"description"`
	URL         string `json:"url,omitempty"`
}

type restOut struct {
	Mode        string           `json:"mode"`
	Resource    []resourceCapOut `json:"resource,omitempty"`
	Interaction []codeOut        `json:"interaction,omitempty"`
}

// CapabilityStatement returns a FHIR R4 CapabilityStatement (status active,
// kind instance, fhirVersion 4.0.1, format json) for c.
func CapabilityStatement(c Capabilities) ([]byte, error) {
	out := capabilityOut{
		ResourceType: "CapabilityStatement", Status: "active", Kind: "instance",
		Date:        c.Date.UTC().Format(time.RFC3339),
		FHIRVersion: "4.0.1", Format: []string{"json", "application/fhir+json"},
	}
	if c.Software != "" {
		out.Software = &softwareOut{c.Software, c.Version}
	}
	if c.Description != "" || c.URL != "" {
		out.Implementation = &implementationOut{c.Description, c.URL}
		if c.Description == "" {
			out.Implementation.Description = c.Software
		}
	}
	out.Rest = []restOut{{Mode: "server"}}
	rest := &out.Rest[0]
	for _, r := range c.Resources {
		o := resourceCapOut{Type: r.Type}
		for _, i := range r.Interactions {
			o.Interaction = append(o.Interaction, codeOut{i})
		}
		for _, p := range r.SearchParams {
			o.SearchParam = append(o.SearchParam, searchParamOut{p.Name, p.Type, p.Documentation})
		}
		rest.Resource = append(rest.Resource, o)
	}
	for _, i := range c.SystemInteractions {
		rest.Interaction = append(rest.Interaction, codeOut{i})
	}
	return json.Marshal(out)
}
