package kinderuntime

import (
	"context"
	"strings"

	"github.com/dop251/goja"
)

// NativeFunc implements a function of a native API. settings are those
// declared for the binding that installed the function; args are the JS
// arguments exported to Go values (undefined and null become nil, objects
// map[string]any, arrays []any). A returned error is thrown into JS as a
// GoError; the result is converted with goja's ToValue.
type NativeFunc func(ctx context.Context, settings BindingSettings, args []any) (any, error)

// NativeAPI is a named group of native functions and nested APIs, e.g.
// "kinde" with the function "fetch" and the nested API "env".
type NativeAPI struct {
	name  string
	funcs map[string]NativeFunc
	apis  map[string]*NativeAPI
}

func newNativeAPI(name string) *NativeAPI {
	return &NativeAPI{name: name, funcs: map[string]NativeFunc{}, apis: map[string]*NativeAPI{}}
}

// Func adds (or replaces) a function.
func (a *NativeAPI) Func(name string, fn NativeFunc) {
	a.funcs[name] = fn
}

// API returns the nested API with this name, creating it if needed.
func (a *NativeAPI) API(name string) *NativeAPI {
	if nested, ok := a.apis[name]; ok {
		return nested
	}
	nested := newNativeAPI(name)
	a.apis[name] = nested
	return nested
}

// HasPath reports whether a declared binding name selects anything from
// this API (the API's own name already stripped): "" selects the API's
// functions, "x" a function or nested API, "x.y" continues into nested API
// x. A function ends the path: anything after it is ignored.
func (a *NativeAPI) HasPath(path string) bool {
	head, rest, _ := strings.Cut(path, ".")
	if head == "" {
		return len(a.funcs) > 0
	}
	if _, ok := a.funcs[head]; ok {
		return true
	}
	if nested, ok := a.apis[head]; ok {
		return nested.HasPath(rest)
	}
	return false
}

// install puts onto holder what path selects from this API:
//
//   - "" installs the API's own functions (not its nested APIs);
//   - a function name installs that function and ignores the rest of the
//     path;
//   - a nested API name replaces holder[name] with a new empty object and
//     continues there with the rest of the path.
//
// A name that is both a function and a nested API ends up as the nested
// API's object. Unknown names install nothing.
func (a *NativeAPI) install(ctx context.Context, vm *goja.Runtime, holder *goja.Object, path string, settings BindingSettings) {
	head, rest, _ := strings.Cut(path, ".")
	if fn, ok := a.funcs[head]; ok {
		holder.Set(head, nativeValue(ctx, vm, fn, settings))
	}
	if head == "" {
		for name, fn := range a.funcs {
			holder.Set(name, nativeValue(ctx, vm, fn, settings))
		}
		return
	}
	if nested, ok := a.apis[head]; ok {
		object := vm.NewObject()
		holder.Set(head, object)
		nested.install(ctx, vm, object, rest, settings)
	}
}

// nativeValue wraps fn as a JS function. Going through goja's reflection
// wrapper of func(...any) (any, error) gives the argument export, error
// throwing and result conversion described on NativeFunc.
func nativeValue(ctx context.Context, vm *goja.Runtime, fn NativeFunc, settings BindingSettings) goja.Value {
	return vm.ToValue(func(args ...any) (any, error) {
		return fn(ctx, settings, args)
	})
}

// installNative handles one declared binding name against the native APIs:
// its first segment picks the API, whose global object is reused when an
// earlier binding created it and created otherwise (even if nothing below
// it matches, so declaring "kinde.unknown" leaves an empty global kinde).
func (rt *Runtime) installNative(ctx context.Context, vm *goja.Runtime, declared string, settings BindingSettings) {
	head, rest, _ := strings.Cut(declared, ".")
	api, ok := rt.apis[head]
	if !ok {
		return
	}
	holder, ok := vm.Get(head).(*goja.Object)
	if !ok {
		holder = vm.NewObject()
		vm.Set(head, holder)
	}
	api.install(ctx, vm, holder, rest, settings)
}
