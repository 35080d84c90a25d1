"""The CLI loads with jemalloc as Arrow's pool where pyarrow has it, and leaves a pool the user chose alone."""

from __future__ import annotations

import pyarrow as pa
import pytest
from click.testing import CliRunner

from conftest import DEMO
from govties.cli.main import main
from govties.loaders import memory


@pytest.fixture
def restore_pool():
    before = pa.default_memory_pool()
    yield
    pa.set_memory_pool(before)


def _has_jemalloc() -> bool:
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        return False
    return True


@pytest.mark.skipif(not _has_jemalloc(), reason="this pyarrow is built without jemalloc")
def test_cli_commands_load_with_jemalloc(restore_pool, monkeypatch):
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    pa.set_memory_pool(pa.system_memory_pool())
    result = CliRunner().invoke(main, ["validate", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert pa.default_memory_pool().backend_name == "jemalloc"


def test_a_pool_chosen_in_the_environment_is_kept(restore_pool, monkeypatch):
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    pa.set_memory_pool(pa.system_memory_pool())
    assert memory.prefer_jemalloc() == "system"
    assert pa.default_memory_pool().backend_name == "system"


def test_without_jemalloc_the_default_pool_stays(restore_pool, monkeypatch):
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)

    def missing():
        raise NotImplementedError("jemalloc support is not built")

    monkeypatch.setattr(memory.pa, "jemalloc_memory_pool", missing)
    pa.set_memory_pool(pa.system_memory_pool())
    assert memory.prefer_jemalloc() == "system"
    assert pa.default_memory_pool().backend_name == "system"
