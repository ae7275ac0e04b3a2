package postgres

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// contentChannel is the channel migration 0021's trigger notifies on
// every change to public content.
const contentChannel = "dateline_content"

// Listening times: how long the connection may stay silent before it is
// pinged (a network that drops packets closes nothing), and the bounds
// of the wait before a reconnection.
const (
	listenIdle     = 30 * time.Second
	listenPing     = 5 * time.Second
	listenRetryMin = 100 * time.Millisecond
	listenRetryMax = 5 * time.Second
)

// Listen holds one connection that LISTENs for changes to public content
// made by any process on the database (another instance, dateline
// ingest) until ctx ends, so that ContentVersion can answer from memory
// between changes. A lost connection is reconnected with a growing wait;
// meanwhile ContentVersion reads the database on every call, and after
// the reconnection the version is read afresh, whatever was missed.
func (s *Store) Listen(ctx context.Context, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	wait := listenRetryMin
	for {
		start := time.Now()
		err := s.listen(ctx)
		s.cv.listening.Store(false)
		s.cv.gen.Add(1)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > time.Minute {
			wait = listenRetryMin // it had been working: try again soon
		}
		log.Warn("content change notifications lost; reconnecting", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, listenRetryMax)
	}
}

// Listening reports whether the listening connection is up.
func (s *Store) Listening() bool { return s.cv.listening.Load() }

// listen connects, listens and counts notifications until the connection
// fails or ctx ends.
func (s *Store) listen(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, s.listenCfg)
	if err != nil {
		return errors.New(redact(err, s.listenCfg.Password))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+contentChannel); err != nil {
		return err
	}
	// Whatever changed before LISTEN took effect is read now: the
	// version remembered so far is no longer believed.
	s.cv.gen.Add(1)
	s.cv.listening.Store(true)
	for {
		wctx, cancel := context.WithTimeout(ctx, listenIdle)
		_, err := conn.WaitForNotification(wctx)
		idle := wctx.Err() != nil
		cancel()
		switch {
		case err == nil:
			s.cv.gen.Add(1)
		case ctx.Err() != nil:
			return ctx.Err()
		case idle && !conn.IsClosed():
			pctx, cancel := context.WithTimeout(ctx, listenPing)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return err
			}
		default:
			return err
		}
	}
}
