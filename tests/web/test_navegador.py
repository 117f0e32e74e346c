"""test_navegador.py - the whole flow in headless Chromium: the token URL, the upload, the run page,
the download of informe.pdf (checked with qpdf), publication, and an OPL that sees only its own."""
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from servidor import SAMPLE, Server  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


class Navegador(unittest.TestCase):
    def setUp(self):
        self.s = Server()
        self.b = browser()
        self.base = f"http://127.0.0.1:{self.s.port}"

    def tearDown(self):
        self.b.quit()
        self.s.stop()

    def session_cookie(self):
        c = self.b.get_cookie("observa_sesion")
        self.assertIsNotNone(c, "the token URL sets the session cookie")
        return "observa_sesion=" + c["value"]

    def test_upload_generate_download_and_opl_view(self):
        b = self.b
        b.get(f"{self.base}/?token={self.s.token}")
        self.assertNotIn("token=", b.current_url, "the token leaves the address bar")
        self.assertIn("Generar", b.title)
        b.find_element(By.ID, "solicitudes").send_keys(os.path.join(SAMPLE, "solicitudes.csv"))
        b.find_element(By.ID, "difusion").send_keys(os.path.join(SAMPLE, "difusion.csv"))
        b.execute_script("document.getElementById('corte').value = '2024-01-19'")
        b.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        deadline = time.time() + 300
        while time.time() < deadline and "lista" not in b.find_element(By.TAG_NAME, "main").text:
            if "fallida" in b.find_element(By.TAG_NAME, "main").text:
                self.fail(b.find_element(By.TAG_NAME, "main").text)
            time.sleep(1)
            b.refresh()
        self.assertIn("lista", b.find_element(By.TAG_NAME, "main").text)
        link = b.find_element(By.XPATH, "//a[contains(@href, '/archivos/informe.pdf')]").get_attribute("href")
        path = link.replace(self.base, "")
        st, h, pdf = self.s.request("GET", path, headers={"Cookie": self.session_cookie()})
        self.assertEqual(st, 200)
        self.assertEqual(h["content-type"], "application/pdf")
        out = os.path.join(tempfile.mkdtemp(), "informe.pdf")
        with open(out, "wb") as f:
            f.write(pdf)
        self.assertEqual(subprocess.run(["qpdf", "--check", out], capture_output=True).returncode, 0)
        b.find_element(By.XPATH, "//button[contains(., 'Publicar')]").click()
        self.assertIn("publicada", b.find_element(By.TAG_NAME, "main").text)
        # An OPL with its own token sees its entidad's documents only.
        tok = self.s.acceso("crear", "--entidad", "15").stdout.strip()
        b.delete_all_cookies()
        b.get(f"{self.base}/?token={tok}")
        text = b.find_element(By.TAG_NAME, "main").text
        self.assertIn("México", text)
        hrefs = [a.get_attribute("href") for a in b.find_elements(By.CSS_SELECTOR, "main a")]
        self.assertTrue(any("15_IEEM" in h for h in hrefs), hrefs)
        self.assertFalse(any("informe.pdf" in h or "/09_" in h for h in hrefs), hrefs)
        b.get(f"{self.base}/historial")
        self.assertIn("no permite", b.find_element(By.TAG_NAME, "main").text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
