package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/config"
	"dateline/internal/store"
)

type userAddFlags struct {
	email, name, role string
	passwordStdin     bool
}

func userAddCommand(f *userAddFlags) config.Command {
	return config.Command{
		Name: "user add", Usage: "user add --email E --name N --role admin|editor|reporter [--password-stdin] [flags]",
		About: "Creates a staff account. The password is read from standard input with --password-stdin\n" +
			"(one line), or generated and printed once. Passwords need at least 12 characters and\n" +
			"may not be common ones.",
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&f.email, "email", "", "the account's email address (required)")
			fs.StringVar(&f.name, "name", "", "the person's name (required)")
			fs.StringVar(&f.role, "role", "", "admin, editor or reporter (required)")
			fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from standard input")
		},
	}
}

// userAdd creates a staff account from the command line.
func userAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return &config.UsageError{Msg: "usage: dateline user add --email E --name N --role admin|editor|reporter [--password-stdin]"}
	}
	var f userAddFlags
	cfg, pos, err := config.Parse(userAddCommand(&f), args[1:], getenv, stdout)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return &config.UsageError{Msg: fmt.Sprintf("user add: unexpected argument %q", pos[0])}
	case !strings.Contains(f.email, "@"):
		return &config.UsageError{Msg: "user add: --email must be an email address"}
	case strings.TrimSpace(f.name) == "":
		return &config.UsageError{Msg: "user add: --name is required"}
	case !store.Role(f.role).Valid():
		return &config.UsageError{Msg: fmt.Sprintf("user add: --role %q: want admin, editor or reporter", f.role)}
	}
	pw, generated := "", false
	if f.passwordStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("user add: read password: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
		if err := auth.CheckPassword(pw, f.email, f.name); err != nil {
			return &config.UsageError{Msg: "user add: " + err.Error()}
		}
	} else {
		pw, generated = auth.GeneratePassword(), true
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := st.CreateUser(ctx, store.User{Email: f.email, Name: strings.TrimSpace(f.name), Role: store.Role(f.role), PasswordHash: hash})
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("user add: an account with the email %s already exists", f.email)
	}
	if err != nil {
		return err
	}
	st.Audit(ctx, store.AuditEntry{UserID: id, Actor: "command line", Action: "user_add", Target: fmt.Sprintf("user:%d", id), Detail: f.role})
	fmt.Fprintf(stdout, "created %s %s <%s>\n", f.role, f.name, f.email)
	if generated {
		fmt.Fprintf(stdout, "password: %s\n(shown once: store it now)\n", pw)
	}
	return nil
}
