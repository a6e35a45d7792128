"""Errors that Skydd shows to people: each says where, what, and what to do."""

from __future__ import annotations

from dataclasses import dataclass, field


class SkyddError(Exception):
    """Base for every error Skydd reports to a user instead of a traceback."""

    exit_code: int = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        text = self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class MissingExtraError(SkyddError):
    """An optional dependency is not installed; the message gives the exact command."""

    def __init__(self, module: str, extra: str, purpose: str) -> None:
        command = f'pip install "skydd[{extra}]"'
        super().__init__(
            f"{purpose} needs the Python package '{module}', which is not installed.",
            hint=f"install it with: {command}",
        )
        self.command = command


@dataclass(frozen=True)
class MapIssue:
    """One problem in a data map, located by file, line, column and YAML path."""

    path: str
    message: str
    hint: str | None = None
    file: str = "privacy.yaml"
    line: int | None = None
    column: int | None = None

    def render(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        at = f" at {self.path}" if self.path else ""
        text = f"{where}{at}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class MapError(SkyddError):
    """The data map cannot be read or is invalid; carries every issue found."""

    issues: list[MapIssue] = field(default_factory=list)

    def __post_init__(self) -> None:
        count = len(self.issues)
        first = self.issues[0].file if self.issues else "the data map"
        noun = "problem" if count == 1 else "problems"
        SkyddError.__init__(self, f"{first} is not a valid data map ({count} {noun})")

    def render(self) -> str:
        lines = [self.message + ":"]
        lines.extend(issue.render() for issue in self.issues)
        return "\n".join(lines)
