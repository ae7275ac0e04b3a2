package store

// Admin is the part of the store the media library, curation and
// administration pages add beyond Newsroom (admin.go).
type Admin interface {
}
