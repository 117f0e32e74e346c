/* output.c - atomic output files, the rejects ledger and the list of committed outputs. */
#include "output/output_int.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_NAME ".observa.lock"

typedef struct staged {
    char *tmp_path;
    char *final_path;
} staged;

struct obs_output {
    char *dir;
    GArray *entries; /* obs_output_entry */
    GArray *staged;  /* staged: written, synced, waiting for obs_output_publish() */
    GMutex mutex;    /* guards entries and made: documents may be rendered on several threads */
    int lock_fd;
    GPtrArray *made; /* directories this run created, outermost first: the output folder and its parents
                        (made_root of them), then subfolders such as opl/ */
    guint made_root;
};

struct obs_ledger {
    obs_outfile file;
    GString *line;
    bool write_failed;
};

/* Appends to made the directories of path (up to, not including, the first that exists) that
 * g_mkdir_with_parents() is about to create, outermost first. */
static void note_missing_dirs(GPtrArray *made, const char *path)
{
    guint at = made->len;
    char *d = g_strdup(path);
    while (!g_file_test(d, G_FILE_TEST_EXISTS)) {
        g_ptr_array_insert(made, (gint)at, g_strdup(d));
        char *up = g_path_get_dirname(d);
        bool top = strcmp(up, d) == 0;
        g_free(d);
        d = up;
        if (top)
            break;
    }
    g_free(d);
}

obs_status obs_output_open(const char *dir, obs_output **out, obs_error *err)
{
    *out = NULL;
    GPtrArray *made = g_ptr_array_new_with_free_func(g_free);
    note_missing_dirs(made, dir);
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        g_ptr_array_unref(made);
        return obs_error_set(err, OBS_ERR_CANTCREAT, dir, 0, 0,
                             "no se puede crear el directorio de salida: %s; elija otro con -o",
                             obs_strerror(errno));
    }
    if (access(dir, W_OK | X_OK) != 0) {
        g_ptr_array_unref(made);
        return obs_error_set(err, OBS_ERR_CANTCREAT, dir, 0, 0,
                             "no se puede escribir en el directorio de salida: %s; elija otro con -o",
                             obs_strerror(errno));
    }
    obs_output *o = g_new0(obs_output, 1);
    o->dir = g_strdup(dir);
    o->entries = g_array_new(FALSE, TRUE, sizeof(obs_output_entry));
    o->staged = g_array_new(FALSE, TRUE, sizeof(staged));
    g_mutex_init(&o->mutex);
    o->lock_fd = -1;
    o->made = made;
    o->made_root = made->len;
    *out = o;
    return OBS_OK;
}

obs_status obs_output_lock(obs_output *out, obs_error *err)
{
    char *path = g_build_filename(out->dir, LOCK_NAME, NULL);
    int fd = g_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        obs_status st = obs_error_set(err, OBS_ERR_CANTCREAT, path, 0, 0,
                                      "no se puede crear el candado del directorio de salida: %s",
                                      obs_strerror(errno));
        g_free(path);
        return st;
    }
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_SETLK, &fl) != 0) {
        int saved = errno;
        struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        bool known = fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK;
        close(fd);
        obs_status st;
        if (saved == EACCES || saved == EAGAIN)
            st = known ? obs_error_set(err, OBS_ERR_LOCKED, out->dir, 0, 0,
                                       "otra ejecución de observa (proceso %ld) está escribiendo en este "
                                       "directorio; espere a que termine o use otro con -o",
                                       (long)who.l_pid)
                       : obs_error_set(err, OBS_ERR_LOCKED, out->dir, 0, 0,
                                       "otra ejecución de observa está escribiendo en este directorio; "
                                       "espere a que termine o use otro con -o");
        else
            st = obs_error_set(err, OBS_ERR_IO, path, 0, 0, "no se puede tomar el candado: %s",
                               obs_strerror(saved));
        g_free(path);
        return st;
    }
    g_free(path);
    out->lock_fd = fd;
    return OBS_OK;
}

/* True for names like ".informe.pdf.Ab12Cd": our temporary files (see obs_outfile_begin). */
static bool is_stale_temp(const char *name)
{
    size_t n = strlen(name);
    if (n < 9 || name[0] != '.' || name[n - 7] != '.' || strcmp(name, LOCK_NAME) == 0)
        return false;
    for (size_t i = n - 6; i < n; i++)
        if (!g_ascii_isalnum(name[i]))
            return false;
    return true;
}

static void clean_dir(const char *dir, int depth)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        if (depth > 0 && name[0] != '.' && g_file_test(p, G_FILE_TEST_IS_DIR))
            clean_dir(p, depth - 1);
        else if (is_stale_temp(name) && g_file_test(p, G_FILE_TEST_IS_REGULAR))
            g_unlink(p);
        g_free(p);
    }
    g_dir_close(d);
}

void obs_output_clean_stale(obs_output *out)
{
    /* The output directory and its document subdirectories (opl/, oficio_opl/). */
    clean_dir(out->dir, 1);
}

/* True when dir holds nothing but the lock file. */
static bool only_the_lock(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return false;
    const char *name;
    bool other = false;
    while (!other && (name = g_dir_read_name(d)))
        other = strcmp(name, LOCK_NAME) != 0;
    g_dir_close(d);
    return !other;
}

/*
 * What a run that published nothing must not leave behind: the subfolders it created and left
 * empty (opl/ of a run that failed while rendering) and, when it created the output folder itself
 * and nothing but its lock is there, the lock file and the folder (with the parents it created).
 * A run that published keeps all of them: they hold its files. Only a run holding the lock
 * removes it; rmdir() never removes a folder that holds anything.
 */
static void remove_made_dirs(obs_output *out)
{
    for (guint i = out->made->len; i > out->made_root; i--)
        g_rmdir(g_ptr_array_index(out->made, i - 1));
    if (out->made_root == 0 || out->lock_fd < 0 || !only_the_lock(out->dir))
        return;
    char *lock = g_build_filename(out->dir, LOCK_NAME, NULL);
    g_unlink(lock);
    g_free(lock);
    for (guint i = out->made_root; i > 0; i--)
        if (g_rmdir(g_ptr_array_index(out->made, i - 1)) != 0)
            break;
}

void obs_output_free(obs_output *out)
{
    if (!out)
        return;
    for (guint i = 0; i < out->entries->len; i++) {
        obs_output_entry *e = &g_array_index(out->entries, obs_output_entry, i);
        g_free(e->relpath);
        g_free(e->kind);
    }
    g_array_free(out->entries, TRUE);
    /* A run that did not publish leaves the previous run's files as they were. */
    for (guint i = 0; i < out->staged->len; i++) {
        staged *st = &g_array_index(out->staged, staged, i);
        g_unlink(st->tmp_path);
        g_free(st->tmp_path);
        g_free(st->final_path);
    }
    g_array_free(out->staged, TRUE);
    remove_made_dirs(out);
    g_ptr_array_unref(out->made);
    g_mutex_clear(&out->mutex);
    if (out->lock_fd >= 0)
        close(out->lock_fd);
    g_free(out->dir);
    g_free(out);
}

const char *obs_output_dir(const obs_output *out)
{
    return out->dir;
}

size_t obs_output_count(const obs_output *out)
{
    return out->entries->len;
}

const obs_output_entry *obs_output_get(const obs_output *out, size_t i)
{
    return i < out->entries->len ? &g_array_index(out->entries, obs_output_entry, i) : NULL;
}

obs_status obs_outfile_begin(obs_output *out, const char *relpath, obs_outfile *of, obs_error *err)
{
    memset(of, 0, sizeof *of);
    char *final_path = g_build_filename(out->dir, relpath, NULL);
    char *parent = g_path_get_dirname(final_path);
    char *base = g_path_get_basename(final_path);
    g_mutex_lock(&out->mutex);
    note_missing_dirs(out->made, parent);
    int made = g_mkdir_with_parents(parent, 0755);
    g_mutex_unlock(&out->mutex);
    if (made != 0) {
        obs_status st = obs_error_set(err, OBS_ERR_CANTCREAT, parent, 0, 0,
                                      "no se puede crear el directorio: %s", obs_strerror(errno));
        g_free(final_path);
        g_free(parent);
        g_free(base);
        return st;
    }
    /* A hidden name in the same directory, so the final rename is atomic. */
    char *tmpl_name = g_strdup_printf(".%s.XXXXXX", base);
    char *tmp_path = g_build_filename(parent, tmpl_name, NULL);
    g_free(tmpl_name);
    g_free(parent);
    g_free(base);
    int fd = g_mkstemp_full(tmp_path, O_RDWR | O_CLOEXEC, 0644);
    if (fd < 0) {
        obs_status st = obs_error_set(err, OBS_ERR_CANTCREAT, final_path, 0, 0,
                                      "no se puede crear el archivo: %s", obs_strerror(errno));
        g_free(final_path);
        g_free(tmp_path);
        return st;
    }
    of->fp = fdopen(fd, "w");
    if (!of->fp) {
        close(fd);
        g_unlink(tmp_path);
        obs_status st = obs_error_set(err, OBS_ERR_CANTCREAT, final_path, 0, 0,
                                      "no se puede abrir el archivo: %s", obs_strerror(errno));
        g_free(final_path);
        g_free(tmp_path);
        return st;
    }
    of->relpath = g_strdup(relpath);
    of->final_path = final_path;
    of->tmp_path = tmp_path;
    return OBS_OK;
}

static void outfile_release(obs_outfile *of)
{
    g_free(of->relpath);
    g_free(of->final_path);
    g_free(of->tmp_path);
    memset(of, 0, sizeof *of);
}

void obs_outfile_abort(obs_outfile *of)
{
    if (!of || !of->tmp_path)
        return;
    if (of->fp)
        fclose(of->fp);
    g_unlink(of->tmp_path);
    outfile_release(of);
}

/* Size and SHA-256 of a file, read back from disk (what the manifest promises is what is there). */
static bool file_digest(const char *path, uint64_t *size, char sha[65])
{
    int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return false;
    EVP_MD_CTX *ck = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ck, EVP_sha256(), NULL);
    guchar buf[65536];
    ssize_t n;
    uint64_t total = 0;
    bool ok = true;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            ok = false;
            break;
        }
        EVP_DigestUpdate(ck, buf, (size_t)n);
        total += (uint64_t)n;
    }
    /* Data on disk before the rename makes it final: a crash never exposes an empty file. */
    if (ok && fsync(fd) != 0 && errno != EINVAL)
        ok = false;
    close(fd);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ck, md, &len);
    EVP_MD_CTX_free(ck);
    for (unsigned i = 0; i < len && i < 32; i++)
        g_snprintf(sha + 2 * i, 3, "%02x", md[i]);
    *size = total;
    return ok;
}

obs_status obs_outfile_commit(obs_output *out, obs_outfile *of, const char *kind,
                              int entidad, obs_error *err)
{
    if (of->fp) {
        bool bad = fflush(of->fp) != 0 || ferror(of->fp);
        int saved = errno;
        if (fclose(of->fp) != 0 && !bad) {
            bad = true;
            saved = errno;
        }
        of->fp = NULL;
        if (bad) {
            obs_status st = obs_error_set(err, OBS_ERR_IO, of->final_path, 0, 0,
                                          "error al escribir el archivo: %s", obs_strerror(saved));
            obs_outfile_abort(of);
            return st;
        }
    }
    obs_output_entry e = {0};
    if (!file_digest(of->tmp_path, &e.size, e.sha256)) {
        obs_status st = obs_error_set(err, OBS_ERR_IO, of->final_path, 0, 0,
                                      "error al guardar el archivo: %s", obs_strerror(errno));
        obs_outfile_abort(of);
        return st;
    }
    e.relpath = g_strdup(of->relpath);
    e.kind = g_strdup(kind);
    e.entidad = entidad;
    staged st = {g_strdup(of->tmp_path), g_strdup(of->final_path)};
    g_mutex_lock(&out->mutex);
    g_array_append_val(out->entries, e);
    g_array_append_val(out->staged, st);
    g_mutex_unlock(&out->mutex);
    outfile_release(of);
    return OBS_OK;
}

obs_status obs_output_publish(obs_output *out, obs_error *err)
{
    obs_status result = OBS_OK;
    for (guint i = 0; i < out->staged->len; i++) {
        staged *st = &g_array_index(out->staged, staged, i);
        if (result == OBS_OK && g_rename(st->tmp_path, st->final_path) != 0)
            result = obs_error_set(err, OBS_ERR_IO, st->final_path, 0, 0,
                                   "no se puede poner el archivo en su lugar: %s", obs_strerror(errno));
        if (result != OBS_OK)
            g_unlink(st->tmp_path);
        g_free(st->tmp_path);
        g_free(st->final_path);
    }
    g_array_set_size(out->staged, 0);
    return result;
}

obs_status obs_output_adopt(obs_output *out, const obs_output_entry *e, obs_error *err)
{
    char *path = g_build_filename(out->dir, e->relpath, NULL);
    GStatBuf st;
    bool same = g_stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == e->size;
    obs_status result = OBS_OK;
    if (!same)
        result = obs_error_set(err, OBS_ERR_CANTCREAT, path, 0, 0,
                               "el archivo del conjunto anterior ya no es el que su manifest.json describe "
                               "(falta o cambió de tamaño); regenere el conjunto completo (observa lote) o use "
                               "--reemplazar");
    else {
        obs_output_entry copy = *e;
        copy.relpath = g_strdup(e->relpath);
        copy.kind = g_strdup(e->kind);
        g_mutex_lock(&out->mutex);
        g_array_append_val(out->entries, copy);
        g_mutex_unlock(&out->mutex);
    }
    g_free(path);
    return result;
}

obs_status obs_output_write(obs_output *out, const char *relpath, const char *data,
                            size_t len, const char *kind, int entidad, obs_error *err)
{
    obs_outfile of;
    obs_status st = obs_outfile_begin(out, relpath, &of, err);
    if (st != OBS_OK)
        return st;
    if (len && fwrite(data, 1, len, of.fp) != len) {
        st = obs_error_set(err, OBS_ERR_IO, of.final_path, 0, 0,
                           "error al escribir el archivo: %s", obs_strerror(errno));
        obs_outfile_abort(&of);
        return st;
    }
    return obs_outfile_commit(out, &of, kind, entidad, err);
}


obs_day obs_output_dir_other_day(const char *dir, obs_day corte)
{
    char *base = g_path_get_basename(dir);
    obs_day other = OBS_DAY_NONE;
    bool has_corte = false;
    size_t n = strlen(base);
    for (size_t i = 0; i + 10 <= n; i++) {
        /* AAAA-MM-DD not inside a longer run of digits */
        if ((i > 0 && g_ascii_isdigit(base[i - 1])) || (i + 10 < n && g_ascii_isdigit(base[i + 10])))
            continue;
        char iso[11];
        memcpy(iso, base + i, 10);
        iso[10] = '\0';
        obs_day d = obs_day_parse_iso(iso);
        if (d == OBS_DAY_NONE)
            continue;
        if (d == corte)
            has_corte = true;
        else if (other == OBS_DAY_NONE)
            other = d;
    }
    g_free(base);
    return has_corte ? OBS_DAY_NONE : other;
}

static bool same_file(const GStatBuf *a, const GStatBuf *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* The output an input would be, or NULL: its directory is dir (or dir/SUB) and its name an output's. */
static const char *output_for(const GStatBuf *dir_st, const char *dir, const char *input,
                              const char *const *outputs)
{
    char *parent = g_path_get_dirname(input);
    char *base = g_path_get_basename(input);
    GStatBuf pst, sst;
    const char *hit = NULL;
    if (g_stat(parent, &pst) == 0) {
        for (size_t i = 0; outputs[i] && !hit; i++) {
            size_t len = strlen(outputs[i]);
            if (len && outputs[i][len - 1] == '/') {
                char *sub = g_build_filename(dir, outputs[i], NULL);
                if (g_stat(sub, &sst) == 0 && same_file(&pst, &sst))
                    hit = outputs[i];
                g_free(sub);
            } else if (same_file(&pst, dir_st) && strcmp(base, outputs[i]) == 0) {
                hit = outputs[i];
            }
        }
    }
    g_free(parent);
    g_free(base);
    return hit;
}

obs_status obs_output_check_inputs(const char *dir, const char *const *inputs, const char *const *outputs,
                                   obs_error *err)
{
    GStatBuf dst;
    if (g_stat(dir, &dst) != 0)
        return OBS_OK;
    for (size_t i = 0; inputs[i]; i++) {
        const char *hit = output_for(&dst, dir, inputs[i], outputs);
        if (hit)
            return obs_error_set(err, OBS_ERR_USAGE, inputs[i], 0, 0,
                                 "esta entrada es una salida de la ejecución (%s en %s): se sobrescribiría. "
                                 "Copie el archivo a otro lugar o elija otro directorio de salida",
                                 hit, dir);
    }
    return OBS_OK;
}

obs_status obs_output_remove_previous(obs_output *out, const char *relpath, obs_error *err)
{
    if (!*relpath || g_path_is_absolute(relpath) || strstr(relpath, ".."))
        return OBS_OK;
    for (guint i = 0; i < out->entries->len; i++)
        if (strcmp(g_array_index(out->entries, obs_output_entry, i).relpath, relpath) == 0)
            return OBS_OK;
    char *path = g_build_filename(out->dir, relpath, NULL);
    obs_status st = OBS_OK;
    if (g_unlink(path) != 0 && errno != ENOENT)
        st = obs_error_set(err, OBS_ERR_IO, path, 0, 0, "no se puede borrar el archivo del conjunto anterior: %s",
                           obs_strerror(errno));
    g_free(path);
    return st;
}


obs_status obs_ledger_begin(obs_output *out, obs_ledger **ledger, obs_error *err)
{
    *ledger = NULL;
    obs_ledger *l = g_new0(obs_ledger, 1);
    obs_status st = obs_outfile_begin(out, "rechazos.csv", &l->file, err);
    if (st != OBS_OK) {
        g_free(l);
        return st;
    }
    l->line = g_string_sized_new(256);
    fputs(OBS_CSV_BOM "archivo,linea,columna,campo,valor,nivel,motivo\n", l->file.fp);
    *ledger = l;
    return OBS_OK;
}

void obs_ledger_add(obs_ledger *l, const obs_problem *p)
{
    if (!l)
        return;
    GString *s = l->line;
    g_string_truncate(s, 0);
    /* In a workbook, archivo is "solicitudes.xlsx:Hoja1" and columna the letters ("C"). */
    char *archivo = obs_problem_archivo(p);
    char column[OBS_PROBLEM_COLUMN_MAX];
    obs_csv_append_field(s, archivo);
    g_free(archivo);
    g_string_append_printf(s, ",%" G_GUINT64_FORMAT ",%s,", p->line, obs_problem_column(p, column));
    obs_csv_append_field(s, p->field ? p->field : "");
    g_string_append_c(s, ',');
    obs_csv_append_field(s, p->value ? p->value : "");
    g_string_append(s, p->level == OBS_LEVEL_ERROR ? ",error," : ",aviso,");
    obs_csv_append_field(s, p->message ? p->message : "");
    g_string_append_c(s, '\n');
    if (fwrite(s->str, 1, s->len, l->file.fp) != s->len)
        l->write_failed = true;
}

obs_status obs_ledger_commit(obs_output *out, obs_ledger *l, obs_error *err)
{
    obs_status st;
    if (l->write_failed) {
        st = obs_error_set(err, OBS_ERR_IO, l->file.final_path, 0, 0,
                           "error al escribir el registro de rechazos: %s", obs_strerror(errno));
        obs_outfile_abort(&l->file);
    } else {
        st = obs_outfile_commit(out, &l->file, "rechazos", 0, err);
    }
    g_string_free(l->line, TRUE);
    g_free(l);
    return st;
}

void obs_ledger_abort(obs_ledger *l)
{
    if (!l)
        return;
    obs_outfile_abort(&l->file);
    g_string_free(l->line, TRUE);
    g_free(l);
}
