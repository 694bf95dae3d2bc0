// bench: a tight loop over a tiny function, for bench/run.sh and the
// end-to-end tests. -wait delays the loop, so that a tracer can attach to the
// running process (-p) before the first call.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
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

// A handler's request, as the web server's handler gets it: a value whose
// default capture is heavy (its URL, headers and context), against what
// --print 'r.Method, r.URL.Path' reads.
//
//go:noinline
func handle(r *http.Request) int { return len(r.Method) + len(r.URL.Path) }

type codeErr struct {
	Code int
	Msg  string
}

func (e *codeErr) Error() string { return e.Msg }

func main() {
	n := flag.Int("n", 2000000, "calls")
	floats := flag.Bool("floats", false, "call tinyf(a, b, c float64) instead")
	shaped := flag.Bool("shapes", false, "call shapes(map of 40, 3-deep error chain) instead")
	request := flag.Bool("request", false, "call handle(*http.Request) instead")
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
	req := httptest.NewRequest("GET", "http://example.com/users/42?verbose=1", nil)
	req.Header.Set("User-Agent", "bench/1")
	req.Header.Set("Accept", "*/*")
	if *request {
		for i := 0; i < *n; i++ {
			sum += handle(req)
		}
	} else if *shaped {
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
