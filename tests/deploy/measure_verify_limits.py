"""Figures for docs/deployment.md: verify over HTTP against a local server.

- the peak memory of ``python -m deploy.verify`` checking one 256 MB file of a signed manifest;
- how long a manifest sent one byte every 5 s takes to be refused (it once hung past 300 s).

Run: ``.venv/bin/python tests/deploy/measure_verify_limits.py`` (``TREE=/other/checkout`` measures
another tree's deploy/ with this one's server).
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TREE = os.environ.get("TREE", str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, TREE)

from deploy.signing import generate_key, sign_release  # noqa: E402

SIZE = 256 << 20
BLOCK = bytes(range(256)) * 4096
PEAK = (
    "import resource, sys\n"
    "from deploy.verify import main\n"
    "status = main(sys.argv[1:])\n"
    "print('peak_kB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    "sys.exit(status)\n"
)


def signed_site(folder: Path) -> str:
    digest = hashlib.sha256()
    for _ in range(SIZE // len(BLOCK)):
        digest.update(BLOCK)
    public = generate_key(folder / "press.key")
    site = folder / "site"
    site.mkdir()
    entry = {"path": "big.bin", "sha256": digest.hexdigest(), "size": SIZE}
    (site / "press-manifest.json").write_text(json.dumps({"files": [entry], "version": 1}), encoding="utf-8")
    sign_release(site, str(folder / "press.key"))
    return public


def serve(site: Path, stop: threading.Event) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def do_GET(self):
            if self.path == "/big.bin":
                self.send_response(200)
                self.send_header("Content-Length", str(SIZE))
                self.end_headers()
                for _ in range(SIZE // len(BLOCK)):
                    self.wfile.write(BLOCK)
            elif self.path == "/trickle/press-manifest.json":
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                try:
                    while not stop.wait(5):
                        self.wfile.write(b"{")
                        self.wfile.flush()
                except OSError:
                    pass
            elif (site / self.path.lstrip("/")).is_file():
                data = (site / self.path.lstrip("/")).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            else:
                self.send_error(404)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    public = signed_site(folder)
    stop = threading.Event()
    server = serve(folder / "site", stop)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([TREE, os.path.join(TREE, "plugins")]))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", PEAK, url, "--key", public], capture_output=True, text=True, cwd=TREE, env=env
    )
    peak = result.stdout.split("peak_kB ")[-1].strip()
    elapsed = time.monotonic() - started
    print(f"256 MB file: exit {result.returncode}, peak {int(peak) // 1024} MB, {elapsed:.1f} s")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "deploy.verify", url + "trickle/", "--key", public],
            capture_output=True,
            text=True,
            cwd=TREE,
            env=env,
            timeout=120,
        )
        elapsed = time.monotonic() - started
        print(f"trickle: exit {result.returncode} after {elapsed:.1f} s: {result.stderr.strip()}")
    except subprocess.TimeoutExpired:
        print("trickle: still running after 120 s")
    stop.set()
    server.shutdown()


if __name__ == "__main__":
    main()
