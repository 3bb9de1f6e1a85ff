"""Mutation operators for the project's rules, beside cosmic-ray's own (``core/...``).

cosmic-ray's core operators change numbers, comparisons, booleans, ``and``/``or``, ``break``/
``continue``, exception handlers, decorators and loops. The rules here also live in membership
tests (``role in actor.roles``), in module-level tables (``ROUTES``, ``RULES``), in guard
statements (``raise NotAllowed(...)``) and in calls made for their effect
(``actor.require(...)``, ``self.save(...)``), which no core operator touches. These do:

- ``police/ReplaceInWithNotIn``, ``police/ReplaceNotInWithIn``: a membership test inverted;
- ``police/DropCollectionElement``: one element left out of a set literal, or out of the tuple
  or list a membership test reads (``kind in (A, B)``);
- ``police/SwapTableName``: in a dict literal, a value (or a call's argument, by position) that
  is a plain name replaced by the names next to it among those the same slot holds, in order of
  first appearance: a route given the role set of its neighbour, a rule another role or status
  set. Neighbours only, both sides: every entry moves to a wider and to a narrower set, at a
  third of the cost of every pair;
- ``police/RemoveCallStatement``: a call made for its effect replaced by ``pass`` (a forgotten
  check, save or tracking write); log calls are left alone;
- ``police/ReplaceRaiseWithPass``: a refusal forgotten.

``PoliceOperators`` is the provider; ``bench.mutations`` registers it under the name ``police``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import parso
from cosmic_ray.operators.operator import Example, Operator
from parso.python.tree import Keyword, Name
from parso.python.tree import Operator as PythonOperator

Position = tuple[tuple[int, int], tuple[int, int]]
_LOGGERS = ("log", "logger", "logging", "warnings")


def _span(node: Any) -> Position:
    return (node.start_pos, node.end_pos)


class _MembershipFlip(Operator):
    from_op = ""
    to_op = ""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        for _, op in self._points(node):
            yield _span(op)

    def mutate(self, node: Any, index: int) -> Any:
        op_index, _ = list(self._points(node))[index]
        node.children[op_index] = parso.parse(" " + self.to_op)
        return node

    def _points(self, node: Any) -> Iterator[tuple[int, Any]]:
        if node.type != "comparison":
            return
        for i in range(1, len(node.children), 2):
            if " ".join(node.children[i].get_code().split()) == self.from_op:
                yield i, node.children[i]

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example(f"x {cls.from_op} y", f"x {cls.to_op} y"),)


class ReplaceInWithNotIn(_MembershipFlip):
    """``a in b`` becomes ``a not in b``."""

    from_op = "in"
    to_op = "not in"


class ReplaceNotInWithIn(_MembershipFlip):
    """``a not in b`` becomes ``a in b``."""

    from_op = "not in"
    to_op = "in"


class DropCollectionElement(Operator):
    """One element of a set literal, or of a tuple or list read by a membership test, left out
    (collections of two or more elements, so a set stays a set)."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        for element in self._elements(node):
            yield _span(element)

    def mutate(self, node: Any, index: int) -> Any:
        elements = self._elements(node)
        children = node.children
        at = children.index(elements[index])
        # The element and the comma after it (or before it, for the last one).
        drop = (at, at + 1) if at + 1 < len(children) else (at - 1, at)
        first = children[drop[0]]
        kept = children[: drop[0]] + children[drop[1] + 1 :]
        if drop[0] == 0 and kept:
            kept[0].get_first_leaf().prefix = first.get_first_leaf().prefix
        if node.type == "testlist_comp" and len(elements) == 2 and kept[-1].type != "operator":
            kept.append(PythonOperator(",", kept[-1].end_pos))  # (b,) stays a tuple
        node.children = kept
        return node

    @staticmethod
    def _elements(node: Any) -> list[Any]:
        if node.type == "dictorsetmaker":
            if any(c.type in ("operator",) and c.value in (":", "**") for c in node.children):
                return []  # a dict
        elif node.type == "testlist_comp":
            atom = node.parent
            if atom is None or atom.type != "atom" or atom.children[0].value not in "([":
                return []
            comparison = atom.parent
            if comparison is None or comparison.type != "comparison":
                return []
            ops = [" ".join(c.get_code().split()) for c in comparison.children[1::2]]
            if comparison.children[-1] is not atom or ops[-1] not in ("in", "not in"):
                return []
        else:
            return []
        if any(c.type in ("sync_comp_for", "comp_for") for c in node.children):
            return []
        elements = [c for c in node.children if not (c.type == "operator" and c.value == ",")]
        return elements if len(elements) >= 2 else []

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("s = {a, b, c}", "s = {b, c}"),
            Example("s = {a, b, c}", "s = {a, c}", occurrence=1),
            Example("s = {a, b, c}", "s = {a, b}", occurrence=2),
            Example("ok = k in (a, b)", "ok = k in (b,)"),
            Example("t = (a, b)", "t = (a, b)"),
        )


class SwapTableName(Operator):
    """In a dict literal, a plain-name value (or plain-name call argument) replaced by its
    neighbours among the names that slot holds across the dict."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        for leaf, _ in self._swaps(node):
            yield _span(leaf)

    def mutate(self, node: Any, index: int) -> Any:
        leaf, name = self._swaps(node)[index]
        leaf.value = name
        return node

    @staticmethod
    def _slots(node: Any) -> list[tuple[tuple[str, ...], Any]]:
        if node.type != "dictorsetmaker":
            return []
        children = node.children
        if any(c.type in ("sync_comp_for", "comp_for") for c in children):
            return []
        found: list[tuple[tuple[str, ...], Any]] = []
        for i, child in enumerate(children):
            if not (child.type == "operator" and child.value == ":"):
                continue
            value = children[i + 1]
            if isinstance(value, Name):
                found.append((("value",), value))
            elif value.type == "atom_expr" and len(value.children) == 2:
                callee, trailer = value.children
                if not isinstance(callee, Name) or trailer.children[0].value != "(":
                    continue
                inner = trailer.children[1] if len(trailer.children) == 3 else None
                args = (
                    inner.children[::2]
                    if inner is not None and inner.type == "arglist"
                    else [inner]
                    if inner is not None
                    else []
                )
                for position, arg in enumerate(args):
                    if isinstance(arg, Name):
                        found.append((("arg", callee.value, str(position)), arg))
        return found

    def _swaps(self, node: Any) -> list[tuple[Any, str]]:
        slots = self._slots(node)
        names: dict[tuple[str, ...], list[str]] = {}
        for slot, leaf in slots:
            seen = names.setdefault(slot, [])
            if leaf.value not in seen:
                seen.append(leaf.value)
        swaps = []
        for slot, leaf in slots:
            seen = names[slot]
            if len(seen) < 2:
                continue
            at = seen.index(leaf.value)
            neighbours = dict.fromkeys((seen[at - 1], seen[(at + 1) % len(seen)]))
            swaps += [(leaf, n) for n in neighbours if n != leaf.value]
        return swaps

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("t = {'a': P, 'b': Q}", "t = {'a': Q, 'b': Q}"),
            Example("t = {'a': P, 'b': Q}", "t = {'a': P, 'b': P}", occurrence=1),
            Example("t = {1: R(X, A), 2: R(Y, B)}", "t = {1: R(Y, A), 2: R(Y, B)}"),
            Example("t = {1: R(X, A), 2: R(Y, B)}", "t = {1: R(X, B), 2: R(Y, B)}", occurrence=1),
        )


def _statement(node: Any) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "simple_stmt" and parent.children[0] is node


def _pass_like(node: Any) -> Keyword:
    return Keyword("pass", node.start_pos, prefix=node.get_first_leaf().prefix)


class RemoveCallStatement(Operator):
    """A call made for its effect (``actor.require(...)``, ``self.save(...)``) becomes ``pass``."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        if self._applies(node):
            yield _span(node)

    def mutate(self, node: Any, index: int) -> Any:
        return _pass_like(node)

    @staticmethod
    def _applies(node: Any) -> bool:
        if node.type != "atom_expr" or not _statement(node):
            return False
        last = node.children[-1]
        if last.type != "trailer" or last.children[0].value != "(":
            return False
        first = node.children[0]
        return not (isinstance(first, Name) and first.value in _LOGGERS)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("def f():\n    a.require(x)\n", "def f():\n    pass\n"),
            Example("log.info('x')\n", "log.info('x')\n"),
            Example("y = f(x)\n", "y = f(x)\n"),
        )


class ReplaceRaiseWithPass(Operator):
    """A ``raise`` becomes ``pass``: the refusal is forgotten."""

    def mutation_positions(self, node: Any) -> Iterator[Position]:
        if node.type == "raise_stmt" and _statement(node):
            yield _span(node)

    def mutate(self, node: Any, index: int) -> Any:
        return _pass_like(node)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("if x:\n    raise E('no')\n", "if x:\n    pass\n"),)


OPERATORS: dict[str, type[Operator]] = {
    op.__name__: op
    for op in (
        ReplaceInWithNotIn,
        ReplaceNotInWithIn,
        DropCollectionElement,
        SwapTableName,
        RemoveCallStatement,
        ReplaceRaiseWithPass,
    )
}


class PoliceOperators:
    """cosmic-ray operator provider (iterable of names, indexable by name)."""

    def __iter__(self) -> Iterator[str]:
        return iter(OPERATORS)

    def __getitem__(self, name: str) -> type[Operator]:
        return OPERATORS[name]
