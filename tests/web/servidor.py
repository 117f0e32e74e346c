"""servidor.py - starts `observa servir` on a free port for the web tests and talks HTTP to it."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid

OBSERVA = os.environ.get("OBS_TEST_OBSERVA", "build/observa")
SOURCE = os.environ.get("OBS_TEST_SOURCE_ROOT", ".")
SAMPLE = os.path.join(SOURCE, "sample-data")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `observa servir` with its own datos folder; stopped with SIGTERM."""

    def __init__(self, *extra, config=None, datos=None):
        """datos: the folder of an earlier server, to start again over it (a restart)."""
        self.dir = tempfile.mkdtemp(prefix="observa-web-")
        self.datos = datos or os.path.join(self.dir, "datos")
        self.port = free_port()
        self.config = config or os.path.join(SAMPLE, "demo.ini")
        args = [OBSERVA, "servir", "--datos", self.datos, "--puerto", str(self.port), "--config", self.config, *extra]
        self.log = open(os.path.join(self.dir, "servidor.log"), "w+")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.log)
        self.token = None  # the administrator's permanent token (DATOS/token), never printed
        self.code = None   # the one-time login code of the printed link
        deadline = time.time() + 30
        while time.time() < deadline and self.code is None:
            self.log.flush()
            with open(self.log.name) as f:
                m = re.search(r"(https?://\S+/entrar\?codigo=([0-9a-f]+))", f.read())
            if m:
                self.login_url, self.code = m.group(1), m.group(2)
            elif self.proc.poll() is not None:
                raise RuntimeError("observa servir terminó: " + open(self.log.name).read())
            else:
                time.sleep(0.1)
        if not self.code:
            raise RuntimeError("observa servir no imprimió su enlace")
        with open(os.path.join(self.datos, "token")) as f:
            self.token = f.read().strip()

    def log_text(self):
        with open(self.log.name) as f:
            return f.read()

    def request(self, method, path, body=None, headers=None, host=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = {"Host": host or f"127.0.0.1:{self.port}"}
        h.update(headers or {})
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def login(self, token=None):
        """A session cookie ("observa_sesion=…") from the login form with the token."""
        body = urllib.parse.urlencode({"token": token or self.token})
        st, h, _ = self.request("POST", "/entrar", body, {"Content-Type": "application/x-www-form-urlencoded"})
        assert st == 303, st
        return h["set-cookie"].split(";")[0]

    def bearer(self, token=None):
        return {"Authorization": "Bearer " + (token or self.token)}

    def acceso(self, *args):
        out = subprocess.run([OBSERVA, "acceso", *args, "--datos", self.datos], capture_output=True, text=True)
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def multipart(fields, files):
    """A multipart/form-data body: fields [(name, value)], files [(name, filename, bytes)]."""
    boundary = "observa-" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
    for name, filename, data in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                "Content-Type: text/csv\r\n\r\n").encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), "multipart/form-data; boundary=" + boundary


def sample_form(corte="2024-01-19", anterior="", documentos=None):
    fields = [("corte", corte), ("corte_anterior", anterior)]
    for d in documentos or []:
        fields.append(("documentos", d))
    with open(os.path.join(SAMPLE, "solicitudes.csv"), "rb") as f:
        sol = f.read()
    with open(os.path.join(SAMPLE, "difusion.csv"), "rb") as f:
        dif = f.read()
    return multipart(fields, [("solicitudes", "s.csv", sol), ("difusion", "d.csv", dif)])


def post_run(server, fields, files, headers=None):
    """POST /api/corridas with a multipart form: (status, decoded JSON)."""
    body, ctype = multipart(fields, files)
    st, _, data = server.request("POST", "/api/corridas", body, {**(headers or server.bearer()), "Content-Type": ctype})
    return st, json.loads(data)


def wait_run(server, run_id, headers, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        st, _, body = server.request("GET", f"/api/corridas/{run_id}", headers=headers)
        doc = json.loads(body)
        if doc.get("estado") != "en_proceso":
            return doc
        time.sleep(0.5)
    raise AssertionError("la corrida no terminó a tiempo")
