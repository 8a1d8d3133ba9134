package emulator

import (
	"fmt"
	"strings"
)

// Profile fixes the kinde.fetch behaviour that Kinde does not document:
// what a response object holds and what happens on a non-2xx status. The
// zero Profile is minimal-return.
type Profile struct {
	// Shape is what kinde.fetch and kinde.secureFetch return.
	Shape ResultShape
	// NonSuccess is what happens when the status is not 2xx.
	NonSuccess NonSuccessPolicy
}

// ResultShape is the shape of a kinde.fetch answer.
type ResultShape int

const (
	// ShapeMinimal returns {json, text}, all that Kinde documents.
	ShapeMinimal ResultShape = iota
	// ShapeFull also returns status, ok and headers (a plain object of
	// lower-cased header names, repeated values joined with ", ").
	ShapeFull
)

// NonSuccessPolicy is what kinde.fetch does with a non-2xx answer.
type NonSuccessPolicy int

const (
	// NonSuccessReturn returns the answer as for a 2xx status.
	NonSuccessReturn NonSuccessPolicy = iota
	// NonSuccessThrow throws a JS Error whose message is
	// "kinde.fetch: HTTP <status> from <METHOD> <url>: <body text>"
	// (the body truncated to 2 KiB).
	NonSuccessThrow
)

// String returns "minimal" or "full".
func (s ResultShape) String() string {
	if s == ShapeFull {
		return "full"
	}
	return "minimal"
}

// String returns "return" or "throw".
func (p NonSuccessPolicy) String() string {
	if p == NonSuccessThrow {
		return "throw"
	}
	return "return"
}

// Name is the profile's stable name, "<shape>-<policy>", e.g.
// "minimal-return" or "full-throw".
func (p Profile) Name() string {
	return p.Shape.String() + "-" + p.NonSuccess.String()
}

// AllProfiles returns every profile, in a fixed order: minimal-return,
// minimal-throw, full-return, full-throw.
func AllProfiles() []Profile {
	return []Profile{
		{ShapeMinimal, NonSuccessReturn},
		{ShapeMinimal, NonSuccessThrow},
		{ShapeFull, NonSuccessReturn},
		{ShapeFull, NonSuccessThrow},
	}
}

// ParseProfile returns the profile with this name (see Profile.Name).
func ParseProfile(name string) (Profile, error) {
	var names []string
	for _, p := range AllProfiles() {
		if p.Name() == name {
			return p, nil
		}
		names = append(names, p.Name())
	}
	return Profile{}, fmt.Errorf("unknown profile %q: want one of %s", name, strings.Join(names, ", "))
}
