"""A small, real OpenID Connect provider on loopback for the demo and the tests (like triage.fake_services' BRP/KvK).

Authorization code flow only, with PKCE (S256, required), nonce, RS256-signed id_tokens, a JWKS, userinfo and a
discovery document. Like a real IdP it keeps a login session (a cookie): a second authorize in the same browser returns
straight away, until RP-initiated logout at its end-session endpoint ends that session (it checks the id_token_hint
is its own and redirects only to a registered post-logout URI). Its users are FICTIONAL demo accounts given at
start; each says whether the provider "asked a second factor" (then its id_token carries `amr: ["pwd", "mfa"]`).
Plain `http.server` in a daemon thread; nothing here is for production: a municipality's own IdP (Entra ID, ADFS,
Keycloak) takes its place (docs/privacy/login.md).
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "meldroute-demo"
CLIENT_SECRET = "demo-idp-geheim-niet-voor-productie"  # noqa: S105 — the local provider's own client, nothing real
KEY_ID = "demo-idp-sleutel-1"
CODE_SECONDS = 60
TOKEN_SECONDS = 300
SESSION_COOKIE = "demo_idp_sessie"  # not Meldroute's cookie names: cookies do not tell ports apart on loopback


@dataclass(frozen=True)
class IdpAccount:
    """A fictional person at the demo's identity provider."""

    username: str
    password: str
    subject: str
    name: str
    email: str
    mfa: bool = True
    extra_claims: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Grant:
    account: IdpAccount
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str
    expires: float
    sid: str


class _State:
    def __init__(self, accounts: list[IdpAccount], redirect_uris: list[str],
                 post_logout_redirect_uris: list[str] | None = None) -> None:
        self.accounts = {account.username: account for account in accounts}
        self.redirect_uris = redirect_uris
        self.post_logout_redirect_uris = post_logout_redirect_uris or []
        self.sessions: dict[str, IdpAccount] = {}  # the login sessions (cookie value -> who)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, _Grant] = {}
        self.tokens: dict[str, tuple[IdpAccount, float]] = {}
        self.lock = threading.Lock()
        self.issuer = ""

    def jwks(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def claims(self, account: IdpAccount) -> dict[str, Any]:
        return {"sub": account.subject, "name": account.name, "email": account.email, "email_verified": True,
                **account.extra_claims}


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


LOGIN_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Inloggen bij de demo-identiteitsprovider</title></head>
<body><main>
<h1>Demo-identiteitsprovider (fictief)</h1>
<p>Log in met een van de fictieve demo-accounts. Dit is de inlogdienst van de organisatie, niet van Meldroute.</p>
{error}
<form method="post" action="{action}">
{hidden}
<p><label for="username">Gebruikersnaam bij uw organisatie</label><br>
<input id="username" name="username" autocomplete="username" value="{username}"></p>
<p><label for="password">Wachtwoord bij uw organisatie</label><br>
<input id="password" name="password" type="password" autocomplete="current-password"></p>
<p><button type="submit">Inloggen bij uw organisatie</button></p>
</form></main></body></html>
"""

AUTHORIZE_FIELDS = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge",
                    "code_challenge_method")


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — quiet: the console is Meldroute's
        pass

    # --- helpers
    def _json(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _html(self, status: int, text: str) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(min(length, 100_000)).decode()
        return {key: values[0] for key, values in urllib.parse.parse_qs(data).items()}

    @property
    def state(self) -> _State:
        return self.server.state

    # --- endpoints
    def do_GET(self) -> None:  # noqa: N802 — http.server's name
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/.well-known/openid-configuration":
            issuer = self.state.issuer
            self._json(200, {
                "issuer": issuer, "authorization_endpoint": f"{issuer}/authorize", "token_endpoint": f"{issuer}/token",
                "userinfo_endpoint": f"{issuer}/userinfo", "jwks_uri": f"{issuer}/jwks",
                "end_session_endpoint": f"{issuer}/end-session",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"]})
        elif url.path == "/jwks":
            self._json(200, self.state.jwks())
        elif url.path == "/authorize":
            params = {key: values[0] for key, values in urllib.parse.parse_qs(url.query).items()}
            problem = self._check_authorize(params)
            if problem:
                self._error(problem)
                return
            sid = self._session_id()
            if sid:  # already logged in at the IdP in this browser: straight back, no form (single sign-on)
                self._issue_code(params, self.state.sessions[sid], sid, set_cookie=False)
                return
            self._login_page(params)
        elif url.path == "/userinfo":
            self._userinfo()
        elif url.path == "/end-session":
            self._end_session({key: values[0] for key, values in urllib.parse.parse_qs(url.query).items()})
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/authorize":
            self._authorize_post(self._form())
        elif url.path == "/token":
            self._token(self._form())
        elif url.path == "/end-session":
            self._end_session(self._form())
        else:
            self._json(404, {"error": "not_found"})

    def _check_authorize(self, params: dict[str, str]) -> str:
        if params.get("client_id") != CLIENT_ID:
            return "Onbekende client."
        if params.get("redirect_uri") not in self.state.redirect_uris:
            return "Deze terugkeer-URL is niet geregistreerd."
        if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
            return "Alleen de authorization code flow met scope openid."
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "PKCE (S256) is verplicht."
        if not params.get("state") or not params.get("nonce"):
            return "state en nonce zijn verplicht."
        return ""

    def _login_page(self, params: dict[str, str], error: str = "", username: str = "") -> None:
        hidden = "\n".join(f'<input type="hidden" name="{name}" value="{html.escape(params.get(name, ""))}">'
                           for name in AUTHORIZE_FIELDS)
        error_html = f'<p role="alert">{html.escape(error)}</p>' if error else ""
        self._html(200 if not error else 401, LOGIN_PAGE.format(
            error=error_html, action="/authorize", hidden=hidden, username=html.escape(username)))

    def _authorize_post(self, form: dict[str, str]) -> None:
        problem = self._check_authorize(form)
        if problem:
            self._error(problem)
            return
        account = self.state.accounts.get(form.get("username", ""))
        if account is None or not secrets.compare_digest(account.password, form.get("password", "")):
            self._login_page(form, error="Gebruikersnaam of wachtwoord klopt niet.", username=form.get("username", ""))
            return
        sid = secrets.token_urlsafe(32)
        with self.state.lock:
            self.state.sessions[sid] = account
        self._issue_code(form, account, sid, set_cookie=True)

    def _issue_code(self, params: dict[str, str], account: IdpAccount, sid: str, *, set_cookie: bool) -> None:
        code = secrets.token_urlsafe(32)
        with self.state.lock:
            self.state.codes[code] = _Grant(account, params["client_id"], params["redirect_uri"], params["nonce"],
                                            params["code_challenge"], time.time() + CODE_SECONDS, sid)
        query = urllib.parse.urlencode({"code": code, "state": params["state"]})
        self.send_response(302)
        self.send_header("Location", f"{params['redirect_uri']}?{query}")
        if set_cookie:
            self.send_header("Set-Cookie", f"{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _session_id(self) -> str:
        """The browser's login session at this provider, if it has a live one."""
        cookies = SimpleCookie()
        try:
            cookies.load(self.headers.get("Cookie", ""))
        except CookieError:
            return ""
        morsel = cookies.get(SESSION_COOKIE)
        sid = morsel.value if morsel is not None else ""
        with self.state.lock:
            return sid if sid in self.state.sessions else ""

    def _error(self, problem: str) -> None:
        """An error page of the provider's own: it never redirects anywhere it was not told it may."""
        self._html(400, f"<!doctype html><html lang=\"nl\"><title>Fout</title><p>{html.escape(problem)}</p>")

    def _end_session(self, params: dict[str, str]) -> None:
        """RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the hint must be an id_token this provider
        signed for a client it knows; the browser goes back only to a registered post-logout URI."""
        try:
            hint = jwt.decode(params.get("id_token_hint", ""), self.state.key.public_key(), algorithms=["RS256"],
                              audience=CLIENT_ID, issuer=self.state.issuer,
                              options={"verify_exp": False, "require": ["iss", "aud", "sub", "sid"]})
        except jwt.PyJWTError:
            self._error("Uitloggen geweigerd: de id_token_hint is niet door deze identiteitsprovider uitgegeven.")
            return
        if params.get("client_id", CLIENT_ID) != CLIENT_ID:
            self._error("Uitloggen geweigerd: onbekende client.")
            return
        target = params.get("post_logout_redirect_uri", "")
        if target and target not in self.state.post_logout_redirect_uris:
            self._error("Uitloggen geweigerd: deze terugkeer-URL na uitloggen is niet geregistreerd.")
            return
        cookie_sid = self._session_id()
        with self.state.lock:
            self.state.sessions.pop(str(hint["sid"]), None)
            in_browser = self.state.sessions.get(cookie_sid)
            if in_browser is not None and in_browser.subject == hint["sub"]:  # the same person, logged in again
                del self.state.sessions[cookie_sid]
        if not target:
            self._html(200, "<!doctype html><html lang=\"nl\"><title>Uitgelogd</title>"
                            "<p>U bent uitgelogd bij de demo-identiteitsprovider.</p>")
            return
        separator = "&" if "?" in target else "?"
        state = params.get("state")
        location = f"{target}{separator}{urllib.parse.urlencode({'state': state})}" if state else target
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Set-Cookie", f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _client_authenticated(self, form: dict[str, str]) -> bool:
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                client_id, _sep, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return False
            client_id, secret = urllib.parse.unquote(client_id), urllib.parse.unquote(secret)
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return client_id == CLIENT_ID and secrets.compare_digest(secret, CLIENT_SECRET)

    def _token(self, form: dict[str, str]) -> None:
        if not self._client_authenticated(form):
            self._json(401, {"error": "invalid_client"})
            return
        if form.get("grant_type") != "authorization_code":
            self._json(400, {"error": "unsupported_grant_type"})
            return
        with self.state.lock:
            grant = self.state.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or grant.expires < time.time() or grant.redirect_uri != form.get("redirect_uri"):
            self._json(400, {"error": "invalid_grant"})
            return
        if _s256(form.get("code_verifier", "")) != grant.code_challenge:
            self._json(400, {"error": "invalid_grant", "error_description": "PKCE verifier does not match"})
            return
        now = int(time.time())
        account = grant.account
        id_claims = {**self.state.claims(account), "iss": self.state.issuer, "aud": grant.client_id, "iat": now,
                     "exp": now + TOKEN_SECONDS, "nonce": grant.nonce, "sid": grant.sid,
                     "amr": ["pwd", "mfa"] if account.mfa else ["pwd"], "acr": "demo-mfa" if account.mfa else "demo"}
        id_token = jwt.encode(id_claims, self.state.key, algorithm="RS256", headers={"kid": KEY_ID})
        access_token = secrets.token_urlsafe(32)
        with self.state.lock:
            self.state.tokens[access_token] = (account, now + TOKEN_SECONDS)
        self._json(200, {"access_token": access_token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS,
                         "id_token": id_token})

    def _userinfo(self) -> None:
        header = self.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        with self.state.lock:
            entry = self.state.tokens.get(token)
        if entry is None or entry[1] < time.time():
            self._json(401, {"error": "invalid_token"})
            return
        self._json(200, self.state.claims(entry[0]))


class _Server(ThreadingHTTPServer):
    state: _State


@dataclass
class LocalIdp:
    httpd: _Server

    @property
    def issuer(self) -> str:
        return self.httpd.state.issuer

    def settings(self) -> dict[str, Any]:
        """The Django settings that point Meldroute's OIDC login at this provider."""
        return {"OIDC_RP_CLIENT_ID": CLIENT_ID, "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
                "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
                "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo", "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
                "OIDC_OP_LOGOUT_ENDPOINT": f"{self.issuer}/end-session", "OIDC_RP_SIGN_ALGO": "RS256"}

    def logged_in(self) -> int:
        """How many login sessions the provider holds (a test sees logout end one)."""
        with self.httpd.state.lock:
            return len(self.httpd.state.sessions)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def start_local_idp(accounts: list[IdpAccount], redirect_uris: list[str], port: int = 0,
                    post_logout_redirect_uris: list[str] | None = None) -> LocalIdp:
    """Start the provider on 127.0.0.1 (port 0: a free one) for these fictional accounts, callback URLs and the URLs
    it may send the browser back to after logging out."""
    httpd = _Server(("127.0.0.1", port), _Handler)
    httpd.daemon_threads = True
    httpd.state = _State(accounts, redirect_uris, post_logout_redirect_uris)
    host, bound_port = httpd.server_address[:2]
    httpd.state.issuer = f"http://{host!s}:{bound_port}"
    threading.Thread(target=httpd.serve_forever, name="local-oidc-provider", daemon=True).start()
    return LocalIdp(httpd)
