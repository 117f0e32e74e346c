/* synth_defects.c - observa-synth's deliberate errors: which rows get one, of which kind, and what each does. */

#include "synth.h"

const char *const SE_NOMBRE[N_SE] = {
  "fecha no interpretable", "entidad desconocida", "campo obligatorio vacío",
  "medio desconocido", "folio repetido", "resolución sin fecha_resolucion",
  "fecha_registro anterior a fecha_solicitud", "fila con un campo de menos",
  "edad fuera de rango (aviso)", "sexo desconocido (aviso)",
  "aprobada sin fecha_curso (aviso)",
};

const char *const DE_NOMBRE[N_DE] = {
  "alcance negativo", "alcance no numérico", "instancia desconocida",
  "id repetido", "fecha no interpretable", "tipo desconocido (aviso)",
};

/* Dates observa cannot read. */
static const char *const BAD_DATES[3] = { "31/02/2024", "2024-13-01", "mañana" };

guint64
error_rows (guint64 n, guint64 minimum)
{
  if (n >= 1000)
    return MAX (minimum, (n + 500) / 1000);
  return MIN (minimum, n / 50);
}

void
err_plan_init (ErrPlan *e, guint64 rows, guint nkinds)
{
  e->left = rows;
  e->nkinds = nkinds;
  e->pos = 0;
  for (guint i = 0; i < nkinds; i++)
    e->order[i] = i;
}

/* Row 0 never carries an error, so a repeated id always has an original. */
gboolean
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

guint
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
/* solicitudes.csv                                                           */
/* ------------------------------------------------------------------------ */

/* A kind either sets one column to a constant or is a function; V counts
 * the earlier rows of the kind, so that its variants take turns and a small
 * sample still shows each of them (e.g. both "33" and "Atlantis"). */
typedef struct
{
  guint col;
  const char *value;
  void (*apply) (SolRow *row, GRand *r, guint v);
} SolKind;

static void
se_fecha (SolRow *row, GRand *r, guint v)
{
  (void) r;
  row->f[v % 2 == 0 ? S_FSOL : S_FREG] = BAD_DATES[v % 3];
}

static void
se_entidad (SolRow *row, GRand *r, guint v)
{
  (void) r;
  row->f[S_ENTIDAD] = v % 2 == 0 ? "33" : "Atlantis";
}

static void
se_vacio (SolRow *row, GRand *r, guint v)
{
  (void) r;
  row->f[v % 2 == 0 ? S_MEDIO : S_TIPO] = "";
}

/* Copies one of the last 50 folios; this row takes no number. */
static void
se_folio (SolRow *row, GRand *r, guint v)
{
  (void) v;
  row->folio--;
  fmt_id (row->b_folio, SOL_FOLIO_PREFIX, row->folio - rnd_below (r, (guint32) MIN (row->folio, 50u)));
}

static void
se_res_sin_fecha (SolRow *row, GRand *r, guint v)
{
  (void) r;
  (void) v;
  if (row->res == 0)
    {
      row->f[S_RES] = row->curso != 0 ? "aprobada" : "declinada";
      row->f[S_CONSEJO] = "distrital";
    }
  row->f[S_FRES] = "";
}

static void
se_reg_antes (SolRow *row, GRand *r, guint v)
{
  (void) v;
  row->f[S_FSOL] = fmt_date (row->b_sol, row->reg + (guint32) rnd_range (r, 1, 3), row->dmy);
}

static void
se_falta_campo (SolRow *row, GRand *r, guint v)
{
  static const guint victims[] = { S_DISTRITO, S_DISC, S_IND, S_CURSO_MOD, S_CAUSA };

  (void) r;
  row->skip = victims[v % G_N_ELEMENTS (victims)];
}

static void
se_edad (SolRow *row, GRand *r, guint v)
{
  (void) r;
  row->f[S_EDAD] = v % 2 == 0 ? "7" : "150";
  row->f[S_FNAC] = "";
}

static void
se_aprobada_sin_curso (SolRow *row, GRand *r, guint v)
{
  (void) v;
  row->f[S_FCURSO] = row->f[S_CURSO_POR] = row->f[S_CURSO_MOD] = row->f[S_CAUSA] = "";
  row->f[S_RES] = "aprobada";
  row->res = row->reg + (guint32) rnd_range (r, 10, 30);
  row->f[S_FRES] = fmt_date (row->b_res, MIN (row->res, row->res_max), row->dmy);
  row->f[S_CONSEJO] = rnd_ppm (r, 350000) ? "local" : "distrital";
}

static const SolKind SE_KINDS[N_SE] = {
  [SE_FECHA] = { 0, NULL, se_fecha },
  [SE_ENTIDAD] = { 0, NULL, se_entidad },
  [SE_VACIO] = { 0, NULL, se_vacio },
  [SE_MEDIO] = { S_MEDIO, "fax", NULL },
  [SE_FOLIO] = { 0, NULL, se_folio },
  [SE_RES_SIN_FECHA] = { 0, NULL, se_res_sin_fecha },
  [SE_REG_ANTES] = { 0, NULL, se_reg_antes },
  [SE_FALTA_CAMPO] = { 0, NULL, se_falta_campo },
  [SE_EDAD] = { 0, NULL, se_edad },
  [SE_SEXO] = { S_SEXO, "otro", NULL },
  [SE_APROBADA_SIN_CURSO] = { 0, NULL, se_aprobada_sin_curso },
};

void
sol_defect (SolRow *row, GRand *r, guint kind, Stats *st)
{
  const SolKind *k = &SE_KINDS[kind];
  guint v = (guint) st->s_kind[kind];

  st->s_err++;
  st->s_kind[kind]++;
  /* Error rows use canonical spellings so each has one defect only. */
  row->f[S_ENTIDAD] = CLAVES[row->ent];
  if (k->apply != NULL)
    k->apply (row, r, v);
  else
    row->f[k->col] = k->value;
}

/* ------------------------------------------------------------------------ */
/* difusion.csv                                                              */
/* ------------------------------------------------------------------------ */

/* The same for difusion.csv. */
typedef struct
{
  guint col;
  const char *value;
  void (*apply) (DifRow *row, GRand *r, guint v);
} DifKind;

/* Copies one of the last 50 ids; this row takes no number. */
static void
de_id (DifRow *row, GRand *r, guint v)
{
  (void) v;
  row->id--;
  fmt_id (row->b_id, DIF_ID_PREFIX, row->id - rnd_below (r, (guint32) MIN (row->id, 50u)));
}

static void
de_fecha (DifRow *row, GRand *r, guint v)
{
  (void) r;
  row->f[D_FECHA] = BAD_DATES[v % 3];
}

static const DifKind DE_KINDS[N_DE] = {
  [DE_ALC_NEG] = { D_ALCANCE, "-5", NULL },
  [DE_ALC_TEXTO] = { D_ALCANCE, "muchos", NULL },
  [DE_INSTANCIA] = { D_INSTANCIA, "municipio", NULL },
  [DE_ID] = { 0, NULL, de_id },
  [DE_FECHA] = { 0, NULL, de_fecha },
  [DE_TIPO] = { D_TIPO, "globos", NULL },
};

void
dif_defect (DifRow *row, GRand *r, guint kind, Stats *st)
{
  const DifKind *k = &DE_KINDS[kind];
  guint v = (guint) st->d_kind[kind];

  st->d_err++;
  st->d_kind[kind]++;
  row->f[D_ENTIDAD] = CLAVES[row->ent];
  if (k->apply != NULL)
    k->apply (row, r, v);
  else
    row->f[k->col] = k->value;
}
