/* observa-synth: seeded generator of realistic synthetic Sistema de Observadores exports (solicitudes.csv, difusion.csv). */

/* fdopen() and friends are POSIX, not ISO C11. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

/* sysexits.h values, spelled out so the program does not depend on a BSD header. */
#define EXIT_USAGE 64
#define EXIT_CANTCREAT 73

#define N_ENT 32
#define MAX_ROWS 50000000u
#define IO_BUFFER_SIZE (1u << 20)
#define PPM 1000000u

/* ------------------------------------------------------------------------ */
/* Randomness.                                                               */
/*                                                                           */
/* Only g_rand_int() is used after seeding: every other draw is integer      */
/* arithmetic on it, so the output does not depend on floating point,        */
/* compiler contraction or GLib's version-dependent range helpers.           */
/* ------------------------------------------------------------------------ */

static guint32
rnd_below (GRand *r, guint32 n)
{
  /* Multiply-shift: unbiased enough for synthetic data and branch-free. */
  return (guint32) (((guint64) g_rand_int (r) * n) >> 32);
}

static gint
rnd_range (GRand *r, gint lo, gint hi)
{
  return lo + (gint) rnd_below (r, (guint32) (hi - lo + 1));
}

static gboolean
rnd_ppm (GRand *r, guint32 ppm)
{
  return rnd_below (r, PPM) < ppm;
}

/* A discrete distribution with integer weights, searched linearly: the
 * tables are small and the hot ones are ordered by decreasing weight. */
typedef struct
{
  guint n;
  guint32 cum[64];
} Picker;

static void
picker_init (Picker *p, const guint32 *w, guint n)
{
  guint32 total = 0;

  g_assert (n > 0 && n <= G_N_ELEMENTS (p->cum));
  p->n = n;
  for (guint i = 0; i < n; i++)
    {
      total += w[i];
      p->cum[i] = total;
    }
  g_assert (total > 0);
}

static guint
picker_draw (const Picker *p, GRand *r)
{
  guint32 x = rnd_below (r, p->cum[p->n - 1]);
  guint i = 0;

  while (x >= p->cum[i])
    i++;
  return i;
}

/* ------------------------------------------------------------------------ */
/* Dates: julian day numbers as GDate counts them (1 = 0001-01-01).         */
/* ------------------------------------------------------------------------ */

static guint32
jday (gint y, gint m, gint d)
{
  GDate g;

  g_date_clear (&g, 1);
  g_date_set_dmy (&g, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_get_julian (&g);
}

/* 1 = Monday .. 7 = Sunday */
static guint
weekday (guint32 j)
{
  GDate g;

  g_date_clear (&g, 1);
  g_date_set_julian (&g, j);
  return (guint) g_date_get_weekday (&g);
}

static guint32
years_before (guint32 j, guint years)
{
  GDate g;

  g_date_clear (&g, 1);
  g_date_set_julian (&g, j);
  g_date_subtract_years (&g, years);
  return g_date_get_julian (&g);
}

static void
put2 (char *p, guint v)
{
  p[0] = (char) ('0' + v / 10 % 10);
  p[1] = (char) ('0' + v % 10);
}

/* ISO YYYY-MM-DD, or DD/MM/YYYY to exercise observa's alternative spellings. */
static const char *
fmt_date (char buf[11], guint32 j, gboolean dmy)
{
  GDate g;
  guint y, m, d;

  g_date_clear (&g, 1);
  g_date_set_julian (&g, j);
  y = g_date_get_year (&g);
  m = g_date_get_month (&g);
  d = g_date_get_day (&g);
  if (dmy)
    {
      put2 (buf, d);
      buf[2] = '/';
      put2 (buf + 3, m);
      buf[5] = '/';
      put2 (buf + 6, y / 100);
      put2 (buf + 8, y % 100);
    }
  else
    {
      put2 (buf, y / 100);
      put2 (buf + 2, y % 100);
      buf[4] = '-';
      put2 (buf + 5, m);
      buf[7] = '-';
      put2 (buf + 8, d);
    }
  buf[10] = '\0';
  return buf;
}

/* Integers are formatted by hand: no locale can reach them and it is faster
 * than snprintf in the per-row hot path. */
static const char *
fmt_uint (char buf[24], guint64 v)
{
  char tmp[24];
  gsize n = 0, i;

  do
    {
      tmp[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  for (i = 0; i < n; i++)
    buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
  return buf;
}

/* PREFIX followed by a zero-padded sequence number (at least six digits). */
static const char *
fmt_id (char buf[40], const char *prefix, guint64 v)
{
  char num[24];
  gsize plen = strlen (prefix), nlen;

  fmt_uint (num, v);
  nlen = strlen (num);
  memcpy (buf, prefix, plen);
  for (; nlen < 6; nlen++)
    buf[plen++] = '0';
  strcpy (buf + plen, num);
  return buf;
}

/* ------------------------------------------------------------------------ */
/* Day plans: how many rows fall on each day.                                */
/*                                                                           */
/* The daily intensity is a piecewise-linear shape (knots) times a weekday   */
/* factor times seeded jitter; its running sum is a piecewise cumulative     */
/* curve, scaled per segment so that it passes exactly through the targets   */
/* at the segment ends (INE's published figures).  Inverting that curve at   */
/* N evenly spaced quantiles (systematic sampling, in integer arithmetic)    */
/* gives the number of rows of each day.  Rows are then emitted day by day,  */
/* which keeps memory constant and folios increasing in fecha_registro.      */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gint y, m, d;
  guint32 rate;
} RateKnot;

typedef struct
{
  guint32 first;                /* julian day of index 0 */
  guint ndays;
  guint32 *quota;               /* rows still to emit on each day */
  guint day;
} DayPlan;

/* Intensity at julian day j, times 10, linearly interpolated between knots. */
static guint64
knot_rate (const RateKnot *k, guint nk, guint32 j)
{
  guint32 j0 = jday (k[0].y, k[0].m, k[0].d);

  if (j <= j0)
    return (guint64) k[0].rate * 10;
  for (guint i = 1; i < nk; i++)
    {
      guint32 j1 = jday (k[i].y, k[i].m, k[i].d);

      if (j <= j1)
        {
          gint64 r0 = (gint64) k[i - 1].rate * 10, r1 = (gint64) k[i].rate * 10;

          return (guint64) (r0 + (r1 - r0) * (gint64) (j - j0) / (gint64) (j1 - j0));
        }
      j0 = j1;
    }
  return (guint64) k[nk - 1].rate * 10;
}

static void
day_plan_build (DayPlan *p, GRand *r, guint32 first, guint32 last,
                const RateKnot *knots, guint nk, const guint32 wday_pct[7],
                guint32 jitter_pct, const guint32 *seg_end,
                const guint64 *seg_target, guint nseg)
{
  guint64 *w;
  guint start = 0;

  p->first = first;
  p->ndays = last - first + 1;
  p->quota = g_new0 (guint32, p->ndays);
  p->day = 0;
  w = g_new (guint64, p->ndays);
  for (guint d = 0; d < p->ndays; d++)
    {
      guint32 j = first + d;
      guint64 jit = 100 - jitter_pct + rnd_below (r, 2 * jitter_pct + 1);

      /* Bounded: rate*10 <= 1e4, weekday <= 110, jitter <= 140, so a
       * segment's sum (< 4e10) times a 5e7 target stays below 2^64. */
      w[d] = knot_rate (knots, nk, j) * wday_pct[weekday (j) - 1] * jit;
      if (w[d] == 0)
        w[d] = 1;
    }
  for (guint s = 0; s < nseg; s++)
    {
      guint end = seg_end[s] - first;
      guint64 total = 0, acc = 0, prev = 0;

      for (guint d = start; d <= end; d++)
        total += w[d];
      for (guint d = start; d <= end; d++)
        {
          guint64 cum;

          acc += w[d];
          cum = seg_target[s] * acc / total;
          p->quota[d] = (guint32) (cum - prev);
          prev = cum;
        }
      start = end + 1;
    }
  g_free (w);
}

/* Index of the day of the next row; callers never ask for more rows than
 * the plan holds. */
static guint
day_plan_next (DayPlan *p)
{
  while (p->quota[p->day] == 0)
    p->day++;
  p->quota[p->day]--;
  return p->day;
}

static void
day_plan_clear (DayPlan *p)
{
  g_free (p->quota);
  p->quota = NULL;
}

/* ------------------------------------------------------------------------ */
/* Reference tables.                                                         */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const char *nombre;           /* `nombre` in templates/catalogos/entidades.csv */
  const char *alias;            /* another valid spelling, or NULL */
  const char *curp;             /* RENAPO state code used in CURP */
  guint32 pop;                  /* 2020 population, hundredths of a million */
  guint32 distritos;            /* federal electoral districts (2023) */
  const char *municipios[3];    /* capital or largest first */
} Entidad;

static const Entidad ENT[N_ENT] = {
  {"Aguascalientes", NULL, "AS", 143, 3, {"Aguascalientes", "Jesús María", "Calvillo"}},
  {"Baja California", NULL, "BC", 377, 9, {"Mexicali", "Tijuana", "Ensenada"}},
  {"Baja California Sur", NULL, "BS", 80, 2, {"La Paz", "Los Cabos", "Comondú"}},
  {"Campeche", NULL, "CC", 93, 2, {"Campeche", "Carmen", "Champotón"}},
  {"Coahuila", "Coahuila de Zaragoza", "CL", 315, 8, {"Saltillo", "Torreón", "Monclova"}},
  {"Colima", NULL, "CM", 73, 2, {"Colima", "Manzanillo", "Tecomán"}},
  {"Chiapas", NULL, "CS", 554, 13, {"Tuxtla Gutiérrez", "Tapachula", "San Cristóbal de las Casas"}},
  {"Chihuahua", NULL, "CH", 374, 9, {"Chihuahua", "Juárez", "Cuauhtémoc"}},
  {"Ciudad de México", "CDMX", "DF", 921, 22, {"Cuauhtémoc", "Iztapalapa", "Coyoacán"}},
  {"Durango", NULL, "DG", 183, 4, {"Durango", "Gómez Palacio", "Lerdo"}},
  {"Guanajuato", NULL, "GT", 617, 15, {"León", "Irapuato", "Guanajuato"}},
  {"Guerrero", NULL, "GR", 354, 8, {"Acapulco de Juárez", "Chilpancingo de los Bravo", "Iguala de la Independencia"}},
  {"Hidalgo", NULL, "HG", 308, 7, {"Pachuca de Soto", "Tulancingo de Bravo", "Tula de Allende"}},
  {"Jalisco", NULL, "JC", 835, 20, {"Guadalajara", "Zapopan", "Puerto Vallarta"}},
  {"México", "Estado de México", "MC", 1699, 40, {"Toluca", "Ecatepec de Morelos", "Nezahualcóyotl"}},
  {"Michoacán", "Michoacán de Ocampo", "MN", 475, 11, {"Morelia", "Uruapan", "Zamora"}},
  {"Morelos", NULL, "MS", 197, 5, {"Cuernavaca", "Jiutepec", "Cuautla"}},
  {"Nayarit", NULL, "NT", 124, 3, {"Tepic", "Bahía de Banderas", "Santiago Ixcuintla"}},
  {"Nuevo León", NULL, "NL", 578, 14, {"Monterrey", "Guadalupe", "San Nicolás de los Garza"}},
  {"Oaxaca", NULL, "OC", 413, 10, {"Oaxaca de Juárez", "Juchitán de Zaragoza", "Salina Cruz"}},
  {"Puebla", NULL, "PL", 658, 16, {"Puebla", "Tehuacán", "San Andrés Cholula"}},
  {"Querétaro", NULL, "QT", 237, 6, {"Querétaro", "San Juan del Río", "Corregidora"}},
  {"Quintana Roo", NULL, "QR", 186, 4, {"Benito Juárez", "Othón P. Blanco", "Solidaridad"}},
  {"San Luis Potosí", NULL, "SP", 282, 7, {"San Luis Potosí", "Soledad de Graciano Sánchez", "Ciudad Valles"}},
  {"Sinaloa", NULL, "SL", 303, 7, {"Culiacán", "Mazatlán", "Ahome"}},
  {"Sonora", NULL, "SR", 294, 7, {"Hermosillo", "Cajeme", "Nogales"}},
  {"Tabasco", NULL, "TC", 240, 6, {"Centro", "Cárdenas", "Comalcalco"}},
  {"Tamaulipas", NULL, "TS", 353, 8, {"Reynosa", "Matamoros", "Victoria"}},
  {"Tlaxcala", NULL, "TL", 134, 3, {"Tlaxcala", "Apizaco", "Huamantla"}},
  {"Veracruz", "Veracruz de Ignacio de la Llave", "VZ", 806, 19, {"Veracruz", "Xalapa", "Coatzacoalcos"}},
  {"Yucatán", NULL, "YN", 232, 6, {"Mérida", "Valladolid", "Tizimín"}},
  {"Zacatecas", NULL, "ZS", 162, 4, {"Zacatecas", "Fresnillo", "Guadalupe"}},
};

static const char *const CLAVES[N_ENT] = {
  "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
  "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22",
  "23", "24", "25", "26", "27", "28", "29", "30", "31", "32",
};

/* OPLs that barely register outreach (0..4 actions in the whole process) so
 * that observa's "bajo número de acciones" flag has clear cases: Campeche,
 * Guerrero, Quintana Roo, Tlaxcala (0-based indices). */
static const guint LOW_OPL[4] = { 3, 11, 22, 28 };

/* Two more OPLs at about a third of normal: flagged only by the
 * fraction-of-median rule, never by the absolute minimum (Chihuahua, Sinaloa). */
static const guint LOWISH_OPL[2] = { 7, 24 };

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

static const char *const NOMBRES_M[] = {
  "María Fernanda", "Guadalupe", "Ana Karen", "Alejandra", "Daniela", "Gabriela",
  "Verónica", "Adriana", "Leticia", "Rosa María", "Patricia", "Claudia",
  "Mariana", "Ximena", "Fernanda", "Valeria", "Itzel", "Brenda", "Karla",
  "Diana", "Laura", "Sofía", "Paola", "Araceli", "Norma", "Silvia",
  "Elizabeth", "Yolanda", "Martha", "Lucía", "Andrea", "Jimena", "Citlali",
  "Montserrat", "Teresa", "Josefina", "María José", "Xóchitl", "Nayeli", "Irma",
};

static const char *const NOMBRES_H[] = {
  "José Luis", "Juan Carlos", "Luis Fernando", "Miguel Ángel", "Jesús",
  "Francisco", "Alejandro", "Eduardo", "Jorge", "Ricardo", "Carlos", "Roberto",
  "Fernando", "Arturo", "Sergio", "Javier", "Raúl", "Óscar", "Héctor",
  "Emiliano", "Diego", "Santiago", "Mauricio", "Rodrigo", "Iván", "Ángel",
  "Manuel", "Rafael", "Gerardo", "Víctor Hugo", "Saúl", "Ulises", "Gustavo",
  "Enrique", "Cuauhtémoc", "José Antonio", "Joaquín", "Efraín", "Tomás", "Hugo",
};

static const char *const APELLIDOS[] = {
  "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
  "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez",
  "Reyes", "Jiménez", "Torres", "Díaz", "Gutiérrez", "Ruiz", "Mendoza",
  "Aguilar", "Ortiz", "Moreno", "Castillo", "Romero", "Álvarez", "Méndez",
  "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez", "Herrera", "Medina",
  "Castro", "Vargas", "Guzmán", "Velázquez", "Muñoz", "Rojas", "Contreras",
  "Salazar", "Luna", "Ortega", "Santiago", "Guerrero", "Estrada", "Bautista",
  "Cortés", "Soto", "Alvarado", "Espinoza", "Lara", "Ávila", "Ríos",
  "Cervantes", "Silva", "Delgado", "Vega", "Núñez", "Ibáñez", "De la Cruz",
  "Del Ángel", "Pech", "Canul", "Xool", "Zamudio",
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

/* ------------------------------------------------------------------------ */
/* Synthetic personal data: names and CURP-shaped strings.                   */
/* ------------------------------------------------------------------------ */

/* Upper-case ASCII as RENAPO writes CURP letters (accents dropped, Ñ -> X). */
static void
fold_ascii (const char *s, char *out, gsize cap)
{
  gsize n = 0;

  for (const unsigned char *p = (const unsigned char *) s; *p != '\0' && n + 1 < cap; p++)
    {
      char c;

      if (*p == 0xC3 && p[1] != '\0')
        {
          p++;
          switch (*p | 0x20)
            {
            case 0xA1: c = 'A'; break;
            case 0xA9: c = 'E'; break;
            case 0xAD: c = 'I'; break;
            case 0xB3: c = 'O'; break;
            case 0xBA: case 0xBC: c = 'U'; break;
            default: c = 'X'; break;
            }
        }
      else if (*p < 0x80)
        c = g_ascii_toupper ((gchar) *p);
      else
        continue;
      out[n++] = c;
    }
  out[n] = '\0';
}

/* The word of a name that CURP uses: particles (De la, Del) are skipped in
 * surnames, and María/José are skipped in compound given names. */
static void
curp_word (const char *name, gboolean given, char out[32])
{
  static const char *const particles[] = { "DA", "DAS", "DE", "DEL", "DER", "DI", "DIE", "EL", "LA", "LAS", "LE", "LOS", "MC", "MAC", "VAN", "VON", "Y" };
  char folded[96];
  char *tok[8];
  guint ntok = 0, pick = 0;

  out[0] = '\0';
  if (name == NULL)
    return;
  fold_ascii (name, folded, sizeof folded);
  for (char *p = folded; *p != '\0' && ntok < G_N_ELEMENTS (tok);)
    {
      while (*p == ' ')
        *p++ = '\0';
      if (*p == '\0')
        break;
      tok[ntok++] = p;
      while (*p != '\0' && *p != ' ')
        p++;
    }
  if (ntok == 0)
    return;
  if (given)
    {
      if (ntok > 1 && (strcmp (tok[0], "MARIA") == 0 || strcmp (tok[0], "JOSE") == 0
                       || strcmp (tok[0], "MA") == 0 || strcmp (tok[0], "J") == 0))
        pick = 1;
    }
  else
    {
      for (pick = 0; pick + 1 < ntok; pick++)
        {
          gboolean is_particle = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (particles); i++)
            if (strcmp (tok[pick], particles[i]) == 0)
              is_particle = TRUE;
          if (!is_particle)
            break;
        }
    }
  g_strlcpy (out, tok[pick], 32);
}

static gboolean
is_vowel (char c)
{
  return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

static char
first_internal (const char *w, gboolean vowel)
{
  if (w[0] == '\0')
    return 'X';
  for (const char *p = w + 1; *p != '\0'; p++)
    if (g_ascii_isalpha (*p) && is_vowel (*p) == vowel)
      return *p;
  return 'X';
}

static guint
curp_value (char c)
{
  /* RENAPO's dictionary is 0-9, A-N, Ñ, O-Z. */
  if (c >= '0' && c <= '9')
    return (guint) (c - '0');
  if (c >= 'A' && c <= 'N')
    return (guint) (c - 'A') + 10;
  return (guint) (c - 'O') + 25;
}

/* A CURP-shaped string built from the row's own (synthetic) data, with a
 * correct check digit so it looks real to format validators. */
static void
make_curp (char out[19], const char *given, const char *sur1, const char *sur2,
           guint32 birth, char sex, const char *state, char differentiator)
{
  char g[32], a1[32], a2[32], date[11];
  guint sum = 0;

  curp_word (given, TRUE, g);
  curp_word (sur1, FALSE, a1);
  curp_word (sur2, FALSE, a2);
  fmt_date (date, birth, FALSE);
  out[0] = a1[0] != '\0' ? a1[0] : 'X';
  out[1] = first_internal (a1, TRUE);
  out[2] = a2[0] != '\0' ? a2[0] : 'X';
  out[3] = g[0] != '\0' ? g[0] : 'X';
  memcpy (out + 4, date + 2, 2);
  memcpy (out + 6, date + 5, 2);
  memcpy (out + 8, date + 8, 2);
  out[10] = sex;
  out[11] = state[0];
  out[12] = state[1];
  out[13] = first_internal (a1, FALSE);
  out[14] = first_internal (a2, FALSE);
  out[15] = first_internal (g, FALSE);
  out[16] = differentiator;
  for (guint i = 0; i < 17; i++)
    sum += curp_value (out[i]) * (18 - i);
  out[17] = (char) ('0' + (10 - sum % 10) % 10);
  out[18] = '\0';
}

/* ------------------------------------------------------------------------ */
/* CSV output.                                                               */
/* ------------------------------------------------------------------------ */

static void
csv_field (GString *line, const char *f)
{
  if (strpbrk (f, ",\"\r\n") == NULL)
    {
      g_string_append (line, f);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = f; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

/* One row; SKIP (if < n) is a field left out entirely, producing the
 * "one comma fewer" row error. */
static void
csv_row (FILE *fp, GString *line, const char *const *f, guint n, guint skip)
{
  gboolean first = TRUE;

  g_string_truncate (line, 0);
  for (guint i = 0; i < n; i++)
    {
      if (i == skip)
        continue;
      if (!first)
        g_string_append_c (line, ',');
      first = FALSE;
      csv_field (line, f[i]);
    }
  g_string_append_c (line, '\n');
  fwrite (line->str, 1, line->len, fp);
}

/* ------------------------------------------------------------------------ */
/* Deliberate errors.                                                        */
/* ------------------------------------------------------------------------ */

enum
{
  SE_FECHA, SE_ENTIDAD, SE_VACIO, SE_MEDIO, SE_FOLIO, SE_RES_SIN_FECHA,
  SE_REG_ANTES, SE_FALTA_CAMPO, SE_EDAD, SE_SEXO, SE_APROBADA_SIN_CURSO,
  N_SE
};

static const char *const SE_NOMBRE[N_SE] = {
  "fecha no interpretable", "entidad desconocida", "campo obligatorio vacío",
  "medio desconocido", "folio repetido", "resolución sin fecha_resolucion",
  "fecha_registro anterior a fecha_solicitud", "fila con un campo de menos",
  "edad fuera de rango (aviso)", "sexo desconocido (aviso)",
  "aprobada sin fecha_curso (aviso)",
};

enum
{
  DE_ALC_NEG, DE_ALC_TEXTO, DE_INSTANCIA, DE_ID, DE_FECHA, DE_TIPO, N_DE
};

static const char *const DE_NOMBRE[N_DE] = {
  "alcance negativo", "alcance no numérico", "instancia desconocida",
  "id repetido", "fecha no interpretable", "tipo desconocido (aviso)",
};

static const char *const BAD_DATES[] = { "31/02/2024", "2024-13-01", "mañana" };

/* Which rows get an error, and of which kind.  Rows are chosen by selection
 * sampling (exact count, streaming); kinds cycle through a shuffled order so
 * that every kind appears once the count reaches the number of kinds. */
typedef struct
{
  guint64 left;
  guint nkinds;
  guint order[16];
  guint pos;
} ErrPlan;

static guint64
error_rows (guint64 n, guint64 minimum)
{
  if (n >= 1000)
    return MAX (minimum, (n + 500) / 1000);
  return MIN (minimum, n / 50);
}

static void
err_plan_init (ErrPlan *e, guint64 rows, guint nkinds)
{
  e->left = rows;
  e->nkinds = nkinds;
  e->pos = 0;
  for (guint i = 0; i < nkinds; i++)
    e->order[i] = i;
}

/* Row 0 never carries an error, so a repeated id always has an original. */
static gboolean
err_plan_pick (ErrPlan *e, GRand *r, guint64 row, guint64 n)
{
  if (row == 0 || e->left == 0)
    return FALSE;
  if (rnd_below (r, (guint32) (n - row)) < e->left)
    {
      e->left--;
      return TRUE;
    }
  return FALSE;
}

static guint
err_plan_kind (ErrPlan *e, GRand *r)
{
  guint k;

  if (e->pos == 0)
    for (guint i = e->nkinds - 1; i > 0; i--)
      {
        guint j = rnd_below (r, i + 1), t = e->order[i];

        e->order[i] = e->order[j];
        e->order[j] = t;
      }
  k = e->order[e->pos];
  e->pos = (e->pos + 1) % e->nkinds;
  return k;
}

/* ------------------------------------------------------------------------ */
/* Shared helpers for both files.                                            */
/* ------------------------------------------------------------------------ */

typedef struct
{
  guint64 solicitudes, difusion;
  guint32 semilla;
  gboolean errores;
} Options;

typedef struct
{
  guint64 s_rows, s_err, s_kind[N_SE];
  guint64 d_rows, d_err, d_kind[N_DE];
} Stats;

/* Alternative but valid spellings of an entidad (name, alias, or the clave
 * without its leading zero), used in about 1% of rows. */
static const char *
entidad_spelling (GRand *r, guint e, char buf[24])
{
  guint32 k = rnd_below (r, 10);

  if (k < 2 && e < 9)
    return fmt_uint (buf, e + 1);
  if (k < 6 && ENT[e].alias != NULL)
    return ENT[e].alias;
  return ENT[e].nombre;
}

/* ------------------------------------------------------------------------ */
/* solicitudes.csv                                                           */
/* ------------------------------------------------------------------------ */

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

/* Age: students and young adults, a broad 40-60 bulge and a senior tail;
 * sums of uniforms give bell shapes without floating point. */
static guint
draw_age (GRand *r)
{
  guint32 c = rnd_below (r, 100);
  gint a, x;

  /* ABS() and CLAMP() evaluate their argument more than once: draw first. */
  if (c < 30)
    {
      x = rnd_range (r, 0, 12) + rnd_range (r, 0, 12) + rnd_range (r, 0, 12) - 18;
      a = 18 + ABS (x);
    }
  else if (c < 47)
    a = rnd_range (r, 25, 44);
  else if (c < 85)
    a = 30 + rnd_range (r, 0, 10) + rnd_range (r, 0, 10) + rnd_range (r, 0, 10) + rnd_range (r, 0, 10);
  else
    {
      x = rnd_range (r, 0, 16) + rnd_range (r, 0, 16) + rnd_range (r, 0, 16) - 24;
      a = 60 + ABS (x);
    }
  return (guint) CLAMP (a, 18, 85);
}

static void
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

/* ------------------------------------------------------------------------ */
/* difusion.csv                                                              */
/* ------------------------------------------------------------------------ */

enum
{
  D_ID, D_ENTIDAD, D_INSTANCIA, D_FECHA, D_FREG, D_TIPO, D_ALCANCE, D_DESC,
  D_MUNICIPIO, D_POBLACION, D_NCOLS
};

static const char *const D_HEADER[D_NCOLS] = {
  "id", "entidad", "instancia", "fecha", "fecha_registro", "tipo", "alcance",
  "descripcion", "municipio", "poblacion_objetivo",
};

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

static void
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

/* ------------------------------------------------------------------------ */
/* Files and command line.                                                   */
/* ------------------------------------------------------------------------ */

/* System error text in Spanish: g_strerror follows the C locale, which this
 * program never changes, so it would answer in English. */
static const char *
errno_es (int e)
{
  switch (e)
    {
    case ENOENT: return "no existe el archivo o el directorio";
    case EACCES: case EPERM: return "permiso denegado";
    case ENOSPC: return "no queda espacio en el dispositivo";
    case EROFS: return "sistema de archivos de solo lectura";
    case ENOTDIR: return "una parte de la ruta no es un directorio";
    case EEXIST: return "ya existe";
    case EISDIR: return "es un directorio";
    case EDQUOT: return "se excedió la cuota de disco";
    case ENAMETOOLONG: return "nombre demasiado largo";
    case EIO: return "error de entrada/salida";
    default: return "error del sistema";
    }
}

typedef struct
{
  char *tmp_path;
  char *final_path;
  FILE *fp;
  char *buf;
} OutFile;

/* Temporary file next to the final one, so the rename is atomic and a
 * reader never sees half a file. */
static gboolean
out_open (OutFile *of, const char *dir, const char *name)
{
  char *tmpl_name = g_strdup_printf (".%s.XXXXXX", name);
  int fd;

  of->final_path = g_build_filename (dir, name, NULL);
  of->tmp_path = g_build_filename (dir, tmpl_name, NULL);
  of->fp = NULL;
  of->buf = NULL;
  g_free (tmpl_name);
  fd = g_mkstemp_full (of->tmp_path, O_WRONLY, 0666);
  if (fd < 0)
    {
      fprintf (stderr, "observa-synth: no se pudo crear %s: %s\n", of->final_path, errno_es (errno));
      g_clear_pointer (&of->tmp_path, g_free);
      return FALSE;
    }
  of->fp = fdopen (fd, "wb");
  if (of->fp == NULL)
    {
      fprintf (stderr, "observa-synth: no se pudo crear %s: %s\n", of->final_path, errno_es (errno));
      close (fd);
      g_unlink (of->tmp_path);
      g_clear_pointer (&of->tmp_path, g_free);
      return FALSE;
    }
  of->buf = g_malloc (IO_BUFFER_SIZE);
  setvbuf (of->fp, of->buf, _IOFBF, IO_BUFFER_SIZE);
  return TRUE;
}

static gboolean
out_close (OutFile *of)
{
  gboolean ok = TRUE;

  if (of->fp != NULL)
    {
      if (ferror (of->fp))
        ok = FALSE;
      if (fclose (of->fp) != 0)
        ok = FALSE;
      if (!ok)
        fprintf (stderr, "observa-synth: no se pudo escribir %s: %s\n", of->final_path, errno_es (errno));
      of->fp = NULL;
    }
  g_clear_pointer (&of->buf, g_free);
  return ok;
}

static void
out_discard (OutFile *of)
{
  if (of->tmp_path != NULL)
    g_unlink (of->tmp_path);
}

static void
out_free (OutFile *of)
{
  g_clear_pointer (&of->tmp_path, g_free);
  g_clear_pointer (&of->final_path, g_free);
}

static void
print_help (void)
{
  fputs ("Uso: observa-synth [OPCIÓN…]\n"
         "\n"
         "Genera exportaciones sintéticas y realistas del Sistema de Observadores y\n"
         "Observadoras Electorales del Proceso Electoral Concurrente 2023-2024\n"
         "(solicitudes.csv y difusion.csv) para probar observa. Los nombres y las CURP\n"
         "son ficticios. Con la misma semilla y las mismas opciones los archivos son\n"
         "idénticos byte a byte.\n"
         "\n"
         "Opciones:\n"
         "  --solicitudes N     número de solicitudes (predeterminado: 35000)\n"
         "  --difusion N        número de acciones de difusión (predeterminado: 7000)\n"
         "  --semilla S         semilla del generador, de 0 a 4294967295\n"
         "                      (predeterminada: 2024)\n"
         "  -o, --salida DIR    directorio de salida; se crea si no existe\n"
         "                      (predeterminado: el directorio actual)\n"
         "  --errores           incluir unas cuantas filas con errores deliberados,\n"
         "                      cerca del 0.1% (predeterminado)\n"
         "  --sin-errores       no incluir filas con errores deliberados\n"
         "  -h, --help          mostrar esta ayuda y salir\n"
         "\n"
         "N admite de 0 a 50000000.\n"
         "\n"
         "Estado de salida: 0 correcto, 64 error de uso, 73 no se pudo crear la salida.\n",
         stdout);
}

/* Messages go to stderr with fprintf rather than g_printerr: the latter
 * converts to the locale charset, which is ASCII under the C locale that
 * this program keeps, and would mangle the Spanish accents. */
static int
usage_error (const char *msg, const char *detail)
{
  if (detail != NULL)
    fprintf (stderr, "observa-synth: %s: %s\n", msg, detail);
  else
    fprintf (stderr, "observa-synth: %s\n", msg);
  fprintf (stderr, "Use «observa-synth --help» para ver las opciones.\n");
  return EXIT_USAGE;
}

static gboolean
parse_uint (const char *s, guint64 max, guint64 *out)
{
  guint64 v = 0;

  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      v = v * 10 + (guint64) (*p - '0');
      if (v > max)
        return FALSE;
    }
  *out = v;
  return TRUE;
}

/* GOption reports in English under the C locale; find the culprit ourselves
 * to say it in Spanish. */
static const char *
unknown_option (int argc, char **argv)
{
  static const char *const known[] = {
    "--solicitudes", "--difusion", "--semilla", "-o", "--salida", "--errores",
    "--sin-errores", "-h", "--help",
  };

  for (int i = 1; i < argc; i++)
    {
      gboolean ok = FALSE;

      if (strcmp (argv[i], "--") == 0)
        break;
      if (argv[i][0] != '-' || argv[i][1] == '\0')
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (known); k++)
        {
          gsize len = strlen (known[k]);

          if (strncmp (argv[i], known[k], len) == 0
              && (argv[i][len] == '\0' || argv[i][len] == '='
                  || (known[k][1] != '-' && len == 2)))
            ok = TRUE;
        }
      if (!ok)
        return argv[i];
      /* options that take a value skip it */
      if (strchr (argv[i], '=') == NULL
          && (strcmp (argv[i], "--solicitudes") == 0 || strcmp (argv[i], "--difusion") == 0
              || strcmp (argv[i], "--semilla") == 0 || strcmp (argv[i], "-o") == 0
              || strcmp (argv[i], "--salida") == 0))
        i++;
    }
  return NULL;
}

int
main (int argc, char **argv)
{
  gchar *opt_solicitudes = NULL, *opt_difusion = NULL, *opt_semilla = NULL, *opt_salida = NULL;
  gboolean opt_errores = FALSE, opt_sin_errores = FALSE, opt_help = FALSE;
  const GOptionEntry entries[] = {
    {"solicitudes", 0, 0, G_OPTION_ARG_STRING, &opt_solicitudes, NULL, "N"},
    {"difusion", 0, 0, G_OPTION_ARG_STRING, &opt_difusion, NULL, "N"},
    {"semilla", 0, 0, G_OPTION_ARG_STRING, &opt_semilla, NULL, "S"},
    {"salida", 'o', 0, G_OPTION_ARG_FILENAME, &opt_salida, NULL, "DIR"},
    {"errores", 0, 0, G_OPTION_ARG_NONE, &opt_errores, NULL, NULL},
    {"sin-errores", 0, 0, G_OPTION_ARG_NONE, &opt_sin_errores, NULL, NULL},
    {"help", 'h', 0, G_OPTION_ARG_NONE, &opt_help, NULL, NULL},
    {NULL, 0, 0, G_OPTION_ARG_NONE, NULL, NULL, NULL},
  };
  GOptionContext *ctx;
  GError *error = NULL;
  Options o = { 35000, 7000, 2024, TRUE };
  Stats st;
  OutFile sol = { NULL, NULL, NULL, NULL }, dif = { NULL, NULL, NULL, NULL };
  const char *dir;
  GRand *r;
  int status = 0;
  guint64 v;

  memset (&st, 0, sizeof st);
  ctx = g_option_context_new (NULL);
  /* Our own Spanish --help replaces GLib's, which would be in English. */
  g_option_context_set_help_enabled (ctx, FALSE);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      const char *bad = unknown_option (argc, argv);

      if (error->code == G_OPTION_ERROR_UNKNOWN_OPTION && bad != NULL)
        status = usage_error ("opción desconocida", bad);
      else if (error->code == G_OPTION_ERROR_BAD_VALUE || error->code == G_OPTION_ERROR_FAILED)
        status = usage_error ("falta el valor de una opción o no es válido",
                              argc > 1 ? argv[argc - 1] : NULL);
      else
        status = usage_error ("opciones no válidas", NULL);
      g_error_free (error);
      goto out;
    }
  if (opt_help)
    {
      print_help ();
      goto out;
    }
  if (argc > 1)
    {
      status = usage_error ("argumento inesperado", argv[1]);
      goto out;
    }
  if (opt_errores && opt_sin_errores)
    {
      status = usage_error ("--errores y --sin-errores no pueden usarse juntas", NULL);
      goto out;
    }
  o.errores = !opt_sin_errores;
  if (opt_solicitudes != NULL)
    {
      if (!parse_uint (opt_solicitudes, MAX_ROWS, &o.solicitudes))
        {
          status = usage_error ("valor no válido para --solicitudes (se espera un entero de 0 a 50000000)", opt_solicitudes);
          goto out;
        }
    }
  if (opt_difusion != NULL)
    {
      if (!parse_uint (opt_difusion, MAX_ROWS, &o.difusion))
        {
          status = usage_error ("valor no válido para --difusion (se espera un entero de 0 a 50000000)", opt_difusion);
          goto out;
        }
    }
  if (opt_semilla != NULL)
    {
      if (!parse_uint (opt_semilla, G_MAXUINT32, &v))
        {
          status = usage_error ("valor no válido para --semilla (se espera un entero de 0 a 4294967295)", opt_semilla);
          goto out;
        }
      o.semilla = (guint32) v;
    }
  dir = opt_salida != NULL ? opt_salida : ".";
  if (*dir == '\0')
    {
      status = usage_error ("el directorio de salida no puede estar vacío", NULL);
      goto out;
    }

  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      fprintf (stderr, "observa-synth: no se pudo crear el directorio %s: %s\n", dir, errno_es (errno));
      status = EXIT_CANTCREAT;
      goto out;
    }
  if (!out_open (&sol, dir, "solicitudes.csv"))
    {
      status = EXIT_CANTCREAT;
      goto out;
    }
  if (!out_open (&dif, dir, "difusion.csv"))
    {
      out_close (&sol);
      out_discard (&sol);
      status = EXIT_CANTCREAT;
      goto out;
    }

  /* One generator for both files, solicitudes first: a stable order of
   * draws is what makes the output reproducible. */
  r = g_rand_new_with_seed (o.semilla);
  write_solicitudes (sol.fp, r, &o, &st);
  write_difusion (dif.fp, r, &o, &st);
  g_rand_free (r);

  {
    gboolean ok_s = out_close (&sol);
    gboolean ok_d = out_close (&dif);

    if (!ok_s || !ok_d)
      {
        out_discard (&sol);
        out_discard (&dif);
        status = EXIT_CANTCREAT;
        goto out;
      }
  }
  if (g_rename (sol.tmp_path, sol.final_path) != 0)
    {
      fprintf (stderr, "observa-synth: no se pudo crear %s: %s\n", sol.final_path, errno_es (errno));
      out_discard (&sol);
      out_discard (&dif);
      status = EXIT_CANTCREAT;
      goto out;
    }
  if (g_rename (dif.tmp_path, dif.final_path) != 0)
    {
      fprintf (stderr, "observa-synth: no se pudo crear %s: %s\n", dif.final_path, errno_es (errno));
      out_discard (&dif);
      status = EXIT_CANTCREAT;
      goto out;
    }

  fprintf (stderr, "observa-synth: %" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT
           " con errores deliberados), %" G_GUINT64_FORMAT
           " %s (%" G_GUINT64_FORMAT " con errores) en %s%s\n",
           st.s_rows, st.s_rows == 1 ? "solicitud" : "solicitudes", st.s_err,
           st.d_rows, st.d_rows == 1 ? "acción de difusión" : "acciones de difusión", st.d_err,
           dir, g_str_has_suffix (dir, "/") ? "" : "/");
  if (st.s_err > 0)
    {
      GString *s = g_string_new ("observa-synth: errores en solicitudes.csv:");
      const char *sep = " ";

      for (guint k = 0; k < N_SE; k++)
        if (st.s_kind[k] > 0)
          {
            g_string_append_printf (s, "%s%s %" G_GUINT64_FORMAT, sep, SE_NOMBRE[k], st.s_kind[k]);
            sep = ", ";
          }
      fprintf (stderr, "%s\n", s->str);
      g_string_free (s, TRUE);
    }
  if (st.d_err > 0)
    {
      GString *s = g_string_new ("observa-synth: errores en difusion.csv:");
      const char *sep = " ";

      for (guint k = 0; k < N_DE; k++)
        if (st.d_kind[k] > 0)
          {
            g_string_append_printf (s, "%s%s %" G_GUINT64_FORMAT, sep, DE_NOMBRE[k], st.d_kind[k]);
            sep = ", ";
          }
      fprintf (stderr, "%s\n", s->str);
      g_string_free (s, TRUE);
    }

out:
  out_free (&sol);
  out_free (&dif);
  g_option_context_free (ctx);
  g_free (opt_solicitudes);
  g_free (opt_difusion);
  g_free (opt_semilla);
  g_free (opt_salida);
  return status;
}
