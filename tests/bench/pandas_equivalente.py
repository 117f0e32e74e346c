#!/usr/bin/python3
"""What a DEOE analyst would write instead of observa, for comparison (issue 6).

pandas + XlsxWriter + ReportLab, from Debian's packages (python3-pandas, python3-xlsxwriter,
python3-reportlab). It is not part of observa and is not run by the tests. Two modes:

- default, "the same job": what `observa lote` delivers from the same exports, written the way
  a careful analyst would (vectorised, catalogue spellings folded once per distinct value):
  the row checks of the data contract with a rejects file (line, column, reason; repeated ids
  keep the first row), every metric of metricas.csv at both cortes, the informe (PDF with its
  tables and three charts, page header and footer; XLSX with one sheet per table, totals and
  native charts), 32 per-OPL summaries (PDF with a weekly chart, XLSX), the oficio and one letter
  per flagged OPL, and a manifest with the SHA-256 of every input and output.
- `--ligero`: a lean subset (no row checks, no rejects file, fewer metrics, tables only,
  one oficio): the least an analyst could get away with. A lower bound for pandas' time.

To time it against observa on the same data:

    build/observa-synth --solicitudes 1000000 --difusion 200000 -o /tmp/big
    /usr/bin/time -f '%e s %M KB' tests/bench/pandas_equivalente.py /tmp/big/solicitudes.csv \
        /tmp/big/difusion.csv templates/catalogos /tmp/pd 2024-05-08 2024-01-19
    /usr/bin/time -f '%e s %M KB' build/observa lote --config sample-data/demo.ini -s /tmp/big/solicitudes.csv \
        -d /tmp/big/difusion.csv -c 2024-05-08 -a 2024-01-19 -o /tmp/ob

(demo.ini asks for the same documents, the per-OPL letters included.)

Usage: pandas_equivalente.py [--ligero] SOLICITUDES.csv DIFUSION.csv CATALOGOS_DIR SALIDA CORTE CORTE_ANTERIOR
"""
import hashlib
import json
import os
import re
import sys
import unicodedata

import pandas as pd
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

args = sys.argv[1:]
ligero = "--ligero" in args
args = [a for a in args if a != "--ligero"]
sol_path, dif_path, cat_dir, out, corte, anterior = args[:6]
corte, anterior = pd.Timestamp(corte), pd.Timestamp(anterior)
os.makedirs(os.path.join(out, "opl"), exist_ok=True)
os.makedirs(os.path.join(out, "oficio_opl"), exist_ok=True)


def fold(s):
    s = unicodedata.normalize("NFKD", str(s).strip().lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[\s.\-]+", "_", s).strip("_")


def folded_map(col, table):
    """Maps a column through a {folded spelling: value} table, folding each distinct value once."""
    u = col.unique()
    return col.map(dict(zip(u, (table.get(fold(x)) for x in u))))


ent = pd.read_csv(os.path.join(cat_dir, "entidades.csv"), comment="#", dtype=str)
alias = {}
for _, e in ent.iterrows():
    clave = int(e["clave"])
    for name in [e["clave"], str(clave), e["nombre"], e["nombre_oficial"], e["abreviatura"]] + str(e["alias"]).split(";"):
        alias[fold(name)] = clave
nombres = {int(e["clave"]): e for _, e in ent.iterrows()}

valores = {}
for _, v in pd.read_csv(os.path.join(cat_dir, "valores.csv"), comment="#", dtype=str, keep_default_na=False).iterrows():
    t = valores.setdefault(v["campo"], {})
    for name in [v["codigo"]] + [a for a in (v["alias"] + ";" + v["alias_con_aviso"]).split(";") if a]:
        t[fold(name)] = v["codigo"]
tipos = {}
tipo_etiqueta = {}
for _, v in pd.read_csv(os.path.join(cat_dir, "tipos_difusion.csv"), comment="#", dtype=str, keep_default_na=False).iterrows():
    tipo_etiqueta[v["codigo"]] = v["etiqueta"]
    for name in [v["codigo"], v["etiqueta"]] + [a for a in v["alias"].split(";") if a]:
        tipos[fold(name)] = v["codigo"]


def fecha(col):
    """Dates in any of the contract's forms, parsed once per distinct value (exports repeat them)."""
    u = pd.Series(col.unique())
    d = u.str.split(" ").str[0]
    iso = pd.to_datetime(d, format="%Y-%m-%d", errors="coerce")
    dmy = pd.to_datetime(d.str.replace("-", "/"), format="%d/%m/%Y", errors="coerce")
    return col.map(dict(zip(u, iso.fillna(dmy))))


problemas = []


def problema(df, archivo, mask, campo, motivo, nivel="error"):
    if mask.any():
        p = pd.DataFrame({"archivo": archivo, "linea": df.index[mask] + 2, "columna": df.columns.get_loc(campo) + 1,
                          "campo": campo, "valor": df.loc[mask, campo].str.slice(0, 40), "nivel": nivel, "motivo": motivo})
        problemas.append(p)
    return mask


def revisar(df, archivo, errores, clave, avisos):
    """Logs every check's problems; returns the rows to keep (no error, first of each id)."""
    bad = pd.Series(False, index=df.index)
    for mask, campo, motivo in errores:
        bad |= problema(df, archivo, mask, campo, motivo)
    ok = ~bad
    bad |= problema(df, archivo, ok & df[clave].where(ok).duplicated(keep="first"), clave, clave + " repetido")
    for mask, campo, motivo in avisos:
        problema(df, archivo, mask, campo, motivo, "aviso")
    return ~bad


EDADES = ["18_20", "21_25", "26_30", "31_35", "36_40", "41_45", "46_50", "51_55", "56_60", "61_65", "66_70", "71_mas",
          "no_especificada"]
SOL_COLS = ["folio", "entidad", "fecha_solicitud", "fecha_registro", "tipo", "medio", "sexo", "edad", "fecha_nacimiento",
            "discapacidad", "indigena", "modalidades", "fecha_curso", "curso_impartido_por", "resolucion",
            "fecha_resolucion", "consejo", "causa"]
# Only the contract's columns are read: names, CURP and addresses never enter memory.
sol = pd.read_csv(sol_path, dtype=str, keep_default_na=False, usecols=lambda c: c in SOL_COLS)
sol = sol[[c for c in SOL_COLS if c in sol.columns]]
sol["ent"] = folded_map(sol["entidad"], alias)
sol["fs"] = fecha(sol["fecha_solicitud"])
sol["fr"] = fecha(sol["fecha_registro"].where(sol["fecha_registro"] != "", sol["fecha_solicitud"]))
sol["fc"] = fecha(sol["fecha_curso"])
sol["fres"] = fecha(sol["fecha_resolucion"])
for col in ["tipo", "medio", "sexo", "resolucion"] + ([] if ligero else ["curso_impartido_por", "consejo"]):
    sol[col + "_c"] = folded_map(sol[col], valores[col])
if ligero:
    sol = sol[sol["ent"].notna() & sol["fs"].notna() & sol["fr"].notna() & (sol["fr"] >= sol["fs"])]
    sol = sol[sol["tipo_c"].notna() & sol["medio_c"].notna()].drop_duplicates("folio")
else:
    edad = pd.to_numeric(sol["edad"], errors="coerce")
    hay = {c: sol[c] != "" for c in ["resolucion", "fecha_resolucion", "fecha_curso", "edad", "sexo"]}
    keep = revisar(sol, "solicitudes.csv", [
        (sol["folio"] == "", "folio", "falta el valor obligatorio"),
        (sol["ent"].isna(), "entidad", "entidad no reconocida"),
        (sol["fs"].isna(), "fecha_solicitud", "no es una fecha válida"),
        (sol["fr"].isna(), "fecha_registro", "no es una fecha válida"),
        (sol["fr"] < sol["fs"], "fecha_registro", "fecha_registro anterior a fecha_solicitud"),
        (sol["tipo_c"].isna(), "tipo", "valor no reconocido en «tipo»"),
        (sol["medio_c"].isna(), "medio", "valor no reconocido en «medio»"),
        (hay["resolucion"] & sol["resolucion_c"].isna(), "resolucion", "valor no reconocido"),
        (hay["fecha_curso"] & sol["fc"].isna(), "fecha_curso", "no es una fecha válida"),
        (hay["resolucion"] != hay["fecha_resolucion"], "fecha_resolucion", "resolucion y fecha_resolucion van juntas"),
        (sol["fres"] < sol["fs"], "fecha_resolucion", "fecha_resolucion anterior a fecha_solicitud"),
    ], "folio", [
        (hay["edad"] & ~edad.between(18, 120), "edad", "edad fuera de 18 a 120"),
        (hay["sexo"] & sol["sexo_c"].isna(), "sexo", "valor no reconocido; se ignora"),
        ((sol["resolucion_c"] == "aprobada") & ~hay["fecha_curso"], "fecha_curso", "aprobada sin fecha_curso"),
    ])
    sol = sol[keep].copy()
    nac = fecha(sol["fecha_nacimiento"])
    edad = edad[sol.index].where(edad.between(18, 120), ((sol["fs"] - nac).dt.days // 365.25))
    sol["edad_b"] = pd.cut(edad.where(edad.between(18, 120)), [17, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 200],
                           labels=EDADES[:-1]).cat.add_categories(EDADES[-1]).fillna(EDADES[-1])
    booleano = valores["booleano"]
    for col in ["discapacidad", "indigena"]:
        sol[col + "_b"] = folded_map(sol[col], booleano) == "si"
    for m in ["VA", "VPPP", "VMRE"]:
        u = sol["modalidades"].unique()
        sol["mod_" + m.lower()] = sol["modalidades"].map(dict(zip(u, (m in re.split(r"[;,| ]+", x.upper()) for x in u))))
sol["sexo_c"] = sol["sexo_c"].fillna("no_especificado")

dif = pd.read_csv(dif_path, dtype=str, keep_default_na=False,
                  usecols=["id", "entidad", "instancia", "fecha", "fecha_registro", "tipo", "alcance"])
dif["ent"] = folded_map(dif["entidad"], alias)
dif["f"] = fecha(dif["fecha"])
dif["fr"] = fecha(dif["fecha_registro"].where(dif["fecha_registro"] != "", dif["fecha"]))
dif["alc"] = pd.to_numeric(dif["alcance"], errors="coerce")
dif["inst"] = folded_map(dif["instancia"], valores["instancia"])
dif["tipo_c"] = folded_map(dif["tipo"], tipos)
if ligero:
    dif = dif[dif["ent"].notna() & dif["f"].notna() & dif["inst"].notna()].drop_duplicates("id")
else:
    keep = revisar(dif, "difusion.csv", [
        (dif["id"] == "", "id", "falta el valor obligatorio"),
        (dif["ent"].isna(), "entidad", "entidad no reconocida"),
        (dif["inst"].isna(), "instancia", "instancia no reconocida"),
        (dif["f"].isna(), "fecha", "no es una fecha válida"),
        (dif["fr"].isna(), "fecha_registro", "no es una fecha válida"),
        (dif["fr"] < dif["f"], "fecha_registro", "fecha_registro anterior a fecha"),
        ((dif["alcance"] != "") & ~(dif["alc"] >= 0), "alcance", "alcance negativo o no numérico"),
    ], "id", [(dif["tipo_c"].isna(), "tipo", "tipo no reconocido; se cuenta como otr")])
    dif = dif[keep].copy()
dif["tipo_c"] = dif["tipo_c"].fillna("otr")


def conteo(df, col, nombre, codigos=None):
    t = df.groupby(["ent", col]).size().unstack(fill_value=0)
    if codigos is not None:
        t = t.reindex(columns=codigos, fill_value=0)
    t.columns = [f"{nombre}.{c}" for c in t.columns]
    return t


def metricas(c):
    s = sol[sol["fr"] <= c].copy()
    d = dif[dif["fr"] <= c]
    s["curso"] = (s["fc"] <= c).map({True: "con", False: "sin"})
    s["estado"] = s["resolucion_c"].where(s["fres"] <= c, "pendientes").replace(
        {"aprobada": "aprobadas", "improcedente": "improcedentes", "declinada": "declinadas"})
    partes = [s.groupby("ent").size().rename("solicitudes.total"),
              conteo(s, "sexo_c", "solicitudes.sexo", ["mujer", "hombre", "no_binaria", "no_especificado"]),
              conteo(s, "tipo_c", "solicitudes.tipo", ["individual", "organizacion"]),
              conteo(s, "medio_c", "solicitudes.medio", ["portal", "junta", "opl"]),
              conteo(s, "curso", "solicitudes.curso", ["con", "sin"]),
              conteo(d, "inst", "difusion.instancia", ["opl", "jle", "jde"]),
              conteo(d, "tipo_c", "difusion.tipo", list(tipo_etiqueta)),
              d.groupby("ent")["alc"].sum().rename("difusion.alcance"),
              d.groupby("ent").size().rename("difusion.total")]
    estado = conteo(s, "estado", "solicitudes", ["aprobadas", "improcedentes", "declinadas", "pendientes"])
    partes.append(estado)
    if not ligero:
        partes += [conteo(s, "edad_b", "solicitudes.edad", EDADES),
                   s.groupby("ent")[["discapacidad_b", "indigena_b", "mod_va", "mod_vppp", "mod_vmre"]].sum().rename(
                       columns={"discapacidad_b": "solicitudes.discapacidad", "indigena_b": "solicitudes.indigena",
                                "mod_va": "solicitudes.modalidad.va", "mod_vppp": "solicitudes.modalidad.vppp",
                                "mod_vmre": "solicitudes.modalidad.vmre"}),
                   conteo(s[s["curso"] == "con"], "curso_impartido_por_c", "solicitudes.curso.por",
                          ["ine", "opl", "organizacion"]),
                   conteo(s[s["estado"] == "aprobadas"], "consejo_c", "solicitudes.aprobadas.consejo",
                          ["local", "distrital"])]
    full = pd.concat(partes, axis=1).reindex(range(1, 33)).fillna(0).astype(int)
    full["difusion.ine"] = full["difusion.instancia.jle"] + full["difusion.instancia.jde"]
    opl = full["difusion.instancia.opl"]
    mediana = opl.median()
    umbral = max(5, 0.5 * mediana)
    full["difusion.bajo"] = (opl < umbral).astype(int)
    full.loc[0] = full.sum()
    return full.sort_index(), mediana, umbral, s, d


ahora, mediana, umbral, s_ahora, d_ahora = metricas(corte)
antes = metricas(anterior)[0]
largo = []
for c, t in [(anterior, antes), (corte, ahora)]:
    x = t.stack().reset_index()
    x.columns = ["entidad", "metrica", "valor"]
    x["entidad"] = x["entidad"].map("{:02d}".format)
    x.insert(0, "corte", c.date().isoformat())
    largo.append(x)
largo = pd.concat(largo).sort_values(["corte", "entidad", "metrica"])
# As observa writes them: with a BOM for Excel es-MX, and text that could start a formula guarded
# with a leading "'" (OWASP's CSV-injection rule).
largo.to_csv(os.path.join(out, "metricas.csv"), index=False, encoding="utf-8-sig")
if not ligero:
    cols = ["archivo", "linea", "columna", "campo", "valor", "nivel", "motivo"]
    rech = pd.concat(problemas) if problemas else pd.DataFrame(columns=cols)
    for c in ["archivo", "campo", "valor", "motivo"]:
        rech[c] = rech[c].astype(str).mask(rech[c].astype(str).str.match(r"[=+\-@\t\r]"), "'" + rech[c].astype(str))
    rech.sort_values(["archivo", "linea", "columna"], kind="stable").to_csv(
        os.path.join(out, "rechazos.csv"), index=False, encoding="utf-8-sig")

# Weekly series up to the corte: national cumulative solicitudes and aprobadas; OPL actions per entidad.
semana = s_ahora["fr"].dt.to_period("W")
sem_sol = s_ahora.groupby(semana).size().cumsum()
sem_apr = s_ahora[s_ahora["estado"] == "aprobadas"].groupby(s_ahora["fres"].dt.to_period("W")).size().cumsum()
d_opl = d_ahora[d_ahora["inst"] == "opl"]
sem_opl = d_opl.groupby(["ent", d_opl["fr"].dt.to_period("W")]).size().unstack(fill_value=0)
causas = s_ahora[s_ahora["estado"] == "improcedentes"]["causa"].replace("", "sin causa").value_counts().head(10)

styles = getSampleStyleSheet()
MORADO = colors.HexColor("#7B2C8C")
ALERTA = colors.HexColor("#C0392B")


def fmt(v):
    return f"{v:,.0f}" if isinstance(v, (int, float)) or hasattr(v, "__int__") else str(v)


def tabla(df, marcar=None):
    t = Table([list(df.columns)] + [[fmt(v) for v in r] for r in df.itertuples(index=False)], repeatRows=1)
    st = [("BACKGROUND", (0, 0), (-1, 0), MORADO), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
          ("FONTSIZE", (0, 0), (-1, -1), 7), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
          ("ALIGN", (1, 1), (-1, -1), "RIGHT")]
    for i in marcar or []:
        st.append(("TEXTCOLOR", (0, i + 1), (-1, i + 1), ALERTA))
    t.setStyle(TableStyle(st))
    return t


def barras(valores, etiquetas, alerta=None, linea=None, ancho=460, alto=200):
    d = Drawing(ancho, alto)
    ch = VerticalBarChart()
    ch.x, ch.y, ch.width, ch.height = 40, 40, ancho - 60, alto - 60
    ch.data = [list(valores)]
    ch.categoryAxis.categoryNames = list(etiquetas)
    ch.categoryAxis.labels.angle = 90
    ch.categoryAxis.labels.fontSize = 5
    ch.valueAxis.valueMin = 0
    ch.bars[0].fillColor = MORADO
    for i, a in enumerate([] if alerta is None else list(alerta)):
        if a:
            ch.bars[(0, i)].fillColor = ALERTA
    d.add(ch)
    if linea is not None and max(valores) > 0:
        y = ch.y + ch.height * linea / max(max(valores), linea)
        d.add(Line(ch.x, y, ch.x + ch.width, y, strokeColor=ALERTA, strokeDashArray=[3, 2]))
    return d


def lineas(series, ancho=460, alto=180):
    d = Drawing(ancho, alto)
    lp = LinePlot()
    lp.x, lp.y, lp.width, lp.height = 40, 30, ancho - 60, alto - 50
    lp.data = [list(enumerate(s.tolist())) or [(0, 0)] for s in series]
    for i, c in enumerate([MORADO, colors.green][:len(series)]):
        lp.lines[i].strokeColor = c
    d.add(lp)
    return d


def pie(titulo):
    def dibuja(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(57, 760, f"{titulo} · corte al {corte.date()}")
        canvas.drawRightString(555, 30, f"Página {doc.page}")
        canvas.restoreState()
    return dibuja


def pdf(path, flujo, titulo):
    SimpleDocTemplate(path, pagesize=letter, title=titulo, author="DEOE").build(
        flujo, onFirstPage=pie(titulo), onLaterPages=pie(titulo))


porent = ahora.loc[1:32].copy()
porent.insert(0, "Entidad", [nombres[i]["nombre"] for i in porent.index])
bajos_idx = [i - 1 for i in porent.index if porent.loc[i, "difusion.bajo"]]
dif_cols = ["Entidad", "difusion.instancia.jle", "difusion.instancia.jde", "difusion.instancia.opl", "difusion.total",
            "difusion.alcance"]
tablas = {"Difusión": porent[dif_cols].assign(cambio_opl=porent["difusion.instancia.opl"] - antes.loc[1:32, "difusion.instancia.opl"])}
if ligero:
    doc = [Paragraph("Informe sobre el seguimiento al procedimiento de acreditación", styles["Title"]),
           Paragraph(f"Con corte al {corte.date()}", styles["Normal"]), PageBreak(),
           tabla(porent[dif_cols]), PageBreak(), tabla(porent.iloc[:, :12])]
else:
    nac = ahora.loc[0]
    tablas["Resumen"] = pd.DataFrame({"Concepto": ["Solicitudes", "Aprobadas", "Acciones de difusión", "Acciones OPL"],
                                      "Al corte": [nac["solicitudes.total"], nac["solicitudes.aprobadas"],
                                                   nac["difusion.total"], nac["difusion.instancia.opl"]],
                                      "Corte anterior": [antes.loc[0, "solicitudes.total"], antes.loc[0, "solicitudes.aprobadas"],
                                                         antes.loc[0, "difusion.total"], antes.loc[0, "difusion.instancia.opl"]]})
    tablas["Tipo de acción"] = pd.DataFrame(
        {"Tipo": [tipo_etiqueta[c] for c in tipo_etiqueta],
         "INE": [int(((d_ahora["tipo_c"] == c) & (d_ahora["inst"] != "opl")).sum()) for c in tipo_etiqueta],
         "OPL": [int(((d_ahora["tipo_c"] == c) & (d_ahora["inst"] == "opl")).sum()) for c in tipo_etiqueta]})
    medio = nac[["solicitudes.medio.portal", "solicitudes.medio.junta", "solicitudes.medio.opl"]]
    tablas["Medio"] = pd.DataFrame({"Medio": ["Portal público", "Juntas Locales y Distritales Ejecutivas",
                                              "Organismos Públicos Locales"], "Solicitudes": medio.values,
                                    "%": (100 * medio.values / max(nac["solicitudes.total"], 1)).round(1)})
    tablas["Solicitudes por entidad"] = porent[["Entidad", "solicitudes.total", "solicitudes.sexo.mujer",
                                                "solicitudes.sexo.hombre", "solicitudes.sexo.no_binaria",
                                                "solicitudes.tipo.individual", "solicitudes.tipo.organizacion"]]
    tablas["Inclusión"] = porent[["Entidad", "solicitudes.discapacidad", "solicitudes.indigena",
                                  "solicitudes.modalidad.va", "solicitudes.modalidad.vppp", "solicitudes.modalidad.vmre"]]
    tablas["Estado"] = porent[["Entidad", "solicitudes.curso.con", "solicitudes.curso.sin", "solicitudes.aprobadas",
                               "solicitudes.improcedentes", "solicitudes.declinadas", "solicitudes.pendientes"]].assign(
        pct=(100 * porent["solicitudes.aprobadas"] / porent["solicitudes.total"].clip(lower=1)).round(1))
    tablas["Cursos"] = porent[["Entidad", "solicitudes.curso.por.ine", "solicitudes.curso.por.opl",
                               "solicitudes.curso.por.organizacion"]]
    tablas["Causas"] = causas.rename_axis("Causa").reset_index(name="Solicitudes")
    edades = s_ahora.groupby(["edad_b", "sexo_c"]).size().unstack(fill_value=0)
    orden = porent.sort_values("difusion.instancia.opl")
    flujo = [Paragraph("Instituto Nacional Electoral", styles["Title"]),
             Paragraph("Dirección Ejecutiva de Organización Electoral", styles["Heading2"]),
             Paragraph("Informe sobre el seguimiento al procedimiento de acreditación de las y los observadores "
                       "electorales", styles["Title"]), Paragraph(f"Con corte al {corte.date()}", styles["Normal"]),
             PageBreak(), Paragraph("Resumen", styles["Heading1"]), tabla(tablas["Resumen"]),
             Paragraph("Difusión de la convocatoria", styles["Heading1"]),
             tabla(tablas["Difusión"], bajos_idx), Spacer(1, 8),
             barras(orden["difusion.instancia.opl"], orden["Entidad"], orden["difusion.bajo"] == 1, umbral),
             tabla(tablas["Tipo de acción"]),
             Paragraph(f"OPL con bajo número de acciones: {', '.join(porent['Entidad'].iloc[bajos_idx])} "
                       f"(mediana {mediana}, umbral {umbral}).", styles["Normal"]),
             Paragraph("Solicitudes de acreditación", styles["Heading1"]), tabla(tablas["Medio"]),
             tabla(tablas["Solicitudes por entidad"]), lineas([sem_sol, sem_apr]),
             barras(edades.sum(axis=1), edades.index), tabla(tablas["Inclusión"]),
             Paragraph("Estado de las solicitudes", styles["Heading1"]), tabla(tablas["Estado"]),
             tabla(tablas["Cursos"]), tabla(tablas["Causas"]),
             Paragraph("Nota metodológica", styles["Heading1"]),
             Paragraph(f"Fuentes: {os.path.basename(sol_path)} y {os.path.basename(dif_path)}.", styles["Normal"])]
    doc = flujo
pdf(os.path.join(out, "informe.pdf"), doc, "Informe de observación electoral")

with pd.ExcelWriter(os.path.join(out, "informe.xlsx"), engine="xlsxwriter") as xw:
    num = xw.book.add_format({"num_format": "#,##0"})
    for nombre, t in tablas.items():
        t.to_excel(xw, sheet_name=nombre[:31], index=False)
        ws = xw.sheets[nombre[:31]]
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(t), len(t.columns) - 1)
        ws.set_column(0, len(t.columns) - 1, 16, num)
        if not ligero and nombre in ("Difusión", "Solicitudes por entidad"):
            ws.write(len(t) + 1, 0, "Total nacional")
            for j in range(1, len(t.columns)):
                col = chr(ord("A") + j)
                ws.write_formula(len(t) + 1, j, f"=SUM({col}2:{col}{len(t) + 1})", num, t.iloc[:, j].sum())
            ch = xw.book.add_chart({"type": "column"})
            ch.add_series({"categories": [nombre[:31], 1, 0, len(t), 0], "values": [nombre[:31], 1, 3, len(t), 3]})
            ws.insert_chart("J2", ch)
    largo.to_excel(xw, sheet_name="Métricas", index=False)

for i in range(1, 33):
    e = nombres[i]
    propio = ahora.loc[[i, 0]].T.reset_index()
    propio.columns = ["metrica", e["opl_etiqueta"], "Nacional"]
    base = os.path.join(out, "opl", f"{i:02d}_{e['opl_etiqueta'].replace(' ', '_')}")
    if ligero:
        pdf(base + ".pdf", [Paragraph(f"Resumen para el {e['opl_nombre']}", styles["Title"]), tabla(propio.head(40))],
            e["opl_etiqueta"])
    else:
        r = ahora.loc[i]
        estado = "está" if r["difusion.bajo"] else "no está"
        semanas = sem_opl.loc[i] if i in sem_opl.index else pd.Series([0])
        pdf(base + ".pdf", [Paragraph(f"Resumen para el {e['opl_nombre']} ({e['opl_siglas']})", styles["Title"]),
                            Paragraph(f"{e['nombre']}, con corte al {corte.date()}. El OPL {estado} entre los de bajo "
                                      f"número de acciones (mediana nacional {mediana}, umbral {umbral}).", styles["Normal"]),
                            tabla(propio[propio["metrica"].str.startswith("difusion")]), lineas([semanas.cumsum()]),
                            PageBreak(), tabla(propio[propio["metrica"].str.startswith("solicitudes")].head(45))],
            e["opl_etiqueta"])
    with pd.ExcelWriter(base + ".xlsx", engine="xlsxwriter") as xw:
        propio.to_excel(xw, sheet_name="Resumen", index=False)
        if not ligero:
            ch = xw.book.add_chart({"type": "line"})
            ch.add_series({"values": ["Resumen", 1, 1, 10, 1]})
            xw.sheets["Resumen"].insert_chart("E2", ch)

bajos = porent[porent["difusion.bajo"] == 1]
carta = [Paragraph("Instituto Nacional Electoral", styles["Title"]), Paragraph("Oficio núm. INE/DEOE/0000/2024", styles["Normal"]),
         Paragraph(f"Con corte al {corte.date()}, los OPL siguientes registraron pocas acciones de difusión "
                   f"(mediana {mediana}, umbral {umbral}).", styles["Normal"]), tabla(bajos[dif_cols])]
pdf(os.path.join(out, "oficio.pdf"), carta, "Oficio")
if not ligero:
    for i in bajos.index:
        e = nombres[i]
        pdf(os.path.join(out, "oficio_opl", f"{i:02d}_{e['opl_etiqueta'].replace(' ', '_')}.pdf"),
            [Paragraph("Instituto Nacional Electoral", styles["Title"]),
             Paragraph(f"Presidencia del Consejo General del {e['opl_nombre']}", styles["Normal"]),
             Paragraph(f"Con corte al {corte.date()}, ese OPL registró {bajos.loc[i, 'difusion.instancia.opl']} acciones "
                       f"de difusión, por debajo del umbral de {umbral}.", styles["Normal"])], "Oficio")


    def sha256(path):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for bloque in iter(lambda: f.read(1 << 20), b""):
                h.update(bloque)
        return h.hexdigest()

    salidas = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs)
    manifest = {"corte": str(corte.date()), "corte_anterior": str(anterior.date()),
                "entradas": [{"ruta": p, "bytes": os.path.getsize(p), "sha256": sha256(p)} for p in (sol_path, dif_path)],
                "salidas": [{"ruta": p, "bytes": os.path.getsize(os.path.join(out, p)),
                             "sha256": sha256(os.path.join(out, p))} for p in salidas]}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
