package emulator

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"kindewasm/emulator/internal/kinderuntime"
)

// levelName maps console log levels to console method names.
func levelName(level kinderuntime.Level) string {
	switch level {
	case kinderuntime.LevelDebug:
		return "debug"
	case kinderuntime.LevelWarn:
		return "warn"
	case kinderuntime.LevelError:
		return "error"
	case kinderuntime.LevelInfo:
		return "info"
	default:
		return fmt.Sprintf("level(%d)", level)
	}
}

// formatLogArgs joins console arguments with spaces, as console does:
// strings as they are, everything else as JSON. The console binding hands
// over goja-exported values, so undefined and null both arrive as nil ("null"),
// Error objects (no enumerable properties) arrive as "{}" and functions
// are shown as "[Function]".
func formatLogArgs(args []any) string {
	parts := make([]string, len(args))
	for i, arg := range args {
		parts[i] = formatLogArg(arg)
	}
	return strings.Join(parts, " ")
}

func formatLogArg(arg any) string {
	if s, ok := arg.(string); ok {
		return s
	}
	if arg != nil && reflect.TypeOf(arg).Kind() == reflect.Func {
		return "[Function]"
	}
	encoded, err := json.Marshal(arg)
	if err != nil {
		return fmt.Sprint(arg)
	}
	return string(encoded)
}
