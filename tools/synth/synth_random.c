/* synth_random.c - observa-synth's weighted draws, dates, number formatting and day plans (rows per day). */

#include <string.h>

#include "synth.h"

/* ------------------------------------------------------------------------ */
/* Weighted draws.                                                           */
/* ------------------------------------------------------------------------ */

void
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

guint
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

guint32
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

guint32
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
const char *
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
const char *
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
const char *
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

void
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
guint
day_plan_next (DayPlan *p)
{
  while (p->quota[p->day] == 0)
    p->day++;
  p->quota[p->day]--;
  return p->day;
}

void
day_plan_clear (DayPlan *p)
{
  g_free (p->quota);
  p->quota = NULL;
}
