package newsroom_test

import (
	"context"
	"testing"
	"time"

	"dateline/internal/newsroom"
)

// signShare signs a preview link with the site's secret, as the newsroom
// does, with any expiry.
func signShare(t *testing.T, f *edFixture, id int64, exp time.Time) string {
	t.Helper()
	secret, err := f.store.Setting(context.Background(), "site_secret")
	if err != nil {
		t.Fatal(err)
	}
	return newsroom.ShareTokenForTest([]byte(secret), id, exp)
}
