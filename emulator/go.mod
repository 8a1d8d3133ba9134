module kindewasm/emulator

go 1.26

require (
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/dop251/goja v0.0.0-20240919115326-6c7d1df7ff05
	github.com/dop251/goja_nodejs v0.0.0-20240728170619-29b559befffc
	github.com/evanw/esbuild v0.24.0
	github.com/getkin/kin-openapi v0.153.0
)

require (
	github.com/aws/smithy-go v1.28.9 // indirect
	github.com/go-openapi/jsonpointer v0.22.5 // indirect
	github.com/go-openapi/swag/jsonname v0.25.5 // indirect
	github.com/gorilla/mux v1.8.0 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	go.yaml.in/yaml/v4 v4.0.0 // indirect
)

// Indirect dependencies at the versions Kinde's runtime (v0.1.17) is built
// with, so that regular expressions (regexp2) and URL host handling
// (x/net/idna, x/text) behave as there.
require (
	github.com/dlclark/regexp2 v1.11.4 // indirect
	github.com/go-sourcemap/sourcemap v2.1.4+incompatible // indirect
	github.com/google/pprof v0.0.0-20240910150728-a0b0bb1d4134 // indirect
	golang.org/x/net v0.29.0 // indirect
	golang.org/x/sys v0.25.0 // indirect
	golang.org/x/text v0.18.0 // indirect
)
