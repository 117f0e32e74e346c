/* synth_main.c - observa-synth's command line: options, the Spanish --help and messages, the run, the summary. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "synth.h"

/* sysexits.h values, spelled out so the program does not depend on a BSD header. */
#define EXIT_USAGE 64
#define EXIT_CANTCREAT 73

#define MAX_ROWS 50000000u

/* The Spanish --help, on stdout. */
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

/* S as a decimal integer of at most MAX, in *OUT; FALSE (and *OUT untouched)
 * if S is empty, has anything but digits or is too large. */
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

/* The options GOption knows, as typed; those that take a value skip it
 * when it is the next argument. */
static const struct
{
  const char *name;
  gboolean takes_value;
} KNOWN_OPTIONS[] = {
  {"--solicitudes", TRUE}, {"--difusion", TRUE}, {"--semilla", TRUE}, {"-o", TRUE},
  {"--salida", TRUE}, {"--errores", FALSE}, {"--sin-errores", FALSE}, {"-h", FALSE},
  {"--help", FALSE},
};

/* GOption reports in English under the C locale; find the culprit ourselves
 * to say it in Spanish. */
static const char *
unknown_option (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      gboolean ok = FALSE, skip_value = FALSE;

      if (strcmp (argv[i], "--") == 0)
        break;
      if (argv[i][0] != '-' || argv[i][1] == '\0')
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (KNOWN_OPTIONS); k++)
        {
          const char *name = KNOWN_OPTIONS[k].name;
          gsize len = strlen (name);

          if (strncmp (argv[i], name, len) == 0
              && (argv[i][len] == '\0' || argv[i][len] == '='
                  || (name[1] != '-' && len == 2)))
            ok = TRUE;
          if (KNOWN_OPTIONS[k].takes_value && strcmp (argv[i], name) == 0)
            skip_value = TRUE;
        }
      if (!ok)
        return argv[i];
      if (skip_value)
        i++;
    }
  return NULL;
}

/* The options as given, before they are checked. */
typedef struct
{
  gchar *solicitudes, *difusion, *semilla, *salida;
  gboolean errores, sin_errores, help;
} CommandLine;

/* Parses *ARGC, *ARGV into CL with GOption (whose English --help is off);
 * on failure says why in Spanish and returns EXIT_USAGE, else 0. */
static int
parse_command_line (int *argc, char ***argv, CommandLine *cl)
{
  const GOptionEntry entries[] = {
    {"solicitudes", 0, 0, G_OPTION_ARG_STRING, &cl->solicitudes, NULL, "N"},
    {"difusion", 0, 0, G_OPTION_ARG_STRING, &cl->difusion, NULL, "N"},
    {"semilla", 0, 0, G_OPTION_ARG_STRING, &cl->semilla, NULL, "S"},
    {"salida", 'o', 0, G_OPTION_ARG_FILENAME, &cl->salida, NULL, "DIR"},
    {"errores", 0, 0, G_OPTION_ARG_NONE, &cl->errores, NULL, NULL},
    {"sin-errores", 0, 0, G_OPTION_ARG_NONE, &cl->sin_errores, NULL, NULL},
    {"help", 'h', 0, G_OPTION_ARG_NONE, &cl->help, NULL, NULL},
    {NULL, 0, 0, G_OPTION_ARG_NONE, NULL, NULL, NULL},
  };
  GOptionContext *ctx = g_option_context_new (NULL);
  GError *error = NULL;
  int status = 0;

  /* Our own Spanish --help replaces GLib's, which would be in English. */
  g_option_context_set_help_enabled (ctx, FALSE);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      const char *bad = unknown_option (*argc, *argv);

      if (error->code == G_OPTION_ERROR_UNKNOWN_OPTION && bad != NULL)
        status = usage_error ("opción desconocida", bad);
      else if (error->code == G_OPTION_ERROR_BAD_VALUE || error->code == G_OPTION_ERROR_FAILED)
        status = usage_error ("falta el valor de una opción o no es válido",
                              *argc > 1 ? (*argv)[*argc - 1] : NULL);
      else
        status = usage_error ("opciones no válidas", NULL);
      g_error_free (error);
    }
  g_option_context_free (ctx);
  return status;
}

/* Checks CL and the ARGC, ARGV left after parsing, in the order the errors
 * are reported, and fills O and *DIR (a string of CL, or "."); returns 0 or
 * EXIT_USAGE after saying why. */
static int
check_options (const CommandLine *cl, int argc, char **argv, Options *o, const char **dir)
{
  guint64 semilla = o->semilla;
  const struct
  {
    const char *text;
    guint64 max;
    guint64 *value;
    const char *msg;
  } numbers[] = {
    {cl->solicitudes, MAX_ROWS, &o->solicitudes,
     "valor no válido para --solicitudes (se espera un entero de 0 a 50000000)"},
    {cl->difusion, MAX_ROWS, &o->difusion,
     "valor no válido para --difusion (se espera un entero de 0 a 50000000)"},
    {cl->semilla, G_MAXUINT32, &semilla,
     "valor no válido para --semilla (se espera un entero de 0 a 4294967295)"},
  };

  if (argc > 1)
    return usage_error ("argumento inesperado", argv[1]);
  if (cl->errores && cl->sin_errores)
    return usage_error ("--errores y --sin-errores no pueden usarse juntas", NULL);
  o->errores = !cl->sin_errores;
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    if (numbers[i].text != NULL && !parse_uint (numbers[i].text, numbers[i].max, numbers[i].value))
      return usage_error (numbers[i].msg, numbers[i].text);
  o->semilla = (guint32) semilla;
  *dir = cl->salida != NULL ? cl->salida : ".";
  if (**dir == '\0')
    return usage_error ("el directorio de salida no puede estar vacío", NULL);
  return 0;
}

/* Closes both files and renames them into place, solicitudes first; on
 * failure says why, removes the temporary files left and returns
 * EXIT_CANTCREAT, else 0. */
static int
publish (OutFile *sol, OutFile *dif)
{
  gboolean ok_s = out_close (sol);
  gboolean ok_d = out_close (dif);

  if (!ok_s || !ok_d)
    {
      out_discard (sol);
      out_discard (dif);
      return EXIT_CANTCREAT;
    }
  if (g_rename (sol->tmp_path, sol->final_path) != 0)
    {
      fprintf (stderr, "observa-synth: no se pudo crear %s: %s\n", sol->final_path, errno_es (errno));
      out_discard (sol);
      out_discard (dif);
      return EXIT_CANTCREAT;
    }
  if (g_rename (dif->tmp_path, dif->final_path) != 0)
    {
      fprintf (stderr, "observa-synth: no se pudo crear %s: %s\n", dif->final_path, errno_es (errno));
      out_discard (dif);
      return EXIT_CANTCREAT;
    }
  return 0;
}

/* Creates DIR if needed and writes solicitudes.csv and difusion.csv into it
 * as O asks, counting in ST; returns 0 or EXIT_CANTCREAT after saying why
 * (no file is left half written). */
static int
write_files (const char *dir, const Options *o, Stats *st)
{
  OutFile sol = { NULL, NULL, NULL, NULL }, dif = { NULL, NULL, NULL, NULL };
  int status = EXIT_CANTCREAT;
  GRand *r;

  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      fprintf (stderr, "observa-synth: no se pudo crear el directorio %s: %s\n", dir, errno_es (errno));
      return EXIT_CANTCREAT;
    }
  if (!out_open (&sol, dir, "solicitudes.csv"))
    goto out;
  if (!out_open (&dif, dir, "difusion.csv"))
    {
      out_close (&sol);
      out_discard (&sol);
      goto out;
    }

  /* One generator for both files, solicitudes first: a stable order of
   * draws is what makes the output reproducible. */
  r = g_rand_new_with_seed (o->semilla);
  write_solicitudes (sol.fp, r, o, st);
  write_difusion (dif.fp, r, o, st);
  g_rand_free (r);
  status = publish (&sol, &dif);

out:
  out_free (&sol);
  out_free (&dif);
  return status;
}

/* One line on stderr with the error rows of FILE by kind (the N counts
 * KIND, named NAMES), those with none left out. */
static void
print_error_kinds (const char *file, const guint64 *kind, const char *const *names, guint n)
{
  GString *s = g_string_new ("observa-synth: errores en ");
  const char *sep = " ";

  g_string_append_printf (s, "%s:", file);
  for (guint k = 0; k < n; k++)
    if (kind[k] > 0)
      {
        g_string_append_printf (s, "%s%s %" G_GUINT64_FORMAT, sep, names[k], kind[k]);
        sep = ", ";
      }
  fprintf (stderr, "%s\n", s->str);
  g_string_free (s, TRUE);
}

/* What was written where, on stderr. */
static void
print_summary (const Stats *st, const char *dir)
{
  fprintf (stderr, "observa-synth: %" G_GUINT64_FORMAT " %s (%" G_GUINT64_FORMAT
           " con errores deliberados), %" G_GUINT64_FORMAT
           " %s (%" G_GUINT64_FORMAT " con errores) en %s%s\n",
           st->s_rows, st->s_rows == 1 ? "solicitud" : "solicitudes", st->s_err,
           st->d_rows, st->d_rows == 1 ? "acción de difusión" : "acciones de difusión", st->d_err,
           dir, g_str_has_suffix (dir, "/") ? "" : "/");
  if (st->s_err > 0)
    print_error_kinds ("solicitudes.csv", st->s_kind, SE_NOMBRE, N_SE);
  if (st->d_err > 0)
    print_error_kinds ("difusion.csv", st->d_kind, DE_NOMBRE, N_DE);
}

int
main (int argc, char **argv)
{
  CommandLine cl = { NULL, NULL, NULL, NULL, FALSE, FALSE, FALSE };
  Options o = { 35000, 7000, 2024, TRUE };
  Stats st;
  const char *dir = ".";
  int status;

  memset (&st, 0, sizeof st);
  status = parse_command_line (&argc, &argv, &cl);
  if (status == 0 && cl.help)
    print_help ();
  else if (status == 0)
    {
      status = check_options (&cl, argc, argv, &o, &dir);
      if (status == 0)
        status = write_files (dir, &o, &st);
      if (status == 0)
        print_summary (&st, dir);
    }
  g_free (cl.solicitudes);
  g_free (cl.difusion);
  g_free (cl.semilla);
  g_free (cl.salida);
  return status;
}
