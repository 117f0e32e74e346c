/* synth_solicitudes.c - observa-synth's solicitudes.csv: registrations of the 2023-2024 call, courses, resolutions. */

#include <string.h>

#include "synth.h"

static const char *const S_HEADER[S_NCOLS] = {
  "folio", "entidad", "fecha_solicitud", "fecha_registro", "tipo", "medio",
  "sexo", "edad", "fecha_nacimiento", "distrito", "organizacion",
  "discapacidad", "indigena", "modalidades", "fecha_curso",
  "curso_impartido_por", "curso_modalidad", "resolucion", "fecha_resolucion",
  "consejo", "causa", "nombre", "curp",
};

/* Invented civil-society organisations; some names carry commas and quotes
 * on purpose so that the sample exercises RFC 4180 quoting. */
static const char *const ORGS[] = {
  "Observatorio Ciudadano por la Democracia, A.C.",
  "Red Mexicana de Vigilancia Electoral Independiente",
  "Colectivo \"Voto Libre\" de Puebla",
  "Fundación Participa Joven, A.C.",
  "Mujeres por la Paridad y la Democracia",
  "Centro de Estudios Cívicos del Bajío, S.C.",
  "Asociación de Abogados \"Benito Juárez\", A.C.",
  "Coordinadora Universitaria de Observación Electoral",
  "Red Ciudadana del Sureste por la Transparencia",
  "Jóvenes Observadores de la Sierra, A.C.",
  "Consejo Vecinal de Contraloría Social",
  "Instituto de Formación Ciudadana \"Nueva Ágora\"",
  "Unión de Pueblos Originarios por el Voto",
  "Colegio de Politólogos del Norte, A.C.",
  "Observatorio Electoral Universitario",
  "Frente Cívico de Mujeres Rurales",
  "Movimiento Ciudadano por la Legalidad Electoral, A.C.",
  "Asamblea de Vecinos \"Tierra y Libertad\"",
};

/* Reasons for `improcedente`; index 0 is also used for requests that never
 * took the course.  Weights are skewed the way such lists usually are. */
static const char *const CAUSAS[] = {
  "No acreditó el curso de capacitación",
  "Documentación incompleta",
  "No cuenta con credencial para votar vigente",
  "Es militante de un partido político",
  "Integró la dirigencia de un partido político en los últimos tres años",
  "Desempeñó cargo de elección popular en los últimos tres años",
  "Fue candidata o candidato a un cargo de elección popular en los últimos tres años",
  "Los datos no coinciden con el Padrón Electoral",
  "No atendió el requerimiento de información",
  "Presentó la solicitud fuera del plazo",
  "Es representante de partido político ante un órgano electoral",
  "Solicitud duplicada, ya existe un registro previo",
};
static const guint32 CAUSA_W[] = { 26, 19, 13, 9, 6, 6, 5, 5, 4, 3, 2, 2 };

/* Daily intensity of registrations over the call. */
static const RateKnot KNOTS[] = {
  /* launch, then a slow autumn */
  {2023, 9, 7, 100}, {2023, 9, 14, 70}, {2023, 10, 12, 55},
  {2023, 10, 13, 40}, {2023, 11, 15, 34}, {2023, 12, 12, 28},
  /* holidays */
  {2023, 12, 24, 10}, {2024, 1, 2, 12}, {2024, 1, 19, 36},
  /* the campaign picks up, Semana Santa dip, rush before the deadline */
  {2024, 1, 20, 14}, {2024, 2, 5, 24}, {2024, 2, 20, 55}, {2024, 3, 10, 120},
  {2024, 3, 23, 165}, {2024, 3, 30, 130}, {2024, 4, 7, 250},
  {2024, 4, 20, 400}, {2024, 5, 1, 650}, {2024, 5, 7, 1000},
};
static const guint32 WDAY[7] = { 105, 105, 105, 100, 95, 72, 60 };
static const guint32 MEDIO_W[] = { 861370, 96790, 41840 };
static const char *const MEDIO_S[] = { "portal", "junta", "opl" };
/* fecha_registro - fecha_solicitud, days */
static const guint32 LAG_W[] = { 58, 24, 8, 5, 3, 2 };

/* A cluster of 2..8 members (mean 5) starts with probability p per
 * non-member draw; p*5 / (1 + 4p) = 12.164% (4,192 / 34,462). */
#define ORG_START_PPM 26960

/* What the generator keeps from one row to the next. */
typedef struct
{
  Picker ent_p, medio_p, lag_p, causa_p;
  DayPlan plan;
  ErrPlan err;
  guint32 conv_start, curso_max, res_max;   /* julian days */
  guint64 folio;                            /* the last folio number taken */
  guint cluster_left, cluster_org, cluster_ent;
} SolGen;

/* The pickers, the day plan for N rows (one draw per day of the call) and
 * the error plan. */
static void
sol_gen_init (SolGen *g, GRand *r, guint64 n, gboolean errores)
{
  const guint32 conv_end = jday (2024, 5, 7);
  /* Published INE figures: 978 by 12 Oct 2023, 2,366 by 19 Jan 2024, 34,462
   * at the close (7 May 2024); the same shares are kept for any N. */
  const guint32 seg_end[3] = { jday (2023, 10, 12), jday (2024, 1, 19), conv_end };
  guint64 t1 = (n * 978 * 2 + 34462) / (34462 * 2);
  guint64 t12 = (n * 2366 * 2 + 34462) / (34462 * 2);
  guint64 seg_target[3] = { t1, t12 - t1, n - t12 };
  guint32 ent_w[N_ENT];

  memset (g, 0, sizeof *g);
  g->conv_start = jday (2023, 9, 7);
  g->curso_max = jday (2024, 5, 31);
  g->res_max = jday (2024, 6, 1);
  for (guint e = 0; e < N_ENT; e++)
    ent_w[e] = ENT[e].pop * 10;
  /* INE's January figures put Ciudad de México and Puebla far above their
   * population share (371 and 263 against Estado de México's 387). */
  ent_w[8] = ENT[8].pop * 18;
  ent_w[20] = ENT[20].pop * 18;
  picker_init (&g->ent_p, ent_w, N_ENT);
  picker_init (&g->medio_p, MEDIO_W, 3);
  picker_init (&g->lag_p, LAG_W, G_N_ELEMENTS (LAG_W));
  picker_init (&g->causa_p, CAUSA_W, G_N_ELEMENTS (CAUSA_W));
  day_plan_build (&g->plan, r, g->conv_start, conv_end, KNOTS, G_N_ELEMENTS (KNOTS),
                  WDAY, 20, seg_end, seg_target, 3);
  err_plan_init (&g->err, errores ? error_rows (n, 12) : 0, N_SE);
}

/* Dates, organisation, entidad and the first columns of a new row. */
static void
sol_row_start (SolGen *g, SolRow *row, GRand *r)
{
  guint32 lag;
  gboolean spelled;

  for (guint k = 0; k < S_NCOLS; k++)
    row->f[k] = "";
  row->skip = S_NCOLS;
  row->curso = row->res = 0;
  row->res_max = g->res_max;

  /* Dates: registration by the calibrated plan, filing a little before. */
  row->reg = g->plan.first + day_plan_next (&g->plan);
  lag = picker_draw (&g->lag_p, r);
  if (lag > row->reg - g->conv_start)
    lag = row->reg - g->conv_start;
  row->sol = row->reg - lag;

  /* Organisation members arrive in runs with the same organisation. */
  if (g->cluster_left == 0 && rnd_ppm (r, ORG_START_PPM))
    {
      g->cluster_left = (guint) rnd_range (r, 2, 8);
      g->cluster_org = rnd_below (r, G_N_ELEMENTS (ORGS));
      g->cluster_ent = picker_draw (&g->ent_p, r);
    }
  row->is_org = g->cluster_left > 0;
  if (row->is_org)
    g->cluster_left--;
  row->ent = (row->is_org && rnd_ppm (r, 850000)) ? g->cluster_ent : picker_draw (&g->ent_p, r);

  row->dmy = rnd_ppm (r, 10000);
  spelled = rnd_ppm (r, 10000);

  row->folio = ++g->folio;
  row->f[S_FOLIO] = fmt_id (row->b_folio, SOL_FOLIO_PREFIX, row->folio);
  row->f[S_ENTIDAD] = spelled ? entidad_spelling (r, row->ent, row->b_ent) : CLAVES[row->ent];
  row->f[S_FSOL] = fmt_date (row->b_sol, row->sol, row->dmy);
  row->f[S_FREG] = fmt_date (row->b_reg, row->reg, row->dmy);
  row->f[S_TIPO] = row->is_org ? "organizacion" : "individual";
  row->f[S_MEDIO] = MEDIO_S[picker_draw (&g->medio_p, r)];
}

/* Sex, then the person (name, CURP, age) consistent with it. */
static void
sol_row_person (SolRow *row, GRand *r)
{
  /* Sex shares of the 8 May 2024 cut-off (18,300 / 16,114 / 48), with
   * about 0.2% left blank. */
  guint32 sx = rnd_below (r, PPM);

  if (sx < 2000)
    row->f[S_SEXO] = "";
  else if (sx < 2000 + 1390)
    row->f[S_SEXO] = "no_binaria";
  else if (sx < 2000 + 1390 + 529958)
    row->f[S_SEXO] = "mujer";
  else
    row->f[S_SEXO] = "hombre";

  /* Name and CURP: invented, consistent with the row. */
  person_draw (&row->person, r, row->f[S_SEXO], row->sol, row->ent);
  row->f[S_NOMBRE] = row->person.nombre;
  row->f[S_CURP] = row->person.curp;
}

/* Age or birth date, district, organisation, disability, indigenous and
 * the modalities. */
static void
sol_row_profile (const SolGen *g, SolRow *row, GRand *r)
{
  /* About 10% of rows carry fecha_nacimiento instead of edad. */
  if (!rnd_ppm (r, 100000))
    row->f[S_EDAD] = fmt_uint (row->b_edad, row->person.age);
  else
    row->f[S_FNAC] = fmt_date (row->b_nac, row->person.birth, row->dmy);

  row->f[S_DISTRITO] = fmt_uint (row->b_dist, rnd_ppm (r, 120000) ? 0
                                 : (guint64) rnd_range (r, 1, (gint) ENT[row->ent].distritos));
  if (row->is_org)
    row->f[S_ORG] = ORGS[g->cluster_org];
  row->f[S_DISC] = rnd_ppm (r, 10000) ? "si" : "no";
  row->f[S_IND] = rnd_ppm (r, 30000) ? "si" : "no";

  /* Modalidades, independent: 4,447 / 735 / 84 of 34,462. */
  row->b_mods[0] = '\0';
  if (rnd_ppm (r, 129040))
    g_strlcat (row->b_mods, "VA", sizeof row->b_mods);
  if (rnd_ppm (r, 21330))
    g_strlcat (row->b_mods, row->b_mods[0] != '\0' ? ";VPPP" : "VPPP", sizeof row->b_mods);
  if (rnd_ppm (r, 2440))
    g_strlcat (row->b_mods, row->b_mods[0] != '\0' ? ";VMRE" : "VMRE", sizeof row->b_mods);
  row->f[S_MODS] = row->b_mods;
}

/* The course, 3..30 days after registration, mostly soon after; then, most
 * of the time, the resolution, 5..25 days after the course and by 1 June at
 * the latest.  Returns the resolution, or "" (row->res stays 0). */
static const char *
sol_row_course (const SolGen *g, SolRow *row, GRand *r)
{
  guint32 span = MIN (30u, g->curso_max - row->reg) - 3 + 1;
  guint32 u = rnd_below (r, 65536);
  guint32 c, maxoff, minoff, k;

  row->curso = row->reg + 3 + (guint32) (((guint64) span * u * u) >> 32);
  row->f[S_FCURSO] = fmt_date (row->b_curso, row->curso, row->dmy);
  /* Organisations train most of their own members; ine 80 / opl 12
   * / organizacion 8 overall. */
  c = rnd_below (r, PPM);
  if (row->is_org && c < 655000)
    row->f[S_CURSO_POR] = "organizacion";
  else
    row->f[S_CURSO_POR] = rnd_ppm (r, 869600) ? "ine" : "opl";
  row->f[S_CURSO_MOD] = rnd_ppm (r, 700000) ? "virtual" : "presencial";

  if (!rnd_ppm (r, 930000))
    return "";
  maxoff = MIN (25u, g->res_max - row->curso);
  minoff = MIN (5u, maxoff);
  k = rnd_below (r, PPM);
  row->res = row->curso + (guint32) rnd_range (r, (gint) minoff, (gint) maxoff);
  return k < 940000 ? "aprobada" : k < 980000 ? "improcedente" : "declinada";
}

/* Course and resolution columns. */
static void
sol_row_outcome (const SolGen *g, SolRow *row, GRand *r)
{
  const char *res_s = "";

  if (rnd_ppm (r, 880000))
    res_s = sol_row_course (g, row, r);
  else if (rnd_ppm (r, 30000))
    {
      /* No course at all: the consejo declares it improcedente. */
      row->res = row->reg + (guint32) rnd_range (r, 20, 50);
      row->res = MIN (row->res, g->res_max);
      res_s = "improcedente";
    }
  if (row->res != 0)
    {
      row->f[S_RES] = res_s;
      row->f[S_FRES] = fmt_date (row->b_res, row->res, row->dmy);
      row->f[S_CONSEJO] = rnd_ppm (r, 350000) ? "local" : "distrital";
      if (strcmp (res_s, "improcedente") == 0)
        row->f[S_CAUSA] = row->curso == 0 ? CAUSAS[0] : CAUSAS[picker_draw (&g->causa_p, r)];
    }
}

void
write_solicitudes (FILE *fp, GRand *r, const Options *o, Stats *st)
{
  const guint64 n = o->solicitudes;
  GString *line = g_string_sized_new (512);
  SolGen g;

  sol_gen_init (&g, r, n, o->errores);
  csv_row (fp, line, S_HEADER, S_NCOLS, S_NCOLS);
  for (guint64 i = 0; i < n; i++)
    {
      SolRow row;

      /* The order of these calls is the order of the draws. */
      sol_row_start (&g, &row, r);
      sol_row_person (&row, r);
      sol_row_profile (&g, &row, r);
      sol_row_outcome (&g, &row, r);
      if (err_plan_pick (&g.err, r, i, n))
        sol_defect (&row, r, err_plan_kind (&g.err, r), st);
      g.folio = row.folio;
      csv_row (fp, line, row.f, S_NCOLS, row.skip);
    }
  st->s_rows = n;
  day_plan_clear (&g.plan);
  g_string_free (line, TRUE);
}
