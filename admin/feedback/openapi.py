"""The OpenAPI 3.1 document of the sync API, served at ``/api/v1/openapi.json``.

Built from the same constants the views check (the batch limit, the event kinds), so the
document cannot drift from what the server does; ``tests/feedback`` checks that every
``/api/v1`` route is described.
"""

from __future__ import annotations

from kiosk.record.kinds import KINDS

HEX32 = {"type": "string", "pattern": "^[0-9a-f]{32}$"}
# Routes of other areas under /api/v1, described here so that one document covers the API.
# An area may instead call describe() at import time with its own operations.
OTHER_PATHS: dict[str, dict] = {
    "/school-sessions/{code}": {"get": {
        "operationId": "schoolSession",
        "summary": "A school session by its code, for a kiosk (admin.views.sessions).",
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
        "400": _error("Not JSON, or a malformed request or event (code not_json, "
                      "malformed_request, malformed_event, malformed_status); nothing stored."),
        "401": _error("No token (no_token) or a token of no kiosk (unknown_token)."),
        "403": _error("The kiosk's token was revoked (token_revoked)."),
    }


def document(max_batch: int) -> dict:
    """The OpenAPI document (a plain dict, served as JSON)."""
    event = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "kiosk_id", "session_id", "at", "offset_ms", "kind", "payload"],
        "properties": {
            "id": {**HEX32, "description": "Random event id; the server stores each id once."},
            "kiosk_id": {**HEX32, "description": "The kiosk's random record id (its data "
                                                 "folder's kiosk-id); one per registration."},
            "session_id": {**HEX32, "description": "Random per visitor session."},
            "at": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$",
                   "description": "UTC wall-clock minute."},
            "offset_ms": {"type": "integer", "minimum": 0,
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
            "pack_id": {"type": "string"}, "pack_version": {"type": "string"},
            "waiting": {"type": "integer", "minimum": 0,
                        "description": "Events on the kiosk not acknowledged yet."},
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
                "Event": event, "Status": status,
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                   "index": {"type": "integer"},
                                   "event_id": {"type": "string"},
                                   "limit": {"type": "integer"}}}}},
            },
        },
        "paths": {
            "/events": {"post": {
                "operationId": "uploadEvents",
                "summary": "Store a batch of events, each id once.",
                "description": f"At most {max_batch} events. The batch is checked whole: one "
                               "malformed event refuses it all. Events already held are "
                               "listed under duplicates; a kiosk may mark both lists as sent.",
                "security": [{"kioskToken": []}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["events"], "additionalProperties": False,
                    "properties": {"events": {"type": "array", "maxItems": max_batch,
                                              "items": {"$ref": "#/components/schemas/Event"}},
                                   "status": {"$ref": "#/components/schemas/Status"}}}}}},
                "responses": {
                    "200": {"description": "Stored.", "content": {"application/json": {
                        "schema": {"type": "object", "properties": {
                            "stored": {"type": "array", "items": {"type": "string"}},
                            "duplicates": {"type": "array", "items": {"type": "string"}},
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
