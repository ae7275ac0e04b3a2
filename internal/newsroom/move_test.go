package newsroom

import (
	"slices"
	"testing"
)

func TestMoveOne(t *testing.T) {
	for _, tt := range []struct {
		ids         []int64
		id          int64
		down        bool
		want        []int64
		to          int
		found, move bool
	}{
		{[]int64{1, 2, 3}, 2, false, []int64{2, 1, 3}, 0, true, true},
		{[]int64{1, 2, 3}, 2, true, []int64{1, 3, 2}, 2, true, true},
		{[]int64{1, 2, 3}, 1, false, []int64{1, 2, 3}, 0, true, false},
		{[]int64{1, 2, 3}, 3, true, []int64{1, 2, 3}, 2, true, false},
		{[]int64{1, 2, 3}, 9, true, []int64{1, 2, 3}, 0, false, false},
		{nil, 1, false, nil, 0, false, false},
	} {
		ids := slices.Clone(tt.ids)
		to, found, moved := moveOne(ids, tt.id, tt.down)
		if !slices.Equal(ids, tt.want) || to != tt.to || found != tt.found || moved != tt.move {
			t.Errorf("moveOne(%v, %d, down=%v) = %v %d %v %v, want %v %d %v %v",
				tt.ids, tt.id, tt.down, ids, to, found, moved, tt.want, tt.to, tt.found, tt.move)
		}
	}
}
