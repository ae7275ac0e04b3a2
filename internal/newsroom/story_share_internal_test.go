package newsroom

import (
	"testing"
	"time"
)

func TestShareToken(t *testing.T) {
	secret := []byte("s3cret")
	now := time.Unix(1_800_000_000, 0)
	tok := shareToken(secret, 42, now.Add(time.Hour))
	if id, err := readShareToken(secret, tok, now); err != nil || id != 42 {
		t.Fatalf("valid token: %d %v", id, err)
	}
	if _, err := readShareToken(secret, tok, now.Add(2*time.Hour)); err != errExpiredShare {
		t.Errorf("expired token: %v", err)
	}
	if _, err := readShareToken([]byte("other"), tok, now); err != errBadShare {
		t.Errorf("token of another secret: %v", err)
	}
	if _, err := readShareToken(secret, tok[:len(tok)-1]+"A", now); err != errBadShare {
		t.Errorf("altered token: %v", err)
	}
}

// ShareTokenForTest exposes the signer to the external tests.
var ShareTokenForTest = shareToken
