"""A small OpenID Connect provider for tests: discovery, authorize (consents at once), token, JWKS.

Run it with ``python -m tests.support.mock_oidc PORT SUBJECT``: every sign-in through it is the
identity ``SUBJECT``. It signs ID tokens with an RSA key made at start.
"""

from __future__ import annotations

import secrets
import sys
import time
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

CLIENT_ID, CLIENT_SECRET = "wddf-test-client", "wddf-test-secret"


def build_app(issuer: str, subject: str) -> Starlette:
    """The provider's routes; codes are kept in memory for the life of the process."""
    key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    codes: dict[str, dict] = {}

    async def discovery(_: Request) -> JSONResponse:
        return JSONResponse(
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks",
                "userinfo_endpoint": f"{issuer}/userinfo",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                ],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def authorize(request: Request) -> RedirectResponse:
        code = secrets.token_urlsafe(16)
        codes[code] = {"nonce": request.query_params.get("nonce")}
        target = request.query_params["redirect_uri"]
        query = urlencode({"code": code, "state": request.query_params.get("state", "")})
        return RedirectResponse(f"{target}?{query}", status_code=302)

    async def token(request: Request) -> JSONResponse:
        form = await request.form()
        grant = codes.pop(str(form.get("code")), None)
        if grant is None:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        claims = {
            "iss": issuer,
            "sub": subject,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 600,
            "email": "shared.mailbox@example.org",
            "name": "Test Person",
        }
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 600,
                "id_token": id_token,
            }
        )

    async def jwks(_: Request) -> JSONResponse:
        return JSONResponse({"keys": [key.as_dict(private=False)]})

    async def userinfo(_: Request) -> JSONResponse:
        return JSONResponse({"sub": subject, "email": "shared.mailbox@example.org"})

    return Starlette(
        routes=[
            Route("/.well-known/openid-configuration", discovery),
            Route("/authorize", authorize),
            Route("/token", token, methods=["POST"]),
            Route("/jwks", jwks),
            Route("/userinfo", userinfo),
        ]
    )


if __name__ == "__main__":
    port, subject = int(sys.argv[1]), sys.argv[2]
    uvicorn.run(
        build_app(f"http://127.0.0.1:{port}", subject),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
