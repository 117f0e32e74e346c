/* synth_output.c - observa-synth's output: CSV rows, files written under a temporary name and renamed into place. */

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

#include "synth.h"

#define IO_BUFFER_SIZE (1u << 20)

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
void
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
/* Files.                                                                    */
/* ------------------------------------------------------------------------ */

/* System error text in Spanish: g_strerror follows the C locale, which this
 * program never changes, so it would answer in English. */
const char *
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

/* Temporary file next to the final one, so the rename is atomic and a
 * reader never sees half a file. */
gboolean
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

gboolean
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

void
out_discard (OutFile *of)
{
  if (of->tmp_path != NULL)
    g_unlink (of->tmp_path);
}

void
out_free (OutFile *of)
{
  g_clear_pointer (&of->tmp_path, g_free);
  g_clear_pointer (&of->final_path, g_free);
}
