// Package config turns command-line flags and DATELINE_* environment
// variables into one validated Config. It is the only place that reads
// either; everything else receives a Config.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the settings every command shares.
type Config struct {
	Addr                string
	DB                  string
	DatabaseURL         string
	MediaDir            string
	BaseURL             string
	SiteName            string
	Language            string
	Timezone            string
	TrustedProxies      []*net.IPNet
	AllowPrivateTargets bool
	WebSubHub           string // a WebSub hub to name in feeds and ping on publish, or ""
	PageCacheMB         int    // memory for the page cache in MiB; 0 turns it off
	DebugAddr           string // a separate address for net/http/pprof, or "" (off)
	SearchRateLimit     int    // searches a minute per client address; 0 turns the limit off
	APIRateLimit        int    // API requests a minute per key, or per address without one; 0: off
	Demo                bool

	Location *time.Location // Timezone, loaded
}

// ErrHelp is returned when the user asked for help; the usage was printed.
var ErrHelp = flag.ErrHelp

// UsageError is a mistake on the command line (exit code 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// option is one row of the declarative table of settings: a flag, its
// environment twin (derived from the name) and its default.
type option struct {
	name, def, usage string
	isBool           bool
	set              func(c *Config, v string) error
}

var options = []option{
	{name: "addr", def: "127.0.0.1:8080", usage: "address to listen on", set: func(c *Config, v string) error { c.Addr = v; return nil }},
	{name: "db", def: "./dateline.db", usage: "SQLite database file", set: func(c *Config, v string) error { c.DB = v; return nil }},
	{name: "database-url", def: "", usage: "a postgres:// URL selects PostgreSQL instead of --db", set: func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{name: "media-dir", def: "./media", usage: "directory for uploaded and generated pictures", set: func(c *Config, v string) error { c.MediaDir = v; return nil }},
	{name: "base-url", def: "", usage: "public URL of the site for canonical links and feeds (default http:// + addr)", set: func(c *Config, v string) error { c.BaseURL = v; return nil }},
	{name: "site-name", def: "Dateline", usage: "the site's name", set: func(c *Config, v string) error { c.SiteName = v; return nil }},
	{name: "language", def: "en", usage: "the site's language (BCP 47) for the page's own words", set: func(c *Config, v string) error { c.Language = v; return nil }},
	{name: "timezone", def: "UTC", usage: "IANA time zone in which times are shown, e.g. Europe/Istanbul", set: func(c *Config, v string) error { c.Timezone = v; return nil }},
	{name: "trusted-proxies", def: "", usage: "comma-separated CIDRs whose X-Forwarded-For is believed", set: setProxies},
	{name: "page-cache-mb", def: "64", usage: "memory for rendered pages kept ready to send, in MiB (0: render every request)", set: func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("--page-cache-mb %q: want a whole number of MiB, 0 or more", v)
		}
		c.PageCacheMB = n
		return nil
	}},
	{name: "debug-addr", def: "", usage: "separate address (e.g. 127.0.0.1:6060) serving Go's profiler under /debug/pprof/; off when empty", set: func(c *Config, v string) error { c.DebugAddr = v; return nil }},
	{name: "search-rate-limit", def: "30", usage: "searches a minute per client address, with a burst of 20 (0: no limit)", set: func(c *Config, v string) error {
		return setPerMinute(&c.SearchRateLimit, "search-rate-limit", v)
	}},
	{name: "api-rate-limit", def: "600", usage: "content API requests a minute per API key, or per client address without one (0: no limit)", set: func(c *Config, v string) error {
		return setPerMinute(&c.APIRateLimit, "api-rate-limit", v)
	}},
	{name: "websub-hub", def: "", usage: "URL of a WebSub hub to announce in feeds and ping when stories are published", set: setWebSubHub},
	{name: "allow-private-targets", def: "false", isBool: true, usage: "let outgoing requests reach loopback and private addresses (tests and development only)", set: func(c *Config, v string) error {
		b, err := parseBool(v)
		c.AllowPrivateTargets = b
		return err
	}},
}

// Command describes one subcommand's flags beyond the shared ones.
type Command struct {
	Name  string
	Usage string // one line: "serve [flags]"
	About string // what it does
	Demo  bool   // accepts --demo
	// Flags registers the command's own flags (e.g. user add's --email).
	Flags func(fs *flag.FlagSet)
}

// Parse reads args (without the command name) and env for cmd. It returns
// the config and the positional arguments. Flags may come before or after
// positional arguments. Help goes to w.
func Parse(cmd Command, args []string, env func(string) string, w io.Writer) (*Config, []string, error) {
	c := &Config{}
	fs := flag.NewFlagSet(cmd.Name, flag.ContinueOnError)
	fs.SetOutput(w)
	vals := make(map[string]*string, len(options))
	for _, o := range options {
		def := o.def
		if v := env(EnvName(o.name)); v != "" {
			def = v
		}
		p := new(string)
		*p = def
		vals[o.name] = p
		if o.isBool {
			fs.BoolFunc(o.name, o.usage+" (env "+EnvName(o.name)+")", boolFlag(p))
			continue
		}
		fs.StringVar(p, o.name, def, o.usage+" (env "+EnvName(o.name)+")")
	}
	demo := new(string)
	*demo = env(EnvName("demo"))
	if cmd.Demo {
		fs.BoolFunc("demo", "fill an empty store with a demo newsroom (env DATELINE_DEMO)", boolFlag(demo))
	}
	if cmd.Flags != nil {
		cmd.Flags(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: dateline %s\n\n%s\n\nFlags:\n", cmd.Usage, cmd.About)
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, ErrHelp
		}
		return nil, nil, &UsageError{Msg: err.Error()}
	}
	for _, o := range options {
		if err := o.set(c, *vals[o.name]); err != nil {
			return nil, nil, &UsageError{Msg: fmt.Sprintf("--%s: %v", o.name, err)}
		}
	}
	if cmd.Demo && *demo != "" {
		if c.Demo, err = parseBool(*demo); err != nil {
			return nil, nil, &UsageError{Msg: fmt.Sprintf("--demo: %v", err)}
		}
	}
	if err := c.validate(); err != nil {
		return nil, nil, &UsageError{Msg: err.Error()}
	}
	return c, pos, nil
}

// EnvName is the environment twin of a flag: DATELINE_ + upper case, _ for -.
func EnvName(flagName string) string {
	return "DATELINE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseInterspersed lets flags follow positional arguments, which the flag
// package alone stops at. "--" ends flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (c *Config) validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: want host:port", c.Addr)
	}
	if c.DebugAddr != "" {
		if _, port, err := net.SplitHostPort(c.DebugAddr); err != nil || (c.DebugAddr == c.Addr && port != "0") {
			return fmt.Errorf("--debug-addr %q: want host:port, not the public address", c.DebugAddr)
		}
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return fmt.Errorf("--database-url: want a postgres:// URL")
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--base-url %q: want an absolute http(s) URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Language == "" || len(c.Language) > 35 {
		return fmt.Errorf("--language %q: want a BCP 47 tag such as en", c.Language)
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return fmt.Errorf("--timezone %q: unknown time zone", c.Timezone)
	}
	c.Location = loc
	if strings.TrimSpace(c.SiteName) == "" {
		return errors.New("--site-name: must not be empty")
	}
	return nil
}

// TLS reports whether the public site is served over HTTPS (by a proxy),
// which makes cookies Secure and turns on HSTS.
func (c *Config) TLS() bool { return strings.HasPrefix(c.BaseURL, "https://") }

func setProxies(c *Config, v string) error {
	c.TrustedProxies = nil
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			if strings.Contains(s, ":") {
				s += "/128"
			} else {
				s += "/32"
			}
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return fmt.Errorf("%q is not a CIDR", s)
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}
	return nil
}

func boolFlag(p *string) func(string) error {
	return func(v string) error {
		if _, err := parseBool(v); err != nil {
			return err
		}
		*p = v
		return nil
	}
}

// parseBool accepts the spellings people use in environment files.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true, nil
	case "", "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", v)
}

func setWebSubHub(c *Config, v string) error {
	if v == "" {
		c.WebSubHub = ""
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--websub-hub %q: want an http:// or https:// URL", v)
	}
	c.WebSubHub = v
	return nil
}

func setPerMinute(p *int, name, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return fmt.Errorf("--%s %q: want a whole number of requests a minute, 0 or more", name, v)
	}
	*p = n
	return nil
}
