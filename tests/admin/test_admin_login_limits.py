"""The login limits under real concurrency: 32 wrong passwords posted at once for one account
check at most 5 passwords, the owner from another address still logs in, the waits double
per account and address, and password hashes run at most LOGIN_CONCURRENT_HASHES at once.

The hashes are counted by wrapping argon2's verify (it still runs: counting, not replacing).
"""

import threading

import pytest
from argon2 import PasswordHasher

from admin import passwords, ratelimit
from admin.models import Role
from tests.support.admin_pages import PASSWORD, csrf_from


class CountingVerify:
    """Wraps the real verify: how many ran, and the most at once."""

    def __init__(self, real):
        self.real, self.calls, self.running, self.most = real, 0, 0, 0
        self.lock = threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            return self.real(*args, **kwargs)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def hashes(monkeypatch):
    """Count every argon2 verification the app runs."""
    counter = CountingVerify(PasswordHasher.verify)

    def verify(hasher, *args, **kwargs):
        return counter(hasher, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    return counter


def _post_at_once(app, posts):
    """Send (username, password, address) login posts from as many threads at once."""
    clients = []
    for username, password, address in posts:
        c = app.test_client()
        c.environ_base["REMOTE_ADDR"] = address
        clients.append((c, csrf_from(c.get("/login").get_data(as_text=True)),
                        username, password))
    start = threading.Barrier(len(clients))
    answers = [None] * len(clients)

    def post(i, c, token, username, password):
        start.wait()
        r = c.post("/login", data={"csrf_token": token, "username": username,
                                   "password": password})
        answers[i] = (r.status_code, r.get_data(as_text=True))

    threads = [threading.Thread(target=post, args=(i, *args)) for i, args in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return answers


def test_32_wrong_passwords_at_once_check_at_most_5_and_the_owner_still_logs_in(
        app, make_user, login, hashes):
    app.config["LOGIN_CONCURRENT_HASHES"] = 32  # only the limit may hold them back here
    passwords.init_app(app)  # the slots are made at start: remake them
    make_user(Role.EDITOR, username="edith")
    answers = _post_at_once(app, [("edith", "a wrong password", "203.0.113.7")] * 32)
    codes = sorted(code for code, _ in answers)
    assert hashes.calls <= 5, f"{hashes.calls} passwords checked"
    assert codes.count(401) == hashes.calls and codes.count(429) == 32 - hashes.calls
    assert all("Too many failed attempts" in body for code, body in answers if code == 429)
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert login(owner, "edith", PASSWORD).status_code == 302


def test_concurrent_password_checks_are_bounded_and_the_rest_told_to_try_again(
        app, make_user, hashes):
    app.config.update(LOGIN_CONCURRENT_HASHES=1, LOGIN_HASH_WAIT_SECONDS=0)
    passwords.init_app(app)  # the slots are made at start: remake them
    posts = [(f"user{i}", "a wrong password", f"192.0.2.{i}") for i in range(8)]
    answers = _post_at_once(app, posts)
    assert hashes.most == 1
    busy = [body for code, body in answers if code == 429]
    assert busy and all("The server is busy. Try again in a moment." in b for b in busy)
    assert len(busy) + hashes.calls == 8
    # A busy answer gives its attempt back: the pair's count holds only the checked ones.
    assert ratelimit.take(app, "user0", "192.0.2.0") == 0.0


def test_the_wait_doubles_for_the_pair_and_is_capped(app):
    app.config.update(LOGIN_FAILURES_BEFORE_DELAY=5, LOGIN_FIRST_DELAY_SECONDS=60,
                      LOGIN_MAX_DELAY_MINUTES=5)
    now = 1_000_000.0
    for _ in range(5):
        assert ratelimit.take(app, "edith", "203.0.113.7", now) == 0.0
    assert ratelimit.take(app, "edith", "203.0.113.7", now) == 60
    # Each try after a wait is let through, then the next waits twice as long, up to 5 min.
    for wait in (120, 240, 300, 300):
        now += 300
        assert ratelimit.take(app, "edith", "203.0.113.7", now) == 0.0
        assert ratelimit.take(app, "edith", "203.0.113.7", now + 1) == wait - 1
    # Another address for the same account is untouched.
    assert ratelimit.take(app, "edith", "198.51.100.20", now) == 0.0


def test_the_account_ceiling_holds_across_addresses_and_a_login_gives_its_try_back(app):
    app.config.update(LOGIN_MAX_FAILURES_PER_ACCOUNT=8, LOGIN_FIRST_DELAY_SECONDS=60)
    now = 1_000_000.0
    for i in range(8):
        assert ratelimit.take(app, "edith", f"192.0.2.{i}", now) == 0.0
    assert ratelimit.take(app, "edith", "198.51.100.20", now) == 60
    assert ratelimit.take(app, "tove", "198.51.100.20", now) == 0.0  # other accounts go on
    # A successful login's attempt is given back, so the owner's logins never add up.
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 2
    for _ in range(5):
        assert ratelimit.take(app, "ada", "192.0.2.1", now) == 0.0
        ratelimit.give_back(app, "ada", "192.0.2.1", logged_in=True)


def test_a_quiet_window_forgets_the_failures(app):
    app.config.update(LOGIN_FAILURES_BEFORE_DELAY=2, LOGIN_WINDOW_MINUTES=15)
    now = 1_000_000.0
    for _ in range(2):
        ratelimit.take(app, "edith", "203.0.113.7", now)
    assert ratelimit.take(app, "edith", "203.0.113.7", now) > 0
    later = now + 60 + 15 * 60 + 1  # the wait, then a quiet window
    assert ratelimit.take(app, "edith", "203.0.113.7", later) == 0.0
    assert ratelimit.take(app, "edith", "203.0.113.7", later) == 0.0
    assert ratelimit.take(app, "edith", "203.0.113.7", later) > 0
