// forker: calls main.work, then runs itself as a child (fork and exec,
// through os/exec) that calls it too, then calls it again. For gotrace's
// hostile-condition tests: in BINARY mode gotrace follows the child, with
// -p it does not. Each process prints {"pid":N,"parent":P,"depth":D} and,
// once its child is done, {"pid":N,"calls":C}.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strconv"
	"time"
)

//go:noinline
func work(depth, i int) int { return depth*1000 + i }

func main() {
	depth := flag.Int("depth", 1, "generations of children below this process")
	n := flag.Int("n", 5, "calls of work before the child runs, and again after")
	wait := flag.Duration("wait", 0, "sleep this long first")
	flag.Parse()
	fmt.Printf("{\"pid\":%d,\"parent\":%d,\"depth\":%d}\n", os.Getpid(), os.Getppid(), *depth)
	time.Sleep(*wait)
	calls, sum := 0, 0
	for i := 0; i < *n; i++ {
		sum += work(*depth, calls)
		calls++
	}
	if *depth > 0 {
		self, err := os.Executable()
		if err != nil {
			log.Fatal(err)
		}
		child := exec.Command(self, "-depth", strconv.Itoa(*depth-1), "-n", strconv.Itoa(*n))
		child.Stdout = os.Stdout
		child.Stderr = os.Stderr
		if err := child.Run(); err != nil {
			log.Fatal(err)
		}
		for i := 0; i < *n; i++ {
			sum += work(*depth, calls)
			calls++
		}
	}
	fmt.Printf("{\"pid\":%d,\"calls\":%d,\"sum\":%d}\n", os.Getpid(), calls, sum)
}
