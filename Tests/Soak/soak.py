#!/usr/bin/env python3
"""The soak (docs/soak.md): the real gatecheckd on a looping replay of the demo frames plus garbage frames, with
SIGHUP reloads and trust bundle swaps, for SOAK_MINUTES. Checks every decision against the frame that gave it,
samples RSS, fds, threads and the status counters, and fails on a wrong decision, a dead daemon or growth.

Usage: soak.py --bin DIR [--minutes N] [--sample-seconds S] [--fps F] [--hup-seconds S] [--swap-seconds S] [--keep]
"""

import argparse
import atexit
import datetime
import hashlib
import json
import math
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Growth limits after the warm-up (docs/soak.md says why these).
FD_SLACK = 2  # fds: the second half's maximum may exceed the first half's by at most this
THREAD_SLACK = 2  # threads: the same
MAPS_SLACK = 4  # memory mappings (/proc/PID/maps): the same; a freed object's mapping goes with it
RSS_SLACK_KB = 4096  # RSS: the larger of 4 MB ...
RSS_SLACK_FRACTION = 0.05  # ... and 5 % of the first half's maximum
RSS_TREND_KB = 1024  # RSS rising by more than this across the second half ...
RSS_TREND_RATIO = 0.75  # ... and by at least this share of the first half's rise is a trend, even within the slack


def fail_now(message):
    print(f"soak: FAIL: {message}", flush=True)
    sys.exit(1)


def run(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


# MARK: Frames and their expectations


def read_expected(demo):
    """demo/expected.tsv: file -> (verdict, reason, rules); reason None for any, rules a list."""
    cases = {}
    with open(os.path.join(demo, "expected.tsv"), encoding="utf-8") as listing:
        for line in listing:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            rules = [] if len(fields) < 5 or fields[4] == "-" else fields[4].split(",")
            cases[fields[0]] = (fields[1], None if fields[2] == "-" else fields[2], rules)
    return cases


def write_pgm(path, width, height, pixels):
    with open(path, "wb") as out:
        out.write(b"P5\n%d %d\n255\n" % (width, height))
        out.write(pixels)


def make_frames(demo, folder):
    """The demo frames with two codeless frames between them: a blank one and random noise (seeded, so every run
    shows the same noise). Codeless frames must give no decision at all. Returns file -> expectation."""
    os.makedirs(folder)
    expected = read_expected(demo)
    for name in expected:
        shutil.copy(os.path.join(demo, "frames", name), os.path.join(folder, name))
    noise = random.Random(19)
    write_pgm(os.path.join(folder, "04a-no-code.pgm"), 640, 480, bytes([200]) * (640 * 480))
    write_pgm(os.path.join(folder, "07a-noise.pgm"), 640, 480, bytes(noise.getrandbits(8) for _ in range(640 * 480)))
    expected["04a-no-code.pgm"] = None
    expected["07a-noise.pgm"] = None
    return expected


# MARK: Trust: the demo bundle, re-signed with a higher sequence


def read_bundle(path):
    """The framing of docs/trust-bundles.md: [(name, bytes)] in table order."""
    data = open(path, "rb").read()
    if data[:8] != b"GCTRUST\0":
        fail_now(f"{path} is no trust bundle")
    count = struct.unpack(">I", data[12:16])[0]
    sections = []
    for index in range(count):
        entry = data[16 + 48 * index : 16 + 48 * (index + 1)]
        offset, length = struct.unpack(">QQ", entry[24:40])
        sections.append((entry[:24].rstrip(b"\0").decode(), data[offset : offset + length]))
    return sections


def write_bundle(path, sections):
    header = 16 + 48 * len(sections)
    offsets, position = [], header
    for _, content in sections:
        position = (position + 15) // 16 * 16
        offsets.append(position)
        position += len(content)
    out = bytearray(b"GCTRUST\0" + struct.pack(">II", 1, len(sections)))
    for (name, content), offset in zip(sections, offsets):
        out += name.encode().ljust(24, b"\0") + struct.pack(">QQ", offset, len(content)) + bytes(8)
    for (_, content), offset in zip(sections, offsets):
        out += bytes(offset - len(out)) + content
    with open(path, "wb") as file:
        file.write(out)


class Resigner:
    """Makes the demo bundle again with a higher sequence, signed by a soak anchor of its own: the DEMO keys existed
    only while demo/ was generated, and a bundle's content sections are covered by the manifest's hashes, so the
    content stays byte for byte and only the manifest and its CMS signature are new. Installed by `gatecheck trust
    import`, the store's real path (signature, anchors, rollback check, atomic rename)."""

    def __init__(self, demo_bundle, folder, anchors):
        self.sections = read_bundle(demo_bundle)
        self.manifest = json.loads(dict(self.sections)["manifest"])
        self.folder = folder
        self.key, self.cert = os.path.join(folder, "signer.key"), os.path.join(folder, "signer.pem")
        anchor_key = os.path.join(folder, "anchor.key")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        run("openssl", "req", "-x509", *ec, "-keyout", anchor_key, "-out", os.path.join(anchors, "soak-anchor.pem"),
            "-days", "30", "-subj", "/CN=GateCheck soak anchor (test only)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
        csr = os.path.join(folder, "signer.csr")
        run("openssl", "req", *ec, "-keyout", self.key, "-out", csr, "-subj", "/CN=GateCheck soak bundle signer")
        run("openssl", "x509", "-req", "-in", csr, "-CA", os.path.join(anchors, "soak-anchor.pem"), "-CAkey", anchor_key,
            "-days", "30", "-out", self.cert)
        self.made = time.time()

    def rules_country(self):
        """The country whose acceptance rules the bundle carries, as `gatecheckd --demo` admits under."""
        rules = json.loads(dict(self.sections).get("rules", b"[]"))
        countries = {rule["Country"] for rule in rules if rule.get("Type") == "Acceptance"}
        return countries.pop() if len(countries) == 1 else None

    def make(self, sequence):
        manifest = dict(self.manifest, sequence=sequence, producer="soak (re-signed DEMO bundle, test only)")
        # Not before the signer's certificate, which must be valid at issuedAt.
        issued = max(int(time.time()) - 5, int(self.made) + 1)
        manifest["issuedAt"] = datetime.datetime.fromtimestamp(issued, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode()
        manifest_path = os.path.join(self.folder, "manifest.json")
        signature_path = os.path.join(self.folder, "manifest.cms")
        with open(manifest_path, "wb") as file:
            file.write(manifest_bytes)
        run("openssl", "cms", "-sign", "-binary", "-nosmimecap", "-in", manifest_path, "-signer", self.cert,
            "-inkey", self.key, "-outform", "DER", "-out", signature_path)
        signature = open(signature_path, "rb").read()
        sections = [(name, manifest_bytes if name == "manifest" else signature if name == "signature" else content)
                    for name, content in self.sections]
        path = os.path.join(self.folder, f"soak-{sequence}.bundle")
        write_bundle(path, sections)
        return path


# MARK: Sampling the process


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["Threads"])


def readings(pid):
    rss, threads = proc_status(pid)
    with open(f"/proc/{pid}/maps") as maps:
        mappings = sum(1 for _ in maps)
    return rss, len(os.listdir(f"/proc/{pid}/fd")), threads, mappings


def sample(window, gatecheck, socket_path, started):
    """One sample from the readings taken since the last one (every half second). Each frame's scan briefly holds
    the image file open and tens of MB of buffers, and a reload or a restart with a changed file briefly runs
    threads of both configurations; a single reading catches those or misses them by chance. What the daemon
    keeps is the low point of the interval, so growth is judged on the minimum; the maximum is shown."""
    # A few tries: a SIGHUP with a changed file restarts the gate, and its socket, for a moment.
    for attempt in range(5):
        result = subprocess.run([gatecheck, "status", "--socket", socket_path, "--json"], capture_output=True, text=True, timeout=10)
        status = json.loads(result.stdout) if result.returncode == 0 else None
        if status and status.get("state") == "ready" and not status.get("faults"):
            break
        time.sleep(1)
    rss, fds, threads, maps = zip(*window)
    return {"t": time.time() - started, "rss": min(rss), "fds": min(fds), "threads": min(threads), "maps": min(maps),
            "rss_peak": max(rss), "fds_peak": max(fds), "threads_peak": max(threads), "maps_peak": max(maps), "status": status}


def judge_growth(samples):
    """Problems with RSS, fds or threads growing; [] when flat. The first 20 % of the samples (at least one) are
    warm-up; the rest is split in halves, and the second half may not exceed the first by more than the slack."""
    warm = max(1, math.ceil(len(samples) * 0.2))
    steady = samples[warm:]
    if len(steady) < 4:
        return [f"only {len(steady)} samples after the warm-up: too few to judge growth (run longer or sample more often)"]
    half = len(steady) // 2
    first, second = steady[:half], steady[half:]
    problems = []
    for key, slack in (("fds", FD_SLACK), ("threads", THREAD_SLACK), ("maps", MAPS_SLACK)):
        a, b = max(s[key] for s in first), max(s[key] for s in second)
        if b > a + slack:
            problems.append(f"{key} grew: maximum {a} in the first half after warm-up, {b} in the second (slack {slack})")
    a, b = max(s["rss"] for s in first), max(s["rss"] for s in second)
    slack = max(RSS_SLACK_KB, int(a * RSS_SLACK_FRACTION))
    if b > a + slack:
        problems.append(f"RSS grew: maximum {a} kB in the first half after warm-up, {b} kB in the second (slack {slack} kB)")
    # A leak under a steady load rises at a steady rate; a warm-up (malloc's arenas filling as restarts bring new
    # threads) slows down. So the second half may still rise, but by clearly less than the first.
    rise = [max(s["rss"] for s in half) - min(s["rss"] for s in half) for half in (first, second)]
    if rise[1] > RSS_TREND_KB and rise[1] >= RSS_TREND_RATIO * rise[0]:
        problems.append(f"RSS keeps rising: by {rise[0]} kB across the first half after warm-up and {rise[1]} kB across the "
                        f"second ({' '.join(str(s['rss']) for s in steady)} kB)")
    return problems


# MARK: The daemon's log


DECISION = re.compile(r"^debug: replay: frame (\d+) (\S+): (verdict=.*)$")


class LogWatcher:
    """Reads the daemon's stderr as it grows and checks every attributed decision."""

    def __init__(self, path, expected):
        self.path, self.expected = path, expected
        self.offset, self.partial = 0, ""
        self.decisions = {}  # (verdict, reason, rules) -> count
        self.per_file = {name: 0 for name in expected}
        self.wrong = []
        self.verdict_lines = 0
        self.loaded = []  # trust sequences loaded
        self.reloads = 0
        self.restarts = 0
        self.errors, self.warnings = [], []

    def poll(self):
        with open(self.path, encoding="utf-8", errors="replace") as log:
            log.seek(self.offset)
            text = log.read()
            self.offset = log.tell()
        lines = (self.partial + text).split("\n")
        self.partial = lines.pop()
        for line in lines:
            self.line(line)

    def line(self, line):
        if line.startswith("info: verdict="):
            self.verdict_lines += 1
        elif match := DECISION.match(line):
            self.decision(int(match[1]), match[2], match[3], line)
        elif match := re.match(r"^notice: trust: loaded bundle (\d+)", line):
            self.loaded.append(int(match[1]))
        elif line.startswith("notice: reload: requested"):
            self.reloads += 1
        elif line.startswith("notice: reload: configuration changed"):
            self.restarts += 1
        elif line.startswith(("error:", "critical:")):
            self.errors.append(line)
        elif line.startswith("warning:"):
            self.warnings.append(line)

    def decision(self, frame, name, verdict_line, line):
        fields = dict(word.split("=", 1) for word in verdict_line.split() if "=" in word)
        got = (fields.get("verdict"), fields.get("reason"), tuple(fields["rules"].split(",")) if "rules" in fields else ())
        self.decisions[got] = self.decisions.get(got, 0) + 1
        if name not in self.expected:
            self.wrong.append(f"{line}  <- no such frame")
            return
        self.per_file[name] += 1
        want = self.expected[name]
        if want is None:
            self.wrong.append(f"{line}  <- this frame has no code: no decision expected")
        elif got[0] != want[0] or (want[1] is not None and got[1] != want[1]) or list(got[2]) != want[2]:
            self.wrong.append(f"{line}  <- expected verdict={want[0]} reason={want[1] or '-'} rules={','.join(want[2]) or '-'}")

    @property
    def total(self):
        return sum(self.decisions.values())


# MARK: The run


def configuration(state, anchors, socket_path, country, dedup_ms):
    policy = f'[policy]\ncountry = "{country}"\nrules = "bundle"\n' if country else ""
    lamps = "".join(f'[lamps.{role}]\nbackend = "console"\n\n' for role in ("pass", "fail", "fault", "relay"))
    return (f'state_dir = "{state}"\nanchors_dir = "{anchors}"\n# debug: the replay names the frame of each decision\n'
            f'log_level = "debug"\ndedup_window_ms = {dedup_ms}\n\n{policy}\n'
            f'[timings]\npass_ms = 300\nfail_ms = 300\nrelay_pulse_ms = 100\n\n{lamps}'
            f'[status]\nsocket = "{socket_path}"\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="folder with the release gatecheck (multi-call) binary")
    parser.add_argument("--demo", default=os.path.join(REPO, "demo"))
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--sample-seconds", type=float, default=None, help="default 30 below 10 minutes, else 60")
    parser.add_argument("--fps", type=float, default=4)
    parser.add_argument("--hup-seconds", type=float, default=20)
    parser.add_argument("--swap-seconds", type=float, default=45)
    parser.add_argument("--restart-every", type=int, default=2,
                        help="every Nth SIGHUP comes with a changed file, which restarts the gate (0: never)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs) after a pass")
    args = parser.parse_args()
    sample_seconds = args.sample_seconds or (30 if args.minutes < 10 else 60)
    gatecheck = os.path.abspath(os.path.join(args.bin, "gatecheck"))
    if not os.access(gatecheck, os.X_OK):
        fail_now(f"no gatecheck binary at {gatecheck} (make release)")

    # Short: the status socket's path must fit in 107 bytes.
    root = tempfile.mkdtemp(prefix="gcsoak-")
    state, anchors, frames = (os.path.join(root, d) for d in ("state", "anchors", "frames"))
    os.makedirs(anchors)
    os.makedirs(os.path.join(root, "pki"))
    shutil.copy(os.path.join(args.demo, "anchors", "demo-anchor.pem"), anchors)
    expected = make_frames(args.demo, frames)
    demo_bundle = os.path.join(args.demo, "trust", "gatecheck-trust.bundle")
    resigner = Resigner(demo_bundle, os.path.join(root, "pki"), anchors)
    country = resigner.rules_country()
    # The start, as a technician would: the demo bundle through the real import (sequence 1, the demo anchor).
    run(gatecheck, "trust", "import", "--state-dir", state, "--anchors", anchors, demo_bundle)
    sequence = resigner.manifest["sequence"]

    frame_count = len(expected)
    loop_seconds = frame_count / args.fps
    # Below one loop, so each code is decided once a loop; two values, so a SIGHUP can come with a changed file.
    dedup_values = [int(loop_seconds * 1000 * 0.6), int(loop_seconds * 1000 * 0.6) + 100]
    config_path = os.path.join(root, "gatecheck.conf")
    socket_path = os.path.join(root, "status.sock")

    def write_config(dedup_ms):
        with open(config_path + ".tmp", "w") as file:
            file.write(configuration(state, anchors, socket_path, country, dedup_ms))
        os.replace(config_path + ".tmp", config_path)  # a reload never reads half a file

    write_config(dedup_values[0])
    os.symlink(gatecheck, os.path.join(root, "gatecheckd"))  # the multi-call binary runs the daemon by this name
    daemon_log, lamp_log = os.path.join(root, "daemon.log"), os.path.join(root, "lamps.log")
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")}
    print(f"soak: {args.minutes:g} min, {frame_count} frames ({sum(v is None for v in expected.values())} without a code) "
          f"at {args.fps:g} fps, SIGHUP every {args.hup_seconds:g} s ("
          f"{f'every {args.restart_every}. with a changed file' if args.restart_every > 0 else 'file unchanged'}), "
          f"bundle swap every {args.swap_seconds:g} s, sample every {sample_seconds:g} s; files in {root}", flush=True)
    daemon = subprocess.Popen(
        [os.path.join(root, "gatecheckd"), "--config", config_path, "--replay", frames, "--replay-fps", str(args.fps), "--replay-loop"],
        stdout=open(lamp_log, "w"), stderr=open(daemon_log, "w"), env=env)
    # However the driver ends (a failure, Ctrl-C, a CI timeout's SIGTERM), the daemon does not outlive it.
    atexit.register(lambda: daemon.poll() is None and daemon.kill())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    watcher = LogWatcher(daemon_log, expected)
    started = time.time()
    samples, hups, swaps, problems = [], 0, 0, []

    def check_alive():
        if daemon.poll() is not None:
            watcher.poll()
            print(open(daemon_log).read()[-3000:])
            fail_now(f"gatecheckd died with exit status {daemon.returncode} after {time.time() - started:.0f} s")

    window = []  # (rss, fds, threads, mappings) every half second since the last sample

    def take_sample(label):
        check_alive()
        while len(window) < 10:  # the start: a few seconds of readings of its own
            window.append(readings(daemon.pid))
            time.sleep(0.3)
        watcher.poll()
        s = sample(window, gatecheck, socket_path, started)
        window.clear()
        samples.append(s)
        st = s["status"] or {}
        print(f"sample {len(samples):3d} {label:5s} t={s['t']:6.0f}s rss={s['rss']} kB (peak {s['rss_peak']}) "
              f"fds={s['fds']} ({s['fds_peak']}) threads={s['threads']} ({s['threads_peak']}) maps={s['maps']} ({s['maps_peak']}) "
              f"state={st.get('state')} faults={','.join(st.get('faults', [])) or '-'} trust={st.get('trustSequence')} "
              f"passes={st.get('passes')} fails={st.get('fails')} scans={st.get('scans')} dropped={st.get('framesDropped')} "
              f"decisions={watcher.total} wrong={len(watcher.wrong)}", flush=True)
        if s["status"] is None:
            problems.append(f"sample {len(samples)}: gatecheck status failed")
        elif st.get("state") != "ready" or st.get("faults"):
            problems.append(f"sample {len(samples)}: state {st.get('state')}, faults {st.get('faults')}")

    # Ready: the first attributed decision (the daemon has read trust and scanned frames).
    while watcher.total == 0:
        check_alive()
        if time.time() - started > 60:
            fail_now("no decision within 60 s of the start; see " + daemon_log)
        time.sleep(0.2)
        watcher.poll()
    take_sample("start")
    end = started + args.minutes * 60
    next_sample, next_hup, next_swap = time.time() + sample_seconds, started + args.hup_seconds, started + args.swap_seconds
    while time.time() < end:
        time.sleep(0.5)
        check_alive()
        window.append(readings(daemon.pid))
        watcher.poll()
        now = time.time()
        # Sampling first: a SIGHUP in the same round could catch a changed configuration's restart mid-way.
        if now >= next_sample and now < end - sample_seconds / 3:
            take_sample("")
            next_sample += sample_seconds
        if now >= next_hup:
            hups += 1
            # Every Nth SIGHUP with a changed file (a restart of the gate); the others reload trust only.
            changes = hups // args.restart_every if args.restart_every > 0 else 0
            write_config(dedup_values[changes % 2])
            daemon.send_signal(signal.SIGHUP)
            next_hup += args.hup_seconds
        if now >= next_swap:
            sequence += 1
            bundle = resigner.make(sequence)
            result = subprocess.run([gatecheck, "trust", "import", "--state-dir", state, "--anchors", anchors, bundle],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                problems.append(f"trust import of sequence {sequence} failed: {result.stdout}{result.stderr}".strip())
            os.remove(bundle)
            swaps += 1
            next_swap += args.swap_seconds
    time.sleep(2)  # the last swap reaches the daemon within a second
    take_sample("end")

    daemon.send_signal(signal.SIGTERM)
    try:
        code = daemon.wait(timeout=30)
    except subprocess.TimeoutExpired:
        daemon.kill()
        code = "none (killed after 30 s)"
    watcher.poll()
    if code != 0:
        problems.append(f"gatecheckd exited with status {code} after SIGTERM")

    # MARK: Verdict on the run
    problems += judge_growth(samples)
    if watcher.wrong:
        problems.append(f"{len(watcher.wrong)} wrong decisions, the first: " + "; ".join(watcher.wrong[:5]))
    if watcher.total == 0 or watcher.total != watcher.verdict_lines:
        problems.append(f"{watcher.verdict_lines} verdict lines but {watcher.total} attributed decisions")
    never = [name for name, want in expected.items() if want is not None and watcher.per_file[name] == 0]
    if never:
        problems.append("frames never decided: " + ", ".join(never))
    final = samples[-1]["status"] or {}
    if final and final.get("passes", 0) + final.get("fails", 0) > watcher.total:
        problems.append(f"the status counts {final['passes'] + final['fails']} decisions, the log {watcher.total}")
    if final.get("cameraFaults"):
        problems.append(f"{final['cameraFaults']} camera faults: a frame did not load")
    if sequence > resigner.manifest["sequence"] and (not watcher.loaded or watcher.loaded[-1] != sequence):
        problems.append(f"the daemon's last loaded bundle is {watcher.loaded[-1:] or 'none'}, the last installed {sequence}")
    if watcher.reloads != hups:
        problems.append(f"{hups} SIGHUPs sent, {watcher.reloads} reloads logged")
    if watcher.errors:
        problems.append(f"{len(watcher.errors)} error lines, the first: {watcher.errors[0]}")

    def figures(key):
        values = [s[key] for s in samples]
        return f"{values[0]} / {values[-1]} / {max(values)}   (peak {max(s[key + '_peak'] for s in samples)})"

    print("\nsoak summary")
    print(f"  duration          {samples[-1]['t']:.0f} s, {len(samples)} samples every {sample_seconds:g} s")
    print(f"  decisions         {watcher.total} ({watcher.total / max(1.0, samples[-1]['t']) * 3600:.0f}/h), wrong {len(watcher.wrong)}")
    for (verdict, reason, rules), count in sorted(watcher.decisions.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        print(f"    {verdict:4s} {reason or '-':20s} {','.join(rules) or '':12s} {count:8d}")
    print(f"  per frame         " + ", ".join(f"{name} {count}" for name, count in watcher.per_file.items()))
    print(f"  scans, dropped    {final.get('scans')} scans, {final.get('framesDropped')} frames dropped, "
          f"{final.get('duplicatesSuppressed')} duplicates suppressed (counters of the current configuration)")
    print(f"  reloads           {hups} SIGHUPs, {watcher.reloads} reloads logged, {watcher.restarts} restarts with a changed file")
    print(f"  bundle swaps      {swaps} imports, sequence {resigner.manifest['sequence']} -> {sequence}, "
          f"{len(watcher.loaded)} loads logged, last {watcher.loaded[-1:] or '-'}")
    print(f"  log               {len(watcher.warnings)} warnings, {len(watcher.errors)} errors")
    print("  low point of each sample (what stays between frames): first / last / max, and the highest reading")
    print(f"  RSS kB            first / last / max  {figures('rss')}")
    print(f"  fds               first / last / max  {figures('fds')}")
    print(f"  threads           first / last / max  {figures('threads')}")
    print(f"  memory mappings   first / last / max  {figures('maps')}")
    if problems:
        for problem in problems:
            print(f"soak: FAIL: {problem}")
        print(f"soak: logs kept in {root}")
        sys.exit(1)
    print("soak: PASS")
    if args.keep:
        print(f"soak: logs kept in {root}")
    else:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
