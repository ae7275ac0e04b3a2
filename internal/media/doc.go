// Package media stores pictures on disk under a media directory, makes
// their resized derivatives and focal-point crops, serves them over HTTP,
// and draws the demo newsroom's artwork.
//
// Every picture is re-encoded as JPEG (which strips EXIF, GPS and any other
// metadata the upload carried) and named by a hash of that encoding, so a
// file's URL never changes meaning and can be cached forever. On disk one
// picture is a directory:
//
//	{dir}/{hash[:2]}/{hash}/orig.jpg      the re-encoded original
//	{dir}/{hash[:2]}/{hash}/{w}.jpg       one per width in Available
//	{dir}/{hash[:2]}/{hash}/{w}x16x9.jpg  crops, made on first request
//
// The directory appears by a single rename once every file in it is
// written, so a failed or interrupted upload leaves nothing behind.
//
// The package knows nothing of the database: captions, credits and the
// focal point belong to story.Media and the store. It must not import the
// store or the site, and it must not fetch anything over the network.
package media
