package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The function between the markers is the receiver's check printed in
// docs/webhooks.md; TestDocumentedVerify keeps the two the same, and the
// signature tests run it against real deliveries.

// BEGIN docs/webhooks.md
// verifyDateline reports whether a delivery is genuine: header is the
// Dateline-Signature value, body the raw request body, secret the
// endpoint's secret. It needs crypto/hmac, crypto/sha256, encoding/hex,
// strconv, strings and time.
func verifyDateline(secret, header string, body []byte, now time.Time) bool {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if k == "t" {
			ts = v
		} else if k == "v1" {
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return false // malformed, or too old: a replay
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(want)) {
			return true
		}
	}
	return false
}

// END docs/webhooks.md

func TestDocumentedVerify(t *testing.T) {
	src, err := os.ReadFile("receiver_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/webhooks.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	from := strings.Index(s, "// BEGIN docs/webhooks.md\n")
	to := strings.Index(s, "// END docs/webhooks.md")
	snippet := strings.TrimSpace(s[from+len("// BEGIN docs/webhooks.md\n") : to])
	if !strings.Contains(string(doc), snippet) {
		t.Error("docs/webhooks.md does not print verifyDateline as it is tested here")
	}
}
