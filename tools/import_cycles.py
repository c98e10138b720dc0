"""An import-linter contract: no module imports itself through others (no import circle).

import-linter's own ``acyclic_siblings`` judges whole packages: a view in ``org/`` importing
``web/deps.py``, which imports ``org/models.py``, counts there as a circle between ``org`` and
``web`` although no module waits for itself. This contract looks at modules, so it names the
real circles (``a -> b -> a``) and stays quiet about packages whose parts import each other
one way. Function-level imports count like any other: a circle hidden behind a lazy import
is still a circle.

    [importlinter:contract:no-circles]
    name = No import circles between modules
    type = module_cycles   # with contract_types = module_cycles: tools.import_cycles.Contract
    root = bastion
"""

from __future__ import annotations

import sys

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract as _Contract
from importlinter.domain.contract import ContractCheck


def strongly_connected(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Tarjan's algorithm over ``modules``: every group of two or more that import in a ring."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(module: str) -> None:
        nonlocal counter
        index[module] = low[module] = counter
        counter += 1
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(modules) + 100))
    try:
        for module in sorted(modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(groups)


class Contract(_Contract):
    type_name = "module_cycles"

    root = fields.StringField()

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        root = str(self.root)  # type: ignore[arg-type]
        modules = {root} | graph.find_descendants(root)
        groups = strongly_connected(graph, modules)
        circles = []
        for group in groups:  # one shortest ring through the group's first module, to show
            first, members = group[0], set(group)
            back = min((graph.find_shortest_chain(importer=m, imported=first) or ()
                        for m in graph.find_modules_directly_imported_by(first) & members),
                       key=len, default=())
            circles.append({"modules": group, "ring": [first, *back]})
        return ContractCheck(kept=not groups, warnings=[], metadata={"circles": circles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for circle in check.metadata["circles"]:
            output.print_error(f"{len(circle['modules'])} modules import each other in a ring:")
            output.print_error("    " + " -> ".join(circle["ring"]), bold=False)
            output.new_line()
