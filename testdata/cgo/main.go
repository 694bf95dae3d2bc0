// cgo: a Go program linked with C. Its Go functions trace like any other.
package main

/*
static int c_twice(int x) { return 2 * x; }
*/
import "C"

import (
	"fmt"
	"os"
	"time"
)

type Job struct {
	Name  string
	Count int
}

//go:noinline
func Handle(j *Job, factor int32) int {
	r := int(C.c_twice(C.int(factor))) * j.Count
	fmt.Printf(`{"func":"main.Handle","job":{"Name":%q,"Count":%d},"factor":%d,"result":%d}`+"\n", j.Name, j.Count, factor, r)
	return r
}

func main() {
	fmt.Printf("{\"pid\":%d}\n", os.Getpid())
	time.Sleep(200 * time.Millisecond)
	Handle(&Job{"resize", 3}, 5)
	Handle(&Job{"crop", -1}, 7)
}
