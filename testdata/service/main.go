// service: a small key-value service whose handler takes a context and a
// request from a package of its own, as deployed Go services do. It prints
// {"pid":N}, then handles the same requests every -every, -n times (0:
// forever), so that a tracer can attach while it runs.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"gotrace/testdata/service/pb"
)

type ctxKey string

type Server struct {
	name    string
	version int64
	last    *pb.PutRequest
}

// On the heap, as a service's state is: its type has a runtime descriptor.
var server *Server

//go:noinline
func (s *Server) Put(ctx context.Context, req *pb.PutRequest) (*pb.PutResponse, error) {
	if req.Key == "" {
		return nil, fmt.Errorf("put: empty key")
	}
	s.version++
	s.last = req
	return &pb.PutResponse{Version: s.version, Created: s.version == 1}, nil
}

func main() {
	n := flag.Int("n", 0, "rounds (0: forever)")
	every := flag.Duration("every", 100*time.Millisecond, "between rounds")
	flag.Parse()
	fmt.Printf("{\"pid\":%d}\n", os.Getpid())
	server = &Server{name: "kv"}
	s := server
	ctx := context.WithValue(context.Background(), ctxKey("request-id"), "req-42")
	for i := 0; *n == 0 || i < *n; i++ {
		time.Sleep(*every)
		s.Put(ctx, &pb.PutRequest{Key: "user/42", Value: []byte("hello"),
			Labels: map[string]string{"team": "tracing"}, TTL: 90 * time.Second,
			Owner: &pb.Owner{Name: "ana", ID: 7}})
	}
}
