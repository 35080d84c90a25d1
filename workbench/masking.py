"""What `serve --mask` does beyond masking values: finding ids are shown and accepted as keyed ids (HMAC-SHA256
under the mask key, as `sweep --mask` writes them), never as the plain ids (a SHA-256 over ids that are often
resident IDs, which a guess of the hidden digits could be tested against); an identifier inside an entity id (a
person whose id is a resident ID) is shown masked with a keyed tag (330102********1018~ghijklmnop), and a page
opens by that form only: the plain id is as unknown as any id that does not exist (no guess-checking of the
hidden digits); and a search never takes a run of digits long enough to test a guess of a resident ID or a phone
number. A tag is the same under the same key, so a page's address stays good after a restart: a tag this server
has not shown yet is checked against the few identifiers of the graph that mask alike (Graph.masked_identifiers),
and only one of those is ever accepted."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from ..privacy import FINDING_ID, HIDDEN_DATE, IDENTIFIER, MASKED, keyed_id, mask_key, mask_text

HEX16 = FINDING_ID
FINDING_PARAMS = frozenset({"finding", "target", "finding_id"})  # a form's fields that name a finding (or a case)
ENTITY_PARAMS = frozenset({"entity_id", "official", "company", "agency", "entity", "center", "id", "have", "a", "b"})
HEX16_PART = re.compile(f"({HEX16.pattern})")
DIGITS = re.compile(r"\d{6,}")  # a search word holding this many digits in a row is not searched under --mask
HIDDEN_MIDDLE = 8  # hex digits a finding id given as none this server shows keeps hidden: 19ea********e993
# a masked identifier and its tag: at most 40 characters before the tag are read (the longest masked identifier is
# 18), so that no request's text makes the match try every start of a long run (a run of * took minutes)
SHOWN = re.compile(r"([0-9Xx*()+\- ]{1,40})~([g-v]{10})")
LETTERS = str.maketrans("0123456789abcdef", "ghijklmnopqrstuv")
MASKED_END = re.compile(f"(?:{MASKED.pattern})$")  # the masked identifier that ends a SHOWN match's first group
MASKED_LONGEST = 18  # characters of the longest masked identifier (6 digits, 8 *, 4): MASKED_END reads no more
READ = frozenset({"title", "label"})  # texts people read (a tooltip, a label): masked, never tagged as ids are
LOOKED_UP_KEPT = 4096  # masked texts whose identifiers in the graph are remembered


class FindingKeys:
    """Plain ↔ keyed finding ids of the recorded findings, made again when a new sweep is recorded; and the
    identifiers shown tagged. `lookup` (Graph.masked_identifiers): the graph's identifiers that mask as a given
    text, among which a tag not shown since this server started is looked for."""

    def __init__(self, lookup: Callable[[str], list[str]] | None = None) -> None:
        self.key = mask_key()
        self.lookup = lookup
        self.sweep: Any = object()
        self.keyed: dict[str, str] = {}  # plain -> keyed
        self.plain: dict[str, str] = {}  # keyed -> plain
        self.tagged: dict[str, tuple[str, str]] = {}  # tag -> (masked, plain) of the identifiers shown tagged
        self.looked_up: dict[str, list[str]] = {}  # masked text -> the graph's identifiers that mask as it

    def refresh(self, ws: Any) -> None:
        latest = ws.latest_sweep()
        sweep = latest.get("sweep_id") if latest else None
        if sweep == self.sweep:
            return
        ids = ws.finding_ids()
        self.keyed = {fid: keyed_id(fid, self.key) for fid in ids}
        self.plain = {k: fid for fid, k in self.keyed.items()}
        self.looked_up.clear()  # a new sweep may come with a new load
        self.sweep = sweep

    def shown(self, value: Any, tag: bool = False) -> Any:
        """A value as a masked page or answer carries it: every plain finding id keyed, every resident ID or phone
        number masked, birth dates hidden; in strings, JSON text, lists and dicts (keys too). With `tag`, each
        identifier gets its keyed tag (`entity_shown`): only for values made from the graph's data (the JSON answers
        that draw the graph), never for text a request could have put there (a tag of a typed guess would be
        compared with a tag shown for the real ID)."""
        if isinstance(value, str):
            stripped = value.lstrip()
            if stripped.startswith(("{", "[")):
                try:
                    return json.dumps(self.shown(json.loads(value), tag), ensure_ascii=False, sort_keys=True)
                except ValueError:
                    pass
            mask = self.entity_shown if tag else mask_text
            if len(value) < 16:
                return mask(value)
            parts = HEX16_PART.split(value)  # finding ids at the odd places
            return "".join(self.keyed.get(p, p) if k % 2 else mask(p) for k, p in enumerate(parts))
        if isinstance(value, (list, tuple)):
            return [self.shown(v, tag) for v in value]
        if isinstance(value, dict):
            return {self.shown(k, tag): HIDDEN_DATE if _birth_date(k, v) else self.shown(v, tag and k not in READ)
                    for k, v in value.items()}
        return value

    def entity_shown(self, entity_id: Any) -> Any:
        """An entity id from the graph as pages show and link it: each identifier in it masked with its tag."""
        if not isinstance(entity_id, str) or not entity_id:
            return entity_id
        return mask_text(IDENTIFIER.sub(lambda m: self.tag(m[0]), entity_id))

    def tag(self, identifier: str) -> str:
        """An identifier as shown: masked, with a keyed tag that tells it from others that mask alike (and by
        which a request names it again)."""
        masked, tag = mask_text(identifier), self._tag(identifier)
        self.tagged[tag] = (masked, identifier)
        return f"{masked}~{tag}"

    def _tag(self, identifier: str) -> str:
        return keyed_id(identifier, self.key, 10).translate(LETTERS)

    def recall(self, shown: str, tag: str, lookups: list[int] | None = None) -> tuple[str, str] | None:
        """(masked, plain) of the identifier a masked text ending `shown` with `tag` names: one shown by this
        server, else the one identifier of the graph that masks as that text and has that tag (remembered); None
        when the graph holds none (a wrong tag, a guessed one, an id that is not there). A masked text not looked
        up before costs one of `lookups` (a request's allowance; none left: not found); what a lookup found, or
        that it found nothing, is remembered (up to LOOKED_UP_KEPT masked texts)."""
        if tag in self.tagged:
            return self.tagged[tag]
        end = MASKED_END.search(shown[-MASKED_LONGEST:])
        if end is None or self.lookup is None:
            return None
        found = self.looked_up.get(end[0])
        if found is None:
            if lookups is not None:
                if lookups[0] <= 0:
                    return None
                lookups[0] -= 1
            if len(self.looked_up) >= LOOKED_UP_KEPT:
                self.looked_up.clear()
            found = self.looked_up[end[0]] = self.lookup(end[0])
        for identifier in found:
            if self._tag(identifier) == tag:
                self.tagged[tag] = (end[0], identifier)
                return self.tagged[tag]
        return None

    def given(self, value: str, masked: bool = True, finding: bool = False) -> str:
        """A value from a request: a keyed finding id as its plain id. Any other finding id (16 hex digits) in the
        URL (`masked`) or in a form's field that names a finding (`finding`) is not accepted: it is quoted as
        `unkeyed` quotes it, which no finding has. Any other value: with `masked`, a resident ID or phone number in
        it masked (`taken`); without, as written (a note, a title)."""
        if value in self.plain:
            return self.plain[value]
        if masked:
            return self.taken(value)
        return unkeyed(value) if finding and HEX16.fullmatch(value) else value

    def uploaded(self, value: str) -> str:
        """A finding id from an uploaded file: a keyed id as its plain id; any other id as `unkeyed` quotes it."""
        return self.plain.get(value) or unkeyed(value)

    def address(self, href: str) -> str:
        """Text from a request (an address, a search, a refusal quoting one) as a masked page shows it: each run
        of 16 hex digits in it that is no keyed id this server shows as `unkeyed` quotes it, so that a plain finding
        id in it is never shown by its keyed id (a page keys plain ids as it is written: that would tell a finding's
        plain id from a guess)."""
        return HEX16.sub(lambda m: m[0] if m[0] in self.plain else unkeyed(m[0]), href)

    def taken(self, value: str) -> str:
        """Any other value from a request: a resident ID or phone number in it masked, so that no page or answer
        can give one back with its tag; a finding id in it that is no keyed id with its middle hidden, so that no
        page keys it (a search echoing a real plain id keyed would tell it from a guess)."""
        return mask_text(self.address(value))  # every form mask_text reads (33 01 02 19 ..., in groups of four)

    def entity(self, value: str, lookups: list[int] | None = None) -> str:
        """An entity id (or a name or id to look up) from a request: each masked identifier with its tag as the
        identifier this server showed under that tag. A resident ID or phone number given plain makes the value
        its masked form, which no entity has: a plain id is not found, as any unknown id is not."""
        masked = mask_text(value)
        if masked != value:
            return masked

        def back(m: re.Match) -> str:
            masked, plain = self.recall(m[1], m[2], lookups) or ("\x00", "")
            return m[1][:-len(masked)] + plain if m[1].endswith(masked) else m[0]

        return SHOWN.sub(back, value)


def unkeyed(value: str) -> str:
    """A value given for a finding id that is no keyed id this server shows, as its pages quote it: each run of 16
    hex digits in it (a plain finding id, or a keyed id not shown here) with its middle hidden (19ea********e993)
    and resident IDs and phone numbers masked. It is the same text whether or not the value is a finding's plain
    id (what a page says of it tests no guess of one, and no page keys it), and no finding's id."""
    def hidden(m: re.Match) -> str:
        return m[0][:4] + "*" * HIDDEN_MIDDLE + m[0][-4:]

    return mask_text(HEX16.sub(hidden, value))


def _birth_date(key: Any, value: Any) -> bool:
    return isinstance(key, str) and key.endswith("birth_date") and value not in (None, "")


def without_long_numbers(text: str) -> tuple[str, bool]:
    """A search text without its words holding 6 or more digits in a row (a resident ID, a phone number or a
    part of one), and whether any was left out; when the text holds that many digits only once its spaces are
    gone (33 01 02 19..., as a resident ID is read), without every word holding a digit."""
    words = text.split()
    kept = [w for w in words if not DIGITS.search(w)]
    if DIGITS.search("".join(unicodedata.normalize("NFKC", " ".join(kept)).split())):
        kept = [w for w in kept if not any(ch.isdigit() for ch in w)]
    return " ".join(kept), len(kept) != len(words)


__all__ = ["FindingKeys", "without_long_numbers", "unkeyed", "ENTITY_PARAMS", "FINDING_PARAMS"]
