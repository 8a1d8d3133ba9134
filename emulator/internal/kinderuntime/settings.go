package kinderuntime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dop251/goja"
)

// SettingsExport is the export that holds a workflow's settings.
const SettingsExport = "workflowSettings"

// settingsTimeLimit bounds the top-level run that reads the settings.
const settingsTimeLimit = 30 * time.Second

// BindingSettings are the settings declared for one binding, e.g. the {}
// in bindings: {"kinde.fetch": {}}. A binding declared as null has nil
// settings.
type BindingSettings map[string]any

// Settings is what ReadSettings found.
type Settings struct {
	// Values is the whole workflowSettings object after a JSON round trip
	// (numbers are float64). Empty when the export is missing or had to
	// be dropped.
	Values map[string]any
	// Bindings is Values["bindings"] as declared binding name -> settings.
	Bindings map[string]BindingSettings
	// Dropped, when set, says why the settings were discarded as a whole:
	// Kinde silently treats such settings as empty.
	Dropped error
}

// ReadSettings runs the bundle's top-level code in a fresh VM that has
// require() and a module object but no bindings at all (no console, no
// kinde), then reads module.exports.workflowSettings. It fails when the
// code does not compile or throws, when there is no exports object, when
// the default export is missing or not a function, and when the settings
// export is neither an object nor undefined.
func ReadSettings(source []byte) (Settings, error) {
	program, err := compileBundle(source)
	if err != nil {
		return Settings{}, err
	}
	vm := goja.New()
	limit := startTimeLimit(context.Background(), vm, settingsTimeLimit)
	defer limit.stop()
	newModuleRegistry().Enable(vm)
	vm.SetTimeSource(time.Now)
	ensureModuleObject(vm)
	if _, err := vm.RunProgram(program); err != nil {
		return Settings{}, errors.New(err.Error())
	}

	var exported any
	var exportErr error
	err = guard(func() error {
		exports, err := moduleExports(vm)
		if err != nil {
			return err
		}
		if value := exports.Get(SettingsExport); value != nil {
			exported = value.Export()
		}
		exportErr = checkDefaultExport(exports)
		return nil
	})
	if err != nil {
		return Settings{}, err
	}
	if exportErr != nil {
		return Settings{}, exportErr
	}
	return decodeSettings(exported)
}

// checkDefaultExport requires the default export to be a function.
func checkDefaultExport(exports *goja.Object) error {
	value := exports.Get("default")
	if value == nil {
		return errNoDefault
	}
	if _, ok := goja.AssertFunction(value); !ok {
		return errDefaultNotCallable
	}
	return nil
}

// decodeSettings turns the exported settings into JSON values the way Kinde
// does: a round trip through encoding/json. Settings that do not survive
// it (a function or NaN anywhere, or bindings that are not an object of
// objects) are dropped as a whole.
func decodeSettings(exported any) (Settings, error) {
	if exported == nil {
		return Settings{Values: map[string]any{}}, nil
	}
	object, ok := exported.(map[string]any)
	if !ok {
		return Settings{}, fmt.Errorf("%s must be an object, got %T", SettingsExport, exported)
	}
	encoded, err := json.Marshal(object)
	if err != nil {
		return Settings{Dropped: fmt.Errorf("%s was ignored: it is not JSON-encodable: %v", SettingsExport, err)}, nil
	}
	var declared struct {
		Bindings map[string]BindingSettings `json:"bindings"`
	}
	if err := json.Unmarshal(encoded, &declared); err != nil {
		return Settings{Dropped: fmt.Errorf("%s was ignored: bindings must map names to objects: %v", SettingsExport, err)}, nil
	}
	var values map[string]any
	if err := json.Unmarshal(encoded, &values); err != nil {
		return Settings{Dropped: fmt.Errorf("%s was ignored: %v", SettingsExport, err)}, nil
	}
	return Settings{Values: values, Bindings: declared.Bindings}, nil
}
