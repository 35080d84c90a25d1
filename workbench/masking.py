"""What `serve --mask` does beyond masking values: finding ids are shown and accepted as keyed ids (HMAC-SHA256
under the mask key, as `sweep --mask` writes them), never as the plain ids (a SHA-256 over ids that are often
resident IDs, which a guess of the hidden digits could be tested against); and a search never takes a run of
digits long enough to test a guess of a resident ID or a phone number."""

from __future__ import annotations

import re
from typing import Any

from ..privacy import keyed_id, mask_key

HEX16 = re.compile(r"(?<![0-9a-f])[0-9a-f]{16}(?![0-9a-f])")
DIGITS = re.compile(r"\d{6,}")  # a search word holding this many digits in a row is not searched under --mask
UNKEYED = "unkeyed-"  # what a plain finding id given under --mask becomes: no finding has that id


class FindingKeys:
    """Plain ↔ keyed finding ids of the recorded findings, made again when a new sweep is recorded."""

    def __init__(self) -> None:
        self.key = mask_key()
        self.sweep: Any = object()
        self.keyed: dict[str, str] = {}  # plain -> keyed
        self.plain: dict[str, str] = {}  # keyed -> plain

    def refresh(self, ws: Any) -> None:
        latest = ws.latest_sweep()
        sweep = latest.get("sweep_id") if latest else None
        if sweep == self.sweep:
            return
        ids = ws.store.values("finding", "finding_id")
        self.keyed = {fid: keyed_id(fid, self.key) for fid in ids}
        self.plain = {k: fid for fid, k in self.keyed.items()}
        self.sweep = sweep

    def shown(self, value: Any) -> Any:
        """Every plain finding id in a string (alone, in a URL, in a message), and in lists and dicts, keyed."""
        if isinstance(value, str):
            return HEX16.sub(lambda m: self.keyed.get(m[0], m[0]), value) if len(value) >= 16 else value
        if isinstance(value, (list, tuple)):
            return [self.shown(v) for v in value]
        if isinstance(value, dict):
            return {self.shown(k): self.shown(v) for k, v in value.items()}
        return value

    def given(self, value: str) -> str:
        """A finding id from a request: a keyed id as its plain id; a plain id is not accepted (no finding)."""
        if value in self.plain:
            return self.plain[value]
        if value in self.keyed:
            return UNKEYED + value[:4]
        return value


def without_long_numbers(text: str) -> tuple[str, bool]:
    """A search text without its words holding 6 or more digits in a row (a resident ID, a phone number or a
    part of one), and whether any was left out."""
    words = text.split()
    kept = [w for w in words if not DIGITS.search(w)]
    return " ".join(kept), len(kept) != len(words)


__all__ = ["FindingKeys", "without_long_numbers", "UNKEYED"]
