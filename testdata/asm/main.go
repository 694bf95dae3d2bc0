// asm: functions written in Go assembly, which keep the stack ABI (ABI0) in
// every Go version: arguments and results on the stack, g in TLS. Each
// call prints its arguments and results, for the end-to-end test.
package main

import (
	"fmt"
	"os"
	"time"
)

// Mix returns a + b + len(s) + int64(c); implemented in mix_amd64.s.
func Mix(a int64, b int32, s string, c uint8) int64

//go:noinline
func callMix(a int64, b int32, s string, c uint8) {
	r := Mix(a, b, s, c)
	fmt.Printf(`{"func":"main.Mix","args":[%d,%d,%q,%d],"result":%d}`+"\n", a, b, s, c, r)
}

func main() {
	fmt.Printf("{\"pid\":%d}\n", os.Getpid())
	time.Sleep(200 * time.Millisecond)
	callMix(40, -2, "abcd", 7)
	callMix(-1000000000000, 2147483647, "", 255)
	done := make(chan bool)
	go func() { // on another goroutine: its goid differs
		callMix(1, 2, "xyz", 3)
		done <- true
	}()
	<-done
}
