"""Triage in the workspace: each finding's status (open, in review, confirmed, dismissed), assignee and note, with a
version number. A save names the version it was made from; when someone else saved in between, it is refused
(StaleTriage says who and when) and nothing is lost: the other save stands, and the refused one can be made
again from the current version. Every change is an append-only event (who, when, what, before -> after).

Export and import as the triage CSV that `govties sweep --triage` and `govties diff --triage` read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import GovtiesError, SaidError
from ..graph.vocabulary import TRIAGE_STATUS
from ..graph.workspace import Cond, WorkspaceConflict
from ..loaders.problems import DataError
from ..loaders.triage import masked_number, not_recorded, read_triage_file, shown_time
from ..privacy import FINDING_ID, IDENTIFIER, MASKED, keyed_id, mask_key, mask_text

STATUSES = TRIAGE_STATUS.ids
FIELDS = ("status", "assignee", "note")
MAX_NOTE = 20000
#: What a save from a masked page that still holds a masked number says (zh, en), quoting the masked numbers it
#: holds ({masked}, {masked_zh}: masked_said), for each text it refuses ({what}: masked_refusal)
MASKED_LEFT = ("{what}中有本页脱敏显示的号码（{masked_zh}），照此保存将只记下脱敏后的号码，因此没有保存："
               "请填写完整号码，或删去它",
               "{what} holds a number as this masked page shows it ({masked}): saved so, only the mask "
               "would be recorded, so nothing was saved. Type the number in full, or remove it")
MASKED_SAID = 3  # masked numbers a refusal quotes (then …)


def masked_refusal(zh: str, en: str) -> tuple[str, str]:
    """MASKED_LEFT said of one text (a note, an assignee, a title): its name in Chinese and in English in {what}."""
    return MASKED_LEFT[0].replace("{what}", zh), MASKED_LEFT[1].replace("{what}", en)


def masked_said(found: list[str]) -> dict[str, str]:
    """The values of a MASKED_LEFT refusal: the masked numbers found (masked_left), as a list reads in each language
    (at most MASKED_SAID, then …)."""
    shown = found[:MASKED_SAID] + (["…"] if len(found) > MASKED_SAID else [])
    return {"masked": ", ".join(shown), "masked_zh": "、".join(shown)}


def plain_fingerprint(given: str, candidates: Iterable[str | None]) -> str | None:
    """The plain fingerprint a masked export's keyed one stands for, among `candidates` (the finding's evidence
    now, the evidence its triage recorded); None when it keys none of them (never the HMAC itself)."""
    key = mask_key()
    return next((fp for fp in candidates if fp and keyed_id(fp, key) == given), None)


class TriageError(SaidError):
    """A triage change cannot be made as asked (an unknown finding or status, a note too long)."""

    SAID = {
        "status": ("核查状态应为{ids}（{words}）之一，不能是“{status}”", "status {status!r} is not one of {statuses}"),
        "note_size": ("记录不超过{max}个字符", "a note holds at most {max} characters"),
        "no_finding": ("没有编号为“{id}”的已记录线索：请对照线索列表核对编号",
                       "no recorded finding {id!r}: check the id against the findings inbox"),
        "masked_note": masked_refusal("备注", "the note"),
        "masked_assignee": masked_refusal("承办人", "the assignee"),
    }


def masked_left(given: str | None, stored: str | None) -> list[str]:
    """The masked identifiers (139****5678, 330102********1018) a text from a masked page still holds that
    kept_whole could not put back, and that the stored value does not hold as written either (stored, the text
    would record the mask, not the number), each once, as the text has them; none: an empty list."""
    if not given:
        return []
    held = {m[0] for m in MASKED.finditer(stored or "")}
    return list(dict.fromkeys(m[0] for m in MASKED.finditer(given) if m[0] not in held))


class StaleTriage(GovtiesError):
    """The triage was changed by someone else since the version the save was made from."""

    def __init__(self, finding_id: str, current: dict[str, Any]):
        self.finding_id = finding_id
        self.current = current
        super().__init__(f"finding {finding_id} was changed by {current.get('who') or 'someone'} at "
                         f"{(current.get('at') or '')[:19].replace('T', ' ')} UTC (now version "
                         f"{current.get('version')}) after you opened it; your change was not saved. Reload the "
                         "finding to see theirs, then save yours again")


def kept_whole(given: str | None, stored: str | None, shown: Callable[[str], str] = mask_text) -> str | None:
    """A note, assignee or title from a masked page or export, with what masking hid put back from the stored
    value, so that masking never overwrites what was recorded. `shown` is how the page showed a text (mask_text; a
    workbench's also keys finding ids). Sent back unchanged, it is the stored value; edited, each masked identifier
    or keyed finding id in it that stands for one identifier or id of the stored value is that one again (two that
    mask alike stay as shown). A browser's line breaks (CRLF) are read as the stored ones (LF)."""
    if given is None or not stored:
        return given
    given = given.replace("\r\n", "\n")
    if given in (stored.replace("\r\n", "\n"), shown(stored).replace("\r\n", "\n")):
        return stored
    forms: dict[str, set[str]] = {}  # how the page showed each identifier and finding id of the stored value
    for token in {m[0] for pattern in (IDENTIFIER, FINDING_ID) for m in pattern.finditer(stored)}:
        if shown(token) != token:
            forms.setdefault(shown(token), set()).add(token)
    for form, tokens in sorted(forms.items(), key=lambda item: -len(item[0])):
        if len(tokens) == 1:
            given = given.replace(form, next(iter(tokens)))
    return given


def _compared(field: str, value: Any) -> str:
    """A triage field's value as two forms' values are compared: none as empty, an assignee without the spaces
    around it, a note's line breaks as LF (a browser sends CRLF)."""
    text = "" if value is None else str(value)
    return text.strip() if field == "assignee" else text.replace("\r\n", "\n")


def rebased(given: dict[str, Any], showed: dict[str, Any] | None, current: dict[str, Any],
            shown: Callable[[str], str] | None = None) -> tuple[dict[str, Any], list[str]]:
    """A save refused as stale (StaleTriage), made again on the current triage for its form to hold: each field
    (status, assignee, note) that the save left as its page showed it is the stored value now, and each field it
    changed keeps the value given. `showed`: the values the page's form was filled with, as the page showed them
    (masked by `shown` under `serve --mask`, compared so and never stored: the form holds the stored value itself);
    without them (a page that did not send them) every given value is kept. Also returns the fields the save
    changed that were changed since to another value too (both changed: the form keeps the save's value)."""
    form: dict[str, Any] = {}
    both: list[str] = []
    for field in FIELDS:
        stored = current.get(field)
        mine = _compared(field, given.get(field))
        was = None if showed is None or showed.get(field) is None else _compared(field, showed[field])
        now = _compared(field, shown(stored) if shown is not None and isinstance(stored, str) else stored)
        if mine == was:
            form[field] = stored if field == "status" else stored or ""
            continue
        form[field] = given.get(field)
        if was is not None and now not in (was, mine):
            both.append(field)
    return form, both


def _blank(finding_id: str) -> dict[str, Any]:
    return {"finding_id": finding_id, "status": "open", "assignee": None, "note": "", "version": 0, "who": None,
            "at": None, "fingerprint": None}


class Triage:
    """Mixin of api.workspace.Workspace."""

    store: Any

    def triage(self, finding_id: str) -> dict[str, Any]:
        """A finding's triage; version 0 (status open) when nobody has triaged it."""
        return self.store.one("triage", finding_id=finding_id) or _blank(finding_id)

    def save_triage(self, finding_id: str, *, version: int, who: str, status: str | None = None,
                    assignee: str | None = None, note: str | None = None, kind: str = "triage",
                    fingerprint: str | None = None, decided: str | None = None,
                    shown: Callable[[str], str] | None = None) -> dict[str, Any]:
        """Change a finding's triage (fields left None are kept). `version` is the version the change was made
        from: a save from an older one raises StaleTriage. `shown`: the values come from a page that showed the
        stored ones so (masked): what it hid is put back from them (kept_whole), and a masked number it cannot put
        back is refused (TriageError: the mask would be stored, not the number). The evidence
        fingerprint recorded is the finding's current one (or `fingerprint`, for an import made on older
        evidence); `decided` (an import's `when`, read by parse_moment) is when the decision was made, else now;
        the events record now. A save that changes nothing, on the same evidence, records nothing (its version,
        who and when stay). Returns the triage as saved."""
        if status is not None and status not in STATUSES:
            raise TriageError("status", status=status, statuses=", ".join(STATUSES), ids="、".join(STATUSES),
                              words="、".join(t.zh for t in TRIAGE_STATUS.terms))
        if note is not None and len(note) > MAX_NOTE:
            raise TriageError("note_size", max=MAX_NOTE)
        finding = self.store.one("finding", finding_id=finding_id)
        if finding is None:
            raise TriageError("no_finding", id=finding_id)
        try:
            with self.store.transaction():
                current = self.store.claim("triage", {"finding_id": finding_id})
                base = current or _blank(finding_id)
                if int(base["version"] or 0) != int(version):
                    raise StaleTriage(finding_id, base)
                if shown is not None:
                    note = kept_whole(note, base["note"], shown)
                    assignee = kept_whole(assignee, base["assignee"], shown)
                    for field, value in (("note", note), ("assignee", assignee)):
                        if found := masked_left(value, base[field]):
                            raise TriageError(f"masked_{field}", **masked_said(found))
                at = self.now()  # type: ignore[attr-defined]
                changes: dict[str, Any] = {}
                if status is not None and status != base["status"]:
                    changes["status"] = status
                if assignee is not None and (assignee.strip() or None) != base["assignee"]:
                    changes["assignee"] = assignee.strip() or None
                if note is not None and note != (base["note"] or ""):
                    changes["note"] = note
                fp = fingerprint or finding["fingerprint"]
                if current is not None and not changes and base.get("fingerprint") == fp:
                    return base  # saved as it was (the form sent back unchanged): nothing to record, no new version
                made = at if not decided else decided + (":00.000000+00:00" if "T" in decided else "")
                saved = {**base, **changes, "version": int(base["version"] or 0) + 1, "who": who, "at": made,
                         "fingerprint": fp}
                if current is None:
                    self.store.insert("triage", [saved])
                else:
                    self.store.update("triage", [Cond("finding_id", "eq", finding_id),
                                                 Cond("version", "eq", base["version"])], saved)
                events = [self.event(who, kind, finding_id, f, base[f], v, at=at)  # type: ignore[attr-defined]
                          for f, v in changes.items()]
                if base.get("fingerprint") and base["fingerprint"] != fp:
                    events.append(self.event(who, kind, finding_id, "fingerprint", base["fingerprint"], fp,  # type: ignore
                                             at=at))
                self.store.insert("event", events)
                self.store.update("finding", [Cond("finding_id", "eq", finding_id)],
                                  {"status": saved["status"], "assignee": saved["assignee"],
                                   "reopened": bool(saved["status"] in ("confirmed", "dismissed")
                                                    and fp != finding["fingerprint"])})
        except WorkspaceConflict:  # two first saves at once: the other one is stored
            raise StaleTriage(finding_id, self.triage(finding_id)) from None
        return saved

    def _not_plain(self, ids: list[str]) -> list[str]:
        """The ids, of those given, that are no recorded finding's plain id."""
        known = {r["finding_id"] for start in range(0, len(ids), 20000)
                 for r in self.store.select("finding", [Cond("finding_id", "in", ids[start:start + 20000])])}
        return [fid for fid in ids if fid not in known]

    def _keyed_to_plain(self) -> dict[str, str]:
        """Every recorded finding's keyed id (HMAC under the mask key: what a masked export names it by) -> its
        plain id."""
        key = mask_key()
        return {keyed_id(fid, key): fid for fid in self.store.values("finding", "finding_id")}

    def _plain_ids(self, ids: list[str], keyed: set[str]) -> list[str]:
        """The ids with each keyed id (a masked export's) as the plain id it keys, whose plain ids go to `keyed`."""
        if not self._not_plain([fid for fid in ids if fid.strip()]):
            return ids
        plain = self._keyed_to_plain()
        keyed.update(plain[fid] for fid in ids if fid in plain)
        return [plain.get(fid, fid) for fid in ids]

    def unrecorded(self, ids: list[str]) -> list[str]:
        """The ids, of those given, that name no recorded finding, plainly or keyed (a masked export's)."""
        rest = self._not_plain(ids)
        if rest:
            keyed = self._keyed_to_plain()
            rest = [fid for fid in rest if fid not in keyed]
        return rest

    def export_triage(self) -> pd.DataFrame:
        """Every triaged finding as the triage CSV's columns (finding_id, status, note, who, when — the date and
        minutes of the last change, as pages show it — assignee, fingerprint), which `govties sweep --triage`,
        `govties diff --triage` and import_triage read."""
        rows = self.store.select("triage", order=[("finding_id", False)])
        frame = pd.DataFrame([{"finding_id": r["finding_id"], "status": r["status"], "note": r["note"] or "",
                               "who": r["who"] or "", "when": shown_time(r["at"]), "assignee": r["assignee"] or "",
                               "fingerprint": r["fingerprint"] or ""} for r in rows],
                             columns=["finding_id", "status", "note", "who", "when", "assignee", "fingerprint"])
        return frame

    def _read_back(self, fid: str, row: pd.Series, masked: bool) -> tuple[str, pd.Series, dict[str, Any], dict]:
        """A triage file's row with the finding's stored triage, and the note, assignee and fingerprint it gives
        (None: not given). A masked file's row (`masked`) carries the stored note and assignee masked, and keyed
        fingerprints: what masking hid is put back from the stored values (kept_whole), and a keyed fingerprint
        read as the plain one it keys."""
        current = self.triage(fid)
        note, assignee = given_text(row, "note"), given_text(row, "assignee")
        fingerprint = (given_text(row, "fingerprint") or "").strip() or None
        if masked:
            note, assignee = kept_whole(note, current["note"]), kept_whole(assignee, current["assignee"])
            if fingerprint:
                finding = self.store.one("finding", finding_id=fid) or {}
                fingerprint = plain_fingerprint(fingerprint, (finding.get("fingerprint"), current.get("fingerprint"))) \
                    or current.get("fingerprint")
        return fid, row, current, {"note": note, "assignee": assignee, "fingerprint": fingerprint}

    def import_triage(self, source: str | Path | pd.DataFrame, *, who: str, name: str | None = None,
                      masked: bool = False) -> dict[str, int]:
        """Apply a triage CSV (checked whole first: a finding id that is not recorded is refused with its line,
        never ignored). Each row becomes a save by the row's `who` (else `who`), recorded as an import event; the
        row's fingerprint, when given, is the evidence the decision was made on. Returns rows changed and
        unchanged. `name`: the file problems are reported in (a frame's, as read by read_triage_file).

        A column the file does not have leaves what is stored: without `note` or `assignee` a row keeps the
        finding's note or assignee; without `who`, `when` or `fingerprint` it is recorded as a cell left empty is
        (by `who`, now, on the finding's current evidence). An empty `note` or `assignee` cell clears it.

        A masked export's rows (named by keyed ids, or all rows with `masked`: a frame whose ids the caller read
        back already) carry masked notes and keyed fingerprints: a note that is the stored note masked leaves the
        stored note whole, and a keyed fingerprint is read as the plain one it keys, never stored as it is. A masked
        number in such a row's note or assignee that is not the stored one refuses the file, naming the line
        (nothing is applied): stored, it would record the mask."""
        keyed: set[str] = set()
        if isinstance(source, pd.DataFrame):  # keyed ids (a masked export's) stand for the findings they key
            frame = source.copy()
            frame.index = self._plain_ids([str(fid) for fid in source.index], keyed)
        else:
            frame = read_triage_file(source, self.unrecorded, lambda ids: self._plain_ids(ids, keyed))
        name = name or ("triage" if isinstance(source, pd.DataFrame) else Path(source).name)
        unknown = self._not_plain(list(frame.index))
        if unknown:
            lines: dict[Any, Any] = frame["line"].to_dict() if "line" in frame.columns else {}
            raise DataError([not_recorded(name, int(lines[fid]) if fid in lines else None, fid)
                             for fid in unknown[:100]], "nothing was applied")
        from_masked = set(frame.index) if masked else keyed
        rows = [self._read_back(str(fid), row, fid in from_masked) for fid, row in frame.iterrows()]
        problems = [masked_number(name, int(row["line"]) if "line" in frame.columns else None, field,
                                  str(given_text(row, field)), frame.attrs.get("col_no", {}).get(field))
                    for fid, row, current, values in rows if fid in from_masked for field in ("note", "assignee")
                    if masked_left(values[field], current[field])]
        if problems:
            raise DataError(problems[:100], "nothing was applied")
        done = {"changed": 0, "unchanged": 0}
        for fid, row, current, values in rows:
            note, assignee = values["note"], values["assignee"]
            same = (current["status"] == row["status"] and note in (None, current["note"] or "")
                    and assignee in (None, current["assignee"] or ""))
            if same:
                done["unchanged"] += 1
                continue
            self.save_triage(fid, version=current["version"], who=(given_text(row, "who") or "").strip() or who,
                             status=row["status"], note=note, assignee=assignee, kind="import",
                             fingerprint=values["fingerprint"], decided=(given_text(row, "when") or "").strip() or None)
            done["changed"] += 1
        return done


def given_text(row: pd.Series, column: str) -> str | None:
    """A triage row's text in an optional column, or None when the row gives none: the column is not in the file
    (read_triage_file leaves None there) or not in the frame, or the cell is missing (NaN). An empty cell is ""."""
    value = row.get(column)
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


__all__ = ["Triage", "StaleTriage", "TriageError", "STATUSES", "kept_whole", "masked_left", "masked_refusal",
           "masked_said", "rebased"]
