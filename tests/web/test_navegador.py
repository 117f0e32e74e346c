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
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


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

    def main_text(self):
        """The page's main text; the page may be replaced meanwhile (a submit, the run page's refresh)."""
        for _ in range(50):
            try:
                return self.b.find_element(By.TAG_NAME, "main").text
            except (StaleElementReferenceException, NoSuchElementException):
                time.sleep(0.2)
        return ""

    def session_cookie(self):
        c = self.b.get_cookie("observa_sesion")
        self.assertIsNotNone(c, "the token URL sets the session cookie")
        return "observa_sesion=" + c["value"]

    def test_upload_generate_download_and_opl_view(self):
        b = self.b
        b.get(self.s.login_url)
        self.assertNotIn("codigo=", b.current_url, "the code leaves the address bar")
        self.assertIn("Generar", b.title)
        b.find_element(By.ID, "solicitudes").send_keys(os.path.join(SAMPLE, "solicitudes.csv"))
        b.find_element(By.ID, "difusion").send_keys(os.path.join(SAMPLE, "difusion.csv"))
        b.execute_script("document.getElementById('corte').value = '2024-01-19'")
        b.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(b, 30).until(lambda d: "/corridas/" in d.current_url)
        deadline = time.time() + 300
        while time.time() < deadline and "lista" not in self.main_text():
            if "fallida" in self.main_text():
                self.fail(self.main_text())
            time.sleep(1)
        self.assertIn("lista", self.main_text())
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
        WebDriverWait(b, 30).until(lambda d: "publicada" in self.main_text())
        # An OPL with its own token sees its entidad's documents only.
        tok = self.s.acceso("crear", "--entidad", "15").stdout.strip()
        b.delete_all_cookies()
        b.get(f"{self.base}/?token={tok}")
        text = self.main_text()
        self.assertIn("México", text)
        hrefs = [a.get_attribute("href") for a in b.find_elements(By.CSS_SELECTOR, "main a")]
        self.assertTrue(any("15_IEEM" in h for h in hrefs), hrefs)
        self.assertFalse(any("informe.pdf" in h or "/09_" in h for h in hrefs), hrefs)
        b.get(f"{self.base}/historial")
        self.assertIn("no permite", self.main_text())


if __name__ == "__main__":
    unittest.main(verbosity=2)
