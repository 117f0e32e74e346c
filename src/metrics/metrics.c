/* metrics.c - the as-of metric cube: per-day, per-entidad counters summed up to a cut-off. */
#include "metrics/metrics_int.h"
#include "observa/csvfield.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Days older than this before the limit share one bucket, bounding memory for odd dates. */
#define HISTORY_DAYS 3660
/* Distinct causes of improcedencia remembered; the rest are tallied together. */
#define MAX_CAUSAS 1000
#define MAX_SPELLINGS (4 * MAX_CAUSAS)
/* Spellings of organisation names remembered (each folds once); beyond, a name is folded again. */
#define MAX_ORG_SPELLINGS 20000

static const char *const edad_names[OBS_EDAD_BANDS] = {
    "18_20", "21_25", "26_30", "31_35", "36_40", "41_45", "46_50",
    "51_55", "56_60", "61_65", "66_70", "71_mas", "no_especificada"};
static const char *const edad_labels[OBS_EDAD_BANDS] = {
    "18 a 20", "21 a 25", "26 a 30", "31 a 35", "36 a 40", "41 a 45", "46 a 50",
    "51 a 55", "56 a 60", "61 a 65", "66 a 70", "71 o más", "No especificada"};

/* An organisation of observers (by folded name): the first day it had a request, nationally
 * ([0]) and in each entidad ([1..32]); OBS_DAY_NONE where it had none. */
typedef struct org_entry {
    obs_day first[OBS_ENTIDADES + 1];
} org_entry;

typedef struct causa_entry {
    char *display;
    int64_t count;
    uint64_t seq;            /* order of first appearance */
} causa_entry;

struct obs_cube {
    const obs_catalog *cat;
    obs_day limit;
    obs_day floor;
    size_t nmetrics;         /* exported metrics (metricas.csv) */
    size_t nslots;           /* metrics plus internal counters (OPL actions by type) */
    size_t stride;           /* int64 per day block: OBS_ENTIDADES × nslots */
    char **names;            /* metric names */
    size_t *sorted;          /* metric ids in name order (for metricas.csv) */
    GHashTable *days;        /* GINT_TO_POINTER(day) -> int64_t block[stride] */
    obs_day last_day;        /* one-entry cache: exports are mostly in date order */
    int64_t *last_block;
    obs_day first_day;
    bool clamped;            /* an event older than floor was counted on floor */
    GHashTable *causas;      /* folded cause -> causa_entry */
    GHashTable *spellings;   /* cause as written -> causa_entry: folds each spelling once */
    int64_t causas_otras;
    uint64_t causas_seen;    /* causes kept one by one so far (their seq) */
    GHashTable *orgs;        /* folded organisation name -> org_entry */
    GHashTable *org_spellings; /* name as written -> org_entry: folds each spelling once */
    bool overflow;           /* a sum reached INT64_MAX: the figures cannot be trusted */
};

/* *slot += v, saturating instead of wrapping (data contract §1: sums never wrap). */
static inline bool add_checked(int64_t *slot, int64_t v)
{
    if (__builtin_add_overflow(*slot, v, slot)) {
        *slot = INT64_MAX;
        return false;
    }
    return true;
}

int obs_edad_band(int edad)
{
    if (edad < 18)
        return OBS_EDAD_BANDS - 1;
    if (edad <= 20)
        return 0;
    if (edad >= 71)
        return 11;
    return (edad - 21) / 5 + 1;
}

const char *obs_edad_band_name(int band)
{
    return band >= 0 && band < OBS_EDAD_BANDS ? edad_names[band] : "";
}

const char *obs_edad_band_label(int band)
{
    return band >= 0 && band < OBS_EDAD_BANDS ? edad_labels[band] : "";
}

static char **build_names(const obs_catalog *cat, size_t n)
{
    static const char *const sexo[] = {"mujer", "hombre", "no_binaria", "no_especificado"};
    static const char *const tipo[] = {"individual", "organizacion"};
    static const char *const medio[] = {"portal", "junta", "opl"};
    static const char *const modalidad[] = {"va", "vppp", "vmre"};
    static const char *const por[] = {"ine", "opl", "organizacion"};
    static const char *const consejo[] = {"local", "distrital"};
    static const char *const instancia[] = {"opl", "jle", "jde"};
    char **names = g_new0(char *, n + 1);
    names[OBS_M_TOTAL] = g_strdup("solicitudes.total");
    for (int i = 0; i < OBS_SEXO_COUNT; i++)
        names[OBS_M_SEXO + i] = g_strconcat("solicitudes.sexo.", sexo[i], NULL);
    for (int i = 0; i < OBS_TIPO_COUNT; i++)
        names[OBS_M_TIPO + i] = g_strconcat("solicitudes.tipo.", tipo[i], NULL);
    for (int i = 0; i < OBS_MEDIO_COUNT; i++)
        names[OBS_M_MEDIO + i] = g_strconcat("solicitudes.medio.", medio[i], NULL);
    for (int i = 0; i < OBS_EDAD_BANDS; i++)
        names[OBS_M_EDAD + i] = g_strconcat("solicitudes.edad.", edad_names[i], NULL);
    names[OBS_M_DISCAPACIDAD] = g_strdup("solicitudes.discapacidad");
    names[OBS_M_INDIGENA] = g_strdup("solicitudes.indigena");
    for (int i = 0; i < OBS_MODALIDAD_COUNT; i++)
        names[OBS_M_MODALIDAD + i] = g_strconcat("solicitudes.modalidad.", modalidad[i], NULL);
    names[OBS_M_CURSO_CON] = g_strdup("solicitudes.curso.con");
    names[OBS_M_CURSO_SIN] = g_strdup("solicitudes.curso.sin");
    for (int i = 0; i < OBS_CURSO_POR_COUNT; i++)
        names[OBS_M_CURSO_POR + i] = g_strconcat("solicitudes.curso.por.", por[i], NULL);
    names[OBS_M_APROBADAS] = g_strdup("solicitudes.aprobadas");
    names[OBS_M_IMPROCEDENTES] = g_strdup("solicitudes.improcedentes");
    names[OBS_M_DECLINADAS] = g_strdup("solicitudes.declinadas");
    names[OBS_M_PENDIENTES] = g_strdup("solicitudes.pendientes");
    for (int i = 0; i < OBS_CONSEJO_COUNT; i++)
        names[OBS_M_APROB_CONSEJO + i] = g_strconcat("solicitudes.aprobadas.consejo.", consejo[i], NULL);
    names[OBS_M_ORGANIZACIONES] = g_strdup("solicitudes.organizaciones");
    names[OBS_M_DIF_TOTAL] = g_strdup("difusion.total");
    for (int i = 0; i < OBS_INSTANCIA_COUNT; i++)
        names[OBS_M_DIF_INSTANCIA + i] = g_strconcat("difusion.instancia.", instancia[i], NULL);
    names[OBS_M_DIF_INE] = g_strdup("difusion.ine");
    names[OBS_M_DIF_ALCANCE] = g_strdup("difusion.alcance");
    names[OBS_M_DIF_BAJO] = g_strdup("difusion.bajo");
    for (size_t i = 0; i < obs_catalog_tipo_count(cat); i++)
        names[OBS_M_DIF_TIPO + i] = g_strconcat("difusion.tipo.", obs_catalog_tipo_codigo(cat, i), NULL);
    return names;
}

static int cmp_by_name(const void *a, const void *b, void *ud)
{
    char **names = ud;
    return strcmp(names[*(const size_t *)a], names[*(const size_t *)b]);
}

static void causa_free(gpointer p)
{
    causa_entry *c = p;
    g_free(c->display);
    g_free(c);
}

obs_cube *obs_cube_new(const obs_catalog *cat, obs_day limit)
{
    obs_cube *cube = g_new0(obs_cube, 1);
    cube->cat = cat;
    cube->limit = limit;
    cube->floor = limit > HISTORY_DAYS ? limit - HISTORY_DAYS : 1;
    cube->nmetrics = OBS_M_DIF_TIPO + obs_catalog_tipo_count(cat);
    /* Internal counters: OPL actions by type, then requests by age band × sex. */
    cube->nslots = cube->nmetrics + obs_catalog_tipo_count(cat) + OBS_EDAD_BANDS * OBS_SEXO_COUNT;
    cube->stride = (size_t)OBS_ENTIDADES * cube->nslots;
    cube->names = build_names(cat, cube->nmetrics);
    cube->sorted = g_new(size_t, cube->nmetrics);
    for (size_t i = 0; i < cube->nmetrics; i++)
        cube->sorted[i] = i;
    g_qsort_with_data(cube->sorted, (gint)cube->nmetrics, sizeof(size_t), cmp_by_name, cube->names);
    cube->days = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    cube->causas = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, causa_free);
    cube->spellings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    cube->orgs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    cube->org_spellings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return cube;
}

void obs_cube_free(obs_cube *cube)
{
    if (!cube)
        return;
    g_strfreev(cube->names);
    g_free(cube->sorted);
    g_hash_table_destroy(cube->days);
    g_hash_table_destroy(cube->spellings);
    g_hash_table_destroy(cube->causas);
    g_hash_table_destroy(cube->org_spellings);
    g_hash_table_destroy(cube->orgs);
    g_free(cube);
}

/* The counters of entidad e (1..32) on day d, created on first use; NULL after the limit. */
static int64_t *row_for(obs_cube *cube, obs_day d, int e)
{
    if (d > cube->limit || d == OBS_DAY_NONE)
        return NULL;
    if (d < cube->floor) {
        d = cube->floor;
        cube->clamped = true;
    }
    if (d != cube->last_day || !cube->last_block) {
        int64_t *block = g_hash_table_lookup(cube->days, GINT_TO_POINTER(d));
        if (!block) {
            block = g_new0(int64_t, cube->stride);
            g_hash_table_insert(cube->days, GINT_TO_POINTER(d), block);
            if (cube->first_day == OBS_DAY_NONE || d < cube->first_day)
                cube->first_day = d;
        }
        cube->last_day = d;
        cube->last_block = block;
    }
    return cube->last_block + (size_t)(e - 1) * cube->nslots;
}

static void count_causa_n(obs_cube *cube, const char *causa, int64_t n)
{
    const char *text = causa && *causa ? causa : "(sin causa registrada)";
    causa_entry *c = g_hash_table_lookup(cube->spellings, text);
    if (c) {
        c->count += n;
        return;
    }
    char *key = obs_fold(text, strlen(text));
    c = g_hash_table_lookup(cube->causas, key);
    if (c) {
        c->count += n;
        g_free(key);
    } else if (g_hash_table_size(cube->causas) < MAX_CAUSAS) {
        c = g_new0(causa_entry, 1);
        c->display = g_strdup(text);
        c->count = n;
        c->seq = cube->causas_seen++;
        g_hash_table_insert(cube->causas, key, c);
    } else {
        cube->causas_otras += n;
        g_free(key);
    }
    if (c && g_hash_table_size(cube->spellings) < MAX_SPELLINGS)
        g_hash_table_insert(cube->spellings, g_strdup(text), c);
}

static void count_causa(obs_cube *cube, const char *causa)
{
    count_causa_n(cube, causa, 1);
}

static void org_seen(obs_day *first, obs_day d)
{
    if (*first == OBS_DAY_NONE || d < *first)
        *first = d;
}

/* The entry of an organisation (created on first use), found by its name as written. */
static org_entry *org_lookup(obs_cube *cube, const char *name)
{
    org_entry *o = g_hash_table_lookup(cube->org_spellings, name);
    if (o)
        return o;
    char *key = obs_fold(name, strlen(name));
    o = g_hash_table_lookup(cube->orgs, key);
    if (o) {
        g_free(key);
    } else {
        o = g_new0(org_entry, 1);
        g_hash_table_insert(cube->orgs, key, o);
    }
    if (g_hash_table_size(cube->org_spellings) < MAX_ORG_SPELLINGS)
        g_hash_table_insert(cube->org_spellings, g_strdup(name), o);
    return o;
}

static gint cmp_seq(gconstpointer a, gconstpointer b)
{
    const causa_entry *x = *(causa_entry *const *)a, *y = *(causa_entry *const *)b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

void obs_cube_merge(obs_cube *into, const obs_cube *from)
{
    GHashTableIter it;
    gpointer key, block;
    g_hash_table_iter_init(&it, from->days);
    while (g_hash_table_iter_next(&it, &key, &block)) {
        obs_day d = GPOINTER_TO_INT(key);
        /* row_for() creates the day block; entidad 1's row starts it. */
        int64_t *dst = row_for(into, d, 1);
        const int64_t *src = block;
        for (size_t i = 0; i < into->stride; i++)
            into->overflow |= !add_checked(&dst[i], src[i]);
    }
    into->clamped = into->clamped || from->clamped;
    /* In the order they first appeared, as if from's rows came after into's: the causes that
     * still fit are kept one by one, the rest go to "otras". */
    GPtrArray *order = g_ptr_array_sized_new(g_hash_table_size(from->causas));
    GHashTableIter ci;
    gpointer cv;
    g_hash_table_iter_init(&ci, from->causas);
    while (g_hash_table_iter_next(&ci, NULL, &cv))
        g_ptr_array_add(order, cv);
    g_ptr_array_sort(order, cmp_seq);
    for (guint i = 0; i < order->len; i++) {
        const causa_entry *c = order->pdata[i];
        count_causa_n(into, c->display, c->count);
    }
    g_ptr_array_free(order, TRUE);
    into->causas_otras += from->causas_otras;
    into->overflow |= from->overflow;
    GHashTableIter oi;
    gpointer ok, ov;
    g_hash_table_iter_init(&oi, from->orgs);
    while (g_hash_table_iter_next(&oi, &ok, &ov)) {
        org_entry *dst = g_hash_table_lookup(into->orgs, ok);
        if (!dst) {
            dst = g_new0(org_entry, 1);
            g_hash_table_insert(into->orgs, g_strdup(ok), dst);
        }
        const org_entry *src = ov;
        for (int e = 0; e <= OBS_ENTIDADES; e++)
            if (src->first[e] != OBS_DAY_NONE)
                org_seen(&dst->first[e], src->first[e]);
    }
}

bool obs_cube_merge_is_exact(const obs_cube *into, const obs_cube *from)
{
    (void)into;
    /* from's "otras" may hold causes that into keeps one by one: they can no longer be told apart. */
    return from->causas_otras == 0;
}

void obs_cube_add_solicitud(obs_cube *cube, const obs_solicitud *s)
{
    obs_day reg = s->fecha_registro;
    int64_t *r = row_for(cube, reg, s->entidad);
    if (!r)
        return;
    r[OBS_M_TOTAL]++;
    r[OBS_M_SEXO + s->sexo]++;
    r[OBS_M_TIPO + s->tipo]++;
    r[OBS_M_MEDIO + s->medio]++;
    r[OBS_M_EDAD + obs_edad_band(s->edad)]++;
    r[obs_cube_slot_edad_sexo(cube, obs_edad_band(s->edad), s->sexo)]++;
    if (s->discapacidad)
        r[OBS_M_DISCAPACIDAD]++;
    if (s->indigena)
        r[OBS_M_INDIGENA]++;
    for (int m = 0; m < OBS_MODALIDAD_COUNT; m++)
        if (s->modalidades & (1u << m))
            r[OBS_M_MODALIDAD + m]++;
    /* A course or a resolution counts from the later of its date and the registration. */
    if (s->fecha_curso != OBS_DAY_NONE) {
        int64_t *c = row_for(cube, MAX(reg, s->fecha_curso), s->entidad);
        if (c) {
            c[OBS_M_CURSO_CON]++;
            if (s->curso_por != OBS_ABSENT)
                c[OBS_M_CURSO_POR + s->curso_por]++;
        }
    }
    if (s->resolucion != OBS_ABSENT) {
        int64_t *c = row_for(cube, MAX(reg, s->fecha_resolucion), s->entidad);
        if (c) {
            c[OBS_M_APROBADAS + s->resolucion]++;
            if (s->resolucion == OBS_RES_APROBADA && s->consejo != OBS_ABSENT)
                c[OBS_M_APROB_CONSEJO + s->consejo]++;
            if (s->resolucion == OBS_RES_IMPROCEDENTE)
                count_causa(cube, s->causa);
        }
    }
    /* An organisation counts from the registration of its first request (as of the corte). */
    if (s->tipo == OBS_TIPO_ORGANIZACION && s->organizacion && *s->organizacion) {
        org_entry *o = org_lookup(cube, s->organizacion);
        org_seen(&o->first[0], reg);
        org_seen(&o->first[s->entidad], reg);
    }
}

void obs_cube_add_accion(obs_cube *cube, const obs_accion *a)
{
    int64_t *r = row_for(cube, a->fecha_registro, a->entidad);
    if (!r)
        return;
    r[OBS_M_DIF_TOTAL]++;
    r[OBS_M_DIF_INSTANCIA + a->instancia]++;
    r[OBS_M_DIF_TIPO + a->tipo]++;
    if (a->instancia == OBS_INSTANCIA_OPL)
        r[cube->nmetrics + (size_t)a->tipo]++;
    if (a->alcance > 0)
        cube->overflow |= !add_checked(&r[OBS_M_DIF_ALCANCE], a->alcance);
}

size_t obs_cube_metric_count(const obs_cube *cube)
{
    return cube->nmetrics;
}

size_t obs_cube_slot_tipo_opl(const obs_cube *cube, size_t tipo)
{
    return cube->nmetrics + tipo;
}

size_t obs_cube_slot_edad_sexo(const obs_cube *cube, int band, int sexo)
{
    return cube->nmetrics + obs_catalog_tipo_count(cube->cat) + (size_t)band * OBS_SEXO_COUNT +
           (size_t)sexo;
}

int obs_cube_metric_find(const obs_cube *cube, const char *name)
{
    for (size_t i = 0; i < cube->nmetrics; i++)
        if (strcmp(cube->names[i], name) == 0)
            return (int)i;
    return -1;
}

const char *obs_cube_metric_name(const obs_cube *cube, size_t metric)
{
    return metric < cube->nmetrics ? cube->names[metric] : NULL;
}

bool obs_metric_is_distinct(size_t metric)
{
    return metric == OBS_M_ORGANIZACIONES;
}

size_t obs_cube_breakdown(const obs_cube *cube, size_t metric, size_t *parent, size_t *members,
                          size_t max)
{
    static const size_t states[] = {OBS_M_APROBADAS, OBS_M_IMPROCEDENTES, OBS_M_DECLINADAS,
                                    OBS_M_PENDIENTES};
    static const size_t curso[] = {OBS_M_CURSO_CON, OBS_M_CURSO_SIN};
    /* Runs of consecutive ids [first, first + n) and lists, each with its parent. */
    const struct {
        size_t first, n;
        const size_t *list;
        size_t parent;
    } families[] = {
        {OBS_M_SEXO, OBS_SEXO_COUNT, NULL, OBS_M_TOTAL},
        {OBS_M_TIPO, OBS_TIPO_COUNT, NULL, OBS_M_TOTAL},
        {OBS_M_MEDIO, OBS_MEDIO_COUNT, NULL, OBS_M_TOTAL},
        {OBS_M_EDAD, OBS_EDAD_BANDS, NULL, OBS_M_TOTAL},
        {0, G_N_ELEMENTS(states), states, OBS_M_TOTAL},
        {0, G_N_ELEMENTS(curso), curso, OBS_M_TOTAL},
        {OBS_M_DIF_INSTANCIA, OBS_INSTANCIA_COUNT, NULL, OBS_M_DIF_TOTAL},
        {OBS_M_DIF_TIPO, obs_catalog_tipo_count(cube->cat), NULL, OBS_M_DIF_TOTAL},
    };
    for (size_t f = 0; f < G_N_ELEMENTS(families); f++) {
        bool in = false;
        for (size_t i = 0; i < families[f].n; i++)
            in |= (families[f].list ? families[f].list[i] : families[f].first + i) == metric;
        if (!in)
            continue;
        for (size_t i = 0; i < families[f].n && i < max; i++)
            members[i] = families[f].list ? families[f].list[i] : families[f].first + i;
        if (parent)
            *parent = families[f].parent;
        return families[f].n;
    }
    return 0;
}

obs_day obs_cube_first_day(const obs_cube *cube)
{
    return cube->first_day;
}

obs_day obs_cube_clamped_day(const obs_cube *cube)
{
    return cube->clamped ? cube->floor : OBS_DAY_NONE;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* solicitudes.organizaciones of each entidad at the snapshot's corte. */
static void count_orgs(const obs_cube *cube, obs_snapshot *snap)
{
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, cube->orgs);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const org_entry *o = v;
        for (int e = 1; e <= OBS_ENTIDADES; e++)
            if (o->first[e] != OBS_DAY_NONE && o->first[e] <= snap->corte)
                snap->values[(size_t)e * snap->nmetrics + OBS_M_ORGANIZACIONES]++;
    }
}

static void count_orgs_national(const obs_cube *cube, obs_snapshot *snap)
{
    int64_t n = 0;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, cube->orgs);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const org_entry *o = v;
        n += o->first[0] != OBS_DAY_NONE && o->first[0] <= snap->corte;
    }
    snap->values[OBS_M_ORGANIZACIONES] = n;
}

obs_snapshot *obs_cube_snapshot(const obs_cube *cube, obs_day corte, const obs_outreach_rule *rule)
{
    obs_snapshot *snap = g_new0(obs_snapshot, 1);
    size_t nm = cube->nslots;
    snap->corte = corte;
    snap->nmetrics = nm;
    snap->rule = *rule;
    snap->values = g_new0(int64_t, (OBS_ENTIDADES + 1) * nm);
    GHashTableIter it;
    gpointer key, block;
    g_hash_table_iter_init(&it, cube->days);
    while (g_hash_table_iter_next(&it, &key, &block)) {
        if (GPOINTER_TO_INT(key) > corte)
            continue;
        const int64_t *b = block;
        for (size_t i = 0; i < cube->stride; i++)
            snap->overflow |= !add_checked(&snap->values[nm + i], b[i]);
    }
    double opl[OBS_ENTIDADES];
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        int64_t *v = snap->values + (size_t)e * nm;
        v[OBS_M_CURSO_SIN] = v[OBS_M_TOTAL] - v[OBS_M_CURSO_CON];
        v[OBS_M_PENDIENTES] = v[OBS_M_TOTAL] - v[OBS_M_APROBADAS] - v[OBS_M_IMPROCEDENTES] -
                              v[OBS_M_DECLINADAS];
        v[OBS_M_DIF_INE] = v[OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_JLE] +
                           v[OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_JDE];
        opl[e - 1] = (double)v[OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL];
    }
    double sorted[OBS_ENTIDADES];
    memcpy(sorted, opl, sizeof sorted);
    qsort(sorted, OBS_ENTIDADES, sizeof(double), cmp_double);
    snap->mediana = (sorted[OBS_ENTIDADES / 2 - 1] + sorted[OBS_ENTIDADES / 2]) / 2.0;
    snap->umbral = fmax((double)rule->umbral_minimo, rule->fraccion_mediana * snap->mediana);
    /* Before any OPL has registered an action the rule compares nothing: every OPL would be "low"
     * against a median of 0, so none is flagged until the first action is registered. */
    snap->sin_acciones = sorted[OBS_ENTIDADES - 1] == 0;
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        bool bajo = !snap->sin_acciones && opl[e - 1] < snap->umbral;
        snap->values[(size_t)e * nm + OBS_M_DIF_BAJO] = bajo;
        snap->nbajo += bajo;
    }
    count_orgs(cube, snap);
    for (int e = 1; e <= OBS_ENTIDADES; e++)
        for (size_t m = 0; m < nm; m++)
            snap->overflow |= !add_checked(&snap->values[m], snap->values[(size_t)e * nm + m]);
    /* A distinct count: the national value is its own, not the sum of the entidades'. */
    count_orgs_national(cube, snap);
    snap->overflow |= cube->overflow;
    return snap;
}

void obs_snapshot_free(obs_snapshot *snap)
{
    if (!snap)
        return;
    g_free(snap->values);
    g_free(snap);
}

int64_t obs_snapshot_get(const obs_snapshot *snap, int entidad, size_t metric)
{
    if (entidad < 0 || entidad > OBS_ENTIDADES || metric >= snap->nmetrics)
        return 0;
    return snap->values[(size_t)entidad * snap->nmetrics + metric];
}

bool obs_snapshot_bajo(const obs_snapshot *snap, int entidad)
{
    return entidad >= 1 && obs_snapshot_get(snap, entidad, OBS_M_DIF_BAJO) != 0;
}

static int cmp_day(const void *a, const void *b)
{
    obs_day x = *(const obs_day *)a, y = *(const obs_day *)b;
    return (x > y) - (x < y);
}

void obs_cube_cumulative(const obs_cube *cube, size_t metric, int entidad,
                         const obs_day *cuts, size_t n, int64_t *out)
{
    guint ndays = g_hash_table_size(cube->days);
    obs_day *days = g_new(obs_day, ndays ? ndays : 1);
    GHashTableIter it;
    gpointer key;
    guint k = 0;
    g_hash_table_iter_init(&it, cube->days);
    while (g_hash_table_iter_next(&it, &key, NULL))
        days[k++] = GPOINTER_TO_INT(key);
    qsort(days, ndays, sizeof(obs_day), cmp_day);
    int64_t acc = 0;
    guint d = 0;
    for (size_t i = 0; i < n; i++) {
        while (d < ndays && days[d] <= cuts[i]) {
            const int64_t *b = g_hash_table_lookup(cube->days, GINT_TO_POINTER(days[d]));
            if (entidad == 0) {
                for (int e = 0; e < OBS_ENTIDADES; e++)
                    acc += b[(size_t)e * cube->nslots + metric];
            } else {
                acc += b[(size_t)(entidad - 1) * cube->nslots + metric];
            }
            d++;
        }
        out[i] = acc;
    }
    g_free(days);
}

static int cmp_causa(const void *a, const void *b)
{
    const obs_causa *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->causa, y->causa);
}

size_t obs_cube_top_causas(const obs_cube *cube, obs_causa *out, size_t max)
{
    guint n = g_hash_table_size(cube->causas);
    obs_causa *all = g_new(obs_causa, n ? n : 1);
    GHashTableIter it;
    gpointer v;
    guint k = 0;
    g_hash_table_iter_init(&it, cube->causas);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const causa_entry *c = v;
        all[k].causa = c->display;
        all[k].count = c->count;
        k++;
    }
    qsort(all, k, sizeof(obs_causa), cmp_causa);
    size_t w = MIN((size_t)k, max);
    memcpy(out, all, w * sizeof(obs_causa));
    g_free(all);
    return w;
}

static int cmp_snap(const void *a, const void *b)
{
    const obs_snapshot *x = *(const obs_snapshot *const *)a, *y = *(const obs_snapshot *const *)b;
    return (x->corte > y->corte) - (x->corte < y->corte);
}

void obs_metricas_foreach(const obs_cube *cube, const obs_snapshot *const *snaps, size_t n,
                          int only, obs_metrica_fn fn, void *user)
{
    const obs_snapshot **order = g_new(const obs_snapshot *, n ? n : 1);
    memcpy(order, snaps, n * sizeof *order);
    qsort(order, n, sizeof *order, cmp_snap);
    for (size_t s = 0; s < n; s++) {
        char iso[16];
        obs_day_iso(order[s]->corte, iso, sizeof iso);
        if (s > 0 && order[s]->corte == order[s - 1]->corte)
            continue;
        for (int e = 0; e <= OBS_ENTIDADES; e++) {
            if (only >= 0 && e != 0 && e != only)
                continue;
            for (size_t i = 0; i < cube->nmetrics; i++) {
                size_t m = cube->sorted[i];
                fn(iso, e, cube->names[m], obs_snapshot_get(order[s], e, m), user);
            }
        }
    }
    g_free(order);
}

static void append_csv_row(const char *corte, int entidad, const char *metrica, int64_t valor,
                           void *user)
{
    /* The metric's name is text (a catalogue code is part of it): through the guarded writer. */
    g_string_append_printf(user, "%s,%02d,", corte, entidad);
    obs_csv_append_field(user, metrica);
    g_string_append_printf(user, ",%" G_GINT64_FORMAT "\n", valor);
}

void obs_metricas_csv(const obs_cube *cube, const obs_snapshot *const *snaps, size_t n,
                      GString *out)
{
    g_string_append(out, "corte,entidad,metrica,valor\n");
    obs_metricas_foreach(cube, snaps, n, -1, append_csv_row, out);
}
