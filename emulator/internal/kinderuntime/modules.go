package kinderuntime

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/dop251/goja"
	"github.com/dop251/goja_nodejs/require"
	nodeurl "github.com/dop251/goja_nodejs/url"
	nodeutil "github.com/dop251/goja_nodejs/util"
)

// Every VM gets a require() function. It resolves the built-in modules
// ("url", "util", also as "node:url", "node:util"), but loading any file,
// relative or from node_modules, fails: the loader refuses every path.
//
// Importing goja_nodejs's url and util packages registers them as core
// modules; "url" is also registered as a native module of each registry,
// which is how Kinde's runtime sets it up (so require("url") and
// require("node:url") are distinct module instances, as there).

// refuseFile is the source loader: no file is ever read.
func refuseFile(path string) ([]byte, error) {
	return nil, fmt.Errorf("not permitted to load file %v", path)
}

// newModuleRegistry returns the registry whose require() a VM gets.
func newModuleRegistry() *require.Registry {
	registry := require.NewRegistry(require.WithLoader(refuseFile))
	registry.RegisterNativeModule(nodeurl.ModuleName, nodeurl.Require)
	return registry
}

// requireModule loads a built-in module through the VM's own require().
func requireModule(vm *goja.Runtime, name string) goja.Value {
	return require.Require(vm, name)
}

// builtinBindings are the bindings the runtime implements itself, by
// declared name. Anything else is looked up among the native APIs.
var builtinBindings = map[string]func(vm *goja.Runtime, logger Logger){
	"console": installConsole,
	"url": func(vm *goja.Runtime, _ Logger) {
		nodeurl.Enable(vm) // globals URL and URLSearchParams
	},
	"util": func(vm *goja.Runtime, _ Logger) {
		vm.Set("util", requireModule(vm, nodeutil.ModuleName))
	},
	"module": func(vm *goja.Runtime, _ Logger) {
		vm.Set("module", vm.NewObject())
	},
}

// IsBuiltinBinding reports whether the runtime itself provides the binding
// with this declared name.
func IsBuiltinBinding(name string) bool {
	_, ok := builtinBindings[name]
	return ok
}

// consoleMethods maps console's methods to log levels; log and info are
// not told apart.
var consoleMethods = []struct {
	name  string
	level Level
}{
	{"log", LevelInfo},
	{"info", LevelInfo},
	{"debug", LevelDebug},
	{"warn", LevelWarn},
	{"error", LevelError},
}

// installConsole sets a fresh global console object. Each method hands its
// arguments, exported to Go values, to the logger and returns them (so in
// JS, console.log(...) evaluates to an array-like of its arguments).
func installConsole(vm *goja.Runtime, logger Logger) {
	console := vm.NewObject()
	for _, method := range consoleMethods {
		level := method.level
		console.Set(method.name, func(args ...any) (any, error) {
			if logger != nil {
				logger.Log(level, args...)
			}
			return args, nil
		})
	}
	vm.Set("console", console)
}

// searchParamsProbe identifies URLSearchParams objects once they have been
// exported to Go (as native functions receive their arguments) and turns
// them back into their form encoding. It owns a private VM, so it is
// locked.
var searchParamsProbe struct {
	once     sync.Once
	mu       sync.Mutex
	vm       *goja.Runtime
	typ      reflect.Type
	toString goja.Callable
}

func initSearchParamsProbe() {
	p := &searchParamsProbe
	vm := goja.New()
	newModuleRegistry().Enable(vm)
	nodeurl.Enable(vm)
	sample, err := vm.RunString("new URLSearchParams()")
	if err != nil {
		panic(fmt.Sprintf("kinderuntime: creating a URLSearchParams: %v", err))
	}
	proto := vm.Get("URLSearchParams").ToObject(vm).Get("prototype").ToObject(vm)
	toString, ok := goja.AssertFunction(proto.Get("toString"))
	if !ok {
		panic("kinderuntime: URLSearchParams.prototype.toString is not a function")
	}
	p.vm, p.typ, p.toString = vm, sample.ExportType(), toString
}

// FormEncoding reports whether v is an exported URLSearchParams object and,
// if so, returns what its toString() returns (application/x-www-form-urlencoded).
func FormEncoding(v any) (string, bool) {
	if v == nil {
		return "", false
	}
	p := &searchParamsProbe
	p.once.Do(initSearchParamsProbe)
	if reflect.TypeOf(v) != p.typ {
		return "", false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	encoded, err := p.toString(p.vm.ToValue(v))
	if err != nil {
		return "", false
	}
	return encoded.String(), true
}
