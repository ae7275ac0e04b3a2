// Package auth holds the newsroom's security rules that need no HTTP or
// SQL: password hashing (argon2id) and the password policy, session tokens
// and their expiry, login throttling limits, and the permission matrix
// that decides what each role may do.
package auth
