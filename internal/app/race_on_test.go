//go:build race

package app_test

// raceEnabled reports whether the tests were built with -race.
const raceEnabled = true
