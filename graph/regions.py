"""Names of GB/T 2260 administrative division codes (the contract's `region`, trimmed of trailing pairs of zeros as
the rules trim it): 33 浙江省, 3301 杭州市, 330102 杭州市上城区, 110101 北京市东城区. The table is vendored in
graph/data (its README says from where and as of when); a code it does not hold (a division made or renamed
since, or a code that is no division) has no name, and is shown as the code alone."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "gb2260.csv"
# what the table writes where a prefecture-level code groups a province's counties rather than naming a city
GROUPS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@cache
def _names() -> dict[str, str]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def region_name(code: object) -> str | None:
    """The name of a division code (2, 4 or 6 digits, or 6 with trailing zeros): a province's, a prefecture's, or a
    county's after its prefecture's (its province's where the prefecture is only a group: 北京市东城区); for a
    township's or a village's 9- or 12-digit statistical code, its county's (or its city's, for a city without
    counties), the code saying it is within it (330110001 杭州市余杭区, 441900003 东莞市);
    None when the table does not hold it."""
    text = str(code or "").strip()
    if text.isdigit() and len(text) in (9, 12):  # a township's or a village's statistical code: in its county
        # (in its city where the city has no counties: 东莞 441900003)
        county = region_name(text[:6] if text[4:6] != "00" else text[:4])
        return county
    if not (text.isdigit() and len(text) in (2, 4, 6)):
        return None
    full = text.ljust(6, "0")
    names = _names()
    own = names.get(full)
    if own is None:
        return None
    province = names.get(full[:2] + "0000")
    if full.endswith("0000"):
        return own
    prefecture = names.get(full[:4] + "00")
    above = province if prefecture is None or prefecture in GROUPS else prefecture
    if full.endswith("00"):
        return province if own in GROUPS else own
    return f"{above or ''}{own}"


def region_label(code: object) -> str:
    """A division code as pages show it: the code and its name (3301 杭州市), or the code alone when it has none."""
    name = region_name(code)
    return f"{str(code).strip()} {name}" if name else ("" if code is None else str(code))


__all__ = ["region_name", "region_label"]
