"""The dataset contract (docs/dataset.md) as data: files, columns, which are required, their kinds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | person | org | entity | decision | text | date | vocab:NAME | share | amount | bool | year
    #            | region | id_number | credit_code | list
    required: bool = False
    contract: bool = True  # False: accepted beyond the contract (docs/dataset.md does not list it)
    #: how a date column reads a date that is not whole: "start" (a year and month: the month's first day), "end"
    #: (至今: none, the post goes on; a year and month: the month's last day), "day" (a year and month is refused:
    #: the day is known, a resident ID holds a birth date)
    reads: str = "start"

    @property
    def vocabulary(self) -> str | None:
        """The vocabulary a `vocab:NAME` column takes its words from, else None."""
        return self.kind.split(":", 1)[1] if self.kind.startswith("vocab:") else None


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[Column, ...]
    required_file: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(spec: str, kind: str = "text", contract: bool = True, reads: str = "start") -> Column:
    return Column(spec.rstrip("*"), kind, spec.endswith("*"), contract, reads)


FILES: dict[str, FileSpec] = {
    f.name: f
    for f in (
        FileSpec("people.csv", (
            _c("person_id*", "id"), _c("name*"), _c("id_number", "id_number"),
            _c("birth_date", "date", reads="day"),
            _c("gender"), _c("aliases", "list"),
        ), required_file=True),
        FileSpec("organizations.csv", (
            _c("org_id*", "id"), _c("name*"), _c("kind*", "vocab:kind"), _c("credit_code", "credit_code"),
            _c("region", "region"), _c("industry"), _c("address"), _c("phone"), _c("founded_on", "date"),
        ), required_file=True),
        FileSpec("positions.csv", (
            _c("person_id*", "person"), _c("org_id*", "org"), _c("title*"), _c("rank", "vocab:rank"),
            _c("start_date*", "date"), _c("end_date", "date", reads="end"), _c("end_reason", "vocab:end_reason"),
            _c("region", "region"), _c("portfolio", "list"),
        )),
        FileSpec("relatives.csv", (
            _c("person_id*", "person"), _c("relative_id*", "person"), _c("relation*", "vocab:relation"),
            # optional, beyond the contract: kinship can be dated (a marriage that ended)
            _c("start_date", "date", contract=False), _c("end_date", "date", contract=False, reads="end"),
        )),
        FileSpec("company_roles.csv", (
            _c("holder_id*", "entity"), _c("org_id*", "org"), _c("role*", "vocab:role"), _c("share", "share"),
            _c("start_date", "date"), _c("end_date", "date", reads="end"),
            # the date a source first recorded a role whose start it does not give: kept and shown, never a start
            _c("reported_on", "date"),
        )),
        FileSpec("decisions.csv", (
            _c("decision_id*", "id"), _c("kind*", "vocab:decision_kind"), _c("date*", "date"),
            _c("agency_id*", "org"), _c("beneficiary_id*", "entity"), _c("amount", "amount"), _c("title"),
            _c("region", "region"), _c("industry"),
        )),
        FileSpec("decision_makers.csv", (
            _c("decision_id*", "decision"), _c("person_id*", "person"), _c("role", "vocab:maker_role"),
        )),
        FileSpec("bids.csv", (
            _c("tender_id*", "decision"), _c("org_id*", "org"), _c("amount", "amount"), _c("won", "bool"),
        )),
        FileSpec("declarations.csv", (
            _c("person_id*", "person"), _c("year*", "year"), _c("relative_id", "person"), _c("org_id", "org"),
            _c("role", "vocab:role"),
        )),
    )
}

#: The file the synthetic provinces (examples/generator.py) carry beside their data: the planted scenarios, the
#: answers a correct sweep gives. Not data: not read, and not warned about as a file named after no contract file.
ANSWER_KEY = "planted.csv"

# Columns of each file that refer to a person (rewritten to the canonical id after entity resolution).
PERSON_REFS = {
    "positions.csv": ("person_id",),
    "relatives.csv": ("person_id", "relative_id"),
    "company_roles.csv": ("holder_id",),
    "decisions.csv": ("beneficiary_id",),
    "decision_makers.csv": ("person_id",),
    "declarations.csv": ("person_id", "relative_id"),
}
