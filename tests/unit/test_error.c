/* test_error.c - status codes and system errors in Spanish, whatever the locale. */
#include <errno.h>
#include <glib.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "observa/error.h"

/* Every errno observa can meet reading inputs and writing outputs, with a word its text must hold. */
static const struct {
    int errnum;
    const char *says;
} mapped[] = {
    {ENOENT, "no existe"},       {EACCES, "permiso denegado"},   {EISDIR, "es un directorio"},
    {ENOTDIR, "no es un directorio"}, {ENOSPC, "espacio"},        {EROFS, "solo lectura"},
    {EEXIST, "ya existe"},       {ELOOP, "enlaces simbólicos"},  {ENAMETOOLONG, "demasiado largo"},
    {EMFILE, "demasiados archivos abiertos"}, {ENFILE, "demasiados archivos abiertos"},
    {EIO, "entrada/salida"},     {EDQUOT, "cuota"},              {EPERM, "no permitida"},
    {EBUSY, "ocupado"},          {EXDEV, "sistemas de archivos distintos"}, {EFBIG, "tamaño máximo"},
    {ENOMEM, "memoria"},         {EINVAL, "no válido"},          {EAGAIN, "inténtelo de nuevo"},
    {EINTR, "interrumpida"},     {ETXTBSY, "en uso"},            {ENXIO, "dispositivo"},
    {ENODEV, "dispositivo"},     {EBADF, "descriptor"},          {EPIPE, "terminó"},
    {ENOTEMPTY, "no está vacío"}, {EMLINK, "enlaces"},           {ESPIPE, "tubería"},
    {EOVERFLOW, "demasiado grande"}, {ENOSYS, "no disponible"},  {ENOTSUP, "no admitida"},
    {EFAULT, "dirección"},       {ESTALE, "NFS"},                {ETIMEDOUT, "tiempo de espera"},
    {ENOLCK, "candados"},        {EDEADLK, "bloqueo mutuo"},
};

static void test_strerror_is_spanish_for_every_errno_observa_meets(void **state)
{
    (void)state;
    setlocale(LC_ALL, "C"); /* where g_strerror() answers in English */
    for (size_t i = 0; i < G_N_ELEMENTS(mapped); i++) {
        const char *es = obs_strerror(mapped[i].errnum);
        if (!strstr(es, mapped[i].says))
            fail_msg("errno %d: «%s» lacks «%s»", mapped[i].errnum, es, mapped[i].says);
        if (strcmp(es, g_strerror(mapped[i].errnum)) == 0)
            fail_msg("errno %d: «%s» is GLib's English text", mapped[i].errnum, es);
    }
    /* Anything else still says it is a system error, with its number. */
    assert_string_equal(obs_strerror(100000), "error del sistema (código 100000)");
    assert_string_equal(obs_strerror(0), "sin error");
}

static void test_gerror_of_a_file_is_spanish(void **state)
{
    (void)state;
    GError *e = NULL;
    char *text = NULL;
    assert_false(g_file_get_contents("/no-existe/archivo", &text, NULL, &e));
    assert_string_equal(obs_gerror_str(e), "no existe el archivo o el directorio");
    g_clear_error(&e);
    assert_false(g_file_get_contents("/", &text, NULL, &e));
    assert_string_equal(obs_gerror_str(e), obs_strerror(EISDIR));
    g_clear_error(&e);
    /* Each GFileError code that mirrors an errno gets that errno's text. */
    const struct {
        GFileError code;
        int errnum;
    } codes[] = {{G_FILE_ERROR_ACCES, EACCES}, {G_FILE_ERROR_NOSPC, ENOSPC}, {G_FILE_ERROR_ROFS, EROFS},
                 {G_FILE_ERROR_LOOP, ELOOP},   {G_FILE_ERROR_NOSYS, ENOSYS}, {G_FILE_ERROR_PERM, EPERM}};
    for (size_t i = 0; i < G_N_ELEMENTS(codes); i++) {
        e = g_error_new_literal(G_FILE_ERROR, (gint)codes[i].code, "English text");
        assert_string_equal(obs_gerror_str(e), obs_strerror(codes[i].errnum));
        g_clear_error(&e);
    }
    assert_string_equal(obs_gerror_str(NULL), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_is_spanish_for_every_errno_observa_meets),
        cmocka_unit_test(test_gerror_of_a_file_is_spanish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
