"""Headers on every answer, CSRF on every state change, proxy trust, request size limit."""

from __future__ import annotations

from flask import Flask, Response, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

# No script runs on these pages: every essential action is a plain form. An area that needs
# scripts adds its own files under /static and extends script-src with 'self' here.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app: Flask) -> None:
    """Turn on CSRF, the size limit, the security headers and the error pages."""
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_BYTES"]
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_REQUEST_BYTES"]
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the session's own timeouts bound it
    CSRFProtect(app)
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    def _page(code: int, template: str):
        def handler(_error):
            return render_template(template, code=code), code
        return handler

    for code in (403, 404, 405, 413, 500):
        app.register_error_handler(code, _page(code, "error.html"))
    app.register_error_handler(CSRFError, _page(400, "error.html"))
