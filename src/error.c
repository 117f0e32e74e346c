/* error.c - status strings, exit codes and the caller-owned error record. */
#include "observa/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

static const struct {
    const char *text;
    int exit_code;
} status_table[OBS_STATUS_COUNT] = {
    [OBS_OK] = {"correcto", EX_OK},
    [OBS_ERR_USAGE] = {"uso incorrecto", EX_USAGE},
    [OBS_ERR_DATA] = {"datos de entrada no válidos", EX_DATAERR},
    [OBS_ERR_NOINPUT] = {"no se puede leer un archivo de entrada", EX_NOINPUT},
    [OBS_ERR_CANTCREAT] = {"no se puede crear un archivo de salida", EX_CANTCREAT},
    [OBS_ERR_IO] = {"error de escritura", EX_IOERR},
    [OBS_ERR_LOCKED] = {"otra ejecución usa el directorio de salida", EX_TEMPFAIL},
    [OBS_ERR_CONFIG] = {"error de configuración o de plantilla", EX_CONFIG},
    [OBS_ERR_NOMEM] = {"memoria insuficiente o límite interno excedido", EX_SOFTWARE},
    [OBS_ERR_INTERNAL] = {"error interno", EX_SOFTWARE},
};

const char *obs_status_str(obs_status status)
{
    if ((unsigned)status >= OBS_STATUS_COUNT)
        return "estado desconocido";
    return status_table[status].text;
}

int obs_status_exit_code(obs_status status)
{
    if ((unsigned)status >= OBS_STATUS_COUNT)
        return EX_SOFTWARE;
    return status_table[status].exit_code;
}

void obs_error_clear(obs_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

obs_status obs_error_set(obs_error *err, obs_status code, const char *path,
                         uint64_t line, unsigned column, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->path, sizeof err->path, "%s", path ? path : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

size_t obs_error_format(const obs_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return 0;
    int n;
    if (err->path[0] && err->line && err->column)
        n = snprintf(buf, size, "%s:%llu:%u: %s", err->path,
                     (unsigned long long)err->line, err->column, err->message);
    else if (err->path[0] && err->line)
        n = snprintf(buf, size, "%s:%llu: %s", err->path,
                     (unsigned long long)err->line, err->message);
    else if (err->path[0])
        n = snprintf(buf, size, "%s: %s", err->path, err->message);
    else
        n = snprintf(buf, size, "%s", err->message);
    if (n < 0)
        return 0;
    return (size_t)n < size ? (size_t)n : size - 1;
}
