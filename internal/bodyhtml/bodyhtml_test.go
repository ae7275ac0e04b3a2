package bodyhtml

import (
	"strings"
	"testing"

	"dateline/internal/story"
)

func TestRender(t *testing.T) {
	body := story.ParseBody("Intro with **bold <b>** and [a link](/world/x-1) and [bad](javascript:alert(1)).\n\n" +
		"## Sub & head\n\n> Words \"quoted\"\n> — A. Speaker\n\n- one\n- two\n\n[[related:7]]\n\n[[related:8]]\n\n" +
		"https://example.org/video?a=1&b=2\n\n---\n")
	body = append(body, story.Block{Type: story.BlockImage, Image: &story.Image{Hash: "abc", Width: 2000, Height: 1000, Alt: `a "pic"`, Caption: "Cap <i>", Credit: "AA"}})
	got := Render(body, Options{BaseURL: "https://news.example", RelatedLabel: "Related",
		Related: func(id int64) (Link, bool) {
			if id == 7 {
				return Link{Title: "Seven & co", Path: "/world/seven-7"}, true
			}
			return Link{}, false
		}})
	for _, want := range []string{
		"<p>Intro with <strong>bold &lt;b&gt;</strong> and <a href=\"https://news.example/world/x-1\">a link</a> and bad.</p>",
		"<h2>Sub &amp; head</h2>",
		"<blockquote><p>Words &#34;quoted&#34;</p><footer>— A. Speaker</footer></blockquote>",
		"<ul><li>one</li><li>two</li></ul>",
		"<p><strong>Related:</strong> <a href=\"https://news.example/world/seven-7\">Seven &amp; co</a></p>",
		"<a href=\"https://example.org/video?a=1&amp;b=2\">",
		"<hr>",
		"<img src=\"https://news.example/media/abc/1280.jpg\" alt=\"a &#34;pic&#34;\" width=\"1280\" height=\"640\">",
		"<figcaption>Cap &lt;i&gt; <small>AA</small></figcaption>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "javascript") || strings.Contains(got, "related:8") {
		t.Errorf("unsafe link or unresolved related story kept:\n%s", got)
	}
}
