/**
 * What people write to public contact centres: insured workers and pensioners of a
 * social-security institute (IMSS-like; the demo campaign "Derechohabientes") and employers and
 * taxpayers (IMSS employer services and SAT-like tax topics; the demo campaign "Contribuyentes").
 * Written the way people type on WhatsApp: some without accents, some in lower case. All names,
 * numbers and ids the simulator builds from this are invented.
 */

export type CitizenArea = 'derechohabiente' | 'contribuyente';

export interface CitizenTopic {
  key: string;
  area: CitizenArea;
  /** First message of a conversation. */
  openings: readonly string[];
  /** What the same citizen writes next, in the same conversation. */
  followUps: readonly string[];
}

export const citizenTopics: readonly CitizenTopic[] = [
  {
    key: 'cita-medica',
    area: 'derechohabiente',
    openings: [
      'Buenos días, quiero agendar una cita con mi médico familiar en la UMF 20',
      'Hola, necesito sacar cita para medicina familiar, ¿cómo le hago?',
      'buenas tardes quisiera una cita para mi mamá, es pensionada',
      'Necesito cambiar mi cita del jueves, no voy a poder asistir',
      'Como agendo cita para el dentista de mi clinica?',
    ],
    followUps: [
      'Mi NSS lo tengo en la credencial, ¿se los paso por aquí?',
      'De preferencia en el turno vespertino por favor',
      '¿Tengo que llevar algún documento el día de la cita?',
      'Ya me dieron la cita, ¿me pueden confirmar la hora?',
      'Gracias, muy amable',
    ],
  },
  {
    key: 'semanas-cotizadas',
    area: 'derechohabiente',
    openings: [
      'Hola, ¿cómo puedo consultar mis semanas cotizadas?',
      'Necesito la constancia de semanas cotizadas para un trámite de Infonavit',
      'buenas, me salen menos semanas de las que trabajé, ¿qué hago?',
      'Quiero saber cuántas semanas cotizadas tengo para ver si ya me puedo pensionar',
    ],
    followUps: [
      'Ya intenté en la página pero me dice que el CURP no coincide',
      'No me llega el correo con el documento',
      'Trabajé en dos empresas al mismo tiempo, ¿cuentan las dos?',
      '¿Se puede hacer la corrección sin ir a la subdelegación?',
    ],
  },
  {
    key: 'incapacidad',
    area: 'derechohabiente',
    openings: [
      'Buenas tardes, ¿cuándo me depositan el pago de mi incapacidad?',
      'Me dieron incapacidad por 7 días y mi patrón dice que no le aparece',
      'hola tengo una incapacidad por maternidad y no me han pagado',
      'Quiero saber el estatus del pago de mi incapacidad por riesgo de trabajo',
    ],
    followUps: [
      'Ya registré mi cuenta CLABE en la página',
      'El folio de la incapacidad empieza con RK, ¿lo necesitan completo?',
      'Ya pasaron más de 15 días hábiles',
      '¿Me pueden decir si está en trámite o ya se pagó?',
    ],
  },
  {
    key: 'pension',
    area: 'derechohabiente',
    openings: [
      'Buen día, quiero iniciar mi trámite de pensión por cesantía',
      'Mi papá falleció y quiero saber cómo solicitar la pensión de viudez para mi mamá',
      '¿Qué requisitos necesito para la pensión por vejez?',
      'no me ha llegado el pago de la pensión de este mes',
      'Quiero hacer mi cambio de banco para el pago de la pensión',
    ],
    followUps: [
      'Cotizo en Ley 73, ¿eso cambia algo?',
      '¿Tengo que sacar cita en la subdelegación o se puede en línea?',
      'Ya tengo mi estado de cuenta de la Afore',
      '¿Cuánto tarda en resolverse?',
    ],
  },
  {
    key: 'alta-patronal',
    area: 'contribuyente',
    openings: [
      'Hola, abrí un negocio y necesito darme de alta como patrón',
      'Buenas tardes, ¿cómo registro a mi trabajadora del hogar en el IMSS?',
      'Necesito mi registro patronal, ya tengo la e.firma',
      'Quiero dar de alta a un trabajador y el IDSE no me deja entrar',
    ],
    followUps: [
      'Soy persona física con actividad empresarial',
      'Me marca error de certificado al entrar al IDSE',
      '¿El alta tiene que ser el mismo día que empieza a trabajar?',
    ],
  },
  {
    key: 'vigencia-derechos',
    area: 'derechohabiente',
    openings: [
      'Buenas noches, ¿cómo sé si sigo vigente en el IMSS? Me dieron de baja hace un mes',
      'Quiero dar de alta a mis hijos como beneficiarios',
      'En la clínica me dijeron que no estoy vigente pero sí trabajo',
      '¿Cómo tramito mi alta en la clínica? Me cambié de domicilio',
    ],
    followUps: [
      'Tengo 8 semanas de conservación de derechos, ¿verdad?',
      'Mi esposo es el asegurado, yo soy beneficiaria',
      'Ya tengo el comprobante de domicilio actualizado',
    ],
  },
  {
    key: 'rfc',
    area: 'contribuyente',
    openings: [
      'Hola, necesito sacar mi RFC por primera vez',
      'Buenas tardes, ¿cómo obtengo mi RFC con homoclave?',
      'me piden el rfc en mi trabajo y no lo tengo, que hago',
      'Quiero inscribirme al RFC pero no tengo e.firma',
    ],
    followUps: [
      'Ya tengo mi CURP certificada',
      'Es para mi primer empleo formal',
      '¿Lo puedo hacer desde el celular?',
      'Gracias, ya lo pude descargar',
    ],
  },
  {
    key: 'constancia-situacion-fiscal',
    area: 'contribuyente',
    openings: [
      'Buen día, necesito mi constancia de situación fiscal para facturar',
      '¿Cómo descargo la constancia de situación fiscal sin contraseña?',
      'Hola, mi constancia sale con otro domicilio, ¿cómo lo actualizo?',
      'Me pide la empresa la constancia de situación fiscal para la nómina',
    ],
    followUps: [
      'Olvidé mi contraseña del SAT',
      'No me llega el código por correo',
      'El régimen que aparece no es el correcto',
      '¿La de SAT ID sirve igual?',
    ],
  },
  {
    key: 'buzon-tributario',
    area: 'contribuyente',
    openings: [
      'Me llegó un aviso al buzón tributario y no entiendo qué significa',
      'Buenas, ¿cómo habilito el buzón tributario?',
      'hola me dicen que tengo que registrar mis medios de contacto en el buzon tributario',
      'Recibí una notificación en el buzón tributario sobre una diferencia en mi declaración',
    ],
    followUps: [
      'Ya registré mi correo pero no llega el código de confirmación',
      '¿Tiene algún costo o multa si no lo habilito?',
      'El aviso dice que tengo 10 días para aclarar',
    ],
  },
  {
    key: 'declaracion-anual',
    area: 'contribuyente',
    openings: [
      'Hola, ¿estoy obligado a presentar declaración anual si solo tengo un trabajo?',
      'Buenas tardes, presenté mi declaración anual con saldo a favor y no me han devuelto',
      'me salió saldo a cargo en la declaracion, puedo pagar en parcialidades?',
      '¿Hasta cuándo es el plazo para la declaración anual de personas físicas?',
    ],
    followUps: [
      'Mi cuenta CLABE sí está a mi nombre',
      'Tuve dos patrones el año pasado',
      'Ya tengo el acuse de recibo',
      '¿Cuánto tarda la devolución automática?',
    ],
  },
  {
    key: 'efirma',
    area: 'contribuyente',
    openings: [
      'Necesito renovar mi e.firma, ya venció',
      'Quiero sacar cita para tramitar la e.firma',
      'Hola, perdí la contraseña de mi e.firma, ¿qué hago?',
      'buenas, no hay citas disponibles para e.firma en mi ciudad',
    ],
    followUps: [
      'Estoy en Guadalajara, ¿hay módulo cerca de Zapopan?',
      'Es para una persona moral',
      '¿Se puede renovar en línea si ya venció hace más de un año?',
    ],
  },
  {
    key: 'facturacion',
    area: 'contribuyente',
    openings: [
      'Hola, ¿cómo cancelo una factura que emití por error?',
      'El portal de facturación me marca que el RFC del receptor no es válido',
      'Buenas tardes, ¿cómo facturo con el régimen simplificado de confianza?',
    ],
    followUps: [
      'El cliente ya aceptó la cancelación',
      'Uso el servicio gratuito del SAT',
      'Me aparece error CFDI40147',
    ],
  },
  {
    key: 'cuotas-obrero-patronales',
    area: 'contribuyente',
    openings: [
      'Buenas tardes, ¿cómo genero la línea de captura del SIPARE para pagar las cuotas?',
      'Me llegó una cédula de liquidación por diferencias en cuotas obrero patronales',
      'hola el banco me rechazó el pago de cuotas del bimestre, que hago',
      '¿Hasta qué día puedo pagar las cuotas del mes sin recargos?',
    ],
    followUps: [
      'Tengo 12 trabajadores registrados',
      'Ya pagué pero me sigue apareciendo el adeudo',
      '¿Puedo pedir convenio de pago a plazos?',
    ],
  },
  {
    key: 'prima-riesgo-trabajo',
    area: 'contribuyente',
    openings: [
      'Necesito presentar la determinación de la prima de riesgo de trabajo, ¿hasta cuándo es?',
      'Buenos días, el SUA no me deja cargar el archivo de la prima de riesgo',
      '¿Cómo se calcula la prima de riesgo de trabajo si tuvimos un accidente en el año?',
    ],
    followUps: [
      'La empresa es de clase III',
      'Ya lo presenté por el IDSE, ¿cómo descargo el acuse?',
    ],
  },
];

export const givenNames: readonly string[] = [
  'María Guadalupe', 'Juan Carlos', 'José Luis', 'Ana María', 'Francisco', 'Verónica', 'Miguel Ángel',
  'Rosa Elena', 'Alejandro', 'Guadalupe', 'Jesús', 'Patricia', 'Fernando', 'Leticia', 'Ricardo',
  'Claudia', 'Jorge', 'Silvia', 'Arturo', 'Alejandra', 'Eduardo', 'Adriana', 'Roberto', 'Gabriela',
  'Luis Fernando', 'Martha', 'Héctor', 'Sofía', 'Diego', 'Ximena', 'Rogelio', 'Itzel', 'Salvador',
  'Fernanda', 'Raúl', 'Yolanda', 'Javier', 'Marisol', 'Enrique', 'Lucía',
];

export const surnames: readonly string[] = [
  'Hernández', 'García', 'Martínez', 'López', 'González', 'Rodríguez', 'Pérez', 'Sánchez', 'Ramírez',
  'Cruz', 'Flores', 'Gómez', 'Morales', 'Vázquez', 'Reyes', 'Jiménez', 'Torres', 'Díaz', 'Gutiérrez',
  'Ruiz', 'Mendoza', 'Aguilar', 'Ortiz', 'Castillo', 'Moreno', 'Romero', 'Álvarez', 'Chávez',
  'Rivera', 'Juárez', 'Domínguez', 'Ramos', 'Herrera', 'Medina', 'Castro', 'Vargas', 'Guzmán',
  'Velázquez', 'Salazar', 'Zúñiga',
];

/**
 * Mexican area codes with their length: 2-digit codes (CDMX, Guadalajara, Monterrey) are
 * followed by 8 digits, 3-digit codes by 7 — always 10 national digits.
 */
export const areaCodes: readonly string[] = ['55', '55', '55', '33', '33', '81', '81', '222', '442', '477', '664', '999', '614', '229', '844'];

export const emailDomains: readonly string[] = ['gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com.mx', 'prodigy.net.mx', 'live.com.mx'];

/** Content types the API channel does not know yet: the hub must store them as `unsupported`. */
export const unsupportedContents: readonly Record<string, unknown>[] = [
  { type: 'sticker', sticker: { id: 'stk-pulgar-arriba', emoji: '👍', animated: false } },
  { type: 'sticker', sticker: { id: 'stk-gracias', emoji: '🙏', animated: true } },
  { type: 'reaction', reaction: { emoji: '❤️' } },
  { type: 'contacts', contacts: [{ name: 'Oficina de Recursos Humanos', phone: '+525555555555' }] },
];

/** Photos citizens send of documents (the hub only stores the metadata). */
export const documentPhotos: readonly { filename: string; caption: string }[] = [
  { filename: 'credencial-ine.jpg', caption: 'Esta es mi credencial' },
  { filename: 'incapacidad.jpg', caption: 'Le mando foto de la incapacidad' },
  { filename: 'acuse-declaracion.jpg', caption: 'Este es el acuse' },
  { filename: 'error-portal.png', caption: 'Me sale este error' },
];
