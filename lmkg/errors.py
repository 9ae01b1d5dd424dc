"""The exceptions lmkg raises; the CLI turns each into a one-line message and exit code 1."""

from __future__ import annotations

from typing import Any


class LmkgError(Exception):
    """Base of every error a user can cause (bad input, unknown name, missing file)."""


class UnknownEntity(LmkgError, KeyError):
    """No entity has this id or name."""

    def __init__(self, text: str, suggestions: list[str] | None = None) -> None:
        self.text = text
        self.suggestions = suggestions or []
        msg = f"no entity named {text!r}"
        if self.suggestions:
            msg += "; did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class AmbiguousName(LmkgError, KeyError):
    """A name matches several entities; ``candidates`` lists (id, name, type)."""

    def __init__(self, text: str, candidates: list[tuple[str, str, str]]) -> None:
        self.text = text
        self.candidates = candidates
        listed = "; ".join(f"{n} ({t}, {i})" for i, n, t in candidates)
        super().__init__(f"{text!r} is ambiguous: it names {listed}. Use an id to choose.")

    def __str__(self) -> str:
        return self.args[0]


class PartOfNames(UnknownEntity):
    """No entity has this name, but it is part of several entities' names ("lung cancer":
    non-small cell and small cell lung cancer): ambiguous, so nothing is guessed.
    ``candidates`` lists (id, name, type)."""

    def __init__(self, text: str, candidates: list[tuple[str, str, str]]) -> None:
        super().__init__(text, [f"{n} ({i})" for i, n, _t in candidates])
        self.candidates = candidates
        listed = "; ".join(f"{n} ({t}, {i})" for i, n, t in candidates)
        self.args = (f"{text!r} is ambiguous: no entity has this name, and it is part of the "
                     f"names of {listed}. Use one of these names or an id.",)


class NoPath(LmkgError):
    """No path joins two entities within the limits asked for."""


class GraphFileError(LmkgError):
    """A saved graph file is missing, unreadable or of another format version."""


class DataError(LmkgError):
    """The curated data has errors and the build was not lenient."""


class SourceError(DataError):
    """A public source cannot go into the build: a file unreadable, no record, or mostly
    invalid records. ``reports`` holds every source's report (with its ``failures``);
    from :func:`lmkg.api.build_graph`, ``build`` holds what was built (for the report)."""

    def __init__(self, message: str, reports: list[dict]) -> None:
        super().__init__(message)
        self.reports = reports
        self.build: Any = None


class NoGraphError(GraphFileError):
    """No graph was saved where one was asked for (``lmkg.open_graph()`` without a build)."""
