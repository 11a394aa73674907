"""A fake OpenID Connect provider over real HTTP on loopback, for the dashboard's login in a real browser.

    with FakeOIDC(client_id="guildboard", client_secret="s3cret") as provider:
        provider.redirect_uris = ["http://127.0.0.1:8501/oauth2callback"]
        provider.next_user = {"email": "ana@example.com", "email_verified": True}
        ...  # [auth] server_metadata_url = provider.metadata_url

It speaks the authorization-code flow as Streamlit's `st.login` (Authlib's Starlette client) uses
it: discovery, `/authorize` (which signs in `next_user` at once, with no page of its own), `/token`
(client secret by HTTP Basic or in the form, PKCE S256 when a challenge was sent, one use per code),
an RS256 `id_token` whose key is at `/jwks`, `/userinfo` for the access token, and `/logout`
(the end-session endpoint, which sends the browser back to `post_logout_redirect_uri`).

`counts` tells how often each endpoint was asked (`discovery`, `authorize`, `token`, `jwks`,
`userinfo`, `logout`, `unknown`); `rejected` lists every request it refused, and why, so a test can
assert that the flow went through here and that nothing was turned away.

Known differences from a real provider: no login page or consent, no refresh tokens, every user
is whoever `next_user` names when `/authorize` is asked, codes never expire (they are single-use).
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import secrets
import threading
import time
import warnings
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit, urlunsplit

from authlib.deprecate import AuthlibDeprecationWarning

with warnings.catch_warnings():  # the brief's authlib.jose: still Authlib's, deprecated for joserfc
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.jose import JsonWebKey, jwt

ID_TOKEN_LIFETIME = 600  # seconds


class FakeOIDC:
    """An OpenID Connect provider for one client, served on 127.0.0.1 from a thread."""

    def __init__(self, *, client_id: str, client_secret: str, end_session: bool = True) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.end_session = end_session
        #: The redirect URIs the client registered; empty: any.
        self.redirect_uris: list[str] = []
        #: Who `/authorize` signs in next: claims for the id_token (`email`, `email_verified`, ...).
        self.next_user: dict[str, Any] = {}
        self.counts: Counter[str] = Counter()
        self.rejected: list[str] = []
        #: The claims of every id_token handed out, in order.
        self.issued: list[dict[str, Any]] = []
        self._key = JsonWebKey.generate_key("RSA", 2048, {"kid": secrets.token_hex(8)}, is_private=True)
        self._codes: dict[str, dict[str, Any]] = {}
        self._access_tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base = ""

    # --- lifetime ------------------------------------------------------------------------------------

    def __enter__(self) -> FakeOIDC:
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-oidc", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None and self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    # --- what a client is told -----------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return self.base

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        doc = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.base}/authorize",
            "token_endpoint": f"{self.base}/token",
            "jwks_uri": f"{self.base}/jwks",
            "userinfo_endpoint": f"{self.base}/userinfo",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": ["iss", "sub", "aud", "iat", "exp", "nonce", "email", "email_verified", "name"],
            "code_challenge_methods_supported": ["S256"],
        }
        if self.end_session:
            doc["end_session_endpoint"] = f"{self.base}/logout"
        return doc

    def jwks(self) -> dict[str, Any]:
        public = self._key.as_dict(is_private=False)
        return {"keys": [{**public, "use": "sig", "alg": "RS256"}]}

    # --- the endpoints (called from the handler; each returns status, headers, body) ----------------

    def _reject(self, status: int, error: str, why: str) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.rejected.append(why)
        return _json(status, {"error": error, "error_description": why})

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if query.get("client_id") != self.client_id:
            return self._reject(400, "unauthorized_client", "authorize: unknown client_id")
        if query.get("response_type") != "code":
            return self._reject(400, "unsupported_response_type", "authorize: response_type is not code")
        if "openid" not in query.get("scope", "").split():
            return self._reject(400, "invalid_scope", "authorize: no openid scope")
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri or (self.redirect_uris and redirect_uri not in self.redirect_uris):
            return self._reject(400, "invalid_request", "authorize: redirect_uri not registered")
        if query.get("code_challenge") and query.get("code_challenge_method") != "S256":
            return self._reject(400, "invalid_request", "authorize: code_challenge_method is not S256")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {
                "user": dict(self.next_user),
                "nonce": query.get("nonce"),
                "redirect_uri": redirect_uri,
                "code_challenge": query.get("code_challenge"),
            }
        answer = {"code": code}
        if "state" in query:
            answer["state"] = query["state"]
        return 302, {"Location": _with_query(redirect_uri, answer)}, b""

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, str], bytes]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            try:
                pair = base64.b64decode(authorization[6:].strip()).decode()
            except ValueError:
                return self._reject(401, "invalid_client", "token: malformed Basic credentials")
            client_id, _, client_secret = (unquote(part) for part in pair.partition(":"))
        if client_id != self.client_id or not secrets.compare_digest(client_secret or "", self.client_secret):
            return self._reject(401, "invalid_client", "token: wrong client_id or client_secret")
        if form.get("grant_type") != "authorization_code":
            return self._reject(400, "unsupported_grant_type", "token: grant_type is not authorization_code")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None:
            return self._reject(400, "invalid_grant", "token: unknown or used code")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._reject(400, "invalid_grant", "token: redirect_uri differs from the authorize request's")
        if grant["code_challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if not verifier or digest != grant["code_challenge"]:
                return self._reject(400, "invalid_grant", "token: PKCE code_verifier does not match")
        user = grant["user"]
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": user.get("sub") or hashlib.sha256(str(user.get("email")).encode()).hexdigest()[:20],
            "aud": self.client_id,
            "iat": now,
            "auth_time": now,
            "exp": now + ID_TOKEN_LIFETIME,
            **{k: v for k, v in user.items() if k != "sub"},
        }
        if grant["nonce"] is not None:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": self._key.kid, "typ": "JWT"}, claims, self._key).decode()
        access_token = secrets.token_urlsafe(32)
        with self._lock:
            self.issued.append(claims)
            self._access_tokens[access_token] = {"sub": claims["sub"], **user}
        return _json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": ID_TOKEN_LIFETIME,
                "scope": "openid email profile",
                "id_token": id_token,
            },
            {"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    def userinfo(self, authorization: str | None) -> tuple[int, dict[str, str], bytes]:
        token = authorization[7:].strip() if authorization and authorization.lower().startswith("bearer ") else ""
        with self._lock:
            user = self._access_tokens.get(token)
        if user is None:
            return self._reject(401, "invalid_token", "userinfo: unknown access token")
        return _json(200, user)

    def logout(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        back = query.get("post_logout_redirect_uri")
        if query.get("client_id", self.client_id) != self.client_id:
            return self._reject(400, "invalid_request", "logout: unknown client_id")
        if not back or (self.redirect_uris and back not in self.redirect_uris):
            return self._reject(400, "invalid_request", "logout: post_logout_redirect_uri not registered")
        return 302, {"Location": back}, b""


def _handler_for(provider: FakeOIDC) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FakeOIDC/1"

        def do_GET(self) -> None:
            path, query = self._split()
            if path == "/.well-known/openid-configuration":
                self._count("discovery")
                self._send(*_json(200, provider.metadata()))
            elif path == "/authorize":
                self._count("authorize")
                self._send(*provider.authorize(query))
            elif path == "/jwks":
                self._count("jwks")
                self._send(*_json(200, provider.jwks()))
            elif path == "/userinfo":
                self._count("userinfo")
                self._send(*provider.userinfo(self.headers.get("Authorization")))
            elif path == "/logout" and provider.end_session:
                self._count("logout")
                self._send(*provider.logout(query))
            else:
                self._count("unknown")
                self._send(*_json(404, {"error": "not_found"}))

        def do_POST(self) -> None:
            path, _ = self._split()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            if path == "/token":
                self._count("token")
                form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
                self._send(*provider.token(form, self.headers.get("Authorization")))
            elif path == "/userinfo":
                self._count("userinfo")
                self._send(*provider.userinfo(self.headers.get("Authorization")))
            else:
                self._count("unknown")
                self._send(*_json(404, {"error": "not_found"}))

        def _split(self) -> tuple[str, dict[str, str]]:
            parts = urlsplit(self.path)
            return parts.path, {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}

        def _count(self, name: str) -> None:
            with provider._lock:
                provider.counts[name] += 1

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the test reads counts
            pass

    return Handler


def _json(status: int, doc: Any, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(doc).encode()


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{urlencode(params)}" if parts.query else urlencode(params)
    return urlunsplit(parts._replace(query=query))
