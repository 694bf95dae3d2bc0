// cgocall: Go called back from C (cgo), for --stack: the Go stack of
// main.double ends where C called into Go.
package main

/*
extern int goCallback(int);
static int c_calls_go(int x) { return goCallback(x) + 1; }
*/
import "C"

import "fmt"

//export goCallback
func goCallback(x C.int) C.int { return C.int(double(int(x))) }

//go:noinline
func double(x int) int { return x * 2 }

func main() {
	fmt.Printf("result %d\n", int(C.c_calls_go(20)))
}
