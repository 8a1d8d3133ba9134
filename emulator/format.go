package emulator

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// FormatRecord writes a human-readable account of a run: the outcome,
// the logs, one line per request with its status, the actions, claims,
// cache lookups, warnings and timings. Sections with nothing to show are
// left out.
func FormatRecord(w io.Writer, rec *RunRecord) error {
	p := &printer{w: w}
	p.line("workflow %s (profile %s)", rec.WorkflowID, rec.Profile)
	switch {
	case rec.Resolved():
		p.line("outcome: resolved %s", rec.Outcome.Value)
	case rec.Outcome.TimedOut:
		p.line("outcome: rejected (timed out) %s", rec.Outcome.Error)
	default:
		p.line("outcome: rejected %s", rec.Outcome.Error)
	}
	if stack := strings.TrimSpace(rec.Outcome.Stack); strings.Contains(stack, "\n") {
		section(p, "stack", strings.Split(stack, "\n"), func(line string) string { return strings.TrimSpace(line) })
	}
	section(p, "logs", rec.Logs, func(l LogEntry) string { return fmt.Sprintf("[%s] %s", l.Level, l.Message) })
	section(p, "requests", rec.Requests, formatRequest)
	section(p, "actions", rec.Actions, func(a Action) string { return fmt.Sprintf("%s %s", a.Kind, a.Args) })
	section(p, "claims", sortedKeys(rec.Claims), func(token string) string {
		encoded, _ := marshalCompact(rec.Claims[token])
		return fmt.Sprintf("%s %s", token, encoded)
	})
	section(p, "cache", rec.CacheLookups, formatLookup)
	section(p, "warnings", rec.Warnings, func(s string) string { return s })
	if t := rec.Timings; t != nil {
		p.line("timings: total %.1f ms, compile %.1f ms, execute %.1f ms (bindings %.1f ms)", t.TotalMs, t.CompileMs, t.ExecuteMs, t.BindingMs)
	}
	return p.err
}

// formatRequest renders one request as
// "POST https://host/path -> 200 (routed to http://127.0.0.1:1/path) [encrypted]".
func formatRequest(r RequestRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s -> ", r.Method, r.URL)
	if r.Status != 0 {
		fmt.Fprintf(&b, "%d", r.Status)
	} else {
		b.WriteString("no answer")
	}
	if r.RoutedTo != "" {
		fmt.Fprintf(&b, " (routed to %s)", r.RoutedTo)
	}
	if r.Encrypted {
		b.WriteString(" [encrypted]")
	}
	if r.Binding != "" && r.Binding != "fetch" {
		fmt.Fprintf(&b, " [%s]", r.Binding)
	}
	if r.Error != "" {
		fmt.Fprintf(&b, ": %s", firstLine(r.Error))
	}
	return b.String()
}

// formatLookup renders one kinde.cache.jwtToken call.
func formatLookup(l CacheLookup) string {
	s := fmt.Sprintf("jwtToken %s: %s", l.Key, l.Result)
	if l.Refreshed {
		s += ", refreshed"
	}
	if l.Error != "" {
		s += ", refresh failed: " + firstLine(l.Error)
	}
	return s
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// printer writes lines and keeps the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// section prints a heading and one indented line per item, if any.
func section[T any](p *printer, title string, items []T, render func(T) string) {
	if len(items) == 0 {
		return
	}
	p.line("%s:", title)
	for _, item := range items {
		p.line("  %s", render(item))
	}
}
