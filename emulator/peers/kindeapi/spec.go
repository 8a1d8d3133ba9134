package kindeapi

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// managementAPISpec is Kinde's Management API OpenAPI document (MIT, see
// spec/LICENSE-management-api).
//
//go:embed spec/management-api.yaml
var managementAPISpec []byte

// apiSpec is the parsed specification and a router over its paths. It is
// read-only after loading and shared by every server of the process.
type apiSpec struct {
	doc    *openapi3.T
	router routers.Router
}

var (
	loadedSpecOnce sync.Once
	loadedSpec     *apiSpec
	loadedSpecErr  error
)

// specification parses the embedded document once per process.
func specification() (*apiSpec, error) {
	loadedSpecOnce.Do(func() {
		loadedSpec, loadedSpecErr = parseSpec(managementAPISpec)
	})
	return loadedSpec, loadedSpecErr
}

// parseSpec loads and checks an OpenAPI document and builds a router that
// matches its paths on any host: the document's servers name
// `https://{subdomain}.kinde.com`, the peer listens on loopback.
func parseSpec(data []byte) (*apiSpec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("kindeapi: parse the Management API spec: %w", err)
	}
	// The spec's own examples are not all valid (e.g. a date-time example
	// without minutes in its offset); they play no part in validation.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("kindeapi: the Management API spec is invalid: %w", err)
	}
	doc.Servers = nil
	for _, item := range doc.Paths.Map() {
		item.Servers = nil
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("kindeapi: route the Management API spec: %w", err)
	}
	return &apiSpec{doc: doc, router: router}, nil
}
