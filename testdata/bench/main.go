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

func main() {
	n := flag.Int("n", 2000000, "calls")
	floats := flag.Bool("floats", false, "call tinyf(a, b, c float64) instead")
	wait := flag.Duration("wait", 0, "sleep this long before the loop")
	flag.Parse()
	time.Sleep(*wait)
	sum := 0
	start := time.Now()
	fsum := 0.0
	if *floats {
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
