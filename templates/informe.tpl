# Plantilla del Informe sobre el seguimiento al procedimiento de acreditación de las y los
# observadores electorales (observa informe). Se puede editar sin recompilar: títulos, párrafos,
# orden de las secciones, tablas y columnas. El lenguaje se describe en el README.
# Las líneas que empiezan con '#' son comentarios.

@documento
formato = informe
titulo = Informe sobre el seguimiento al procedimiento de acreditación de las y los observadores electorales
asunto = Seguimiento a la acreditación de observadoras y observadores electorales, con corte al {{corte}}
autor = Instituto Nacional Electoral, Dirección Ejecutiva de Organización Electoral
palabras_clave = observación electoral; acreditación; acciones de difusión; OPL; CCOE; {{proceso}}
encabezado = Acreditación de las y los observadores electorales · Corte al {{corte|fecha_corta}}
portada.institucion = Instituto Nacional Electoral
portada.area = Dirección Ejecutiva de Organización Electoral
portada.subtitulo = {{proceso}}
portada.corte = Con corte al {{corte}}
portada.lugar_fecha = {{lugar}}, {{fecha_elaboracion}}
# Tablas, gráficas y mapas numerados («Tabla 3. …»), con esta fuente al pie; el texto los cita
# por su id: {{tabla:difusion_entidad}} → «Tabla 3».
numerar = si
fuente = Fuente: Sistema de Observadores y Observadoras Electorales, con corte al {{corte}}.

# Resumen ejecutivo: una página, siempre. Cada «cifra» muestra su valor al corte y, con corte
# anterior, el cambio; después, los OPL señalados (o «ninguno» si no hay, o «sin_acciones» si ningún
# OPL ha registrado acciones).
@resumen_ejecutivo titulo="Resumen ejecutivo" hoja="Resumen ejecutivo"
introduccion = Cifras del {{proceso}} registradas en el Sistema de Observadores y Observadoras Electorales con corte al {{corte}}.
# Sólo cuando se rechazó alguna fila de las exportaciones.
rechazos = Al leer las exportaciones se rechazaron {{rechazos}}: esas filas no se cuentan en ninguna cifra de este informe; sus motivos están en la nota metodológica y, fila por fila, en el archivo rechazos.csv.
cifra "Solicitudes de acreditación recibidas" = solicitudes.total
cifra "Aprobadas" = solicitudes.aprobadas; {{solicitudes.aprobadas|pct:solicitudes.total}} de las solicitudes recibidas
cifra "Pendientes de resolución" = solicitudes.pendientes; {{solicitudes.pendientes|pct:solicitudes.total}} de las solicitudes recibidas
cifra "Improcedentes o declinadas" = solicitudes.improcedentes + solicitudes.declinadas; {{solicitudes.improcedentes + solicitudes.declinadas|pct:solicitudes.total}} de las solicitudes recibidas
cifra "Acciones de difusión de las juntas del INE" = difusion.ine
cifra "Acciones de difusión de los OPL" = difusion.instancia.opl
senalados = OPL con bajo número de acciones de difusión: {{bajo.n}}
regla = Un OPL se señala cuando registra {{regla}}.
ninguno = Al {{corte}} ningún OPL tiene un número bajo de acciones de difusión: un OPL se señala cuando registra {{regla}}.
sin_acciones = Al {{corte}} ningún OPL ha registrado acciones de difusión en el Sistema, así que no se señala a ninguno: el seguimiento de la regla empieza cuando se registran acciones.
cierre = El detalle por entidad está en el informe: las acciones de difusión en la {{tabla:difusion_entidad}}, las solicitudes en la {{tabla:solicitudes_entidad}} y su estado en la {{tabla:estado_entidad}}; el {{mapa:mapa_opl}} muestra las acciones de difusión de cada OPL.

@indice titulo="Contenido" tablas=si

@salto
@seccion Siglas y acrónimos
@siglas
CCOE = Comisión de Capacitación y Organización Electoral
CSV = Valores separados por comas (formato de las exportaciones del Sistema)
DEOE = Dirección Ejecutiva de Organización Electoral
INE = Instituto Nacional Electoral
JDE = Junta Distrital Ejecutiva
JLE = Junta Local Ejecutiva
OPL = Organismo Público Local
SHA-256 = Resumen criptográfico que identifica el contenido exacto de un archivo
UTVOPL = Unidad Técnica de Vinculación con los Organismos Públicos Locales
VA = Voto anticipado
VMRE = Voto de las y los mexicanos residentes en el extranjero
VPPP = Voto de las personas en prisión preventiva

@salto
@seccion Presentación
La Dirección Ejecutiva de Organización Electoral (DEOE) presenta a la Comisión de Capacitación y
Organización Electoral (CCOE) el informe sobre el seguimiento al procedimiento de acreditación de las
y los observadores electorales del {{proceso}}, con la información registrada en el Sistema de
Observadores y Observadoras Electorales con corte al {{corte}}.

El informe da cuenta de las acciones de difusión de la convocatoria realizadas por las Juntas Locales
y Distritales Ejecutivas del Instituto y por los Organismos Públicos Locales (OPL), de las solicitudes
de acreditación recibidas por entidad, sexo, tipo y medio de recepción, y del estado que guardan:
cursos de capacitación, aprobaciones, improcedencias, declinaciones y solicitudes pendientes de
resolución.

@si rechazos
Al leer las exportaciones del Sistema se rechazaron las filas que no pueden ubicarse o contarse (un
dato obligatorio ausente o no válido, un folio repetido, entre otros motivos): {{rechazos}}. Esas
filas no se cuentan en ninguna cifra de este informe; sus motivos se detallan en la nota metodológica
y, fila por fila, en el archivo rechazos.csv.
@fin

@seccion Resumen
@si solicitudes.total
@si anterior
Al {{corte}} se han recibido {{solicitudes.total|cuenta:"solicitud":"solicitudes"}} de acreditación,
{{solicitudes.total|cambio}} respecto del corte anterior ({{corte_anterior}}), cuando sumaban
{{solicitudes.total|anterior}}. Por su estado al corte,
{{solicitudes.aprobadas|cuenta:"está aprobada":"están aprobadas"}}
({{solicitudes.aprobadas|pct:solicitudes.total}} de las solicitudes recibidas),
{{solicitudes.improcedentes|cuenta:"es improcedente":"son improcedentes"}}
({{solicitudes.improcedentes|pct:solicitudes.total}}),
{{solicitudes.declinadas|cuenta:"fue declinada":"fueron declinadas"}}
({{solicitudes.declinadas|pct:solicitudes.total}}) y
{{solicitudes.pendientes|cuenta:"está pendiente":"están pendientes"}} de resolución
({{solicitudes.pendientes|pct:solicitudes.total}}).
@sino
Al {{corte}} se han recibido {{solicitudes.total|cuenta:"solicitud":"solicitudes"}} de acreditación.
Por su estado al corte, {{solicitudes.aprobadas|cuenta:"está aprobada":"están aprobadas"}}
({{solicitudes.aprobadas|pct:solicitudes.total}} de las solicitudes recibidas),
{{solicitudes.improcedentes|cuenta:"es improcedente":"son improcedentes"}}
({{solicitudes.improcedentes|pct:solicitudes.total}}),
{{solicitudes.declinadas|cuenta:"fue declinada":"fueron declinadas"}}
({{solicitudes.declinadas|pct:solicitudes.total}}) y
{{solicitudes.pendientes|cuenta:"está pendiente":"están pendientes"}} de resolución
({{solicitudes.pendientes|pct:solicitudes.total}}).
@fin
@sino
Al {{corte}} no se ha registrado ninguna solicitud de acreditación en el Sistema.
@fin

@si solicitudes.organizaciones
{{solicitudes.tipo.organizacion|cuenta:"solicitud es":"solicitudes son"}} de integrantes de
organizaciones de observación electoral, en las que
{{solicitudes.organizaciones|plural:"se identifica":"se identifican"}} por su nombre
{{solicitudes.organizaciones|cuenta:"organización distinta":"organizaciones distintas"}}.
@sino
@si solicitudes.tipo.organizacion
{{solicitudes.tipo.organizacion|cuenta:"solicitud es":"solicitudes son"}} de integrantes de
organizaciones de observación electoral, sin el nombre de su organización.
@fin
@fin

@si difusion.total
@si anterior
Los OPL han registrado {{difusion.instancia.opl|cuenta:"acción":"acciones"}} de difusión
({{difusion.instancia.opl|cambio}} desde el corte anterior) y las juntas del INE,
{{difusion.ine|cuenta:"acción":"acciones"}} ({{difusion.ine|cambio}} desde el corte anterior).
@sino
Los OPL han registrado {{difusion.instancia.opl|cuenta:"acción":"acciones"}} de difusión y las juntas
del INE, {{difusion.ine|cuenta:"acción":"acciones"}}.
@fin
@sino
Al {{corte}} no se ha registrado ninguna acción de difusión de la convocatoria en el Sistema.
@fin

@tabla indicadores id=resumen titulo="Cifras principales" hoja="Resumen"
columna "Indicador" = etiqueta
columna "Al corte ({{corte|fecha_corta}})" = valor
columna "Corte anterior ({{corte_anterior|fecha_corta}})" = anterior
columna "Cambio" = cambio
fila "Solicitudes recibidas" = solicitudes.total
fila "Mujeres" = solicitudes.sexo.mujer
fila "Hombres" = solicitudes.sexo.hombre
fila "Personas no binarias" = solicitudes.sexo.no_binaria
fila? "Sexo no especificado" = solicitudes.sexo.no_especificado
fila "Solicitudes individuales" = solicitudes.tipo.individual
fila "Solicitudes de integrantes de organizaciones" = solicitudes.tipo.organizacion
fila "Organizaciones de observación con solicitudes" = solicitudes.organizaciones
fila "Con curso de capacitación" = solicitudes.curso.con
fila "Aprobadas" = solicitudes.aprobadas
fila "Improcedentes" = solicitudes.improcedentes
fila "Declinadas" = solicitudes.declinadas
fila "Pendientes de resolución" = solicitudes.pendientes
fila "Acciones de difusión" = difusion.total
fila "Realizadas por las juntas del INE" = difusion.ine
fila "Realizadas por los OPL" = difusion.instancia.opl

@salto
@seccion Difusión de la convocatoria
@si difusion.total
Con corte al {{corte}} se han registrado en el Sistema {{difusion.total|cuenta:"acción":"acciones"}} de
difusión de la convocatoria: {{difusion.ine}} de las Juntas Locales y Distritales Ejecutivas del INE y
{{difusion.instancia.opl}} de los OPL. La suma del alcance declarado en cada acción es de
{{difusion.alcance}}; no es un número de personas distintas, porque una misma persona puede contarse
en varias acciones.
@sino
Al {{corte}} no se ha registrado ninguna acción de difusión de la convocatoria en el Sistema.
@fin

@tabla entidades id=difusion_entidad titulo="Acciones de difusión por entidad e instancia" hoja="Difusión por entidad" marcar=bajo nota="* OPL con bajo número de acciones de difusión: registra {{regla}}. JLE: Junta Local Ejecutiva; JDE: Juntas Distritales Ejecutivas. Alcance declarado: suma del alcance que se registró en cada acción (una persona puede contarse en varias acciones)."
columna "JLE" = difusion.instancia.jle
columna "JDE" = difusion.instancia.jde
columna "OPL" = difusion.instancia.opl
columna "Total" = difusion.total
columna "Alcance declarado (suma por acción)" = difusion.alcance
columna "Cambio en acciones OPL" = cambio(difusion.instancia.opl)

@grafica opl_entidad titulo="Acciones de difusión de los OPL por entidad" hoja="Gráfica OPL" eje_x="Acciones registradas" nota="En color de alerta, los OPL con bajo número de acciones de difusión: {{regla}}. La línea discontinua marca ese umbral."

@tabla tipos_difusion titulo="Acciones de difusión por tipo de acción" hoja="Difusión por tipo" nota="Porcentajes respecto del total de acciones de difusión registradas al corte."

@si bajo
{{bajo.n|plural:"Se identifica":"Se identifican"}} {{bajo.n|cuenta:"OPL":"OPL"}} con un número bajo de
acciones de difusión: {{bajo.lista}}. Un OPL se señala cuando registra {{regla}}.
@sino
@si acciones_opl
Ningún OPL registra un número bajo de acciones de difusión: todos registran al menos
{{umbral_acciones|cuenta:"acción":"acciones"}}. Un OPL se señala cuando registra {{regla}}.
@sino
Al {{corte}} ningún OPL ha registrado acciones de difusión en el Sistema, así que no se señala a
ninguno: la regla compara las acciones de cada OPL con la mediana nacional y el seguimiento empieza
cuando se registran acciones.
@fin
@fin

@salto
@seccion Solicitudes de acreditación
@si solicitudes.total
@si solicitudes.sexo.no_especificado
Con corte al {{corte}} se han recibido {{solicitudes.total|cuenta:"solicitud":"solicitudes"}} de
acreditación: {{solicitudes.sexo.mujer}} de mujeres ({{solicitudes.sexo.mujer|pct:solicitudes.total}}
del total), {{solicitudes.sexo.hombre}} de hombres ({{solicitudes.sexo.hombre|pct:solicitudes.total}}),
{{solicitudes.sexo.no_binaria}} de personas no binarias
({{solicitudes.sexo.no_binaria|pct:solicitudes.total}}) y {{solicitudes.sexo.no_especificado}} sin sexo
especificado ({{solicitudes.sexo.no_especificado|pct:solicitudes.total}}).
@sino
Con corte al {{corte}} se han recibido {{solicitudes.total|cuenta:"solicitud":"solicitudes"}} de
acreditación: {{solicitudes.sexo.mujer}} de mujeres ({{solicitudes.sexo.mujer|pct:solicitudes.total}}
del total), {{solicitudes.sexo.hombre}} de hombres ({{solicitudes.sexo.hombre|pct:solicitudes.total}})
y {{solicitudes.sexo.no_binaria}} de personas no binarias
({{solicitudes.sexo.no_binaria|pct:solicitudes.total}}).
@fin

Por tipo, {{solicitudes.tipo.individual|cuenta:"es individual":"son individuales":"ninguna es individual"}}
({{solicitudes.tipo.individual|pct:solicitudes.total}}) y {{solicitudes.tipo.organizacion}} de
integrantes de organizaciones de observación electoral
({{solicitudes.tipo.organizacion|pct:solicitudes.total}}). En todo el país
{{solicitudes.organizaciones|plural:"se identifica":"se identifican":"no se identifica"}} por su nombre
{{solicitudes.organizaciones|cuenta:"organización distinta":"organizaciones distintas":"ninguna organización"}}
de observación electoral con solicitudes de sus integrantes.
@sino
Al {{corte}} no se ha registrado ninguna solicitud de acreditación en el Sistema.
@fin

@tabla indicadores id=solicitudes_medio titulo="Solicitudes por medio de recepción" hoja="Medio de recepción" base=solicitudes.total
columna "Medio de recepción" = etiqueta
columna "Solicitudes" = valor
columna "% del total de solicitudes" = pct
fila "Portal público" = solicitudes.medio.portal
fila "Juntas Locales y Distritales Ejecutivas" = solicitudes.medio.junta
fila "Organismos Públicos Locales" = solicitudes.medio.opl
total "Total" = solicitudes.total

@tabla entidades id=solicitudes_entidad titulo="Solicitudes por entidad, sexo y tipo" hoja="Solicitudes por entidad" nota="La entidad es la de los órganos del INE y del OPL que atienden la solicitud. Organización: integrantes de organizaciones de observación electoral."
columna "Total" = solicitudes.total
columna "Mujeres" = solicitudes.sexo.mujer
columna "Hombres" = solicitudes.sexo.hombre
columna "No binarias" = solicitudes.sexo.no_binaria
columna? "Sexo no especificado" = solicitudes.sexo.no_especificado
columna "Individual" = solicitudes.tipo.individual
columna "Organización" = solicitudes.tipo.organizacion
columna "Cambio en el total" = cambio(solicitudes.total)

@tabla entidades id=organizaciones titulo="Organizaciones de observación electoral con solicitudes, por entidad" hoja="Organizaciones" nota="Organizaciones: número de organizaciones distintas (por su nombre, sin distinguir mayúsculas ni acentos) con al menos una solicitud de sus integrantes registrada al corte. Una organización con solicitudes en varias entidades se cuenta en cada una y una sola vez en el total nacional, que por eso puede ser menor que la suma de las entidades. Integrantes: solicitudes de integrantes de organizaciones."
columna "Organizaciones" = solicitudes.organizaciones
columna "Integrantes con solicitud" = solicitudes.tipo.organizacion
columna "Cambio en organizaciones" = cambio(solicitudes.organizaciones)

@grafica semanal id=solicitudes_semana titulo="Solicitudes recibidas y aprobadas, acumuladas por semana" hoja="Gráfica semanal" eje_y="Solicitudes (acumulado)"
serie "Solicitudes recibidas" = solicitudes.total
serie "Solicitudes aprobadas" = solicitudes.aprobadas

@grafica edad_sexo titulo="Solicitudes por grupo de edad y sexo" hoja="Gráfica edad y sexo"

@tabla indicadores id=solicitudes_grupos titulo="Discapacidad, comunidad indígena y modalidades de interés" hoja="Grupos y modalidades" base=solicitudes.total nota="Datos declarados por las personas solicitantes; una persona puede interesarse en más de una modalidad, por lo que los porcentajes no suman 100%."
columna "Concepto" = etiqueta
columna "Solicitudes" = valor
columna "% del total de solicitudes" = pct
fila "Personas con discapacidad" = solicitudes.discapacidad
fila "Personas de comunidades indígenas" = solicitudes.indigena
fila "Interés en el voto anticipado (VA)" = solicitudes.modalidad.va
fila "Interés en el voto de personas en prisión preventiva (VPPP)" = solicitudes.modalidad.vppp
fila "Interés en el voto de residentes en el extranjero (VMRE)" = solicitudes.modalidad.vmre

@salto
@seccion Estado de las solicitudes
@si solicitudes.total
Del total de {{solicitudes.total|cuenta:"solicitud recibida":"solicitudes recibidas"}},
{{solicitudes.curso.con|cuenta:"corresponde a una persona que ha tomado":"corresponden a personas que han tomado"}}
el curso de capacitación ({{solicitudes.curso.con|pct:solicitudes.total}}). Por su estado al corte,
{{solicitudes.aprobadas|cuenta:"está aprobada":"están aprobadas"}}
({{solicitudes.aprobadas|pct:solicitudes.total}} de las solicitudes recibidas),
{{solicitudes.improcedentes|cuenta:"es improcedente":"son improcedentes"}}
({{solicitudes.improcedentes|pct:solicitudes.total}}),
{{solicitudes.declinadas|cuenta:"fue declinada":"fueron declinadas"}}
({{solicitudes.declinadas|pct:solicitudes.total}}) y
{{solicitudes.pendientes|cuenta:"está pendiente":"están pendientes"}} de resolución
({{solicitudes.pendientes|pct:solicitudes.total}}).
@sino
Al {{corte}} no se ha registrado ninguna solicitud de acreditación en el Sistema.
@fin

@tabla entidades id=estado_entidad titulo="Estado de las solicitudes por entidad" hoja="Estado por entidad" nota="Una solicitud está aprobada, improcedente o declinada cuando el consejo resolvió en o antes de la fecha de corte; si no, está pendiente."
columna "Con curso" = solicitudes.curso.con
columna "Sin curso" = solicitudes.curso.sin
columna "Aprobadas" = solicitudes.aprobadas
columna "Improcedentes" = solicitudes.improcedentes
columna "Declinadas" = solicitudes.declinadas
columna "Pendientes" = solicitudes.pendientes
columna "% aprobadas de las recibidas" = pct(solicitudes.aprobadas, solicitudes.total)

@tabla indicadores id=cursos titulo="Cursos de capacitación por instancia que los impartió" hoja="Cursos" base=solicitudes.curso.con
columna "Impartido por" = etiqueta
columna "Personas capacitadas" = valor
columna "% de las personas con curso" = pct
fila "Instituto Nacional Electoral" = solicitudes.curso.por.ine
fila "Organismo Público Local" = solicitudes.curso.por.opl
fila "Organización de observadores" = solicitudes.curso.por.organizacion
fila? "Sin dato de quién lo impartió" = solicitudes.curso.con - solicitudes.curso.por.ine - solicitudes.curso.por.opl - solicitudes.curso.por.organizacion
total "Total con curso" = solicitudes.curso.con

@tabla causas titulo="Causas de improcedencia más frecuentes" hoja="Causas de improcedencia" max=10 nota="Las diez causas registradas con más frecuencia; las demás se suman en «Otras causas». Una causa escrita de distintas formas se agrupa por su texto sin mayúsculas ni acentos."

@seccion OPL con bajo número de acciones de difusión
@si acciones_opl
Un OPL se señala cuando registra {{regla}}.

@si bajo
@tabla opl_bajo titulo="OPL con bajo número de acciones de difusión" hoja="OPL con pocas acciones"
@sino
Al {{corte}} ningún OPL registra menos de {{umbral_acciones|cuenta:"acción":"acciones"}} de difusión.
@fin
@sino
Al {{corte}} ningún OPL ha registrado acciones de difusión en el Sistema, así que no se señala a
ninguno. La regla compara las acciones de cada OPL con la mediana nacional: una vez que se registren,
un OPL se señalará cuando registre menos acciones de difusión que el mayor entre
{{umbral_minimo|cuenta:"acción":"acciones"}} y el {{fraccion_mediana}} de la mediana nacional de
acciones de los OPL.
@fin

@mapa id=mapa_opl titulo="Acciones de difusión de los OPL, por entidad" hoja="Mapa OPL" nota="Cada cuadro es una entidad, en una posición aproximada a la geográfica (templates/catalogos/mapa.csv); el número son las acciones de difusión de su OPL."

# El seguimiento entre cortes se lee del historial de observa (observa historial): sólo aparece
# cuando hay cortes publicados, es decir, presentados a la Comisión («observa historial publicar»).
@si historial
@salto
@seccion Seguimiento entre cortes
Las cifras de cada corte presentado a la Comisión de Capacitación y Organización Electoral, como se
publicaron, se muestran junto a las de este informe, con corte al {{corte}}. Una cifra publicada no se
modifica: si las exportaciones actuales del Sistema la dan distinta (por capturas tardías o
resoluciones corregidas), la diferencia se muestra en las revisiones, al final de esta sección.

@tabla cortes id=cortes titulo="Cifras de los cortes presentados y de este informe" hoja="Cortes" nota="Cada fila es un corte presentado, con sus cifras como se publicaron; en negritas, las de este informe. OPL señalados: OPL con bajo número de acciones de difusión en ese corte."
columna "Solicitudes recibidas" = solicitudes.total
columna "Aprobadas" = solicitudes.aprobadas
columna "Acciones de difusión de los OPL" = difusion.instancia.opl
columna "OPL señalados" = senalados

@grafica cortes id=grafica_cortes titulo="Solicitudes recibidas y aprobadas en cada corte" hoja="Gráfica cortes" eje_y="Solicitudes" alto=150
serie "Solicitudes recibidas" = solicitudes.total
serie "Aprobadas" = solicitudes.aprobadas

@subtitulo Seguimiento a los exhortos
@si exhortos
Para cada OPL señalado en un corte presentado: el oficio con que se le exhortó a reforzar sus acciones
de difusión, las acciones que registraba entonces y las que registra al {{corte}}, y si sigue por
debajo del umbral de este corte (menos de {{umbral_acciones|cuenta:"acción":"acciones"}}).

@tabla exhortos id=exhortos titulo="Seguimiento a los exhortos a los OPL" hoja="Exhortos" nota="Oficio: el dirigido al OPL o, si no se le dirigió uno propio, el exhorto general de ese corte. Acciones: acciones de difusión registradas por el OPL en el Sistema. En color de alerta, los OPL que siguen por debajo del umbral."
@sino
Ningún OPL fue señalado en los cortes presentados antes del {{corte}}.
@fin

@subtitulo Revisiones de las cifras publicadas
Las cifras de cada corte presentado se calculan de nuevo con las exportaciones de este informe y las
mismas reglas, para dar cuenta de las que cambian.

@tabla revisiones id=revisiones titulo="Cifras publicadas que cambian con las exportaciones actuales" hoja="Revisiones" nota="Publicada: la cifra como se presentó. Con las exportaciones actuales: la misma cifra, al mismo corte, calculada con las exportaciones de este informe."
@fin

@salto
@seccion Nota metodológica
@subtitulo Fuentes
Exportaciones del Sistema de Observadores y Observadoras Electorales (el resumen SHA-256 completo de
cada archivo está en el manifiesto de la ejecución):
@lista fuentes

@subtitulo Reglas de corte
Todas las cifras se calculan con corte al {{corte}}, inclusive, a partir de las mismas exportaciones
del Sistema: una solicitud se cuenta si su fecha de registro en el Sistema es igual o anterior al
corte; tiene curso si la fecha del curso es igual o anterior al corte; su estado es el de la
resolución del consejo si ésta ocurrió en o antes del corte y, si no, se considera pendiente. Una
acción de difusión se cuenta si se registró en o antes del corte. Las filas válidas registradas
después del corte se aceptan pero no se cuentan (posteriores al corte).
@si anterior
Las cifras del corte anterior ({{corte_anterior}}) se calculan con las mismas reglas y los mismos
datos.
@fin

@subtitulo Porcentajes, alcance y organizaciones
Cada porcentaje se calcula sobre la base que indica su tabla o su frase y se muestra con una decimal.
Los porcentajes de un desglose (por sexo, tipo, medio de recepción, estado, tipo de acción, instancia
que impartió el curso o causa de improcedencia) se redondean juntos por el método del residuo mayor:
cada uno se redondea hacia abajo y las décimas que faltan para 100.0% se asignan a los de mayor
residuo, de modo que los porcentajes mostrados suman exactamente 100.0%. Un porcentaje cuya base es
cero se muestra como «–».

El alcance de la difusión es la suma del alcance que se declaró en cada acción: una misma persona
puede contarse en varias acciones, por lo que no es un número de personas distintas.

Las organizaciones de observación electoral se cuentan por su nombre, sin distinguir mayúsculas ni
acentos, entre las solicitudes de tipo organización registradas al corte (sus nombres no se publican).
Una organización con solicitudes en varias entidades se cuenta en cada una de ellas y una sola vez en
el total nacional.

@subtitulo Totales de control
@tabla control titulo="Totales de control de los archivos leídos" hoja="Control" nota="En cada archivo y en cada exportación (la fila en negritas): filas leídas = aceptadas + rechazadas; aceptadas = en el corte + posteriores al corte. Las filas vacías se cuentan aparte, no como leídas. Los archivos de una misma exportación se leen como uno solo: un folio repetido en otro archivo se rechaza."

@tabla motivos titulo="Problemas encontrados, por motivo" hoja="Problemas por motivo" nota="Los errores y avisos se cuentan por problema (una fila puede tener varios); el detalle, con archivo y línea, está en rechazos.csv."

@subtitulo Regla de bajo número de acciones de difusión
Un OPL se señala cuando registra {{regla}}. La mediana
es el promedio de los valores 16 y 17 de las 32 entidades ordenadas por número de acciones de su OPL;
como las acciones son números enteros, registrar menos que el mayor de esos dos valores equivale a
registrar menos de {{umbral_acciones|cuenta:"acción":"acciones"}}. Mientras ningún OPL haya registrado
acciones de difusión al corte no se señala a ninguno: con todos en cero no hay con qué comparar, y el
seguimiento empieza cuando se registran acciones.

@nota Elaborado con observa {{version}} a partir de las exportaciones del Sistema de Observadores y
Observadoras Electorales. Los datos personales de las exportaciones no se copian a ningún resultado.
