"""A value a message quotes (a loader's problem, a workbench refusal) as a reader sees it, in either language."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("value", ["王\u200b建国", "a\u202eb", "x\u00a0y", "in\ttab", "bell\x07", "line\u2028sep",
                                   "\ufeffbom"])
def test_a_value_a_message_quotes_shows_what_does_not_show_itself_escaped_in_chinese_as_in_english(value):
    """A zero-width space, a bidirectional override, a no-break space, a tab, a control, a line separator or a BOM
    in a value quoted by a loader's problem or a workbench's refusal is shown as its escape in a Chinese sentence
    as the English one's repr shows it (王\\u200b建国 is not 王建国), and a value without any is quoted as it is."""
    from govties.api.inbox import Refusal
    from govties.loaders.problems import Problem, Zh

    escaped = repr(value)[1:-1]
    assert escaped != value
    p = Problem("t.csv", 2, "name", "bad", value, zh=Zh("有误"))
    assert p.text("en").endswith(f"(found {value!r})") and p.text("zh").endswith(f"（文件中为“{escaped}”）")
    refused = Refusal("severity", wrong=repr(value), wrong_zh=f"“{value}”", ids="high", ids_zh="high", words="高")
    assert refused.said("en") == f"severity {value!r}: choose among high"
    assert refused.said("zh") == f"风险等级应为high（高）之一，不能是“{escaped}”"
    plain = Problem("t.csv", 2, "name", "bad", "王建国 A&B", zh=Zh("有误"))
    assert plain.text("zh").endswith("（文件中为“王建国 A&B”）")
