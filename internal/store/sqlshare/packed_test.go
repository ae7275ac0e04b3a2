package sqlshare

import (
	"reflect"
	"testing"

	"dateline/internal/story"
)

func TestUnpackBylines(t *testing.T) {
	got, err := unpackBylines("7,3:ada0:" + "0,0:9:Smith, J." + "0,0:4:a:1,")
	want := []story.Byline{{AuthorID: 7, AuthorSlug: "ada"}, {Name: "Smith, J."}, {Name: "a:1,"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v %v, want %+v", got, err, want)
	}
	if got, err := unpackBylines(""); got != nil || err != nil {
		t.Errorf("empty: %+v %v", got, err)
	}
	// A malformed column is an error, never a panic or a wrong byline.
	for _, bad := range []string{"7", "7,", "7,3:ad", "x,0:0:", "7,0:9:short", "7,-1:0:", "7,0:0:extra"} {
		if got, err := unpackBylines(bad); err == nil {
			t.Errorf("%q: %+v, want an error", bad, got)
		}
	}
}

func TestUnpackChildren(t *testing.T) {
	var st story.Story
	err := unpackChildren(&st, "b0,0,0:4:Anne"+"t5,0,7:climate7:Climate"+"r42,0,0:0:"+"n0,1700000000000000,10:correction6:Fixed.")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Bylines) != 1 || st.Bylines[0].Name != "Anne" || len(st.Tags) != 1 || st.Tags[0] != (story.Tag{ID: 5, Slug: "climate", Name: "Climate"}) ||
		len(st.Related) != 1 || st.Related[0] != 42 || len(st.Notes) != 1 || st.Notes[0].Kind != "correction" || st.Notes[0].At.UnixMicro() != 1700000000000000 {
		t.Errorf("got %+v", st)
	}
	for _, bad := range []string{"x0,0,0:0:", "b0,0,0:0", "b", "t5,0,7:clim"} {
		if err := unpackChildren(&story.Story{}, bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
