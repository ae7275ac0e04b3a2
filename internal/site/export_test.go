package site

import (
	"dateline/internal/i18n"
	"dateline/internal/story"
)

// StoryBody is storyBody for the tests outside the package, with the
// words of the site language lang.
func StoryBody(lang string, blocks []story.Block, related map[int64]story.Summary) string {
	s := &Server{cat: i18n.For(lang)}
	return string(s.storyBody(blocks, related))
}
