"""What a stored graph already holds, for incremental loads (`govties load --append`): its ids, the ids merged
into each person, resident-ID keys, and organizations' kinds and regions."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Known:
    person_ids: set[str] = field(default_factory=set)  # canonical ids and every merged source id
    org_ids: set[str] = field(default_factory=set)
    decision_ids: set[str] = field(default_factory=set)
    alias: dict[str, str] = field(default_factory=dict)  # merged source id -> canonical id
    id_keys: dict[str, str] = field(default_factory=dict)  # normalized resident ID -> canonical id
    org_kind: dict[str, str] = field(default_factory=dict)
    org_region: dict[str, str | None] = field(default_factory=dict)  # None: no region
    names: dict[str, str] = field(default_factory=dict)  # canonical id -> name

    @classmethod
    def from_backend(cls, backend) -> Known:
        from .values import normalize_id_number

        k = cls()
        people = backend.table("person")
        for pid, sources, idn, name in zip(people["person_id"], people["source_ids"], people["id_number"],
                                           people["name"], strict=True):
            k.person_ids.add(pid)
            k.names[pid] = name
            for s in list(sources) if sources is not None else []:
                k.person_ids.add(s)
                if s != pid:
                    k.alias[s] = pid
            key = normalize_id_number(idn)[0] if isinstance(idn, str) and idn else None
            if key:
                k.id_keys[key] = pid
        orgs = backend.table("org")
        for oid, kind, region in zip(orgs["org_id"], orgs["kind"], orgs["region"], strict=True):
            k.org_ids.add(oid)
            k.org_kind[oid] = kind
            k.org_region[oid] = region if isinstance(region, str) else None
        k.decision_ids = set(backend.table("decision")["decision_id"])
        return k

    def ids_for(self, file: str) -> set[str]:
        return {"people.csv": self.person_ids, "organizations.csv": self.org_ids,
                "decisions.csv": self.decision_ids}.get(file, set())
