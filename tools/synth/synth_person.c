/* synth_person.c - observa-synth's invented people: given names, surnames, ages and CURP-shaped strings. */

#include <string.h>

#include "synth.h"

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
  static const char *const particles[] = {
    "DA", "DAS", "DE", "DEL", "DER", "DI", "DIE", "EL", "LA", "LAS", "LE", "LOS", "MC", "MAC", "VAN", "VON", "Y",
  };
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

void
person_draw (Person *p, GRand *r, const char *sexo, guint32 sol, guint ent)
{
  gboolean fem = sexo[0] == 'm' || (sexo[0] != 'h' && rnd_ppm (r, 500000));
  char sexc = sexo[0] == 'n' ? 'X' : (fem ? 'M' : 'H');
  const char *given, *sur1, *sur2, *state;
  guint32 place;
  GDate g;
  char diff;

  given = fem ? NOMBRES_M[rnd_below (r, G_N_ELEMENTS (NOMBRES_M))]
    : NOMBRES_H[rnd_below (r, G_N_ELEMENTS (NOMBRES_H))];
  sur1 = APELLIDOS[rnd_below (r, G_N_ELEMENTS (APELLIDOS))];
  sur2 = rnd_ppm (r, 20000) ? NULL : APELLIDOS[rnd_below (r, G_N_ELEMENTS (APELLIDOS))];
  p->age = draw_age (r);
  p->birth = years_before (sol, p->age) - rnd_below (r, 365);
  place = rnd_below (r, 100);
  state = place < 92 ? ENT[ent].curp : place < 99 ? ENT[rnd_below (r, N_ENT)].curp : "NE";

  /* RENAPO's 17th character is a digit for births before 2000 and a letter
   * after, nearly always the first of its range. */
  g_date_clear (&g, 1);
  g_date_set_julian (&g, p->birth);
  diff = g_date_get_year (&g) < 2000 ? '0' : 'A';
  if (rnd_ppm (r, 100000))
    diff++;
  make_curp (p->curp, given, sur1, sur2, p->birth, sexc, state, diff);
  g_snprintf (p->nombre, sizeof p->nombre, "%s %s%s%s", given, sur1,
              sur2 != NULL ? " " : "", sur2 != NULL ? sur2 : "");
}
