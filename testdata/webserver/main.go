// webserver: the bundled example. A net/http server whose handler gotrace
// traces while requests hit it. On SIGTERM or SIGINT it prints how many
// requests its handler served, {"requests":N}, and exits: the soak test
// (bench/soak.py) checks gotrace's count of calls against it.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

var requests atomic.Int64

//go:noinline
func handlerFunction(w http.ResponseWriter, r *http.Request) {
	requests.Add(1)
	fmt.Fprintf(w, "hello %s\n", r.URL.Path)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		fmt.Printf("{\"requests\":%d}\n", requests.Load())
		os.Exit(0)
	}()
	http.HandleFunc("/", handlerFunction)
	log.Printf("listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
