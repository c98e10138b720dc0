"""The floor's offline kit, server side: the service worker, the web app manifest, and the
page that tells phone users how to trust the unit's certificate authority.

The worker (``static/js/offline/sw.js``) is served from the root, ``/sw.js`` with
``Service-Worker-Allowed: /``, so that it may answer navigations to any page registered here.
A domain registers each page that must open with no network (``register_page``) with the
static files it needs; the worker precaches them at install and answers navigations to the
page from its cache when the network is gone. Its version is a hash of what it precaches, so a
new release (or a changed file) installs a new worker and drops the old caches.

Everything here is public: the worker and the manifest hold nothing of anyone's, and a phone
must reach the certificate page before it can trust the server.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from bastion.core import tls
from bastion.core.i18n import gettext as _
from bastion.web.templating import render

STATIC_DIR = Path(__file__).resolve().parent / "static"
WORKER_SOURCE = STATIC_DIR / "js" / "offline" / "sw.js"
PRECACHE_MARK = "/*PRECACHE*/"

# What every offline page needs: the shell's stylesheet and scripts, the kit itself.
SHELL_ASSETS = (
    "/static/css/bastion.css",
    "/static/favicon.svg",
    "/static/vendor/htmx.min.js",
    "/static/js/bastion.js",
    "/static/js/offline/store.js",
    "/static/js/offline/sync.js",
    "/static/js/offline/forms.js",
    "/static/js/offline/status.js",
    "/static/js/offline/register.js",
)
# The map on an offline page: vendored Leaflet and the offline basemap.
MAP_ASSETS = (
    "/static/vendor/leaflet/leaflet.js",
    "/static/vendor/leaflet/leaflet.css",
    "/static/vendor/leaflet/images/marker-icon.png",
    "/static/vendor/leaflet/images/marker-icon-2x.png",
    "/static/vendor/leaflet/images/marker-shadow.png",
    "/static/vendor/leaflet/images/layers.png",
    "/static/vendor/leaflet/images/layers-2x.png",
    "/static/vendor/topojson-client.min.js",
    "/static/vendor/maps/land-50m.json",
    "/static/maps/south-china-coast-ne10m.geojson",
    "/static/js/basemap.js",
)


@dataclass(frozen=True)
class OfflinePage:
    path: str
    assets: tuple[str, ...]


_pages: dict[str, OfflinePage] = {}


def register_page(path: str, *, assets: tuple[str, ...] = ()) -> None:
    """Make ``path`` open offline, with ``assets`` (static URLs) precached beside the shell."""
    if not path.startswith("/") or path.startswith("/static/"):
        raise ValueError(f"an offline page is a page path: {path!r}")
    _pages[path] = OfflinePage(path, tuple(assets))


def pages() -> list[OfflinePage]:
    return list(_pages.values())


def precache() -> dict[str, object]:
    assets = sorted({*SHELL_ASSETS, *MAP_ASSETS, *(a for p in _pages.values() for a in p.assets)})
    digest = hashlib.sha256(WORKER_SOURCE.read_bytes())
    for asset in assets:
        file = STATIC_DIR / asset.removeprefix("/static/")
        digest.update(asset.encode())
        digest.update(file.read_bytes() if file.is_file() else b"-")
    pages_ = sorted(_pages)
    digest.update("\n".join(pages_).encode())
    return {"version": digest.hexdigest()[:16], "pages": pages_, "assets": assets}


router = APIRouter(include_in_schema=False)


@router.get("/sw.js")
def service_worker() -> Response:
    source = WORKER_SOURCE.read_text(encoding="utf-8")
    start = source.index(PRECACHE_MARK)
    end = source.index(PRECACHE_MARK, start + 1)
    body = (source[:start] + json.dumps(precache(), separators=(",", ":"))
            + source[end + len(PRECACHE_MARK):])
    return Response(body, media_type="text/javascript; charset=utf-8",
                    headers={"service-worker-allowed": "/"})


@router.get("/manifest.webmanifest")
def web_manifest(start: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """Installable: the page to open is ``start`` when it is an offline page, else the
    first one registered (the patrol field page), else the dashboard."""
    start_url = start if start in _pages else next(iter(_pages), "/dashboard")
    body = {
        "name": _("Bastion"),
        "short_name": _("Bastion"),
        "start_url": start_url,
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f3a5f",
        "icons": [{"src": "/static/favicon.svg", "sizes": "any", "type": "image/svg+xml",
                   "purpose": "any"}],
    }
    return Response(json.dumps(body, ensure_ascii=False),
                    media_type="application/manifest+json")


@router.get("/help/certificate", response_class=HTMLResponse)
def certificate_help(request: Request) -> Response:
    ca = tls.load_ca(request.app.state.settings.data_dir)
    return render(request, "help_certificate.html",
                  ca=ca, fingerprint=tls.fingerprint(ca) if ca else None,
                  ca_name=ca.subject.rfc4514_string() if ca else None,
                  valid_until=ca.not_valid_after_utc if ca else None)


@router.get("/help/certificate/ca.crt")
def certificate_file(request: Request) -> Response:
    """The CA certificate, DER, as phones install it (Android's settings, iOS profiles)."""
    ca = tls.load_ca(request.app.state.settings.data_dir)
    if ca is None:
        return Response(_("No certificate authority has been made on this server."),
                        status_code=404, media_type="text/plain; charset=utf-8")
    return Response(tls.der(ca), media_type="application/x-x509-ca-cert",
                    headers={"content-disposition": 'attachment; filename="bastion-ca.crt"'})
