package bench

import (
	"reflect"
	"testing"
)

func TestSummariseInterpolatesPercentiles(t *testing.T) {
	samples := []float64{9, 1, 5, 3, 7} // sorted: 1 3 5 7 9
	got := Summarise(samples)
	want := Stats{N: 5, Median: 5, P95: 8.6, Q1: 3, Q3: 7, Min: 1, Max: 9}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Summarise = %+v, want %+v", got, want)
	}
	if samples[0] != 9 {
		t.Error("Summarise sorted its argument")
	}
	if got := Summarise([]float64{2, 4}); got.Median != 3 || got.P95 != 3.9 {
		t.Errorf("two samples: %+v", got)
	}
	if got := Summarise(nil); got.N != 0 {
		t.Errorf("no samples: %+v", got)
	}
	if got := Single(42); got.Median != 42 || got.P95 != 42 || got.N != 1 {
		t.Errorf("Single = %+v", got)
	}
}
