// returns: the safety test of -r/--returns. Every traced function prints
// its arguments and results as JSON lines, so the test can compare them
// with gotrace's events, and the program's whole output must be the same
// traced or not.
//
// It exercises what breaks return tracing: a goroutine stack that grows
// (and so is copied elsewhere) between a call and its return, recursion,
// a panic that unwinds frames that never return, and many goroutines.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

var out = json.NewEncoder(os.Stdout)
var mu sync.Mutex

func emit(event, fn string, fields map[string]interface{}) {
	mu.Lock()
	defer mu.Unlock()
	fields["event"] = event
	fields["func"] = fn
	out.Encode(fields)
}

// grow forces the stack to be copied: it recurses deep with a big frame.
//
//go:noinline
func grow(depth int) int {
	var pad [256]byte
	pad[depth%256] = byte(depth)
	if depth == 0 {
		return int(pad[0])
	}
	return grow(depth-1) + int(pad[depth%256]&1)
}

// Grower is called on a fresh goroutine (small stack); between its entry
// and its return, grow copies the stack several times.
//
//go:noinline
func Grower(label string, depth int) (string, int) {
	emit("call", "main.Grower", map[string]interface{}{"label": label, "depth": depth})
	n := grow(depth)
	r := strings.ToUpper(label)
	emit("return", "main.Grower", map[string]interface{}{"r0": r, "r1": n})
	return r, n
}

//go:noinline
func Fib(n int) int {
	if n < 2 {
		emit("return", "main.Fib", map[string]interface{}{"n": n, "r0": n})
		return n
	}
	r := Fib(n-1) + Fib(n-2)
	emit("return", "main.Fib", map[string]interface{}{"n": n, "r0": r})
	return r
}

//go:noinline
func Explode(n int) int {
	if n == 0 {
		panic("boom")
	}
	return Explode(n-1) + 1
}

//go:noinline
func Recovered(n int) (result int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
			result = -1
		}
		emit("return", "main.Recovered", map[string]interface{}{"n": n, "result": result, "err": err.Error()})
	}()
	return Explode(n), nil
}

//go:noinline
func Work(id int, name string) (int, string) {
	time.Sleep(time.Millisecond)
	r := id * 2
	s := fmt.Sprintf("%s-%d", name, id)
	emit("return", "main.Work", map[string]interface{}{"id": id, "r0": r, "r1": s})
	return r, s
}

// Blend has its arguments and results in X registers: gotrace signals the
// thread (SIGURG) at its entry and its RET to read them. The program must
// not notice, on any goroutine.
//
//go:noinline
func Blend(id int, x float64, w float32) (float64, float32) {
	r0, r1 := x*float64(w)+float64(id), w/2
	emit("return", "main.Blend", map[string]interface{}{"id": id, "x": x, "w": w, "r0": r0,
		"r1": r1})
	return r0, r1
}

func main() {
	workers := flag.Int("workers", 50, "goroutines calling main.Work")
	flag.Parse()
	time.Sleep(200 * time.Millisecond)

	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			Grower(fmt.Sprintf("grower%d", i), 200+i*100)
		}(i)
	}
	wg.Wait()

	Fib(6)
	Recovered(3)
	Recovered(5)

	results := make([]string, *workers)
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, s := Work(i, "w")
			results[i] = s
		}(i)
	}
	wg.Wait()
	sort.Strings(results)

	sums := make([]float64, *workers)
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				r0, r1 := Blend(i*5+j, float64(j)+0.5, float32(i)*0.25)
				sums[i] += r0 + float64(r1)
			}
		}(i)
	}
	wg.Wait()
	total := 0.0
	for _, s := range sums {
		total += s
	}
	fmt.Println("blend", total)
	fmt.Println("done", len(results), results[0], results[len(results)-1])
}
