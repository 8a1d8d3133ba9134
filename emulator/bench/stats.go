package bench

import (
	"math"
	"sort"
)

// Stats summarises samples of one measurement.
type Stats struct {
	// N is the number of samples.
	N int `json:"n"`
	// Median, P95, Q1 (25th) and Q3 (75th percentile), Min and Max.
	Median float64 `json:"median"`
	P95    float64 `json:"p95"`
	Q1     float64 `json:"q1"`
	Q3     float64 `json:"q3"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Summarise computes Stats of samples (which it does not modify); percentiles
// interpolate linearly between the closest ranks. No samples give N = 0.
func Summarise(samples []float64) Stats {
	if len(samples) == 0 {
		return Stats{}
	}
	sorted := append([]float64(nil), samples...)
	sort.Float64s(sorted)
	return Stats{
		N:      len(sorted),
		Median: percentile(sorted, 0.5),
		P95:    percentile(sorted, 0.95),
		Q1:     percentile(sorted, 0.25),
		Q3:     percentile(sorted, 0.75),
		Min:    sorted[0],
		Max:    sorted[len(sorted)-1],
	}
}

// Single is the Stats of one exact value (a size, a build time).
func Single(value float64) Stats { return Summarise([]float64{value}) }

// percentile of sorted samples at q in [0, 1].
func percentile(sorted []float64, q float64) float64 {
	rank := q * float64(len(sorted)-1)
	low := int(math.Floor(rank))
	high := int(math.Ceil(rank))
	return sorted[low] + (sorted[high]-sorted[low])*(rank-float64(low))
}
