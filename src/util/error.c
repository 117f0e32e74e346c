/* error.c - status strings, exit codes and the caller-owned error record. */
#include "observa/error.h"

#include <errno.h>
#include <glib.h>
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

/* Every errno observa can meet with files, in Spanish: messages read "no se puede crear el
 * archivo: <texto>". Searched linearly: a few dozen entries, and only on an error path. */
static const struct {
    int errnum;
    const char *text;
} errno_table[] = {
    {ENOENT, "no existe el archivo o el directorio"},
    {EACCES, "permiso denegado"},
    {EPERM, "operación no permitida"},
    {EISDIR, "es un directorio"},
    {ENOTDIR, "una parte de la ruta no es un directorio"},
    {ENOSPC, "no queda espacio en el disco"},
    {EDQUOT, "se excedió la cuota de disco"},
    {EROFS, "el sistema de archivos es de solo lectura"},
    {EEXIST, "el archivo ya existe"},
    {ELOOP, "demasiados enlaces simbólicos en la ruta (¿un ciclo?)"},
    {ENAMETOOLONG, "el nombre del archivo es demasiado largo"},
    {EMFILE, "el proceso tiene demasiados archivos abiertos"},
    {ENFILE, "el sistema tiene demasiados archivos abiertos"},
    {EIO, "error de entrada/salida del dispositivo"},
    {EBUSY, "el dispositivo o el recurso está ocupado"},
    {EXDEV, "origen y destino están en sistemas de archivos distintos"},
    {EFBIG, "el archivo excede el tamaño máximo permitido"},
    {ENOMEM, "memoria insuficiente"},
    {EINVAL, "argumento no válido"},
    {EAGAIN, "recurso no disponible por ahora; inténtelo de nuevo"},
    {EINTR, "operación interrumpida"},
    {ETXTBSY, "el archivo está en uso"},
    {ENXIO, "no existe el dispositivo o la dirección"},
    {ENODEV, "no existe el dispositivo"},
    {EBADF, "descriptor de archivo no válido"},
    {EPIPE, "el programa que recibía los datos terminó"},
    {ENOTEMPTY, "el directorio no está vacío"},
    {EMLINK, "demasiados enlaces"},
    {ESPIPE, "no se puede posicionar en el archivo (¿una tubería?)"},
    {EOVERFLOW, "el valor es demasiado grande"},
    {ENOSYS, "función no disponible en este sistema"},
    {ENOTSUP, "operación no admitida"},
    {EFAULT, "dirección no válida"},
    {ESTALE, "el archivo ya no está disponible en el servidor (NFS)"},
    {ETIMEDOUT, "se agotó el tiempo de espera"},
    {ENOLCK, "no hay candados disponibles"},
    {EDEADLK, "se evitó un bloqueo mutuo"},
};

const char *obs_strerror(int errnum)
{
    if (errnum == 0)
        return "sin error";
    for (size_t i = 0; i < sizeof errno_table / sizeof errno_table[0]; i++)
        if (errno_table[i].errnum == errnum)
            return errno_table[i].text;
    static _Thread_local char other[48];
    snprintf(other, sizeof other, "error del sistema (código %d)", errnum);
    return other;
}

const char *obs_gerror_str(const GError *e)
{
    /* GFileError mirrors errno one to one; GLib offers the way in, not the way back. */
    static const int from_gfile[] = {
        [G_FILE_ERROR_EXIST] = EEXIST,   [G_FILE_ERROR_ISDIR] = EISDIR, [G_FILE_ERROR_ACCES] = EACCES,
        [G_FILE_ERROR_NAMETOOLONG] = ENAMETOOLONG, [G_FILE_ERROR_NOENT] = ENOENT,
        [G_FILE_ERROR_NOTDIR] = ENOTDIR, [G_FILE_ERROR_NXIO] = ENXIO,   [G_FILE_ERROR_NODEV] = ENODEV,
        [G_FILE_ERROR_ROFS] = EROFS,     [G_FILE_ERROR_TXTBSY] = ETXTBSY, [G_FILE_ERROR_FAULT] = EFAULT,
        [G_FILE_ERROR_LOOP] = ELOOP,     [G_FILE_ERROR_NOSPC] = ENOSPC, [G_FILE_ERROR_NOMEM] = ENOMEM,
        [G_FILE_ERROR_MFILE] = EMFILE,   [G_FILE_ERROR_NFILE] = ENFILE, [G_FILE_ERROR_BADF] = EBADF,
        [G_FILE_ERROR_INVAL] = EINVAL,   [G_FILE_ERROR_PIPE] = EPIPE,   [G_FILE_ERROR_AGAIN] = EAGAIN,
        [G_FILE_ERROR_INTR] = EINTR,     [G_FILE_ERROR_IO] = EIO,       [G_FILE_ERROR_PERM] = EPERM,
        [G_FILE_ERROR_NOSYS] = ENOSYS,
    };
    if (!e)
        return "";
    if (e->domain == G_FILE_ERROR) {
        if (e->code >= 0 && (size_t)e->code < sizeof from_gfile / sizeof from_gfile[0] && from_gfile[e->code])
            return obs_strerror(from_gfile[e->code]);
        return "error del sistema";
    }
    return e->message;
}
