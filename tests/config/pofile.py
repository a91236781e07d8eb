"""A tiny reader for gettext .po files: enough to check that a catalogue is fully translated."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PoEntry:
    """One message of a .po file (the header, with an empty msgid, is not returned)."""

    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def fuzzy(self) -> bool:
        """True when gettext marked the translation as a guess that needs review."""
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """True when every msgstr (every plural form) is non-empty."""
        return bool(self.msgstr) and all(self.msgstr.values())


def read_po(path: Path) -> list[PoEntry]:
    """Parse a .po file into entries, skipping the header and obsolete (#~) entries."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    target: tuple[str, int] | None = None
    seen = False

    def finish() -> None:
        nonlocal entry, target, seen
        if seen and entry.msgid:
            entries.append(entry)
        entry, target, seen = PoEntry(), None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#:"):
            entry.references.extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and target is not None:
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _space, value = line.partition(" ")
            text = ast.literal_eval(value)
            if keyword.startswith("msgstr["):
                target = ("msgstr", int(keyword[7:-1]))
            else:
                target = (keyword, 0)
            seen = True
            _set(entry, target, text)
    finish()
    return entries


def _set(entry: PoEntry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = text
    else:
        setattr(entry, name, text)


def _append(entry: PoEntry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    else:
        setattr(entry, name, (getattr(entry, name) or "") + text)
