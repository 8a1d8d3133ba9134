package kinderuntime

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja_nodejs/require"
)

// Messages the time limit and cancellation interrupt the VM with.
const (
	TimeExceeded = "execution time exceeded"
	Cancelled    = "execution cancelled by user"
)

// Error texts for a default export that cannot be called (the same texts
// Kinde's runtime reports).
var (
	errNoDefault          = errors.New("no default export")
	errDefaultNotCallable = errors.New("no default function exported")
)

// pollInterval is how often Execute looks at the returned Promise.
const pollInterval = time.Millisecond

// Level is a console log level.
type Level int

// Console levels (console.log and console.info are both LevelInfo).
const (
	LevelInfo Level = iota
	LevelDebug
	LevelWarn
	LevelError
)

// Logger receives console calls with their arguments exported to Go.
type Logger interface {
	Log(level Level, args ...any)
}

// Runtime executes bundles. It owns the native APIs that declared bindings
// can select and a cache of compiled programs, keyed by the bundle's
// content. It is safe for concurrent use once the native APIs are set up.
type Runtime struct {
	apis    map[string]*NativeAPI
	modules *require.Registry

	mu       sync.Mutex
	programs map[[sha256.Size]byte]*goja.Program
}

// New returns a Runtime with no native APIs.
func New() *Runtime {
	return &Runtime{
		apis:     map[string]*NativeAPI{},
		modules:  newModuleRegistry(),
		programs: map[[sha256.Size]byte]*goja.Program{},
	}
}

// NativeAPI returns the top-level native API with this name (the name of
// the global it lives in), creating it if needed. Set APIs up before the
// first Execute.
func (rt *Runtime) NativeAPI(name string) *NativeAPI {
	if api, ok := rt.apis[name]; ok {
		return api
	}
	api := newNativeAPI(name)
	rt.apis[name] = api
	return api
}

// Provides reports whether a declared binding name installs anything: a
// built-in binding, or a path that selects something from a native API.
func (rt *Runtime) Provides(declared string) bool {
	if IsBuiltinBinding(declared) {
		return true
	}
	head, rest, _ := strings.Cut(declared, ".")
	api, ok := rt.apis[head]
	return ok && api.HasPath(rest)
}

// Call describes one execution.
type Call struct {
	// Source is the CommonJS bundle.
	Source []byte
	// SourceKey is sha256(Source), computed once when the bundle was made;
	// zero means "hash Source now". Kinde compiles a bundle once, so the
	// lookup of the compiled program must not cost every execution a hash of
	// the whole bundle.
	SourceKey [sha256.Size]byte
	// Bindings are the declared bindings; nothing else is installed.
	Bindings map[string]BindingSettings
	// TimeLimit interrupts the VM when it runs out (it includes setting
	// up the VM and running the top level). Zero interrupts at once.
	TimeLimit time.Duration
	// EntryPoint is the method called when the default export is an object
	// rather than a function.
	EntryPoint string
	// Args are converted with goja's ToValue and passed to the default
	// export (Execute only).
	Args []any
	// Logger receives console output (may be nil; Execute only).
	Logger Logger
	// BeforeStep, when set, is called with the step's index as each step
	// of ExecuteSequence starts (for the first, before VM setup).
	BeforeStep func(step int)
	// AfterStep, when set, is called with the step's index once the step
	// has ended (its Promise settled or it failed), while the VM is still
	// alive; the step's Duration does not include it. Benchmarks measure
	// the memory a run holds here.
	AfterStep func(step int)
	// FreshCompile compiles the bundle for this call instead of using (or
	// filling) the cache of compiled programs: what a first execution
	// costs.
	FreshCompile bool
}

// Step is one call of the default export in ExecuteSequence.
type Step struct {
	// Ctx is what native functions get during this step; when it ends,
	// the step is interrupted with Cancelled.
	Ctx context.Context
	// Args are converted with goja's ToValue and passed to the default
	// export.
	Args []any
	// Logger receives this step's console output (may be nil).
	Logger Logger
}

// Result is how one step ended: Value is the fulfilled value exported to
// Go, Err the error text described on Execute.
type Result struct {
	Value any
	Err   error
	// Duration is the step's wall time (the first step's includes VM
	// setup and the top level).
	Duration time.Duration
}

// Execute runs the bundle in a fresh VM: install the declared bindings
// (built-in ones first, then native APIs; each group in sorted name order),
// run the top level, call the default export (or its EntryPoint method)
// with Args and `this` undefined, and wait for the Promise it must return,
// looking at it every millisecond. The result is the fulfilled value
// exported to Go.
//
// The error is, for a rejection, the reason's "stack" property when it has
// one, else the reason converted to a string (with "GoError: " removed);
// for anything thrown synchronously (including the time limit's interrupt,
// "execution time exceeded at ..."), the exception text. When the time limit
// passes or ctx ends while the Promise is pending, Execute stops waiting and
// returns TimeExceeded or Cancelled.
func (rt *Runtime) Execute(ctx context.Context, call Call) (any, error) {
	results := rt.ExecuteSequence(call, []Step{{Ctx: ctx, Args: call.Args, Logger: call.Logger}})
	return results[0].Value, results[0].Err
}

// ExecuteSequence is Execute for several calls in ONE VM: the bindings are
// installed and the top level runs once, then the default export is
// called once per step, in order, each waiting for its Promise as Execute
// does. Kinde uses a fresh VM per execution; this exists to test that
// state kept between calls (such as a module instance) recovers after a
// failure. Every step has its own time limit of call.TimeLimit (the
// first one also covers VM setup and the top level). call.Args and
// call.Logger are not used. When setup fails, every step reports its
// error.
func (rt *Runtime) ExecuteSequence(call Call, steps []Step) []Result {
	results := make([]Result, len(steps))
	if len(steps) == 0 {
		return results
	}
	beforeStep := call.BeforeStep
	if beforeStep == nil {
		beforeStep = func(int) {}
	}
	beforeStep(0)
	started := time.Now()
	s := &session{current: steps[0]}
	vm := goja.New()
	limit := startTimeLimit(steps[0].Ctx, vm, call.TimeLimit)
	setupErr := rt.setup(vm, call, s)
	for i, step := range steps {
		if i > 0 {
			beforeStep(i)
			started = time.Now()
			vm.ClearInterrupt()
			s.current = step
			limit = startTimeLimit(step.Ctx, vm, call.TimeLimit)
		}
		if setupErr != nil {
			results[i] = Result{Err: setupErr}
		} else {
			results[i] = runStep(vm, call.EntryPoint, step.Args, limit)
		}
		limit.stop()
		results[i].Duration = time.Since(started)
		if call.AfterStep != nil {
			call.AfterStep(i)
		}
	}
	// The VM must outlive AfterStep, which may look at the memory it holds.
	runtime.KeepAlive(vm)
	return results
}

// session is what the functions installed in a sequence's VM consult to
// find the step in progress.
type session struct {
	current Step
}

func (s *session) context() context.Context { return s.current.Ctx }

// Log forwards console output to the current step's logger.
func (s *session) Log(level Level, args ...any) {
	if s.current.Logger != nil {
		s.current.Logger.Log(level, args...)
	}
}

// setup installs the declared bindings and runs the bundle's top level.
func (rt *Runtime) setup(vm *goja.Runtime, call Call, s *session) error {
	rt.modules.Enable(vm)
	vm.SetTimeSource(time.Now)

	names := make([]string, 0, len(call.Bindings))
	for name := range call.Bindings {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if install, ok := builtinBindings[name]; ok {
			install(vm, s)
		}
	}
	for _, name := range names {
		rt.installNative(s.context, vm, name, call.Bindings[name])
	}
	ensureModuleObject(vm)

	program, err := rt.program(call.Source, call.SourceKey, call.FreshCompile)
	if err != nil {
		return err
	}
	if _, err := vm.RunProgram(program); err != nil {
		return errors.New(err.Error())
	}
	return nil
}

// runStep calls the default export once and waits for its Promise.
func runStep(vm *goja.Runtime, entryPoint string, args []any, limit *timeLimit) Result {
	var result any
	err := guard(func() error {
		promise, err := callDefault(vm, entryPoint, args)
		if err != nil {
			return err
		}
		result, err = settle(vm, promise, limit)
		return err
	})
	return Result{Value: result, Err: err}
}

// program compiles the bundle, or returns the program compiled earlier for
// the same content (key is its hash, or zero to hash it here); fresh
// compiles it and leaves the cache alone.
func (rt *Runtime) program(source []byte, key [sha256.Size]byte, fresh bool) (*goja.Program, error) {
	if fresh {
		return compileBundle(source)
	}
	if key == ([sha256.Size]byte{}) {
		key = sha256.Sum256(source)
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if program, ok := rt.programs[key]; ok {
		return program, nil
	}
	program, err := compileBundle(source)
	if err != nil {
		return nil, err
	}
	rt.programs[key] = program
	return program, nil
}

// compileBundle parses the bundle as the script "main" (goja reads the
// inline source map, so stack traces point into the original sources) and
// compiles it in sloppy mode.
func compileBundle(source []byte) (*goja.Program, error) {
	parsed, err := goja.Parse("main", string(source))
	if err != nil {
		return nil, fmt.Errorf("error parsing %w", err)
	}
	program, err := goja.CompileAST(parsed, false)
	if err != nil {
		return nil, fmt.Errorf("error compiling %w", err)
	}
	return program, nil
}

// ensureModuleObject gives the VM a global module object unless a binding
// already did: a CommonJS bundle assigns module.exports.
func ensureModuleObject(vm *goja.Runtime) {
	if vm.Get("module") == nil {
		vm.Set("module", vm.NewObject())
	}
}

// moduleExports returns module.exports as an object.
func moduleExports(vm *goja.Runtime) (*goja.Object, error) {
	exports := vm.Get("module").ToObject(vm).Get("exports")
	if exports == nil {
		return nil, errors.New("no exports found")
	}
	return exports.ToObject(vm), nil
}

// callDefault calls the default export and returns the Promise it returned.
func callDefault(vm *goja.Runtime, entryPoint string, callArgs []any) (*goja.Promise, error) {
	exports, err := moduleExports(vm)
	if err != nil {
		return nil, err
	}
	exported := exports.Get("default")
	if exported == nil {
		return nil, errNoDefault
	}
	fn, ok := goja.AssertFunction(exported)
	if !ok {
		method := exported.ToObject(vm).Get(entryPoint)
		if method == nil {
			return nil, fmt.Errorf("could not find default exported function %s", entryPoint)
		}
		if fn, ok = goja.AssertFunction(method); !ok {
			return nil, fmt.Errorf("the default export's %s is not a function", entryPoint)
		}
	}
	args := make([]goja.Value, len(callArgs))
	for i, arg := range callArgs {
		args[i] = vm.ToValue(arg)
	}
	returned, err := fn(nil, args...)
	if err != nil {
		return nil, errors.New(err.Error())
	}
	promise, ok := returned.Export().(*goja.Promise)
	if !ok {
		return nil, notAPromise(returned.Export())
	}
	return promise, nil
}

// notAPromise words the failure like the type assertion Kinde's runtime
// makes on the returned value.
func notAPromise(got any) error {
	if got == nil {
		return errors.New("interface conversion: interface {} is nil, not *goja.Promise")
	}
	return fmt.Errorf("interface conversion: interface {} is %T, not *goja.Promise", got)
}

// settle waits for the promise. goja runs promise jobs before returning
// from a call, so without native asynchrony a promise that is pending here
// stays pending; the loop then ends when the time limit or ctx does.
func settle(vm *goja.Runtime, promise *goja.Promise, limit *timeLimit) (any, error) {
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	for {
		switch promise.State() {
		case goja.PromiseStateRejected:
			return nil, errors.New(rejectionText(vm, promise.Result()))
		case goja.PromiseStateFulfilled:
			return promise.Result().Export(), nil
		}
		select {
		case <-limit.fired:
			return nil, errors.New(limit.reason)
		case <-ticker.C:
		}
	}
}

// rejectionText is the error text for a rejection reason: its stack
// property when it has one, else its string conversion, in both cases
// without "GoError: ". A null or undefined reason cannot be converted to
// an object; the resulting TypeError is what guard reports.
func rejectionText(vm *goja.Runtime, reason goja.Value) string {
	plain := strings.ReplaceAll(reason.String(), "GoError: ", "")
	if stack := reason.ToObject(vm).Get("stack"); stack != nil {
		return strings.ReplaceAll(fmt.Sprintf("%v", stack.Export()), "GoError: ", "")
	}
	return plain
}

// guard runs fn and turns a panic (such as goja's TypeError when a value
// cannot be converted to an object) into an error with the panic's text.
func guard(fn func() error) (err error) {
	defer func() {
		if recovered := recover(); recovered != nil {
			err = fmt.Errorf("%v", recovered)
		}
	}()
	return fn()
}

// timeLimit interrupts a VM when its time is up or its context ends.
type timeLimit struct {
	fired  chan struct{} // closed after reason is set
	done   chan struct{} // closed by stop
	exited chan struct{} // closed when the goroutine returns
	reason string
}

func startTimeLimit(ctx context.Context, vm *goja.Runtime, d time.Duration) *timeLimit {
	limit := &timeLimit{fired: make(chan struct{}), done: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		defer close(limit.exited)
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-limit.done:
			return
		case <-ctx.Done():
			limit.reason = Cancelled
		case <-timer.C:
			limit.reason = TimeExceeded
		}
		vm.Interrupt(limit.reason)
		close(limit.fired)
	}()
	return limit
}

// stop releases the limit's goroutine and waits for it, so that no
// interrupt arrives afterwards; it must be called once.
func (l *timeLimit) stop() {
	close(l.done)
	<-l.exited
}
