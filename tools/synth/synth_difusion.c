/* synth_difusion.c - observa-synth's difusion.csv: outreach actions by OPLs and INE juntas, with low-OPL cases. */

#include "synth.h"

enum
{
  D_ID, D_ENTIDAD, D_INSTANCIA, D_FECHA, D_FREG, D_TIPO, D_ALCANCE, D_DESC,
  D_MUNICIPIO, D_POBLACION, D_NCOLS
};

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
  {"Publicación en redes sociales sobre la convocatoria", "Transmisión en vivo, con preguntas del público", "Campaña en redes con infografías"},
  {"Banner en el portal institucional", "Micrositio de observación electoral", "Nota informativa en la página web"},
  {"Spot de radio sobre la convocatoria", "Entrevista en radio comunitaria", "Cápsula radiofónica, en español y lengua indígena"},
  {"Spot en televisión local", "Participación en noticiero local", "Cápsula informativa en televisión"},
  {"Inserción en periódico local", "Nota en prensa escrita", "Desplegado en diario de circulación estatal"},
  {"Rueda de prensa sobre la convocatoria", "Entrevista a la consejera presidenta", "Boletín de prensa, con requisitos y plazos"},
  {"Colocación de carteles en espacios públicos", "Lona informativa en oficinas", "Carteles en universidades y mercados"},
  {"Entrega de trípticos en la vía pública", "Reparto de volantes informativos", "Folletos en módulos de atención"},
  {"Perifoneo en colonias y comunidades", "Perifoneo en cabecera municipal", "Recorrido con perifoneo"},
  {"Plática informativa en preparatoria", "Taller sobre observación electoral, dirigido a jóvenes", "Conferencia en universidad"},
  {"Módulo informativo en plaza pública", "Stand en feria regional", "Módulo itinerante de información"},
  {"Espectacular en avenida principal", "Barda pintada con la convocatoria", "Publicidad en transporte público"},
  {"Video promocional de la convocatoria", "Podcast sobre la observación electoral", "Código QR en materiales de difusión"},
  {"Oficio de invitación a instituciones educativas", "Correo a organizaciones de la sociedad civil", "Invitación por oficio a colegios de profesionistas"},
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

void
write_difusion (FILE *fp, GRand *r, const Options *o, Stats *st)
{
  static const RateKnot knots[] = {
    {2023, 9, 1, 60}, {2023, 9, 7, 120}, {2023, 10, 10, 110}, {2023, 11, 10, 55},
    {2023, 12, 10, 35}, {2023, 12, 22, 10}, {2024, 1, 8, 30}, {2024, 2, 5, 50},
    {2024, 3, 1, 90}, {2024, 3, 23, 85}, {2024, 3, 28, 55}, {2024, 4, 2, 105},
    {2024, 4, 25, 120}, {2024, 5, 7, 95},
  };
  static const guint32 wday[7] = { 110, 110, 110, 110, 100, 45, 20 };
  static const guint32 inst_w[3] = { 38, 20, 42 };
  static const char *const inst_s[3] = { "opl", "jle", "jde" };
  static const guint32 lag_w[] = { 45, 22, 13, 6, 4, 3, 2, 2, 1, 1, 1 };
  const guint32 first = jday (2023, 9, 1);
  const guint32 last = jday (2024, 5, 7);
  const guint64 n = o->difusion;
  guint64 seg_target[1] = { n };
  guint32 seg_end[1] = { last };
  guint32 opl_w[N_ENT], jle_w[N_ENT], jde_w[N_ENT];
  gint64 opl_credit[N_ENT] = { 0 };
  Picker opl_p, jle_p, jde_p, inst_p, tipo_p, lag_p, pob_p;
  /* Forced OPL actions of the four low OPLs: (row, entidad), at most 16. */
  guint64 forced_row[16];
  guint forced_ent[16], nforced = 0;
  DayPlan plan;
  ErrPlan err;
  GString *line = g_string_sized_new (256);
  guint64 id = 0;

  /* OPL outreach depends on the institute more than on population, so its
   * weights are damped; JDE actions scale with the number of district
   * juntas, JLE ones (one junta per entidad) only mildly with population. */
  for (guint e = 0; e < N_ENT; e++)
    {
      opl_w[e] = 10000 + 12 * ENT[e].pop;
      jle_w[e] = 10000 + 20 * ENT[e].pop;
      jde_w[e] = 1000 * ENT[e].distritos;
    }
  for (guint i = 0; i < G_N_ELEMENTS (LOWISH_OPL); i++)
    opl_w[LOWISH_OPL[i]] /= 3;
  for (guint i = 0; i < G_N_ELEMENTS (LOW_OPL); i++)
    opl_w[LOW_OPL[i]] = 0;
  picker_init (&opl_p, opl_w, N_ENT);
  picker_init (&jle_p, jle_w, N_ENT);
  picker_init (&jde_p, jde_w, N_ENT);
  picker_init (&inst_p, inst_w, 3);
  picker_init (&tipo_p, TIPO_W, N_TIPOS);
  picker_init (&lag_p, lag_w, G_N_ELEMENTS (lag_w));
  picker_init (&pob_p, POBLACION_W, G_N_ELEMENTS (POBLACION_W));

  /* The low OPLs get 0..4 actions each at random rows of the whole period,
   * whatever N is, so they stay flagged at every cut-off (none at all in
   * tiny files, where four forced rows would be most of the file). */
  if (n >= 500)
    for (guint i = 0; i < G_N_ELEMENTS (LOW_OPL); i++)
      {
        static const guint32 count_w[5] = { 15, 20, 25, 25, 15 };
        Picker cp;
        guint c;

        picker_init (&cp, count_w, 5);
        c = picker_draw (&cp, r);
        for (guint k = 0; k < c; k++)
          {
            guint64 row = rnd_below (r, (guint32) n);
            guint at = nforced++;

            /* insertion keeps the list sorted by row */
            while (at > 0 && forced_row[at - 1] > row)
              {
                forced_row[at] = forced_row[at - 1];
                forced_ent[at] = forced_ent[at - 1];
                at--;
              }
            forced_row[at] = row;
            forced_ent[at] = LOW_OPL[i];
          }
      }

  day_plan_build (&plan, r, first, last, knots, G_N_ELEMENTS (knots), wday, 40,
                  seg_end, seg_target, 1);
  err_plan_init (&err, o->errores ? error_rows (n, 6) : 0, N_DE);

  csv_row (fp, line, D_HEADER, D_NCOLS, D_NCOLS);
  for (guint64 i = 0, fi = 0; i < n; i++)
    {
      const char *f[D_NCOLS];
      char b_id[40], b_ent[24], b_fecha[11], b_reg[11], b_alc[24];
      guint32 fecha, reg;
      guint inst, ent, tipo;
      gboolean dmy, spelled;

      for (guint k = 0; k < D_NCOLS; k++)
        f[k] = "";
      fecha = plan.first + day_plan_next (&plan);
      reg = fecha + picker_draw (&lag_p, r);

      /* Several forced entries may share a row; only the first one counts,
       * which can only lower the low OPLs' totals. */
      if (fi < nforced && forced_row[fi] == i)
        {
          inst = 0;
          ent = forced_ent[fi];
          while (fi < nforced && forced_row[fi] == i)
            fi++;
        }
      else
        {
          inst = picker_draw (&inst_p, r);
          ent = inst == 0 ? opl_pick (opl_credit, opl_w, &opl_p, r)
            : picker_draw (inst == 1 ? &jle_p : &jde_p, r);
        }
      tipo = picker_draw (&tipo_p, r);
      dmy = rnd_ppm (r, 10000);
      spelled = rnd_ppm (r, 10000);

      f[D_ID] = fmt_id (b_id, "DIF-", ++id);
      f[D_ENTIDAD] = spelled ? entidad_spelling (r, ent, b_ent) : CLAVES[ent];
      f[D_INSTANCIA] = inst_s[inst];
      f[D_FECHA] = fmt_date (b_fecha, fecha, dmy);
      f[D_FREG] = fmt_date (b_reg, reg, dmy);
      f[D_TIPO] = TIPO_COD[tipo];
      if (!rnd_ppm (r, 50000))
        f[D_ALCANCE] = fmt_uint (b_alc, draw_alcance (r, tipo));
      f[D_DESC] = TIPO_DESC[tipo][rnd_below (r, 3)];
      if (!rnd_ppm (r, 60000))
        {
          /* JLE actions happen mostly in the capital. */
          guint32 m = rnd_below (r, 100);
          guint mi = m < (inst == 1 ? 75u : 45u) ? 0 : m < 80 ? 1 : 2;

          f[D_MUNICIPIO] = ENT[ent].municipios[mi];
        }
      if (!rnd_ppm (r, 40000))
        f[D_POBLACION] = POBLACION[picker_draw (&pob_p, r)];

      if (err_plan_pick (&err, r, i, n))
        {
          guint kind = err_plan_kind (&err, r);
          guint v = (guint) st->d_kind[kind];

          st->d_err++;
          st->d_kind[kind]++;
          f[D_ENTIDAD] = CLAVES[ent];
          switch (kind)
            {
            case DE_ALC_NEG:
              f[D_ALCANCE] = "-5";
              break;
            case DE_ALC_TEXTO:
              f[D_ALCANCE] = "muchos";
              break;
            case DE_INSTANCIA:
              f[D_INSTANCIA] = "municipio";
              break;
            case DE_ID:
              id--;
              fmt_id (b_id, "DIF-", id - rnd_below (r, (guint32) MIN (id, 50u)));
              break;
            case DE_FECHA:
              f[D_FECHA] = BAD_DATES[v % 3];
              break;
            case DE_TIPO:
            default:
              f[D_TIPO] = "globos";
              break;
            }
        }
      csv_row (fp, line, f, D_NCOLS, D_NCOLS);
    }
  st->d_rows = n;
  day_plan_clear (&plan);
  g_string_free (line, TRUE);
}
