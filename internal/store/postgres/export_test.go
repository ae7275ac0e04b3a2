package postgres

// PlanDialect and Rebind let the external tests build the statements the
// store runs, to read PostgreSQL's plans of them.
var PlanDialect = dialect{}

func Rebind(q string) string { return rebind(q) }
