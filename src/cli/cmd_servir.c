/* cmd_servir.c - `observa servir`: the web service for DEOE, UTVOPL and each OPL (browser and JSON API). */
#include <stdio.h>

#include "cli.h"
#include "observa/server.h"

static const char help[] =
    "Uso: observa servir --datos DIR [--escuchar DIRECCION] [--puerto N] [--config ARCHIVO] [opciones]\n"
    "\n"
    "Sirve observa en el navegador: subir las exportaciones, elegir el corte, generar, revisar los\n"
    "totales de control y los problemas, descargar los documentos (uno por uno o en un ZIP) y\n"
    "publicar en el historial; cada OPL, con su propio token, descarga sólo los documentos de su\n"
    "entidad de los cortes publicados. La misma funcionalidad tiene una API JSON (README).\n"
    "\n"
    "Al arrancar imprime un enlace de un solo uso, …/entrar?codigo=…, que abre la sesión del\n"
    "administrador (vale una vez y 15 minutos; no lleva el token). Después, la página …/entrar\n"
    "acepta el token de DATOS/token (o de --token-archivo), y los scripts lo envían como\n"
    "Authorization: Bearer; reiniciar el servicio imprime otro enlace. Los tokens de cada OPL se\n"
    "crean con «observa acceso crear».\n"
    "\n"
    "Opciones:\n"
    "      --datos DIR               carpeta de las corridas, las subidas y el historial (obligatoria)\n"
    "      --escuchar DIRECCION      dirección IP donde escuchar (predeterminado: 127.0.0.1)\n"
    "      --puerto N                puerto TCP (predeterminado: 8080)\n"
    "      --config ARCHIVO          configuración como la de lote: [informe], [difusion], [oficio]\n"
    "                                y [servir] (nombre, retencion_dias, trabajos)\n"
    "      --token-archivo ARCHIVO   token del administrador (predeterminado: DATOS/token; si no\n"
    "                                existe se crea con 256 bits aleatorios y permisos 0600)\n"
    "      --certificado ARCHIVO     certificado TLS (PEM)\n"
    "      --clave ARCHIVO           clave privada TLS (PEM)\n"
    "      --sin-tls                 permite escuchar fuera de 127.0.0.1 sin TLS (por ejemplo,\n"
    "                                detrás de un proxy con TLS)\n"
    "      --max-subida MIB          tamaño máximo de un envío, en MiB (predeterminado: 200)\n"
    "  -t, --plantillas DIR          directorio de plantillas y catálogos\n"
    "  -h, --help                    muestra esta ayuda\n"
    "\n"
    "Se detiene con SIGTERM o Ctrl+C: termina las corridas en curso (cada una publica su conjunto\n"
    "completo o nada) y descarta las que esperaban.\n"
    "\n"
    "Estado de salida: 0 al detenerse; 64 uso incorrecto; 66 no se puede leer la configuración;\n"
    "73 no se puede crear DATOS; 74 no se puede escuchar en el puerto; 78 error de configuración,\n"
    "de plantilla, del historial o del certificado y su clave.\n";

static void ready(void *user, const char *url)
{
    (void)user;
    fprintf(stderr, "observa servir: escuchando. Abra este enlace en el navegador para iniciar la sesión del "
                    "administrador (vale una sola vez, durante 15 minutos; no lo comparta):\n  %s\n",
            url);
}

int cmd_servir(int argc, char **argv)
{
    cli c = {.command = "servir", .accepts = CLI_OPT_CONFIG | CLI_OPT_PLANTILLAS | CLI_OPT_HELP};
    char *datos = NULL, *escuchar = NULL, *puerto = NULL, *token = NULL, *cert = NULL, *key = NULL, *subida = NULL;
    gboolean sin_tls = FALSE;
    const GOptionEntry extra[] = {
        {"datos", 0, 0, G_OPTION_ARG_FILENAME, &datos, NULL, NULL},
        {"escuchar", 0, 0, G_OPTION_ARG_STRING, &escuchar, NULL, NULL},
        {"puerto", 0, 0, G_OPTION_ARG_STRING, &puerto, NULL, NULL},
        {"token-archivo", 0, 0, G_OPTION_ARG_FILENAME, &token, NULL, NULL},
        {"certificado", 0, 0, G_OPTION_ARG_FILENAME, &cert, NULL, NULL},
        {"clave", 0, 0, G_OPTION_ARG_FILENAME, &key, NULL, NULL},
        {"sin-tls", 0, 0, G_OPTION_ARG_NONE, &sin_tls, NULL, NULL},
        {"max-subida", 0, 0, G_OPTION_ARG_STRING, &subida, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    int rc = cli_parse(&c, argc, argv, extra, help);
    int64_t port = 8080, mb = 200;
    if (rc < 0 && puerto && !obs_config_parse_entero(puerto, 1, 65535, &port))
        rc = cli_usage_error(&c, "--puerto «%s» no es válido: use un número de 1 a 65535", puerto);
    if (rc < 0 && subida && !obs_config_parse_entero(subida, 1, 100000, &mb))
        rc = cli_usage_error(&c, "--max-subida «%s» no es válido: use megabytes, de 1 a 100000", subida);
    if (rc < 0 && !datos)
        rc = cli_usage_error(&c, "falta --datos DIR (la carpeta de las corridas y del historial)");
    if (rc < 0) {
        char *plantillas = cli_templates_dir(&c);
        obs_server_options o = {
            .escuchar = escuchar,
            .puerto = (unsigned)port,
            .datos = datos,
            .config = c.opt.config,
            .plantillas = plantillas,
            .token_archivo = token,
            .certificado = cert,
            .clave = key,
            .sin_tls = sin_tls,
            .max_subida = (uint64_t)mb * 1024 * 1024,
            .ready = ready,
        };
        rc = obs_server_run(&o, &c.err) == OBS_OK ? 0 : cli_fail(&c);
        g_free(plantillas);
    }
    g_free(datos);
    g_free(escuchar);
    g_free(puerto);
    g_free(token);
    g_free(cert);
    g_free(key);
    g_free(subida);
    cli_clear(&c);
    return rc;
}
