package kinderuntime

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a Logger that keeps every call.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) Log(level Level, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf("%d %v", level, args))
}

// testRuntime has a kinde API shaped like the emulator's: kinde.fetch and
// kinde.env.{get,getEnvironmentVariable}. Each function returns its name,
// the settings it was installed with and its arguments; "fail" as the first
// argument makes it return an error.
func testRuntime() *Runtime {
	rt := New()
	fn := func(name string) NativeFunc {
		return func(_ context.Context, settings BindingSettings, args []any) (any, error) {
			if len(args) > 0 && args[0] == "fail" {
				return nil, errors.New(name + " failed")
			}
			return map[string]any{"fn": name, "settings": map[string]any(settings), "args": args}, nil
		}
	}
	kinde := rt.NativeAPI("kinde")
	kinde.Func("fetch", fn("fetch"))
	env := kinde.API("env")
	env.Func("get", fn("get"))
	env.Func("getEnvironmentVariable", fn("getEnvironmentVariable"))
	return rt
}

// cjs wraps a default export's source as the bundle a CommonJS build makes.
func cjs(defaultExport string) []byte {
	return []byte("module.exports = {default: " + defaultExport + "};")
}

func declare(names ...string) map[string]BindingSettings {
	bindings := map[string]BindingSettings{}
	for _, name := range names {
		bindings[name] = BindingSettings{"declaredAs": name}
	}
	return bindings
}

func execute(t *testing.T, rt *Runtime, call Call) (any, error) {
	t.Helper()
	if call.TimeLimit == 0 {
		call.TimeLimit = 5 * time.Second
	}
	if call.EntryPoint == "" {
		call.EntryPoint = "handle"
	}
	return rt.Execute(context.Background(), call)
}

// globalsProbe reports which bindings exist in the VM.
const globalsProbe = `async () => JSON.stringify({
	kinde: typeof kinde === "object" ? Object.keys(kinde).sort() : typeof kinde,
	env: typeof kinde === "object" && kinde.env ? Object.keys(kinde.env).sort() : null,
	console: typeof console,
	URL: typeof URL,
	URLSearchParams: typeof URLSearchParams,
	util: typeof util,
	require: typeof require,
	module: typeof module,
})`

func TestBindingsAreInstalledByDeclaredName(t *testing.T) {
	const none = `{"kinde":"undefined","env":null,"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`
	tests := []struct {
		declared []string
		want     string
	}{
		{nil, none},
		{[]string{"console"}, `{"kinde":"undefined","env":null,"console":"object","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`},
		{[]string{"url"}, `{"kinde":"undefined","env":null,"console":"undefined","URL":"function","URLSearchParams":"function","util":"undefined","require":"function","module":"object"}`},
		{[]string{"util", "module"}, `{"kinde":"undefined","env":null,"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"object","require":"function","module":"object"}`},
		// A bare API name installs its own functions, not its nested APIs.
		{[]string{"kinde"}, `{"kinde":["fetch"],"env":null,"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`},
		{[]string{"kinde.fetch"}, `{"kinde":["fetch"],"env":null,"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`},
		// A nested API name installs all of its functions.
		{[]string{"kinde.env"}, `{"kinde":["env"],"env":["get","getEnvironmentVariable"],"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`},
		{[]string{"kinde.env.get"}, `{"kinde":["env"],"env":["get"],"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`},
		{[]string{"kinde.fetch", "kinde.env"}, `{"kinde":["env","fetch"],"env":["get","getEnvironmentVariable"],"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`},
		// Bindings are installed in sorted order: "kinde.env.get" comes after
		// "kinde.env" and replaces kinde.env with an object holding only get.
		{[]string{"kinde.env.get", "kinde.env"}, `{"kinde":["env"],"env":["get"],"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`},
		// Anything after a function name is ignored.
		{[]string{"kinde.fetch.extra"}, `{"kinde":["fetch"],"env":null,"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`},
		// An unknown name below a known API still creates the API's global.
		{[]string{"kinde.secureFetch"}, `{"kinde":[],"env":null,"console":"undefined","URL":"undefined","URLSearchParams":"undefined","util":"undefined","require":"function","module":"object"}`},
		// Unknown top-level names and dotted built-in names install nothing.
		{[]string{"crypto", "console.log", "url.URL"}, none},
	}
	rt := testRuntime()
	for _, tt := range tests {
		t.Run(strings.Join(tt.declared, "+"), func(t *testing.T) {
			got, err := execute(t, rt, Call{Source: cjs(globalsProbe), Bindings: declare(tt.declared...)})
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("globals = %s\nwant      %s", got, tt.want)
			}
		})
	}
}

func TestProvides(t *testing.T) {
	rt := testRuntime()
	for name, want := range map[string]bool{
		"console": true, "url": true, "util": true, "module": true,
		"kinde": true, "kinde.fetch": true, "kinde.fetch.x": true, "kinde.env": true, "kinde.env.get": true,
		"kinde.env.set": false, "kinde.secureFetch": false, "crypto": false, "console.log": false,
	} {
		if got := rt.Provides(name); got != want {
			t.Errorf("Provides(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestNativeFunctionsGetSettingsAndExportedArgs(t *testing.T) {
	got, err := execute(t, testRuntime(), Call{
		Source:   cjs(`async () => { const r = kinde.env.get("K", {a: [1, "x"]}, undefined, null, 1.5); return [r.fn, r.settings.declaredAs, r.args] }`),
		Bindings: declare("kinde.env"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"get", "kinde.env", []any{"K", map[string]any{"a": []any{int64(1), "x"}}, nil, nil, 1.5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
}

func TestNativeErrorIsThrownAsGoError(t *testing.T) {
	rt := testRuntime()
	caught, err := execute(t, rt, Call{
		Source:   cjs(`async () => { try { kinde.fetch("fail") } catch (e) { return [String(e), e.name, e.message, e instanceof Error] } }`),
		Bindings: declare("kinde.fetch"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{"GoError: fetch failed", "GoError", "fetch failed", true}; !reflect.DeepEqual(caught, want) {
		t.Errorf("caught = %v, want %v", caught, want)
	}

	// Uncaught, the rejection's stack is the error text, without "GoError: ".
	_, err = execute(t, rt, Call{Source: cjs(`async () => kinde.fetch("fail")`), Bindings: declare("kinde.fetch")})
	if err == nil || !strings.HasPrefix(err.Error(), "fetch failed\n\tat ") || !strings.Contains(err.Error(), "at default (main:") {
		t.Errorf("err = %v", err)
	}
}

func TestUndeclaredConsoleIsAReferenceError(t *testing.T) {
	_, err := execute(t, testRuntime(), Call{Source: cjs(`async () => { console.log("hi") }`), Bindings: declare("kinde.fetch")})

	if err == nil || !strings.HasPrefix(err.Error(), "ReferenceError: console is not defined") {
		t.Errorf("err = %v", err)
	}
}

func TestConsoleLogsLevelsAndReturnsItsArguments(t *testing.T) {
	logs := &recorder{}
	got, err := execute(t, testRuntime(), Call{
		Source: cjs(`async () => {
			const r = console.log("a", 1, {b: true}, undefined);
			console.info("i"); console.debug("d"); console.warn("w"); console.error("e");
			return [Array.isArray(r), r.length, JSON.stringify(r)];
		}`),
		Bindings: declare("console"),
		Logger:   logs,
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{true, int64(4), `["a",1,{"b":true},null]`}; !reflect.DeepEqual(got, want) {
		t.Errorf("console.log returned %v, want %v", got, want)
	}
	want := []string{
		fmt.Sprintf("%d [a 1 map[b:true] <nil>]", LevelInfo),
		fmt.Sprintf("%d [i]", LevelInfo),
		fmt.Sprintf("%d [d]", LevelDebug),
		fmt.Sprintf("%d [w]", LevelWarn),
		fmt.Sprintf("%d [e]", LevelError),
	}
	if !reflect.DeepEqual(logs.lines, want) {
		t.Errorf("logs = %q\nwant   %q", logs.lines, want)
	}

	// Without a logger console still works.
	if _, err := execute(t, testRuntime(), Call{Source: cjs(`async () => console.log("x")`), Bindings: declare("console")}); err != nil {
		t.Error(err)
	}
}

func TestRequireLoadsBuiltinsButRefusesFiles(t *testing.T) {
	rt := testRuntime()
	got, err := execute(t, rt, Call{Source: cjs(`async () => {
		const url = require("url"), cached = url === require("url");
		const nodeURL = require("node:url"), util = require("util");
		return [typeof url.URL, typeof url.URLSearchParams, cached, url === nodeURL,
			util === require("node:util"), util.format("%s=%d %j", "a", 1, {x: 1})];
	}`)})
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{"function", "function", true, false, true, `a=1 {"x":1}`}; !reflect.DeepEqual(got, want) {
		t.Errorf("builtins = %v, want %v", got, want)
	}

	for spec, want := range map[string]string{
		"./helper.js":     "not permitted to load file helper.js",
		"../up":           "not permitted to load file ../up",
		"/etc/hostname":   "not permitted to load file /etc/hostname",
		"left-pad":        "not permitted to load file node_modules/left-pad",
		"node:fs":         "No such built-in module",
		"./package.json":  "not permitted to load file package.json",
		"./dir/index.mjs": "not permitted to load file dir/index.mjs",
	} {
		_, err := execute(t, rt, Call{Source: cjs(fmt.Sprintf(`async () => require(%q)`, spec))})
		if err == nil || !strings.HasPrefix(err.Error(), want+"\n") {
			t.Errorf("require(%q): err = %v, want %q", spec, err, want)
		}
	}
}

func TestTimeLimitInterruptsRunningCode(t *testing.T) {
	rt := testRuntime()
	for name, source := range map[string]string{
		"in the call":      `module.exports = {default: async () => { for (;;) {} }};`,
		"in the top level": `for (;;) {} module.exports = {default: async () => 1};`,
	} {
		t.Run(name, func(t *testing.T) {
			started := time.Now()
			_, err := rt.Execute(context.Background(), Call{Source: []byte(source), TimeLimit: 50 * time.Millisecond})
			if err == nil || !strings.HasPrefix(err.Error(), TimeExceeded+" at ") {
				t.Errorf("err = %v", err)
			}
			if elapsed := time.Since(started); elapsed < 50*time.Millisecond || elapsed > 2*time.Second {
				t.Errorf("stopped after %v", elapsed)
			}
		})
	}
}

func TestPendingPromiseEndsAtTimeLimit(t *testing.T) {
	started := time.Now()
	_, err := testRuntime().Execute(context.Background(), Call{
		Source:    cjs(`() => new Promise(() => {})`),
		TimeLimit: 50 * time.Millisecond,
	})
	if err == nil || err.Error() != TimeExceeded {
		t.Errorf("err = %v, want %q", err, TimeExceeded)
	}
	if elapsed := time.Since(started); elapsed < 50*time.Millisecond || elapsed > 2*time.Second {
		t.Errorf("stopped after %v", elapsed)
	}
}

func TestCancelledContextInterrupts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	_, err := testRuntime().Execute(ctx, Call{Source: cjs(`async () => { for (;;) {} }`), TimeLimit: 5 * time.Second})
	if err == nil || !strings.HasPrefix(err.Error(), Cancelled+" at ") {
		t.Errorf("err = %v", err)
	}
}

func TestPromiseOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		def        string
		arg        any
		want       any
		wantErr    string
		errIsExact bool
	}{
		{name: "async value", def: `async (e) => { let n = 0; for (const x of e.xs) n += await Promise.resolve(x); return {n, s: "ok"} }`,
			arg: map[string]any{"xs": []any{1, 2, 3}}, want: map[string]any{"n": int64(6), "s": "ok"}},
		{name: "resolved promise", def: `() => Promise.resolve([1, "a", null])`, want: []any{int64(1), "a", nil}},
		{name: "string rejection", def: `() => Promise.reject("nope")`, wantErr: "nope", errIsExact: true},
		{name: "object rejection", def: `() => Promise.reject({code: 1})`, wantErr: "[object Object]", errIsExact: true},
		{name: "stack property wins", def: `() => Promise.reject({stack: "GoError: custom stack"})`, wantErr: "custom stack", errIsExact: true},
		{name: "null rejection", def: `() => Promise.reject(null)`, wantErr: "TypeError: Cannot convert undefined or null to object", errIsExact: true},
		{name: "error rejection has the JS stack", def: `async () => { throw new RangeError("boom") }`, wantErr: "RangeError: boom\n\tat default (main:1:"},
		{name: "synchronous throw", def: `() => { throw new Error("sync") }`, wantErr: "Error: sync at default (main:1:"},
		{name: "not a promise", def: `() => 42`, wantErr: "interface conversion: interface {} is int64, not *goja.Promise", errIsExact: true},
		{name: "undefined is not a promise", def: `() => {}`, wantErr: "interface conversion: interface {} is nil, not *goja.Promise", errIsExact: true},
		// The method is called with this undefined, which sloppy mode turns
		// into the global object.
		{name: "entry point method", def: `{handle(e) { return Promise.resolve([this === globalThis, e.id]) }}`,
			arg: map[string]any{"id": "x"}, want: []any{true, "x"}},
		{name: "object without the entry point", def: `{run() {}}`, wantErr: "could not find default exported function handle", errIsExact: true},
		{name: "entry point that is not a function", def: `{handle: 1}`, wantErr: "the default export's handle is not a function", errIsExact: true},
	}
	rt := testRuntime()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := execute(t, rt, Call{Source: cjs(tt.def), Args: []any{tt.arg}})
			if tt.wantErr != "" {
				switch {
				case err == nil:
					t.Fatalf("resolved with %v, want error %q", got, tt.wantErr)
				case tt.errIsExact && err.Error() != tt.wantErr,
					!tt.errIsExact && !strings.HasPrefix(err.Error(), tt.wantErr):
					t.Errorf("err = %q, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, %v; want %#v", got, err, tt.want)
			}
		})
	}

	if _, err := execute(t, rt, Call{Source: []byte(`module.exports = {}`)}); err == nil || err.Error() != "no default export" {
		t.Errorf("no default: err = %v", err)
	}
}

func TestProgramsAreCompiledOncePerBundle(t *testing.T) {
	rt := testRuntime()
	a, b := cjs(`async () => "a"`), cjs(`async () => "b"`)
	for _, source := range [][]byte{a, b, a, append([]byte(nil), a...)} {
		if _, err := execute(t, rt, Call{Source: source}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(rt.programs); n != 2 {
		t.Errorf("%d programs cached, want 2", n)
	}
	if _, err := execute(t, rt, Call{Source: []byte("module.exports = {")}); err == nil || !strings.HasPrefix(err.Error(), "error parsing") {
		t.Errorf("syntax error: %v", err)
	}
	if n := len(rt.programs); n != 2 {
		t.Errorf("a failed compilation was cached (%d programs)", n)
	}
}

func TestStackIsSourceMapped(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"Workflow.ts": `export const workflowSettings = {id: "x"};

function explode(): never {
  throw new Error("mapped");
}

export default async function () {
  explode();
}
`})
	bundle := BundleWorkflow(filepath.Join(dir, "Workflow.ts"))
	if len(bundle.Errors) > 0 {
		t.Fatal(bundle.Errors)
	}

	_, err := execute(t, testRuntime(), Call{Source: bundle.Source})
	if err == nil || !strings.Contains(err.Error(), "at explode (../Workflow.ts:4:") {
		t.Errorf("err = %v, want a frame in ../Workflow.ts", err)
	}
}

func TestFormEncoding(t *testing.T) {
	got, err := execute(t, testRuntime(), Call{
		Source:   cjs(`async () => kinde.fetch(new URLSearchParams({b: "1 2", a: "&"}), new URL("https://example.com/p?q=1")).args`),
		Bindings: declare("kinde.fetch", "url"),
	})
	if err != nil {
		t.Fatal(err)
	}
	args := got.([]any)
	if form, ok := FormEncoding(args[0]); !ok || form != "b=1+2&a=%26" {
		t.Errorf("FormEncoding(URLSearchParams) = %q, %v", form, ok)
	}
	if href, ok := args[1].(fmt.Stringer); !ok || href.String() != "https://example.com/p?q=1" {
		t.Errorf("URL exported as %#v", args[1])
	}
	for _, other := range []any{nil, "a=1", map[string]any{}, args[1]} {
		if _, ok := FormEncoding(other); ok {
			t.Errorf("FormEncoding(%#v) claimed a URLSearchParams", other)
		}
	}
}
