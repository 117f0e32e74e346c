/* synth_difusion.c - observa-synth's difusion.csv: outreach actions by OPLs and INE juntas, with low-OPL cases. */

#include <string.h>

#include "synth.h"

static const char *const D_HEADER[D_NCOLS] = {
  "id", "entidad", "instancia", "fecha", "fecha_registro", "tipo", "alcance",
  "descripcion", "municipio", "poblacion_objetivo",
};

/* OPLs that barely register outreach (0..4 actions in the whole process) so
 * that observa's "bajo número de acciones" flag has clear cases: Campeche,
 * Guerrero, Quintana Roo, Tlaxcala (0-based indices). */
static const guint LOW_OPL[4] = { 3, 11, 22, 28 };

/* Two more OPLs at about a third of normal: flagged only by the
 * fraction-of-median rule, never by the absolute minimum (Chihuahua, Sinaloa). */
static const guint LOWISH_OPL[2] = { 7, 24 };

enum
{
  T_RS, T_WEB, T_RAD, T_TV, T_PREN, T_ENT, T_CART, T_IMP, T_PERI, T_PLAT,
  T_MOD, T_EXT, T_DIG, T_OFI, T_OTR, N_TIPOS
};

static const char *const TIPO_COD[N_TIPOS] = {
  "rs", "web", "rad", "tv", "pren", "ent", "cart", "imp", "peri", "plat",
  "mod", "ext", "dig", "ofi", "otr",
};
static const guint32 TIPO_W[N_TIPOS] = { 26, 7, 4, 1, 3, 8, 10, 6, 2, 16, 5, 2, 4, 4, 2 };

/* Median reach per type; rs, tv and radio reach far more people. */
static const guint32 TIPO_MEDIANA[N_TIPOS] = {
  1800, 900, 6000, 12000, 3000, 2500, 300, 250, 500, 60, 150, 2000, 800, 40, 120,
};

static const char *const TIPO_DESC[N_TIPOS][3] = {
  {"Publicación en redes sociales sobre la convocatoria", "Transmisión en vivo, con preguntas del público",
   "Campaña en redes con infografías"},
  {"Banner en el portal institucional", "Micrositio de observación electoral", "Nota informativa en la página web"},
  {"Spot de radio sobre la convocatoria", "Entrevista en radio comunitaria",
   "Cápsula radiofónica, en español y lengua indígena"},
  {"Spot en televisión local", "Participación en noticiero local", "Cápsula informativa en televisión"},
  {"Inserción en periódico local", "Nota en prensa escrita", "Desplegado en diario de circulación estatal"},
  {"Rueda de prensa sobre la convocatoria", "Entrevista a la consejera presidenta",
   "Boletín de prensa, con requisitos y plazos"},
  {"Colocación de carteles en espacios públicos", "Lona informativa en oficinas",
   "Carteles en universidades y mercados"},
  {"Entrega de trípticos en la vía pública", "Reparto de volantes informativos", "Folletos en módulos de atención"},
  {"Perifoneo en colonias y comunidades", "Perifoneo en cabecera municipal", "Recorrido con perifoneo"},
  {"Plática informativa en preparatoria", "Taller sobre observación electoral, dirigido a jóvenes",
   "Conferencia en universidad"},
  {"Módulo informativo en plaza pública", "Stand en feria regional", "Módulo itinerante de información"},
  {"Espectacular en avenida principal", "Barda pintada con la convocatoria", "Publicidad en transporte público"},
  {"Video promocional de la convocatoria", "Podcast sobre la observación electoral",
   "Código QR en materiales de difusión"},
  {"Oficio de invitación a instituciones educativas", "Correo a organizaciones de la sociedad civil",
   "Invitación por oficio a colegios de profesionistas"},
  {"Difusión en evento cultural", "Mensaje en asamblea comunitaria", "Actividad de difusión, sin clasificar"},
};

static const char *const POBLACION[] = {
  "Población en general", "Estudiantes universitarios",
  "Estudiantes de nivel medio superior", "Personas jóvenes",
  "Organizaciones de la sociedad civil", "Mujeres", "Personas indígenas",
  "Personas con discapacidad", "Personas adultas mayores",
  "Comunidad académica, docentes y estudiantes", "Servidoras y servidores públicos",
  "Colegios y asociaciones de profesionistas",
};
static const guint32 POBLACION_W[] = { 34, 18, 10, 9, 6, 5, 4, 3, 3, 4, 2, 2 };

/* 10^(k/20) for k = 0..19, in thousandths: log-normal reach by table lookup. */
static const guint32 DECI_DECADE[20] = {
  1000, 1122, 1259, 1413, 1585, 1778, 1995, 2239, 2512, 2818,
  3162, 3548, 3981, 4467, 5012, 5623, 6310, 7079, 7943, 8913,
};

/* The reach (people) of an action of type TIPO: log-normal around the
 * type's median, floored at 10..24, capped, and mostly rounded; 5 or 6 draws. */
static guint64
draw_alcance (GRand *r, guint tipo)
{
  /* Steps of a twentieth of a decade, bell-shaped (sd ~ 0.43 decades). */
  gint k = rnd_range (r, 0, 14) + rnd_range (r, 0, 14) + rnd_range (r, 0, 14)
    + rnd_range (r, 0, 14) - 28;
  gint q = k >= 0 ? k / 20 : -((-k + 19) / 20);
  guint idx = (guint) (k - 20 * q);
  guint64 v = (guint64) TIPO_MEDIANA[tipo] * DECI_DECADE[idx] * (1000 + rnd_below (r, 122));
  guint64 hi = (tipo == T_RS || tipo == T_TV || tipo == T_RAD) ? 200000 : 50000;

  for (; q > 0; q--)
    v *= 10;
  for (; q < 0; q++)
    v /= 10;
  v /= 1000000;
  /* A floor with some spread, so small actions do not pile up on one value. */
  if (v < 10)
    v = 10 + rnd_below (r, 15);
  v = MIN (v, hi);
  /* People report round estimates most of the time. */
  if (v >= 100 && rnd_ppm (r, 600000))
    {
      guint64 unit = 1;

      while (v / unit >= 100)
        unit *= 10;
      v = (v + unit / 2) / unit * unit;
    }
  return v;
}

/* Smooth weighted round-robin with one pick in four left to chance: the
 * per-entidad OPL counts then track their weights closely at every cut-off,
 * so which OPLs observa flags as low does not hinge on luck.  Credits sum to
 * zero after each pick, so an entidad of weight 0 is never the maximum. */
static guint
opl_pick (gint64 credit[N_ENT], const guint32 w[N_ENT], const Picker *p, GRand *r)
{
  gint64 total = p->cum[p->n - 1];
  guint best = 0;

  for (guint e = 0; e < N_ENT; e++)
    {
      credit[e] += w[e];
      if (credit[e] > credit[best])
        best = e;
    }
  if (rnd_ppm (r, 250000))
    best = picker_draw (p, r);
  credit[best] -= total;
  return best;
}

/* Daily intensity of outreach over the process. */
static const RateKnot KNOTS[] = {
  {2023, 9, 1, 60}, {2023, 9, 7, 120}, {2023, 10, 10, 110}, {2023, 11, 10, 55},
  {2023, 12, 10, 35}, {2023, 12, 22, 10}, {2024, 1, 8, 30}, {2024, 2, 5, 50},
  {2024, 3, 1, 90}, {2024, 3, 23, 85}, {2024, 3, 28, 55}, {2024, 4, 2, 105},
  {2024, 4, 25, 120}, {2024, 5, 7, 95},
};
static const guint32 WDAY[7] = { 110, 110, 110, 110, 100, 45, 20 };
static const guint32 INST_W[3] = { 38, 20, 42 };
static const char *const INST_S[3] = { "opl", "jle", "jde" };
/* fecha_registro - fecha, days */
static const guint32 LAG_W[] = { 45, 22, 13, 6, 4, 3, 2, 2, 1, 1, 1 };

/* What the generator keeps from one row to the next. */
typedef struct
{
  guint32 opl_w[N_ENT], jle_w[N_ENT], jde_w[N_ENT];
  gint64 opl_credit[N_ENT];
  Picker opl_p, jle_p, jde_p, inst_p, tipo_p, lag_p, pob_p;
  /* Forced OPL actions of the four low OPLs: (row, entidad), at most 16,
   * sorted by row; next_forced is the first not reached yet. */
  guint64 forced_row[16];
  guint forced_ent[16], nforced, next_forced;
  DayPlan plan;
  ErrPlan err;
  guint64 id;                   /* the last id number taken */
} DifGen;

/* The weights of each instancia's entidades, and the pickers.  No draw. */
static void
dif_gen_weights (DifGen *g)
{
  /* OPL outreach depends on the institute more than on population, so its
   * weights are damped; JDE actions scale with the number of district
   * juntas, JLE ones (one junta per entidad) only mildly with population. */
  for (guint e = 0; e < N_ENT; e++)
    {
      g->opl_w[e] = 10000 + 12 * ENT[e].pop;
      g->jle_w[e] = 10000 + 20 * ENT[e].pop;
      g->jde_w[e] = 1000 * ENT[e].distritos;
    }
  for (guint i = 0; i < G_N_ELEMENTS (LOWISH_OPL); i++)
    g->opl_w[LOWISH_OPL[i]] /= 3;
  for (guint i = 0; i < G_N_ELEMENTS (LOW_OPL); i++)
    g->opl_w[LOW_OPL[i]] = 0;
  picker_init (&g->opl_p, g->opl_w, N_ENT);
  picker_init (&g->jle_p, g->jle_w, N_ENT);
  picker_init (&g->jde_p, g->jde_w, N_ENT);
  picker_init (&g->inst_p, INST_W, 3);
  picker_init (&g->tipo_p, TIPO_W, N_TIPOS);
  picker_init (&g->lag_p, LAG_W, G_N_ELEMENTS (LAG_W));
  picker_init (&g->pob_p, POBLACION_W, G_N_ELEMENTS (POBLACION_W));
}

/* The low OPLs get 0..4 actions each at random rows of the whole period,
 * whatever N is, so they stay flagged at every cut-off (none at all in
 * tiny files, where four forced rows would be most of the file). */
static void
dif_gen_force_low (DifGen *g, GRand *r, guint64 n)
{
  static const guint32 count_w[5] = { 15, 20, 25, 25, 15 };

  if (n < 500)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (LOW_OPL); i++)
    {
      Picker cp;
      guint c;

      picker_init (&cp, count_w, 5);
      c = picker_draw (&cp, r);
      for (guint k = 0; k < c; k++)
        {
          guint64 row = rnd_below (r, (guint32) n);
          guint at = g->nforced++;

          /* insertion keeps the list sorted by row */
          while (at > 0 && g->forced_row[at - 1] > row)
            {
              g->forced_row[at] = g->forced_row[at - 1];
              g->forced_ent[at] = g->forced_ent[at - 1];
              at--;
            }
          g->forced_row[at] = row;
          g->forced_ent[at] = LOW_OPL[i];
        }
    }
}

/* Weights, forced rows, the day plan for N rows (one draw per day) and the
 * error plan, in that order. */
static void
dif_gen_init (DifGen *g, GRand *r, guint64 n, gboolean errores)
{
  const guint32 first = jday (2023, 9, 1);
  const guint32 last = jday (2024, 5, 7);
  guint64 seg_target[1] = { n };
  guint32 seg_end[1] = { last };

  memset (g, 0, sizeof *g);
  dif_gen_weights (g);
  dif_gen_force_low (g, r, n);
  day_plan_build (&g->plan, r, first, last, KNOTS, G_N_ELEMENTS (KNOTS), WDAY, 40,
                  seg_end, seg_target, 1);
  err_plan_init (&g->err, errores ? error_rows (n, 6) : 0, N_DE);
}

/* The instancia (index into INST_S) of row I, and its entidad in *ENT. */
static guint
dif_row_origin (DifGen *g, GRand *r, guint64 i, guint *ent)
{
  guint inst;

  /* Several forced entries may share a row; only the first one counts,
   * which can only lower the low OPLs' totals. */
  if (g->next_forced < g->nforced && g->forced_row[g->next_forced] == i)
    {
      *ent = g->forced_ent[g->next_forced];
      while (g->next_forced < g->nforced && g->forced_row[g->next_forced] == i)
        g->next_forced++;
      return 0;
    }
  inst = picker_draw (&g->inst_p, r);
  *ent = inst == 0 ? opl_pick (g->opl_credit, g->opl_w, &g->opl_p, r)
    : picker_draw (inst == 1 ? &g->jle_p : &g->jde_p, r);
  return inst;
}

/* Reach, description, municipio and target population. */
static void
dif_row_details (const DifGen *g, DifRow *row, GRand *r, guint inst, guint tipo)
{
  if (!rnd_ppm (r, 50000))
    row->f[D_ALCANCE] = fmt_uint (row->b_alc, draw_alcance (r, tipo));
  row->f[D_DESC] = TIPO_DESC[tipo][rnd_below (r, 3)];
  if (!rnd_ppm (r, 60000))
    {
      /* JLE actions happen mostly in the capital. */
      guint32 m = rnd_below (r, 100);
      guint mi = m < (inst == 1 ? 75u : 45u) ? 0 : m < 80 ? 1 : 2;

      row->f[D_MUNICIPIO] = ENT[row->ent].municipios[mi];
    }
  if (!rnd_ppm (r, 40000))
    row->f[D_POBLACION] = POBLACION[picker_draw (&g->pob_p, r)];
}

/* Row I (0-based), without deliberate errors. */
static void
dif_row_build (DifGen *g, DifRow *row, GRand *r, guint64 i)
{
  guint32 fecha, reg;
  guint inst, tipo;
  gboolean dmy, spelled;

  for (guint k = 0; k < D_NCOLS; k++)
    row->f[k] = "";
  fecha = g->plan.first + day_plan_next (&g->plan);
  reg = fecha + picker_draw (&g->lag_p, r);
  inst = dif_row_origin (g, r, i, &row->ent);
  tipo = picker_draw (&g->tipo_p, r);
  dmy = rnd_ppm (r, 10000);
  spelled = rnd_ppm (r, 10000);

  row->id = ++g->id;
  row->f[D_ID] = fmt_id (row->b_id, DIF_ID_PREFIX, row->id);
  row->f[D_ENTIDAD] = spelled ? entidad_spelling (r, row->ent, row->b_ent) : CLAVES[row->ent];
  row->f[D_INSTANCIA] = INST_S[inst];
  row->f[D_FECHA] = fmt_date (row->b_fecha, fecha, dmy);
  row->f[D_FREG] = fmt_date (row->b_reg, reg, dmy);
  row->f[D_TIPO] = TIPO_COD[tipo];
  dif_row_details (g, row, r, inst, tipo);
}

void
write_difusion (FILE *fp, GRand *r, const Options *o, Stats *st)
{
  const guint64 n = o->difusion;
  GString *line = g_string_sized_new (256);
  DifGen g;

  dif_gen_init (&g, r, n, o->errores);
  csv_row (fp, line, D_HEADER, D_NCOLS, D_NCOLS);
  for (guint64 i = 0; i < n; i++)
    {
      DifRow row;

      dif_row_build (&g, &row, r, i);
      if (err_plan_pick (&g.err, r, i, n))
        dif_defect (&row, r, err_plan_kind (&g.err, r), st);
      g.id = row.id;
      csv_row (fp, line, row.f, D_NCOLS, D_NCOLS);
    }
  st->d_rows = n;
  day_plan_clear (&g.plan);
  g_string_free (line, TRUE);
}
