"""A refused file through the workbench's JSON answers (in process, over ASGI, with a stand-in graph): the same
problem lines as the page shows, in the request's language, with status 400."""

from __future__ import annotations

import asyncio
import json

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Route

from govties.loaders.triage import read_triage_file
from govties.workbench.core import Ctx, Options, State, endpoint


class _Workspace:
    def has_accounts(self) -> bool:
        return False


class _Graph:
    concurrent, masked_identifiers = True, None

    def workspace(self) -> _Workspace:
        return _Workspace()


def _answer(app: Starlette, query: bytes) -> tuple[int, dict]:
    sent: list[dict] = []
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/api/refused", "raw_path": b"/api/refused", "root_path": "", "query_string": query,
             "headers": [(b"host", b"127.0.0.1:8750")], "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8750)}

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], json.loads(b"".join(m.get("body", b"") for m in sent[1:]))


@pytest.mark.parametrize("lang,said", [
    ("zh", ["t.csv，第2行，第2列（status）：应为open（待核查）、in_review（核查中）、confirmed（已确认）、"
            "dismissed（已排除）之一；也可写其他中文写法，如“未处理”（文件中为“maybe”）；改正方法：",
            "以上共1个问题，文件未被采用，工作区未作任何改动。请修正后重新上传。"]),
    ("en", ["t.csv, line 2, column 2 (status): expected one of open (待核查), in_review (核查中), confirmed (已确认), "
            "dismissed (已排除); other Chinese words such as 未处理 are accepted too (found 'maybe'); fix: ",
            "1 problem above: the file was not used, and nothing in the workspace changed. Fix the file and "
            "upload it again."])])
def test_a_refused_file_is_answered_in_json_in_the_requests_language(tmp_path, lang, said):
    (tmp_path / "t.csv").write_text("finding_id,status\nabc,maybe\n", encoding="utf-8")

    @endpoint(api=True)
    def refused(ctx: Ctx):
        return read_triage_file(tmp_path / "t.csv")

    app = Starlette(routes=[Route("/api/refused", refused)],
                    middleware=[Middleware(SessionMiddleware, secret_key="k" * 32)])
    app.state.workbench = State(_Graph(), Options())
    status, body = _answer(app, f"lang={lang}".encode())
    assert status == 400 and list(body) == ["error"]
    lines = body["error"].splitlines()
    assert len(lines) == 2 and lines[0].startswith(said[0]) and lines[1] == said[1], lines
