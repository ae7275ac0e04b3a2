package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

type userEditPage struct {
	Page
	Target  store.User
	Authors []story.Author
	Roles   []store.Role
	Self    bool
	// NewPassword is shown once, right after a reset.
	NewPassword string
}

func (s *Server) userEditPage(r *http.Request, u store.User, id int64) (userEditPage, error) {
	t, err := s.store.User(r.Context(), id)
	if err != nil {
		return userEditPage{}, err
	}
	t.PasswordHash = ""
	p := userEditPage{Page: s.page(u, t.Name, "users"), Target: t, Roles: roles, Self: t.ID == u.ID}
	if p.Authors, err = s.store.Authors(r.Context()); err != nil {
		return p, err
	}
	return p, nil
}

// userEdit shows one account: name, role, author profile, disabled, and
// the password reset.
func (s *Server) userEdit(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageUsers); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.userEditPage(r, u, id)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "saved" {
		p.Flash = "Saved."
	}
	return s.render.Render(w, r, http.StatusOK, "users_edit", p)
}

// userUpdate saves an account. An admin cannot demote or disable
// themselves (another admin must), and the store refuses a change that
// leaves no enabled admin. Each kind of change has its own audit entry.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request, u store.User) error {
	id, err := itemPost(w, r, u, auth.ManageUsers, 16<<10)
	if err != nil {
		return err
	}
	p, err := s.userEditPage(r, u, id)
	if err != nil {
		return err
	}
	old := p.Target
	nu := old
	nu.Name = strings.Join(strings.Fields(r.PostForm.Get("name")), " ")
	nu.Role = store.Role(r.PostForm.Get("role"))
	nu.AuthorID = formID(r, "author_id")
	nu.Disabled = r.PostForm.Get("disabled") == "1"
	fail := func(status int, msg string) error {
		p.Target, p.Error = nu, msg
		return s.render.Render(w, r, status, "users_edit", p)
	}
	switch {
	case nu.Name == "" || len(nu.Name) > 200:
		return fail(http.StatusBadRequest, "Enter the person's name.")
	case !nu.Role.Valid():
		return fail(http.StatusBadRequest, "Choose a role: reporter, editor or admin.")
	case p.Self && (nu.Role != store.RoleAdmin || nu.Disabled):
		return fail(http.StatusConflict, "You cannot demote or disable your own account. Another admin can.")
	}
	err = s.store.UpdateUserGuarded(r.Context(), nu)
	switch {
	case errors.Is(err, store.ErrLastAdmin):
		return fail(http.StatusConflict, "This is the last enabled admin: make someone else an admin first.")
	case errors.Is(err, store.ErrInvalid):
		return fail(http.StatusBadRequest, "That author profile does not exist.")
	case err != nil:
		return err
	}
	target := fmt.Sprintf("user:%d", id)
	if nu.Role != old.Role {
		s.audit(r, u, "role_change", target, fmt.Sprintf("%s: %s → %s", old.Email, old.Role, nu.Role))
	}
	if nu.Disabled != old.Disabled {
		if nu.Disabled {
			// A disabled account is refused at its next request anyway;
			// ending its sessions now also frees the rows.
			if err := s.store.DeleteUserSessions(r.Context(), id); err != nil {
				return err
			}
			s.audit(r, u, "user_disable", target, old.Email)
		} else {
			s.audit(r, u, "user_enable", target, old.Email)
		}
	}
	if nu.Name != old.Name || nu.AuthorID != old.AuthorID {
		s.audit(r, u, "user_update", target, fmt.Sprintf("%s: name %q, author %d", old.Email, nu.Name, nu.AuthorID))
	}
	return seeOther(w, r, fmt.Sprintf("/newsroom/users/%d?done=saved", id))
}

// userPasswordReset gives an account a new generated password, shown
// once on the answer page; SetPassword ends the account's sessions, so
// whoever held the old password is signed out everywhere.
func (s *Server) userPasswordReset(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageUsers); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.userEditPage(r, u, id)
	if err != nil {
		return err
	}
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	if err := s.store.SetPassword(r.Context(), id, hash, s.now()); err != nil {
		return err
	}
	s.audit(r, u, "password_reset", fmt.Sprintf("user:%d", id), p.Target.Email)
	p.NewPassword = pw
	p.Flash = "The password of " + p.Target.Name + " was reset and their sessions ended."
	return s.render.Render(w, r, http.StatusOK, "users_edit", p)
}
