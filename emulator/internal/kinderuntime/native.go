package kinderuntime

import (
	"context"
	"errors"
	"strings"

	"github.com/dop251/goja"
)

// NativeFunc implements a function of a native API. settings are those
// declared for the binding that installed the function; args are the JS
// arguments exported to Go values (undefined and null become nil, objects
// map[string]any, arrays []any). A returned *JSError is thrown into JS as a
// plain Error; any other error as a GoError. The result is converted with
// goja's ToValue (return goja.Undefined() for undefined).
type NativeFunc func(ctx context.Context, settings BindingSettings, args []any) (any, error)

// CallbackFunc implements a native function that works on JS values
// directly, for functions that call back into JS or return Promises. It
// throws by panicking with a goja value (e.g. vm.NewGoError(err)).
type CallbackFunc func(ctx context.Context, vm *goja.Runtime, settings BindingSettings, call goja.FunctionCall) goja.Value

// JSError is an error that a NativeFunc wants thrown as a plain JS Error
// (instanceof Error, name "Error") rather than as a GoError.
type JSError struct {
	// Message becomes the Error's message.
	Message string
}

// Error returns the message.
func (e *JSError) Error() string { return e.Message }

// contextOf returns the context of the call in progress; native functions
// read it when they are called, so one VM can serve several calls.
type contextOf func() context.Context

// funcMaker turns a registered function into the JS value installed in a VM.
type funcMaker func(ctx contextOf, vm *goja.Runtime, settings BindingSettings) goja.Value

// NativeAPI is a named group of native functions and nested APIs, e.g.
// "kinde" with the function "fetch" and the nested API "env".
type NativeAPI struct {
	name  string
	funcs map[string]funcMaker
	apis  map[string]*NativeAPI
}

func newNativeAPI(name string) *NativeAPI {
	return &NativeAPI{name: name, funcs: map[string]funcMaker{}, apis: map[string]*NativeAPI{}}
}

// Func adds (or replaces) a function.
func (a *NativeAPI) Func(name string, fn NativeFunc) {
	a.funcs[name] = func(ctx contextOf, vm *goja.Runtime, settings BindingSettings) goja.Value {
		return nativeValue(ctx, vm, fn, settings)
	}
}

// Callback adds (or replaces) a function that works on JS values.
func (a *NativeAPI) Callback(name string, fn CallbackFunc) {
	a.funcs[name] = func(ctx contextOf, vm *goja.Runtime, settings BindingSettings) goja.Value {
		return vm.ToValue(func(call goja.FunctionCall) goja.Value {
			return fn(ctx(), vm, settings, call)
		})
	}
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
func (a *NativeAPI) install(ctx contextOf, vm *goja.Runtime, holder *goja.Object, path string, settings BindingSettings) {
	head, rest, _ := strings.Cut(path, ".")
	if build, ok := a.funcs[head]; ok {
		holder.Set(head, build(ctx, vm, settings))
	}
	if head == "" {
		for name, build := range a.funcs {
			holder.Set(name, build(ctx, vm, settings))
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
// throwing and result conversion described on NativeFunc; a *JSError is
// thrown as a plain Error instead.
func nativeValue(ctx contextOf, vm *goja.Runtime, fn NativeFunc, settings BindingSettings) goja.Value {
	return vm.ToValue(func(args ...any) (any, error) {
		result, err := fn(ctx(), settings, args)
		var jsErr *JSError
		if errors.As(err, &jsErr) {
			panic(NewError(vm, jsErr.Message))
		}
		return result, err
	})
}

// NewError creates a plain JS Error with this message in vm.
func NewError(vm *goja.Runtime, message string) goja.Value {
	ctor, ok := goja.AssertConstructor(vm.Get("Error"))
	if !ok {
		return vm.ToValue(message)
	}
	obj, err := ctor(nil, vm.ToValue(message))
	if err != nil {
		return vm.ToValue(message)
	}
	return obj
}

// installNative handles one declared binding name against the native APIs:
// its first segment picks the API, whose global object is reused when an
// earlier binding created it and created otherwise (even if nothing below
// it matches, so declaring "kinde.unknown" leaves an empty global kinde).
func (rt *Runtime) installNative(ctx contextOf, vm *goja.Runtime, declared string, settings BindingSettings) {
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
