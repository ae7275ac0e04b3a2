package newsroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"

	"dateline/internal/auth"
	"dateline/internal/store"
	"dateline/internal/story"
)

func init() {
	routeAdders = append(routeAdders, (*Server).userRoutes)
	extraPages = append(extraPages, "users", "users_edit")
}

// userRoutes are the account administration pages (admins only).
func (s *Server) userRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /newsroom/users", s.user(s.userList))
	mux.HandleFunc("POST /newsroom/users", s.user(s.userAdd))
	mux.HandleFunc("GET /newsroom/users/{id}", s.user(s.userEdit))
	mux.HandleFunc("POST /newsroom/users/{id}", s.user(s.userUpdate))
	mux.HandleFunc("POST /newsroom/users/{id}/password", s.user(s.userPasswordReset))
}

// roles are offered in the forms, least trusted first.
var roles = []store.Role{store.RoleReporter, store.RoleEditor, store.RoleAdmin}

// userForm is the add form's input, kept to fill the form again on error.
type userForm struct {
	Email    string
	Name     string
	Role     store.Role
	AuthorID int64
}

type usersPage struct {
	Page
	Users   []store.User
	Authors []story.Author
	Roles   []store.Role
	Form    userForm
	// Created and NewPassword are shown once, right after an account is
	// made with a generated password.
	Created     *store.User
	NewPassword string
}

func (s *Server) usersPage(r *http.Request, u store.User) (usersPage, error) {
	p := usersPage{Page: s.page(u, "Users", "users"), Roles: roles, Form: userForm{Role: store.RoleReporter}}
	var err error
	if p.Users, err = s.store.Users(r.Context()); err != nil {
		return p, err
	}
	if p.Authors, err = s.store.Authors(r.Context()); err != nil {
		return p, err
	}
	switch r.URL.Query().Get("done") {
	case "saved":
		p.Flash = "Saved."
	}
	return p, nil
}

// userList shows every account and the form to add one.
func (s *Server) userList(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageUsers); err != nil {
		return err
	}
	p, err := s.usersPage(r, u)
	if err != nil {
		return err
	}
	return s.render.Render(w, r, http.StatusOK, "users", p)
}

// userAdd creates an account. The password is typed (and held to the
// policy) or generated and shown once on the answer page; it is never
// stored or logged in clear.
func (s *Server) userAdd(w http.ResponseWriter, r *http.Request, u store.User) error {
	if err := require(u, auth.ManageUsers); err != nil {
		return err
	}
	if err := readForm(w, r, 16<<10); err != nil {
		return err
	}
	f := userForm{
		Email:    strings.TrimSpace(r.PostForm.Get("email")),
		Name:     strings.Join(strings.Fields(r.PostForm.Get("name")), " "),
		Role:     store.Role(r.PostForm.Get("role")),
		AuthorID: formID(r, "author_id"),
	}
	pw := r.PostForm.Get("password")
	p, err := s.usersPage(r, u)
	if err != nil {
		return err
	}
	p.Form = f
	fail := func(status int, msg string) error {
		p.Error = msg
		return s.render.Render(w, r, status, "users", p)
	}
	if addr, err := mail.ParseAddress(f.Email); err != nil || addr.Address != f.Email || len(f.Email) > 254 {
		return fail(http.StatusBadRequest, "Enter the person's email address, such as name@example.com.")
	}
	if f.Name == "" || len(f.Name) > 200 {
		return fail(http.StatusBadRequest, "Enter the person's name.")
	}
	if !f.Role.Valid() {
		return fail(http.StatusBadRequest, "Choose a role: reporter, editor or admin.")
	}
	generated := pw == ""
	if generated {
		pw = auth.GeneratePassword()
	} else if err := auth.CheckPassword(pw, f.Email, f.Name, s.cfg.SiteName); err != nil {
		return fail(http.StatusBadRequest, "That password is refused: "+strings.TrimPrefix(err.Error(), auth.ErrWeakPassword.Error()+": ")+".")
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	nu := store.User{Email: f.Email, Name: f.Name, Role: f.Role, PasswordHash: hash, AuthorID: f.AuthorID}
	id, err := s.store.CreateUser(r.Context(), nu)
	switch {
	case errors.Is(err, store.ErrConflict):
		return fail(http.StatusConflict, "An account with that email already exists.")
	case errors.Is(err, store.ErrInvalid):
		return fail(http.StatusBadRequest, "That author profile does not exist.")
	case err != nil:
		return err
	}
	nu.ID, nu.PasswordHash = id, ""
	s.audit(r, u, "user_add", fmt.Sprintf("user:%d", id), fmt.Sprintf("%s as %s", f.Email, f.Role))
	if p.Users, err = s.store.Users(r.Context()); err != nil {
		return err
	}
	p.Form = userForm{Role: store.RoleReporter}
	p.Created = &nu
	p.Flash = "Account created for " + nu.Name + "."
	if generated {
		p.NewPassword = pw
	}
	return s.render.Render(w, r, http.StatusCreated, "users", p)
}
