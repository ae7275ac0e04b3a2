package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"dateline/internal/store"
)

// ensureSecret creates the site's signing secret on first start. It lives
// in the store so every instance on the same database shares it.
func ensureSecret(ctx context.Context, st store.Store) error {
	_, err := st.Setting(ctx, "site_secret")
	if err == nil {
		return nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	b := make([]byte, 32)
	rand.Read(b)
	if err := st.SetSetting(ctx, "site_secret", hex.EncodeToString(b)); err != nil {
		return fmt.Errorf("create site secret: %w", err)
	}
	return nil
}
