"""The ``users`` table (migration 0001, session generations 0006): accounts, their roles and their link to a staff
member. Password hashes are written here as given; hashing and the password policy are ``planner.accounts``'."""
from __future__ import annotations

from sqlite_utils import Database

# What a page about a user may show: never the password hash or the calendar token.
PUBLIC_COLUMNS = "id, email, role, staff, active, password_sign_in, oidc_subject is not null as sso_linked"


def get_user(db: Database, user_id: int) -> dict | None:
    return next(db.query("select * from users where id = ?", [user_id]), None)


def public_user(db: Database, user_id: int) -> dict | None:
    return next(db.query(f"select {PUBLIC_COLUMNS} from users where id = ?", [user_id]), None)


def user_id_by_email(db: Database, email: str) -> int | None:
    """The account with ``email``, active or not."""
    row = next(db.query("select id from users where email = ?", [email]), None)
    return row["id"] if row else None


def active_user_by_email(db: Database, email: str) -> dict | None:
    return next(db.query("select * from users where email = ? and active = 1", [email]), None)


def active_user_of_generation(db: Database, user_id: int, generation: int) -> dict | None:
    """The user while active and still on ``generation`` (no password change or sign-out everywhere since)."""
    return next(db.query("select * from users where id = ? and active = 1 and session_generation = ?",
                         [user_id, generation]), None)


def user_of_session(db: Database, user_id: int, generation: int, session_key: str) -> dict | None:
    """The user of a session: active, on ``generation``, and the session (its key) still kept on the server."""
    return next(db.query(
        """select u.* from users u join user_sessions s on s.user = u.id
           where u.id = ? and u.active = 1 and u.session_generation = ? and s.id = ?""",
        [user_id, generation, session_key]), None)


def user_list(db: Database) -> list[dict]:
    """Every user for the admin's list, with whether two-step sign-in is on (no hashes, no secrets)."""
    return list(db.query(
        """select u.id, u.email, u.role, u.staff, u.active, u.created_at, t.confirmed_at is not null as totp_on
           from users u left join totp t on t.user = u.id order by u.email"""))


def emails(db: Database) -> set[str]:
    return {r["email"] for r in db.query("select email from users")}


def email_taken(db: Database, email: str) -> bool:
    return bool(list(db.query("select 1 from users where email = ?", [email])))


def staff_name(db: Database, staff_id: str | None) -> str | None:
    """The name of the staff member a user is linked to (None for none or an unknown id)."""
    row = next(db.query("select name from staff where id = ?", [staff_id]), None) if staff_id else None
    return row["name"] if row else None


def staff_exists(db: Database, staff_id: str) -> bool:
    return bool(list(db.query("select 1 from staff where id = ?", [staff_id])))


def staff_choices(db: Database) -> list[tuple[str, str]]:
    """(id, name) of every staff member, by office then name: whom a new user may be linked to."""
    return [(r["id"], r["name"]) for r in db.query("select id, name from staff order by office, name")]


def insert_user(db: Database, row: dict) -> int:
    return db["users"].insert(row).last_pk


def set_password_hash(db: Database, user_id: int, password_hash: str) -> None:
    db["users"].update(user_id, {"password_hash": password_hash})


def new_session_generation(db: Database, user_id: int) -> int:
    """Bump the user's session generation and forget their sessions; returns the new generation."""
    db.execute("update users set session_generation = session_generation + 1 where id = ?", [user_id])
    db.execute("delete from user_sessions where user = ?", [user_id])  # dead now; the server forgets them
    return db.execute("select session_generation from users where id = ?", [user_id]).fetchone()[0]


def other_active_admins(db: Database, user_id: int) -> int:
    return db.execute("select count(*) from users where role = 'admin' and active = 1 and id != ?",
                      [user_id]).fetchone()[0]


def deactivate(db: Database, user_id: int) -> None:
    """Inactive, calendar feed link gone for good, every session ended (a new generation)."""
    db.execute("update users set active = 0, calendar_token = null, "
               "session_generation = session_generation + 1 where id = ?", [user_id])


def reactivate(db: Database, user_id: int) -> bool:
    """True when the user was inactive and is active now."""
    return db.execute("update users set active = 1 where id = ? and active = 0", [user_id]).rowcount == 1


NOTICE_COLUMNS = ("notify_trips", "notify_declines", "notify_plan_jobs")


def wanting_notice(db: Database, column: str, staff_ids=None, role: str | None = None,
                   user_id: int | None = None) -> list[dict]:
    """Active users who want the notices of ``column`` (one of ``NOTICE_COLUMNS``): linked to one of ``staff_ids``
    (or to any staff member when ``staff_ids`` is None and no role or user is asked), or of ``role``, or ``user_id``."""
    if column not in NOTICE_COLUMNS:
        raise ValueError(column)
    where, params = [f"active = 1 and {column} = 1"], []
    if user_id is not None:
        where.append("id = ?")
        params.append(user_id)
    elif role is not None:
        where.append("role = ?")
        params.append(role)
    elif staff_ids is not None:
        staff_ids = list(staff_ids)
        where.append(f"staff in ({', '.join('?' * len(staff_ids))})" if staff_ids else "0")
        params += staff_ids
    else:
        where.append("staff is not null and staff != ''")
    return list(db.query(f"select id, staff, email, language from users where {' and '.join(where)} order by id",
                         params))


def notice_settings(db: Database, user_id: int) -> dict:
    """The user's language and which notices they want."""
    return next(db.query(f"select language, {', '.join(NOTICE_COLUMNS)} from users where id = ?", [user_id]))


def set_notice_settings(db: Database, user_id: int, wanted: dict[str, bool], language: str | None) -> None:
    db["users"].update(user_id, {**{c: int(bool(wanted.get(c))) for c in NOTICE_COLUMNS}, "language": language})


def set_language_if_unset(db: Database, user_id: int, language: str) -> None:
    """The messages' language from the first page language a person picks; one chosen since is kept."""
    db.execute("update users set language = ? where id = ? and language is null", [language, user_id])


def set_password_sign_in(db: Database, user_id: int, allowed: bool) -> bool:
    """True when it changed."""
    return bool(db.execute("update users set password_sign_in = ? where id = ? and password_sign_in != ?",
                           [int(allowed), user_id, int(allowed)]).rowcount)


def link_subject(db: Database, user_id: int, subject: str | None) -> bool:
    """Link the account to a person at the identity provider (None: unlink); True when it changed."""
    return bool(db.execute("update users set oidc_subject = ? where id = ? and oidc_subject is not ?",
                           [subject, user_id, subject]).rowcount)


def admins_with_password(db: Database) -> list[int]:
    return [r["id"] for r in db.query("select id from users where role = 'admin' and active = 1 "
                                      "and password_sign_in = 1")]
