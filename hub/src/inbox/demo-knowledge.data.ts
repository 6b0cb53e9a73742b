/**
 * Demo content for the agent desktop: canned responses, tipification trees and KB articles of the
 * two demo campaigns. General IMSS procedure information written for the demo; no personal data.
 */

export interface DemoCanned {
  shortcut: string;
  title: string;
  body: string;
}

/** A node of the tipification tree; children nest up to three levels. */
export interface DemoCode {
  code: string;
  label: string;
  children?: DemoCode[];
}

export interface DemoArticle {
  title: string;
  topic: string;
  tags: string[];
  published: boolean;
  body: string;
}

export interface DemoKnowledge {
  canned: DemoCanned[];
  codes: DemoCode[];
  articles: DemoArticle[];
}

const derechohabientes: DemoKnowledge = {
  canned: [
    { shortcut: 'saludo', title: 'Saludo inicial', body: 'Hola {{contact.firstName}}, le atiende {{agent.firstName}} de {{campaign.name}} del IMSS. ¿En qué puedo ayudarle hoy?' },
    { shortcut: 'folio', title: 'Compartir folio', body: 'Su número de folio es {{folio}}. Consérvelo: con él damos seguimiento a su solicitud por cualquier canal de atención.' },
    {
      shortcut: 'vigencia',
      title: 'Consulta de vigencia de derechos',
      body: 'Puede consultar su vigencia de derechos en imss.gob.mx, en la sección «Consulta de vigencia de derechos», o en la app IMSS Digital. Necesita su CURP, su Número de Seguridad Social (NSS) y un correo electrónico personal; la constancia le llega a ese correo.',
    },
    {
      shortcut: 'nss',
      title: 'Asignación o localización de NSS',
      body: 'Para obtener o localizar su Número de Seguridad Social (NSS) ingrese a imss.gob.mx o a la app IMSS Digital con su CURP y un correo electrónico personal vigente. El documento con su NSS se envía a ese correo en unos minutos.',
    },
    { shortcut: 'espera', title: 'Pedir un momento', body: '{{contact.firstName}}, permítame un momento mientras reviso la información; en breve le respondo.' },
    {
      shortcut: 'cita',
      title: 'Agendar cita en la UMF',
      body: 'Puede agendar su cita en su Unidad de Medicina Familiar (UMF) desde la app IMSS Digital, en «Cita médica digital», o al 800 623 2323. Tenga a la mano su NSS y su CURP.',
    },
    {
      shortcut: 'cierre',
      title: 'Despedida con folio',
      body: 'Gracias por comunicarse con {{campaign.name}}. Su folio de atención es {{folio}}. Si necesita algo más, escríbanos por este mismo medio. ¡Que tenga un excelente día!',
    },
  ],
  codes: [
    {
      code: 'AF',
      label: 'Afiliación',
      children: [
        {
          code: 'AF.VIG',
          label: 'Vigencia de derechos',
          children: [
            { code: 'AF.VIG.SI', label: 'Con vigencia' },
            { code: 'AF.VIG.NO', label: 'Sin vigencia' },
          ],
        },
        { code: 'AF.ALTA', label: 'Alta / asignación de NSS' },
        { code: 'AF.BAJA', label: 'Baja' },
        { code: 'AF.BEN', label: 'Registro de beneficiarios' },
      ],
    },
    {
      code: 'CI',
      label: 'Citas',
      children: [
        { code: 'CI.AGE', label: 'Agendada' },
        { code: 'CI.CAN', label: 'Cancelada' },
        { code: 'CI.REP', label: 'Reprogramada' },
      ],
    },
    {
      code: 'PE',
      label: 'Pensiones',
      children: [
        { code: 'PE.CYV', label: 'Cesantía en edad avanzada y vejez' },
        { code: 'PE.INV', label: 'Invalidez y vida' },
        { code: 'PE.SEM', label: 'Semanas cotizadas' },
      ],
    },
    {
      code: 'IN',
      label: 'Incapacidades',
      children: [
        { code: 'IN.PAGO', label: 'Pago de incapacidad' },
        { code: 'IN.EST', label: 'Estatus de trámite' },
      ],
    },
    {
      code: 'OT',
      label: 'Otros',
      children: [
        { code: 'OT.INF', label: 'Información general' },
        { code: 'OT.QUE', label: 'Queja' },
        { code: 'OT.N2', label: 'Canalizado a segundo nivel' },
      ],
    },
  ],
  articles: [
    {
      title: '¿Cómo consulto mi vigencia de derechos?',
      topic: 'Afiliación',
      tags: ['vigencia', 'derechos', 'constancia', 'NSS'],
      published: true,
      body: `La vigencia de derechos indica si una persona asegurada y sus beneficiarios pueden recibir atención médica en el IMSS.

Cómo consultarla:
1. Ingrese a imss.gob.mx y elija «Consulta de vigencia de derechos», o abra la app IMSS Digital.
2. Capture la CURP y el Número de Seguridad Social (NSS).
3. Indique un correo electrónico personal; ahí se envía la constancia.

Si aparece «sin vigencia», pida al ciudadano que confirme con su patrón que está dado de alta; las bajas recientes pueden conservar derechos por un periodo de conservación. Si el patrón confirma el alta y la consulta sigue sin vigencia, tipifique como Afiliación › Vigencia de derechos › Sin vigencia y canalice a segundo nivel.`,
    },
    {
      title: 'Asignación o localización del Número de Seguridad Social (NSS)',
      topic: 'Afiliación',
      tags: ['NSS', 'asignación', 'localización', 'CURP'],
      published: true,
      body: `El NSS es único y permanente: se asigna una sola vez y sirve para toda la vida laboral.

Requisitos: CURP y un correo electrónico personal vigente.

Pasos: en imss.gob.mx o en la app IMSS Digital elija «Asignación o localización de NSS», capture la CURP y el correo, y descargue el documento que llega al correo.

Errores frecuentes: la CURP con datos distintos a los del RENAPO (primero debe corregirse la CURP) y correos institucionales o compartidos. Si el sistema indica que la CURP tiene más de un NSS, el trámite es presencial en la Subdelegación con identificación oficial.`,
    },
    {
      title: 'Alta en la Unidad de Medicina Familiar y registro de beneficiarios',
      topic: 'Afiliación',
      tags: ['UMF', 'clínica', 'alta', 'beneficiarios'],
      published: true,
      body: `Después de que el patrón da de alta al trabajador, este debe registrarse en su Unidad de Medicina Familiar (UMF) para recibir atención.

Alta en clínica: en la app IMSS Digital o en imss.gob.mx, con CURP, NSS, código postal del domicilio y correo electrónico. El sistema asigna la UMF que corresponde al domicilio.

Beneficiarios (cónyuge o concubino, hijos, padres): se registran en la UMF o en línea presentando los documentos que acreditan el parentesco (acta de matrimonio o de nacimiento, según el caso) y la CURP de cada beneficiario.`,
    },
    {
      title: 'Agendar, cambiar o cancelar una cita médica',
      topic: 'Citas',
      tags: ['cita', 'UMF', 'medicina familiar', 'IMSS Digital'],
      published: true,
      body: `Las citas de medicina familiar se agendan en la app IMSS Digital («Cita médica digital»), en imss.gob.mx o al teléfono 800 623 2323.

Para agendar se requiere NSS, CURP y estar registrado en una UMF. El sistema ofrece los horarios disponibles del consultorio asignado.

Cancelar o cambiar: desde la misma app, en «Mis citas». Pida al ciudadano cancelar con anticipación si no podrá asistir, para liberar el espacio.

Tipifique como Citas › Agendada, Cancelada o Reprogramada, según el resultado.`,
    },
    {
      title: 'Pago de incapacidades temporales para el trabajo',
      topic: 'Incapacidades',
      tags: ['incapacidad', 'subsidio', 'pago', 'cuenta bancaria'],
      published: true,
      body: `El IMSS paga un subsidio al trabajador incapacitado que cumple los requisitos; el certificado de incapacidad lo expide el médico tratante.

Montos generales según la Ley del Seguro Social:
- Enfermedad general: 60% del salario base de cotización, a partir del cuarto día.
- Riesgo de trabajo: 100% del salario base de cotización, desde el primer día.
- Maternidad: 100% del último salario diario de cotización durante 42 días antes y 42 después del parto.

El pago se hace por transferencia a la cuenta bancaria que el trabajador registre. Si el pago no llega, verifique que la cuenta esté registrada a su nombre y canalice a segundo nivel con el folio.`,
    },
    {
      title: 'Pensión por cesantía en edad avanzada y vejez: requisitos generales',
      topic: 'Pensiones',
      tags: ['pensión', 'cesantía', 'vejez', 'semanas cotizadas', 'Ley 73', 'Ley 97'],
      published: true,
      body: `Edad: cesantía en edad avanzada desde los 60 años; vejez desde los 65.

Semanas cotizadas:
- Régimen de la Ley 1973 (cotizó antes del 1 de julio de 1997): al menos 500 semanas.
- Régimen de la Ley 1997: las semanas requeridas aumentan de forma gradual, de 750 en 2021 hasta 1,000 en 2031.

El ciudadano puede consultar sus semanas cotizadas en línea (constancia de semanas cotizadas, con CURP, NSS y correo). La solicitud de pensión es con cita en la Unidad de Medicina Familiar o Subdelegación que le corresponde. Ante dudas sobre el régimen o semanas no reconocidas, canalice a segundo nivel.`,
    },
    {
      title: 'Horario de atención en periodo vacacional de diciembre',
      topic: 'Información general',
      tags: ['horario', 'vacaciones'],
      published: false,
      body: 'Borrador en revisión: horario de atención de las Unidades de Medicina Familiar y de la línea 800 durante el periodo vacacional de diciembre. Se publicará cuando el área responsable confirme las fechas.',
    },
  ],
};

const contribuyentes: DemoKnowledge = {
  canned: [
    {
      shortcut: 'saludo',
      title: 'Saludo a patrones',
      body: 'Buen día, le atiende {{agent.name}} de {{campaign.name}}. Para ayudarle, ¿me comparte su Registro Patronal y el RFC de la empresa?',
    },
    { shortcut: 'folio', title: 'Compartir folio', body: 'El folio de su atención es {{folio}}; consérvelo para cualquier seguimiento.' },
    {
      shortcut: 'idse',
      title: 'Movimientos afiliatorios en IDSE',
      body: 'Las altas, bajas y modificaciones de salario de sus trabajadores se presentan en IDSE (IMSS Desde Su Empresa) con el certificado digital del IMSS, dentro de los cinco días hábiles siguientes al movimiento.',
    },
    {
      shortcut: 'sua',
      title: 'Pago de cuotas con SUA',
      body: 'El Sistema Único de Autodeterminación (SUA) calcula las cuotas obrero-patronales. El pago mensual vence el día 17 del mes siguiente; las aportaciones de retiro, cesantía y vejez se pagan por bimestre, también a más tardar el día 17.',
    },
    {
      shortcut: 'prima-rt',
      title: 'Determinación de la prima de riesgo de trabajo',
      body: 'La determinación anual de la prima en el seguro de riesgos de trabajo se presenta durante el mes de febrero, con la siniestralidad del año anterior. {{contact.firstName}}, ¿desea que le comparta los pasos?',
    },
    {
      shortcut: 'cierre',
      title: 'Despedida',
      body: 'Gracias por comunicarse con {{campaign.name}}, {{contact.firstName}}. Su folio es {{folio}}. Estamos para servirle.',
    },
  ],
  codes: [
    {
      code: 'PA',
      label: 'Patrones',
      children: [
        { code: 'PA.ALTA', label: 'Alta patronal' },
        { code: 'PA.MOD', label: 'Modificación de datos' },
        { code: 'PA.BAJA', label: 'Baja patronal' },
      ],
    },
    {
      code: 'CU',
      label: 'Cuotas',
      children: [
        { code: 'CU.SUA', label: 'SUA y pago' },
        { code: 'CU.ADE', label: 'Adeudos y créditos' },
        { code: 'CU.CONV', label: 'Convenio de pago a plazos' },
      ],
    },
    {
      code: 'MA',
      label: 'Movimientos afiliatorios',
      children: [
        { code: 'MA.IDSE', label: 'IDSE' },
        { code: 'MA.EV', label: 'Escritorio Virtual' },
      ],
    },
    {
      code: 'RT',
      label: 'Prima de riesgo de trabajo',
      children: [
        { code: 'RT.DET', label: 'Determinación anual' },
        { code: 'RT.REC', label: 'Rectificación' },
      ],
    },
    {
      code: 'OT',
      label: 'Otros',
      children: [
        { code: 'OT.INF', label: 'Información general' },
        { code: 'OT.QUE', label: 'Queja' },
      ],
    },
  ],
  articles: [
    {
      title: 'Inscripción patronal ante el IMSS',
      topic: 'Patrones',
      tags: ['registro patronal', 'alta patronal', 'Escritorio Virtual', 'e.firma'],
      published: true,
      body: `Toda persona física o moral que contrate trabajadores debe inscribirse como patrón ante el IMSS y obtener su Registro Patronal.

Medio: Escritorio Virtual del IMSS, con la e.firma vigente del SAT (de la persona física o del representante legal de la persona moral).

Datos que se solicitan: RFC, domicilio fiscal y del centro de trabajo, actividad económica y, para personas morales, los datos del acta constitutiva y del representante legal.

Al terminar, el sistema entrega el Registro Patronal y permite tramitar el certificado digital para usar IDSE.`,
    },
    {
      title: 'IDSE: altas, bajas y modificaciones de salario',
      topic: 'Movimientos afiliatorios',
      tags: ['IDSE', 'alta', 'baja', 'modificación de salario', 'certificado digital'],
      published: true,
      body: `IDSE (IMSS Desde Su Empresa) es el sistema para presentar los movimientos afiliatorios de los trabajadores.

Plazo: dentro de los cinco días hábiles siguientes al alta, baja o cambio de salario.

Requisitos: certificado digital del IMSS vigente (se tramita con la e.firma) y el Registro Patronal.

Cada movimiento genera un acuse con sello digital; recomiende al patrón conservarlo. Si IDSE rechaza un movimiento por datos del trabajador (CURP o NSS), primero debe corregirse el dato del trabajador.`,
    },
    {
      title: 'SUA: cálculo y pago de cuotas obrero-patronales',
      topic: 'Cuotas',
      tags: ['SUA', 'cuotas', 'pago', 'RCV', 'SIPARE'],
      published: true,
      body: `El Sistema Único de Autodeterminación (SUA) calcula las cuotas a partir de los movimientos afiliatorios del patrón.

Fechas de pago:
- Cuotas mensuales (enfermedades y maternidad, invalidez y vida, riesgos de trabajo, guarderías): a más tardar el día 17 del mes siguiente.
- Retiro, cesantía en edad avanzada y vejez, e INFONAVIT: por bimestre, a más tardar el día 17 del mes siguiente al bimestre.

El pago puede hacerse con el archivo de SUA en el portal bancario o con la línea de captura de SIPARE. Pagar fuera de plazo genera actualización y recargos.`,
    },
    {
      title: 'Determinación anual de la prima en el seguro de riesgos de trabajo',
      topic: 'Prima de riesgo de trabajo',
      tags: ['prima', 'riesgo de trabajo', 'siniestralidad', 'febrero'],
      published: true,
      body: `Cada año las empresas revisan su siniestralidad para fijar la prima del seguro de riesgos de trabajo.

Cuándo: durante el mes de febrero, con los casos de riesgo de trabajo terminados del 1 de enero al 31 de diciembre del año anterior.

Cómo: por IDSE o en el Escritorio Virtual; el sistema calcula la prima con la fórmula del Reglamento y genera el acuse. La nueva prima se aplica de marzo a febrero del año siguiente.

Si el patrón detecta un caso mal registrado puede solicitar la rectificación; tipifique como Prima de riesgo de trabajo › Rectificación.`,
    },
    {
      title: 'Convenio de pago a plazos de adeudos',
      topic: 'Cuotas',
      tags: ['adeudo', 'crédito', 'convenio', 'parcialidades'],
      published: true,
      body: `Un patrón con adeudos de cuotas puede solicitar pagarlos en parcialidades o en forma diferida mediante un convenio con el IMSS.

Requisitos generales: estar al corriente en las cuotas del periodo actual, pagar el anticipo que corresponda y, en su caso, garantizar el interés fiscal.

La solicitud se presenta en la Subdelegación que corresponde al Registro Patronal o en línea, según el tipo de crédito. Las condiciones (número de parcialidades, recargos) las determina el IMSS en cada caso; no prometa plazos por este medio.`,
    },
    {
      title: 'Opinión de cumplimiento de obligaciones en materia de seguridad social',
      topic: 'Patrones',
      tags: ['opinión de cumplimiento', 'constancia', 'e.firma', 'licitaciones'],
      published: true,
      body: `La opinión de cumplimiento indica si el patrón está al corriente en sus obligaciones con el IMSS. La piden, por ejemplo, las dependencias de gobierno a sus proveedores.

Se obtiene en línea con la e.firma del patrón. El resultado puede ser positivo o negativo; si es negativo, el documento señala las omisiones (adeudos, movimientos o declaraciones pendientes) que hay que regularizar.

Una vez corregidas las omisiones, el patrón puede volver a consultarla.`,
    },
  ],
};

export const DEMO_KNOWLEDGE: Readonly<Record<string, DemoKnowledge>> = { derechohabientes, contribuyentes };
