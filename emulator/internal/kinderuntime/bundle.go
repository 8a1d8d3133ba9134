package kinderuntime

import (
	"path/filepath"

	"github.com/evanw/esbuild/pkg/api"
)

// Bundle is esbuild's result for one workflow entry.
type Bundle struct {
	// Source is the first output file (nil when there was none).
	Source []byte
	// Hash is esbuild's hash of Source.
	Hash string
	// Outputs is how many output files esbuild produced; Kinde supports one.
	Outputs int
	// Errors are esbuild's error messages.
	Errors []api.Message
}

// buildOptions are the esbuild options Kinde bundles a workflow with. The
// entry is given relative to its own directory, which is the working
// directory; the output directory name only shows in the source map's
// relative source paths ("../Workflow.ts").
func buildOptions(entry string) api.BuildOptions {
	return api.BuildOptions{
		AbsWorkingDir: filepath.Dir(entry),
		EntryPoints:   []string{filepath.Base(entry)},
		Outdir:        "output",
		Write:         false,

		Bundle:           true,
		Format:           api.FormatCommonJS,
		Target:           api.ESNext,
		Platform:         api.PlatformDefault,
		Sourcemap:        api.SourceMapInline,
		SourcesContent:   api.SourcesContentInclude,
		MinifyWhitespace: true,
		MinifySyntax:     true,
		TreeShaking:      api.TreeShakingTrue,
		LegalComments:    api.LegalCommentsNone,
		Charset:          api.CharsetUTF8,
		LogLevel:         api.LogLevelSilent,
		Loader: map[string]api.Loader{
			".js":  api.LoaderJS,
			".jsx": api.LoaderJSX,
			".ts":  api.LoaderTS,
			".tsx": api.LoaderTSX,
		},
	}
}

// BundleWorkflow bundles the entry file (an absolute path) with Kinde's
// esbuild options.
func BundleWorkflow(entry string) Bundle {
	result := api.Build(buildOptions(entry))
	bundle := Bundle{Outputs: len(result.OutputFiles), Errors: result.Errors}
	if len(result.OutputFiles) > 0 {
		first := result.OutputFiles[0]
		bundle.Source = first.Contents
		bundle.Hash = first.Hash
	}
	return bundle
}
