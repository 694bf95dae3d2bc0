// slow: one function whose duration and result the program decides, for
// --min-duration and filters on results. Each call prints its arguments and
// result as a JSON line, after {"pid":N}.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"
)

var out = json.NewEncoder(os.Stdout)

// Step sleeps ms milliseconds; it fails when id is a multiple of 4.
//
//go:noinline
func Step(id int, ms int) (err error) {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	if id%4 == 0 {
		err = errors.New(fmt.Sprintf("step %d failed", id))
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	out.Encode(map[string]interface{}{"id": id, "ms": ms, "err": msg})
	return err
}

func main() {
	n := flag.Int("n", 12, "calls")
	flag.Parse()
	fmt.Printf("{\"pid\":%d}\n", os.Getpid())
	time.Sleep(300 * time.Millisecond)
	for i := 0; i < *n; i++ {
		ms := 1
		if i%5 == 2 {
			ms = 80 // slow: ids 2, 7
		}
		Step(i, ms)
	}
}
