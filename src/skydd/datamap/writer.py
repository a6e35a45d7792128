"""Write a data map as YAML that people read and edit: keys in a sensible order."""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Block style, no aliases, long strings kept on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _dict(dumper: yaml.SafeDumper, value: dict[Any, Any]) -> yaml.MappingNode:
    """Small mappings of plain values on one line, as people write columns by hand:
    `email: {category: user.contact.email, identity: email}`."""
    leaf = (
        value
        and len(value) <= 4
        and all(isinstance(v, str | int | float | bool) or v is None for v in value.values())
    )
    short = leaf and sum(len(str(k)) + len(str(v)) + 4 for k, v in value.items()) <= 80
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=bool(short))


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    short = all(isinstance(v, str | int | float) for v in value) and (
        sum(len(str(v)) + 2 for v in value) <= 60
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=short)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(dict, _dict)
_Dumper.add_representer(list, _list)


def dump_map(data: dict[str, Any], header: str | None = None) -> str:
    """YAML text for a map given as plain data; `header` becomes leading comments."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    if not header:
        return body
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comments + body
