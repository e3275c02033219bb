"""The protocol of a run: every setting that changes what its scores mean, and a short id for it.

Two models are comparable on a suite only under the same protocol: the same generation
settings (mode, token cap, sampling, stop strings, system prompt), samples per task and
reasoning policy. The model itself, its chat template and the engine are not part of it:
they are what a comparison compares (run.json records them beside it).

`protocol_of` reads a run.json, new or old (fields that a run.json lacks take the defaults
that were in force then), so the leaderboard can tell protocols apart for every run.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

UNKNOWN = ""
"""The protocol id of results without a run.json (scored from a bare responses file)."""


def text_sha256(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def protocol_of(run: dict[str, Any]) -> dict[str, Any] | None:
    """The protocol a run.json describes; None when it has no generation settings."""
    settings = run.get("settings")
    if not isinstance(settings, dict):
        return None
    scoring = run.get("scoring") if isinstance(run.get("scoring"), dict) else {}
    temperature = settings.get("temperature", 0.0)
    return {
        "mode": settings.get("mode", "chat"),
        "max_tokens": settings.get("max_tokens"),
        "temperature": temperature,
        "top_p": settings.get("top_p", 1.0),
        # at temperature 0 the seed changes nothing
        "seed": settings.get("seed") if temperature else None,
        "stop": sorted(settings.get("stop") or []),
        "system_sha256": text_sha256(settings.get("system")),
        "extra_body": settings.get("extra_body") or {},
        "samples": run.get("samples", 1),
        "keep_reasoning": bool(scoring.get("keep_reasoning", run.get("keep_reasoning", False))),
        "unclosed_reasoning": scoring.get("unclosed_reasoning", "empty"),
    }


def protocol_json(protocol: dict[str, Any]) -> str:
    """The canonical JSON text of a protocol (sorted keys, ASCII, no spaces)."""
    return json.dumps(protocol, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def protocol_id(protocol: dict[str, Any] | None) -> str:
    """The first 12 hex digits of the sha256 of the protocol's canonical JSON (UNKNOWN for None)."""
    return UNKNOWN if protocol is None else hashlib.sha256(protocol_json(protocol).encode()).hexdigest()[:12]


def differences(protocols: dict[str, dict[str, Any] | None]) -> dict[str, dict[str, Any]]:
    """For protocol ids -> protocols, the settings on which they differ: id -> {setting: value}.
    Beside a protocol not recorded (None), any setting may differ: every one is named."""
    known = {pid: p for pid, p in protocols.items() if p is not None}
    keys = sorted({key for p in known.values() for key in p})
    differing = keys if len(known) < len(protocols) else [
        k for k in keys if len({json.dumps(p.get(k), sort_keys=True) for p in known.values()}) > 1]
    return {pid: {k: p.get(k) for k in differing} for pid, p in sorted(known.items())}
