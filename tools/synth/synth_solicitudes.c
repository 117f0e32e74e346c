/* synth_solicitudes.c - observa-synth's solicitudes.csv: registrations of the 2023-2024 call, courses, resolutions. */

#include <string.h>

#include "synth.h"

enum
{
  S_FOLIO, S_ENTIDAD, S_FSOL, S_FREG, S_TIPO, S_MEDIO, S_SEXO, S_EDAD,
  S_FNAC, S_DISTRITO, S_ORG, S_DISC, S_IND, S_MODS, S_FCURSO, S_CURSO_POR,
  S_CURSO_MOD, S_RES, S_FRES, S_CONSEJO, S_CAUSA, S_NOMBRE, S_CURP, S_NCOLS
};

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

void
write_solicitudes (FILE *fp, GRand *r, const Options *o, Stats *st)
{
  static const RateKnot knots[] = {
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
  static const guint32 wday[7] = { 105, 105, 105, 100, 95, 72, 60 };
  static const guint32 medio_w[] = { 861370, 96790, 41840 };
  static const char *const medio_s[] = { "portal", "junta", "opl" };
  /* fecha_registro - fecha_solicitud, days */
  static const guint32 lag_w[] = { 58, 24, 8, 5, 3, 2 };
  const guint32 conv_start = jday (2023, 9, 7);
  const guint32 conv_end = jday (2024, 5, 7);
  const guint32 curso_max = jday (2024, 5, 31);
  const guint32 res_max = jday (2024, 6, 1);
  /* Published INE figures: 978 by 12 Oct 2023, 2,366 by 19 Jan 2024, 34,462
   * at the close (7 May 2024); the same shares are kept for any N. */
  const guint32 seg_end[3] = { jday (2023, 10, 12), jday (2024, 1, 19), conv_end };
  const guint64 n = o->solicitudes;
  guint64 t1 = (n * 978 * 2 + 34462) / (34462 * 2);
  guint64 t12 = (n * 2366 * 2 + 34462) / (34462 * 2);
  guint64 seg_target[3] = { t1, t12 - t1, n - t12 };
  guint32 ent_w[N_ENT];
  Picker ent_p, medio_p, lag_p, causa_p;
  DayPlan plan;
  ErrPlan err;
  GString *line = g_string_sized_new (512);
  guint64 folio = 0;
  guint cluster_left = 0, cluster_org = 0, cluster_ent = 0;
  /* A cluster of 2..8 members (mean 5) starts with probability p per
   * non-member draw; p*5 / (1 + 4p) = 12.164% (4,192 / 34,462). */
  const guint32 org_start_ppm = 26960;

  for (guint e = 0; e < N_ENT; e++)
    ent_w[e] = ENT[e].pop * 10;
  /* INE's January figures put Ciudad de México and Puebla far above their
   * population share (371 and 263 against Estado de México's 387). */
  ent_w[8] = ENT[8].pop * 18;
  ent_w[20] = ENT[20].pop * 18;
  picker_init (&ent_p, ent_w, N_ENT);
  picker_init (&medio_p, medio_w, 3);
  picker_init (&lag_p, lag_w, G_N_ELEMENTS (lag_w));
  picker_init (&causa_p, CAUSA_W, G_N_ELEMENTS (CAUSA_W));
  day_plan_build (&plan, r, conv_start, conv_end, knots, G_N_ELEMENTS (knots),
                  wday, 20, seg_end, seg_target, 3);
  err_plan_init (&err, o->errores ? error_rows (n, 12) : 0, N_SE);

  csv_row (fp, line, S_HEADER, S_NCOLS, S_NCOLS);
  for (guint64 i = 0; i < n; i++)
    {
      const char *f[S_NCOLS];
      char b_folio[40], b_ent[24], b_sol[11], b_reg[11], b_nac[11], b_curso[11],
        b_res[11], b_edad[24], b_dist[24], b_mods[16], b_nombre[160], b_curp[19];
      guint32 reg, sol, birth, curso = 0, res = 0;
      guint32 lag, ent, age, sx;
      gboolean is_org, dmy, spelled, has_edad;
      const char *given, *sur1, *sur2, *res_s = "";
      guint skip = S_NCOLS;

      for (guint k = 0; k < S_NCOLS; k++)
        f[k] = "";

      /* Dates: registration by the calibrated plan, filing a little before. */
      reg = plan.first + day_plan_next (&plan);
      lag = picker_draw (&lag_p, r);
      if (lag > reg - conv_start)
        lag = reg - conv_start;
      sol = reg - lag;

      /* Organisation members arrive in runs with the same organisation. */
      if (cluster_left == 0 && rnd_ppm (r, org_start_ppm))
        {
          cluster_left = (guint) rnd_range (r, 2, 8);
          cluster_org = rnd_below (r, G_N_ELEMENTS (ORGS));
          cluster_ent = picker_draw (&ent_p, r);
        }
      is_org = cluster_left > 0;
      if (is_org)
        cluster_left--;
      ent = (is_org && rnd_ppm (r, 850000)) ? cluster_ent : picker_draw (&ent_p, r);

      dmy = rnd_ppm (r, 10000);
      spelled = rnd_ppm (r, 10000);

      fmt_id (b_folio, "OBS-2023-", ++folio);
      f[S_FOLIO] = b_folio;
      f[S_ENTIDAD] = spelled ? entidad_spelling (r, ent, b_ent) : CLAVES[ent];
      f[S_FSOL] = fmt_date (b_sol, sol, dmy);
      f[S_FREG] = fmt_date (b_reg, reg, dmy);
      f[S_TIPO] = is_org ? "organizacion" : "individual";
      f[S_MEDIO] = medio_s[picker_draw (&medio_p, r)];

      /* Sex shares of the 8 May 2024 cut-off (18,300 / 16,114 / 48), with
       * about 0.2% left blank. */
      sx = rnd_below (r, PPM);
      if (sx < 2000)
        f[S_SEXO] = "";
      else if (sx < 2000 + 1390)
        f[S_SEXO] = "no_binaria";
      else if (sx < 2000 + 1390 + 529958)
        f[S_SEXO] = "mujer";
      else
        f[S_SEXO] = "hombre";

      /* Name and CURP: invented, consistent with the row. */
      {
        gboolean fem = f[S_SEXO][0] == 'm' || (f[S_SEXO][0] != 'h' && rnd_ppm (r, 500000));
        char sexc = f[S_SEXO][0] == 'n' ? 'X' : (fem ? 'M' : 'H');

        given = fem ? NOMBRES_M[rnd_below (r, G_N_ELEMENTS (NOMBRES_M))]
          : NOMBRES_H[rnd_below (r, G_N_ELEMENTS (NOMBRES_H))];
        sur1 = APELLIDOS[rnd_below (r, G_N_ELEMENTS (APELLIDOS))];
        sur2 = rnd_ppm (r, 20000) ? NULL : APELLIDOS[rnd_below (r, G_N_ELEMENTS (APELLIDOS))];
        age = draw_age (r);
        birth = years_before (sol, age) - rnd_below (r, 365);
        {
          guint32 place = rnd_below (r, 100);
          const char *state = place < 92 ? ENT[ent].curp
            : place < 99 ? ENT[rnd_below (r, N_ENT)].curp : "NE";
          GDate g;
          char diff;

          /* RENAPO's 17th character is a digit for births before 2000 and
           * a letter after, nearly always the first of its range. */
          g_date_clear (&g, 1);
          g_date_set_julian (&g, birth);
          diff = g_date_get_year (&g) < 2000 ? '0' : 'A';
          if (rnd_ppm (r, 100000))
            diff++;
          make_curp (b_curp, given, sur1, sur2, birth, sexc, state, diff);
        }
        g_snprintf (b_nombre, sizeof b_nombre, "%s %s%s%s", given, sur1,
                    sur2 != NULL ? " " : "", sur2 != NULL ? sur2 : "");
        f[S_NOMBRE] = b_nombre;
        f[S_CURP] = b_curp;
      }

      /* About 10% of rows carry fecha_nacimiento instead of edad. */
      has_edad = !rnd_ppm (r, 100000);
      if (has_edad)
        f[S_EDAD] = fmt_uint (b_edad, age);
      else
        f[S_FNAC] = fmt_date (b_nac, birth, dmy);

      f[S_DISTRITO] = fmt_uint (b_dist, rnd_ppm (r, 120000) ? 0
                                : (guint64) rnd_range (r, 1, (gint) ENT[ent].distritos));
      if (is_org)
        f[S_ORG] = ORGS[cluster_org];
      f[S_DISC] = rnd_ppm (r, 10000) ? "si" : "no";
      f[S_IND] = rnd_ppm (r, 30000) ? "si" : "no";

      /* Modalidades, independent: 4,447 / 735 / 84 of 34,462. */
      b_mods[0] = '\0';
      if (rnd_ppm (r, 129040))
        g_strlcat (b_mods, "VA", sizeof b_mods);
      if (rnd_ppm (r, 21330))
        g_strlcat (b_mods, b_mods[0] != '\0' ? ";VPPP" : "VPPP", sizeof b_mods);
      if (rnd_ppm (r, 2440))
        g_strlcat (b_mods, b_mods[0] != '\0' ? ";VMRE" : "VMRE", sizeof b_mods);
      f[S_MODS] = b_mods;

      /* Course 3..30 days after registration, mostly soon after. */
      if (rnd_ppm (r, 880000))
        {
          guint32 span = MIN (30u, curso_max - reg) - 3 + 1;
          guint32 u = rnd_below (r, 65536);
          guint32 c;

          curso = reg + 3 + (guint32) (((guint64) span * u * u) >> 32);
          f[S_FCURSO] = fmt_date (b_curso, curso, dmy);
          /* Organisations train most of their own members; ine 80 / opl 12
           * / organizacion 8 overall. */
          c = rnd_below (r, PPM);
          if (is_org && c < 655000)
            f[S_CURSO_POR] = "organizacion";
          else
            f[S_CURSO_POR] = rnd_ppm (r, 869600) ? "ine" : "opl";
          f[S_CURSO_MOD] = rnd_ppm (r, 700000) ? "virtual" : "presencial";

          /* Resolution 5..25 days after the course, by 1 June at the latest. */
          if (rnd_ppm (r, 930000))
            {
              guint32 maxoff = MIN (25u, res_max - curso);
              guint32 minoff = MIN (5u, maxoff);
              guint32 k = rnd_below (r, PPM);

              res = curso + (guint32) rnd_range (r, (gint) minoff, (gint) maxoff);
              res_s = k < 940000 ? "aprobada" : k < 980000 ? "improcedente" : "declinada";
            }
        }
      else if (rnd_ppm (r, 30000))
        {
          /* No course at all: the consejo declares it improcedente. */
          res = reg + (guint32) rnd_range (r, 20, 50);
          res = MIN (res, res_max);
          res_s = "improcedente";
        }
      if (res != 0)
        {
          f[S_RES] = res_s;
          f[S_FRES] = fmt_date (b_res, res, dmy);
          f[S_CONSEJO] = rnd_ppm (r, 350000) ? "local" : "distrital";
          if (strcmp (res_s, "improcedente") == 0)
            f[S_CAUSA] = curso == 0 ? CAUSAS[0] : CAUSAS[picker_draw (&causa_p, r)];
        }

      if (err_plan_pick (&err, r, i, n))
        {
          guint kind = err_plan_kind (&err, r);
          /* Variants of a kind take turns so that a small sample still
           * shows each of them (e.g. both "33" and "Atlantis"). */
          guint v = (guint) st->s_kind[kind];

          st->s_err++;
          st->s_kind[kind]++;
          /* Error rows use canonical spellings so each has one defect only. */
          f[S_ENTIDAD] = CLAVES[ent];
          switch (kind)
            {
            case SE_FECHA:
              f[v % 2 == 0 ? S_FSOL : S_FREG] = BAD_DATES[v % 3];
              break;
            case SE_ENTIDAD:
              f[S_ENTIDAD] = v % 2 == 0 ? "33" : "Atlantis";
              break;
            case SE_VACIO:
              f[v % 2 == 0 ? S_MEDIO : S_TIPO] = "";
              break;
            case SE_MEDIO:
              f[S_MEDIO] = "fax";
              break;
            case SE_FOLIO:
              /* Copy one of the last 50 folios; this row takes no number. */
              folio--;
              fmt_id (b_folio, "OBS-2023-", folio - rnd_below (r, (guint32) MIN (folio, 50u)));
              break;
            case SE_RES_SIN_FECHA:
              if (res == 0)
                {
                  f[S_RES] = curso != 0 ? "aprobada" : "declinada";
                  f[S_CONSEJO] = "distrital";
                }
              f[S_FRES] = "";
              break;
            case SE_REG_ANTES:
              f[S_FSOL] = fmt_date (b_sol, reg + (guint32) rnd_range (r, 1, 3), dmy);
              break;
            case SE_FALTA_CAMPO:
              {
                static const guint victims[] = { S_DISTRITO, S_DISC, S_IND, S_CURSO_MOD, S_CAUSA };

                skip = victims[v % G_N_ELEMENTS (victims)];
              }
              break;
            case SE_EDAD:
              f[S_EDAD] = v % 2 == 0 ? "7" : "150";
              f[S_FNAC] = "";
              break;
            case SE_SEXO:
              f[S_SEXO] = "otro";
              break;
            case SE_APROBADA_SIN_CURSO:
            default:
              f[S_FCURSO] = f[S_CURSO_POR] = f[S_CURSO_MOD] = f[S_CAUSA] = "";
              f[S_RES] = "aprobada";
              res = reg + (guint32) rnd_range (r, 10, 30);
              f[S_FRES] = fmt_date (b_res, MIN (res, res_max), dmy);
              f[S_CONSEJO] = rnd_ppm (r, 350000) ? "local" : "distrital";
              break;
            }
        }
      csv_row (fp, line, f, S_NCOLS, skip);
    }
  st->s_rows = n;
  day_plan_clear (&plan);
  g_string_free (line, TRUE);
}
