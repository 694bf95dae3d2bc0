// bench: a tight loop over a tiny function, for bench/run.sh.
package main

import (
	"flag"
	"fmt"
	"time"
)

//go:noinline
func tiny(a int, b int, s string) int { return a + b + len(s) }

func main() {
	n := flag.Int("n", 1000000, "calls")
	flag.Parse()
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
