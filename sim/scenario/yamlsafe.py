"""A bounded, strict YAML reader for scenario, strategy and study files.

PyYAML's safe loader is safe from code execution but not from everything a hostile
or careless file can do; this one also refuses, each with a line number:
  - duplicate keys (PyYAML keeps the last one silently);
  - nesting deeper than MAX_DEPTH (PyYAML recurses and raises RecursionError);
  - aliases that expand to more than MAX_NODES values ("billion laughs") or that
    refer to themselves;
  - impossible dates such as 2019-02-30 (PyYAML raises a bare ValueError);
  - files larger than MAX_BYTES.
It records the line of every key path as it goes, without expanding aliases.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_BYTES = 4 * 1024 * 1024   # a scenario or study is a few kilobytes
MAX_DEPTH = 64                # nesting levels, after alias expansion
MAX_NODES = 100_000           # values after alias expansion


class YamlProblem(Exception):
    """A file that cannot be read as a bounded YAML mapping: message and 1-based line."""

    def __init__(self, message: str, line: int | None = None, path: tuple[str, ...] = ()):
        """A problem with the YAML: `message`, at `line` and key `path` where known."""
        self.message = message
        self.line = line
        self.path = path
        super().__init__(message)


class _Loader(yaml.SafeLoader):
    """SafeLoader with a bounded compose depth and date/number errors that carry a line."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep; flatten it",
                                  mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            if node.tag == "tag:yaml.org,2002:timestamp":
                message = (f"{node.value!r} is not a real date ({exc}); write a month as "
                           "YYYY-MM or a date that exists")
            else:
                message = f"{node.value!r} cannot be read ({exc}); write a plain value"
            raise YamlProblem(message, node.start_mark.line + 1) from None


def _walk(root: Any) -> tuple[dict[tuple[str, ...], int], list[YamlProblem]]:
    """Lines of every key path, duplicate keys, and the bounds on the expanded tree."""
    walk = _Walk()
    walk.size(root, 1)
    walk.record(root, ())
    return walk.lines, walk.problems


class _Walk:
    """One walk over a composed tree: the sizes seen so far, and the lines and problems found."""

    def __init__(self) -> None:
        self.lines: dict[tuple[str, ...], int] = {}
        self.problems: list[YamlProblem] = []
        self.sizes: dict[int, int] = {}
        self.visiting: set[int] = set()
        self.recorded: set[int] = set()

    def size(self, node: Any, depth: int) -> int:
        """Values under `node` once aliases are expanded; YamlProblem past the bounds."""
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        if key in self.visiting:
            raise YamlProblem("an alias refers to the value it is part of (a self-reference); "
                              "write the value out", node.start_mark.line + 1)
        if depth > MAX_DEPTH:
            raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep once aliases are "
                              "expanded; flatten it", node.start_mark.line + 1)
        self.visiting.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += self.size(k, depth + 1) + self.size(v, depth + 1)
                if total > MAX_NODES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += self.size(item, depth + 1)
                if total > MAX_NODES:
                    break
        self.visiting.discard(key)
        if total > MAX_NODES:
            raise YamlProblem(f"aliases expand to more than {MAX_NODES:,} values; write the "
                              "values out or use fewer aliases", node.start_mark.line + 1)
        self.sizes[key] = total
        return total

    def record(self, node: Any, path: tuple[str, ...]) -> None:
        """Record the line of every key path under `node`, and its duplicate keys."""
        if id(node) in self.recorded:  # an alias: its lines are the anchor's, recorded once
            return
        self.recorded.add(id(node))
        if isinstance(node, yaml.MappingNode):
            self._record_mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                sub = (*path, str(i))
                self.lines.setdefault(sub, item.start_mark.line + 1)
                self.record(item, sub)

    def _record_mapping(self, node: yaml.MappingNode, path: tuple[str, ...]) -> None:
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value)
            line = key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != \
                    "tag:yaml.org,2002:merge":
                if name in seen:
                    self.problems.append(YamlProblem(
                        f"duplicate key {name!r} (first given at line {seen[name]}); "
                        "keep one", line, (*path, name)))
                seen.setdefault(name, line)
            sub = (*path, name)
            self.lines.setdefault(sub, line)
            self.record(value_node, sub)


def load_text(text: str) -> tuple[Any, dict[tuple[str, ...], int], list[YamlProblem]]:
    """Parse one YAML document: (data, line of each key path, duplicate-key problems).

    Raises YamlProblem for anything that stops the file being read at all.
    """
    if len(text) > MAX_BYTES:
        raise YamlProblem(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; a scenario "
                          "or study is a few kilobytes")
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        lines, problems = _walk(node)
        data = loader.construct_document(node)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise YamlProblem(f"not valid YAML: character {exc.character!r} is not allowed; "
                          "remove it", line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise YamlProblem(f"not valid YAML: {getattr(exc, 'problem', None) or exc}; "
                          "fix the syntax", line) from None
    except RecursionError:
        raise YamlProblem(f"nested too deeply (more than {MAX_DEPTH} levels); flatten it") \
            from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines, problems


def load_value(text: str) -> Any:
    """A `--set` value: YAML scalar or small flow collection, with the same bounds."""
    data, _, problems = load_text(text)
    if problems:
        raise problems[0]
    return data
