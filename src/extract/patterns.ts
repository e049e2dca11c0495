// Words and phrases that mark the parts of a submission around the statement itself: greetings
// to the editors, cover notes, closings, signatures, disclaimers, sign-off blocks. Several
// languages; each pattern is matched against one line (or one short paragraph). Pure data.
// JavaScript's \b only knows ASCII letters ("comité" has no \b after its é), so every \b here
// is rewritten as a Unicode word boundary by `unicodeWords`.

import { CLOSING_WIDE, COVER_WIDE, GREETING_WIDE } from './lexicons.ts';

const WORD_START = '(?<![\\p{L}\\p{N}_])';
const WORD_END = '(?![\\p{L}\\p{N}_])';

/**
 * The same regex with \b made Unicode-aware. A \b at the start of the pattern, of a group or
 * alternative, or after a quantifier or a space opens a word; any other closes one (one-sided checks are much faster than \b's
 * two-sided test).
 */
export function unicodeWords(regex: RegExp): RegExp {
  const flags = regex.flags.includes('u') ? regex.flags : `${regex.flags}u`;
  const source = regex.source.replace(/\\b/g, (_m, offset: number, all: string) => (offset === 0 || /[(:|^}*+ ]$/.test(all.slice(0, offset)) ? WORD_START : WORD_END));
  return new RegExp(source, flags);
}


/**
 * A line that ends a sentence, in any script (\p{STerm}: . ! ? । ։ ۔ 。 ။ ። …), or with an ellipsis
 * or semicolon; a closing quote or bracket counts only after one ("… now.”"), and an acronym in
 * brackets never does ("Union (HRCP)", "คณะกรรมการ (คสรท.)").
 */
const SENTENCE_END = /(?:[\p{STerm}…;]|[\p{STerm}…]\s?[»”"'’)\]」』】]+)\s*$/u;
const BRACKETED_ACRONYM = /\([^()\s]{1,15}\)\s*$/u;

export function endsSentence(line: string): boolean {
  return SENTENCE_END.test(line) && !BRACKETED_ACRONYM.test(line);
}

/** A full stop in any script (not ! or ?): a line ending with one is a sentence, not a headline. */
export const FULL_STOP_END = /(?![!?！？؟‼⁇⁈⁉﹗﹖])\p{STerm}\s*$/u;

/** A greeting to the editors on its own line: "Dear editors,", "Hi,", "Good day, editors!". */
const GREETING_PATTERN =
  /^(?:dear|hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening|day)|to the editors?|to whom it may concern|estimad[oa]s?|queridos?|queridas?|hola|buen(?:os|as)? (?:d[ií]as?|tardes)|cher|chère|chers|chères|bonjour|salut|liebe|lieber|sehr geehrte|hallo|guten tag|cari|care|gentili|salve|caros?|prezad[oa]s?|olá|ol[aá]|beste|geachte|kumusta|magandang (?:araw|umaga|hapon)|mahal na|salam|selamat (?:pagi|siang|petang|sore)|kepada|yth\.?|assalamualaikum|namaste|comrades?|dear all)\b[^.!?]{0,60}[,!:.]?\s*$/iu;

/** A closing line: "Regards,", "In solidarity,", "Maraming salamat po,". */
const CLOSING_PATTERN =
  /^(?:(?:with )?(?:best|kind|warm|warmest|warm comradely|comradely|revolutionary|fraternal|solidarity|militant|red)?\s*(?:regards|wishes|greetings|salutes?)|best|cheers|thanks(?: (?:a lot|again|so much))?|thank you(?: (?:very much|so much|again|in advance))?|many thanks|sincerely|yours(?: sincerely| faithfully| truly| in solidarity| in struggle)?|in solidarity|solidarity(?: forever)?|with solidarity|in struggle|red salute|lal salaam|comradely|fraternally|take care|cordialement|bien (?:à vous|cordialement)|salutations(?: fraternelles| militantes)?|amitiés|saludos(?: cordiales| fraternales| solidarios)?|un (?:saludo|abrazo)|abrazos|atentamente|fraternalmente|solidariamente|cordialmente|atenciosamente|abraços|um abraço|mit (?:freundlichen|solidarischen|besten) grüßen|viele grüße|grüße|saluti|cordiali saluti|distinti saluti|met vriendelijke groet(?:en)?|groeten|hälsningar|maraming salamat(?: po)?|salamat(?: po)?|terima kasih|sekian|wassalam|salam (?:perjuangan|solidariti|hormat)|hormat kami)\b[^.?]{0,30}[,.!]?\s*$/iu;

/**
 * What a cover note says: the sender presents the statement to the editors. Matched against a
 * paragraph near the top (or the whole body when it is short).
 */
const COVER_PHRASE_PATTERN =
  /\b(?:please find|find (?:attached|below|enclosed|herewith)|(?:is|are) attached|attached (?:is|are|please|you will find|herewith|to this)|herewith|enclosed (?:is|are|please)|is enclosed|(?:see|read) (?:below|attached|the attached)|below (?:is|are)|forward(?:ing|ed)? (?:you )?(?:the|our|this|a|their|below)\b|forwarded (?:statement|message)|for (?:your|possible) (?:publication|consideration|page|site|website|information|perusal)|for publication|(?:could|would|can|will) you (?:please |kindly )?(?:publish|post|share|include|add|consider|run|carry|feature|put)|(?:we|i) hope (?:you|that you|it|this)|(?:we|i) would (?:be grateful|appreciate)|(?:kindly|please) (?:publish|post|share|include|consider|add|circulate|carry)|in case (?:it|this)(?:'s|’s| is| was) (?:useful|of interest|helpful)|passing (?:it|this) on|sharing (?:with you )?(?:the|our|this)|statements? (?:page|section)|your (?:page|site|website|magazine|publication|collection)|statement (?:below|attached)|adjunt[oa]s?|ci-joint|ci-dessous|veuillez trouver|vous trouverez|anbei|im anhang|unten (?:finden|die)|em anexo|segue (?:em )?anexo|segue abaixo|a continuación|abajo (?:encontrar|les)|kalakip|nakalakip|terlampir|dilampirkan|di bawah ini|berikut (?:ini|adalah))\b/iu;

/** A line that ends the statement's text: the signature separator and similar rules. */
const SIGNATURE_SEPARATOR_PATTERN = /^\s*(?:--|—|–|-- ?|_{3,}|-{3,}|={3,}|\*{3,}|~{3,})\s*$/;

/** Mobile-client footers. */
const SENT_FROM_PATTERN = /^(?:sent from my|sent from (?:outlook|mail|yahoo|gmail)|get outlook for|enviado desde|envoyé de mon|von meinem .* gesendet|inviato da|dikirim dari)\b/i;

/**
 * Opens a block naming who issues or signs the statement: "Released by,", "Signed:",
 * "Issued by the Central Committee", "Firman:".
 */
const SIGN_OFF_MARKER_PATTERN =
  /^(?:released by|issued by|signed(?: by)?|ont sign[ée]e?s?|han firmado|hanno firmato|assinaram|haben unterzeichnet|signatories|signatures?|co-?signed by|endorsed by|endorsements|on behalf of|for and on behalf of|authori[sz]ed by|approved by|sgd\.?|firmado(?: por)?|firman|firmaron|firmamos|signent|firmantes|firmas|signé(?: par)?|signataires|unterzeichnet(?: von)?|unterzeichner(?:innen)?|unterschriften|assinado(?: por)?|assinam|assinaturas|firmato(?: da)?|firmatari|ondertekend(?: door)?|ondertekenaars|ditandatangani(?: oleh)?|dikeluarkan oleh|penandatangan|nilagdaan(?: ni| ng)?|lumagda)\b\s*[:,\-–—]?\s*(.*)$/iu;

/** Contact details in a signature: phone, e-mail, web, postal lines. */
const CONTACT_LINE_PATTERN =
  /^(?:(?:tel|phone|mob(?:ile)?|cell|fax|m|t|p|e|w|email|e-mail|web|website|www|skype|whatsapp|telegram|signal|twitter|facebook|fb|instagram|ig)\s*[:.|]|\+?\d[\d ()./-]{6,}\d|https?:\/\/\S+$|www\.\S+$|[\w.+-]+@[\w-]+\.[\w.-]+$|(?:po box|p\.o\. box)\b)/iu;

/** Legal disclaimers, confidentiality notices, land acknowledgements and similar footers. */
const DISCLAIMER_PATTERN =
  /\b(?:this (?:e-?mail|message|communication)(?: and any (?:attachments?|files))? (?:is|are|may (?:contain|be)|contains?)|intended (?:only|solely|exclusively) for|if you (?:are not|have received this)|confidential(?:ity)? (?:notice|information)|legally privileged|subject to legal privilege|do not (?:read|copy|distribute|disclose)|notify the sender|accept (?:no )?liability|virus(?:es)? (?:check|scan|free)|computer viruses|views expressed|traditional (?:custodians|owners)|sovereignty was never ceded|pay (?:our|my) respects to elders|please consider the environment|before printing|unsubscribe|ce (?:message|courriel) (?:et ses pièces jointes )?(?:est|peut)|(?:reçu|recibido|ricevuto|recebido) (?:ce|este|questo) (?:message|courriel|mensaje|correo|messaggio|e-?mail) par erreur|merci d['’]en (?:avertir|informer)|este (?:mensaje|correo)(?: electrónico)? (?:y sus anexos )?(?:es|puede|contiene)|diese e-?mail (?:enthält|ist)|questo messaggio|este e-?mail (?:e seus anexos )?(?:é|pode|contém))/iu;

/** Org-like words: a name containing one is probably an organisation, not a person. */
const ORGANISATION_WORD_PATTERN =
  /\b(?:part(?:y|ies|i|ido|ai|ij|ei|ito)|alliance|alianza|aliança|alleanza|allianz|union|unión|união|unione|gewerkschaft|movement|movimiento|movimento|mouvement|bewegung|front|frente|fronte|federation|federación|fédération|federação|federazione|föderation|congress|congreso|congresso|congrès|league|liga|ligue|lega|committee|comité|comitê|comitato|komitee|council|consejo|conselho|conseil|consiglio|association|asociación|associação|associazione|verband|verein|network|rede|réseau|rete|netzwerk|coalition|coalición|coalizão|coalizione|centre|center|centro|zentrum|collective|colectivo|coletivo|collectif|collettivo|kollektiv|organi[sz]ation|organización|organização|organizzazione|organisasi|socialists?|socialista|socialiste|sozialist\w*|sosialis|communists?|comunista|communiste|kommunist\w*|komunis|workers|trabajadores|trabalhadores|travailleurs|lavoratori|arbeiter\w*|pekerja|buruh|manggagawa|labou?r|group|grupo|groupe|gruppe|gruppo|forum|foro|fórum|institute|instituto|institut|istituto|society|sociedad|sociedade|société|società|gesellschaft|solidarity|solidaridad|solidariedade|solidarité|solidarietà|solidarität|solidariti|initiative|iniciativa|initiativ|iniziativa|assembly|asamblea|assembleia|assemblée|assemblea|bloc|bloque|bloco|blocco|confederation|confederación|confederação|confédération|confederazione|syndicate|sindicato|syndicat|sindacato|youth|juventud|juventude|jeunesse|gioventù|jugend|belia|kabataan|women'?s|mujeres|mulheres|femmes|donne|frauen|wanita|kababaihan|kilusan|samahan|pagkakaisa|gerakan|persatuan|kesatuan|kongres|secretariat|secretariado|secrétariat|platform|plataforma|plateforme|piattaforma|campaign|campaña|campanha|campagne|campagna|kampagne|coordinat\w+|liberation|liberación|libération|league|brigade|brigada|sarekat|akbayan|bayan|commission|comisión|comissão|commissione|kommission|komisi|human rights|derechos humanos|direitos humanos|droits humains|droits de l['’]homme|menschenrechte)\b/iu;

/** Words of a role or office: a line with one is a role, not a person's name. */
const ROLE_WORD_PATTERN =
  /\b(?:member|secretary|secretary-general|president|vice|deputy|chair|chairman|chairwoman|chairperson|spokesperson|spokesman|spokeswoman|coordinator|co-ordinator|convenor|convener|director|officer|leader|head|general|treasurer|organi[sz]er|representative|executive|board|bureau|national|central|office|department|committee|council|presidium|politburo|secretariat|founder|editor|manager|liaison|delegate|mp|senator|councillor|mayor|professor|dr|secretario|secretaria|presidente|presidenta|portavoz|coordinador|coordinadora|miembro|secrétaire|président|présidente|porte-parole|membre|sekretär|vorsitzende|sprecher|sprecherin|mitglied|segretario|segretaria|generale|portavoce|membro|setiausaha|pengerusi|ahli|ketua|timbalan|kalihim|pangulo|tagapagsalita|kasapi|koordinator|sekretaris|direktur|bendahara|juru bicara|wakil|coordenador|coordenadora|secretário|secretária|coordinateur|coordinatrice|vorsitzender|geschäftsführer|geschäftsführerin|bezirksleiter|bezirksleiterin|sekreter|başkan|genel başkan|przewodniczący|przewodnicząca|rzecznik|katibu|mwenyekiti|msemaji|mkurugenzi|mratibu)\b/iu;

export const GREETING = new RegExp(`(?:${unicodeWords(GREETING_PATTERN).source})|(?:${GREETING_WIDE.source})`, 'iu');
export const CLOSING = new RegExp(`(?:${unicodeWords(CLOSING_PATTERN).source})|(?:${CLOSING_WIDE.source})`, 'iu');
export const COVER_PHRASE = new RegExp(`(?:${unicodeWords(COVER_PHRASE_PATTERN).source})|(?:${COVER_WIDE.source})`, 'iu');
export const SIGNATURE_SEPARATOR = unicodeWords(SIGNATURE_SEPARATOR_PATTERN);
export const SENT_FROM = unicodeWords(SENT_FROM_PATTERN);
export const SIGN_OFF_MARKER = unicodeWords(SIGN_OFF_MARKER_PATTERN);
export const CONTACT_LINE = unicodeWords(CONTACT_LINE_PATTERN);
export const DISCLAIMER = unicodeWords(DISCLAIMER_PATTERN);
export const ORGANISATION_WORD = unicodeWords(ORGANISATION_WORD_PATTERN);
export const ROLE_WORD = unicodeWords(ROLE_WORD_PATTERN);
