"""The administrator's settings overrides (``settings_overrides``, migration 0005): one row per setting changed
from the defaults in the browser, its value as JSON text, who changed it and when."""
from __future__ import annotations

import json

from sqlite_utils import Database

from ..core.settings import CONFIG_ONLY, Settings
from .db import now_iso


def stored_overrides(db: Database) -> dict[str, dict]:
    """The administrator's settings overrides: key → {"value", "updated_by", "updated_at"} (unknown keys left out,
    so a setting removed from the code does not break start-up; so are the config-only ones, which an override
    stored before they became config-only must not set)."""
    known = Settings.__dataclass_fields__.keys() - CONFIG_ONLY
    return {r["key"]: {"value": json.loads(r["value"]), "updated_by": r["updated_by"], "updated_at": r["updated_at"]}
            for r in db.query("select * from settings_overrides order by key") if r["key"] in known}


def save_override(db: Database, key: str, value, actor: str) -> None:
    """Store ``value`` (already JSON-able: ``core.settings.to_json``) as setting ``key``'s override."""
    db["settings_overrides"].upsert({"key": key, "value": json.dumps(value), "updated_by": actor,
                                     "updated_at": now_iso()}, pk="key")


def delete_override(db: Database, key: str) -> None:
    """Back to the default (or the instance's config) for ``key``; nothing happens when it has no override."""
    db["settings_overrides"].delete_where("key = ?", [key])
