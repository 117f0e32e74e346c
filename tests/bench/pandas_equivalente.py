#!/usr/bin/python3
"""What a DEOE analyst would write instead of observa, for comparison (issue 6).

pandas + XlsxWriter + ReportLab, from Debian's packages (python3-pandas, python3-xlsxwriter,
python3-reportlab). It does the same job as `observa lote` on the same exports, the way an analyst
would: read both CSVs, apply the cut-off rules, count by entidad, flag the OPLs with few outreach
actions, and write metricas.csv, the informe (PDF + XLSX), 32 per-OPL summaries (PDF + XLSX) and
the oficio. It is not part of observa. To time it against observa on the same data:

    build/observa-synth --solicitudes 1000000 --difusion 200000 -o /tmp/big
    /usr/bin/time -f '%e s %M KB' tests/bench/pandas_equivalente.py /tmp/big/solicitudes.csv \
        /tmp/big/difusion.csv templates/catalogos/entidades.csv /tmp/pd 2024-05-08 2024-01-19
    /usr/bin/time -f '%e s %M KB' build/observa lote --config sample-data/lote.ini -s /tmp/big/solicitudes.csv \
        -d /tmp/big/difusion.csv -c 2024-05-08 -a 2024-01-19 -o /tmp/ob

Usage: pandas_equivalente.py SOLICITUDES.csv DIFUSION.csv ENTIDADES.csv SALIDA CORTE CORTE_ANTERIOR
"""
import os
import sys

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

sol_path, dif_path, ent_path, out, corte, anterior = sys.argv[1:7]
corte, anterior = pd.Timestamp(corte), pd.Timestamp(anterior)
os.makedirs(os.path.join(out, "opl"), exist_ok=True)

ent = pd.read_csv(ent_path, comment="#", dtype=str)
alias = {}
for _, e in ent.iterrows():
    clave = int(e["clave"])
    for name in [e["clave"], str(clave), e["nombre"], e["nombre_oficial"], e["abreviatura"]] + str(e["alias"]).split(";"):
        alias[str(name).strip().lower()] = clave


def fecha(col):
    # pandas 1.5 (Debian 12) infers the format; ISO and DD/MM/YYYY both occur in the exports.
    return pd.to_datetime(col, dayfirst=True, errors="coerce")


sol = pd.read_csv(sol_path, dtype=str, keep_default_na=False)
sol["ent"] = sol["entidad"].str.strip().str.lower().map(alias)
sol["fs"] = fecha(sol["fecha_solicitud"])
sol["fr"] = fecha(sol["fecha_registro"].where(sol["fecha_registro"] != "", sol["fecha_solicitud"]))
sol["fc"] = fecha(sol["fecha_curso"])
sol["fres"] = fecha(sol["fecha_resolucion"])
sol = sol[sol["ent"].notna() & sol["fs"].notna() & sol["fr"].notna() & (sol["fr"] >= sol["fs"])]
sol = sol[sol["tipo"].isin(["individual", "organizacion"]) & sol["medio"].isin(["portal", "junta", "opl"])]
sol = sol.drop_duplicates("folio")

dif = pd.read_csv(dif_path, dtype=str, keep_default_na=False)
dif["ent"] = dif["entidad"].str.strip().str.lower().map(alias)
dif["f"] = fecha(dif["fecha"])
dif["fr"] = fecha(dif["fecha_registro"].where(dif["fecha_registro"] != "", dif["fecha"]))
dif["alc"] = pd.to_numeric(dif["alcance"], errors="coerce")
dif = dif[dif["ent"].notna() & dif["f"].notna() & dif["instancia"].isin(["opl", "jle", "jde"])]
dif = dif.drop_duplicates("id")


def metricas(c):
    s = sol[sol["fr"] <= c].copy()
    d = dif[dif["fr"] <= c]
    s["con_curso"] = s["fc"] <= c
    s["estado"] = s["resolucion"].where(s["fres"] <= c, "pendiente")
    rows = []
    for name, col in [("sexo", "sexo"), ("tipo", "tipo"), ("medio", "medio"), ("estado", "estado")]:
        g = s.groupby(["ent", col]).size()
        rows += [(k[0], f"solicitudes.{name}.{k[1] or 'no_especificado'}", v) for k, v in g.items()]
    rows += [(k, "solicitudes.total", v) for k, v in s.groupby("ent").size().items()]
    rows += [(k, "solicitudes.curso.con", v) for k, v in s[s["con_curso"]].groupby("ent").size().items()]
    g = d.groupby(["ent", "instancia"]).size()
    rows += [(k[0], f"difusion.instancia.{k[1]}", v) for k, v in g.items()]
    g = d.groupby(["ent", "tipo"]).size()
    rows += [(k[0], f"difusion.tipo.{k[1]}", v) for k, v in g.items()]
    rows += [(k, "difusion.alcance", v) for k, v in d.groupby("ent")["alc"].sum().items()]
    m = pd.DataFrame(rows, columns=["ent", "metrica", "valor"])
    m["valor"] = pd.to_numeric(m["valor"])
    full = m.pivot_table(index="ent", columns="metrica", values="valor", aggfunc="sum").reindex(range(1, 33)).fillna(0)
    opl = full.get("difusion.instancia.opl", pd.Series(0, index=full.index))
    mediana = opl.median()
    umbral = max(5, 0.5 * mediana)
    full["difusion.bajo"] = (opl < umbral).astype(int)
    full.loc[0] = full.sum()
    return full.sort_index(), mediana, umbral


ahora, mediana, umbral = metricas(corte)
antes, _, _ = metricas(anterior)
largo = []
for c, t in [(anterior, antes), (corte, ahora)]:
    x = t.stack().reset_index()
    x.columns = ["entidad", "metrica", "valor"]
    x.insert(0, "corte", c.date().isoformat())
    largo.append(x)
pd.concat(largo).sort_values(["corte", "entidad", "metrica"]).to_csv(os.path.join(out, "metricas.csv"), index=False)

nombres = {int(e["clave"]): e for _, e in ent.iterrows()}
styles = getSampleStyleSheet()


def tabla(df):
    t = Table([list(df.columns)] + df.astype(str).values.tolist(), repeatRows=1)
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.purple), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                           ("FONTSIZE", (0, 0), (-1, -1), 7), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
    return t


porent = ahora.loc[1:32].copy()
porent.insert(0, "Entidad", [nombres[i]["nombre"] for i in porent.index])
cols = ["Entidad"] + [c for c in porent.columns if c.startswith("difusion.instancia") or c == "solicitudes.total"]
doc = SimpleDocTemplate(os.path.join(out, "informe.pdf"), pagesize=letter)
doc.build([Paragraph("Informe sobre el seguimiento al procedimiento de acreditación", styles["Title"]),
           Paragraph(f"Con corte al {corte.date()}", styles["Normal"]), PageBreak(),
           tabla(porent[cols]), PageBreak(), tabla(porent.iloc[:, :12])])
with pd.ExcelWriter(os.path.join(out, "informe.xlsx"), engine="xlsxwriter") as xw:
    porent.to_excel(xw, sheet_name="Por entidad")
    pd.concat(largo).to_excel(xw, sheet_name="Métricas", index=False)
for i in range(1, 33):
    e = nombres[i]
    propio = ahora.loc[[i, 0]].T.reset_index()
    propio.columns = ["metrica", e["opl_etiqueta"], "Nacional"]
    base = os.path.join(out, "opl", f"{i:02d}_{e['opl_etiqueta'].replace(' ', '_')}")
    SimpleDocTemplate(base + ".pdf", pagesize=letter).build(
        [Paragraph(f"Resumen para el {e['opl_nombre']}", styles["Title"]), tabla(propio.head(40))])
    with pd.ExcelWriter(base + ".xlsx", engine="xlsxwriter") as xw:
        propio.to_excel(xw, sheet_name="Resumen", index=False)
bajos = porent[porent["difusion.bajo"] == 1]
SimpleDocTemplate(os.path.join(out, "oficio.pdf"), pagesize=letter).build(
    [Paragraph("Oficio de exhorto", styles["Title"]),
     Paragraph(f"Mediana {mediana}; umbral {umbral}", styles["Normal"]), tabla(bajos[cols])])
