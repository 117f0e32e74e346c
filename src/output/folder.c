/* folder.c - the output folder of a run: {corte}, delivered sets never destroyed, inputs that are outputs. */
#include <string.h>

#include "output/manifest_int.h"
#include "output/produce_int.h"

/* What a run may write into its folder: an input with one of these names there would be overwritten. */
static const char *const output_names[] = {"informe.pdf", "informe.xlsx", "oficio.pdf",  "metricas.csv",
                                           "rechazos.csv", "manifest.json", "opl/", "oficio_opl/", NULL};

/* The kinds of output each document writes (manifest "tipo"), to retire a previous run's files. */
static const struct {
    unsigned doc;
    const char *kinds[3];
} doc_kinds[] = {
    {OBS_DOC_INFORME, {"informe-pdf", "informe-xlsx", NULL}},
    {OBS_DOC_OPL, {"opl-pdf", "opl-xlsx", NULL}},
    {OBS_DOC_OFICIO, {"oficio-pdf", NULL}},
    {OBS_DOC_OFICIO_OPL, {"oficio-opl-pdf", NULL}},
    {OBS_DOC_METRICAS, {"metricas", NULL}},
};

char *obs_output_dir_for(const char *pattern, obs_day corte)
{
    char iso[16];
    obs_day_iso(corte, iso, sizeof iso);
    char **parts = g_strsplit(pattern, "{corte}", -1);
    char *dir = g_strjoinv(iso, parts);
    g_strfreev(parts);
    return dir;
}

static char *iso(obs_day d)
{
    char buf[16];
    obs_day_iso(d, buf, sizeof buf);
    return g_strdup(buf);
}

/* The folder this corte's set belongs in, next to dir: its date replaced by the corte, or the
 * corte itself in place of a name without one ("salida/2024-01-19" → "salida/2024-02-01"). */
static char *folder_for_corte(const char *dir, obs_day named, obs_day corte)
{
    char *parent = g_path_get_dirname(dir), *base = g_path_get_basename(dir), *want = iso(corte);
    char *name;
    if (named != OBS_DAY_NONE) {
        char *had = iso(named);
        char **parts = g_strsplit(base, had, -1);
        name = g_strjoinv(want, parts);
        g_strfreev(parts);
        g_free(had);
    } else {
        name = g_strdup(want);
    }
    char *path = strcmp(parent, ".") == 0 ? g_strdup(name) : g_build_filename(parent, name, NULL);
    g_free(name);
    g_free(want);
    g_free(base);
    g_free(parent);
    return path;
}

/* Refuses a folder named after another corte (lote with directorio = salida/2024-01-19 and -c 2024-02-01). */
static obs_status check_name(const obs_produce_request *r, obs_error *err)
{
    obs_day corte = r->cfg->corte;
    obs_day other = corte ? obs_output_dir_other_day(r->dir, corte) : OBS_DAY_NONE;
    if (other == OBS_DAY_NONE)
        return OBS_OK;
    char *named = iso(other), *want = iso(corte), *right = folder_for_corte(r->dir, other, corte);
    obs_error_set(err, OBS_ERR_CANTCREAT, NULL, 0, 0,
                  "%s: la carpeta de salida lleva la fecha %s, pero el corte de esta ejecución es %s: sus "
                  "documentos quedarían en la carpeta de otro corte. Indique la carpeta de este corte (-o %s) o, "
                  "en la configuración, escriba «directorio = salida/{corte}» en [salida] para que la carpeta "
                  "siga al corte.",
                  r->dir, named, want, right);
    g_free(right);
    g_free(named);
    g_free(want);
    return OBS_ERR_CANTCREAT;
}

static obs_status check_inputs(const obs_produce_request *r, obs_error *err)
{
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        if (r->inputs->files[k] &&
            obs_output_check_inputs(r->dir, (const char *const *)r->inputs->files[k], output_names, err) != OBS_OK)
            return err->code;
    return OBS_OK;
}

/* observa demo has no --reemplazar (it replaces only an earlier demonstration): it is told to use
 * another folder, with its own option. */
static bool is_demo(const obs_produce_request *r)
{
    return strcmp(r->command, "demo") == 0;
}

/* A manifest.json that cannot be read: the folder may hold a delivered set, so it is not touched. */
static obs_status unreadable_manifest(const obs_produce_request *r, obs_error *err)
{
    char buf[OBS_ERROR_MSG_MAX + OBS_ERROR_PATH_MAX + 16];
    obs_error_format(err, buf, sizeof buf);
    return obs_error_set(err, OBS_ERR_CANTCREAT, NULL, 0, 0,
                         "%s; la carpeta %s parece tener un conjunto entregado y no se toca. %s", buf, r->dir,
                         is_demo(r)      ? "Indique otra carpeta con «observa demo -o CARPETA»."
                         : r->documentos ? "Use otra carpeta, o --reemplazar para sustituirlo."
                                         : "Indique otra carpeta con -o.");
}

/* The refusal of a folder that holds a delivered set this run may not replace, or OBS_OK. */
static obs_status refuse_delivered(const obs_produce_request *r, const obs_manifest_prev *prev, obs_error *err)
{
    char *had = prev->corte ? iso(prev->corte) : g_strdup("desconocida");
    obs_status st = OBS_OK;
    if (!r->documentos) {
        st = obs_error_set(err, OBS_ERR_CANTCREAT, NULL, 0, 0,
                           "%s tiene un conjunto entregado (manifest.json, corte al %s): validar no escribe ahí, "
                           "para no cambiar su rechazos.csv. Omita -o (se escribe en salida/validacion/) o indique "
                           "otra carpeta.",
                           r->dir, had);
    } else if (is_demo(r) && g_strcmp0(prev->command, "demo") != 0) {
        /* A demonstration replaces a previous demonstration (sample-data's corte may change), never
         * another command's set, whatever its corte (the same corte would overwrite it whole) or
         * outcome (a failed run's rechazos.csv is the user's); demo has no --reemplazar. */
        st = obs_error_set(err, OBS_ERR_CANTCREAT, NULL, 0, 0,
                           "%s tiene el conjunto %s por «observa %s» con corte al %s (manifest.json): "
                           "observa demo sólo sustituye una demostración anterior. Indique otra carpeta con "
                           "«observa demo -o CARPETA».",
                           r->dir, prev->estado == 0 ? "entregado" : "escrito",
                           prev->command ? prev->command : "lote", had);
    } else if (prev->corte != r->cfg->corte && prev->estado == 0 && !r->reemplazar && !is_demo(r)) {
        char *corte = iso(r->cfg->corte), *right = folder_for_corte(r->dir, OBS_DAY_NONE, r->cfg->corte);
        st = obs_error_set(err, OBS_ERR_CANTCREAT, NULL, 0, 0,
                           "%s tiene el conjunto entregado con corte al %s (manifest.json); esta ejecución es con "
                           "corte al %s y no lo sustituye. Indique la carpeta de este corte (-o %s, o «directorio "
                           "= salida/{corte}» en [salida] de la configuración) o, si de verdad quiere reemplazar "
                           "ese conjunto, agregue --reemplazar.",
                           r->dir, had, corte, right);
        g_free(right);
        g_free(corte);
    }
    g_free(had);
    return st;
}

/* A folder holding a delivered set: validar never writes there; another corte's is refused but with reemplazar. */
static obs_status check_delivered(obs_produce *p, obs_error *err)
{
    const obs_produce_request *r = p->req;
    obs_manifest_prev *prev = NULL;
    if (obs_manifest_read(r->dir, &prev, err) != OBS_OK) {
        if (r->documentos && r->reemplazar) {
            obs_error_clear(err);
            return OBS_OK;
        }
        return unreadable_manifest(r, err);
    }
    if (!prev)
        return OBS_OK;
    obs_status st = refuse_delivered(r, prev, err);
    if (st == OBS_OK)
        p->previous = prev;
    else
        obs_manifest_prev_free(prev);
    return st;
}

obs_status produce_open_folder(obs_produce *p, obs_error *err)
{
    const obs_produce_request *r = p->req;
    obs_status st = check_name(r, err);
    if (st == OBS_OK)
        st = check_inputs(r, err);
    if (st == OBS_OK)
        st = obs_output_open(r->dir, &p->out, err);
    if (st == OBS_OK)
        st = obs_output_lock(p->out, err);
    /* Under the lock: a run that started meanwhile has published its manifest or not at all. */
    if (st == OBS_OK)
        st = check_delivered(p, err);
    if (st != OBS_OK)
        return st;
    obs_output_clean_stale(p->out);
    return obs_ledger_begin(p->out, &p->ledger, err);
}

/* True when this run writes files of kind (so a previous file of that kind it did not rewrite is stale). */
static bool writes_kind(const obs_produce_request *r, const char *kind)
{
    if (strcmp(kind, "rechazos") == 0 || strcmp(kind, "manifiesto") == 0)
        return true;
    for (size_t i = 0; i < G_N_ELEMENTS(doc_kinds); i++)
        for (size_t k = 0; doc_kinds[i].kinds[k]; k++)
            if (strcmp(doc_kinds[i].kinds[k], kind) == 0) {
                unsigned fmt = g_str_has_suffix(kind, "-pdf")    ? OBS_FMT_PDF
                               : g_str_has_suffix(kind, "-xlsx") ? OBS_FMT_XLSX
                                                                 : OBS_FMT_CSV;
                return (r->documentos & doc_kinds[i].doc) && (r->cfg->formatos & fmt);
            }
    return false;
}

/* True when this run writes that previous output again (opl --entidad 15 rewrites one summary). */
static bool rewrites(const obs_produce_request *r, const obs_output_entry *e)
{
    if (!writes_kind(r, e->kind))
        return false;
    return !(r->entidad && g_str_has_prefix(e->kind, "opl-") && e->entidad != r->entidad);
}

/* The SHA-256 of every input of the run, in the order the manifest lists them. */
static bool same_inputs(const obs_run *run, char *const *previous)
{
    size_t i = 0;
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        for (size_t f = 0; f < run->exports[k].nfiles; f++, i++)
            if (!previous[i] || strcmp(previous[i], run->exports[k].files[f].sha256) != 0)
                return false;
    return previous[i] == NULL;
}

obs_status produce_check_partial(obs_produce *p, obs_error *err)
{
    const obs_produce_request *r = p->req;
    obs_manifest_prev *prev = p->previous;
    if (!prev || prev->estado != 0 || prev->corte != r->cfg->corte || r->reemplazar)
        return OBS_OK;
    const obs_output_entry *left = NULL;
    for (size_t i = 0; i < prev->nsalidas && !left; i++)
        if (!rewrites(r, &prev->salidas[i]))
            left = &prev->salidas[i];
    if (!left)
        return OBS_OK; /* the whole set is written again */
    if (!same_inputs(p->run, prev->entradas_sha256))
        return obs_error_set(err, OBS_ERR_CANTCREAT, NULL, 0, 0,
                             "%s tiene el conjunto entregado de este corte hecho con otras exportaciones "
                             "(manifest.json); esta ejecución sólo rehace una parte y dejaría, por ejemplo, %s de "
                             "la versión anterior junto a documentos nuevos. Rehaga el conjunto completo (observa "
                             "%s) o %s.",
                             obs_output_dir(p->out), left->relpath, prev->command ? prev->command : "lote",
                             is_demo(r) ? "indique otra carpeta con «observa demo -o CARPETA»"
                                        : "use otra carpeta, o agregue --reemplazar para retirar el conjunto anterior");
    /* Same exports: the documents it does not rewrite stay, and the manifest keeps listing them. */
    for (size_t i = 0; i < prev->nsalidas; i++)
        if (!rewrites(r, &prev->salidas[i]) && obs_output_adopt(p->out, &prev->salidas[i], err) != OBS_OK)
            return err->code;
    return OBS_OK;
}

obs_status produce_retire_previous(obs_produce *p, obs_error *err)
{
    const obs_produce_request *r = p->req;
    obs_manifest_prev *prev = p->previous;
    if (!prev)
        return OBS_OK;
    /* A set replaced with reemplazar goes entirely: a folder never mixes two versions. */
    bool all = prev->corte != r->cfg->corte || r->reemplazar;
    for (size_t i = 0; i < prev->nsalidas; i++) {
        if (!all && !rewrites(r, &prev->salidas[i]))
            continue;
        if (obs_output_remove_previous(p->out, prev->salidas[i].relpath, err) != OBS_OK)
            return err->code;
    }
    return OBS_OK;
}

obs_status produce_check_published(obs_produce *p, obs_error *err)
{
    const obs_produce_request *r = p->req;
    if (!r->history || !r->documentos || p->published_checked)
        return OBS_OK;
    p->published_checked = true;
    int64_t id;
    obs_day corte;
    obs_status st = obs_history_published_set(r->history, obs_output_dir(p->out), &id, &corte, err);
    if (st != OBS_OK || !id)
        return st;
    if (r->reemplazar) {
        p->replaced_publication = id;
        p->replaced_corte = corte;
        return OBS_OK;
    }
    char *had = iso(corte);
    st = obs_error_set(err, OBS_ERR_CANTCREAT, NULL, 0, 0,
                       "%s tiene el conjunto de la corrida %" G_GINT64_FORMAT " del historial, una publicación: es lo "
                       "que se presentó a la Comisión con corte al %s, y esta ejecución lo sustituiría. %s",
                       obs_output_dir(p->out), id, had,
                       is_demo(r) ? "Indique otra carpeta con «observa demo -o CARPETA»."
                                  : "Indique otra carpeta con -o o, si de verdad quiere sustituir esos documentos, "
                                    "agregue --reemplazar: la publicación sigue registrada en el historial, y para "
                                    "presentar la corrida nueva en su lugar, publíquela con «observa historial "
                                    "publicar N --reemplazar» (N, el número que esta ejecución dice al terminar).");
    g_free(had);
    return st;
}

void produce_tell_replaced(obs_produce *p)
{
    if (!p->replaced_publication || !p->history_id)
        return;
    char *had = iso(p->replaced_corte);
    produce_notice(p,
                   "aviso: en %s se sustituyó el conjunto de la corrida %" G_GINT64_FORMAT ", una publicación (lo que se "
                   "presentó a la Comisión con corte al %s); su publicación sigue registrada en el historial. Para "
                   "presentar esta corrida en su lugar: «observa historial publicar %" G_GINT64_FORMAT " --reemplazar».",
                   obs_output_dir(p->out), p->replaced_publication, had, p->history_id);
    g_free(had);
}
