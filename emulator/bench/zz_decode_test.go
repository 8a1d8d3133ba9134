//go:build zzprof

package bench

import (
	"testing"
	"time"

	"github.com/dop251/goja"
)

func TestZZDecode(t *testing.T) {
	src := `
const mem = new Uint8Array(65536);
const text = "providedEmail hashedPassword kindeDomain user-agent Mozilla/5.0 https://example.com/api/v1/users?email=ada%40example.com";
for (let i = 0; i < text.length; i++) mem[i] = text.charCodeAt(i);
function current(p, n) {
  const view = mem.subarray(p, p + n);
  let latin1 = "";
  for (let i = 0; i < view.length; i += 8192) latin1 += String.fromCharCode.apply(null, view.subarray(i, i + 8192));
  if (!/[\x80-\xff]/.test(latin1)) return latin1;
  return decodeURIComponent(escape(latin1));
}
function loop(p, n) {
  let s = "";
  for (let i = p; i < p + n; i++) { const c = mem[i]; if (c > 127) return current(p, n); s += String.fromCharCode(c); }
  return s;
}
function noRegex(p, n) {
  const view = mem.subarray(p, p + n);
  const latin1 = String.fromCharCode.apply(null, view);
  for (let i = p; i < p + n; i++) if (mem[i] > 127) return decodeURIComponent(escape(latin1));
  return latin1;
}
function sub1(p, n) {
  const view = mem.subarray(p, p + n);
  const latin1 = view.length <= 8192 ? String.fromCharCode.apply(null, view) : "";
  if (!/[\x80-\xff]/.test(latin1)) return latin1;
  return decodeURIComponent(escape(latin1));
}
function subOnly(p, n) { return mem.subarray(p, p + n); }
function applyOnly(p, n) { return String.fromCharCode.apply(null, VIEW); }
const VIEW = mem.subarray(0, 12);
const RE = /[\x80-\xff]/;
function regexOnly(p, n) { return RE.test("providedEmail"); }
const ARR = [];
function arr(p, n) {
  let any = 0;
  ARR.length = n;
  for (let i = 0; i < n; i++) { const c = mem[p + i]; any |= c; ARR[i] = c; }
  const latin1 = String.fromCharCode.apply(null, ARR);
  return any < 128 ? latin1 : decodeURIComponent(escape(latin1));
}
function run(f, n) { let x; for (let k = 0; k < 1000; k++) x = f(k & 7, n); return x; }
`
	for _, n := range []int{5, 12, 30, 100} {
		for _, f := range []string{"current", "sub1", "subOnly", "applyOnly", "regexOnly", "arr"} {
			vm := goja.New()
			if _, err := vm.RunString(src); err != nil {
				t.Fatal(err)
			}
			run, _ := goja.AssertFunction(vm.Get("run"))
			fn := vm.Get(f)
			run(nil, fn, vm.ToValue(n))
			start := time.Now()
			for r := 0; r < 5; r++ {
				run(nil, fn, vm.ToValue(n))
			}
			t.Logf("n=%d %s: %.2f µs/call", n, f, float64(time.Since(start).Microseconds())/5000)
		}
	}
}
