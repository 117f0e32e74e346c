/* cmd_acceso.c - `observa acceso crear|listar|revocar`: the per-OPL tokens of observa servir. */
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
    "muestra número, entidad, fecha de creación y si fue revocado; «revocar» lo anula para siempre\n"
    "(las sesiones abiertas con él terminan).\n"
    "\n"
    "Opciones:\n"
    "      --datos DIR               la carpeta de datos de observa servir (su historial.sqlite)\n"
    "      --entidad CLAVE           la entidad del OPL, de 1 a 32 (para crear)\n"
    "  -h, --help                    muestra esta ayuda\n";

static void print_access(const obs_access *a, void *ud)
{
    const obs_catalog *cat = ud;
    const obs_entidad *e = cat ? obs_catalog_entidad(cat, a->entidad) : NULL;
    char creado[32], revocado[40] = "vigente";
    GDateTime *t = g_date_time_new_from_unix_utc(a->creado);
    char *c = g_date_time_format(t, "%Y-%m-%d %H:%M UTC");
    g_strlcpy(creado, c, sizeof creado);
    g_free(c);
    g_date_time_unref(t);
    if (a->revocado) {
        t = g_date_time_new_from_unix_utc(a->revocado);
        c = g_date_time_format(t, "revocado el %Y-%m-%d");
        g_strlcpy(revocado, c, sizeof revocado);
        g_free(c);
        g_date_time_unref(t);
    }
    printf("%" G_GINT64_FORMAT "\t%02d\t%s\t%s\t%s\n", a->id, a->entidad, e ? e->opl_etiqueta : "", creado, revocado);
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
        st = obs_access_list(h, print_access, c->cat, &c->err);
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
    if (rc < 0 && g_mkdir_with_parents(datos, 0700) != 0)
        rc = cli_usage_error(&c, "no se puede crear la carpeta %s", datos);
    if (rc < 0 && obs_history_open(path, &h, &c.err) != OBS_OK)
        rc = cli_fail(&c);
    if (rc < 0)
        rc = run(&c, h, what, arg, clave);
    obs_history_close(h);
    g_free(path);
    g_free(datos);
    g_free(entidad);
    cli_clear(&c);
    return rc;
}
