/* oficio.c - the letters' numbers, dates and count-dependent words (reports.md §4). */
#include "observa/oficio.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

const char *const obs_oficio_vars[] = {"oficio.numero",
                                       "oficio.un_opl",
                                       "oficio.senalados",
                                       "oficio.regla",
                                       "oficio.opl_acciones",
                                       "oficio.opl_previo",
                                       "oficio.opl_previo_fecha",
                                       "oficio.opl_previo_corte",
                                       "oficio.opl_previo_acciones",
                                       "oficio.contacto_datos",
                                       NULL};

/* Widest numero_inicial: the counter stays well inside an int64 and a letter number stays short. */
#define MAX_DIGITS 9

/* ---- where a key is: file:line for the messages ------------------------------------------------ */

/* Line of "key =" inside [oficio] of the configuration file; 0 when unknown. */
static uint64_t key_line(const char *path, const char *key)
{
    char *text = NULL;
    if (!path || !*path || !g_file_get_contents(path, &text, NULL, NULL))
        return 0;
    char **lines = g_strsplit(text, "\n", -1);
    g_free(text);
    uint64_t found = 0;
    bool in_oficio = false;
    size_t klen = strlen(key);
    for (uint64_t i = 0; lines[i] && !found; i++) {
        char *l = lines[i];
        if (i == 0 && g_str_has_prefix(l, "\xEF\xBB\xBF"))
            l += 3;
        l = g_strstrip(l);
        if (*l == '[')
            in_oficio = g_str_has_prefix(l, "[oficio]");
        else if (in_oficio && strncmp(l, key, klen) == 0 && *g_strchug(l + klen) == '=')
            found = i + 1;
    }
    g_strfreev(lines);
    return found;
}

/* obs_error_set() for an [oficio] key, at its line. */
static obs_status key_error(obs_error *err, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static obs_status key_error(obs_error *err, const char *path, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    obs_status st = obs_error_set(err, OBS_ERR_CONFIG, path, key_line(path, key), 0, "%s", msg);
    g_free(msg);
    return st;
}

/* ---- numbers ---------------------------------------------------------------------------------- */

static const char *get(GHashTable *oficio, const char *key)
{
    const char *v = g_hash_table_lookup(oficio, key);
    return v && *v ? v : NULL;
}

/* "ine/deoe/0150/2024" and "INE/DEOE/0150/2024 " are the same number. */
static char *number_key(const char *s)
{
    char *folded = g_utf8_casefold(s, -1);
    GString *k = g_string_new(NULL);
    for (const char *p = folded; *p; p++)
        if (!g_ascii_isspace(*p))
            g_string_append_c(k, *p);
    g_free(folded);
    return g_string_free(k, FALSE);
}

static bool same_number(const char *a, const char *b)
{
    char *x = number_key(a), *y = number_key(b);
    bool same = strcmp(x, y) == 0;
    g_free(x);
    g_free(y);
    return same;
}

/* The items of `numeros`, separated by commas (or semicolons), trimmed; empty items kept. */
static char **split_list(const char *v)
{
    char **items = g_strsplit_set(v, ",;", -1);
    for (char **p = items; *p; p++)
        g_strstrip(*p);
    return items;
}

static obs_status check_list(GHashTable *oficio, const char *path, obs_error *err)
{
    char **items = split_list(get(oficio, "numeros"));
    const char *previo = get(oficio, "oficio_previo");
    obs_status st = OBS_OK;
    for (size_t i = 0; items[i] && st == OBS_OK; i++) {
        if (!*items[i]) {
            st = key_error(err, path, "numeros",
                           "[oficio] numeros tiene un elemento vacío (número %zu de la lista); escriba los "
                           "números de oficio separados por comas, sin comas de más",
                           i + 1);
            break;
        }
        for (size_t j = 0; j < i && st == OBS_OK; j++)
            if (same_number(items[i], items[j]))
                st = key_error(err, path, "numeros",
                               "[oficio] numeros repite el número %s (posiciones %zu y %zu de la lista): "
                               "cada oficio lleva su propio número",
                               items[j], j + 1, i + 1);
        if (st == OBS_OK && previo && same_number(items[i], previo))
            st = key_error(err, path, "numeros",
                           "el número «%s» de [oficio] numeros es el del oficio anterior ([oficio] "
                           "oficio_previo): cada oficio lleva su propio número",
                           items[i]);
    }
    g_strfreev(items);
    return st;
}

static obs_status check_counter(GHashTable *oficio, const char *path, obs_error *err)
{
    const char *numero = get(oficio, "numero"), *inicial = get(oficio, "numero_inicial");
    const char *n = strstr(numero, "{n}");
    /* Every brace belongs to a {n}: "{N}" or "{n:04}" would be printed as they are. */
    GString *rest = g_string_new(numero);
    g_string_replace(rest, "{n}", "", 0);
    bool brace = strpbrk(rest->str, "{}") != NULL;
    g_string_free(rest, TRUE);
    if (brace)
        return key_error(err, path, "numero",
                         "[oficio] numero: «%s» tiene llaves que no son el contador; el contador se escribe "
                         "{n}, por ejemplo INE/DEOE/{n}/2024 con numero_inicial = 0150",
                         numero);
    if (n && !inicial)
        return key_error(err, path, "numero",
                         "[oficio] numero «%s» lleva el contador {n} pero falta [oficio] numero_inicial, el "
                         "número del primer oficio (por ejemplo numero_inicial = 0150)",
                         numero);
    if (!n && inicial)
        return key_error(err, path, "numero_inicial",
                         "[oficio] numero_inicial = %s no sirve sin el contador {n} en [oficio] numero (por "
                         "ejemplo numero = INE/DEOE/{n}/2024); quite numero_inicial o ponga {n} en numero",
                         inicial);
    size_t len = inicial ? strlen(inicial) : 0;
    bool digits = len > 0 && len <= MAX_DIGITS;
    for (size_t i = 0; digits && i < len; i++)
        digits = g_ascii_isdigit(inicial[i]);
    if (inicial && !digits)
        return key_error(err, path, "numero_inicial",
                         "[oficio] numero_inicial = «%s»: se espera un número de 1 a %d cifras, por ejemplo "
                         "0150 (los ceros a la izquierda se conservan)",
                         inicial, MAX_DIGITS);
    const char *previo = get(oficio, "oficio_previo");
    if (!n && previo && same_number(numero, previo))
        return key_error(err, path, "numero",
                         "[oficio] numero = %s es el número del oficio anterior ([oficio] oficio_previo): "
                         "cada oficio lleva su propio número",
                         numero);
    return OBS_OK;
}

static obs_status check_numbering(GHashTable *oficio, const char *path, obs_error *err)
{
    bool numero = get(oficio, "numero") != NULL, numeros = get(oficio, "numeros") != NULL;
    if (numero && numeros)
        return key_error(err, path, "numeros",
                         "[oficio] tiene numero y numeros: use numero (fijo, o con el contador {n} y "
                         "numero_inicial) o la lista numeros, no ambas");
    if (!numero && !numeros)
        return obs_error_set(err, OBS_ERR_CONFIG, path, key_line(path, "numero"), 0,
                             "falta el número de oficio en la sección [oficio] de la configuración: numero "
                             "(por ejemplo INE/DEOE/{n}/2024 con numero_inicial = 0150) o numeros (una lista) "
                             "(vea sample-data/lote.ini)");
    if (numeros && get(oficio, "numero_inicial"))
        return key_error(err, path, "numero_inicial",
                         "[oficio] numero_inicial sólo sirve con el contador {n} de numero, no con la lista "
                         "numeros; quite una de las dos claves");
    return numeros ? check_list(oficio, path, err) : check_counter(oficio, path, err);
}

char **obs_oficio_numbers(GHashTable *oficio, size_t n, const char *config_path, obs_error *err)
{
    const char *numeros = get(oficio, "numeros");
    if (numeros) {
        char **items = split_list(numeros);
        size_t have = g_strv_length(items);
        if (have < n) {
            key_error(err, config_path, "numeros",
                      "[oficio] numeros tiene %zu %s y esta ejecución escribe %zu oficios (en este orden: el "
                      "exhorto general, si se pide, y uno por cada OPL señalado, por clave); añada los números "
                      "que faltan",
                      have, have == 1 ? "número" : "números", n);
            g_strfreev(items);
            return NULL;
        }
        for (size_t i = n; i < have; i++)
            g_free(items[i]);
        items[n] = NULL;
        return items;
    }
    const char *numero = get(oficio, "numero");
    if (!strstr(numero, "{n}")) {
        if (n > 1) {
            key_error(err, config_path, "numero",
                      "[oficio] numero = %s es un solo número y esta ejecución escribe %zu oficios; cada "
                      "oficio lleva su propio número: use el contador, numero = …/{n}/… con numero_inicial, o "
                      "la lista numeros",
                      numero, n);
            return NULL;
        }
        char **one = g_new0(char *, 2);
        one[0] = g_strdup(numero);
        return one;
    }
    const char *inicial = get(oficio, "numero_inicial"), *previo = get(oficio, "oficio_previo");
    int width = (int)strlen(inicial);
    gint64 first = g_ascii_strtoll(inicial, NULL, 10);
    char **out = g_new0(char *, n + 1);
    for (size_t i = 0; i < n; i++) {
        char digits[32];
        g_snprintf(digits, sizeof digits, "%0*" G_GINT64_FORMAT, width, first + (gint64)i);
        GString *s = g_string_new(numero);
        g_string_replace(s, "{n}", digits, 0);
        out[i] = g_string_free(s, FALSE);
        if (previo && same_number(out[i], previo)) {
            key_error(err, config_path, "numero_inicial",
                      "el oficio %zu de esta ejecución llevaría el número %s, el del oficio anterior ([oficio] "
                      "oficio_previo); cambie [oficio] numero_inicial",
                      i + 1, out[i]);
            g_strfreev(out);
            return NULL;
        }
    }
    return out;
}

obs_status obs_oficio_check_emitidos(GHashTable *oficio, char *const *numbers, const obs_oficio_emitido *emitidos,
                                     size_t n, const char *config_path, obs_error *err)
{
    const char *numero = get(oficio, "numero");
    const char *key = get(oficio, "numeros") ? "numeros" : numero && strstr(numero, "{n}") ? "numero_inicial" : "numero";
    for (size_t i = 0; numbers && numbers[i]; i++)
        for (size_t k = 0; k < n; k++) {
            if (!same_number(numbers[i], emitidos[k].numero))
                continue;
            char corte[64];
            obs_fmt_fecha_larga(corte, sizeof corte, emitidos[k].corte);
            return key_error(err, config_path, key,
                             "el oficio %zu de esta ejecución llevaría el número %s, que ya lleva un oficio de la "
                             "corrida %" G_GINT64_FORMAT " del historial (corte al %s): cada oficio lleva su propio número; "
                             "cambie [oficio] %s",
                             i + 1, numbers[i], (gint64)emitidos[k].corrida, corte, key);
        }
    return OBS_OK;
}

/* ---- dates ------------------------------------------------------------------------------------ */

static char *long_date(obs_day d)
{
    char buf[64];
    return g_strdup(obs_fmt_fecha_larga(buf, sizeof buf, d));
}

static obs_status check_dates(GHashTable *oficio, obs_day corte, obs_day generado, const char *path,
                              obs_error *err)
{
    const char *fecha = get(oficio, "fecha"), *sesion = get(oficio, "sesion_fecha");
    obs_day carta = fecha ? obs_day_parse_iso(fecha) : generado;
    obs_day ses = sesion ? obs_day_parse_iso(sesion) : OBS_DAY_NONE;
    char *c = long_date(corte), *f = long_date(carta), *s = long_date(ses);
    obs_status st = OBS_OK;
    if (ses != OBS_DAY_NONE && ses < corte)
        st = key_error(err, path, "sesion_fecha",
                       "la sesión que cita el oficio ([oficio] sesion_fecha = %s, %s) es anterior al corte (%s): "
                       "esa sesión no pudo revisar cifras con ese corte; corrija [oficio] sesion_fecha o el "
                       "corte (-c)",
                       sesion, s, c);
    else if (carta != OBS_DAY_NONE && carta < corte && fecha)
        st = key_error(err, path, "fecha",
                       "el oficio está fechado ([oficio] fecha = %s, %s) antes del corte (%s) cuyas cifras "
                       "cita; corrija [oficio] fecha o el corte (-c)",
                       fecha, f, c);
    else if (carta != OBS_DAY_NONE && carta < corte)
        st = key_error(err, path, "fecha",
                       "sin [oficio] fecha, el oficio llevaría la fecha de elaboración (%s), anterior al "
                       "corte (%s) cuyas cifras cita; indique la fecha del oficio en [oficio] fecha",
                       f, c);
    else if (carta != OBS_DAY_NONE && ses != OBS_DAY_NONE && carta < ses)
        st = key_error(err, path, fecha ? "fecha" : "sesion_fecha",
                       "el oficio está fechado el %s (%s) antes de la sesión que cita ([oficio] sesion_fecha = "
                       "%s, %s): no puede dar cuenta de una sesión aún no celebrada; corrija [oficio] fecha "
                       "o [oficio] sesion_fecha",
                       f, fecha ? "[oficio] fecha" : "la fecha de elaboración, sin [oficio] fecha", sesion, s);
    g_free(c);
    g_free(f);
    g_free(s);
    return st;
}

obs_status obs_oficio_check(GHashTable *oficio, obs_day corte, obs_day generado, const char *config_path,
                            obs_error *err)
{
    obs_status st = check_numbering(oficio, config_path, err);
    return st == OBS_OK ? check_dates(oficio, corte, generado, config_path, err) : st;
}

/* ---- words ------------------------------------------------------------------------------------ */

/* "1 acción", "42 acciones". */
static void append_acciones(GString *s, int64_t n)
{
    char buf[OBS_FMT_MAX];
    g_string_append_printf(s, "%s %s", obs_fmt_int(buf, sizeof buf, n), n == 1 ? "acción" : "acciones");
}

/* Spanish "y" is "e" before a word that starts with the sound /i/ ("e IEEC", "e Hidalgo"). */
static const char *conjunction(const char *next)
{
    char *low = g_utf8_strdown(next, 6);
    bool e = g_str_has_prefix(low, "i") || g_str_has_prefix(low, "í") ||
             (g_str_has_prefix(low, "hi") && !strchr("aeoáéó", low[2] ? low[2] : 'x'));
    g_free(low);
    return e ? " e " : " y ";
}

char *obs_oficio_regla(const obs_snapshot *snap)
{
    char buf[OBS_FMT_MAX];
    GString *s = g_string_new("menos acciones de difusión que el mayor entre ");
    append_acciones(s, snap->rule.umbral_minimo);
    g_string_append_printf(s, " y %s%% de la mediana nacional de acciones de los OPL (",
                           obs_fmt_dec(buf, sizeof buf, snap->rule.fraccion_mediana * 100, 1));
    g_string_append_printf(s, "%s %s al corte); es decir, ", obs_fmt_dec(buf, sizeof buf, snap->mediana, 2),
                           snap->mediana == 1.0 ? "acción" : "acciones");
    /* A count n is flagged when n < umbral: the largest such count is ceil(umbral) - 1. */
    double most = ceil(snap->umbral) - 1;
    if (most < 0)
        g_string_append(s, "ninguna cantidad de acciones");
    else if (most == 0)
        g_string_append(s, "ninguna acción");
    else {
        append_acciones(s, (int64_t)most);
        g_string_append(s, " o menos");
    }
    return g_string_free(s, FALSE);
}

static int64_t opl_actions(const obs_snapshot *snap, int e)
{
    return obs_snapshot_get(snap, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL);
}

static char *senalados(const obs_run *run)
{
    GString *s = g_string_new(NULL);
    int seen = 0, total = run->actual->nbajo;
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(run->actual, e))
            continue;
        const obs_entidad *ent = obs_catalog_entidad(run->cat, e);
        if (seen++ > 0)
            g_string_append(s, seen == total ? conjunction(ent->opl_etiqueta) : ", ");
        g_string_append_printf(s, "%s (%s) con ", ent->opl_etiqueta, ent->nombre);
        append_acciones(s, opl_actions(run->actual, e));
    }
    return g_string_free(s, FALSE);
}

static void set(GHashTable *vars, const char *key, char *value)
{
    g_hash_table_insert(vars, g_strdup(key), value);
}

/* Whether a contains b, without regard to case. */
static bool contains_folded(const char *a, const char *b)
{
    char *x = g_utf8_casefold(a, -1), *y = g_utf8_casefold(b, -1);
    bool in = strstr(x, y) != NULL;
    g_free(x);
    g_free(y);
    return in;
}

/* "el Lic. N, Subdirector de …, al correo electrónico n@ine.mx": the contact's parts that are
 * there, the cargo left out when the contact already names it ("la persona titular de la
 * Subdirección …" and "Subdirección …"). */
static char *contact_text(GHashTable *vars)
{
    const char *who = g_hash_table_lookup(vars, "oficio.contacto");
    const char *cargo = g_hash_table_lookup(vars, "oficio.contacto_cargo");
    const char *mail = g_hash_table_lookup(vars, "oficio.contacto_correo");
    GString *s = g_string_new(who ? who : "");
    if (cargo && *cargo && !(who && contains_folded(who, cargo)))
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", cargo);
    if (mail && *mail)
        g_string_append_printf(s, "%sal correo electrónico %s", s->len ? ", " : "", mail);
    return g_string_free(s, FALSE);
}

void obs_oficio_add_vars(GHashTable *vars, const obs_run *run, int entidad, const char *numero)
{
    set(vars, "oficio.numero", g_strdup(numero ? numero : ""));
    set(vars, "oficio.contacto_datos", contact_text(vars));
    set(vars, "oficio.regla", obs_oficio_regla(run->actual));
    if (entidad) {
        /* A letter to one OPL names no other: no list, no national count of flagged OPLs. */
        GString *s = g_string_new(NULL);
        append_acciones(s, opl_actions(run->actual, entidad));
        set(vars, "oficio.opl_acciones", g_string_free(s, FALSE));
        return;
    }
    set(vars, "oficio.un_opl", g_strdup(run->actual->nbajo == 1 ? "1" : ""));
    set(vars, "oficio.senalados", senalados(run));
}
