package bench

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Machine describes the computer a benchmark ran on.
type Machine struct {
	CPUs     int     `json:"cpus"`
	CPUModel string  `json:"cpuModel"`
	MemoryGB float64 `json:"memoryGB"`
	OS       string  `json:"os"`
	Go       string  `json:"go"`
}

// String is one line: "2 × Intel(R) Xeon(R) Processor, 23.4 GB RAM, linux/amd64, go1.26".
func (m Machine) String() string {
	return fmt.Sprintf("%d × %s, %.1f GB RAM, %s, %s", m.CPUs, m.CPUModel, m.MemoryGB, m.OS, m.Go)
}

// thisMachine reads the CPU model and memory from /proc where there is one.
func thisMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), CPUModel: "unknown CPU", OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if model := procField("/proc/cpuinfo", "model name"); model != "" {
		m.CPUModel = model
	}
	if total := procField("/proc/meminfo", "MemTotal"); total != "" {
		if kb, err := strconv.ParseFloat(strings.TrimSuffix(total, " kB"), 64); err == nil {
			m.MemoryGB = kb / (1 << 20)
		}
	}
	return m
}

// procField is the value of the first "name: value" line of a /proc file.
func procField(file, name string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		key, value, ok := strings.Cut(scanner.Text(), ":")
		if ok && strings.TrimSpace(key) == name {
			return strings.TrimSpace(value)
		}
	}
	return ""
}
