"""Names for what the record holds as ids: each pack's country, each kiosk's name.

A pack is per country: sessions record the pack's id, and the admin knows the packs it
serves (working copies, and installed versions in the PackStore), so reports group packs by
the pack's own ``country`` key. A pack the admin does not hold is "unknown (pack id)". Kiosks
are named as an administrator registered them (their record id otherwise, shortened).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.models_feedback import Kiosk

UNKNOWN = "unknown"


def pack_countries(app: Flask) -> dict[str, str]:
    """pack id -> country code, for every pack this admin serves."""
    from admin.content.workspace import workspace

    with app.app_context():
        ws = workspace()
        out: dict[str, str] = {}
        for wc in ws.working_copies():
            pack = ws.load(wc.root).pack
            if pack is not None and pack.country:
                out[wc.pack_id] = pack.country
        store = ws.store
        if store.root.exists():
            for pack_id in store.pack_ids():
                active = store.active(pack_id)
                if pack_id in out or active is None or not (active / "pack.yaml").exists():
                    continue
                try:
                    data = yaml.safe_load((active / "pack.yaml").read_text("utf-8"))
                except (OSError, yaml.YAMLError):
                    continue
                if isinstance(data, dict) and isinstance(data.get("country"), str):
                    out[pack_id] = data["country"]
    return out


@dataclass(frozen=True)
class Labels:
    """What a report calls packs (by country) and kiosks (by name)."""

    countries: dict[str, str] = field(default_factory=dict)
    kiosks: dict[str, str] = field(default_factory=dict)

    def country(self, pack: str | None) -> str:
        """The country of a pack, or "unknown (pack)" when the admin does not hold it."""
        if pack in self.countries:
            return self.countries[pack]
        return f"{UNKNOWN} ({pack})" if pack else UNKNOWN

    def kiosk(self, record_id: str | None) -> str:
        """A kiosk's registered name, else the start of its record id."""
        if not record_id:
            return UNKNOWN
        return self.kiosks.get(record_id) or record_id[:8]


def labels(app: Flask, db: Session) -> Labels:
    """The labels of this admin's packs and kiosks."""
    kiosks = {rid: name for rid, name in db.execute(select(Kiosk.record_id, Kiosk.name))
              if rid}
    return Labels(pack_countries(app), kiosks)
