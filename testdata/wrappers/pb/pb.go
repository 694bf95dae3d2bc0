// Package pb: a second package named pb in the wrappers program (the
// service's is the other), so that "pb.Request" in a signature names two.
package pb

type Request struct {
	ID    int64
	Name  string
	Owner *Owner
}

// as the service's pb.Owner: "pb.Owner" names a type in both
type Owner struct {
	Team string
}

type Reply struct {
	OK bool
}
