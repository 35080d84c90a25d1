"""The investigator workbench (`govties serve`): a local web app over govties.api — the findings inbox, triage
and cases with an audit trail, entity pages, graph exploration, case sheets, early warning and evaluation.

    import govties.api as gt
    from govties.workbench import Options, create_app

    graph = gt.open_graph(store="graph.duckdb")
    app = create_app(graph, Options(lang="en"))     # an ASGI app; `govties serve` runs it with uvicorn
"""

from .app import create_app
from .core import Options

__all__ = ["create_app", "Options"]
