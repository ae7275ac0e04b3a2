package app

import (
	"fmt"
	"io"
	"os"
)

// progressMin is the batch size from which ingest shows progress.
const progressMin = 20

// progress shows how far a long import is on stderr: one line redrawn
// with \r on a terminal, a line every tenth of the batch otherwise (logs
// and pipes get no carriage returns).
type progress struct {
	w        io.Writer
	total    int
	terminal bool
	lastStep int
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, lastStep: -1}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) update(i int, name string) {
	if p.total < progressMin {
		return
	}
	if p.terminal {
		if len(name) > 50 {
			name = "…" + name[len(name)-49:]
		}
		fmt.Fprintf(p.w, "\r[%d/%d] %3d%% %-50s", i+1, p.total, (i+1)*100/p.total, name)
		return
	}
	if step := i * 10 / p.total; step != p.lastStep {
		p.lastStep = step
		fmt.Fprintf(p.w, "ingest: %d/%d files (%d%%)\n", i, p.total, i*100/p.total)
	}
}

func (p *progress) done() {
	if p.total < progressMin {
		return
	}
	if p.terminal {
		fmt.Fprintf(p.w, "\r[%d/%d] 100%% %-50s\n", p.total, p.total, "done")
		return
	}
	fmt.Fprintf(p.w, "ingest: %d/%d files (100%%)\n", p.total, p.total)
}
