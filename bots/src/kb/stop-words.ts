/**
 * Words that say nothing about which article answers a question, in their accent-free form
 * (tokens are folded before the lookup). Spanish first; English for the second language.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  [
    // es
    'a al algo algun alguna algunas alguno algunos ante antes como con contra cual cuales cuando de del desde donde dos el ella ellas ellos en entre era eran es esa esas ese eso esos esta estan estas este esto estos fue fueron ha hace hacer han hasta hay la las le les lo los mas me mi mis mucho muy nada ni no nos nosotros o os otra otras otro otros para pero poco por porque puede pueden que quien quienes se sea ser si sido sin sobre son su sus tambien te tengo tiene tienen toda todas todo todos tu tus un una unas uno unos usted ustedes y ya yo quiero quisiera necesito saber favor puedo debo hola buenas buenos dias tardes noches gracias cómo mio mia',
    // en
    'about an and are as at be been but by can could do does for from had has have how i if in into is it its me my of on or our should so than that the their them then there these they this to was we were what when where which who why will with would you your please want need know hello hi thanks',
  ]
    .join(' ')
    .split(/\s+/)
    .map((w) => w.normalize('NFD').replace(/\p{M}/gu, '')),
);
