"""The vendored vis-network is the version the views are built and tested against, with its licences, and the
views no longer read it from another package."""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

from govties.visualize import page

VENDOR = Path(page.__file__).parent / "vendor"
PINNED = {  # sha256 of the files as released (vis-network 9.1.2, standalone build and stylesheet)
    "vis-network.min.js": "1f20f0736f32cb9bedf8f6383b25cfea2f839e1abe80d6e8040b4d5bea378c69",
    "vis-network.css": "2e82d445ad5878ea881652470ce632601f8f55f1b99e6ebecdff8614600e6d0e",
}


def test_vendored_vis_network_is_the_pinned_release():
    for name, digest in PINNED.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    head = (VENDOR / "vis-network.min.js").read_text(encoding="utf-8")[:2000]
    assert re.search(r"@version\s+" + re.escape(page.VIS_VERSION) + r"\b", head)
    assert "dual licensed" in head


def test_licences_are_shipped_beside_it():
    mit = (VENDOR / "LICENSE-MIT").read_text(encoding="utf-8")
    apache = (VENDOR / "LICENSE-APACHE-2.0").read_text(encoding="utf-8")
    assert "The MIT License" in mit and "Almende B.V." in mit
    assert "Apache License" in apache and "Version 2.0, January 2004" in apache
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert all(digest in readme for digest in PINNED.values()) and page.VIS_VERSION in readme


def test_the_page_inlines_the_vendored_file_without_a_source_map():
    script = page.vendored("vis-network.min.js")
    assert "sourceMappingURL" not in script and len(script) > 400_000


def test_visualize_does_not_import_pyvis():
    for path in Path(page.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not any(x.split(".")[0] == "pyvis" for x in names), path.name
        assert "pyvis" not in path.read_text(encoding="utf-8"), path.name
