// Package workflow is the editorial workflow of a story: saving (every
// save a revision), staged edits of live stories, submitting, publishing
// now or on a schedule, unpublishing, spiking and restoring, correction
// and update notes, and the comparison of revisions. Run is the scheduler
// that publishes embargoed stories when their time comes, also after a
// restart.
//
// It decides what may happen to a story and in which order; it holds no
// SQL and knows nothing of HTTP. Permissions are asked of auth.Can, the
// clock is injected.
package workflow
