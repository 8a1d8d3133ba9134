package bench

import (
	"context"
	"fmt"
	"runtime"

	"kindewasm/emulator"
)

// path is one kind of sign-in.
type path struct {
	// name labels the rows ("early return").
	name string
	// want is the outcome every run must resolve with.
	want string
	// event is the sign-in against a provider.
	event func(p *provider) []byte
	// needsEmptyKinde gives every run a Kinde with no users (the migration).
	needsEmptyKinde bool
}

// paths are the sign-ins measured per provider.
var paths = []path{
	{name: "early return", want: outcomeEarlyReturn, event: func(p *provider) []byte { return signInEvent(p.email, p.password, true) }},
	{name: "rejected password", want: outcomeRejected, event: func(p *provider) []byte { return signInEvent(p.email, wrongPassword, false) }},
	{name: "full migration", want: outcomeMigrated, event: func(p *provider) []byte { return signInEvent(p.email, p.password, false) }, needsEmptyKinde: true},
}

// timing is one run's durations in milliseconds.
type timing struct {
	// total is the run's wall time (RunRecord.Timings.TotalMs).
	total float64
	// own is the execution minus the time inside native bindings.
	own float64
}

func timingOf(rec *emulator.RunRecord) timing {
	t := rec.Timings
	return timing{total: t.TotalMs, own: t.ExecuteMs - t.BindingMs}
}

// memory is what one run held and allocated, in bytes.
type memory struct {
	// held is the live heap when the run ended, its VM still alive, minus
	// the live heap before it (both after a collection).
	held float64
	// allocated is every byte allocated during the run, in the whole process.
	allocated float64
}

// runner runs sign-ins of both languages against running providers.
type runner struct {
	ctx     context.Context
	targets [2]*target
	// floor holds the floor workflows (unset when Config.Floor is false).
	floor [2]*target
	// kinde is the long-lived Management API peer for paths that do not
	// migrate (they must not call it).
	kindeURL string
	profile  emulator.Profile
}

// options for a run of path against p.
func (r *runner) options(p *provider, kindeURL string) emulator.Options {
	routes := append([]emulator.Route{{Host: kindeHost, Target: kindeURL}}, p.routes...)
	return emulator.Options{Profile: r.profile, Routes: routes}
}

// withKinde calls fn with the URL of the Management API peer a run of pa
// uses: a fresh one with no users for a migration (closed afterwards),
// else the long-lived one.
func (r *runner) withKinde(pa path, fn func(kindeURL string) error) error {
	if !pa.needsEmptyKinde {
		return fn(r.kindeURL)
	}
	kinde, err := startKinde()
	if err != nil {
		return err
	}
	defer kinde.Close()
	return fn(kinde.URL)
}

// once runs pa against p in one language, with opts adjusted by tune.
func (r *runner) once(lang language, p *provider, pa path, kindeURL string, tune func(*emulator.Options)) (*emulator.RunRecord, error) {
	opts := r.options(p, kindeURL)
	if tune != nil {
		tune(&opts)
	}
	rec, err := r.targets[lang].run(r.ctx, pa.event(p), p.workflowEnv(), opts, pa.want)
	if err != nil {
		return nil, fmt.Errorf("%s, %s: %w", pa.name, p.name, err)
	}
	return rec, nil
}

// timings runs warmup unmeasured runs of each language, then reps runs of
// each, interleaved and alternating which goes first, so noise on the
// machine falls on both alike.
func (r *runner) timings(p *provider, pa path, warmup, reps int, tune func(*emulator.Options)) ([2][]timing, error) {
	return interleave(warmup, reps, func(lang language) (*emulator.RunRecord, error) {
		return r.sample(lang, p, pa, tune)
	})
}

// sample is one run of pa against p in one language, against the Kinde
// peer that path needs (see withKinde).
func (r *runner) sample(lang language, p *provider, pa path, tune func(*emulator.Options)) (*emulator.RunRecord, error) {
	var rec *emulator.RunRecord
	err := r.withKinde(pa, func(kindeURL string) error {
		var err error
		rec, err = r.once(lang, p, pa, kindeURL, tune)
		return err
	})
	return rec, err
}

// interleave calls once for both sides of a comparison (the two languages,
// or two builds) warmup+reps times, alternating which goes first, and keeps
// the timings of all but the first warmup rounds, indexed by side.
func interleave[Side ~int](warmup, reps int, once func(side Side) (*emulator.RunRecord, error)) ([2][]timing, error) {
	var out [2][]timing
	for i := 0; i < warmup+reps; i++ {
		order := [2]Side{0, 1}
		if i%2 == 1 {
			order = [2]Side{1, 0}
		}
		for _, side := range order {
			rec, err := once(side)
			if err != nil {
				return out, err
			}
			if i >= warmup {
				out[side] = append(out[side], timingOf(rec))
			}
		}
	}
	return out, nil
}

// memories measures reps runs of each language (after one warm-up each):
// a collection before the run, and one in Options.AfterRun while the VM
// is alive.
func (r *runner) memories(p *provider, pa path, reps int) ([2][]memory, error) {
	var out [2][]memory
	for i := 0; i < 1+reps; i++ {
		for _, lang := range []language{rust, typeScript} {
			err := r.withKinde(pa, func(kindeURL string) error {
				var before, held, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				_, err := r.once(lang, p, pa, kindeURL, func(opts *emulator.Options) {
					opts.AfterRun = func() {
						runtime.GC()
						runtime.ReadMemStats(&held)
					}
				})
				runtime.ReadMemStats(&after)
				if err == nil && i > 0 {
					out[lang] = append(out[lang], memory{
						held:      float64(held.HeapAlloc) - float64(before.HeapAlloc),
						allocated: float64(after.TotalAlloc - before.TotalAlloc),
					})
				}
				return err
			})
			if err != nil {
				return out, err
			}
		}
	}
	return out, nil
}
