/* salida.c - the output folder of a run: {corte}, delivered sets never destroyed, inputs that are outputs. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "observa/manifest.h"

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

char *cli_default_salida(obs_day corte)
{
    char iso[16];
    obs_day_iso(corte, iso, sizeof iso);
    return g_build_filename("salida", iso, NULL);
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
static int check_name(cli *c, const char *dir)
{
    obs_day other = c->cfg.corte ? obs_output_dir_other_day(dir, c->cfg.corte) : OBS_DAY_NONE;
    if (other == OBS_DAY_NONE)
        return -1;
    char *named = iso(other), *corte = iso(c->cfg.corte), *right = folder_for_corte(dir, other, c->cfg.corte);
    cli_say("%s: la carpeta de salida lleva la fecha %s, pero el corte de esta ejecución es %s: sus documentos "
            "quedarían en la carpeta de otro corte. Indique la carpeta de este corte (-o %s) o, en la "
            "configuración, escriba «directorio = salida/{corte}» en [salida] para que la carpeta siga al corte.",
            dir, named, corte, right);
    g_free(right);
    g_free(named);
    g_free(corte);
    return EX_CANTCREAT;
}

static int check_inputs(cli *c, const char *dir)
{
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        if (c->inputs.files[k] &&
            obs_output_check_inputs(dir, (const char *const *)c->inputs.files[k], output_names, &c->err) != OBS_OK)
            return cli_fail(c);
    return -1;
}

/* A folder holding a delivered set: validar never writes there; another corte's is refused but with --reemplazar. */
static int check_delivered(cli *c, const char *dir)
{
    obs_manifest_prev *prev = NULL;
    if (obs_manifest_read(dir, &prev, &c->err) != OBS_OK) {
        if (c->documentos && c->opt.reemplazar)
            return -1;
        char buf[OBS_ERROR_MSG_MAX + OBS_ERROR_PATH_MAX + 16];
        obs_error_format(&c->err, buf, sizeof buf);
        cli_say("%s; la carpeta %s parece tener un conjunto entregado y no se toca. %s", buf, dir,
                c->documentos ? "Use otra carpeta, o --reemplazar para sustituirlo."
                              : "Indique otra carpeta con -o.");
        return EX_CANTCREAT;
    }
    if (!prev)
        return -1;
    char *had = prev->corte ? iso(prev->corte) : g_strdup("desconocida");
    int rc = -1;
    if (!c->documentos) {
        cli_say("%s tiene un conjunto entregado (manifest.json, corte al %s): validar no escribe ahí, para no "
                "cambiar su rechazos.csv. Omita -o (se escribe en salida/validacion/) o indique otra carpeta.",
                dir, had);
        rc = EX_CANTCREAT;
    } else if (prev->corte != c->cfg.corte && prev->estado == 0 && !c->opt.reemplazar &&
               !(strcmp(c->command, "demo") == 0 && g_strcmp0(prev->command, "demo") == 0)) {
        /* (a demonstration replaces the previous demonstration: sample-data's corte may change) */
        char *corte = iso(c->cfg.corte), *right = folder_for_corte(dir, OBS_DAY_NONE, c->cfg.corte);
        cli_say("%s tiene el conjunto entregado con corte al %s (manifest.json); esta ejecución es con corte al %s "
                "y no lo sustituye. Indique la carpeta de este corte (-o %s, o «directorio = salida/{corte}» en "
                "[salida] de la configuración) o, si de verdad quiere reemplazar ese conjunto, agregue "
                "--reemplazar.",
                dir, had, corte, right);
        g_free(right);
        g_free(corte);
        rc = EX_CANTCREAT;
    }
    g_free(had);
    if (rc < 0)
        c->previous = prev;
    else
        obs_manifest_prev_free(prev);
    return rc;
}

int cli_open_output(cli *c, const char *default_dir)
{
    char *dir = c->cfg.salida ? obs_output_dir_for(c->cfg.salida, c->cfg.corte) : g_strdup(default_dir);
    int rc = check_name(c, dir);
    if (rc < 0)
        rc = check_inputs(c, dir);
    if (rc < 0 && (obs_output_open(dir, &c->out, &c->err) != OBS_OK || obs_output_lock(c->out, &c->err) != OBS_OK))
        rc = cli_fail(c);
    /* Under the lock: a run that started meanwhile has published its manifest or not at all. */
    if (rc < 0)
        rc = check_delivered(c, dir);
    g_free(dir);
    if (rc >= 0)
        return rc;
    obs_output_clean_stale(c->out);
    if (obs_ledger_begin(c->out, &c->ledger, &c->err) != OBS_OK)
        return cli_fail(c);
    return -1;
}

/* True when this run writes files of kind (so a previous file of that kind it did not rewrite is stale). */
static bool writes_kind(const cli *c, const char *kind)
{
    if (strcmp(kind, "rechazos") == 0 || strcmp(kind, "manifiesto") == 0)
        return true;
    for (size_t i = 0; i < G_N_ELEMENTS(doc_kinds); i++)
        for (size_t k = 0; doc_kinds[i].kinds[k]; k++)
            if (strcmp(doc_kinds[i].kinds[k], kind) == 0) {
                unsigned fmt = g_str_has_suffix(kind, "-pdf")    ? OBS_FMT_PDF
                               : g_str_has_suffix(kind, "-xlsx") ? OBS_FMT_XLSX
                                                                 : OBS_FMT_CSV;
                return (c->documentos & doc_kinds[i].doc) && (c->cfg.formatos & fmt);
            }
    return false;
}

/* True when this run writes that previous output again (opl --entidad 15 rewrites one summary). */
static bool rewrites(const cli *c, const obs_output_entry *e)
{
    if (!writes_kind(c, e->kind))
        return false;
    return !(c->entidad && g_str_has_prefix(e->kind, "opl-") && e->entidad != c->entidad);
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

int cli_check_partial(cli *c, const obs_run *run)
{
    obs_manifest_prev *prev = c->previous;
    if (!prev || prev->estado != 0 || prev->corte != c->cfg.corte || c->opt.reemplazar)
        return -1;
    const obs_output_entry *left = NULL;
    for (size_t i = 0; i < prev->nsalidas && !left; i++)
        if (!rewrites(c, &prev->salidas[i]))
            left = &prev->salidas[i];
    if (!left)
        return -1; /* the whole set is written again */
    if (!same_inputs(run, prev->entradas_sha256)) {
        cli_say("%s tiene el conjunto entregado de este corte hecho con otras exportaciones (manifest.json); "
                "esta ejecución sólo rehace una parte y dejaría, por ejemplo, %s de la versión anterior junto "
                "a documentos nuevos. Rehaga el conjunto completo (observa %s), use otra carpeta, o agregue "
                "--reemplazar para retirar el conjunto anterior.",
                obs_output_dir(c->out), left->relpath, prev->command ? prev->command : "lote");
        return EX_CANTCREAT;
    }
    /* Same exports: the documents it does not rewrite stay, and the manifest keeps listing them. */
    for (size_t i = 0; i < prev->nsalidas; i++)
        if (!rewrites(c, &prev->salidas[i]) && obs_output_adopt(c->out, &prev->salidas[i], &c->err) != OBS_OK)
            return cli_fail(c);
    return -1;
}

int cli_retire_previous(cli *c)
{
    obs_manifest_prev *prev = c->previous;
    if (!prev)
        return -1;
    /* A set replaced with --reemplazar goes entirely: a folder never mixes two versions. */
    bool all = prev->corte != c->cfg.corte || c->opt.reemplazar;
    for (size_t i = 0; i < prev->nsalidas; i++) {
        if (!all && !rewrites(c, &prev->salidas[i]))
            continue;
        if (obs_output_remove_previous(c->out, prev->salidas[i].relpath, &c->err) != OBS_OK)
            return cli_fail(c);
    }
    return -1;
}

bool cli_folder_delivered(const cli *c)
{
    return c->previous && c->previous->estado == 0;
}
