/* synth.h - what observa-synth's files share: options, counters, draws, dates, reference tables, defects. */
#ifndef OBSERVA_SYNTH_H
#define OBSERVA_SYNTH_H

#include <stdio.h>

#include <glib.h>

#define N_ENT 32
#define PPM 1000000u

/* ------------------------------------------------------------------------ */
/* Randomness.                                                               */
/*                                                                           */
/* Only g_rand_int() is used after seeding: every other draw is integer      */
/* arithmetic on it, so the output does not depend on floating point,        */
/* compiler contraction or GLib's version-dependent range helpers.           */
/* The output is reproducible only while every draw happens in the same      */
/* order: one generator serves both files, solicitudes first.                */
/* ------------------------------------------------------------------------ */

/* A draw in 0 .. N-1 (N >= 1); one g_rand_int(). */
static inline guint32
rnd_below (GRand *r, guint32 n)
{
  /* Multiply-shift: unbiased enough for synthetic data and branch-free. */
  return (guint32) (((guint64) g_rand_int (r) * n) >> 32);
}

/* A draw in LO .. HI inclusive (LO <= HI); one g_rand_int(). */
static inline gint
rnd_range (GRand *r, gint lo, gint hi)
{
  return lo + (gint) rnd_below (r, (guint32) (hi - lo + 1));
}

/* TRUE with probability PPM parts per million; one g_rand_int(). */
static inline gboolean
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

/* Prepares P to draw index i with probability W[i] / sum(W); 1 <= N <= 64,
 * the weights must not all be 0 (both asserted).  No draw. */
void picker_init (Picker *p, const guint32 *w, guint n);

/* An index in 0 .. p->n - 1, by the weights; one g_rand_int(). */
guint picker_draw (const Picker *p, GRand *r);

/* ------------------------------------------------------------------------ */
/* Dates (julian day numbers as GDate counts them, 1 = 0001-01-01) and       */
/* numbers, formatted without the locale.                                    */
/* ------------------------------------------------------------------------ */

/* The julian day of a valid Gregorian date Y-M-D. */
guint32 jday (gint y, gint m, gint d);

/* The julian day YEARS years before day J (29 Feb becomes 28 Feb). */
guint32 years_before (guint32 j, guint years);

/* Writes day J to BUF as ISO YYYY-MM-DD, or as DD/MM/YYYY when DMY (to
 * exercise observa's alternative spellings); returns BUF. */
const char *fmt_date (char buf[11], guint32 j, gboolean dmy);

/* Writes V in decimal to BUF; returns BUF. */
const char *fmt_uint (char buf[24], guint64 v);

/* Writes PREFIX (at most 19 bytes) and V zero-padded to at least six digits
 * to BUF; returns BUF. */
const char *fmt_id (char buf[40], const char *prefix, guint64 v);

/* ------------------------------------------------------------------------ */
/* Day plans: how many rows fall on each day (see synth_random.c).           */
/* ------------------------------------------------------------------------ */

/* A knot of the daily intensity: from date Y-M-D on, RATE (at most 1000)
 * in arbitrary units, linear between knots. */
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

/* Spreads rows over the days FIRST .. LAST (julian days): intensity KNOTS
 * (NK of them, by date) times WDAY_PCT (percent, Monday first) times a
 * uniform jitter of +-JITTER_PCT percent (one draw per day, in order).  The
 * running total passes exactly through SEG_TARGET[s] rows on day SEG_END[s]
 * of each of the NSEG segments (the last ends on LAST).  Free with
 * day_plan_clear(). */
void day_plan_build (DayPlan *p, GRand *r, guint32 first, guint32 last,
                     const RateKnot *knots, guint nk, const guint32 wday_pct[7],
                     guint32 jitter_pct, const guint32 *seg_end,
                     const guint64 *seg_target, guint nseg);

/* The day index (0 = p->first) of the next row; the caller never asks for
 * more rows than the plan holds.  No draw. */
guint day_plan_next (DayPlan *p);

/* Frees the plan's quotas. */
void day_plan_clear (DayPlan *p);

/* ------------------------------------------------------------------------ */
/* The 32 entidades (synth_entidades.c).                                     */
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

extern const Entidad ENT[N_ENT];

/* The two-digit INEGI clave of each entidad, "01" .. "32". */
extern const char *const CLAVES[N_ENT];

/* A valid alternative spelling of entidad E (0-based): its name, its alias
 * or its clave without the leading zero; one draw.  BUF holds the clave. */
const char *entidad_spelling (GRand *r, guint e, char buf[24]);

/* ------------------------------------------------------------------------ */
/* Invented people (synth_person.c).                                         */
/* ------------------------------------------------------------------------ */

/* A person of solicitudes.csv, consistent with the row. */
typedef struct
{
  guint age;                    /* years, 18 .. 85 */
  guint32 birth;                /* julian day */
  char nombre[160];             /* given name(s) and one or two surnames */
  char curp[19];                /* CURP-shaped, with a correct check digit */
} Person;

/* Draws a person for a row whose `sexo` column is SEXO ("mujer", "hombre",
 * "no_binaria" or "" for blank), filed on day SOL (julian) in entidad ENT
 * (0-based): names, age and birth day, and a CURP built from them.  8 to 14
 * draws, always in the same order. */
void person_draw (Person *p, GRand *r, const char *sexo, guint32 sol, guint ent);

/* ------------------------------------------------------------------------ */
/* Options and what was written.                                             */
/* ------------------------------------------------------------------------ */

/* The kinds of deliberate error of each file (names in synth_defects.c). */
enum
{
  SE_FECHA, SE_ENTIDAD, SE_VACIO, SE_MEDIO, SE_FOLIO, SE_RES_SIN_FECHA,
  SE_REG_ANTES, SE_FALTA_CAMPO, SE_EDAD, SE_SEXO, SE_APROBADA_SIN_CURSO,
  N_SE
};

enum
{
  DE_ALC_NEG, DE_ALC_TEXTO, DE_INSTANCIA, DE_ID, DE_FECHA, DE_TIPO, N_DE
};

/* The kinds' names for the summary, indexed by SE_* and DE_*. */
extern const char *const SE_NOMBRE[N_SE];
extern const char *const DE_NOMBRE[N_DE];

/* What the command line asked for. */
typedef struct
{
  guint64 solicitudes, difusion;  /* rows of each file */
  guint32 semilla;
  gboolean errores;               /* include the deliberate errors */
} Options;

/* What was written, for the summary: rows, error rows, error rows by kind. */
typedef struct
{
  guint64 s_rows, s_err, s_kind[N_SE];
  guint64 d_rows, d_err, d_kind[N_DE];
} Stats;

/* ------------------------------------------------------------------------ */
/* The rows of the two files, while they are built.                          */
/* ------------------------------------------------------------------------ */

#define SOL_FOLIO_PREFIX "OBS-2023-"
#define DIF_ID_PREFIX "DIF-"

/* The columns of solicitudes.csv, in order. */
enum
{
  S_FOLIO, S_ENTIDAD, S_FSOL, S_FREG, S_TIPO, S_MEDIO, S_SEXO, S_EDAD,
  S_FNAC, S_DISTRITO, S_ORG, S_DISC, S_IND, S_MODS, S_FCURSO, S_CURSO_POR,
  S_CURSO_MOD, S_RES, S_FRES, S_CONSEJO, S_CAUSA, S_NOMBRE, S_CURP, S_NCOLS
};

/* One row of solicitudes.csv: its fields (each points at a constant or at
 * one of the row's buffers) and what a deliberate error needs to know. */
typedef struct
{
  const char *f[S_NCOLS];
  char b_folio[40], b_ent[24], b_sol[11], b_reg[11], b_nac[11], b_curso[11],
    b_res[11], b_edad[24], b_dist[24], b_mods[16];
  Person person;                /* nombre, curp, age, birth */
  guint64 folio;                /* the folio number the row takes */
  guint32 reg, sol;             /* fecha_registro, fecha_solicitud (julian) */
  guint32 curso, res;           /* fecha_curso, fecha_resolucion, or 0 */
  guint32 res_max;              /* the last day a resolution may carry */
  guint ent;                    /* entidad, 0-based */
  gboolean is_org;              /* tipo organizacion */
  gboolean dmy;                 /* dates spelled DD/MM/YYYY */
  guint skip;                   /* the column left out, or S_NCOLS */
} SolRow;

/* The columns of difusion.csv, in order. */
enum
{
  D_ID, D_ENTIDAD, D_INSTANCIA, D_FECHA, D_FREG, D_TIPO, D_ALCANCE, D_DESC,
  D_MUNICIPIO, D_POBLACION, D_NCOLS
};

/* One row of difusion.csv, the same way. */
typedef struct
{
  const char *f[D_NCOLS];
  char b_id[40], b_ent[24], b_fecha[11], b_reg[11], b_alc[24];
  guint64 id;                   /* the id number the row takes */
  guint ent;                    /* entidad, 0-based */
} DifRow;

/* ------------------------------------------------------------------------ */
/* Deliberate errors (synth_defects.c).                                      */
/* ------------------------------------------------------------------------ */

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

/* How many of N rows carry an error: one per thousand (rounded), at least
 * MINIMUM; in files under 1000 rows MINIMUM, at most one per fifty rows. */
guint64 error_rows (guint64 n, guint64 minimum);

/* Plans ROWS error rows of NKINDS (at most 16) kinds.  No draw. */
void err_plan_init (ErrPlan *e, guint64 rows, guint nkinds);

/* Whether row ROW (0-based) of N gets an error; one draw unless the row is
 * row 0 or no error is left. */
gboolean err_plan_pick (ErrPlan *e, GRand *r, guint64 row, guint64 n);

/* The kind (0 .. nkinds - 1) of the next error row; a shuffle of nkinds - 1
 * draws at the start of every round of kinds. */
guint err_plan_kind (ErrPlan *e, GRand *r);

/* Turns ROW into an error row of kind KIND (SE_*) and counts it in ST: the
 * entidad back to its clave, then one defect (the variants of a kind take
 * turns).  Draws only for a repeated folio, a registration before the
 * filing and an approval without course. */
void sol_defect (SolRow *row, GRand *r, guint kind, Stats *st);

/* The same for difusion.csv (DE_*); draws only for a repeated id. */
void dif_defect (DifRow *row, GRand *r, guint kind, Stats *st);

/* ------------------------------------------------------------------------ */
/* The two files (synth_solicitudes.c, synth_difusion.c).                    */
/* ------------------------------------------------------------------------ */

/* Writes solicitudes.csv (header and o->solicitudes rows) to FP with draws
 * from R, and fills the s_* counters of ST.  Write errors are left in FP's
 * error indicator. */
void write_solicitudes (FILE *fp, GRand *r, const Options *o, Stats *st);

/* The same for difusion.csv (o->difusion rows, the d_* counters). */
void write_difusion (FILE *fp, GRand *r, const Options *o, Stats *st);

/* ------------------------------------------------------------------------ */
/* Output (synth_output.c).                                                  */
/* ------------------------------------------------------------------------ */

/* System error E (an errno value) in Spanish: g_strerror follows the C
 * locale, which this program never changes, so it would answer in English. */
const char *errno_es (int e);

/* Writes the N fields F as one CSV row (RFC 4180 quoting, "\n" ending) to FP,
 * using LINE as scratch; SKIP (if < N) is a field left out entirely, which
 * produces the "one comma fewer" row error. */
void csv_row (FILE *fp, GString *line, const char *const *f, guint n, guint skip);

/* An output file written to a temporary name next to the final one, so the
 * rename is atomic and a reader never sees half a file. */
typedef struct
{
  char *tmp_path;
  char *final_path;
  FILE *fp;
  char *buf;
} OutFile;

/* Creates the temporary file for DIR/NAME and opens OF->fp on it; on failure
 * says so on stderr and returns FALSE (OF needs only out_free()). */
gboolean out_open (OutFile *of, const char *dir, const char *name);

/* Closes OF->fp; on a write or close error says so on stderr and returns
 * FALSE.  The temporary file stays until renamed or out_discard(). */
gboolean out_close (OutFile *of);

/* Removes the temporary file, if any. */
void out_discard (OutFile *of);

/* Frees OF's paths (safe on a zeroed OutFile). */
void out_free (OutFile *of);

#endif /* OBSERVA_SYNTH_H */
