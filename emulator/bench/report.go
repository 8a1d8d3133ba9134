package bench

import (
	"fmt"
	"io"
	"strings"
)

// Report is the result of a benchmark run: one row per measurement.
type Report struct {
	// Machine describes where it ran.
	Machine Machine `json:"machine"`
	// Settings summarises the Config (repetitions, profile).
	Settings string `json:"settings"`
	// Rows in table order.
	Rows []Row `json:"rows"`
}

// Row is one measurement of both languages.
type Row struct {
	// Name says what is measured and its unit ("full migration, auth0: own time (ms)").
	Name string `json:"name"`
	// Rust is the Rust drip-feed's measurement.
	Rust Stats `json:"rust"`
	// TS is the reference's, nil when it has no counterpart (cargo builds).
	TS *Stats `json:"ts,omitempty"`
	// Goal is the target this row is held against, if any.
	Goal *Goal `json:"goal,omitempty"`
}

// Ratio is Rust's median over the reference's (0 without a reference).
func (r Row) Ratio() float64 {
	if r.TS == nil || r.TS.Median == 0 {
		return 0
	}
	return r.Rust.Median / r.TS.Median
}

// Goal is a target from issue 5 and whether this run met it.
type Goal struct {
	Text string `json:"text"`
	Met  bool   `json:"met"`
}

// goalRatio is "Rust ≤ limit × TS".
func goalRatio(limit float64) func(Row) *Goal {
	return func(r Row) *Goal {
		return &Goal{Text: fmt.Sprintf("≤ %.1f× TS", limit), Met: r.TS != nil && r.Rust.Median <= limit*r.TS.Median}
	}
}

// goalWithin is "Rust ≤ TS + margin".
func goalWithin(margin float64, unit string) func(Row) *Goal {
	return func(r Row) *Goal {
		return &Goal{Text: fmt.Sprintf("≤ TS + %g %s", margin, unit), Met: r.TS != nil && r.Rust.Median <= r.TS.Median+margin}
	}
}

// goalAtMost is "Rust ≤ limit".
func goalAtMost(limit float64, unit string) func(Row) *Goal {
	return func(r Row) *Goal {
		return &Goal{Text: fmt.Sprintf("≤ %g %s", limit, unit), Met: r.Rust.Median <= limit}
	}
}

// Columns of the table WriteTable prints.
var Columns = []string{
	"measurement", "Rust median", "Rust p95", "Rust IQR", "TS median", "TS p95", "TS IQR", "Rust/TS", "n", "goal",
}

// WriteTable prints the report as a Markdown table (with a header saying
// where and how it ran).
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %s\n", r.Machine)
	fmt.Fprintf(&b, "Settings: %s\n\n", r.Settings)
	b.WriteString("| " + strings.Join(Columns, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat(" --- |", len(Columns)) + "\n")
	for _, row := range r.Rows {
		cells := []string{row.Name}
		cells = append(cells, statCells(&row.Rust)...)
		cells = append(cells, statCells(row.TS)...)
		ratio, n := "—", fmt.Sprint(row.Rust.N)
		if row.TS != nil {
			ratio = fmt.Sprintf("%.2f×", row.Ratio())
			n = fmt.Sprintf("%d/%d", row.Rust.N, row.TS.N)
		}
		goal := ""
		if row.Goal != nil {
			verdict := "not met"
			if row.Goal.Met {
				verdict = "met"
			}
			goal = row.Goal.Text + ": " + verdict
		}
		cells = append(cells, ratio, n, goal)
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// statCells are the median, p95 and IQR cells of s ("—" for what is not
// there: no TS counterpart, or a single value).
func statCells(s *Stats) []string {
	if s == nil {
		return []string{"—", "—", "—"}
	}
	if s.N == 1 {
		return []string{number(s.Median), "—", "—"}
	}
	return []string{number(s.Median), number(s.P95), number(s.Q1) + "–" + number(s.Q3)}
}

// number prints a value with three significant decimals for small ones.
func number(v float64) string {
	switch {
	case v >= 100 || v <= -100:
		return fmt.Sprintf("%.1f", v)
	case v >= 10 || v <= -10:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}
