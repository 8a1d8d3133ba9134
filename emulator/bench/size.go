package bench

import (
	"bytes"
	"compress/gzip"
	"errors"
)

// sourceMapMarker starts the inline source map esbuild appends (Kinde bundles
// with Sourcemap: Inline).
var sourceMapMarker = []byte("\n//# sourceMappingURL=data:application/json;base64,")

// withoutSourceMap is the bundle without its inline source map: everything
// before the marker line, which esbuild puts last.
func withoutSourceMap(bundle []byte) ([]byte, error) {
	at := bytes.LastIndex(bundle, sourceMapMarker)
	if at < 0 {
		return nil, errors.New("the bundle has no inline source map (Kinde bundles with one)")
	}
	return bundle[:at+1], nil
}

// gzipSize is the size of data compressed by gzip at its default level.
func gzipSize(data []byte) (int, error) {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	if _, err := w.Write(data); err != nil {
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return out.Len(), nil
}
