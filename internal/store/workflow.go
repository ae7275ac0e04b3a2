package store

// Workflow is the part of the store the story editor and its workflow
// add beyond Newsroom (workflow.go; filled in by the editor's work).
type Workflow interface {
}
