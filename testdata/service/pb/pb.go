// Package pb: the service's request and response types, in a package whose
// import path (gotrace/testdata/service/pb) is longer than its name.
package pb

import "time"

type PutRequest struct {
	Key    string
	Value  []byte
	Labels map[string]string
	TTL    time.Duration
	Owner  *Owner
}

type Owner struct {
	Name string
	ID   int64
}

type PutResponse struct {
	Version int64
	Created bool
}
