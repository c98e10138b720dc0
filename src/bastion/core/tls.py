"""HTTPS with the unit's own certificate authority.

Phones grant service workers and location only to a secure context: ``https://`` (or the
loopback). A unit's server on its own network has no public name a public CA would certify,
so the unit makes its own CA once (``bastion tls init``), serves with a certificate that CA
signs, and each phone installs the CA certificate (``/help/certificate`` says how and shows
its SHA-256 fingerprint to compare).

Files, in ``<data_dir>/tls/``: ``ca.crt`` / ``ca.key`` (the CA, 10 years) and ``server.crt`` /
``server.key`` (the server, signed by the CA, for the host names and addresses given plus
``localhost`` and ``127.0.0.1``). Private keys are written 0600. The server certificate lives
825 days at most: Apple's platforms refuse TLS server certificates valid for longer
(support.apple.com/HT210176), even under a CA the user installed.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from bastion.core.errors import Invalid

CA_DAYS = 3652  # ten years
SERVER_DAYS = 825  # Apple's ceiling for TLS server certificates
ALWAYS = ("localhost", "127.0.0.1")


@dataclass(frozen=True)
class TlsFiles:
    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca.key"

    @property
    def server_cert(self) -> Path:
        return self.folder / "server.crt"

    @property
    def server_key(self) -> Path:
        return self.folder / "server.key"

    def exist(self) -> bool:
        return all(p.is_file() for p in (self.ca_cert, self.server_cert, self.server_key))


def files(data_dir: Path) -> TlsFiles:
    return TlsFiles(Path(data_dir) / "tls")


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    # Created 0600 from the start: never readable by others, not even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(path, 0o600)


def _san(hosts: list[str]) -> x509.SubjectAlternativeName:
    names: list[x509.GeneralName] = []
    seen: set[str] = set()
    for host in [*hosts, *ALWAYS]:
        host = host.strip()
        if not host or host.lower() in seen:
            continue
        seen.add(host.lower())
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            if not all(part and len(part) < 64 and part.replace("-", "").isalnum()
                       for part in host.rstrip(".").split(".")):
                raise Invalid(f"not a host name or IP address: {host!r}", field="host") from None
            names.append(x509.DNSName(host.rstrip(".").lower()))
    return x509.SubjectAlternativeName(names)


def init(data_dir: Path, *, name: str, hosts: list[str], force: bool = False,
         now: dt.datetime | None = None) -> TlsFiles:
    """Make the CA and a server certificate it signs. Refuses to replace an existing CA
    unless ``force`` (every phone would have to install the new one)."""
    where = files(data_dir)
    if where.ca_cert.exists() and not force:
        raise Invalid(f"a certificate authority exists already in {where.folder}; "
                      "--force replaces it (every phone must then install the new one)",
                      field="force")
    san = _san(hosts)
    now = now or dt.datetime.now(dt.UTC)
    where.folder.mkdir(parents=True, exist_ok=True)
    os.chmod(where.folder, 0o700)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, name)])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (x509.CertificateBuilder()
          .subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=CA_DAYS))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(ca_ski, critical=False)
          .sign(ca_key, hashes.SHA256()))

    server_key = ec.generate_private_key(ec.SECP256R1())
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0] if hosts
                                                else ALWAYS[0]),
                             x509.NameAttribute(NameOID.ORGANIZATION_NAME, name)])
    server = (x509.CertificateBuilder()
              .subject_name(server_name).issuer_name(ca_name)
              .public_key(server_key.public_key())
              .serial_number(x509.random_serial_number())
              .not_valid_before(now - dt.timedelta(hours=1))
              .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False,
                                           key_cert_sign=False, crl_sign=False,
                                           content_commitment=False, data_encipherment=False,
                                           key_agreement=False, encipher_only=False,
                                           decipher_only=False), critical=True)
              .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                             critical=False)
              .add_extension(san, critical=False)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(server_key.public_key()),
                             critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                  ca_ski), critical=False)
              .sign(ca_key, hashes.SHA256()))

    _write_key(where.ca_key, ca_key)
    _write_key(where.server_key, server_key)
    where.ca_cert.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    # The server sends its own certificate and the CA's, so a client has the whole chain.
    where.server_cert.write_bytes(server.public_bytes(serialization.Encoding.PEM)
                                  + ca.public_bytes(serialization.Encoding.PEM))
    return where


def load_ca(data_dir: Path) -> x509.Certificate | None:
    path = files(data_dir).ca_cert
    if not path.is_file():
        return None
    return x509.load_pem_x509_certificate(path.read_bytes())


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the DER certificate as phones show it: ``AB:CD:...``."""
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def server_options(data_dir: Path) -> dict[str, str]:
    """uvicorn's ``ssl_certfile``/``ssl_keyfile`` for the server certificate; refuses when
    ``bastion tls init`` has not been run."""
    where = files(data_dir)
    if not where.exist():
        raise Invalid(f"no certificate in {where.folder}: run `bastion tls init --name "
                      "\"<unit>\" --host <name or address>` first", field="tls")
    return {"ssl_certfile": str(where.server_cert), "ssl_keyfile": str(where.server_key)}
