# Plantilla del resumen por OPL (observa opl): una por entidad, que la UTVOPL envía a cada OPL.
# Sólo puede mostrar cifras de su propia entidad y agregados nacionales: observa rechaza aquí las
# tablas por entidad, la gráfica de todas las entidades y la lista de OPL señalados.
# Variables propias: {{entidad}}, {{entidad_oficial}}, {{opl}} (etiqueta), {{opl_nombre}},
# {{opl_siglas}}; con el filtro |nacional una métrica da el total del país.

@documento
formato = resumen
titulo = Resumen de seguimiento a la acreditación de las y los observadores electorales: {{opl}}
asunto = Acciones de difusión y solicitudes de acreditación en {{entidad}}, con corte al {{corte}}
autor = Instituto Nacional Electoral
palabras_clave = observación electoral; acreditación; acciones de difusión; {{opl_siglas}}; {{entidad}}; {{proceso}}
encabezado = {{opl}} · Acreditación de las y los observadores electorales · Corte al {{corte|fecha_corta}}
portada.institucion = Instituto Nacional Electoral
portada.area = Unidad Técnica de Vinculación con los Organismos Públicos Locales
portada.titulo = Seguimiento a la acreditación de las y los observadores electorales
portada.subtitulo = {{opl_nombre}} ({{opl}}) · {{entidad_oficial}}
portada.corte = {{proceso}} · Cifras con corte al {{corte}}

@negritas A la Presidencia del Consejo General del {{opl_nombre}}

Este resumen presenta las cifras registradas en el Sistema de Observadores y Observadoras
Electorales para {{entidad}} con corte al {{corte}}, junto con los valores nacionales de
referencia.

@seccion Acciones de difusión de la convocatoria
@si bajo
@negritas El {{opl}} registra {{difusion.instancia.opl|cuenta:"acción":"acciones"}} de difusión, por debajo del umbral: un OPL se señala cuando registra {{regla}}. Se le invita a reforzar y registrar en el Sistema sus acciones de difusión de la convocatoria.
@sino
@si acciones_opl
El {{opl}} registra {{difusion.instancia.opl|cuenta:"acción":"acciones"}} de difusión, cifra igual o
superior al umbral: un OPL se señala cuando registra {{regla}}. Por ello, no
se encuentra entre los OPL con bajo número de acciones de difusión.
@sino
Al {{corte}} ningún OPL del país ha registrado acciones de difusión en el Sistema, así que no se señala
a ninguno: la regla compara las acciones de cada OPL con la mediana nacional y el seguimiento empieza
cuando se registran acciones.
@fin
@fin

@tabla indicadores id=difusion titulo="Acciones de difusión registradas en la entidad" hoja="Difusión"
columna "Instancia" = etiqueta
columna "Al corte ({{corte|fecha_corta}})" = valor
columna "Corte anterior ({{corte_anterior|fecha_corta}})" = anterior
columna "Cambio desde el {{corte_anterior|fecha_corta}}" = cambio
columna "Nacional" = nacional
fila "{{opl}} (OPL)" = difusion.instancia.opl
fila "Junta Local Ejecutiva" = difusion.instancia.jle
fila "Juntas Distritales Ejecutivas" = difusion.instancia.jde
total "Total" = difusion.total

@tabla tipos_difusion titulo="Acciones de difusión en la entidad por tipo" hoja="Difusión por tipo" omitir_ceros=si nota="Sólo los tipos con alguna acción registrada en la entidad."

@grafica semanal id=difusion_semana titulo="Acciones de difusión registradas por semana en la entidad" hoja="Difusión por semana" forma=columnas acumulado=no alto=90 eje_y="Acciones"
serie "OPL" = difusion.instancia.opl
serie "Junta Local" = difusion.instancia.jle
serie "Juntas Distritales" = difusion.instancia.jde

@seccion Solicitudes de acreditación
@si solicitudes.total
Al {{corte}} se han recibido {{solicitudes.total|cuenta:"solicitud":"solicitudes"}} de acreditación en
{{entidad}} ({{solicitudes.total|pct_nacional}} del total nacional de
{{solicitudes.total|nacional}});
{{solicitudes.medio.opl|cuenta:"se recibió":"se recibieron":"ninguna se recibió"}} en el propio OPL y
{{solicitudes.tipo.organizacion|cuenta:"es":"son":"ninguna es"}} de integrantes de organizaciones de
observación electoral. En la entidad
{{solicitudes.organizaciones|plural:"se identifica":"se identifican":"no se identifica"}} por su nombre
{{solicitudes.organizaciones|cuenta:"organización distinta":"organizaciones distintas":"ninguna organización"}}
de observación electoral con solicitudes de sus integrantes.
@sino
Al {{corte}} no se ha registrado ninguna solicitud de acreditación en {{entidad}} (el total nacional es
de {{solicitudes.total|nacional|cuenta:"solicitud":"solicitudes"}}).
@fin

@tabla indicadores id=solicitudes titulo="Solicitudes de acreditación en la entidad" hoja="Solicitudes" base=solicitudes.total
columna "Concepto" = etiqueta
columna "Entidad" = valor
columna "% de la entidad" = pct
columna "Cambio desde el {{corte_anterior|fecha_corta}}" = cambio
columna "Nacional" = nacional
columna "% del nacional" = pct_nacional
fila "Solicitudes recibidas" = solicitudes.total
fila "Recibidas por el OPL" = solicitudes.medio.opl
fila "Mujeres" = solicitudes.sexo.mujer
fila "Hombres" = solicitudes.sexo.hombre
fila "Personas no binarias" = solicitudes.sexo.no_binaria
fila? "Sexo no especificado" = solicitudes.sexo.no_especificado
fila "Con curso de capacitación" = solicitudes.curso.con
fila "Aprobadas" = solicitudes.aprobadas
fila "Improcedentes" = solicitudes.improcedentes
fila "Declinadas" = solicitudes.declinadas
fila "Pendientes de resolución" = solicitudes.pendientes

# Su trayectoria y los exhortos que recibió, del historial de observa: sólo con cortes publicados. El
# resumen ocupa a lo más dos páginas: la tabla muestra los 4 cortes presentados más recientes (max=, de 1
# a 4) y una línea dice cuántos anteriores omite; la columna «oficio» es el oficio con que se le exhortó
# tras cada corte (el informe nacional sigue todos los exhortos en su @tabla exhortos).
@si historial
@seccion Seguimiento entre cortes
@tabla cortes id=cortes titulo="{{opl}} en los cortes presentados, los exhortos que recibió y este resumen" hoja="Cortes" nota="En negritas, las cifras de este resumen. Señalado: con bajo número de acciones de difusión en ese corte; oficio de exhorto: el que se le envió tras ese corte."
columna "Acciones del OPL" = difusion.instancia.opl
columna "Solicitudes en la entidad" = solicitudes.total
columna "Aprobadas" = solicitudes.aprobadas
columna "Señalado" = senalados
columna "Oficio de exhorto" = oficio
@fin

@nota Cifras calculadas con las mismas reglas de corte del informe nacional: una solicitud o acción cuenta si se registró en el Sistema en o antes del corte. Elaborado con observa {{version}}.
