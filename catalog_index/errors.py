"""Errors raised while loading a catalog."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CatalogError", "RowError", "FieldError"]


@dataclass(frozen=True)
class RowError:
    """One problem in one row of a catalog file.

    Attributes:
        file: Path of the catalog file as given.
        line: 1-based line number where the row starts (record number for JSON arrays).
        field: The canonical field (or source column) at fault.
        message: What is wrong.
    """

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        """Render as ``file, line N, field 'x': message``."""
        return f"{self.file}, line {self.line}, field '{self.field}': {self.message}"


class FieldError(ValueError):
    """A value that cannot become a valid canonical field (file/line are added later)."""

    def __init__(self, field: str, message: str) -> None:
        """Create the error.

        Args:
            field: Canonical field name.
            message: What is wrong.
        """
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class CatalogError(Exception):
    """A catalog file (or its mapping) could not be loaded.

    Attributes:
        errors: Every row error found (up to the loader's cap).
        truncated: True when more errors existed than were collected.
    """

    def __init__(self, errors: list[RowError] | str, *, truncated: bool = False) -> None:
        """Create the error from row errors or from a single message.

        Args:
            errors: The row errors, or one message for file-level problems.
            truncated: Whether the error list was cut at the cap.
        """
        self.errors: list[RowError] = [] if isinstance(errors, str) else list(errors)
        self.truncated = truncated
        if isinstance(errors, str):
            text = errors
        else:
            lines = [str(error) for error in self.errors]
            head = f"{len(self.errors)} invalid row value(s)"
            if truncated:
                head += " (stopped at the cap; there are more)"
            text = head + ":\n  " + "\n  ".join(lines)
        super().__init__(text)
