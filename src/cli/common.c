/* common.c - the observa subcommands' options, messages, locations and inputs. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "observa/inputs.h"
#include "observa_build.h"

void cli_say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("observa: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_fail(cli *c)
{
    if (c->progress_open) {
        fputc('\n', stderr);
        c->progress_open = false;
    }
    /* An empty message: the library has told why in notices (a refusal of the data). */
    if (c->err.message[0] || c->err.path[0]) {
        char buf[OBS_ERROR_MSG_MAX + OBS_ERROR_PATH_MAX + 64];
        obs_error_format(&c->err, buf, sizeof buf);
        fprintf(stderr, "observa: %s\n", buf);
    }
    return obs_status_exit_code(c->err.code);
}

int cli_usage_error(cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "observa %s: ", c->command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nPruebe «observa %s --help» para ver las opciones.\n", c->command);
    va_end(ap);
    return EX_USAGE;
}

void cli_progress(cli *c, unsigned i, unsigned n, const char *what)
{
    if (!c->tty || c->quiet)
        return;
    if (n == 0)
        fprintf(stderr, "\r\033[K%s", what);
    else
        fprintf(stderr, "\r\033[K[%u/%u] %s%s", i, n, what, i == n ? "\n" : "");
    c->progress_open = n > 0 && i < n;
}

/* ---- option parsing ------------------------------------------------------------------------- */

/* The common options: name, argument, where GOption stores it, and the bit a command accepts. */
static const struct common_option {
    const char *long_name;
    char short_name;
    GOptionArg arg;
    size_t offset;
    unsigned bit;
} common_options[] = {
#define OPT(l, s, a, f, b) {l, s, G_OPTION_ARG_##a, G_STRUCT_OFFSET(cli_common, f), CLI_OPT_##b}
    OPT("solicitudes", 's', FILENAME_ARRAY, solicitudes, SOLICITUDES),
    OPT("difusion", 'd', FILENAME_ARRAY, difusion, DIFUSION),
    OPT("corte", 'c', STRING, corte, CORTE),
    OPT("corte-anterior", 'a', STRING, corte_anterior, ANTERIOR),
    OPT("salida", 'o', FILENAME, salida, SALIDA),
    OPT("formatos", 'f', STRING, formatos, FORMATOS),
    OPT("plantillas", 't', FILENAME, plantillas, PLANTILLAS),
    OPT("config", 0, FILENAME, config, CONFIG),
    OPT("codificacion", 0, STRING, codificacion, CODIFICACION),
    OPT("delimitador", 0, STRING, delimitador, DELIMITADOR),
    OPT("hoja", 0, STRING, hoja, HOJA),
    OPT("estricto", 0, NONE, estricto, ESTRICTO),
    OPT("max-rechazadas", 0, STRING, max_rechazadas, MAX_RECHAZADAS),
    OPT("reemplazar", 0, NONE, reemplazar, REEMPLAZAR),
    OPT("hilos", 0, STRING, hilos, HILOS),
    OPT("silencioso", 'q', NONE, silencioso, SILENCIOSO),
    OPT("detallado", 'v', NONE, detallado, DETALLADO),
    OPT("help", 'h', NONE, help, HELP),
    OPT("historial", 0, FILENAME, historial, HISTORIAL),
    OPT("sin-historial", 0, NONE, sin_historial, SIN_HISTORIAL),
#undef OPT
};

#define N_COMMON G_N_ELEMENTS(common_options)

static void common_entries(cli *c, GOptionEntry *e)
{
    for (size_t i = 0; i < N_COMMON; i++) {
        const struct common_option *o = &common_options[i];
        e[i] = (GOptionEntry){o->long_name, o->short_name, 0, o->arg, G_STRUCT_MEMBER_P(&c->opt, o->offset),
                              NULL, NULL};
    }
    e[N_COMMON] = (GOptionEntry){NULL, 0, 0, 0, NULL, NULL, NULL};
}

static const GOptionEntry *find_long(const GOptionEntry *const *sets, const char *name, size_t len)
{
    for (size_t s = 0; sets[s]; s++)
        for (const GOptionEntry *e = sets[s]; e->long_name; e++)
            if (strlen(e->long_name) == len && strncmp(e->long_name, name, len) == 0)
                return e;
    return NULL;
}

static const GOptionEntry *find_short(const GOptionEntry *const *sets, char ch)
{
    for (size_t s = 0; sets[s]; s++)
        for (const GOptionEntry *e = sets[s]; e->long_name; e++)
            if (e->short_name == ch)
                return e;
    return NULL;
}

/* Room to remember each option given once: more than every command's options together. */
#define MAX_SEEN 64

/* The options of a command line in the order given (an option given twice is refused first). */
typedef struct seen_options {
    const GOptionEntry *e[MAX_SEEN];
    char spelling[MAX_SEEN][3]; /* "-o", or "" when given by its long name */
    size_t n;
} seen_options;

/* -s and -d add a file each time (cli.md); any other option given twice, in whatever spelling
 * (-c, --corte, --corte=…), is a usage error: GOption would silently keep the last one. */
static int note_option(cli *c, seen_options *seen, const GOptionEntry *e, char short_name)
{
    bool list = e->arg == G_OPTION_ARG_FILENAME_ARRAY || e->arg == G_OPTION_ARG_STRING_ARRAY;
    for (size_t i = 0; i < seen->n && !list; i++)
        if (seen->e[i] == e)
            return cli_usage_error(c, "la opción «--%s» se indicó dos veces; indíquela una sola vez",
                                   e->long_name);
    if (seen->n < MAX_SEEN) {
        seen->e[seen->n] = e;
        char *sp = seen->spelling[seen->n];
        sp[0] = short_name ? '-' : '\0';
        sp[1] = short_name;
        sp[2] = '\0';
        seen->n++;
    }
    return -1;
}

/* An option of the common set the command does nothing with is a usage error, not a silent no-op. */
static int check_accepted(cli *c, const seen_options *seen, const GOptionEntry *common)
{
    for (size_t i = 0; i < seen->n; i++) {
        ptrdiff_t k = seen->e[i] - common;
        if (k < 0 || (size_t)k >= N_COMMON || (c->accepts & common_options[k].bit))
            continue;
        char *as = seen->spelling[i][0] ? g_strdup_printf("«%s» («--%s»)", seen->spelling[i], seen->e[i]->long_name)
                                         : g_strdup_printf("«--%s»", seen->e[i]->long_name);
        int rc = cli_usage_error(c, "«observa %s» no usa la opción %s: no tendría ningún efecto; quítela",
                                 c->command, as);
        g_free(as);
        return rc;
    }
    return -1;
}

/*
 * The value of an option given as the next argument, which must be there and must not look like
 * another option (a '-' and a letter): "-c -o z" is a -c without its date, not the date "-o" and a
 * stray "z". Such a value is written after '=': --corte=-… . `as` is how the option was written
 * ("-c", "--corte"); *i advances past the value.
 */
static int take_value(cli *c, int argc, char **argv, int *i, const char *as, const char *long_name)
{
    if (*i + 1 >= argc)
        return cli_usage_error(c, "falta el valor de la opción «%s»", as);
    const char *next = argv[*i + 1];
    /* "-o", "--salida": an option; "-1" is a value (a wrong one, said as such). */
    bool option = next[0] == '-' && (g_ascii_isalpha(next[1]) || (next[1] == '-' && g_ascii_isalpha(next[2])));
    if (option)
        return cli_usage_error(c, "falta el valor de la opción «%s»: lo que sigue, «%s», es otra opción (un valor "
                                  "que empiece con «-» se escribe tras «=»: «--%s=-…»)",
                               as, next, long_name);
    (*i)++;
    return -1;
}

/* One "-xyz" cluster of short options; *i advances past a value in the next argument. */
static int check_shorts(cli *c, int argc, char **argv, int *i, const GOptionEntry *const *sets, seen_options *seen)
{
    for (const char *p = argv[*i] + 1; *p; p++) {
        const GOptionEntry *e = find_short(sets, *p);
        if (!e)
            return cli_usage_error(c, "opción desconocida: «-%c»", *p);
        if (note_option(c, seen, e, *p) >= 0)
            return EX_USAGE;
        if (e->arg != G_OPTION_ARG_NONE) {
            char as[3] = {'-', *p, '\0'};
            return p[1] == '\0' ? take_value(c, argc, argv, i, as, e->long_name) : -1;
        }
    }
    return -1;
}

/*
 * GOption's own messages follow the process locale and are English under C;
 * checking argv first lets every usage error be reported in Spanish.
 */
static int check_argv(cli *c, int argc, char **argv, const GOptionEntry *const *sets)
{
    seen_options seen = {.n = 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (a[0] != '-' || a[1] == '\0')
            return cli_usage_error(c, "argumento inesperado: «%s»", a);
        if (a[1] != '-') {
            int rc = check_shorts(c, argc, argv, &i, sets, &seen);
            if (rc >= 0)
                return rc;
            continue;
        }
        const char *eq = strchr(a + 2, '=');
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        const GOptionEntry *e = find_long(sets, a + 2, len);
        if (!e)
            return cli_usage_error(c, "opción desconocida: «%.*s»", (int)(len + 2), a);
        if (note_option(c, &seen, e, 0) >= 0)
            return EX_USAGE;
        bool takes = e->arg != G_OPTION_ARG_NONE;
        if (!takes && eq)
            return cli_usage_error(c, "la opción «--%s» no lleva valor", e->long_name);
        if (takes && !eq) {
            char *as = g_strdup_printf("--%s", e->long_name);
            int rc = take_value(c, argc, argv, &i, as, e->long_name);
            g_free(as);
            if (rc >= 0)
                return rc;
        }
    }
    return check_accepted(c, &seen, sets[0]);
}

/* -f: the formats the command can write; one it cannot is a usage error, not a silent nothing. */
static int merge_formatos(cli *c)
{
    const char *f = c->opt.formatos;
    if (!f)
        return -1;
    unsigned bits = 0;
    if (!obs_config_parse_formatos(f, &bits))
        return cli_usage_error(c, "formatos no válidos: «%s»; use una lista de pdf, xlsx y csv", f);
    if (bits & ~c->formatos_ok)
        return cli_usage_error(c, "«observa %s» no genera %s: use sólo %s%s%s", c->command,
                               (bits & ~c->formatos_ok & OBS_FMT_CSV) ? "csv" : "ese formato",
                               (c->formatos_ok & OBS_FMT_PDF) ? "pdf" : "",
                               (c->formatos_ok & OBS_FMT_XLSX) ? ", xlsx" : "",
                               (c->formatos_ok & OBS_FMT_CSV) ? ", csv" : "");
    c->cfg.formatos = bits;
    return -1;
}

/* --hilos and --max-rechazadas: decimal numbers, in Spanish when they are not. */
static int merge_numbers(cli *c)
{
    cli_common *o = &c->opt;
    obs_config *cfg = &c->cfg;
    if (o->hilos) {
        int64_t n;
        if (!obs_config_parse_entero(o->hilos, 1, 256, &n))
            return cli_usage_error(c, "--hilos «%s» no es válido: indique un número entero de 1 a 256", o->hilos);
        cfg->hilos = (int)n;
    }
    if (o->max_rechazadas && !obs_config_parse_porcentaje(o->max_rechazadas, &cfg->max_rechazadas))
        return cli_usage_error(c,
                               "--max-rechazadas «%s» no es válido: indique un porcentaje de 0 a 100, con "
                               "hasta dos decimales (por ejemplo 5 o 2.5)",
                               o->max_rechazadas);
    c->threads = cfg->hilos ? cfg->hilos : (int)g_get_num_processors();
    return -1;
}

static int merge_dates(cli *c)
{
    cli_common *o = &c->opt;
    obs_config *cfg = &c->cfg;
    if (o->corte) {
        cfg->corte = obs_day_parse_iso(o->corte);
        if (cfg->corte == OBS_DAY_NONE)
            return cli_usage_error(c, "la fecha de corte «%s» no es válida; use AAAA-MM-DD", o->corte);
    }
    if (o->corte_anterior) {
        cfg->corte_anterior = obs_day_parse_iso(o->corte_anterior);
        if (cfg->corte_anterior == OBS_DAY_NONE)
            return cli_usage_error(c, "la fecha de corte anterior «%s» no es válida; use AAAA-MM-DD",
                                   o->corte_anterior);
    }
    if (cfg->corte && cfg->corte_anterior) {
        if (cfg->corte_anterior >= cfg->corte) {
            char a[16], b[16];
            obs_day_iso(cfg->corte_anterior, a, sizeof a);
            obs_day_iso(cfg->corte, b, sizeof b);
            return cli_usage_error(c, "el corte anterior (%s) debe ser una fecha anterior al corte (%s); indique "
                                      "otro con -a",
                                   a, b);
        }
        if (cfg->corte - cfg->corte_anterior > 3650)
            return cli_usage_error(c, "el corte anterior no puede ser de más de diez años antes del corte");
    }
    return -1;
}

static int merge_options(cli *c)
{
    cli_common *o = &c->opt;
    obs_config *cfg = &c->cfg;
    /* The command line replaces what the configuration says (a list of files too: it is not
     * added to). */
#define TAKE(dst, src, drop, dup) \
    if (src) {                    \
        drop(dst);                \
        dst = dup(src);           \
    }
    TAKE(cfg->solicitudes, o->solicitudes, g_strfreev, g_strdupv);
    TAKE(cfg->difusion, o->difusion, g_strfreev, g_strdupv);
    TAKE(cfg->salida, o->salida, g_free, g_strdup);
    TAKE(cfg->plantillas, o->plantillas, g_free, g_strdup);
    TAKE(cfg->historial, o->historial, g_free, g_strdup);
    TAKE(cfg->hoja, o->hoja, g_free, g_strdup);
#undef TAKE
    if (o->historial && o->sin_historial)
        return cli_usage_error(c, "indique --historial ARCHIVO o --sin-historial, no ambas");
    int rc = merge_dates(c);
    if (rc < 0)
        rc = merge_formatos(c);
    if (rc < 0)
        rc = merge_numbers(c);
    if (rc >= 0)
        return rc;
    if (o->codificacion && !obs_config_parse_codificacion(o->codificacion, &cfg->codificacion))
        return cli_usage_error(c, "codificación no válida: «%s»; use auto, utf-8 o windows-1252",
                               o->codificacion);
    if (o->delimitador && !obs_config_parse_delimitador(o->delimitador, &cfg->delimitador))
        return cli_usage_error(c, "delimitador no válido: «%s»; use auto, «,», «;» o tab", o->delimitador);
    if (cfg->hoja && !*g_strstrip(cfg->hoja))
        return cli_usage_error(c, "--hoja necesita el nombre de una hoja del libro");
    if (o->estricto)
        cfg->estricto = true;
    if (!cfg->formatos)
        cfg->formatos = OBS_FMT_ALL;
    if (!cfg->proceso)
        cfg->proceso = g_strdup("Proceso Electoral Concurrente 2023-2024");
    if (!cfg->lugar)
        cfg->lugar = g_strdup("Ciudad de México");
    return -1;
}

/* A path option given as an empty string ("-o ''", "--datos="): a usage error naming the option,
 * not a later "argumento no válido" about no path at all, nor SQLite's temporary database for "". */
static int check_paths(cli *c, const GOptionEntry *const *sets)
{
    for (size_t s = 0; sets[s]; s++)
        for (const GOptionEntry *e = sets[s]; e->long_name; e++) {
            bool empty = false;
            if (e->arg == G_OPTION_ARG_FILENAME) {
                const char *v = *(char **)e->arg_data;
                empty = v && !*v;
            } else if (e->arg == G_OPTION_ARG_FILENAME_ARRAY) {
                for (char **v = *(char ***)e->arg_data; v && *v && !empty; v++)
                    empty = !**v;
            }
            if (!empty)
                continue;
            if (e->short_name)
                return cli_usage_error(c, "la opción «-%c» («--%s») está vacía: indique una ruta", e->short_name,
                                       e->long_name);
            return cli_usage_error(c, "la opción «--%s» está vacía: indique una ruta", e->long_name);
        }
    return -1;
}

/* GOption fails only where check_argv() cannot look (a file name not in the locale's
 * encoding, say): its message is English, so only its kind is told. */
static int option_error(cli *c, const GError *gerr)
{
    const char *what = gerr->domain != G_OPTION_ERROR ? "no se pudieron leer las opciones"
                       : gerr->code == G_OPTION_ERROR_UNKNOWN_OPTION ? "hay una opción desconocida"
                       : gerr->code == G_OPTION_ERROR_BAD_VALUE      ? "una opción tiene un valor no válido"
                                                                     : "no se pudieron leer las opciones";
    return cli_usage_error(c, "%s; revise la línea de órdenes", what);
}

int cli_parse(cli *c, int argc, char **argv, const GOptionEntry *extra, const char *help)
{
    obs_config_init(&c->cfg);
    if (!c->accepts)
        c->accepts = CLI_OPTS_WRITE;
    c->accepts |= CLI_OPT_HELP;
    if (!c->formatos_ok)
        c->formatos_ok = OBS_FMT_ALL;
    GOptionEntry common[N_COMMON + 1];
    common_entries(c, common);
    const GOptionEntry *sets[] = {common, extra, NULL};
    int rc = check_argv(c, argc, argv, sets);
    if (rc >= 0)
        return rc;
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_help_enabled(ctx, FALSE);
    g_option_context_add_main_entries(ctx, common, NULL);
    if (extra)
        g_option_context_add_main_entries(ctx, extra, NULL);
    GError *gerr = NULL;
    bool ok = g_option_context_parse(ctx, &argc, &argv, &gerr);
    g_option_context_free(ctx);
    if (!ok) {
        rc = option_error(c, gerr);
        g_error_free(gerr);
        return rc;
    }
    if (c->opt.help) {
        fputs(help, stdout);
        return 0;
    }
    rc = check_paths(c, sets);
    if (rc >= 0)
        return rc;
    c->quiet = c->opt.silencioso;
    c->verbose = c->opt.detallado;
    c->tty = isatty(STDERR_FILENO);
    if (c->opt.config) {
        obs_status st = obs_config_load(&c->cfg, c->opt.config, &c->err);
        if (st != OBS_OK)
            return cli_fail(c);
    }
    return merge_options(c);
}

void cli_clear(cli *c)
{
    cli_common *o = &c->opt;
    char **strs[] = {&o->corte,          &o->corte_anterior, &o->salida,       &o->formatos,
                     &o->plantillas,     &o->config,         &o->codificacion, &o->delimitador,
                     &o->hoja,           &o->max_rechazadas, &o->hilos,        &o->historial};
    for (size_t i = 0; i < G_N_ELEMENTS(strs); i++)
        g_free(*strs[i]);
    g_strfreev(o->solicitudes);
    g_strfreev(o->difusion);
    obs_inputs_clear(&c->inputs);
    obs_config_clear(&c->cfg);
    obs_produce_free(c->prod);
    obs_history_close(c->history);
    g_free(c->dir);
    obs_catalog_free(c->cat);
}

void cli_format_time(int64_t t, char *buf, size_t size)
{
    /* Mexico City has kept UTC-6 all year since 2022; the manifest and the documents say the same. */
    GDateTime *dt = g_date_time_new_from_unix_utc(t - 6 * 3600);
    char *s = dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M") : g_strdup("");
    g_strlcpy(buf, s, size);
    g_free(s);
    if (dt)
        g_date_time_unref(dt);
}

char *cli_shell_word(const char *text)
{
    for (const char *p = text; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr("/._-+=:,", *p))
            return g_shell_quote(text);
    return g_strdup(text);
}

/* ---- locations ------------------------------------------------------------------------------ */

/* True when this binary runs from the build tree rather than an installation. */
static bool running_from_build_tree(void)
{
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    bool in_build = exe && g_str_has_prefix(exe, OBS_BUILD_ROOT "/");
    g_free(exe);
    return in_build;
}

static char *first_existing(const char *const *candidates, const char *probe)
{
    for (size_t i = 0; candidates[i]; i++) {
        char *p = g_build_filename(candidates[i], probe, NULL);
        bool ok = g_file_test(p, G_FILE_TEST_EXISTS);
        g_free(p);
        if (ok)
            return g_strdup(candidates[i]);
    }
    return NULL;
}

char *cli_templates_dir(const cli *c)
{
    if (c->cfg.plantillas)
        return g_strdup(c->cfg.plantillas);
    const char *env = g_getenv("OBSERVA_PLANTILLAS");
    if (env && *env)
        return g_strdup(env);
    const char *build[] = {OBS_SOURCE_ROOT "/templates", OBS_DATADIR "/templates", NULL};
    const char *installed[] = {OBS_DATADIR "/templates", OBS_SOURCE_ROOT "/templates", NULL};
    char *dir = first_existing(running_from_build_tree() ? build : installed, "catalogos/entidades.csv");
    return dir ? dir : g_strdup(OBS_DATADIR "/templates");
}

char *cli_sample_dir(void)
{
    const char *build[] = {"sample-data", OBS_SOURCE_ROOT "/sample-data", OBS_DATADIR "/sample-data", NULL};
    const char *installed[] = {"sample-data", OBS_DATADIR "/sample-data", OBS_SOURCE_ROOT "/sample-data", NULL};
    return first_existing(running_from_build_tree() ? build : installed, "demo.ini");
}

int cli_load_catalog(cli *c)
{
    char *dir = cli_templates_dir(c);
    obs_status st = obs_catalog_load(dir, &c->cat, &c->err);
    g_free(dir);
    return st == OBS_OK ? -1 : cli_fail(c);
}

int cli_require_inputs(cli *c, bool need_corte)
{
    if (!c->cfg.solicitudes)
        return cli_usage_error(c, "falta el archivo de solicitudes (-s ARCHIVO o DIRECTORIO)");
    if (!c->cfg.difusion)
        return cli_usage_error(c, "falta el archivo de acciones de difusión (-d ARCHIVO o DIRECTORIO)");
    if (need_corte && c->cfg.corte == OBS_DAY_NONE)
        return cli_usage_error(c, "falta la fecha de corte (-c AAAA-MM-DD)");
    if (need_corte) {
        /* Before any data is read; a warning about SOURCE_DATE_EPOCH is said where documents are dated. */
        char *warning = NULL;
        int64_t generated = obs_generation_time(c->cfg.fecha_generacion, &warning);
        g_free(warning);
        obs_error e = {0};
        if (obs_check_corte_not_future(c->cfg.corte, generated, &e) != OBS_OK)
            return cli_usage_error(c, "%s (-c)", e.message);
    }
    obs_status st = obs_inputs_expand((const char *const *)c->cfg.solicitudes,
                                      (const char *const *)c->cfg.difusion, &c->inputs, &c->err);
    return st == OBS_OK ? -1 : cli_fail(c);
}

