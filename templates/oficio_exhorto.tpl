# Plantilla del oficio de exhorto (observa oficio), según la estructura del oficio
# INE/DEOE/1104/2023. Todos los nombres, cargos, números y fechas vienen de la sección [oficio]
# de la configuración ({{oficio.numero}}, {{oficio.destinatario}}, …); ninguno está en el código.
# Sólo se escribe cuando hay OPL señalados: sin ninguno, observa no escribe el oficio y lo dice.
# Variables calculadas para cada oficio: {{oficio.numero}} (el número propio de este oficio),
# {{oficio.senalados}} (los OPL señalados con sus acciones), {{oficio.regla}} (la regla, con la
# mediana y la cantidad de acciones que se señala) y la condición «@si oficio.un_opl» (exactamente
# un OPL señalado), para que la redacción concuerde con el número. {{oficio.oficio_previo}} es el
# exhorto general del último corte presentado que registra el historial de observa; sin historial,
# o si éste no registra ninguno, el de [oficio] oficio_previo.
# Una línea que termina en \ conserva el salto de línea.

@documento
formato = oficio
titulo = Oficio {{oficio.numero}}: exhorto a reforzar las acciones de difusión
asunto = Exhorto a reforzar las acciones de difusión de la convocatoria, con corte al {{corte}}
autor = Instituto Nacional Electoral, {{oficio.area}}
palabras_clave = oficio; exhorto; acciones de difusión; OPL; {{proceso}}
encabezado = Oficio núm. {{oficio.numero}}
portada.institucion = INSTITUTO NACIONAL ELECTORAL
portada.area = {{oficio.area|mayusculas}}

@derecha Oficio núm. {{oficio.numero}}

@derecha {{oficio.lugar}}, {{oficio.fecha}}

@negritas {{oficio.destinatario|mayusculas}}\
{{oficio.destinatario_cargo|mayusculas}}\
P R E S E N T E

Como es de su conocimiento, con fecha {{oficio.sesion_fecha}}, en sesión {{oficio.sesion_tipo}} de
la {{oficio.comision}}, se presentó el Informe sobre el seguimiento al procedimiento de acreditación
de las y los observadores electorales, con corte de la información al {{corte}}.

@si oficio.un_opl
Con corte al {{corte}}, se identifica 1 OPL con un número bajo de acciones de difusión de la
Convocatoria registradas en el Sistema de Observadores y Observadoras Electorales: el Organismo
Público Local {{oficio.senalados}}. El detalle, con la regla aplicada, se presenta en el anexo.
@sino
Con corte al {{corte}}, se identifican {{bajo.n}} OPL con un número bajo de acciones de difusión de
la Convocatoria registradas en el Sistema de Observadores y Observadoras Electorales: los
Organismos Públicos Locales {{oficio.senalados}}. El detalle, con la regla aplicada, se presenta en
el anexo.
@fin

@si oficio.oficio_previo
En este sentido, y en seguimiento al oficio {{oficio.oficio_previo}}, mediante el cual se solicitó su
apoyo para que los OPL realizaran y registraran en el Sistema de Observadores y Observadoras
Electorales las acciones de difusión, nuevamente solicito su intervención a efecto de que, a través
de la Unidad a su cargo, se recuerde
{{bajo.n|plural:"al Organismo Público Local señalado":"a los Organismos Públicos Locales señalados"}} la
relevancia de realizar acciones de difusión de la Convocatoria dirigida a la ciudadanía para
acreditarse como observadoras y observadores electorales para el {{proceso}}, y de registrarlas en el
Sistema.
@sino
En este sentido, solicito su intervención a efecto de que, a través de la Unidad a su cargo, se
recuerde {{bajo.n|plural:"al Organismo Público Local señalado":"a los Organismos Públicos Locales señalados"}}
la relevancia de realizar acciones de difusión de la Convocatoria dirigida a la ciudadanía para
acreditarse como observadoras y observadores electorales para el {{proceso}}, y de registrarlas en el
Sistema de Observadores y Observadoras Electorales.
@fin

@si oficio.contacto
Para cualquier duda, se podrá establecer comunicación con {{oficio.contacto_datos}}.
@fin

Sin otro particular, reciba un cordial saludo.

@centro A T E N T A M E N T E\
{{oficio.firmante_cargo|mayusculas}}

@centro \
\
{{oficio.firmante|mayusculas}}

@si oficio.valida
@si oficio.valida_cargo
@nota Firma como responsable de la validación y revisión de la información: {{oficio.valida}}, {{oficio.valida_cargo}}.
@sino
@nota Firma como responsable de la validación y revisión de la información: {{oficio.valida}}.
@fin
@fin

@si oficio.ccp
@nota C.c.p.
@lista oficio.ccp
@fin

@salto
@seccion Anexo. OPL con bajo número de acciones de difusión
Con corte al {{corte}}, un OPL se señala cuando registra {{oficio.regla}}.

@tabla opl_bajo titulo="OPL con bajo número de acciones de difusión al {{corte}}" hoja="Anexo"
