"""test_http.py - observa servir over HTTP: every route and error, the authorization matrix, uploads,
headers, CSRF, the ZIP, publication and per-OPL access, SIGTERM. Run by meson (suite web)."""
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from servidor import OBSERVA, SAMPLE, Server, multipart, post_run, sample_form, wait_run  # noqa: E402

SECURITY_HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


class Servicio(unittest.TestCase):
    """One server for the whole class: one run of the sample exports, published, two OPL tokens."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server("--max-subida", "30")
        body, ctype = sample_form(anterior="2024-01-12")
        st, _, data = cls.s.request("POST", "/api/corridas", body, {**cls.s.bearer(), "Content-Type": ctype})
        assert st == 202, (st, data)
        cls.corrida = json.loads(data)
        cls.doc = wait_run(cls.s, cls.corrida["id"], cls.s.bearer())
        cls.opl15 = cls.s.acceso("crear", "--entidad", "15").stdout.strip()
        cls.opl09 = cls.s.acceso("crear", "--entidad", "9").stdout.strip()

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def get(self, path, token=None, **kw):
        return self.s.request("GET", path, headers=self.s.bearer(token) if token else {}, **kw)

    # ---- the run ---------------------------------------------------------------------------

    def test_post_gives_202_with_id_state_and_url(self):
        self.assertRegex(self.corrida["id"], r"^[0-9a-f]{16}$")
        self.assertEqual(self.corrida["estado"], "en_proceso")
        self.assertEqual(self.corrida["url"], "/api/corridas/" + self.corrida["id"])

    def test_run_is_ready_with_totals_problems_and_files(self):
        d = self.doc
        self.assertEqual(d["estado"], "lista", d)
        t = d["totales"]["solicitudes"]["total"]
        self.assertEqual(t["leidas"], t["aceptadas"] + t["rechazadas"])
        self.assertEqual(t["leidas"], 35000)
        self.assertGreater(d["problemas"]["total"], 0)
        rutas = {f["ruta"] for f in d["archivos"]}
        for want in ("informe.pdf", "informe.xlsx", "metricas.csv", "rechazos.csv", "opl/15_IEEM.pdf"):
            self.assertIn(want, rutas)
        for f in d["archivos"]:
            self.assertRegex(f["sha256"], r"^[0-9a-f]{64}$")
            self.assertGreater(f["tamano"], 0)
        self.assertNotIn(self.s.datos, json.dumps(d), "no server paths in the API")

    def test_run_json_has_every_documented_member(self):
        d = self.doc
        for member in ("id", "estado", "corte", "corte_anterior", "totales", "problemas", "archivos", "mensaje"):
            self.assertIn(member, d)
        self.assertEqual(d["corte_anterior"], "2024-01-12")
        self.assertIsInstance(d["mensaje"], str)
        self.assertTrue(d["mensaje"])
        self.assertRegex(d.get("progreso", "0/0"), r"^\d+/\d+$")

    def test_uploads_keep_the_users_file_names(self):
        self.assertEqual(self.doc["totales"]["solicitudes"]["archivos"][0]["archivo"], "s.csv")
        self.assertEqual(self.doc["totales"]["difusion"]["archivos"][0]["archivo"], "d.csv")

    def test_metricas_equal_observa_lote(self):
        st, _, served = self.get(f"/api/corridas/{self.corrida['id']}/archivos/metricas.csv", self.s.token)
        self.assertEqual(st, 200)
        out = tempfile.mkdtemp(prefix="observa-lote-")
        r = subprocess.run([OBSERVA, "lote", "--config", os.path.join(SAMPLE, "demo.ini"),
                            "-s", os.path.join(SAMPLE, "solicitudes.csv"), "-d", os.path.join(SAMPLE, "difusion.csv"),
                            "-c", "2024-01-19", "-a", "2024-01-12", "-o", out, "-q"], capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "metricas.csv"), "rb") as f:
            self.assertEqual(served, f.read())

    def test_zip_holds_the_set(self):
        st, h, data = self.get(f"/api/corridas/{self.corrida['id']}.zip", self.s.token)
        self.assertEqual(st, 200)
        self.assertEqual(h["content-type"], "application/zip")
        self.assertIn(f'filename="observa-2024-01-19-{self.corrida["id"]}.zip"', h["content-disposition"])
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        self.assertIn("informe.pdf", names)
        self.assertIn("manifest.json", names)
        self.assertEqual(len(names), len(self.doc["archivos"]) + 1)

    # ---- authentication, authorization -------------------------------------------------------

    def test_health_needs_no_token(self):
        st, h, data = self.get("/salud")
        self.assertEqual((st, json.loads(data)), (200, {"estado": "ok"}))

    def test_authorization_matrix(self):
        rid = self.corrida["id"]
        routes = [
            ("GET", "/"), ("GET", "/historial"), ("GET", "/configuracion"), ("GET", f"/corridas/{rid}"),
            ("GET", f"/api/corridas/{rid}"), ("GET", f"/api/corridas/{rid}.zip"),
            ("GET", f"/api/corridas/{rid}/archivos/informe.pdf"), ("GET", f"/api/corridas/{rid}/archivos/opl/15_IEEM.pdf"),
            ("GET", f"/api/corridas/{rid}/archivos/opl/09_IECM.pdf"), ("GET", "/api/historial"),
            ("POST", "/api/corridas"), ("POST", f"/api/corridas/{rid}/publicar"),
        ]
        # expected status by role: anon, opl 15, admin (publication happens in its own test first)
        self.ensure_published()
        expect = {
            "/": (401, 200, 200), "/historial": (401, 403, 200), "/configuracion": (401, 403, 200),
            f"/corridas/{rid}": (401, 403, 200), f"/api/corridas/{rid}": (401, 200, 200),
            f"/api/corridas/{rid}.zip": (401, 403, 200), f"/api/corridas/{rid}/archivos/informe.pdf": (401, 403, 200),
            f"/api/corridas/{rid}/archivos/opl/15_IEEM.pdf": (401, 200, 200),
            f"/api/corridas/{rid}/archivos/opl/09_IECM.pdf": (401, 403, 200), "/api/historial": (401, 200, 200),
            "/api/corridas": (401, 403, 400), f"/api/corridas/{rid}/publicar": (401, 403, 200),
        }
        for method, path in routes:
            for i, token in enumerate([None, self.opl15, self.s.token]):
                body, ctype = (b"", None) if method == "GET" else multipart([], [])
                headers = self.s.bearer(token) if token else {}
                if ctype:
                    headers["Content-Type"] = ctype
                st, h, _ = self.s.request(method, path, body if method == "POST" else None, headers)
                self.assertEqual(st, expect[path][i], f"{method} {path} as {['anon', 'opl', 'admin'][i]}")
                if st == 401 and path.startswith("/api/"):
                    self.assertIn("Bearer", h.get("www-authenticate", ""))

    def ensure_published(self):
        st, _, data = self.s.request("POST", f"/api/corridas/{self.corrida['id']}/publicar", b"", self.s.bearer())
        self.assertEqual(st, 200, data)

    def test_opl_sees_only_its_published_documents(self):
        self.ensure_published()
        rid = self.corrida["id"]
        st, _, pdf = self.get(f"/api/corridas/{rid}/archivos/opl/15_IEEM.pdf", self.opl15)
        self.assertEqual(st, 200)
        self.assertTrue(pdf.startswith(b"%PDF"))
        for other in ("opl/09_IECM.pdf", "opl/09_IECM.xlsx", "informe.pdf", "metricas.csv", "rechazos.csv",
                      "manifest.json"):
            st, _, _ = self.get(f"/api/corridas/{rid}/archivos/{other}", self.opl15)
            self.assertEqual(st, 403, other)
        st, _, hist = self.get("/api/historial", self.opl15)
        self.assertEqual(st, 200)
        self.assertNotIn("09_IECM", hist.decode())
        # Its page names the OPL and its entidad (not "México" alone) and each document readably.
        page = self.get("/", self.opl15)[2].decode()
        self.assertIn("Documentos del IEEM (Instituto Electoral del Estado de México; entidad 15, México)", page)
        self.assertRegex(page, r'href="/api/corridas/[0-9a-f]{16}/archivos/opl/15_IEEM.pdf">Resumen del OPL</a> '
                               r'\(PDF, [\d,]+ KB\)')
        self.assertNotIn(">opl/15_IEEM.pdf<", page)

    def test_history_page_names_web_runs_by_their_ids(self):
        page = self.get("/historial", self.s.token)[2].decode()
        rid = self.corrida["id"]
        self.assertIn(f'<a href="/corridas/{rid}"><code>{rid}</code></a>', page)
        self.assertIn("Generar (navegador)", page)
        self.assertNotIn(">servir<", page)

    def test_revoked_token_is_refused(self):
        tok = self.s.acceso("crear", "--entidad", "21").stdout.strip()
        self.assertEqual(self.get("/", tok)[0], 200)
        listed = self.s.acceso("listar").stdout
        tid = re.search(r"^(\d+)\s+21\b", listed, re.M).group(1)
        self.assertEqual(self.s.acceso("revocar", tid).returncode, 0)
        self.assertEqual(self.get("/", tok)[0], 401)

    def test_foreign_host_is_refused(self):
        st, _, _ = self.get("/salud", host="evil.example:80")
        self.assertEqual(st, 400)
        st, _, _ = self.get("/", self.s.token, host=f"attacker.test:{self.s.port}")
        self.assertEqual(st, 400)

    def test_security_headers_on_every_response(self):
        for path, token in [("/salud", None), ("/", self.s.token), ("/no-existe", self.s.token), ("/", None)]:
            _, h, _ = self.get(path, token)
            for name, value in SECURITY_HEADERS.items():
                self.assertIn(value, h.get(name, ""), f"{name} on {path}")
            self.assertNotIn("unsafe-inline", h["content-security-policy"])

    def test_path_traversal_is_refused(self):
        rid = self.corrida["id"]
        for bad in ("../token", "..%2ftoken", "%2e%2e/token", "opl/../../token", ".hidden", "opl//x.pdf",
                    "/etc/passwd", "opl/15_IEEM.pdf/.."):
            st, _, data = self.get(f"/api/corridas/{rid}/archivos/{bad}", self.s.token)
            self.assertIn(st, (400, 404), bad)
            self.assertNotIn(b"observa", data[:0])
        st, _, _ = self.get("/api/corridas/../../token/archivos/x", self.s.token)
        self.assertEqual(st, 404)

    def runs_settled(self, want):
        """The run folders once a refused request's are removed (after its answer is out)."""
        for _ in range(50):
            runs = set(os.listdir(os.path.join(self.s.datos, "corridas")))
            if runs == want:
                break
            time.sleep(0.1)
        return runs

    def test_oversized_upload_gets_413(self):
        """The declared size is refused before any of the body is read (no 100 Continue)."""
        import socket
        before = set(os.listdir(os.path.join(self.s.datos, "corridas")))
        for auth, want in ((self.s.bearer(), 413), ({}, 401)):
            with socket.create_connection(("127.0.0.1", self.s.port), timeout=10) as c:
                head = (f"POST /api/corridas HTTP/1.1\r\nHost: 127.0.0.1:{self.s.port}\r\n"
                        "Content-Type: multipart/form-data; boundary=x\r\n"
                        f"Content-Length: {31 * 1024 * 1024}\r\nExpect: 100-continue\r\n")
                for k, v in auth.items():
                    head += f"{k}: {v}\r\n"
                c.sendall((head + "\r\n").encode())
                answer = b""
                while b"}" not in answer and len(answer) < 65536:
                    piece = c.recv(4096)
                    if not piece:
                        break
                    answer += piece
                status = answer.split(b"\r\n", 1)[0]
                self.assertIn(str(want).encode(), status, status)
                if want == 413:  # the limit in MB, in words a web user can act on
                    self.assertIn("30 MB".encode(), answer)
                    self.assertNotIn(b"--max-subida", answer)
        self.assertEqual(self.runs_settled(before), before, "nothing of a refused upload stays")

    def test_generar_form_states_the_upload_limit(self):
        _, _, page = self.s.request("GET", "/", headers={"Cookie": self.s.login()})
        self.assertIn("Hasta 30 MB".encode(), page)

    def test_opl_reads_its_own_files_of_a_published_run(self):
        self.ensure_published()
        rid = self.corrida["id"]
        st, _, data = self.get(f"/api/corridas/{rid}", self.opl15)
        self.assertEqual(st, 200)
        doc = json.loads(data)
        rutas = [f["ruta"] for f in doc["archivos"]]
        self.assertIn("opl/15_IEEM.pdf", rutas)
        self.assertTrue(all("15_" in r for r in rutas), rutas)
        self.assertNotIn("totales", doc)
        self.assertNotIn("problemas", doc)
        for f in doc["archivos"]:
            st, _, _ = self.get(f"/api/corridas/{rid}/archivos/{f['ruta']}", self.opl15)
            self.assertEqual(st, 200, f["ruta"])

    def test_json_has_one_style(self):
        rid = self.corrida["id"]
        bodies = [self.get("/salud")[2], self.get(f"/api/corridas/{rid}", self.s.token)[2],
                  self.get("/api/historial", self.s.token)[2], self.get("/api/nada", self.s.token)[2],
                  self.get(f"/api/corridas/{rid}", self.opl15)[2], self.get("/api/historial")[2],
                  self.s.request("POST", f"/api/corridas/{rid}/publicar", b"", self.s.bearer())[2]]
        body, ctype = sample_form(corte="2024-01-12")
        bodies.append(self.s.request("POST", "/api/corridas", body, {**self.s.bearer(), "Content-Type": ctype})[2])
        for b in bodies:
            compact = json.dumps(json.loads(b), separators=(",", ":"), ensure_ascii=False).encode()
            self.assertEqual(b.strip(), compact)

    def test_error_pages_have_the_frame_and_a_capital(self):
        sid = self.s.login()
        for path, cookie, want in (("/nada", sid, "No existe esa página"), ("/historial", None, "Inicie sesión"),
                                   (f"/corridas/{'0' * 16}", sid, "No existe esa corrida")):
            st, _, page = self.s.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            self.assertIn(st, (401, 404))
            text = page.decode()
            self.assertIn('<nav aria-label="Principal">', text, path)
            self.assertIn('href="#contenido">Saltar al contenido</a>', text)
            self.assertIn(f'<p role="alert">{want}', text)
        st, _, page = self.s.request("GET", "/nada", headers={"Cookie": sid})
        self.assertIn(b'href="/historial"', page, "the administrator's navigation")
        st, _, page = self.s.request("GET", "/historial", headers=self.s.bearer(self.opl15))
        self.assertEqual(st, 403)
        self.assertIn(b'<p role="alert">Su acceso', page)

    def test_wrong_token_and_stale_cookie_say_so(self):
        st, h, data = self.s.request("GET", "/api/historial", headers=self.s.bearer("f" * 64))
        self.assertEqual(st, 401)
        self.assertEqual(json.loads(data)["error"], "token no válido o revocado")
        self.assertIn("invalid_token", h["www-authenticate"])
        st, _, data = self.s.request("GET", "/api/historial")
        self.assertIn("se requiere un token", json.loads(data)["error"])
        stale = {"Cookie": "observa_sesion=" + "b" * 64}
        st, h, data = self.s.request("GET", "/api/historial", headers=stale)
        self.assertEqual(st, 401)
        self.assertIn("no válido", json.loads(data)["error"])
        self.assertIn("Max-Age=0", h.get("set-cookie", ""), "the stale cookie is cleared")
        st, h, page = self.s.request("GET", "/", headers=stale)
        self.assertEqual(st, 401)
        self.assertIn("Max-Age=0", h.get("set-cookie", ""))
        self.assertIn("sesión terminó", page.decode())

    def test_bad_form_is_400_in_spanish(self):
        body, ctype = multipart([("corte", "19/01/2024")], [])
        st, _, data = self.s.request("POST", "/api/corridas", body, {**self.s.bearer(), "Content-Type": ctype})
        self.assertEqual(st, 400)
        self.assertIn("fecha de corte", json.loads(data)["error"])

    def test_cookie_session_and_csrf(self):
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        st, h, _ = self.s.request("POST", "/entrar", "token=" + self.s.token, form)
        self.assertEqual(st, 303)
        cookie = h["set-cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        sid = cookie.split(";")[0]
        st, _, page = self.s.request("GET", "/", headers={"Cookie": sid})
        self.assertEqual(st, 200)
        self.assertNotIn(b"csrf=", page, "the CSRF token is never in a URL (address bar, history)")
        self.assertIn(b'<form method="post" action="/corridas" ', page)
        csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', page).group(1).decode()
        url = f"/corridas/{self.corrida['id']}/publicar"
        st, _, _ = self.s.request("POST", url, "", {"Cookie": sid, **form})
        self.assertEqual(st, 403, "a cookie POST without its CSRF token")
        st, _, _ = self.s.request("POST", url, "csrf=" + "0" * 64, {"Cookie": sid, **form})
        self.assertEqual(st, 403, "a wrong CSRF token")
        st, _, _ = self.s.request("POST", url + "?csrf=" + csrf, "", {"Cookie": sid, **form})
        self.assertEqual(st, 403, "not taken from the URL")
        st, _, _ = self.s.request("POST", url, "csrf=" + csrf, {"Cookie": sid, **form})
        self.assertEqual(st, 303)

    def test_upload_with_a_cookie_takes_the_csrf_field(self):
        sid = self.s.login()
        _, _, page = self.s.request("GET", "/", headers={"Cookie": sid})
        csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', page).group(1).decode()
        runs = set(os.listdir(os.path.join(self.s.datos, "corridas")))
        body, ctype = sample_form()
        st, _, _ = self.s.request("POST", "/corridas", body, {"Cookie": sid, "Content-Type": ctype})
        self.assertEqual(st, 403, "files before (without) the csrf field")
        self.assertEqual(self.runs_settled(runs), runs, "nothing of it stays")
        body, ctype = multipart([("csrf", csrf), ("corte", "2024-01-19")], [])
        st, _, page = self.s.request("POST", "/corridas", body, {"Cookie": sid, "Content-Type": ctype})
        self.assertEqual(st, 400, "past the CSRF check: the form's own error")
        self.assertIn("solicitudes".encode(), page)

    def test_unknown_route_and_method(self):
        self.assertEqual(self.get("/nada", self.s.token)[0], 404)
        self.assertEqual(self.s.request("DELETE", "/api/historial", headers=self.s.bearer())[0], 405)

    def test_uploads_are_deleted_after_the_run(self):
        run_dir = os.path.join(self.s.datos, "corridas", self.corrida["id"])
        self.assertTrue(os.path.isdir(os.path.join(run_dir, "salida")))
        self.assertFalse(os.path.exists(os.path.join(run_dir, "entrada")), "no retention configured")

    def test_audit_log_in_the_history(self):
        import sqlite3
        self.get("/api/historial", self.opl15)
        db = sqlite3.connect(os.path.join(self.s.datos, "historial.sqlite"))
        for _ in range(50):  # a request is logged once its response is out
            rows = db.execute("SELECT quien, ip, accion, objeto, estado FROM auditoria").fetchall()
            if any(r[0].startswith("opl:15#") for r in rows):
                break
            time.sleep(0.1)
        self.assertTrue(any(r[0] == "administrador" and r[2] == "POST" and r[3] == "/api/corridas" and r[4] == 202
                            for r in rows), rows[:5])
        self.assertTrue(any(r[0].startswith("opl:15#") and r[3] == "/api/historial" for r in rows))
        self.assertEqual({r[1] for r in rows if r[0] != "consola"}, {"127.0.0.1"})
        self.assertTrue(any(r[0] == "consola" and r[2] == "acceso crear" for r in rows), "the CLI's tokens too")
        with self.assertRaises(sqlite3.DatabaseError):
            db.execute("DELETE FROM auditoria")
        tokens = db.execute("SELECT hash FROM acceso").fetchall()
        self.assertNotIn(self.opl15, [t[0] for t in tokens], "only the token's hash is kept")
        db.close()

    def test_log_has_no_token_nor_personal_data(self):
        log = self.s.log_text()
        self.assertNotIn(self.s.token, log, "not even in the printed link")
        self.assertNotIn("CURP", log)
        self.assertNotRegex(log, r"OBS-2023-\d+")


def two_runs(s):
    """Two finished runs of the same corte, by their ids."""
    ids = []
    for _ in range(2):
        body, ctype = sample_form()
        st, _, data = s.request("POST", "/api/corridas", body, {**s.bearer(), "Content-Type": ctype})
        ids.append(json.loads(data)["id"])
        assert wait_run(s, ids[-1], s.bearer())["estado"] == "lista"
    return ids


def read(name):
    with open(os.path.join(SAMPLE, name), "rb") as f:
        return f.read()


def rejected_solicitudes(rows=40):
    """The sample's header and first rows, every one with an unknown entidad: every row rejected."""
    lines = read("solicitudes.csv").decode().splitlines()
    out = [lines[0]] + [re.sub(r"^([^,]*),\d+,", r"\1,99,", l) for l in lines[1:rows + 1]]
    return ("\n".join(out) + "\n").encode()


def difusion_halves():
    lines = read("difusion.csv").decode().splitlines(keepends=True)
    half = len(lines) // 2
    return "".join(lines[:half]).encode(), "".join(lines[:1] + lines[half:]).encode()


class Fallas(unittest.TestCase):
    """What the user sees of runs that fail, of their own file names, and of forms refused up front."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server()
        d1, d2 = difusion_halves()
        # A run refused for its data (every row rejected), from files named as a browser sends them.
        st, doc = post_run(cls.s, [("corte", "2024-01-19")],
                           [("solicitudes", "sol_a.csv", rejected_solicitudes()),
                            ("difusion", "d1.csv", d1), ("difusion", "difusión_mayo 2024.csv", d2)])
        assert st == 202, doc
        cls.refused = wait_run(cls.s, doc["id"], cls.s.bearer())
        time.sleep(1.1)  # the runs list is in time order, to the second
        # A run that fails before writing anything: a binary upload.
        st, doc = post_run(cls.s, [("corte", "2024-01-19")],
                           [("solicitudes", "bin.dat", b"\x00\x01\x02binario\xff" * 64), ("difusion", "d.csv", d1)])
        assert st == 202, doc
        cls.binary = wait_run(cls.s, doc["id"], cls.s.bearer())

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def get(self, path):
        return self.s.request("GET", path, headers=self.s.bearer())

    def test_a_refused_runs_rechazos_and_manifest_download(self):
        rid = self.refused["id"]
        self.assertEqual(self.refused["estado"], "fallida", self.refused)
        self.assertIn("rechazos.csv", {f["ruta"] for f in self.refused["archivos"]})
        st, _, ledger = self.get(f"/api/corridas/{rid}/archivos/rechazos.csv")
        self.assertEqual(st, 200, ledger)
        st, _, manifest = self.get(f"/api/corridas/{rid}/archivos/manifest.json")
        self.assertEqual(st, 200, manifest)
        st, _, page = self.get(f"/corridas/{rid}")
        self.assertIn(f'href="/api/corridas/{rid}/archivos/rechazos.csv"'.encode(), page)
        self.assertIn(f'href="/api/corridas/{rid}/archivos/manifest.json"'.encode(), page)
        st, _, data = self.get(f"/api/corridas/{rid}.zip")
        self.assertEqual(st, 200)
        self.assertIn("rechazos.csv", zipfile.ZipFile(io.BytesIO(data)).namelist())

    def test_no_server_path_reaches_the_user(self):
        rid = self.refused["id"]
        ledger = self.get(f"/api/corridas/{rid}/archivos/rechazos.csv")[2].decode("utf-8-sig")
        archivos = {row.split(",", 1)[0] for row in ledger.splitlines()[1:]}
        self.assertEqual(archivos, {"sol_a.csv", "d1.csv", "difusión_mayo 2024.csv"})
        manifest = json.loads(self.get(f"/api/corridas/{rid}/archivos/manifest.json")[2])
        self.assertEqual([e["ruta"] for e in manifest["entradas"]], ["sol_a.csv", "d1.csv", "difusión_mayo 2024.csv"])
        self.assertRegex(self.binary["mensaje"], r"^bin\.dat:1: ")
        for doc in (self.refused, self.binary):
            st, _, page = self.get(f"/corridas/{doc['id']}")
            for text in (json.dumps(doc, ensure_ascii=False), page.decode(), ledger, json.dumps(manifest)):
                self.assertNotIn(self.s.datos, text)
                self.assertNotIn("/entrada/", text)

    def test_browser_file_names_are_kept_as_utf8(self):
        names = [f["archivo"] for f in self.refused["totales"]["difusion"]["archivos"]]
        self.assertEqual(names, ["d1.csv", "difusión_mayo 2024.csv"])
        page = self.get(f"/corridas/{self.refused['id']}")[2].decode()
        self.assertIn("difusión_mayo 2024.csv", page)
        self.assertIn("difusión en total", page)
        self.assertNotIn("difusi__n", page)

    def test_the_same_file_twice_is_refused_up_front(self):
        sol, dif = read("solicitudes.csv"), read("difusion.csv")
        for files in ([("solicitudes", "a.csv", sol), ("solicitudes", "b.csv", sol), ("difusion", "d.csv", dif)],
                      [("solicitudes", "a.csv", sol), ("difusion", "d.csv", dif), ("difusion", "a.csv", sol)]):
            st, doc = post_run(self.s, [("corte", "2024-01-19")], files)
            self.assertEqual(st, 400, doc)
            self.assertIn("el mismo archivo se subió dos veces", doc["error"])
            self.assertIn("«a.csv»", doc["error"])
        runs = os.path.join(self.s.datos, "corridas")
        for _ in range(50):  # a refused upload is removed once its answer is out
            left = [d for d in os.listdir(runs) if not os.path.exists(os.path.join(runs, d, "estado.json"))]
            if not left:
                break
            time.sleep(0.1)
        self.assertEqual(left, [], "nothing of a refused upload stays")

    def test_a_corte_after_today_is_refused(self):
        # demo.ini dates the documents 2024-05-09: that is "today" for them.
        sol, dif = read("solicitudes.csv"), read("difusion.csv")
        st, doc = post_run(self.s, [("corte", "2024-05-10")], [("solicitudes", "s.csv", sol), ("difusion", "d.csv", dif)])
        self.assertEqual(st, 400, doc)
        self.assertIn("posterior a hoy", doc["error"])
        page = self.get("/")[2].decode()
        self.assertIn('name="corte" max="2024-05-09"', page)
        self.assertIn('name="corte_anterior" max="2024-05-09"', page)

    def test_form_mistakes_are_named(self):
        sol, dif = read("solicitudes.csv"), read("difusion.csv")
        files = [("solicitudes", "s.csv", sol), ("difusion", "d.csv", dif)]
        st, doc = post_run(self.s, [("corte", "2024-01-19"), ("corte", "2024-01-19")], files)
        self.assertEqual(st, 400)
        self.assertIn("«corte» se envió más de una vez", doc["error"])
        st, _, data = self.s.request("POST", "/api/corridas", b"corte=2024-01-19",
                                     {**self.s.bearer(), "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(st, 400)
        self.assertIn("multipart/form-data", json.loads(data)["error"])
        # A misspelt field is named, with the fields there are; never ignored.
        for field, value in (("corte_anteriro", "2024-01-12"), ("documento", "metricas")):
            st, doc = post_run(self.s, [("corte", "2024-01-19"), (field, value)], files)
            self.assertEqual(st, 400, field)
            self.assertIn(f"«{field}»", doc["error"])
            self.assertIn("corte_anterior, documentos", doc["error"])
        st, doc = post_run(self.s, [("corte", "2024-01-19")], files + [("solicitud", "x.csv", sol)])
        self.assertEqual(st, 400)
        self.assertIn("«solicitud»", doc["error"])
        # A body cut before its closing boundary is said to be incomplete, not to lack a field.
        body, ctype = multipart([("corte", "2024-01-19")], files)
        cut = body[:body.rindex(b"\r\n--observa-")]
        st, _, data = self.s.request("POST", "/api/corridas", cut, {**self.s.bearer(), "Content-Type": ctype})
        self.assertEqual(st, 400)
        self.assertIn("llegó incompleto", json.loads(data)["error"])

    def test_failed_runs_and_the_list_survive_a_restart(self):
        s2 = None
        try:
            time.sleep(1.1)
            st, doc = post_run(self.s, [("corte", "2024-01-12")],
                               [("solicitudes", "s.csv", read("solicitudes.csv")), ("difusion", "d.csv", read("difusion.csv"))])
            self.assertEqual(st, 202)
            ok = wait_run(self.s, doc["id"], self.s.bearer())
            self.assertEqual(ok["estado"], "lista")
            self.assertEqual(self.s.request("POST", f"/api/corridas/{ok['id']}/publicar", b"", self.s.bearer())[0], 200)
            self.s.stop()
            s2 = Server(datos=self.s.datos)
            for failed in (self.refused, self.binary):
                st, _, data = s2.request("GET", f"/api/corridas/{failed['id']}", headers=s2.bearer())
                self.assertEqual(st, 200, failed["id"])
                again = json.loads(data)
                self.assertEqual((again["estado"], again["mensaje"]), ("fallida", failed["mensaje"]))
                self.assertEqual(s2.request("GET", f"/corridas/{failed['id']}", headers=s2.bearer())[0], 200)
            home = s2.request("GET", "/", headers=s2.bearer())[2].decode()
            order = [m for m in re.findall(r'href="/corridas/([0-9a-f]{16})"', home)]
            self.assertEqual(order, [ok["id"], self.binary["id"], self.refused["id"]], "newest first")
            row = re.search(ok["id"] + r"</a></td>.*?</tr>", home).group(0)
            self.assertIn("publicada", row)
            # A later corte, published too: an OPL's Documentos page lists the newest corte first. (Without
            # letters: the configuration's numbers are the first corte's, and a number is used once.)
            st, doc = post_run(s2, [("corte", "2024-01-19"), ("documentos", "informe"), ("documentos", "opl")],
                               [("solicitudes", "s.csv", read("solicitudes.csv")), ("difusion", "d.csv", read("difusion.csv"))])
            self.assertEqual(wait_run(s2, doc["id"], s2.bearer())["estado"], "lista")
            self.assertEqual(s2.request("POST", f"/api/corridas/{doc['id']}/publicar", b"", s2.bearer())[0], 200)
            opl = s2.acceso("crear", "--entidad", "15").stdout.strip()
            docs = s2.request("GET", "/", headers=s2.bearer(opl))[2].decode()
            self.assertEqual(re.findall(r"<h2>Corte al ([^<]+)</h2>", docs),
                             ["19 de enero de 2024", "12 de enero de 2024"])
        finally:
            if s2:
                s2.stop()
            type(self).s = Server(datos=self.s.datos)


class Formulario(unittest.TestCase):
    """Uploads told apart by name, and the request's own entries out of a client's reach."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server()

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def get(self, path):
        return self.s.request("GET", path, headers=self.s.bearer())

    def test_a_field_cannot_name_where_uploads_go(self):
        # The request's own entries (its upload folder) are not form fields a client can send.
        elsewhere = tempfile.mkdtemp()
        st, doc = post_run(self.s, [("corte", "2024-01-19"), ("\x1dir", elsewhere), ("\x01dir", elsewhere),
                                    ("documentos", "metricas")],
                           [("solicitudes", "s.csv", read("solicitudes.csv")), ("difusion", "d.csv", read("difusion.csv"))])
        self.assertEqual(os.listdir(elsewhere), [])
        if st == 202:
            wait_run(self.s, doc["id"], self.s.bearer())
        self.assertEqual(os.listdir(elsewhere), [])

    def test_files_sent_under_one_name_are_told_apart(self):
        d1, d2 = difusion_halves()
        sol = read("solicitudes.csv")
        st, doc = post_run(self.s, [("corte", "2024-01-19"), ("documentos", "metricas")],
                           [("solicitudes", "export.csv", sol), ("difusion", "export.csv", d1),
                            ("difusion", "export.csv", d2)])
        self.assertEqual(st, 202, doc)
        doc = wait_run(self.s, doc["id"], self.s.bearer())
        self.assertEqual(doc["estado"], "lista", doc)
        self.assertEqual([f["archivo"] for f in doc["totales"]["solicitudes"]["archivos"]], ["export.csv"])
        self.assertEqual([f["archivo"] for f in doc["totales"]["difusion"]["archivos"]],
                         ["export.csv (2)", "export.csv (3)"])
        st, _, manifest = self.get(f"/api/corridas/{doc['id']}/archivos/manifest.json")
        self.assertIn("export.csv (3)", manifest.decode())


class Configuracion(unittest.TestCase):
    def test_a_configuration_error_names_the_file_not_where_it_is(self):
        d = tempfile.mkdtemp(prefix="observa-ini-")
        ini = os.path.join(d, "servir.ini")
        with open(os.path.join(SAMPLE, "demo.ini")) as f, open(ini, "w") as out:
            out.writelines(l for l in f if not l.startswith("firmante ="))
        s = Server(config=ini)
        try:
            st, doc = post_run(s, [("corte", "2024-01-19"), ("documentos", "oficio")],
                               [("solicitudes", "s.csv", read("solicitudes.csv")), ("difusion", "d.csv", read("difusion.csv"))])
            self.assertEqual(st, 202, doc)
            doc = wait_run(s, doc["id"], s.bearer())
            self.assertEqual(doc["estado"], "fallida")
            self.assertIn("firmante", doc["mensaje"])
            self.assertTrue(doc["mensaje"].startswith("servir.ini: "), doc["mensaje"])
            self.assertNotIn(d, doc["mensaje"])
        finally:
            s.stop()


class Reemplazo(unittest.TestCase):
    """A corrected run of a published corte is published in its place from the web (no terminal)."""

    def test_a_corrected_run_is_published_in_place_of_the_first(self):
        s = Server()
        try:
            ids = two_runs(s)
            self.assertEqual(s.request("POST", f"/api/corridas/{ids[0]}/publicar", b"", s.bearer())[0], 200)
            st, _, data = s.request("POST", f"/api/corridas/{ids[1]}/publicar", b"", s.bearer())
            self.assertEqual(st, 409)
            self.assertIn("reemplazar=1", json.loads(data)["error"])
            st, _, _ = s.request("POST", f"/api/corridas/{ids[1]}/publicar?reemplazar=1", b"", s.bearer())
            self.assertEqual(st, 200)
            hist = json.loads(s.request("GET", "/api/historial", headers=s.bearer())[2])
            states = {h["corrida"]: h["estado"] for h in hist}
            self.assertEqual((states[ids[0]], states[ids[1]]), ("sustituida", "publicada"))
            st, _, _ = s.request("POST", f"/api/corridas/{ids[0]}/publicar?reemplazar=1", b"", s.bearer())
            self.assertEqual(st, 409, "a superseded vintage is not published again")
            # Said up front, with or without the confirmation, naming the runs as the web does.
            for q in ("", "?reemplazar=1"):
                st, _, data = s.request("POST", f"/api/corridas/{ids[0]}/publicar{q}", b"", s.bearer())
                m = json.loads(data)["error"]
                self.assertEqual(st, 409)
                self.assertIn(f"la corrida {ids[0]} ya se publicó y después la corrida {ids[1]} se publicó", m)
                self.assertNotIn("Publicar en lugar de la anterior", m)
                self.assertNotRegex(m, r"corrida \d+\b")
            # The JSON says what each run is now, after a restart too, with the same members.
            before = {i: json.loads(s.request("GET", f"/api/corridas/{i}", headers=s.bearer())[2]) for i in ids}
            self.assertIn("sustituida", before[ids[0]]["mensaje"])
            self.assertIn("está publicada", before[ids[1]]["mensaje"])
            self.assertNotIn("antes de publicarla", before[ids[0]]["mensaje"] + before[ids[1]]["mensaje"])
            s.stop()
            s = Server(datos=s.datos)
            for i in ids:
                after = json.loads(s.request("GET", f"/api/corridas/{i}", headers=s.bearer())[2])
                self.assertEqual(after, before[i])
                self.assertRegex(after["progreso"], r"^(\d+)/\1$")
        finally:
            s.stop()

    def test_a_replacement_lacking_documents_is_refused(self):
        s = Server()
        try:
            first = post_run(s, [("corte", "2024-01-19")], [("solicitudes", "s.csv", read("solicitudes.csv")),
                                                            ("difusion", "d.csv", read("difusion.csv"))])[1]["id"]
            self.assertEqual(wait_run(s, first, s.bearer())["estado"], "lista")
            self.assertEqual(s.request("POST", f"/api/corridas/{first}/publicar", b"", s.bearer())[0], 200)
            st, doc = post_run(s, [("corte", "2024-01-19"), ("documentos", "informe")],
                               [("solicitudes", "s.csv", read("solicitudes.csv")),
                                ("difusion", "d.csv", read("difusion.csv"))])
            second = doc["id"]
            self.assertEqual(wait_run(s, second, s.bearer())["estado"], "lista")
            # The confirmation says what the replacement changes.
            page = s.request("GET", f"/corridas/{second}", headers=s.bearer())[2].decode()
            self.assertIn(f"Confirmo que la corrida {second} sustituye a la publicada", page)
            self.assertIn("cada OPL descarga los documentos de ésta", page)
            st, _, data = s.request("POST", f"/api/corridas/{second}/publicar?reemplazar=1", b"", s.bearer())
            self.assertEqual(st, 409)
            m = json.loads(data)["error"]
            self.assertIn(f"la corrida {second} no puede sustituir a la corrida {first}", m)
            self.assertIn("resúmenes por OPL, oficio de exhorto, oficios a cada OPL", m)
            self.assertNotIn(s.datos, m)
            hist = json.loads(s.request("GET", "/api/historial", headers=s.bearer())[2])
            self.assertEqual({h["corrida"]: h["estado"] for h in hist}, {first: "publicada", second: "borrador"})
        finally:
            s.stop()


class Temporada(unittest.TestCase):
    """A season of cortes from the browser: each run gives its letters their first number, session and date."""

    def form(self, corte, *extra):
        return post_run(self.s, [("corte", corte), *extra],
                        [("solicitudes", "s.csv", read("solicitudes.csv")), ("difusion", "d.csv", read("difusion.csv"))])

    def setUp(self):
        self.s = Server()

    def tearDown(self):
        self.s.stop()

    def test_two_cortes_in_a_row_with_letters(self):
        s = self.s
        page = s.request("GET", "/", headers=s.bearer())[2].decode()
        self.assertIn('name="oficio_numero_inicial"', page)
        self.assertIn("Número del primer oficio", page)
        self.assertIn("INE/DEOE/{n}/2024", page)
        self.assertIn('name="oficio_sesion_fecha"', page)
        self.assertIn('name="oficio_fecha"', page)
        st, doc = self.form("2024-01-12")
        first = wait_run(s, doc["id"], s.bearer())
        self.assertEqual(first["estado"], "lista", first)
        self.assertEqual(first["oficio"]["numero_inicial"], "0150")
        self.assertEqual(s.request("POST", f"/api/corridas/{first['id']}/publicar", b"", s.bearer())[0], 200)
        # The next corte: its own first number (typed whole) and session.
        st, doc = self.form("2024-01-19", ("oficio_numero_inicial", "INE/DEOE/0300/2024"),
                            ("oficio_sesion_fecha", "2024-05-20"), ("oficio_fecha", "2024-05-21"))
        self.assertEqual(st, 202, doc)
        second = wait_run(s, doc["id"], s.bearer())
        self.assertEqual(second["estado"], "lista", second)
        self.assertEqual(second["oficio"], {"numero": "INE/DEOE/{n}/2024", "numero_inicial": "0300",
                                            "sesion_fecha": "2024-05-20", "fecha": "2024-05-21"})
        pdf = s.request("GET", f"/api/corridas/{second['id']}/archivos/oficio.pdf", headers=s.bearer())[2]
        path = os.path.join(s.dir, "oficio.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        text = " ".join(subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout.split())
        self.assertIn("INE/DEOE/0300/2024", text)
        self.assertIn("INE/DEOE/0150/2024", text, "cites the first corte's exhorto")
        self.assertIn("20 de mayo de 2024", text)
        page = s.request("GET", f"/corridas/{second['id']}", headers=s.bearer())[2].decode()
        self.assertIn("Fecha de la sesión de la Comisión: 20 de mayo de 2024", page)
        # The server's configuration is not changed by a run: the next run without fields uses it.
        self.assertIn("0150", s.request("GET", "/", headers=s.bearer())[2].decode())

    def test_letter_fields_are_checked_up_front(self):
        for extra, says in (((("oficio_sesion_fecha", "2024-01-02"),), "«Fecha de la sesión de la Comisión»"),
                            ((("oficio_numero_inicial", "abc"),), "«Número del primer oficio»"),
                            ((("oficio_fecha", "2024-13-01"),), "«Fecha del oficio»"),
                            ((("oficio_numeros", "A/1, A/2"),), "oficio_numero_inicial")):
            st, doc = self.form("2024-01-19", *extra)
            self.assertEqual(st, 400, extra)
            self.assertIn(says, doc["error"])
            self.assertNotIn("(-c)", doc["error"])


class Acceso(unittest.TestCase):
    """The printed link opens one session, once; the permanent token never goes in a printed URL."""

    def test_login_link_is_one_time_and_holds_no_token(self):
        s = Server()
        try:
            self.assertRegex(s.code, r"^[0-9a-f]{32}$", "128 random bits")
            self.assertNotIn(s.token, s.log_text())
            self.assertNotIn(s.code, s.token)
            st, h, _ = s.request("GET", "/entrar?codigo=" + s.code)
            self.assertEqual((st, h["location"]), (303, "/"))
            sid = h["set-cookie"].split(";")[0]
            self.assertEqual(s.request("GET", "/", headers={"Cookie": sid})[0], 200)
            st, h, page = s.request("GET", "/entrar?codigo=" + s.code)
            self.assertEqual(st, 401, "used up")
            self.assertNotIn("set-cookie", h)
            self.assertIn("ya se usó", page.decode())
            # The permanent token: Bearer and the login form, never a URL.
            self.assertEqual(s.request("GET", "/", headers=s.bearer())[0], 200)
            st, h, _ = s.request("GET", "/?token=" + s.token)
            self.assertEqual(st, 401)
            self.assertNotIn("set-cookie", h)
            s.login()
            # An OPL's link keeps working.
            tok = s.acceso("crear", "--entidad", "15").stdout.strip()
            st, h, _ = s.request("GET", "/?token=" + tok)
            self.assertEqual(st, 303)
            st, _, page = s.request("GET", "/", headers={"Cookie": h["set-cookie"].split(";")[0]})
            self.assertIn("Documentos", page.decode())
            st, _, page = s.request("POST", "/entrar", "token=0123", {"Content-Type": "application/x-www-form-urlencoded"})
            self.assertEqual(st, 401)
            self.assertIn("Token no válido o revocado", page.decode())
        finally:
            s.stop()

    def test_port_in_use_creates_nothing(self):
        import socket
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen(1)
            datos = os.path.join(tempfile.mkdtemp(), "datos")
            r = subprocess.run([OBSERVA, "servir", "--datos", datos, "--puerto", str(busy.getsockname()[1])],
                               capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 74, r.stderr)
        self.assertFalse(os.path.exists(datos), "no DATOS, no token before the port is bound")

    def test_datos_is_private_outside_systemd(self):
        old = os.umask(0o022)
        try:
            s = Server()
        finally:
            os.umask(old)
        try:
            self.assertEqual(s.request("GET", "/", headers=s.bearer())[0], 200)
            self.assertEqual(os.stat(s.datos).st_mode & 0o777, 0o700)
            for name in ("historial.sqlite", "token"):
                self.assertEqual(os.stat(os.path.join(s.datos, name)).st_mode & 0o777, 0o600, name)
        finally:
            s.stop()


class Publicacion(unittest.TestCase):
    """Publishing twice is idempotent; another run of the corte needs its confirmation; web words."""

    def test_double_publish_and_confirmed_replacement(self):
        s = Server()
        try:
            ids = two_runs(s)
            first = s.request("POST", f"/api/corridas/{ids[0]}/publicar", b"", s.bearer())
            again = s.request("POST", f"/api/corridas/{ids[0]}/publicar", b"", s.bearer())
            self.assertEqual((first[0], again[0]), (200, 200))
            self.assertEqual(first[2], again[2])
            sid = s.login()
            form = {"Cookie": sid, "Content-Type": "application/x-www-form-urlencoded"}
            _, _, page = s.request("GET", "/", headers={"Cookie": sid})
            csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', page).group(1).decode()
            st, h, _ = s.request("POST", f"/corridas/{ids[0]}/publicar", "csrf=" + csrf, form)
            self.assertEqual(st, 303, "a double submit")
            st, _, page = s.request("GET", h["location"], headers={"Cookie": sid})
            self.assertIn("ya estaba publicada", page.decode())
            # The other run: its page asks for confirmation and links the published one.
            _, _, page = s.request("GET", f"/corridas/{ids[1]}", headers={"Cookie": sid})
            text = page.decode()
            self.assertIn(f'href="/corridas/{ids[0]}"', text)
            self.assertIn('name="reemplazar" value="1" required', text)
            st, _, page = s.request("POST", f"/corridas/{ids[1]}/publicar", "csrf=" + csrf, form)
            self.assertEqual(st, 409, "not without the confirmation")
            text = page.decode()
            self.assertIn(f'href="/corridas/{ids[0]}"', text)
            self.assertIn('name="reemplazar"', text)
            self.assertNotIn("--reemplazar", text)
            self.assertNotIn("historial mostrar", text)
            st, _, _ = s.request("POST", f"/corridas/{ids[1]}/publicar", f"csrf={csrf}&reemplazar=1", form)
            self.assertEqual(st, 303)
            hist = json.loads(s.request("GET", "/api/historial", headers=s.bearer())[2])
            states = {h["corrida"]: h["estado"] for h in hist}
            self.assertEqual((states[ids[0]], states[ids[1]]), ("sustituida", "publicada"))
            st, _, data = s.request("POST", f"/api/corridas/{ids[0]}/publicar?reemplazar=1", b"", s.bearer())
            self.assertEqual(st, 409)
            self.assertNotIn("observa historial", json.loads(data)["error"])
        finally:
            s.stop()

    def test_a_configuration_error_speaks_web_words(self):
        # demo.ini without its fixed generation time: a corte after the session it cites is then a
        # corte that has come, and the error is the configuration's.
        cfg = tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False, encoding="utf-8")
        with open(os.path.join(SAMPLE, "demo.ini"), encoding="utf-8") as f:
            cfg.write("".join(l for l in f if not l.startswith("fecha_generacion")))
        cfg.close()
        s = Server(config=cfg.name)
        try:
            body, ctype = sample_form(corte="2024-06-03")  # after demo.ini's [oficio] sesion_fecha
            st, _, data = s.request("POST", "/api/corridas", body, {**s.bearer(), "Content-Type": ctype})
            self.assertEqual(st, 400, "the letters' dates are checked up front")
            m = json.loads(data)["error"]
            self.assertIn("sesion_fecha", m)
            self.assertIn("indique otra «Fecha de la sesión de la Comisión» en Generar", m)
            self.assertNotIn("(-c)", m)
            self.assertIn("«Fecha de corte»", m)
            self.assertIn("configuración del servidor", m)
            self.assertNotIn(s.datos, m)
        finally:
            s.stop()
            os.unlink(cfg.name)


class Limites(unittest.TestCase):
    def test_rate_limit_after_bad_tokens(self):
        s = Server()
        try:
            sid = s.login()
            answers = [s.request("GET", "/", headers=s.bearer("0" * 64)) for _ in range(12)]
            codes = [a[0] for a in answers]
            self.assertEqual(codes, [401] * 10 + [429] * 2, "10 wrong tokens are answered; the 11th is refused")
            self.assertTrue(all("retry-after" not in a[1] for a in answers[:10]))
            self.assertTrue(0 < int(answers[10][1]["retry-after"]) <= 600)
            # The failing source is locked out (a guess is never checked then), an open session is not.
            self.assertEqual(s.request("GET", "/", headers={"Cookie": sid})[0], 200)
            self.assertEqual(s.request("GET", "/", headers=s.bearer())[0], 429)
            self.assertEqual(s.request("POST", "/entrar", "token=" + s.token,
                                       {"Content-Type": "application/x-www-form-urlencoded"})[0], 429)
            self.assertIn("127.0.0.1", [l for l in s.log_text().splitlines() if "equivocados" in l][0],
                          "the journal says which address is locked out")
            with open(s.log.name, "rb") as f:
                line = [l for l in f.read().splitlines() if b"equivocados" in l][0].decode("utf-8")
            self.assertIn("10 tokens o códigos equivocados", line)
            self.assertIn("esa dirección no puede iniciar sesión", line)
            st, h, _ = s.request("POST", "/entrar", "token=x", {"Content-Type": "application/x-www-form-urlencoded"})
            self.assertEqual(st, 429)
            self.assertIn("retry-after", h)
        finally:
            s.stop()

    def test_old_session_cookies_do_not_lock_anyone_out(self):
        s = Server()
        try:
            for _ in range(12):  # a restart forgets sessions: old cookies are anonymous, not guesses (12 > 10)
                self.assertEqual(s.request("GET", "/", headers={"Cookie": "observa_sesion=" + "a" * 64})[0], 401)
            self.assertEqual(s.request("GET", "/", headers=s.bearer())[0], 200)
            self.assertEqual(s.request("GET", "/entrar?codigo=" + s.code)[0], 303)
        finally:
            s.stop()

    def test_other_address_needs_tls(self):
        r = subprocess.run([OBSERVA, "servir", "--datos", tempfile.mkdtemp(), "--escuchar", "0.0.0.0"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 64)
        self.assertIn("TLS", r.stderr)

    @unittest.skipUnless(shutil.which("openssl"), "sin el programa openssl no se puede crear un certificado de prueba")
    def test_tls_with_certificate(self):
        import http.client
        import ssl
        d = tempfile.mkdtemp()
        key, cert = os.path.join(d, "k.pem"), os.path.join(d, "c.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=localhost"], check=True, capture_output=True)
        s = Server("--certificado", cert, "--clave", key)
        try:
            ctx = ssl.create_default_context(cafile=cert)
            ctx.check_hostname = False
            c = http.client.HTTPSConnection("127.0.0.1", s.port, context=ctx, timeout=30)
            c.request("GET", "/entrar?codigo=" + s.code, headers={"Host": f"127.0.0.1:{s.port}"})
            r = c.getresponse()
            r.read()
            self.assertEqual(r.status, 303)
            self.assertIn("Secure", r.getheader("Set-Cookie"))
            self.assertIn("max-age", r.getheader("Strict-Transport-Security"))
            c.close()
        finally:
            s.stop()

    def test_runs_discarded_by_sigterm_show_why_after_a_restart(self):
        s = Server()
        s2 = None
        try:
            form = [("solicitudes", "s.csv", read("solicitudes.csv")), ("difusion", "d.csv", read("difusion.csv"))]
            ids = [post_run(s, [("corte", "2024-01-19")], form)[1]["id"] for _ in range(3)]
            self.assertEqual(s.stop(), 0)
            s2 = Server(datos=s.datos)
            docs = [wait_run(s2, i, s2.bearer()) for i in ids]
            self.assertEqual(docs[0]["estado"], "lista", "a running run finishes before the server stops")
            self.assertEqual(docs[-1]["estado"], "fallida", "one run at a time: the last one was waiting")
            self.assertIn("se detuvo", docs[-1]["mensaje"])
        finally:
            if s2:
                s2.stop()

    def test_sigterm_stops_cleanly(self):
        s = Server()
        self.assertEqual(s.request("GET", "/salud")[0], 200)
        self.assertEqual(s.stop(), 0)
        self.assertIn("SIGTERM", s.log_text())


if __name__ == "__main__":
    unittest.main(verbosity=2)
