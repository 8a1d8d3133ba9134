package kinderuntime

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// stepKey carries a step's name in its context.
type stepKey struct{}

func TestExecuteSequenceKeepsStateAndGivesEachStepItsContextAndLogger(t *testing.T) {
	rt := New()
	rt.NativeAPI("kinde").Func("step", func(ctx context.Context, _ BindingSettings, _ []any) (any, error) {
		return ctx.Value(stepKey{}), nil
	})
	source := []byte(`let n = 0; module.exports = {default: async (e) => { n++; console.log(e.tag, n); return kinde.step() + ":" + n; }};`)
	logs := []*recorder{{}, {}}
	steps := make([]Step, 2)
	for i, name := range []string{"first", "second"} {
		steps[i] = Step{Ctx: context.WithValue(context.Background(), stepKey{}, name), Args: []any{map[string]any{"tag": name}}, Logger: logs[i]}
	}
	var started []int

	results := rt.ExecuteSequence(Call{
		Source: source, Bindings: declare("console", "kinde"), TimeLimit: 5 * time.Second,
		BeforeStep: func(i int) { started = append(started, i) },
	}, steps)

	got := []any{results[0].Value, results[1].Value}
	if !reflect.DeepEqual(got, []any{"first:1", "second:2"}) || results[0].Err != nil || results[1].Err != nil {
		t.Errorf("results = %+v", results)
	}
	if !reflect.DeepEqual(logs[0].lines, []string{"0 [first 1]"}) || !reflect.DeepEqual(logs[1].lines, []string{"0 [second 2]"}) {
		t.Errorf("logs = %v / %v", logs[0].lines, logs[1].lines)
	}
	if !reflect.DeepEqual(started, []int{0, 1}) || results[0].Duration <= 0 {
		t.Errorf("BeforeStep calls = %v, durations %v %v", started, results[0].Duration, results[1].Duration)
	}
}

func TestExecuteSequenceClearsTheInterruptAfterATimeout(t *testing.T) {
	source := cjs(`async (e) => { if (e.spin) { for (;;) {} } return "done"; }`)
	steps := []Step{
		{Ctx: context.Background(), Args: []any{map[string]any{"spin": true}}},
		{Ctx: context.Background(), Args: []any{map[string]any{}}},
	}

	results := New().ExecuteSequence(Call{Source: source, TimeLimit: 50 * time.Millisecond, EntryPoint: "handle"}, steps)

	if results[0].Err == nil || !strings.HasPrefix(results[0].Err.Error(), TimeExceeded) {
		t.Errorf("first step = %+v, want the time limit", results[0])
	}
	if results[1].Err != nil || results[1].Value != "done" {
		t.Errorf("second step = %+v, want it to run normally", results[1])
	}
}

func TestExecuteSequenceReportsASetupErrorForEveryStep(t *testing.T) {
	steps := []Step{{Ctx: context.Background()}, {Ctx: context.Background()}}
	results := New().ExecuteSequence(Call{Source: []byte(`throw new Error("top")`), TimeLimit: time.Second}, steps)
	for i, r := range results {
		if r.Err == nil || !strings.Contains(r.Err.Error(), "Error: top") {
			t.Errorf("step %d = %+v", i, r)
		}
	}
}

func TestJSErrorIsThrownAsAPlainError(t *testing.T) {
	rt := New()
	rt.NativeAPI("kinde").Func("fail", func(context.Context, BindingSettings, []any) (any, error) {
		return nil, &JSError{Message: "HTTP 500"}
	})
	source := cjs(`async () => { try { kinde.fail(); } catch (e) { return [e instanceof Error, e.name, e.message, String(e)]; } }`)

	got, err := execute(t, rt, Call{Source: source, Bindings: declare("kinde")})

	want := []any{true, "Error", "HTTP 500", "Error: HTTP 500"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
}

func TestCallbackFunctionsSeeJSValues(t *testing.T) {
	rt := New()
	rt.NativeAPI("kinde").Callback("twice", func(_ context.Context, vm *goja.Runtime, _ BindingSettings, call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			panic(vm.NewTypeError("not a function"))
		}
		first, err := fn(goja.Undefined())
		if err != nil {
			panic(err)
		}
		second, err := fn(goja.Undefined())
		if err != nil {
			panic(err)
		}
		return vm.ToValue(first.ToInteger() + second.ToInteger())
	})
	source := cjs(`async () => { let n = 0; const sum = kinde.twice(() => ++n); let msg = ""; try { kinde.twice(1); } catch (e) { msg = e.message; } return [sum, msg]; }`)

	got, err := execute(t, rt, Call{Source: source, Bindings: declare("kinde")})

	if want := []any{int64(3), "not a function"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, %v; want %v", got, err, want)
	}
}
