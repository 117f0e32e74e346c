/* synth_defects.c - observa-synth's deliberate errors: their names, the bad values, which rows get one. */

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

const char *const BAD_DATES[3] = { "31/02/2024", "2024-13-01", "mañana" };

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
