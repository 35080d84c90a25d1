"""Docs that can't rot: every command and every rule appears in the README, and every rule documents itself."""

from __future__ import annotations

import re

from govties.cli.main import main
from govties.rules.catalog import catalog

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        yield " ".join((*prefix, name))
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))


def test_every_command_is_in_the_readme():
    missing = [c for c in _commands(main) if f"govties {c}" not in README]
    assert not missing, f"README.md does not document: {missing}"


def test_every_rule_is_in_the_readme_and_documents_itself():
    for rule in catalog().values():
        assert f"`{rule.id}`" in README, f"README.md does not list rule {rule.id}"
        assert len(rule.description("en")) > 80, f"{rule.id}: description too short"
        assert len(rule.description("zh")) > 40, f"{rule.id}: Chinese description too short"
        assert rule.basis.strip(), f"{rule.id}: no legal basis"
        for p in rule.parameters.values():
            assert p.description("en") and p.description("zh"), f"{rule.id}: parameter {p.name} has no description"


def test_the_unlock_help_and_readme_give_the_lock_s_own_stale_time():
    from click.testing import CliRunner
    from govties.graph.neo4j_lock import STALE_MINUTES

    shown = CliRunner().invoke(main, ["neo4j-unlock", "-h"]).output
    unlock_row = next(line for line in README.splitlines() if "govties neo4j-unlock" in line)
    for text, where in ((shown, "govties neo4j-unlock -h"), (unlock_row, "README.md's neo4j-unlock row")):
        stated = {int(n) for n in re.findall(r"(\d+) minutes", " ".join(text.split()))}
        assert stated == {STALE_MINUTES}, f"{where} says {stated} minutes; the lock goes stale after {STALE_MINUTES}"


def test_the_library_names_the_readme_gives_are_there():
    """A notebook copies what the README writes: every `gt.NAME` is in govties.api, every `govties.MODULE.Name`
    imports as written, and the errors to catch are named where they are."""
    import importlib

    import govties.api as gt

    names = set(re.findall(r"`gt\.([A-Za-z_]\w*)", README))
    assert {"GovtiesError", "DataError"} <= names
    assert sorted(n for n in names if not hasattr(gt, n)) == []
    dotted = set(re.findall(r"`(govties(?:\.[a-z_]\w*)+)\.([A-Z]\w*)`", README))
    assert ("govties.errors", "GovtiesError") in dotted
    assert sorted(f"{m}.{n}" for m, n in dotted if not hasattr(importlib.import_module(m), n)) == []
    assert issubclass(gt.DataError, gt.GovtiesError)
