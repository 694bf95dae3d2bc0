// bench: a tight loop over a tiny function, for bench/run.sh and the
// end-to-end tests. -wait delays the loop, so that a tracer can attach to the
// running process (-p) before the first call.
package main

import (
	"flag"
	"fmt"
	"time"
)

//go:noinline
func tiny(a int, b int, s string) int { return a + b + len(s) }

// Three float arguments, in X0-X2: gotrace reads them from a signal frame.
// Its first instruction compares, and so overwrites none of them.
//
//go:noinline
func tinyf(a, b, c float64) float64 {
	if a < b {
		return b + c
	}
	return a + c
}

// A 40-entry map and a 3-deep error chain (two %w wraps around a custom
// error): values whose shape only the run decides, captured whole.
//
//go:noinline
func shapes(m map[int]string, err error) int { return len(m) + len(err.Error()) }

type codeErr struct {
	Code int
	Msg  string
}

func (e *codeErr) Error() string { return e.Msg }

func main() {
	n := flag.Int("n", 2000000, "calls")
	floats := flag.Bool("floats", false, "call tinyf(a, b, c float64) instead")
	shaped := flag.Bool("shapes", false, "call shapes(map of 40, 3-deep error chain) instead")
	wait := flag.Duration("wait", 0, "sleep this long before the loop")
	flag.Parse()
	time.Sleep(*wait)
	m := make(map[int]string, 40)
	for i := 0; i < 40; i++ {
		m[i] = fmt.Sprintf("value-%d", i)
	}
	chain := fmt.Errorf("outer: %w", fmt.Errorf("middle: %w", &codeErr{Code: 7, Msg: "boom"}))
	sum := 0
	start := time.Now()
	fsum := 0.0
	if *shaped {
		for i := 0; i < *n; i++ {
			sum += shapes(m, chain)
		}
	} else if *floats {
		for i := 0; i < *n; i++ {
			fsum += tinyf(float64(i), 2.5, -0.5)
		}
	} else {
		for i := 0; i < *n; i++ {
			sum += tiny(i, 2, "hello")
		}
	}
	elapsed := time.Since(start)
	fmt.Printf("ns_per_call %.2f\n", float64(elapsed.Nanoseconds())/float64(*n))
	if sum == 42 || fsum == 42 {
		fmt.Println("unlikely")
	}
}
