#!/usr/bin/env python3
"""Boots the GateCheck test machine under QEMU (software emulation), answers the guest's hot-plug requests
through the QEMU monitor, and reports each scenario from the serial console.

The guest prints "GCSYS RESULT <name> pass|fail <seconds> <detail>" per scenario, "GCSYS PLUG <stick>" and
"GCSYS UNPLUG <stick>" when it wants a USB stick inserted or pulled, "GCSYS OFFER <name>" when the HTTPS server
should serve another bundle, and "GCSYS DONE" at the end.

With --https-address, the host runs Tests/TrustUpdatesTests/https-test-server.py on an ephemeral port of
127.0.0.1, and the guest gets one NIC on QEMU's user network with restrict=on: it reaches nothing but
https://ADDRESS/ (port 443), which QEMU hands, connection by connection, to `vm.py --relay 127.0.0.1:PORT`.

  vm.py --relay HOST:PORT   copies standard input/output (QEMU's socket to the guest) to HOST:PORT and back
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

HTTPS_SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "TrustUpdatesTests", "https-test-server.py")
# The one file the server offers; the guest's [update] url names it.
SERVED_NAME = "gatecheck-trust.bundle"


# Terminal escape sequences (CSI such as ESC [ K, OSC, two-byte ESC x) and other control characters but tab:
# the monitor echoes each keystroke with line-editing codes, and the guest's console may colour its output.
ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def clean(text):
    """The text with escape sequences and control characters removed: what a log line should hold."""
    return CONTROLS.sub("", ESCAPES.sub("", text))


def monitor(path, command):
    """One HMP command over the monitor socket; returns what QEMU answered, one line, without the echo of the
    command (QEMU redraws the line at each keystroke) and without terminal codes."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(path)
        connection.settimeout(5)
        banner = b""
        while b"(qemu)" not in banner:
            banner += connection.recv(4096)
        connection.sendall(command.encode() + b"\n")
        answer = b""
        try:
            while answer.count(b"(qemu)") < 1:
                answer += connection.recv(4096)
        except socket.timeout:
            pass
        lines = [clean(line).strip() for line in answer.decode(errors="replace").replace("(qemu)", "").splitlines()]
        return "; ".join(line for line in lines if line and not line.endswith(command))


def relay(target):
    """One guest connection: QEMU's guestfwd cmd: gives it as file descriptors 0, 1 and 2 (one socket). Nothing
    may be printed, since standard error is that socket too."""
    host, port = target.rsplit(":", 1)
    guest = socket.socket(fileno=0)
    try:
        upstream = socket.create_connection((host, int(port)), timeout=300)
    except OSError:
        return 1

    def pump(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    back = threading.Thread(target=pump, args=(upstream, guest), daemon=True)
    back.start()
    pump(guest, upstream)
    back.join(timeout=300)
    return 0


class HTTPSServer:
    """https-test-server.py serving one file, SERVED_NAME, whose content the guest picks from the offers."""

    def __init__(self, cert, key, offers, folder):
        self.offers = offers
        self.root = os.path.join(folder, "https-root")
        os.makedirs(self.root, exist_ok=True)
        self.offer(next(iter(offers)))
        self.process = subprocess.Popen(
            [sys.executable, HTTPS_SERVER, "--cert", cert, "--key", key, "--root", self.root],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        words = self.process.stdout.readline().decode().split()
        if len(words) != 2 or words[0] != "port":
            self.stop()
            raise SystemExit("the HTTPS test server did not start: %r" % words)
        self.port = int(words[1])

    def offer(self, name):
        """Serves the offer `name` from now on (replaced atomically: a request sees the old or the new file)."""
        staged = os.path.join(self.root, ".staged")
        shutil.copyfile(self.offers[name], staged)
        os.replace(staged, os.path.join(self.root, SERVED_NAME))

    def requests(self):
        """The paths requested so far."""
        try:
            with open(os.path.join(self.root, "requests.log")) as log:
                return [line.split("\t")[0] for line in log if line.strip()]
        except FileNotFoundError:
            return []

    def stop(self):
        self.process.stdin.close()  # the server ends when its standard input closes
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--relay":
        return relay(sys.argv[2])
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="amd64", choices=["amd64", "arm64"])
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--initrd", required=True)
    parser.add_argument("--disk", required=True)
    parser.add_argument("--stick", action="append", default=[], help="NAME=IMAGE")
    parser.add_argument("--only", default="")
    parser.add_argument("--timeout", type=int, default=840)
    parser.add_argument("--log", required=True)
    parser.add_argument("--expect", default="", help="comma-separated scenarios that must report")
    parser.add_argument("--https-address", help="the guest's address for the host's HTTPS server (in 10.0.2.0/24)")
    parser.add_argument("--https-cert", help="the server's certificate (for --https-address), PEM")
    parser.add_argument("--https-key", help="its private key, PEM")
    parser.add_argument("--https-offer", action="append", default=[], help="NAME=BUNDLE; the first is served at start")
    args = parser.parse_args()

    sticks = dict(entry.split("=", 1) for entry in args.stick)
    monitor_path = os.path.join(os.path.dirname(os.path.abspath(args.log)), "monitor.sock")
    if os.path.exists(monitor_path):
        os.unlink(monitor_path)
    # amd64: a PC, whose PS/2 keyboard gives the LED class devices. arm64: the board's CPU, a Cortex-A72, on
    # QEMU's virt machine, which has no PS/2: a USB keyboard on the xHCI controller gives them instead.
    if args.arch == "amd64":
        console, machine = "ttyS0", ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max"]
        keyboard = []
    else:
        console, machine = "ttyAMA0", ["qemu-system-aarch64", "-accel", "tcg", "-M", "virt", "-cpu", "cortex-a72"]
        keyboard = ["-device", "usb-kbd,bus=xhci.0"]
    append = "root=/dev/vda rw console=%s panic=-1 quiet loglevel=3 systemd.show_status=0 net.ifnames=0" % console
    append += " gcsys.console=" + console
    if args.only:
        append += " gcsys.only=" + args.only
    server = None
    network = ["-nic", "none"]
    if args.https_address:
        server = HTTPSServer(args.https_cert, args.https_key, dict(entry.split("=", 1) for entry in args.https_offer),
                             os.path.dirname(os.path.abspath(args.log)))
        # restrict=on: no packet leaves the user network (no DNS, no host, no Internet) except to the guestfwd.
        network = ["-nic", "user,model=virtio-net-pci,restrict=on,ipv6=off,guestfwd=tcp:%s:443-cmd:%s %s --relay 127.0.0.1:%d" % (
            args.https_address, sys.executable, os.path.abspath(__file__), server.port)]
        append += " gcsys.update_url=https://%s/files/%s" % (args.https_address, SERVED_NAME)
    command = machine + [
        "-m", "2048", "-smp", "2",
        "-display", "none", "-serial", "stdio", "-no-reboot",
        "-monitor", "unix:%s,server,nowait" % monitor_path,
        "-kernel", args.kernel, "-initrd", args.initrd, "-append", append,
        "-drive", "file=%s,if=virtio,format=raw" % args.disk,
        "-device", "qemu-xhci,id=xhci",
    ] + network + keyboard
    started = time.monotonic()
    results = {}
    order = []
    booted = None
    done = False
    qemu = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    with open(args.log, "w") as log:
        deadline = started + args.timeout
        for raw in qemu.stdout:
            line = clean(raw.decode(errors="replace"))
            elapsed = time.monotonic() - started
            log.write("%7.1f %s\n" % (elapsed, line))
            log.flush()
            if "GCSYS " not in line:
                if elapsed > args.timeout:
                    break
                continue
            words = line[line.index("GCSYS ") + 6:].split(" ")
            kind = words[0]
            if kind == "BOOTED":
                booted = elapsed
                print("booted in %.0f s (%s)" % (elapsed, " ".join(words[1:])), flush=True)
            elif kind == "LOG":
                print("  guest: " + " ".join(words[1:]), flush=True)
            elif kind == "RESULT" and len(words) >= 4:
                name, verdict, seconds = words[1], words[2], words[3]
                results[name] = (verdict, seconds, " ".join(words[4:]))
                order.append(name)
                print("%s %-13s %4ss  %s" % (verdict.upper(), name, seconds, " ".join(words[4:])), flush=True)
            elif kind in ("PLUG", "UNPLUG") and len(words) >= 2:
                stick = words[1]
                if kind == "PLUG":
                    answer = monitor(monitor_path, "drive_add 0 if=none,id=drive-%s,file=%s,format=raw" % (stick, sticks[stick]))
                    answer += monitor(monitor_path, "device_add usb-storage,bus=xhci.0,drive=drive-%s,id=usb-%s,removable=on" % (stick, stick))
                else:
                    answer = monitor(monitor_path, "device_del usb-%s" % stick)
                print("  host: %s stick %s%s" % (kind.lower(), stick, ": " + answer if answer else ""), flush=True)
            elif kind == "OFFER" and len(words) >= 2 and server is not None:
                server.offer(words[1])
                print("  host: the HTTPS server offers %s now (%d requests so far)" % (words[1], len(server.requests())), flush=True)
            elif kind == "DONE":
                done = True
                break
            if time.monotonic() > deadline:
                break
    try:
        qemu.wait(timeout=60)
    except subprocess.TimeoutExpired:
        qemu.kill()
        qemu.wait()
    if server is not None:
        requests = server.requests()
        server.stop()
        print("  host: the HTTPS server answered %d requests%s" % (
            len(requests), ": " + ", ".join(sorted(set(requests))) if requests else ""), flush=True)

    expected = [name for name in args.expect.split(",") if name]
    for name in expected:
        if name not in results:
            results[name] = ("fail", "-", "no result (timed out or crashed; see %s)" % args.log)
            order.append(name)
            print("FAIL %-13s    -s  %s" % (name, results[name][2]), flush=True)
    passed = sum(1 for verdict, _, _ in results.values() if verdict == "pass")
    failed = len(results) - passed
    if not done:
        failed += 1
        print("the guest did not finish within %d s (log: %s)" % (args.timeout, args.log))
    print()
    print("system tier: %s; wall %.0f s%s" % (
        ", ".join("%s %s %ss" % (name, results[name][0], results[name][1]) for name in order),
        time.monotonic() - started, "" if booted is None else ", boot %.0f s" % booted))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
