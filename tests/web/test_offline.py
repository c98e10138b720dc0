"""The floor's offline kit, server side: the service worker from the root, the manifest, and
the certificate help page with the CA download."""

from __future__ import annotations

import json

import pytest
from cryptography import x509

from bastion.core import tls
from bastion.web import offline


def test_the_worker_is_served_from_the_root_with_its_precache_list(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
    body = response.text
    start = body.index("var PRECACHE = ") + len("var PRECACHE = ")
    precache = json.loads(body[start:body.index(";", start)])
    assert "/patrols/field" in precache["pages"]  # registered by the border domain
    for asset in ("/static/js/patrol-field.js", "/static/vendor/leaflet/leaflet.js",
                  "/static/vendor/maps/land-50m.json", "/static/js/offline/sync.js"):
        assert asset in precache["assets"]
    for asset in precache["assets"]:  # every file it precaches exists (else install fails)
        assert client.get(asset).status_code == 200, asset
    assert len(precache["version"]) == 16
    assert client.get("/sw.js").text == body  # same files, same version: no reinstall


def test_register_page_refuses_what_is_not_a_page():
    with pytest.raises(ValueError):
        offline.register_page("/static/js/x.js")


def test_the_manifest_makes_the_field_page_installable(client):
    response = client.get("/manifest.webmanifest?start=/patrols/field")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/patrols/field" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone" and manifest["icons"]
    # a start that is not an offline page is not followed
    assert client.get("/manifest.webmanifest?start=//evil.example").json()["start_url"] \
        == "/patrols/field"


def test_certificate_page_without_a_ca_says_so(client, settings, tmp_path):
    client.app.state.settings = settings.model_copy(update={"data_dir": tmp_path})
    page = client.get("/help/certificate", headers={"accept-language": "en"})
    assert page.status_code == 200 and "No certificate authority" in page.text
    assert client.get("/help/certificate/ca.crt").status_code == 404


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_certificate_page_shows_the_fingerprint_and_serves_the_ca(client, settings, tmp_path,
                                                                  language):
    tls.init(tmp_path, name="Napo Joint Defence Command", hosts=["192.168.8.2"])
    client.app.state.settings = settings.model_copy(update={"data_dir": tmp_path})
    ca = tls.load_ca(tmp_path)
    client.cookies.set("bastion_lang", language)
    page = client.get("/help/certificate")
    assert page.status_code == 200 and f'<html lang="{language}">' in page.text
    assert tls.fingerprint(ca) in page.text
    assert "Safari" in page.text and "Chrome" in page.text  # both phones told
    assert ("安装" in page.text) == (language == "zh-CN")
    download = client.get("/help/certificate/ca.crt")
    assert download.headers["content-type"] == "application/x-x509-ca-cert"
    assert x509.load_der_x509_certificate(download.content) == ca
