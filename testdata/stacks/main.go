// stacks: for --stack and --stats. -n N calls work(i) exactly N times;
// work fails (a non-nil error) when i is a multiple of -fail-every. Then
// leaf is called once through inlined, a caller the compiler inlines into
// outer: its frame exists only in the inline tree.
package main

import (
	"errors"
	"flag"
	"fmt"
	"time"
)

var errOdd = errors.New("multiple of fail-every")

//go:noinline
func work(i, failEvery int) (int, error) {
	if failEvery > 0 && i%failEvery == 0 {
		return 0, errOdd
	}
	return i * 2, nil
}

//go:noinline
func leaf(x int) int { return x*3 + 1 }

// small enough to be inlined into outer
func inlined(x int) int { return leaf(x + 1) }

//go:noinline
func outer(x int) int { return inlined(x) + 2 }

func main() {
	n := flag.Int("n", 1000, "calls of work")
	failEvery := flag.Int("fail-every", 7, "work fails for multiples of this")
	wait := flag.Duration("wait", 0, "sleep this long first")
	flag.Parse()
	time.Sleep(*wait)
	failed, sum := 0, 0
	for i := 0; i < *n; i++ {
		v, err := work(i, *failEvery)
		if err != nil {
			failed++
		}
		sum += v
	}
	fmt.Printf("calls %d failed %d sum %d outer %d\n", *n, failed, sum, outer(5))
}
