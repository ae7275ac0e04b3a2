package media

import (
	"os"
	"path/filepath"
	"strconv"
)

// Size returns the size in bytes of the stored derivative of the given
// width (the file URL(hash, width) serves), and whether it exists. Feeds
// need it for enclosures, whose length is required. Stored files never
// change, so the answer can be trusted for as long as the picture exists.
func (s *Store) Size(hash string, width int) (int64, bool) {
	if !validHash(hash) || width <= 0 {
		return 0, false
	}
	info, err := os.Stat(filepath.Join(s.pictureDir(hash), strconv.Itoa(width)+".jpg"))
	if err != nil || !info.Mode().IsRegular() {
		return 0, false
	}
	return info.Size(), true
}
