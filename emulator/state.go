package emulator

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/dop251/goja"

	"kindewasm/emulator/internal/kinderuntime"
)

// undefined is what a native function returns for JS undefined.
var undefined = goja.Undefined()

type runStateKey struct{}

// runState is what the bindings of one run read and record. Access is
// locked because an abandoned (timed-out) request may still be finishing.
type runState struct {
	env          map[string]string
	secrets      map[string]bool
	localization map[string]string
	redact       *redactor
	routes       []compiledRoute
	profile      Profile
	secureKey    []byte
	client       *http.Client
	deadline     time.Time
	clock        bindingClock

	mu       sync.Mutex
	logs     []LogEntry
	requests []RequestRecord
	actions  []Action
	claims   map[string]map[string]any
	lookups  []CacheLookup
}

// Log implements kinderuntime.Logger; the console binding calls it.
// Secret values are masked in every line.
func (s *runState) Log(level kinderuntime.Level, params ...any) {
	entry := LogEntry{Level: levelName(level), Message: s.redact.text(formatLogArgs(params))}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logs = append(s.logs, entry)
}

func (s *runState) addRequest(req RequestRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

func (s *runState) addAction(kind string, args []any) {
	if args == nil {
		args = []any{}
	}
	action := Action{Kind: kind, Args: s.redact.value(args)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.actions = append(s.actions, action)
}

// addLookup records a cache lookup and returns its index for updates.
func (s *runState) addLookup(l CacheLookup) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lookups = append(s.lookups, l)
	return len(s.lookups) - 1
}

func (s *runState) updateLookup(i int, update func(*CacheLookup)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	update(&s.lookups[i])
}

// fillRecord copies what was recorded so far into rec.
func (s *runState) fillRecord(rec *RunRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Logs = append([]LogEntry{}, s.logs...)
	rec.Requests = append([]RequestRecord{}, s.requests...)
	rec.Actions = append([]Action{}, s.actions...)
	rec.CacheLookups = append([]CacheLookup(nil), s.lookups...)
	for token, claims := range s.claims {
		if rec.Claims == nil {
			rec.Claims = map[string]map[string]json.RawMessage{}
		}
		masked := map[string]json.RawMessage{}
		for name, value := range claims {
			if isSensitiveName(name) {
				masked[name] = json.RawMessage(`"` + Redacted + `"`)
			} else {
				masked[name] = s.redact.value(value)
			}
		}
		rec.Claims[token] = masked
	}
}

// bindingClock adds up the time spent inside native bindings. Nested
// bindings count once; a binding that calls back into JS suspends the
// clock for the callback.
type bindingClock struct {
	depth   int
	started time.Time
	total   time.Duration
}

func (c *bindingClock) enter() {
	if c.depth == 0 {
		c.started = time.Now()
	}
	c.depth++
}

func (c *bindingClock) exit() {
	c.depth--
	if c.depth == 0 {
		c.total += time.Since(c.started)
	}
}

// suspend stops counting until resume; it returns the depth to restore.
func (c *bindingClock) suspend() int {
	depth := c.depth
	for c.depth > 0 {
		c.exit()
	}
	return depth
}

func (c *bindingClock) resume(depth int) {
	for c.depth < depth {
		c.enter()
	}
}
