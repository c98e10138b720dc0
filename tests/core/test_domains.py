"""Domains plug in through their manifest alone.

The proof: a brand-new domain, written here into a temporary folder and registered with
``BASTION_EXTRA_DOMAINS``, brings its own model, migration branch, router, template, label,
visibility check and CLI command, and everything works without a line changed in ``core/`` or
``web/``. It runs in a child process so that its model never enters this process's metadata
(the other tests compare the metadata with the migrations).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from bastion.core import domains

ROOT = Path(__file__).resolve().parents[2]

LIGHTHOUSES = {
    "__init__.py": '"""Lighthouses along the controlled coast (a domain made up by a test)."""\n',
    "manifest.py": """
        from bastion.core.domains import Command, Domain

        DOMAIN = Domain(
            name="lighthouses", package="bastion_lighthouses",
            routers=("bastion_lighthouses.api:router",),
            templates="templates",
            models=("bastion_lighthouses.models",),
            migrations="migrations",
            commands=(Command("lighthouses", "bastion_lighthouses.cli:app", "Lighthouses."),),
            labels=("bastion_lighthouses.labels",),
            visibility=("bastion_lighthouses.service",),
        )
    """,
    "models.py": """
        from sqlalchemy import String
        from sqlalchemy.orm import Mapped, mapped_column

        from bastion.core.db import Base


        class Lighthouse(Base):
            __tablename__ = "lighthouse"

            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str] = mapped_column(String(100))
            range_nm: Mapped[float]
    """,
    "service.py": """
        from sqlalchemy import select

        from bastion.core import events
        from bastion_lighthouses.models import Lighthouse


        def add(session, *, name, range_nm):
            row = Lighthouse(name=name, range_nm=range_nm)
            session.add(row)
            session.flush()
            events.emit(session, kind="lighthouse.added", record_kind="lighthouse",
                        record_id=row.id)
            return row


        def list_all(session):
            return session.scalars(select(Lighthouse).order_by(Lighthouse.name)).all()


        events.register_visibility("lighthouse", lambda session, user, record_id: True)
    """,
    "labels.py": """
        from bastion.core.i18n import lazy
        from bastion.core.labels import register_labels

        register_labels(namespace="record_kind", labels={"lighthouse": lazy("Lighthouse")})
    """,
    "api.py": """
        from fastapi import APIRouter, Request

        from bastion.web.deps import CurrentUser, SessionDep
        from bastion.web.templating import render
        from bastion_lighthouses import service

        router = APIRouter()


        @router.get("/lighthouses")
        def page(request: Request, session: SessionDep, user: CurrentUser):
            return render(request, "lighthouses/list.html", lights=service.list_all(session))


        @router.get("/api/v1/lighthouses")
        def listing(session: SessionDep, user: CurrentUser):
            return [{"name": row.name, "range_nm": row.range_nm}
                    for row in service.list_all(session)]
    """,
    "templates/lighthouses/list.html": """
        <ul class="lights">{% for light in lights %}<li>{{ light.name }}: {{ light.range_nm }} nm
        ({{ "lighthouse"|term("record_kind") }})</li>{% endfor %}</ul>
    """,
    "migrations/lh01_lighthouses.py": """
        from alembic import op
        import sqlalchemy as sa

        # Its own branch, after the main revision that creates the platform's tables.
        revision = "lh01"
        down_revision = None
        branch_labels = ("lighthouses",)
        depends_on = "0001"


        def upgrade() -> None:
            op.create_table(
                "lighthouse",
                sa.Column("id", sa.Integer(), nullable=False),
                sa.Column("name", sa.String(length=100), nullable=False),
                sa.Column("range_nm", sa.Double(), nullable=False),
                sa.PrimaryKeyConstraint("id", name=op.f("pk_lighthouse")),
            )


        def downgrade() -> None:
            op.drop_table("lighthouse")
    """,
    "cli.py": """
        import typer

        app = typer.Typer(help="Lighthouses.", no_args_is_help=True)


        @app.command()
        def visible(range_nm: float, height_m: float = 10.0) -> None:
            '''Whether a light of this nominal range is seen from a bridge HEIGHT_M high.'''
            # Geographic range: 2.08 * (sqrt(h_light) + sqrt(h_eye)) nm; the light at 25 m.
            geographic = 2.08 * (25 ** 0.5 + height_m ** 0.5)
            typer.echo(f"seen at {min(range_nm, geographic):.1f} nm")

        @app.command()
        def count() -> None:
            typer.echo("0")
    """,
}

# What the child process does: migrate, serve a page and an API call, run the command.
SCRIPT = """
import json, sys
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import bastion.models
from bastion.core import db, domains, events, migrate, security
from bastion.core.config import Settings
from bastion.web.app import create_app
from tests.factories import build_world
from tests.web_helpers import api_token, login

security.use_fast_hashing_for_tests()
url = sys.argv[1]
out = {"domains": [d.name for d in domains.registered()]}
migrate.upgrade(url)
out["tables"] = sorted(migrate.current_tables(url))
engine = db.make_engine(url)
with engine.connect() as conn:
    out["diff"] = [str(d) for d in compare_metadata(MigrationContext.configure(conn),
                                                    db.Base.metadata)]
app = create_app(Settings(database_url=url, secret_key="k", language="en",
                          green_channel_check_seconds=0, _env_file=None))
from bastion_lighthouses import service
with db.transaction(app.state.sessionmaker) as session:
    build_world(session)
    service.add(session, name="Naozhou", range_nm=26.0)
out["visible_kind"] = "lighthouse" in events._visibility
with TestClient(app) as client:
    out["anonymous"] = client.get("/lighthouses", follow_redirects=False).status_code
    login(client, "author")
    page = client.get("/lighthouses")
    out["page"] = [page.status_code, page.text]
    api = client.get("/api/v1/lighthouses", headers=api_token(client, "author"))
    out["api"] = [api.status_code, api.json()]
command = next(c for d in domains.registered() for c in d.commands if c.name == "lighthouses")
result = CliRunner().invoke(domains.load(command.target), ["visible", "26", "--height-m", "16"])
out["cli"] = [result.exit_code, result.output]
migrate.downgrade(url, "lighthouses@base")  # its branch alone
out["after_downgrade"] = sorted(migrate.current_tables(url))
print(json.dumps(out))
"""


def _write_domain(folder: Path) -> None:
    for name, text in LIGHTHOUSES.items():
        path = folder / "bastion_lighthouses" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


def test_a_new_domain_plugs_in_through_its_manifest_alone(tmp_path):
    _write_domain(tmp_path)
    env = {**os.environ, "BASTION_EXTRA_DOMAINS": "bastion_lighthouses.manifest",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src"), str(ROOT)])}
    url = f"sqlite:///{tmp_path / 'plug.db'}"
    done = subprocess.run([sys.executable, "-c", SCRIPT, url], env=env, cwd=ROOT, check=False,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "lighthouses" in out["domains"]
    assert "lighthouse" in out["tables"] and "port_call" in out["tables"]
    assert out["diff"] == []  # its model and its migration agree
    assert out["visible_kind"]
    assert out["anonymous"] in (303, 401)  # its page asks for a login like every other
    status, html = out["page"]
    assert status == 200 and "Naozhou: 26.0 nm" in html and "(Lighthouse)" in html
    assert out["api"] == [200, [{"name": "Naozhou", "range_nm": 26.0}]]
    assert out["cli"] == [0, "seen at 18.7 nm\n"]
    assert "lighthouse" not in out["after_downgrade"] and "port_call" in out["after_downgrade"]


def test_the_shipped_domains_are_registered_platform_first():
    names = [d.name for d in domains.registered()]
    assert names[:4] == ["org", "auth", "audit", "notices"]
    assert {"maritime", "clearance", "screening", "tides"} <= set(names)


# Calls that put a row on the event log: (module alias, function). The floor's own emitters
# only pass on a kind they are given, so the floor (core/) itself is not scanned.
EMITTERS = {("events", "emit"), ("workflow", "record")}


def _emitted_record_kinds() -> dict[str, str]:
    """Every ``record_kind`` the platform and the domains send as events: {kind: module}."""
    import ast
    import importlib

    found: dict[str, str] = {}
    src = ROOT / "src"
    for path in sorted((src / "bastion").rglob("*.py")):
        if {"migrations", "core"} & set(path.relative_to(src / "bastion").parts):
            continue
        module_name = ".".join(path.relative_to(src).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and (node.func.value.id, node.func.attr) in EMITTERS):
                continue
            value = next((k.value for k in node.keywords if k.arg == "record_kind"), None)
            if value is None or (isinstance(value, ast.Constant) and value.value is None):
                continue
            if isinstance(value, ast.Name) and value.id == "record_kind":
                continue  # passes on its caller's kind (a file on a notice is the notice's)
            if isinstance(value, ast.Constant):
                kind = value.value
            else:  # KIND or calls.KIND: read it from the module
                kind = importlib.import_module(module_name)
                for name in ast.unparse(value).split("."):
                    kind = getattr(kind, name, None)
            assert isinstance(kind, str), f"{module_name}:{node.lineno}: record_kind unknown"
            found[kind] = module_name
    return found


def test_every_record_kind_sent_on_the_live_stream_has_a_visibility_check(app):
    """A kind with no check is silently dropped from every user's stream: each one must be
    registered by a module that its domain's manifest names under ``visibility``, so that
    the app imports it at start."""
    from bastion.core import events

    kinds = _emitted_record_kinds()
    assert {"notice", "vessel_alert", "port_call", "precheck_rule_set"} <= set(kinds)
    named = {module for d in domains.registered() for module in d.visibility}
    for kind, emitter in kinds.items():
        check = events._visibility.get(kind)
        assert check is not None, f"{emitter} emits {kind!r} with no visibility check"
        assert check.__module__ in named, f"{check.__module__} is not in a manifest"


def test_a_domains_settings_are_nested_under_its_name(monkeypatch):
    """The floor's Settings gets maritime's detector thresholds from its manifest, and the
    environment still reaches them with the nested delimiter."""
    from bastion.core.config import Settings

    monkeypatch.setenv("BASTION_DETECTORS__GAP_HOURS", "4")
    assert Settings(_env_file=None).detectors.gap_hours == 4
    monkeypatch.delenv("BASTION_DETECTORS__GAP_HOURS")
    assert Settings(_env_file=None).detectors.gap_hours == 6  # GFW: 6 h
