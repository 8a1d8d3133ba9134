package bench

import (
	"strings"
	"testing"
)

func TestWithoutSourceMapCutsTheLastMapLine(t *testing.T) {
	code := "var a=1;\n//# sourceMappingURL=data:application/json;base64,notlast\nvar b=2;\n"
	bundle := code + "//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==\n"
	got, err := withoutSourceMap([]byte(bundle))
	if err != nil || string(got) != code {
		t.Errorf("withoutSourceMap = %q, %v; want %q", got, err, code)
	}
	if _, err := withoutSourceMap([]byte("var a=1;\n")); err == nil || !strings.Contains(err.Error(), "no inline source map") {
		t.Errorf("a bundle without a map: %v", err)
	}
}

func TestGzipSizeShrinksRepetitiveData(t *testing.T) {
	data := []byte(strings.Repeat("kinde workflow ", 1000))
	n, err := gzipSize(data)
	if err != nil || n <= 0 || n >= len(data)/10 {
		t.Errorf("gzipSize of %d repetitive bytes = %d, %v", len(data), n, err)
	}
}
