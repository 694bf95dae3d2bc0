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

func main() {
	n := flag.Int("n", 2000000, "calls")
	wait := flag.Duration("wait", 0, "sleep this long before the loop")
	flag.Parse()
	time.Sleep(*wait)
	sum := 0
	start := time.Now()
	for i := 0; i < *n; i++ {
		sum += tiny(i, 2, "hello")
	}
	elapsed := time.Since(start)
	fmt.Printf("ns_per_call %.2f\n", float64(elapsed.Nanoseconds())/float64(*n))
	if sum == 42 {
		fmt.Println("unlikely")
	}
}
