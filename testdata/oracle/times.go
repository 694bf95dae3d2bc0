package main

import (
	"math"
	"reflect"
	"strings"
	"time"
	"unsafe"
)

// Well-known types: gotrace shows a time.Duration as Duration.String()
// prints it and a time.Time as Format(time.RFC3339Nano) does, in text and
// in JSON (docs/json.md). Built by every Go of the matrix: nothing newer
// than Go 1.15.

type Timeouts struct {
	Read  time.Duration
	Write time.Duration
	Ticks []time.Duration
}

// A type of its own: not a time.Duration, so shown as its integer, as Go's
// %v prints it.
type Millis time.Duration

type Stamp struct {
	At   time.Time
	Name string
}

// Every unit of Duration.String: 0s, ns, µs, ms, h/m/s with a fraction,
// the negative and positive extremes, in a struct, a slice, an interface.
//
//go:noinline
func Durations(zero, sub, mixed, neg time.Duration, extremes [2]time.Duration, t *Timeouts,
	own Millis, boxed interface{}) {
	emit("main.Durations", arg{"zero", zero}, arg{"sub", sub}, arg{"mixed", mixed},
		arg{"neg", neg}, arg{"extremes", extremes}, arg{"t", t}, arg{"own", own},
		arg{"boxed", iface(&boxed)})
}

// Times in each of time.Time's encodings: the zero value, seconds since
// year 1 (no monotonic reading) in UTC (a nil loc), a fixed zone east and
// one west of UTC (before 1970), past year 9999, the wall clock since 1885
// with a monotonic reading (time.Now, in time.Local), behind a pointer, in
// a struct, in an interface.
//
//go:noinline
func Times(zero, utc, east, west, far, now time.Time, p *time.Time, s Stamp, boxed interface{}) {
	emit("main.Times", arg{"zero", zero}, arg{"utc", utc}, arg{"east", east},
		arg{"west", west}, arg{"far", far}, arg{"now", now}, arg{"p", p}, arg{"s", s},
		arg{"boxed", iface(&boxed)})
}

// A past instant in time.Local: outside the zone's cached period, its
// offset comes from the zone's transitions.
//
//go:noinline
func LocalPast(t time.Time) {
	emit("main.LocalPast", arg{"t", t})
}

// encodeWellKnown writes time.Duration and time.Time as gotrace shows them.
func encodeWellKnown(b *strings.Builder, v reflect.Value) bool {
	switch v.Type() {
	case reflect.TypeOf(time.Duration(0)):
		b.WriteString(jsonString(time.Duration(v.Int()).String()))
		return true
	case reflect.TypeOf(time.Time{}):
		var t time.Time
		if v.CanInterface() {
			t = v.Interface().(time.Time)
		} else {
			t = *(*time.Time)(unsafe.Pointer(v.UnsafeAddr()))
		}
		b.WriteString(jsonString(t.Format(time.RFC3339Nano)))
		return true
	}
	return false
}

func callTimes() {
	Durations(0, 1500, 90*time.Minute+1500*time.Millisecond, -1,
		[2]time.Duration{math.MinInt64, math.MaxInt64},
		&Timeouts{Read: 1100 * time.Microsecond, Write: 2 * time.Second,
			Ticks: []time.Duration{time.Millisecond, 250 * time.Microsecond, 999999999}},
		Millis(1500), 3*time.Hour)

	_ = time.Local.String() // time.Local is read once used: before the call
	utc := time.Unix(1700000000, 123456789).UTC()
	east := time.Date(2026, 11, 22, 12, 0, 0, 500000000, time.FixedZone("IST", 5*3600+30*60))
	Times(time.Time{}, utc, east,
		time.Date(1969, 7, 20, 20, 17, 40, 0, time.FixedZone("EDT", -4*3600)),
		time.Date(12345, 6, 7, 8, 9, 10, 11, time.UTC), time.Now(), &utc,
		Stamp{At: east, Name: "stamp"}, utc)
	LocalPast(time.Unix(1700000000, 0).In(time.Local))
}
