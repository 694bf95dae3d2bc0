// large: a big binary (much of the standard library linked in, 12 MB
// with its DWARF) with one small function to trace, for gotrace's start-up
// to its first probe, which must not grow with the binary.
// Prints {"pid":N}, then calls main.work every -interval.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/bzip2"
	"compress/flate"
	"compress/gzip"
	"compress/lzw"
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"debug/dwarf"
	"debug/elf"
	"debug/gosym"
	"debug/macho"
	"debug/pe"
	"debug/plan9obj"
	"encoding/ascii85"
	"encoding/asn1"
	"encoding/base32"
	"encoding/csv"
	"encoding/gob"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"expvar"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/format"
	"go/importer"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"html/template"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"index/suffixarray"
	"log/syslog"
	"math/big"
	"math/cmplx"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/http/cgi"
	"net/http/cookiejar"
	"net/http/fcgi"
	"net/http/httptest"
	"net/http/httputil"
	"net/http/pprof"
	"net/mail"
	"net/rpc"
	"net/rpc/jsonrpc"
	"net/smtp"
	"os"
	"os/exec"
	"regexp"
	"runtime/trace"
	"testing"
	"testing/fstest"
	"testing/quick"
	"text/tabwriter"
	"text/template/parse"
	"time"
)

// Keeps every package's code in the binary.
var linked = []interface{}{
	tar.NewReader, zip.NewReader, bzip2.NewReader, flate.NewReader, gzip.NewReader,
	lzw.NewReader, dsa.Sign, ecdsa.Sign, ed25519.Sign, rsa.EncryptPKCS1v15, tls.Dial,
	x509.ParseCertificate, sql.Open, dwarf.New, elf.Open, gosym.NewTable, macho.Open, pe.Open,
	plan9obj.Open, ascii85.Encode, asn1.Marshal, base32.NewEncoding, csv.NewReader,
	gob.NewEncoder, json.Marshal, pem.Decode, xml.Marshal, expvar.NewInt, ast.Print,
	build.Import, doc.New, format.Source, importer.Default, parser.ParseFile, printer.Fprint,
	token.NewFileSet, types.NewPackage, template.New, draw.Draw, gif.Decode, jpeg.Decode,
	png.Decode, suffixarray.New, syslog.New, big.NewInt, cmplx.Sqrt, multipart.NewReader,
	quotedprintable.NewReader, http.ListenAndServe, cgi.Serve, cookiejar.New, fcgi.Serve,
	httptest.NewServer, httputil.DumpRequest, pprof.Profile, mail.ReadMessage, rpc.NewServer,
	jsonrpc.NewClient, smtp.Dial, exec.Command, regexp.MustCompile, trace.Start,
	testing.Benchmark, fstest.TestFS, quick.Check, tabwriter.NewWriter, parse.Parse,
}

//go:noinline
func work(n int, s string) int {
	return n + len(s)
}

func main() {
	interval := flag.Duration("interval", 100*time.Millisecond, "pause between calls")
	flag.Parse()
	fmt.Printf("{\"pid\":%d,\"linked\":%d}\n", os.Getpid(), len(linked))
	for i := 0; ; i++ {
		work(i, "large")
		time.Sleep(*interval)
	}
}
