"""The one base of every error a user can fix (bad input, a refused option, a server that is down ...).

Each part of govties raises its own kind (loaders.DataError, graph.BackendError, rules.RuleDefinitionError,
rules.export.ExportError, visualize.ViewError, ...), all subclasses of GovtiesError: the message says what is wrong
and how to fix it. The command line prints `report()` and exits with status 2, in one place; a program using the
library catches GovtiesError.
"""

from __future__ import annotations

import string
from typing import Any, ClassVar

from .cells import quoted


class GovtiesError(Exception):
    """Something the user can fix; the message says what and how."""

    def report(self) -> str:
        """What the command line prints: one line per problem."""
        return f"error: {self}"

    def said(self, lang: str = "en") -> str:
        """The message as the workbench's page in `lang` ("zh" or "en") shows it: in English unless the error
        declares its Chinese too (a SaidError)."""
        return str(self)

    def sentence(self, lang: str = "en") -> str:
        """The message as a page shows it on its own line: said(lang), ending as a sentence."""
        return ended(self.said(lang), lang)


def ended(text: str, lang: str) -> str:
    """A message as a sentence on a page: with a closing full stop unless it ends in one already (。 on a Chinese
    page for a message in Chinese; a message only in English, a server's, ends in its own full stop)."""
    text = text.strip()
    if not text or text[-1] in ".!?。！？":
        return text
    return text + ("。" if lang == "zh" and any("\u4e00" <= c <= "\u9fff" for c in text) else ".")


class _Quoting(string.Formatter):
    """Fills a template as str.format does, each text value as a sentence quotes it (cells.quoted); one written
    with !r is escaped by repr already."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is None and isinstance(value, str):
            return quoted(value)
        return super().convert_field(value, conversion)


_QUOTING = _Quoting()


def said(template: str, **values: Any) -> str:
    """A message's template with its values in, as graph.vocabulary.filled puts them (each noun after a count
    agreeing with it), each text value as a sentence quotes it (cells.quoted): a control character in what was
    typed or what a link held (U+202E, which reverses what follows it; a line break) is shown escaped (\\u202e),
    never obeyed. Every message a workbench page says is filled so (SaidError, the workbench's words)."""
    from .graph.vocabulary import agree_with

    return _QUOTING.vformat(agree_with(template, values), (), values)


class SaidError(GovtiesError):
    """An error whose messages are declared in Chinese and English together, in its class's SAID (key -> (zh, en)
    templates): raised with a key and the values that fill it (said(): a text value quoted, its control characters
    escaped), its message is the English; said(lang) gives the other (what the workbench's pages show)."""

    SAID: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, key: str, **values: Any):
        self.key, self.values = key, values
        super().__init__(self.said("en"))

    def said(self, lang: str = "en", capital: bool = False, **shown: Any) -> str:
        """The message in `lang`; with `capital`, its English template starts with a capital (a value it starts
        with, a user's name, stays as it is); `shown`: values as a front end shows them instead (a time in its
        readers' zone)."""
        zh, en = self.SAID[self.key]
        return said(zh if lang == "zh" else (en[:1].upper() + en[1:] if capital else en), **{**self.values, **shown})

    def sentence(self, lang: str = "en", **shown: Any) -> str:
        """The message as a sentence (the library's English reads as the command line prints it after `error:`,
        in lower case): in English with a capital, unless it starts with a value (a user's name stays as it is)."""
        return ended(self.said(lang, capital=True, **shown), lang)


class MissingExtra(GovtiesError):
    """An optional part of govties needs a package that is not installed."""

    def __init__(self, what: str, extra: str, package: str):
        super().__init__(f"{what} needs the {package} package: pip install 'govties[{extra}]'")
