"""The OpenAPI 3.1 document of the sync API, served at ``/api/v1/openapi.json``.

Built from the same constants the views check (the batch limit, the event kinds), so the
document cannot drift from what the server does; ``tests/feedback`` checks that every
``/api/v1`` route is described.
"""

from __future__ import annotations

from admin.feedback.ingest import HEX32, MAX_OFFSET_MS, MAX_WAITING, MINUTE
from kiosk.content.schema import ID_RE
from kiosk.record.kinds import ID_MAX, KINDS, VERSION_RE

HEX32_SCHEMA = {"type": "string", "pattern": HEX32.pattern}
# The error code of each HTTP status the API answers with outside its own checks.
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
              413: "request_too_large", 415: "not_json", 429: "rate_limited",
              500: "internal_error"}
# Codes of a refused event (in a 200 answer's "refused" list, or the one USB-import sentence).
EVENT_CODES = ("malformed_event", "identifying_text", "free_text_not_asked")
# Routes of other areas under /api/v1, described here so that one document covers the API.
# An area may instead call describe() at import time with its own operations.
OTHER_PATHS: dict[str, dict] = {
    "/school-sessions/{code}": {"get": {
        "operationId": "schoolSession",
        "summary": "A school session by its code, for a kiosk (admin.views.school).",
        "security": [{"kioskToken": []}],
        "parameters": [{"name": "code", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {
            "200": {"description": "The session: stories, language, discussion mode, date."},
            "401": {"description": "No token or an unknown one (unknown_token)."},
            "403": {"description": "The kiosk's token was revoked (token_revoked)."},
            "404": {"description": "No session has this code (unknown_code)."},
            "410": {"description": "The code is for another day (not_today)."},
        },
    }},
}


def describe(path: str, operations: dict) -> None:
    """Add an area's /api/v1 path (OpenAPI form, e.g. /things/{id}) to the document."""
    OTHER_PATHS[path] = operations


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _refusals() -> dict:
    return {
        "400": _error("A malformed request (malformed_request: not a JSON object, not UTF-8, "
                      "nested too deep; malformed_status; malformed_event when events is no "
                      "array or carries another kiosk's kiosk_id); nothing stored."),
        "401": _error("No token (no_token) or a token of no kiosk (unknown_token)."),
        "403": _error("The kiosk's token was revoked (token_revoked)."),
        "404": _error("No such path under /api/v1 (not_found)."),
        "405": _error("The path does not take this method (method_not_allowed); the Allow "
                      "header lists the methods it takes."),
        "413": _error("A body over the size limit (request_too_large)."),
        "415": _error("The body is not sent as application/json (not_json)."),
        "429": {**_error("More requests from this token in a minute than the server takes "
                         "(rate_limited); nothing stored."),
                "headers": {"Retry-After": {"description": "Seconds to wait.",
                                            "schema": {"type": "integer"}}}},
        "500": _error("The server failed (internal_error); nothing stored; retry later."),
    }


def document(max_batch: int) -> dict:
    """The OpenAPI document (a plain dict, served as JSON)."""
    event = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "kiosk_id", "session_id", "at", "offset_ms", "kind", "payload"],
        "properties": {
            "id": {**HEX32_SCHEMA, "description": "Random event id; the server stores each id once."},
            "kiosk_id": {**HEX32_SCHEMA, "description": "The kiosk's random record id (its data "
                                                 "folder's kiosk-id); one per registration."},
            "session_id": {**HEX32_SCHEMA, "description": "Random per visitor session."},
            "at": {"type": "string", "pattern": MINUTE.pattern,
                   "description": "UTC wall-clock minute; a real date (not 2026-02-31, "
                                  "not year 0)."},
            "offset_ms": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET_MS,
                          "description": "Monotonic offset within the visitor session."},
            "kind": {"type": "string", "enum": sorted(KINDS)},
            "payload": {"type": "object", "description": "The kind's whitelisted fields "
                                                         "(kiosk.record.kinds)."},
            "seq": {"type": "integer", "description": "The kiosk's row number; ignored."},
        },
    }
    status = {
        "type": "object", "additionalProperties": False,
        "properties": {
            "pack_id": {"type": ["string", "null"], "pattern": ID_RE.pattern,
                        "maxLength": ID_MAX},
            "pack_version": {"type": ["string", "null"], "pattern": VERSION_RE.pattern},
            "waiting": {"type": "integer", "minimum": 0, "maximum": MAX_WAITING,
                        "description": "Events on the kiosk not acknowledged yet."},
        },
    }
    refusal = {
        "type": "object", "required": ["code", "message", "index"],
        "properties": {
            "code": {"type": "string", "enum": list(EVENT_CODES),
                     "description": "identifying_text: free text with an e-mail address or "
                                    "phone number; free_text_not_asked: free text for a "
                                    "question no pack asks with free text; malformed_event: "
                                    "anything else not of the record's form."},
            "message": {"type": "string", "description": "What is wrong, in a sentence; never "
                                                         "the refused value."},
            "index": {"type": "integer", "description": "The event's place in the batch."},
            "event_id": {**HEX32_SCHEMA, "description": "Its id, when it had a valid one."},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Storykiosk sync API", "version": "1",
                 "description": "Kiosks upload their anonymous visitor events. A kiosk is "
                                "registered by an administrator in the admin (Kiosks page), "
                                "which shows its token once."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"kioskToken": {"type": "http", "scheme": "bearer",
                                               "description": "The token shown once at "
                                                              "registration."}},
            "schemas": {
                "Event": event, "Status": status, "RefusedEvent": refusal,
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                   "index": {"type": "integer"},
                                   "event_id": {"type": "string"},
                                   "limit": {"type": "integer"},
                                   "retry_after": {"type": "integer"}}}}},
            },
        },
        "paths": {
            "/events": {"post": {
                "operationId": "uploadEvents",
                "summary": "Store a batch of events, each id once.",
                "description": f"At most {max_batch} events. Each event is judged on its own: "
                               "the good ones are stored, each refused one is listed under "
                               "refused with its index and why (a kiosk sets those aside and "
                               "never sends them again). Events already held are listed "
                               "under duplicates; a kiosk may mark stored and duplicates as "
                               "sent.",
                "security": [{"kioskToken": []}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["events"], "additionalProperties": False,
                    "properties": {"events": {"type": "array", "maxItems": max_batch,
                                              "items": {"$ref": "#/components/schemas/Event"}},
                                   "status": {"oneOf": [
                                       {"$ref": "#/components/schemas/Status"},
                                       {"type": "null"}]}}}}}},
                "responses": {
                    "200": {"description": "The good events stored (or held already); the "
                                           "refused ones listed.",
                            "content": {"application/json": {"schema": {
                                "type": "object",
                                "required": ["stored", "duplicates", "refused", "received"],
                                "properties": {
                                    "stored": {"type": "array", "items": HEX32_SCHEMA},
                                    "duplicates": {"type": "array", "items": HEX32_SCHEMA},
                                    "refused": {"type": "array", "items": {
                                        "$ref": "#/components/schemas/RefusedEvent"}},
                                    "received": {"type": "integer"}}}}}},
                    **_refusals(),
                    "409": _error("The events' kiosk_id belongs to another registered kiosk "
                                  "(record_claimed)."),
                    "413": _error(f"More than {max_batch} events (batch_too_large) or a body "
                                  "over the size limit (request_too_large)."),
                },
            }},
            "/status": {"post": {
                "operationId": "reportStatus",
                "summary": "Report the kiosk's pack, version and events waiting.",
                "security": [{"kioskToken": []}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Status"}}}},
                "responses": {"200": {"description": "Noted (last contact updated)."},
                              **_refusals()},
            }},
            "/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document.",
                "responses": {"200": {"description": "The OpenAPI document."}},
            }},
            **OTHER_PATHS,
        },
    }
