/* cmd_acceso.c - `observa acceso crear|listar|revocar`: the per-OPL tokens of observa servir. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "observa/history.h"

static const char help[] =
    "Uso: observa acceso crear --entidad CLAVE --datos DIR\n"
    "     observa acceso listar --datos DIR\n"
    "     observa acceso revocar NUMERO --datos DIR\n"
    "\n"
    "Los tokens con los que cada OPL entra a «observa servir»: con el suyo, un OPL descarga sólo\n"
    "los resúmenes y oficios de su entidad de los cortes publicados. «crear» escribe el token, y\n"
    "sólo el token, en la salida estándar: entréguelo por un medio seguro; observa guarda sólo su\n"
    "huella (SHA-256) en el historial de DIR, de modo que no se puede volver a mostrar. «listar»\n"
    "muestra número, entidad, fecha de creación (hora del centro, UTC-6, como observa historial)\n"
    "y si fue revocado; «revocar» lo anula para siempre (las sesiones abiertas con él terminan).\n"
    "Sólo «crear» crea la carpeta de datos y su historial; «listar» y «revocar» no crean nada.\n"
    "\n"
    "Opciones:\n"
    "      --datos DIR               la carpeta de datos de observa servir (su historial.sqlite)\n"
    "      --entidad CLAVE           la entidad del OPL, de 1 a 32 (para crear)\n"
    "  -t, --plantillas DIR          plantillas y catálogos (listar: las siglas de cada OPL)\n"
    "  -q, --silencioso              sin el aviso de «crear» y «revocar» en la salida de errores\n"
    "  -h, --help                    muestra esta ayuda\n"
    "\n"
    "Estado de salida: 0 correcto; 64 uso incorrecto (también un número que no es de un token\n"
    "vigente); 66 no existe la carpeta de datos o su historial (listar, revocar); 73 no se puede\n"
    "crear o escribir el historial; 74 error de escritura; 75 otra ejecución lo retuvo más de 30\n"
    "segundos; 78 el archivo no es un historial de observa.\n";

struct listing {
    const obs_catalog *cat;
    unsigned n;
};

/* One token per line under a header, times in central Mexico like observa historial's. The number
 * goes first and unpadded, so a script finds a token's with ^(\d+)\s+ENTIDAD. */
static void print_access(const obs_access *a, void *ud)
{
    struct listing *l = ud;
    if (l->n++ == 0) /* ("número" has 6 letters and 7 bytes: printf would pad it short) */
        printf("%-6s  %-7s  %-18s  %-16s  %s\n", "número", "entidad", "OPL", "creado", "estado");
    const obs_entidad *e = l->cat ? obs_catalog_entidad(l->cat, a->entidad) : NULL;
    char creado[32], cuando[32], estado[48] = "vigente";
    cli_format_time(a->creado, creado, sizeof creado);
    if (a->revocado) {
        cli_format_time(a->revocado, cuando, sizeof cuando);
        g_snprintf(estado, sizeof estado, "revocado el %s", cuando);
    }
    printf("%-6" G_GINT64_FORMAT "  %02d       %-18s  %-16s  %s\n", a->id, a->entidad, e ? e->opl_etiqueta : "",
           creado, estado);
}

static int list_access(cli *c, obs_history *h)
{
    struct listing l = {.cat = c->cat};
    if (obs_access_list(h, print_access, &l, &c->err) != OBS_OK)
        return cli_fail(c);
    if (l.n == 0)
        printf("El historial %s no tiene tokens de OPL; se crean con «observa acceso crear --entidad CLAVE».\n",
               obs_history_path(h));
    return 0;
}

/* The subcommand's work on an open history. */
static int run(cli *c, obs_history *h, const char *what, const char *arg, int64_t entidad)
{
    obs_status st = OBS_OK;
    if (strcmp(what, "crear") == 0) {
        char *token = NULL;
        int64_t id = 0;
        st = obs_access_create(h, (int)entidad, &token, &id, &c->err);
        if (st == OBS_OK) {
            char *what_done = g_strdup_printf("token %" G_GINT64_FORMAT " de la entidad %02d", id, (int)entidad);
            st = obs_audit_add(h, "consola", "local", "acceso crear", what_done, 0, &c->err);
            g_free(what_done);
        }
        if (st == OBS_OK) {
            printf("%s\n", token);
            if (!c->quiet)
                cli_say("token %" G_GINT64_FORMAT " creado para la entidad %02d; se muestra sólo esta vez", id,
                        (int)entidad);
        }
        g_free(token);
    } else if (strcmp(what, "listar") == 0) {
        return list_access(c, h);
    } else {
        int64_t id = 0;
        if (!arg || !obs_config_parse_entero(arg, 1, INT64_MAX, &id))
            return cli_usage_error(c, "indique el número del token que se revoca (vea «observa acceso listar»)");
        st = obs_access_revoke(h, id, &c->err);
        if (st == OBS_OK) {
            char *what_done = g_strdup_printf("token %" G_GINT64_FORMAT, id);
            st = obs_audit_add(h, "consola", "local", "acceso revocar", what_done, 0, &c->err);
            g_free(what_done);
        }
        if (st == OBS_OK && !c->quiet)
            cli_say("token %" G_GINT64_FORMAT " revocado", id);
    }
    return st == OBS_OK ? 0 : cli_fail(c);
}

/* Opens the data folder's history: only crear creates it (and its folder); listar reads it without
 * changing anything and revocar needs the tokens it revokes, so a missing one is 66 and nothing is
 * created. Returns -1 to go on, or the exit status. */
static int open_store(cli *c, const char *what, const char *datos, const char *path, obs_history **h)
{
    if (strcmp(what, "crear") == 0) {
        if (g_mkdir_with_parents(datos, 0700) != 0) {
            int e = errno;
            cli_say("%s: no se puede crear la carpeta de datos: %s", datos, obs_strerror(e));
            return EX_CANTCREAT;
        }
        return obs_history_open(path, h, &c->err) == OBS_OK ? -1 : cli_fail(c);
    }
    if (!g_file_test(datos, G_FILE_TEST_IS_DIR)) {
        cli_say("%s: no existe la carpeta de datos; indique con --datos la de «observa servir»", datos);
        return EX_NOINPUT;
    }
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        char *dir = cli_shell_word(datos);
        cli_say("%s: no existe el historial de esta carpeta de datos, así que no tiene tokens: se crea con «observa "
                "acceso crear --entidad CLAVE --datos %s» o al iniciar «observa servir --datos %s»",
                path, dir, dir);
        g_free(dir);
        return EX_NOINPUT;
    }
    obs_status st = strcmp(what, "listar") == 0 ? obs_history_open_read(path, h, &c->err)
                                                : obs_history_open(path, h, &c->err);
    return st == OBS_OK ? -1 : cli_fail(c);
}

int cmd_acceso(int argc, char **argv)
{
    cli c = {.command = "acceso", .accepts = CLI_OPT_PLANTILLAS | CLI_OPT_SILENCIOSO | CLI_OPT_HELP};
    char *datos = NULL, *entidad = NULL;
    const GOptionEntry extra[] = {
        {"datos", 0, 0, G_OPTION_ARG_FILENAME, &datos, NULL, NULL},
        {"entidad", 0, 0, G_OPTION_ARG_STRING, &entidad, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    /* The subcommand and revocar's number come first; the options follow (cli_parse() takes no positionals). */
    const char *what = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL, *arg = NULL;
    int i = what ? 2 : 1;
    if (what && strcmp(what, "revocar") == 0 && i < argc && argv[i][0] != '-')
        arg = argv[i++];
    GPtrArray *rest = g_ptr_array_new();
    g_ptr_array_add(rest, argv[0]);
    for (; i < argc; i++)
        g_ptr_array_add(rest, argv[i]);
    g_ptr_array_add(rest, NULL);
    int rc = cli_parse(&c, (int)rest->len - 1, (char **)rest->pdata, extra, help);
    g_ptr_array_free(rest, TRUE);
    int64_t clave = 0;
    if (rc < 0 && (!what || (strcmp(what, "crear") != 0 && strcmp(what, "listar") != 0 &&
                             strcmp(what, "revocar") != 0)))
        rc = cli_usage_error(&c, "indique crear, listar o revocar");
    if (rc < 0 && !datos)
        rc = cli_usage_error(&c, "falta --datos DIR (la carpeta de datos de observa servir)");
    if (rc < 0 && strcmp(what, "crear") == 0 && (!entidad || !obs_config_parse_entero(entidad, 1, 32, &clave)))
        rc = cli_usage_error(&c, "crear necesita --entidad CLAVE, de 1 a 32 (por ejemplo 15 o 09)");
    if (rc < 0 && entidad && strcmp(what, "crear") != 0)
        rc = cli_usage_error(&c, "--entidad es sólo para crear");
    if (rc < 0 && strcmp(what, "listar") == 0)
        rc = cli_load_catalog(&c);
    obs_history *h = NULL;
    char *path = datos ? g_build_filename(datos, "historial.sqlite", NULL) : NULL;
    if (rc < 0)
        rc = open_store(&c, what, datos, path, &h);
    if (rc < 0)
        rc = run(&c, h, what, arg, clave);
    obs_history_close(h);
    g_free(path);
    g_free(datos);
    g_free(entidad);
    cli_clear(&c);
    return rc;
}
