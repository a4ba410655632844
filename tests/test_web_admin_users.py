"""An admin's actions on other users' accounts (/admin/users): deactivate and reactivate, set a new password, unlock
the sign-in, turn off two-step sign-in. Each audited with the admin and the user's id only; none for other roles.
The real app over a copy of the demo database; two test clients stand for the admin's and the user's browsers."""
from __future__ import annotations

import re
import time

import pyotp
import pytest

from planner.accounts.users import Refused, deactivate_user
from web_support import PASSWORD, USERS, Browser, csrf_token

NEW_PASSWORD = "lantern ferry cloudberry"


def user_id(db, who: str) -> int:
    return next(db.query("select id from users where email = ?", [USERS[who][0]]))["id"]


def admin_actions(db, action: str) -> list[dict]:
    return [dict(r) for r in db.query("select actor, entity, entity_id, detail from audit_log where action = ? "
                                      "order by id", [action])]


def text(response) -> str:
    return response.get_data(as_text=True)


def try_sign_in(b: Browser, email: str, password: str = PASSWORD):
    b.token = csrf_token(b.get("/sign-in"))
    return b.client.post("/sign-in", data={"email": email, "password": password, "csrf_token": b.token})


def actions(user: int) -> list[tuple[str, str]]:
    return [("POST", f"/admin/users/{user}/deactivate"), ("POST", f"/admin/users/{user}/reactivate"),
            ("POST", f"/admin/users/{user}/password"), ("POST", f"/admin/users/{user}/unlock"),
            ("POST", f"/admin/users/{user}/two-step/off"), ("GET", f"/admin/users/{user}")]


@pytest.mark.parametrize("who", ["oulu", "lead"])
def test_only_admins_may_act_on_accounts(browser, web_db, who):
    b = browser(who)
    target = user_id(web_db, "tampere")
    before = web_db["audit_log"].count
    for method, url in actions(target):
        response = b.get(url) if method == "GET" else b.post(url, {"password": NEW_PASSWORD})
        assert response.status_code == 403, (who, url)
    assert web_db["users"].get(target)["active"] == 1
    assert web_db["audit_log"].count == before
    anonymous = browser()
    for method, url in actions(target):
        response = anonymous.get(url) if method == "GET" else anonymous.post(url)
        assert response.status_code == 302 and "/sign-in" in response.location


def test_actions_need_the_csrf_token(browser, web_db):
    admin = browser("admin")
    target = user_id(web_db, "oulu")
    assert admin.client.post(f"/admin/users/{target}/deactivate").status_code == 400
    assert web_db["users"].get(target)["active"] == 1


def test_deactivating_ends_the_open_session_and_blocks_sign_in(browser, web_db):
    oulu, admin = browser("oulu"), browser("admin")
    target = user_id(web_db, "oulu")
    assert oulu.get("/schedule").status_code == 200
    feed = re.search(r'value="(http[^"]+\.ics)"', text(oulu.post("/schedule/calendar")))[1].split("localhost", 1)[1]
    assert browser().get(feed).status_code == 200

    response = admin.post(f"/admin/users/{target}/deactivate", follow_redirects=True)
    page = text(response)
    assert response.status_code == 200
    assert f"{USERS['oulu'][0]} on poistettu käytöstä: kaikki hänen istuntonsa päättyivät" in page
    # the open session of the user, in the other browser, is over at its next click
    assert oulu.get("/schedule").status_code == 302
    # they cannot sign in: the same answer as a wrong password, nothing given away
    refused = try_sign_in(browser(), USERS["oulu"][0])
    assert refused.status_code == 200 and "Väärä sähköposti tai salasana." in text(refused)
    assert browser().get(feed).status_code == 404  # the calendar link (maybe on a lost phone) is dead too
    admin_id = user_id(web_db, "admin")
    assert admin_actions(web_db, "deactivate-user") == [{"actor": f"user:{admin_id}", "entity": "user",
                                                         "entity_id": str(target), "detail": "{}"}]
    listing = text(admin.get("/admin/users"))
    row = listing.split(USERS["oulu"][0] + "</a>")[1].split("</tr>")[0]
    assert "poistettu käytöstä" in row

    # again: nothing more happens
    again = admin.post(f"/admin/users/{target}/deactivate", follow_redirects=True)
    assert "oli jo poistettu käytöstä" in text(again) and len(admin_actions(web_db, "deactivate-user")) == 1

    # reactivated: a new sign-in works; the old session stays ended
    old_cookie = oulu.client.get_cookie("session").value
    response = admin.post(f"/admin/users/{target}/reactivate", follow_redirects=True)
    assert f"{USERS['oulu'][0]} voi taas kirjautua." in text(response)
    assert web_db["users"].get(target)["active"] == 1
    stale = browser()
    stale.client.set_cookie("session", old_cookie)
    assert stale.get("/schedule").status_code == 302
    assert try_sign_in(browser(), USERS["oulu"][0]).status_code == 302
    assert admin_actions(web_db, "reactivate-user") == [{"actor": f"user:{admin_id}", "entity": "user",
                                                         "entity_id": str(target), "detail": "{}"}]


def test_an_admin_cannot_deactivate_themselves(browser, web_db):
    admin = browser("admin")
    me = user_id(web_db, "admin")
    page = text(admin.get(f"/admin/users/{me}"))
    assert f'action="/admin/users/{me}/deactivate"' not in page  # not offered
    response = admin.post(f"/admin/users/{me}/deactivate")
    assert response.status_code == 409 and "Et voi poistaa omaa tiliäsi käytöstä." in text(response)
    assert web_db["users"].get(me)["active"] == 1 and not admin_actions(web_db, "deactivate-user")
    assert admin.get("/admin/users").status_code == 200  # still signed in


def test_the_last_active_admin_stays(browser, web_db):
    """Two admins in the test database: one may deactivate the other, but the last one left cannot be."""
    admin = browser("admin")
    me = user_id(web_db, "admin")
    other = next(web_db.query("select id from users where role = 'admin' and id != ?", [me]))["id"]
    assert admin.post(f"/admin/users/{other}/deactivate").status_code == 302
    assert web_db["users"].get(other)["active"] == 0
    # the admin left is the last one: refused however it is asked (here as the command line would)
    with pytest.raises(Refused) as refused:
        deactivate_user(web_db, me, actor_id=None, actor="cli")
    assert refused.value.code == "last-admin"
    assert web_db["users"].get(me)["active"] == 1
    # a lead is not an admin: deactivating one never counts admins
    lead = user_id(web_db, "lead")
    assert deactivate_user(web_db, lead, actor_id=None, actor="cli") is True


def test_setting_a_password_checks_the_policy_and_ends_the_users_sessions(browser, web_db):
    lead, admin = browser("lead"), browser("admin")
    target = user_id(web_db, "lead")
    old_hash = web_db["users"].get(target)["password_hash"]
    weak = admin.post(f"/admin/users/{target}/password", {"password": "password1234"})
    page = text(weak)
    assert weak.status_code == 422 and 'id="password-error"' in page
    assert "yksi yleisimmistä salasanoista" in page.split('id="password-error"')[1].split("</ul>")[0]
    assert web_db["users"].get(target)["password_hash"] == old_hash and lead.get("/overview").status_code == 200
    assert admin.post(f"/admin/users/{target}/password", {"password": ""}).status_code == 422

    response = admin.post(f"/admin/users/{target}/password", {"password": NEW_PASSWORD}, follow_redirects=True)
    assert f"Uusi salasana asetettu käyttäjälle {USERS['lead'][0]}" in text(response)
    assert lead.get("/overview").status_code == 302  # their open session has ended
    assert try_sign_in(browser(), USERS["lead"][0], PASSWORD).status_code == 200  # the old password is refused
    assert try_sign_in(browser(), USERS["lead"][0], NEW_PASSWORD).status_code == 302
    assert admin_actions(web_db, "set-password") == [{"actor": f"user:{user_id(web_db, 'admin')}", "entity": "user",
                                                      "entity_id": str(target), "detail": "{}"}]
    assert NEW_PASSWORD not in str(list(web_db.query("select * from audit_log")))
    assert admin.get("/admin/users").status_code == 200  # the admin's own session goes on


def test_an_admin_sets_their_own_password_on_the_account_page(browser, web_db):
    admin = browser("admin")
    me = user_id(web_db, "admin")
    old_hash = web_db["users"].get(me)["password_hash"]
    response = admin.post(f"/admin/users/{me}/password", {"password": NEW_PASSWORD})
    assert response.status_code == 409 and "Vaihda oma salasanasi Oma tili -sivulla" in text(response)
    assert web_db["users"].get(me)["password_hash"] == old_hash


def test_unlocking_lets_a_locked_out_user_sign_in_at_once(browser, web_db):
    target = user_id(web_db, "oulu")
    stranger = browser()
    for _ in range(5):
        try_sign_in(stranger, USERS["oulu"][0], "not the password at all")
    assert try_sign_in(browser(), USERS["oulu"][0]).status_code == 429  # locked, even with the right password
    admin = browser("admin")
    listing = text(admin.get("/admin/users"))
    assert '<span class="tag bad">lukittu</span>' in listing.split(USERS["oulu"][0] + "</a>")[1].split("</tr>")[0]
    assert "<td>ei lukittu</td>" in listing.split(USERS["tampere"][0] + "</a>")[1].split("</tr>")[0]
    assert f'action="/admin/users/{target}/unlock"' in text(admin.get(f"/admin/users/{target}"))

    response = admin.post(f"/admin/users/{target}/unlock", follow_redirects=True)
    assert f"Käyttäjän {USERS['oulu'][0]} lukitus on avattu" in text(response)
    assert try_sign_in(browser(), USERS["oulu"][0]).status_code == 302
    assert admin_actions(web_db, "unlock-user") == [{"actor": f"user:{user_id(web_db, 'admin')}", "entity": "user",
                                                     "entity_id": str(target), "detail": "{}"}]
    # not locked: said so, nothing audited
    again = admin.post(f"/admin/users/{target}/unlock", follow_redirects=True)
    assert "ei ollut lukittuna" in text(again) and len(admin_actions(web_db, "unlock-user")) == 1


def test_turning_off_a_users_two_step_sign_in(browser, web_db):
    lead = browser("lead")
    target = user_id(web_db, "lead")
    assert lead.post("/account/two-step/start", {"start-current": PASSWORD}).status_code == 302
    secret = web_db["totp"].get(target)["secret"]
    assert lead.post("/account/two-step", {"code": pyotp.TOTP(secret).at(time.time())}).status_code == 302
    assert try_sign_in(browser(), USERS["lead"][0]).location == "/sign-in/code"  # the code step now
    admin = browser("admin")
    row = text(admin.get("/admin/users")).split(USERS["lead"][0] + "</a>")[1].split("</tr>")[0]
    assert "<td>käytössä</td>" in row and "<td>ei lukittu</td>" in row  # two-step on, not locked

    response = admin.post(f"/admin/users/{target}/two-step/off", follow_redirects=True)
    assert "Kaksivaiheinen kirjautuminen on poistettu käytöstä käyttäjältä" in text(response)
    assert not web_db["totp"].count
    assert "<td>ei käytössä</td>" in text(admin.get("/admin/users")).split(USERS["lead"][0] + "</a>")[1]
    assert try_sign_in(browser(), USERS["lead"][0]).location == "/overview"  # the password alone again
    assert admin_actions(web_db, "totp-reset") == [{"actor": f"user:{user_id(web_db, 'admin')}", "entity": "user",
                                                    "entity_id": str(target), "detail": "{}"}]
    again = admin.post(f"/admin/users/{target}/two-step/off", follow_redirects=True)
    assert "ei ole kaksivaiheista kirjautumista" in text(again) and len(admin_actions(web_db, "totp-reset")) == 1


def test_an_unknown_user_is_404(browser, web_db):
    admin = browser("admin")
    before = web_db["audit_log"].count
    for method, url in actions(99999):
        response = admin.get(url) if method == "GET" else admin.post(url, {"password": NEW_PASSWORD})
        assert response.status_code == 404, url
    assert web_db["audit_log"].count == before


def test_the_user_page_speaks_swedish_and_english(browser, web_db):
    admin = browser("admin")
    target = user_id(web_db, "oulu")
    admin.post("/language", {"lang": "sv", "next": "/admin/users"})
    page = text(admin.get(f"/admin/users/{target}"))
    assert "Inaktivera kontot" in page and "Sätt ett nytt lösenord" in page
    response = admin.post(f"/admin/users/{target}/deactivate", follow_redirects=True)
    assert "är inaktiverad" in text(response)
    admin.post("/language", {"lang": "en", "next": "/admin/users"})
    response = admin.post(f"/admin/users/{target}/reactivate", follow_redirects=True)
    assert f"{USERS['oulu'][0]} can sign in again." in text(response)


def test_the_person_picker_is_not_labelled_like_the_staff_role(browser):
    """The audit found two fields called "Työntekijä" on the new-user form: the role and the person."""
    page = browser("admin").get("/admin/users").get_data(as_text=True)
    import re
    labels = dict(re.findall(r'<label[^>]*for="(role|staff)"[^>]*>\s*([^<]+?)\s*<', page))
    assert labels == {"role": "Rooli", "staff": "Tiimin jäsen"} and ">Työntekijä</option>" in page


def test_a_new_user_form_says_everything_wrong_at_once_in_the_admins_language(browser, web_db):
    """An email that is none and a short password, then a taken email and a staff user with no person: each
    message in Finnish beside its field, all in one answer (before: one English sentence at a time, the email's
    only once the password passed), and nobody created."""
    admin = browser("admin")
    admin.get("/admin/users")
    before = web_db["users"].count
    response = admin.post("/admin/users", {"email": "not-an-email", "role": "lead", "staff": "", "password": "short"})
    page = text(response)
    assert response.status_code == 422 and web_db["users"].count == before
    assert "Anna sähköpostiosoite, esimerkiksi nimi@esimerkki.fi." in page
    assert "Vähintään 12 merkkiä, enintään 1000." in page
    assert "is not an email address" not in page and "not-an-email" in page     # what was typed stays
    response = admin.post("/admin/users", {"email": USERS["oulu"][0], "role": "staff", "staff": "",
                                           "password": NEW_PASSWORD})
    page = text(response)
    assert f"Käyttäjä sähköpostiosoitteella {USERS['oulu'][0]} on jo olemassa." in page
    assert "Työntekijän tunnus liitetään hänen omaan henkilöönsä" in page and web_db["users"].count == before
