"""The shape of the code that the next apps will copy: one import direction, no cycles, no imports
hidden in functions, and tasks published by names that exist.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter checks them on the real
import graph, indirect imports included.
"""

import ast
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from importlinter import configuration as importlinter_configuration
from importlinter.application.use_cases import lint_imports

from config.celery import app as celery_app

importlinter_configuration.configure()  # what the lint-imports command does before it reads a config

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]


def heard_apps() -> list[str]:
    """The Django apps this repository holds (not Django's own, not third-party ones): the top-level folders."""
    return [config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT]


def heard_modules(*, with_tests: bool = False):
    """(dotted name, path, syntax tree) of every Python module of Heard's apps and config (and tests)."""
    packages = [*heard_apps(), "config", *(["tests", "bench"] if with_tests else [])]
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            yield dotted, path, ast.parse(path.read_text(), filename=str(path))


def test_imports_follow_the_contracts_in_pyproject(capsys):
    """Apps import only from apps below them; inside an app, models <- permissions <- selectors <- services
    <- forms <- views; services never import tasks; no package has an import cycle among its parts."""
    kept = lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    assert kept, capsys.readouterr().out


def test_every_heard_app_is_checked_by_the_import_contract():
    """A new app that is not in the contract would be silently unchecked: the test names it."""
    layered = {
        name.strip().strip("()")
        for contract in CONTRACTS["contracts"]
        if contract["id"] == "apps"
        for layer in contract["layers"]
        for name in layer.replace(":", "|").split("|")
    }
    for app in heard_apps():
        assert app in CONTRACTS["root_packages"], f"{app} is missing from [tool.importlinter] root_packages"
        assert app in layered, f"{app} has no layer in the 'apps' contract"


def test_installed_apps_are_listed_bottom_layer_first():
    """settings.INSTALLED_APPS lists Heard's apps in the contract's order, as its comment says."""
    layers = next(c["layers"] for c in CONTRACTS["contracts"] if c["id"] == "apps")
    rank = {}
    for depth, layer in enumerate(reversed(layers)):
        for name in layer.replace(":", "|").split("|"):
            rank[name.strip().strip("()")] = depth
    ours = [name for name in settings.INSTALLED_APPS if name in rank]
    assert [rank[name] for name in ours] == sorted(rank[name] for name in ours)


def _nested_imports(tree: ast.AST):
    """Imports inside a function or method, with the function's name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and inner is not node:
                    yield node.name, inner


def test_no_function_imports_heards_own_modules():
    """An import of Heard's own code inside a function hides a cycle; it belongs at the top of the module.

    The one exception is ``AppConfig.ready()``, where Django wants an app's registrations made once
    every model is loaded. Third-party imports may be deferred on purpose (matplotlib, loaded only
    by the processes that draw a chart).
    """
    ours = {*heard_apps(), "config", "tests"}
    found = []
    for _dotted, path, tree in heard_modules(with_tests=True):
        for function, node in _nested_imports(tree):
            if function == "ready" and path.name == "apps.py":
                continue
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            relative = isinstance(node, ast.ImportFrom) and node.level > 0
            if relative or any(name.split(".")[0] in ours for name in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} in {function}()")
    assert found == []


def _enqueued_names():
    """Every task name handed to ``config.celery.enqueue`` anywhere in Heard, its tests and benchmarks,
    each resolved to its string (a literal, or a module-level constant of the calling module)."""
    for dotted, path, tree in heard_modules(with_tests=True):
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        imported = {
            alias.asname or alias.name: node.module
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name != "enqueue":
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            argument = node.args[0]
            if isinstance(argument, ast.Constant):
                yield where, argument.value
            elif isinstance(argument, ast.Name) and argument.id in constants:
                yield where, constants[argument.id]
            elif isinstance(argument, ast.Name) and argument.id in imported:
                module = __import__(imported[argument.id], fromlist=[argument.id])
                yield where, getattr(module, argument.id)
            elif isinstance(argument, ast.Name) and dotted == "tests.services.conftest":
                continue  # the helper that passes its caller's name through; its callers are checked
            else:
                yield where, f"<not a name Heard can check: {ast.unparse(argument)}>"


def test_every_task_name_given_to_enqueue_is_a_registered_task():
    """Services publish by name, so a typo would only show as a task nobody runs: every name is checked here."""
    celery_app.loader.import_default_modules()  # autodiscovers each app's tasks.py, as a worker does
    enqueued = list(_enqueued_names())
    assert {name for _where, name in enqueued} >= {
        "notifications.tasks.notifications_email_sweep",
        "classrooms.tasks.reminders_dispatch",
    }
    unknown = [(where, name) for where, name in enqueued if name not in celery_app.tasks]
    assert unknown == []


def test_beat_wakes_only_registered_tasks():
    celery_app.loader.import_default_modules()
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= set(celery_app.tasks)
