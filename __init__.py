"""govties: a graph-based relationship risk analyzer for government-business ties.

Findings are leads for review, not proof of wrongdoing.
"""

__version__ = "0.1.0"

DISCLAIMER_EN = "Findings are leads for review, not proof of wrongdoing."
DISCLAIMER_ZH = "本结果仅为待核查的线索，并非违纪违法的证据。"
