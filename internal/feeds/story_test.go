package feeds

import (
	"strings"
	"testing"

	"dateline/internal/bodyhtml"
	"dateline/internal/story"
)

func testStory() *story.Story {
	return &story.Story{
		ID: 42, Slug: "floods-recede", Language: "en", Headline: "Floods recede", Standfirst: "Water falls.",
		Section: story.Section{Slug: "world", Name: "World"},
		Body:    story.ParseBody("First **paragraph**.\n\n[[related:7]]\n\n[[related:8]]"),
		Lead:    &story.Image{Hash: "0123456789abcdef0123456789abcdef", Width: 1600, Height: 900, Caption: "", Alt: "Water", Credit: "Photo: AA"},
		Bylines: []story.Byline{{AuthorID: 3, AuthorSlug: "ada", Name: "Ada"}, {Name: "Guest Writer"}, {Name: ""}},
		Source:  &story.Source{Slug: "aa", Label: "AA", Name: "Anadolu Agency"},
		Tags:    []story.Tag{{Slug: "climate", Name: "Climate"}},

		FirstPublishedAt: when, UpdatedAt: when.Add(3600e9),
	}
}

func TestStoryItem(t *testing.T) {
	st := testStory()
	o := StoryOptions{BaseURL: "https://news.example:8443/", Language: "en-GB", FullText: true, RelatedLabel: "See also",
		Related: func(id int64) (bodyhtml.Link, bool) {
			return bodyhtml.Link{Title: "Earlier floods", Path: "/world/earlier-7"}, id == 7
		},
		ImageSize: func(hash string, w int) (int64, bool) { return int64(w) * 10, hash == st.Lead.Hash },
	}
	it := StoryItem(st, o)
	if it.ID != "tag:news.example,2026:story/42" || it.Link != "https://news.example:8443/world/floods-recede-42" {
		t.Errorf("id %q link %q", it.ID, it.Link)
	}
	if it.Language != "" {
		t.Errorf("an English story on an en-GB feed names language %q", it.Language)
	}
	var names []string
	for _, p := range it.Authors {
		names = append(names, p.Name+" "+p.URL)
	}
	if got := strings.Join(names, "|"); got != "Ada https://news.example:8443/author/ada|Guest Writer |AA https://news.example:8443/source/aa" {
		t.Errorf("authors %s", got)
	}
	if strings.Join(it.Categories, "|") != "World|Climate" {
		t.Errorf("categories %q", it.Categories)
	}
	if !strings.Contains(it.ContentHTML, "<strong>paragraph</strong>") ||
		!strings.Contains(it.ContentHTML, `<strong>See also:</strong> <a href="https://news.example:8443/world/earlier-7">Earlier floods</a>`) ||
		strings.Count(it.ContentHTML, "See also") != 1 {
		t.Errorf("content %s", it.ContentHTML)
	}
	img := it.Image
	if img == nil || img.URL != "https://news.example:8443/media/0123456789abcdef0123456789abcdef/1280.jpg" ||
		img.Width != 1280 || img.Height != 720 || img.Length != 12800 || img.Caption != "Water" || img.Credit != "Photo: AA" {
		t.Errorf("image %+v", img)
	}

	o.FullText, o.ImageSize = false, nil
	st.Language = "ar"
	it = StoryItem(st, o)
	if it.ContentHTML != "" || it.Summary != "Water falls." || it.Language != "ar" || it.Image.Length != 0 {
		t.Errorf("summary item: %+v", it)
	}
}

// TestGUIDStable: what editors change after publication leaves the id alone.
func TestGUIDStable(t *testing.T) {
	st := testStory()
	before := GUID("https://news.example", st)
	st.Slug, st.Headline, st.Section = "new-slug", "New headline", story.Section{Slug: "business", Name: "Business"}
	st.UpdatedAt = st.UpdatedAt.AddDate(1, 0, 0)
	if after := GUID("https://news.example", st); after != before {
		t.Errorf("GUID changed from %q to %q", before, after)
	}
	other := testStory()
	other.ID = 43
	if GUID("https://news.example", other) == before {
		t.Error("two stories share a GUID")
	}
}
