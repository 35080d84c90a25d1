"""govties: a graph-based relationship risk analyzer for government-business ties.

Findings are leads for review, not proof of wrongdoing.
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    # The disclaimers are declared once, in graph/vocabulary.py. They are looked up when first asked for, so that
    # `import govties` stays instant (the command line's entry point handles Ctrl-C from its first line on).
    if name in ("DISCLAIMER_EN", "DISCLAIMER_ZH"):
        from .graph.vocabulary import DISCLAIMER

        return DISCLAIMER[name[-2:].lower()]
    raise AttributeError(f"module 'govties' has no attribute {name!r}")
