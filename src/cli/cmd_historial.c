/* cmd_historial.c - `observa historial`: the record of runs, published cortes and exhortos (list, show, publish,
 * export). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "observa/csvfield.h"

#include <json-glib/json-glib.h>

static const char help[] =
    "Uso: observa historial [mostrar ID | publicar ID | publicar --corte AAAA-MM-DD | exportar] [opciones]\n"
    "\n"
    "El historial registra cada ejecución de informe, opl, oficio y lote: sus entradas con su\n"
    "SHA-256, todas las métricas al corte, los OPL señalados, los oficios con su número y los\n"
    "archivos escritos. Una corrida es un borrador hasta que se publica, es decir, hasta que se\n"
    "marca como lo que se presentó a la Comisión; las cifras publicadas nunca se modifican.\n"
    "\n"
    "  observa historial              lista las corridas, de la más reciente a la más antigua\n"
    "  observa historial mostrar ID   todo lo que se registró de la corrida ID\n"
    "  observa historial publicar ID  marca la corrida ID (un borrador) como presentada\n"
    "  observa historial publicar --corte AAAA-MM-DD\n"
    "                                 publica el borrador más reciente de ese corte\n"
    "  observa historial exportar     las cifras publicadas en formato largo (corte, fecha de\n"
    "                                 publicación, corrida, entidad, métrica, valor), para Power\n"
    "                                 BI o pandas\n"
    "\n"
    "Opciones:\n"
    "      --historial ARCHIVO       el historial (predeterminado: [historial] archivo de la\n"
    "                                configuración, o $XDG_DATA_HOME/observa/historial.sqlite)\n"
    "      --config ARCHIVO          configuración INI de la que se toma [historial] archivo\n"
    "  -c, --corte AAAA-MM-DD        (publicar) el corte cuyo último borrador se publica\n"
    "      --reemplazar              (publicar) sustituye la publicación que ya tenga el corte;\n"
    "                                la anterior se conserva como versión sustituida\n"
    "  -o, --salida ARCHIVO          (exportar) escribe el CSV en ARCHIVO, con BOM para Excel;\n"
    "                                sin -o, en la salida estándar y sin BOM\n"
    "  -h, --help                    muestra esta ayuda\n"
    "\n"
    "Estado de salida: 0 correcto; 64 uso incorrecto (también una corrida que no existe o que no\n"
    "se puede publicar); 66 el historial no existe; 73 no se puede crear o escribir el historial\n"
    "o el archivo de -o; 74 error de escritura; 75 otra ejecución lo retuvo más de 30 segundos;\n"
    "78 el archivo no es un historial de observa.\n";

/* The subcommands: the positional arguments each takes, and the options it accepts. */
static const struct subcommand {
    const char *name;
    bool takes_id;
    unsigned accepts;
} subcommands[] = {
    {"", false, 0},
    {"mostrar", true, 0},
    {"publicar", true, CLI_OPT_CORTE | CLI_OPT_REEMPLAZAR},
    {"exportar", false, CLI_OPT_SALIDA},
};

static const char *iso(obs_day d, char buf[16])
{
    if (d == OBS_DAY_NONE)
        return "–";
    obs_day_iso(d, buf, 16);
    return buf;
}

/* ---- observa historial ----------------------------------------------------------------------------- */

static void print_entry(const obs_history_entry *e, void *ud)
{
    unsigned *n = ud;
    if ((*n)++ == 0) /* ("señalados" has 9 letters and 10 bytes: printf would pad it short) */
        printf("%5s  %-16s  %-8s  %-10s  %-10s  %11s  %s  %7s\n", "id", "ejecutada", "comando", "corte", "estado",
               "solicitudes", "señalados", "oficios");
    char when[32], corte[16], total[OBS_FMT_MAX];
    cli_format_time(e->cuando, when, sizeof when);
    printf("%5" G_GINT64_FORMAT "  %-16s  %-8s  %-10s  %-10s  %11s  %9d  %7d\n", e->id, when, e->comando,
           iso(e->corte, corte), obs_history_state_name(e->estado), obs_fmt_int(total, sizeof total, e->solicitudes),
           e->nsenalados, e->noficios);
}

static int list_runs(cli *c)
{
    unsigned n = 0;
    if (obs_history_list(c->history, print_entry, &n, &c->err) != OBS_OK)
        return cli_fail(c);
    if (n == 0)
        printf("El historial %s no tiene corridas todavía.\n", obs_history_path(c->history));
    return 0;
}

/* ---- observa historial mostrar ID --------------------------------------------------------------- */

static const char *entidad_name(const cli *c, int clave, char *buf, size_t size)
{
    const obs_entidad *e = c->cat ? obs_catalog_entidad(c->cat, clave) : NULL;
    if (e)
        g_snprintf(buf, size, "%02d %s (%s)", clave, e->nombre, e->opl_etiqueta);
    else
        g_snprintf(buf, size, "%02d", clave);
    return buf;
}

static void print_state(const obs_history_entry *e)
{
    char when[32];
    printf("Estado: %s", obs_history_state_name(e->estado));
    if (e->publicada) {
        cli_format_time(e->publicada, when, sizeof when);
        printf(" (publicada el %s)", when);
    }
    if (e->sustituye)
        printf("; sustituye a la corrida %" G_GINT64_FORMAT, e->sustituye);
    if (e->sustituida_por)
        printf("; la sustituyó la corrida %" G_GINT64_FORMAT, e->sustituida_por);
    putchar('\n');
}

static void print_inputs(const obs_history_detail *d)
{
    char a[OBS_FMT_MAX], b[OBS_FMT_MAX], r[OBS_FMT_MAX], by[OBS_FMT_MAX];
    printf("Entradas:\n");
    for (size_t i = 0; i < d->nentradas; i++) {
        const obs_history_input *in = &d->entradas[i];
        printf("  %s: %s (%s bytes, SHA-256 %s): %s filas leídas = %s aceptadas + %s rechazadas\n", in->exportacion,
               in->ruta, obs_fmt_int(by, sizeof by, (int64_t)in->bytes), in->sha256,
               obs_fmt_int(a, sizeof a, (int64_t)in->leidas), obs_fmt_int(b, sizeof b, (int64_t)in->aceptadas),
               obs_fmt_int(r, sizeof r, (int64_t)in->rechazadas));
    }
}

static void print_flags_and_letters(const cli *c, const obs_history_detail *d)
{
    char name[160], n[OBS_FMT_MAX], dec[OBS_FMT_MAX], frac[OBS_FMT_MAX], day[64];
    printf("Regla: se señala a un OPL con menos de %s acciones (el mayor entre %" G_GINT64_FORMAT " y %s%% de la "
           "mediana, %s)\n",
           obs_fmt_dec(dec, sizeof dec, d->umbral, 2), d->umbral_minimo,
           obs_fmt_dec(frac, sizeof frac, d->fraccion_mediana * 100, 1), obs_fmt_dec(n, sizeof n, d->mediana, 2));
    printf("OPL señalados: %zu\n", d->nsenalados);
    for (size_t i = 0; i < d->nsenalados; i++)
        printf("  %s: %s %s\n", entidad_name(c, d->senalados[i].entidad, name, sizeof name),
               obs_fmt_int(n, sizeof n, d->senalados[i].acciones), d->senalados[i].acciones == 1 ? "acción" : "acciones");
    printf("Oficios: %zu\n", d->noficios);
    for (size_t i = 0; i < d->noficios; i++) {
        const obs_history_oficio *o = &d->oficios[i];
        printf("  %s, %s, %s: %s (SHA-256 %s)\n", o->numero, obs_fmt_fecha_larga(day, sizeof day, o->fecha),
               o->entidad ? entidad_name(c, o->entidad, name, sizeof name) : "exhorto general", o->ruta, o->sha256);
    }
}

/* One recorded option's value in the user's words: lists joined with ", ", yes/no, dates and paths as
 * they are, "ninguno" for none; max_rechazadas, stored in hundredths of a percent (obs_config), in
 * percent as --max-rechazadas and [entrada] max_rechazadas take it (500 → "5%", 250 → "2.5%");
 * entidad 0 is every OPL (g_free). */
static char *option_value(const char *name, JsonNode *v)
{
    if (JSON_NODE_HOLDS_ARRAY(v)) {
        JsonArray *a = json_node_get_array(v);
        GString *s = g_string_new(NULL);
        for (guint i = 0; i < json_array_get_length(a); i++) {
            char *item = option_value("", json_array_get_element(a, i));
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", item);
            g_free(item);
        }
        return s->len ? g_string_free(s, FALSE) : (g_string_free(s, TRUE), g_strdup("ninguno"));
    }
    if (!JSON_NODE_HOLDS_VALUE(v))
        return g_strdup("ninguno");
    GType t = json_node_get_value_type(v);
    if (t == G_TYPE_BOOLEAN)
        return g_strdup(json_node_get_boolean(v) ? "sí" : "no");
    if (t == G_TYPE_STRING)
        return g_strdup(json_node_get_string(v));
    if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE) {
        char buf[OBS_FMT_MAX];
        double d = t == G_TYPE_INT64 ? (double)json_node_get_int(v) : json_node_get_double(v);
        if (strcmp(name, "max_rechazadas") == 0)
            return g_strdup_printf("%s%%", obs_fmt_dec(buf, sizeof buf, d / 100.0, 2));
        if (strcmp(name, "entidad") == 0 && d == 0)
            return g_strdup("todas");
        return g_strdup(obs_fmt_dec(buf, sizeof buf, d, 2));
    }
    return g_strdup("ninguno");
}

/* The recorded options, one "  name = value" line each, in the order recorded (the names are those
 * of the configuration's keys). Options that do not parse are shown as recorded. */
static void print_options(const char *json)
{
    JsonParser *parser = json_parser_new();
    if (json_parser_load_from_data(parser, json, -1, NULL) && JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        JsonObject *o = json_node_get_object(json_parser_get_root(parser));
        GList *names = json_object_get_members(o);
        printf("Opciones:%s\n", names ? "" : " ninguna");
        for (GList *l = names; l; l = l->next) {
            char *value = option_value(l->data, json_object_get_member(o, l->data));
            printf("  %s = %s\n", (const char *)l->data, value);
            g_free(value);
        }
        g_list_free(names);
    } else {
        printf("Opciones: %s\n", json);
    }
    g_object_unref(parser);
}

/* "Carpeta: …", and whether it still holds the run's set (the check historial publicar makes). */
static void print_folder(const obs_history_detail *d)
{
    printf("Carpeta: %s (%zu archivos)", d->carpeta, d->nsalidas);
    bool wrote = d->entry.estado == OBS_HIST_BORRADOR || d->entry.estado == OBS_HIST_PUBLICADA ||
                 d->entry.estado == OBS_HIST_SUSTITUIDA;
    if (wrote && d->archivos == OBS_HIST_FILES_MISSING)
        printf("; los archivos ya no son los de esta corrida: la carpeta no tiene su manifest.json (se borraron o "
               "se movieron)");
    else if (wrote && d->archivos == OBS_HIST_FILES_CHANGED)
        printf("; los archivos ya no son los de esta corrida: su manifest.json no es el que registró (otra "
               "ejecución escribió ahí, o se modificaron)");
    putchar('\n');
}

static int show_run(cli *c, int64_t id)
{
    obs_history_detail *d;
    if (obs_history_show(c->history, id, &d, &c->err) != OBS_OK)
        return cli_fail(c);
    const obs_history_entry *e = &d->entry;
    char when[32], corte[16], ant[16], a[OBS_FMT_MAX], b[OBS_FMT_MAX], o[OBS_FMT_MAX];
    cli_format_time(e->cuando, when, sizeof when);
    printf("Corrida %" G_GINT64_FORMAT ": observa %s %s, ejecutada el %s (UTC-6)\n", e->id, e->comando, d->version, when);
    print_state(e);
    printf("Corte: %s; corte anterior: %s\n", iso(e->corte, corte), iso(e->corte_anterior, ant));
    print_folder(d);
    print_options(d->opciones);
    print_inputs(d);
    printf("Cifras nacionales al corte: %s solicitudes, %s aprobadas, %s acciones de difusión de los OPL\n",
           obs_fmt_int(a, sizeof a, e->solicitudes), obs_fmt_int(b, sizeof b, e->aprobadas),
           obs_fmt_int(o, sizeof o, e->acciones_opl));
    print_flags_and_letters(c, d);
    obs_history_detail_free(d);
    return 0;
}

/* ---- observa historial publicar ----------------------------------------------------------------- */

/* The publication of a corte, found while listing. */
typedef struct publication {
    obs_day corte;
    int64_t id;
} publication;

static void find_publication(const obs_history_entry *e, void *ud)
{
    publication *p = ud;
    if (e->corte == p->corte && e->estado == OBS_HIST_PUBLICADA)
        p->id = e->id;
}

/* publicar --corte with no draft of that corte: says so, and when a run already published it, which one
 * and how another would replace it (the same usage status as every publication conflict). */
static int no_draft(cli *c)
{
    char corte[16];
    publication pub = {c->cfg.corte, 0};
    if (obs_history_list(c->history, find_publication, &pub, &c->err) != OBS_OK)
        return cli_fail(c);
    if (!pub.id)
        return cli_usage_error(c, "el historial no tiene ningún borrador con corte al %s; vea la lista con «observa "
                                  "historial»",
                               iso(c->cfg.corte, corte));
    cli_say("el corte %s no tiene ningún borrador que publicar: ya lo publicó la corrida %" G_GINT64_FORMAT " (vea "
            "«observa historial mostrar %" G_GINT64_FORMAT "»). Para presentar otra versión en su lugar, genere una "
            "corrida nueva de ese corte y publíquela con «observa historial publicar N --reemplazar» (N, el número que "
            "esa ejecución dice al terminar); la corrida %" G_GINT64_FORMAT " se conserva como versión sustituida.",
            iso(c->cfg.corte, corte), pub.id, pub.id, pub.id);
    return EX_USAGE;
}

static int publish_run(cli *c, int64_t id)
{
    char corte[16];
    if (!id && c->cfg.corte == OBS_DAY_NONE)
        return cli_usage_error(c, "indique la corrida (observa historial publicar ID) o el corte (--corte AAAA-MM-DD)");
    if (id && c->cfg.corte != OBS_DAY_NONE)
        return cli_usage_error(c, "indique la corrida o el corte, no ambos");
    if (!id) {
        if (obs_history_latest_draft(c->history, c->cfg.corte, &id, &c->err) != OBS_OK)
            return cli_fail(c);
        if (!id)
            return no_draft(c);
    }
    if (obs_history_publish(c->history, id, c->opt.reemplazar, &c->err) != OBS_OK)
        return cli_fail(c);
    obs_history_detail *d;
    if (obs_history_show(c->history, id, &d, &c->err) != OBS_OK)
        return cli_fail(c);
    if (d->entry.sustituye)
        cli_say("la corrida %" G_GINT64_FORMAT " (corte al %s) quedó publicada; sustituye a la corrida %" G_GINT64_FORMAT
                ", que se conserva como versión sustituida",
                id, iso(d->entry.corte, corte), d->entry.sustituye);
    else
        cli_say("la corrida %" G_GINT64_FORMAT " (corte al %s) quedó publicada", id, iso(d->entry.corte, corte));
    obs_history_detail_free(d);
    return 0;
}

/* ---- observa historial exportar ------------------------------------------------------------------ */

static void append_line(const char *line, void *ud)
{
    g_string_append(ud, line);
}

static int export_metrics(cli *c)
{
    const char *path = c->opt.salida;
    /* For Excel es-MX, a file starts with the BOM, like metricas.csv; standard output has none. */
    GString *csv = g_string_new(path ? OBS_CSV_BOM : "");
    int rc = 0;
    if (obs_history_export(c->history, append_line, csv, &c->err) != OBS_OK) {
        rc = cli_fail(c);
    } else if (!path) {
        bool ok = fwrite(csv->str, 1, csv->len, stdout) == csv->len && fflush(stdout) == 0;
        int e = errno;
        if (!ok) {
            cli_say("error al escribir en la salida estándar: %s", obs_strerror(e));
            rc = EX_IOERR;
        }
    } else {
        GError *gerr = NULL;
        if (!g_file_set_contents_full(path, csv->str, (gssize)csv->len,
                                      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &gerr)) {
            cli_say("%s: no se puede escribir la exportación: %s", path, obs_gerror_str(gerr));
            rc = gerr->domain == G_FILE_ERROR && gerr->code == G_FILE_ERROR_NOSPC ? EX_IOERR : EX_CANTCREAT;
            g_error_free(gerr);
        }
    }
    g_string_free(csv, TRUE);
    return rc;
}

/* ---- Dispatch ------------------------------------------------------------------------------------ */

/* The subcommand and its id from argv (argv[0] is "historial"); the options go on in *rest. */
static int read_positionals(cli *c, int argc, char **argv, const struct subcommand **sub, int64_t *id,
                            GPtrArray *rest)
{
    int i = 1;
    *sub = &subcommands[0];
    if (i < argc && argv[i][0] != '-') {
        *sub = NULL;
        for (size_t k = 1; k < G_N_ELEMENTS(subcommands) && !*sub; k++)
            if (strcmp(argv[i], subcommands[k].name) == 0)
                *sub = &subcommands[k];
        if (!*sub)
            return cli_usage_error(c, "«%s» no es un subcomando de historial: use mostrar, publicar o exportar",
                                   argv[i]);
        i++;
    }
    if ((*sub)->takes_id && i < argc && argv[i][0] != '-') {
        int64_t v;
        if (!obs_config_parse_entero(argv[i], 1, INT64_MAX, &v))
            return cli_usage_error(c, "«%s» no es el número de una corrida (vea la lista con «observa historial»)",
                                   argv[i]);
        *id = v;
        i++;
    }
    g_ptr_array_add(rest, argv[0]);
    for (; i < argc; i++)
        g_ptr_array_add(rest, argv[i]);
    g_ptr_array_add(rest, NULL);
    return -1;
}

static int run_subcommand(cli *c, const struct subcommand *sub, int64_t id)
{
    if (strcmp(sub->name, "mostrar") == 0 && !id)
        return cli_usage_error(c, "indique la corrida: observa historial mostrar ID");
    /* Reading an history that does not exist does not create it. */
    char *path = cli_history_path(c);
    bool exists = g_file_test(path, G_FILE_TEST_EXISTS);
    if (!exists && !*sub->name)
        printf("El historial %s no existe todavía: se crea con la primera ejecución de informe, opl, oficio o lote.\n",
               path);
    else if (!exists)
        cli_say("%s: no existe el historial; indique otro con --historial", path);
    if (!exists) {
        g_free(path);
        return *sub->name ? EX_NOINPUT : 0;
    }
    /* Only publicar writes: the other subcommands read a history the user may not be able to write. */
    int rc = -1;
    if (strcmp(sub->name, "publicar") == 0)
        rc = cli_open_history(c);
    else if (obs_history_open_read(path, &c->history, &c->err) != OBS_OK)
        rc = cli_fail(c);
    g_free(path);
    if (rc >= 0)
        return rc;
    if (!*sub->name)
        return list_runs(c);
    if (strcmp(sub->name, "mostrar") == 0) {
        if (cli_load_catalog(c) >= 0)
            obs_error_clear(&c->err); /* without the catalogue, entidades go by their clave */
        return show_run(c, id);
    }
    if (strcmp(sub->name, "publicar") == 0)
        return publish_run(c, id);
    return export_metrics(c);
}

int cmd_historial(int argc, char **argv)
{
    cli c = {.command = "historial"};
    const struct subcommand *sub = NULL;
    int64_t id = 0;
    GPtrArray *rest = g_ptr_array_new();
    int rc = read_positionals(&c, argc, argv, &sub, &id, rest);
    if (rc < 0) {
        c.accepts = CLI_OPT_HISTORIAL | CLI_OPT_CONFIG | CLI_OPT_HELP | sub->accepts;
        rc = cli_parse(&c, (int)rest->len - 1, (char **)rest->pdata, NULL, help);
    }
    if (rc < 0)
        rc = run_subcommand(&c, sub, id);
    g_ptr_array_free(rest, TRUE);
    cli_clear(&c);
    return rc;
}
