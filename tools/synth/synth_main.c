/* synth_main.c - observa-synth's command line: options, the Spanish --help and messages, the run, the summary. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "synth.h"

/* sysexits.h values, spelled out so the program does not depend on a BSD header. */
#define EXIT_USAGE 64
#define EXIT_CANTCREAT 73

#define MAX_ROWS 50000000u

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
