#!/usr/bin/env python3
"""Writes the seeds of every harness but FuzzVerifier and FuzzFATVolume (which have their own): a few tiny,
valid (or nearly valid) inputs each, made here rather than copied from any corpus. Run from this folder.
"""
import base64
import hashlib
import json
import os
import struct
import subprocess
import tempfile
import zlib


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# CBOR: a small map like a CWT's claims, nested arrays with a tag and floats, indefinite lengths.
write("CBOR", "cwt-claims.cbor", bytes.fromhex(
    "a4"                                # map(4)
    "01" "624445"                       # 1: "DE"
    "04" "1a62f0d2c0"                   # 4: 1660000000
    "06" "1a5e0be100"                   # 6: 1577836800
    "390103" "a1" "63766572" "65312e332e30"  # -260: {"ver": "1.3.0"}
))
write("CBOR", "nested-tag.cbor", bytes.fromhex("83" "c1fb41d8c0a2e0000000" "82f5f6" "f93e00"))
write("CBOR", "indefinite.cbor", bytes.fromhex("9f" "5f4201024103ff" "7f6161ff" "bf6161" "01ff" "ff"))

# JSON: a manifest-like object, an array of numbers and escapes, a rule-like object.
write("JSON", "object.json", b'{"a": [1, -2.5e3, true, false, null], "b": {"c": "d\\u00e9\\n"}}')
write("JSON", "numbers.json", b'[0, -0, 1e308, 123456789012345678901234567890, 0.1, "\\ud83d\\ude00"]')
write("JSON", "rule.json", json.dumps({"Identifier": "VR-DE-0001", "Logic": {"if": [{"var": "payload.v.0"}, True, False]},
                                       "ValidFrom": "2021-07-01T00:00:00Z"}).encode())

# TrustBundle: the framing around a manifest, a (bogus) signature and, in one, rules and value sets that the
# manifest's hashes do match, so the inspection path reads them.
MAGIC = b"GCTRUST\0"


def bundle(sections):
    header = MAGIC + struct.pack(">II", 1, len(sections))
    position = 16 + 48 * len(sections)
    body = b""
    for name, data in sections:
        offset = (position + 15) // 16 * 16
        body += b"\0" * (offset - position)
        header += name.encode().ljust(24, b"\0") + struct.pack(">QQ", offset, len(data)) + b"\0" * 8
        body += data
        position = offset + len(data)
    return header + body


def manifest(files):
    return json.dumps({"files": [{"length": len(d), "name": n, "sha256": hashlib.sha256(d).hexdigest()} for n, d in files],
                       "format": 1, "issuedAt": "2022-08-01T00:00:00Z", "notAfter": "2022-09-01T00:00:00Z",
                       "producer": "fuzz seed", "sequence": 7}, sort_keys=True, indent=2).encode()


SIGNATURE = bytes.fromhex("3080" "06092a864886f70d010702" "a080" "3003020101" "0000" "0000")
write("TrustBundle", "manifest-only.bundle", bundle([("manifest", manifest([])), ("signature", SIGNATURE)]))
rules = json.dumps([{"Identifier": "GR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
                     "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "General",
                     "Description": [{"lang": "en", "desc": "fuzz"}], "ValidFrom": "2022-01-01T00:00:00Z",
                     "ValidTo": "2030-01-01T00:00:00Z", "AffectedFields": [], "Logic": True}]).encode()
value_sets = json.dumps({"disease-agent-targeted": ["840539006"]}).encode()
revoked = bytes(range(32))
files = [("rules", rules), ("value-sets", value_sets), ("revoked-uci", revoked)]
write("TrustBundle", "rules.bundle", bundle([("manifest", manifest(files)), ("signature", SIGNATURE)] + files))
# A delta bundle: a manifest naming its base, and sorted 16-byte entries added to and removed from one table.
delta_files = [("revoked-uci+", bytes(range(16)) + bytes(range(16, 32))), ("revoked-uci-", bytes(range(32, 48)))]
delta_manifest = json.loads(manifest(delta_files))
delta_manifest["base"] = {"sequence": 6, "sha256": hashlib.sha256(manifest([])).hexdigest()}
write("TrustBundle", "delta.bundle", bundle([("manifest", json.dumps(delta_manifest, sort_keys=True, indent=2).encode()),
                                             ("signature", SIGNATURE)] + delta_files))
write("TrustBundle", "signers.bundle", bundle([("manifest", manifest([("signers", b"[]")])), ("signature", b"\x30\x00"),
                                               ("signers", b"[]")]))

# Configuration: the example's shape, a minimal file, and one with every table.
write("Configuration", "minimal.conf", b'state_dir = "/var/lib/gatecheck"\n')
write("Configuration", "typical.conf", b"""# comment
state_dir = "/var/lib/gatecheck"
anchors_dir = "/etc/gatecheck/anchors"
log_level = "info"
dedup_window_ms = 3_000

[camera]
device = "/dev/gatecheck-camera"
poll_timeout_ms = 2_000

[trust]
stale = "fail"
clock_skew_s = 300

[scan]
budget_ms = 30

[policy]
rules = "none"
""")
write("Configuration", "lamps.conf", b"""[timings]
pass_ms = 3_000
fail_ms = 3_000
relay_pulse_ms = 1_000
fault_blink_ms = 500

[lamps]
sysfs_root = "/sys"

[lamps.pass]
backend = "led"
name = "gatecheck-green"

[lamps.fault]
backend = "led"
name = "gatecheck-amber"

[status]
socket = "/run/gatecheck/status.sock"
""")

# Image: a PGM (binary and ASCII), a PNG (grey, 4x4) and a baseline JPEG (grey, 8x8, one flat block).
write("Image", "tiny-binary.pgm", b"P5\n4 4\n255\n" + bytes(range(0, 256, 16)))
write("Image", "tiny-ascii.pgm", b"P2\n# comment\n3 2\n15\n0 5 10\n15 10 5\n")


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


rows = b"".join(b"\0" + bytes((x * 60 + y * 20) & 0xFF for x in range(4)) for y in range(4))
write("Image", "tiny-grey.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
      + png_chunk(b"IDAT", zlib.compress(rows, 9)) + png_chunk(b"IEND", b""))
# One 8x8 block of mid grey: quantisation table of ones, Huffman tables of a single 1-bit code each (DC category 0,
# AC end of block), so the scan is the bits 0 0 padded with ones.
write("Image", "tiny-grey.jpg", bytes.fromhex(
    "ffd8"
    "ffdb0043" "00" + "01" * 64 +
    "ffc0000b" "08" "0008" "0008" "01" "011100"
    "ffc40014" "00" "01" + "00" * 15 + "00"
    "ffc40014" "10" "01" + "00" * 15 + "00"
    "ffda0008" "01" "0100" "003f00"
    "3f"
    "ffd9"))

# StatusReply: what gatecheckd answers, one ready and one faulty.
status = {"camera": "/dev/video0", "cameraFaults": 0, "cameraReconnects": 0, "codesRead": 12, "decodeErrors": 1,
          "duplicatesSuppressed": 3, "fails": 4, "failsByFormat": {"hc1": 3, "shc": 1},
          "failsByReason": {"expired": 2, "rule-failed": 1, "unknown-signer": 1}, "failsByRule": {"VR-DE-0001": 1},
          "faults": [], "frames": 900, "framesDropped": 2, "lastLatencyMilliseconds": 12.5,
          "maxLatencyMilliseconds": 40.0, "passes": 8, "passesByFormat": {"hc1": 8}, "scans": 880, "state": "ready",
          "trustAgeSeconds": 3600, "trustExpiresInSeconds": 86400, "trustReloads": 1, "trustSequence": 7,
          "uptimeSeconds": 7200}
write("StatusReply", "ready.json", json.dumps(status, sort_keys=True, separators=(",", ":")).encode() + b"\n")
write("StatusReply", "fault.json", json.dumps({"state": "fault", "faults": ["camera-lost", "stale-trust"],
                                                 "trustSequence": None, "lastLatencyMilliseconds": None}).encode())

# CertLogic: [expression, data] pairs like a rule's logic, and a bare expression over the harness's own payload.
write("CertLogic", "dose-complete.json", json.dumps({"if": [{"var": "payload.v.0"},
                                                        {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]},
                                                        True]}).encode())
write("CertLogic", "dates.json", json.dumps([
    {"not-before": [{"plusTime": [{"var": "external.validationClock"}, 0, "day"]},
                    {"plusTime": [{"var": "payload.v.0.dt"}, 14, "day"]}]},
    {"payload": {"v": [{"dt": "2021-06-01"}]}, "external": {"validationClock": "2022-01-01T00:00:00Z"}}]).encode())
write("CertLogic", "reduce-in.json", json.dumps([
    {"reduce": [{"var": "payload.v"}, {"+": [{"var": "accumulator"}, {"if": [{"in": [{"var": "current.mp"},
                                                                                     ["EU/1/20/1528", "EU/1/20/1507"]]}, 1, 0]}]}, 0]},
    {"payload": {"v": [{"mp": "EU/1/20/1528"}, {"mp": "x"}]}}]).encode())
write("CertLogic", "uvci.json", json.dumps({"extractFromUVCI": [{"var": "payload.v.0.ci"}, 1]}).encode())

# Rules: one acceptance rule with a description and affected fields, the same as a rule set, value sets and a test.
rule = {"Identifier": "VR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0", "SchemaVersion": "1.0.0",
        "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "Vaccination",
        "Description": [{"lang": "en", "desc": "complete course"}], "ValidFrom": "2022-01-01T00:00:00Z",
        "ValidTo": "2030-01-01T00:00:00Z", "AffectedFields": ["v.0.dn", "v.0.sd"],
        "Logic": {"if": [{"var": "payload.v.0"}, {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]}, True]}}
write("Rules", "rule.json", json.dumps(rule).encode())
write("Rules", "rule-set.json", json.dumps([rule, dict(rule, Identifier="VR-XX-0002", Version="1.1.0",
                                                        Logic={"in": [{"var": "payload.v.0.mp"},
                                                                      {"var": "external.valueSets.covid-19-vaccines"}]})]).encode())
write("Rules", "value-sets.json", json.dumps({"covid-19-vaccines": ["EU/1/20/1528"], "disease-agent-targeted": ["840539006"]}).encode())
write("Rules", "test.json", json.dumps({"name": "complete", "payload": {"v": [{"dn": 2, "sd": 2}]},
                                         "external": {"validationClock": "2022-06-01T00:00:00Z", "countryCode": "XX"},
                                         "expected": {"VR-XX-0001": True}}).encode())


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def raw_deflate(data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


# SmartHealthCard: a compact JWS (bogus signature) as it is and as its numeric QR text, in one and in two chunks.
shc_payload = {"iss": "https://issuer.example", "nbf": 1640995200, "vc": {
    "type": ["https://smarthealth.cards#health-card", "https://smarthealth.cards#immunization"],
    "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "resource:0", "resource": {"resourceType": "Patient", "name": [{"family": "X", "given": ["Y"]}],
                                              "birthDate": "2000-01-01"}},
        {"fullUrl": "resource:1", "resource": {"resourceType": "Immunization", "status": "completed",
                                              "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "207"}]},
                                              "patient": {"reference": "resource:0"}, "occurrenceDateTime": "2021-06-01"}}]}}}}
jws = (b64url(json.dumps({"alg": "ES256", "zip": "DEF", "kid": "fuzz-kid"}).encode()) + b"."
       + b64url(raw_deflate(json.dumps(shc_payload, separators=(",", ":")).encode())) + b"." + b64url(bytes(64)))


def shc_numeric(text):
    return "".join("%02d" % (c - 45) for c in text).encode()


write("SmartHealthCard", "card.jws", jws)
write("SmartHealthCard", "card.txt", b"shc:/" + shc_numeric(jws))
half = len(jws) // 2
write("SmartHealthCard", "two-chunks.txt", b"shc:/1/2/" + shc_numeric(jws[:half]) + b"\nshc:/2/2/" + shc_numeric(jws[half:]))
write("SmartHealthCard", "issuers.json", json.dumps([{"iss": "https://issuer.example", "keys": [
    {"kty": "EC", "kid": "fuzz-kid", "use": "sig", "alg": "ES256", "crv": "P-256",
     "x": b64url(bytes(range(32))).decode(), "y": b64url(bytes(range(32, 64))).decode()}]}]).encode())

# VisibleDigitalSeal: a proof-of-vaccination seal (bogus certificate and signature) and an empty trust section.
seal = {"data": {"hdr": {"t": "icao.vacc", "v": 1, "is": "UTO"},
                 "msg": {"uvci": "U32870", "pid": {"n": "X Y", "dob": "2000-01-01", "i": "E1", "sex": "F"},
                         "ve": [{"des": "XM68M6", "nam": "Vaccine", "dis": "RA01.0", "vd": [
                             {"dvc": "2021-03-03", "seq": 1, "ctr": "UTO", "adm": "Clinic", "lot": "VC35", "dvn": "2021-03-24"}]}]}},
        "sig": {"alg": "ES256", "cer": "MIIBfake", "sigvl": b64url(bytes(64)).decode()}}
write("VisibleDigitalSeal", "vaccination.json", json.dumps(seal).encode())
write("VisibleDigitalSeal", "trust.json", json.dumps({"cscas": [], "crls": []}).encode())

# NZCovidPass: the prefix and base32 of a COSE_Sign1 (bogus signature) around CWT claims, and a DID document.
claims = bytes.fromhex("a4" "01" "781e" + b"did:web:nzcp.covid19.health.nz".hex()[:60]
                       + "04" "1a6f1e1780" "05" "1a61819a00" "07" "50" + "00" * 16)
protected = bytes.fromhex("a2" "0126" "04" "48" + "6b65792d31" + "000000")
cose = bytes.fromhex("d2" "84" "4a") + protected + bytes.fromhex("a0" "59") + struct.pack(">H", len(claims)) + claims \
    + bytes.fromhex("5840") + bytes(64)


def base32(data):
    import base64
    return base64.b32encode(data).rstrip(b"=")


write("NZCovidPass", "pass.txt", b"NZCP:/1/" + base32(cose))
write("NZCovidPass", "cose.cbor", cose)
write("NZCovidPass", "did.json", json.dumps({"id": "did:web:nzcp.example", "verificationMethod": [
    {"id": "did:web:nzcp.example#key-1", "controller": "did:web:nzcp.example", "type": "JsonWebKey2020",
     "publicKeyJwk": {"kty": "EC", "crv": "P-256", "x": b64url(bytes(32)).decode(), "y": b64url(bytes(32)).decode()}}],
    "assertionMethod": ["did:web:nzcp.example#key-1"]}).encode())


def cbor(value):
    """Canonical CBOR for the few types the seeds use; a bytes subclass Tagged wraps (tag, value)."""
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for code, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | code]) + n.to_bytes(size, "big")
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        return head(3, len(value.encode())) + value.encode()
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    if isinstance(value, tuple):
        return head(6, value[0]) + cbor(value[1])
    raise TypeError(value)


# COSE: a COSE_Sign1 (tag 18, bogus signature) around the claims of an EU DCC vaccination, ES256 and PS256 headers.
dcc = {"ver": "1.3.0", "nam": {"fn": "X", "fnt": "X", "gn": "Y", "gnt": "Y"}, "dob": "2000-01-01",
       "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215", "dn": 2, "sd": 2,
              "dt": "2021-06-01", "co": "XX", "is": "Fuzz", "ci": "URN:UVCI:01:XX:FUZZ#0"}]}
claims = cbor({1: "XX", 4: 1_700_000_000, 6: 1_640_000_000, -260: {1: dcc}})
for name, algorithm in (("es256", -7), ("ps256", -37)):
    protected = cbor({1: algorithm, 4: bytes(range(8))})
    write("COSE", f"dcc-{name}.cose", cbor((18, [protected, {}, claims, bytes(64 if algorithm == -7 else 256)])))
write("COSE", "unprotected-kid.cose", cbor([cbor({1: -7}), {4: bytes(8)}, claims, bytes(64)]))


# TrustSources: what `trust bundle create --trust` reads. A throwaway P-256 key and self-signed certificate (made with
# the openssl command, here and now) sign a rule as the EU gateway's rules download does (CMS, content attached).
with tempfile.TemporaryDirectory() as scratch:
    key, certificate, rule_file, cms_file = (os.path.join(scratch, n) for n in ("key.pem", "cert.der", "rule.json", "rule.cms"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                    "-subj", "/C=XX/O=Fuzz/CN=Fuzz Upload", "-days", "3650", "-outform", "DER", "-out", certificate],
                   check=True, capture_output=True)
    der = open(certificate, "rb").read()
    gateway_rule = {"Identifier": "GR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
                    "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "General",
                    "Description": [{"lang": "en", "desc": "fuzz"}], "ValidFrom": "2022-01-01T00:00:00Z",
                    "ValidTo": "2030-01-01T00:00:00Z", "AffectedFields": ["v.0.dn"], "Logic": {">": [{"var": "payload.v.0.dn"}, 0]}}
    open(rule_file, "wb").write(json.dumps(gateway_rule).encode())
    subprocess.run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-in", rule_file, "-signer", certificate, "-inform", "DER",
                    "-inkey", key, "-outform", "DER", "-out", cms_file], check=True, capture_output=True)
    cms = open(cms_file, "rb").read()
pem = b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der) + b"-----END CERTIFICATE-----\n"
kid = base64.b64encode(hashlib.sha256(der).digest()[:8]).decode()
entry = {"kid": kid, "timestamp": "2023-01-01T00:00:00Z", "country": "XX", "certificateType": "DSC",
         "thumbprint": hashlib.sha256(der).hexdigest(), "signature": base64.b64encode(bytes(64)).decode(),
         "rawData": base64.b64encode(der).decode()}
write("TrustSources", "gateway-trust-list.json", json.dumps([entry, dict(entry, certificateType="UPLOAD")]).encode())
write("TrustSources", "gateway-rules.json", json.dumps({"GR-XX-0001": [{"version": "1.0.0", "cms": base64.b64encode(cms).decode()}]}).encode())
write("TrustSources", "rule.json", json.dumps(gateway_rule).encode())
write("TrustSources", "gateway-value-set.json", json.dumps({"valueSetId": "disease-agent-targeted", "valueSetDate": "2021-04-27",
                                                            "valueSetValues": {"840539006": {"display": "COVID-19", "active": True}}}).encode())
write("TrustSources", "value-sets.json", json.dumps({"covid-19-vaccines": ["EU/1/20/1528"]}).encode())
write("TrustSources", "certificate.pem", pem)
jwk = {"kty": "EC", "crv": "P-256", "x": b64url(bytes(32)).decode(), "y": b64url(bytes(range(32))).decode(), "kid": "fuzz"}
write("TrustSources", "gdhcn-did.json", json.dumps({"id": "did:web:tng-cdn.who.int:v2:trustlist:-:XXX", "verificationMethod": [
    {"id": "did:web:x#" + kid, "type": "JsonWebKey2020", "controller": "did:web:x", "publicKeyJwk": dict(jwk, x5c=[base64.b64encode(der).decode()])}]}).encode())
write("TrustSources", "issuer-did.json", json.dumps({"id": "did:web:issuer.example", "verificationMethod": [
    {"id": "did:web:issuer.example#fuzz", "type": "JsonWebKey2020", "controller": "did:web:issuer.example", "publicKeyJwk": jwk}],
    "assertionMethod": ["did:web:issuer.example#fuzz"]}).encode())
