#!/usr/bin/env python3
"""Writes the seeds of FuzzCBOR, FuzzTrustBundle, FuzzConfiguration, FuzzImage and FuzzJSON: a few tiny,
valid (or nearly valid) inputs each, made here rather than copied from any corpus. Run from this folder.
"""
import hashlib
import json
import os
import struct
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
