"""HTTPS with the unit's own CA: ``bastion tls init`` makes a CA and a server certificate whose
chain verifies, keys readable by the owner only; ``bastion serve --https`` (several processes)
answers a client that trusts that CA, and no other."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import stat
import subprocess
import time

import httpx
import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from bastion.core import tls
from bastion.core.errors import Invalid
from tests.core import live_processes as live


def _certs(folder):
    where = tls.files(folder)
    ca = x509.load_pem_x509_certificate(where.ca_cert.read_bytes())
    chain = x509.load_pem_x509_certificates(where.server_cert.read_bytes())
    return where, ca, chain


def test_init_makes_a_ca_and_a_server_certificate_whose_chain_verifies(tmp_path):
    now = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    tls.init(tmp_path, name="那坡联防指挥部", hosts=["bastion.np.lan", "192.168.8.2"], now=now)
    where, ca, chain = _certs(tmp_path)
    server = chain[0]
    assert chain[1] == ca  # the server sends the CA with its own certificate
    server.verify_directly_issued_by(ca)  # signature, issuer name: raises if not
    ca.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert ExtendedKeyUsageOID.SERVER_AUTH in \
        server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(san.get_values_for_type(x509.DNSName)) == {"bastion.np.lan", "localhost"}
    assert set(san.get_values_for_type(x509.IPAddress)) == {
        ipaddress.ip_address("192.168.8.2"), ipaddress.ip_address("127.0.0.1")}
    assert (ca.not_valid_after_utc - now).days in (3651, 3652)  # ten years
    assert (server.not_valid_after_utc - now).days <= 825  # Apple's ceiling
    assert ca.subject.rfc4514_string().endswith("那坡联防指挥部")
    for key in (where.ca_key, where.server_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(where.folder.stat().st_mode) == 0o700
    assert tls.fingerprint(ca).count(":") == 31


def test_an_existing_ca_is_replaced_only_when_asked(tmp_path):
    tls.init(tmp_path, name="Unit", hosts=[])
    first = tls.fingerprint(tls.load_ca(tmp_path))
    with pytest.raises(Invalid) as refused:
        tls.init(tmp_path, name="Unit", hosts=[])
    assert refused.value.field == "force"
    assert tls.fingerprint(tls.load_ca(tmp_path)) == first  # untouched
    tls.init(tmp_path, name="Unit", hosts=[], force=True)
    assert tls.fingerprint(tls.load_ca(tmp_path)) != first


@pytest.mark.parametrize("host", ["bad host", "a..b", "-", "x" * 64 + ".lan"])
def test_a_host_that_is_no_name_or_address_is_refused_and_nothing_written(tmp_path, host):
    with pytest.raises(Invalid) as refused:
        tls.init(tmp_path, name="Unit", hosts=[host])
    assert refused.value.field == "host" and repr(host) in refused.value.message
    assert not tls.files(tmp_path).folder.exists()


def test_serving_https_without_a_certificate_says_what_to_run(tmp_path):
    with pytest.raises(Invalid, match="bastion tls init"):
        tls.server_options(tmp_path)


def test_https_server_with_several_processes_answers_a_client_that_trusts_the_ca(tmp_path):
    env = live.environment(f"sqlite:///{tmp_path / 'tls.db'}", BASTION_DATA_DIR=str(tmp_path),
                           BASTION_WEB_WORKERS="2")
    live.prepare(env, tmp_path)
    made = subprocess.run([*live.BASTION, "tls", "init", "--name", "Napo JDC", "--host",
                           "bastion.np.lan"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, check=True)
    ca_file = tls.files(tmp_path).ca_cert
    fingerprint = tls.fingerprint(tls.load_ca(tmp_path))
    assert fingerprint in made.stdout
    port = live.free_port()
    server = live.spawn(["serve", "--https", "--port", str(port)], env, tmp_path, "https")
    trust = ssl.create_default_context(cafile=str(ca_file))
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"{url}/healthz", verify=trust, timeout=2)
                break
            except httpx.ConnectError as exc:
                if "CERTIFICATE" in str(exc) or time.monotonic() > deadline or \
                        server.process.poll() is not None:
                    raise AssertionError(server.output()) from exc
                time.sleep(0.3)
        assert answer.status_code == 200 and answer.json()["status"] == "ok"
        assert "serving with 2 processes" in server.output()
        # by name too (localhost is always in the certificate)
        assert httpx.get(f"https://localhost:{port}/healthz", verify=trust).status_code == 200
        # a client that does not trust the unit's CA is refused
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(f"{url}/healthz", verify=ssl.create_default_context(), timeout=5)
        # over HTTPS cookies are Secure, HSTS is sent; the help page serves this very CA
        login = httpx.get(f"{url}/login", verify=trust)
        assert "secure" in login.headers["set-cookie"].lower()
        assert login.headers["strict-transport-security"].startswith("max-age=")
        page = httpx.get(f"{url}/help/certificate", verify=trust)
        assert fingerprint in page.text
        der = httpx.get(f"{url}/help/certificate/ca.crt", verify=trust).content
        assert x509.load_der_x509_certificate(der) == tls.load_ca(tmp_path)
    finally:
        server.stop()
