// Package demo fills an empty store with the demo newsroom: sections,
// staff authors with generated portraits, wire sources, and the stories
// written for it under content/, each with generated artwork. Everything
// is made locally; nothing is fetched.
package demo
