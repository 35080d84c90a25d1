"""govties: a graph-based relationship risk analyzer for government-business ties.

Findings are leads for review, not proof of wrongdoing.
"""

__version__ = "0.1.0"

from .graph.vocabulary import DISCLAIMER  # noqa: E402  (one disclaimer per language, declared once)

DISCLAIMER_EN, DISCLAIMER_ZH = DISCLAIMER["en"], DISCLAIMER["zh"]
