// The wording of the mail we send, per kind and language: built-in texts in the languages our
// senders write in, which admins may replace (mail_templates). Placeholders: {title},
// {statusUrl} (acknowledgement), {publicUrl} (published). Plain text is the template; the HTML
// part is made from it (escaped, paragraphs, our links). Pure, except loadTemplate.
import type { DbTx } from '../db/client.ts';

export const MAIL_KINDS = ['acknowledgement', 'published'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** Placeholders a template of each kind must keep: without them the mail would say nothing useful. */
export const REQUIRED_PLACEHOLDERS: Record<MailKind, string[]> = {
  acknowledgement: ['{statusUrl}'],
  published: ['{publicUrl}'],
};

const ACK: Record<string, string> = {
  en: 'Hello,\n\nThank you: your statement has arrived, and our editors will read it.\n\nTitle as we drafted it: {title}\n\nYou can see where it stands (received, being reviewed, published or not published) here:\n{statusUrl}\n\nTo correct it, reply to this email with the corrected text. This is an automatic message.',
  fr: 'Bonjour,\n\nMerci : votre déclaration nous est bien parvenue et notre équipe éditoriale va la lire.\n\nTitre retenu : {title}\n\nVous pouvez suivre son état (reçue, en cours d’examen, publiée ou non publiée) ici :\n{statusUrl}\n\nPour la corriger, répondez à ce message avec le texte corrigé. Ce message est automatique.',
  es: 'Hola:\n\nGracias: su declaración ha llegado y nuestro equipo editorial la leerá.\n\nTítulo con el que la registramos: {title}\n\nPuede ver en qué estado está (recibida, en revisión, publicada o no publicada) aquí:\n{statusUrl}\n\nPara corregirla, responda a este mensaje con el texto corregido. Este es un mensaje automático.',
  pt: 'Olá,\n\nObrigado: a sua declaração chegou e a nossa equipa editorial vai lê-la.\n\nTítulo com que a registámos: {title}\n\nPode acompanhar o seu estado (recebida, em análise, publicada ou não publicada) aqui:\n{statusUrl}\n\nPara a corrigir, responda a esta mensagem com o texto corrigido. Esta é uma mensagem automática.',
  de: 'Guten Tag,\n\nvielen Dank: Ihre Erklärung ist angekommen, und unsere Redaktion wird sie lesen.\n\nTitel, unter dem wir sie erfasst haben: {title}\n\nHier sehen Sie, wie es um sie steht (eingegangen, in Prüfung, veröffentlicht oder nicht veröffentlicht):\n{statusUrl}\n\nUm sie zu korrigieren, antworten Sie auf diese E-Mail mit dem korrigierten Text. Dies ist eine automatische Nachricht.',
  id: 'Halo,\n\nTerima kasih: pernyataan Anda sudah kami terima dan akan dibaca oleh tim redaksi kami.\n\nJudul yang kami catat: {title}\n\nAnda dapat melihat statusnya (diterima, sedang ditinjau, diterbitkan atau tidak diterbitkan) di sini:\n{statusUrl}\n\nUntuk mengoreksinya, balas email ini dengan teks yang sudah diperbaiki. Ini adalah pesan otomatis.',
  ms: 'Salam,\n\nTerima kasih: kenyataan anda telah kami terima dan akan dibaca oleh pasukan editorial kami.\n\nTajuk yang kami rekodkan: {title}\n\nAnda boleh melihat statusnya (diterima, sedang disemak, diterbitkan atau tidak diterbitkan) di sini:\n{statusUrl}\n\nUntuk membetulkannya, balas e-mel ini dengan teks yang telah dibetulkan. Ini ialah mesej automatik.',
  tl: 'Magandang araw,\n\nSalamat: natanggap namin ang inyong pahayag at babasahin ito ng aming mga editor.\n\nPamagat na itinala namin: {title}\n\nMakikita ninyo ang kalagayan nito (natanggap, sinusuri, nailathala o hindi nailathala) dito:\n{statusUrl}\n\nUpang itama ito, sumagot sa email na ito kasama ang itinamang teksto. Ito ay awtomatikong mensahe.',
  ar: 'مرحباً،\n\nشكراً لكم: لقد وصل بيانكم وسيقرؤه فريق التحرير لدينا.\n\nالعنوان كما سجّلناه: {title}\n\nيمكنكم متابعة حالته (وصل، قيد المراجعة، نُشر أو لم يُنشر) هنا:\n{statusUrl}\n\nلتصحيحه، ردّوا على هذه الرسالة بالنص المصحَّح. هذه رسالة آلية.',
  ru: 'Здравствуйте!\n\nСпасибо: ваше заявление получено, наша редакция его прочитает.\n\nЗаголовок, под которым мы его записали: {title}\n\nЗдесь можно узнать, на каком оно этапе (получено, рассматривается, опубликовано или не опубликовано):\n{statusUrl}\n\nЧтобы исправить его, ответьте на это письмо исправленным текстом. Это автоматическое сообщение.',
  zh: '您好：\n\n谢谢！我们已收到您的声明，编辑将会阅读。\n\n我们记录的标题：{title}\n\n您可以在此查看其状态（已收到、审核中、已发布或未发布）：\n{statusUrl}\n\n如需更正，请直接回复本邮件并附上更正后的文本。此邮件为自动发送。',
  ja: 'こんにちは。\n\nありがとうございます。声明を受け取りました。編集部が拝読します。\n\n登録したタイトル：{title}\n\n現在の状況（受付済み、確認中、掲載済み、不掲載）はこちらでご確認いただけます：\n{statusUrl}\n\n訂正する場合は、訂正後の本文を添えてこのメールに返信してください。このメッセージは自動送信です。',
};

const PUBLISHED: Record<string, string> = {
  en: 'Hello,\n\nYour statement “{title}” has been published:\n{publicUrl}\n\nThank you for sending it. This is an automatic message.',
  fr: 'Bonjour,\n\nVotre déclaration « {title} » a été publiée :\n{publicUrl}\n\nMerci de nous l’avoir envoyée. Ce message est automatique.',
  es: 'Hola:\n\nSu declaración «{title}» ha sido publicada:\n{publicUrl}\n\nGracias por enviárnosla. Este es un mensaje automático.',
  pt: 'Olá,\n\nA sua declaração «{title}» foi publicada:\n{publicUrl}\n\nObrigado por no-la enviar. Esta é uma mensagem automática.',
  de: 'Guten Tag,\n\nIhre Erklärung „{title}“ ist veröffentlicht:\n{publicUrl}\n\nVielen Dank für die Zusendung. Dies ist eine automatische Nachricht.',
  id: 'Halo,\n\nPernyataan Anda “{title}” telah diterbitkan:\n{publicUrl}\n\nTerima kasih telah mengirimkannya. Ini adalah pesan otomatis.',
  ms: 'Salam,\n\nKenyataan anda “{title}” telah diterbitkan:\n{publicUrl}\n\nTerima kasih kerana menghantarnya. Ini ialah mesej automatik.',
  tl: 'Magandang araw,\n\nNailathala na ang inyong pahayag na “{title}”:\n{publicUrl}\n\nSalamat sa pagpapadala nito. Ito ay awtomatikong mensahe.',
  ar: 'مرحباً،\n\nنُشر بيانكم «{title}»:\n{publicUrl}\n\nشكراً لإرساله. هذه رسالة آلية.',
  ru: 'Здравствуйте!\n\nВаше заявление «{title}» опубликовано:\n{publicUrl}\n\nСпасибо, что прислали его. Это автоматическое сообщение.',
  zh: '您好：\n\n您的声明《{title}》已发布：\n{publicUrl}\n\n感谢您的来稿。此邮件为自动发送。',
  ja: 'こんにちは。\n\nお送りいただいた声明「{title}」を掲載しました：\n{publicUrl}\n\nありがとうございました。このメッセージは自動送信です。',
};

export const BUILT_IN_TEMPLATES: Record<MailKind, Record<string, string>> = { acknowledgement: ACK, published: PUBLISHED };
export const TEMPLATE_LANGUAGES = Object.keys(ACK);
const RTL = new Set(['ar', 'fa', 'he', 'ur']);

/** The writing direction of a template language. */
export function textDirection(language: string): 'ltr' | 'rtl' {
  return RTL.has(language) ? 'rtl' : 'ltr';
}

/** The template language for a statement's language code: "pt-BR" -> "pt", "fil" -> "tl"; English otherwise. */
export function templateLanguage(language: string | null | undefined): string {
  const base = (language ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  const alias: Record<string, string> = { fil: 'tl', in: 'id', msa: 'ms', zsm: 'ms', ind: 'id', cmn: 'zh' };
  const code = alias[base] ?? base;
  return code in ACK ? code : 'en';
}

export async function loadTemplate(db: DbTx, kind: MailKind, language: string): Promise<string> {
  const override = await db.mailTemplate.findUnique({ where: { kind_language: { kind, language } }, select: { bodyText: true } });
  return override?.bodyText ?? BUILT_IN_TEMPLATES[kind][language] ?? BUILT_IN_TEMPLATES[kind].en!;
}

export interface RenderedMail {
  text: string;
  html: string;
}

/** Fills the placeholders; the HTML part escapes everything and links only the values we put in. */
export function renderMail(template: string, values: Record<string, string>, language: string): RenderedMail {
  const text = template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  const links = new Set(Object.entries(values).filter(([name]) => name.endsWith('Url')).map(([, url]) => url));
  const paragraphs = template.split(/\n{2,}/).map((paragraph) =>
    paragraph
      .split('\n')
      .map((line) =>
        line
          .split(/(\{\w+\})/)
          .map((part) => {
            const name = /^\{(\w+)\}$/.exec(part)?.[1];
            const value = name !== undefined ? values[name] : undefined;
            if (value === undefined) return escapeHtml(part);
            return links.has(value) ? `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>` : escapeHtml(value);
          })
          .join(''),
      )
      .join('<br>\n'),
  );
  const dir = textDirection(language);
  const html = `<!doctype html>\n<html lang="${escapeHtml(language)}" dir="${dir}"><head><meta charset="utf-8"></head><body>\n${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}\n</body></html>\n`;
  return { text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "Re: <subject>", without stacking prefixes; a subject-less email gets a plain one. */
export function replySubject(subject: string | null | undefined): string {
  const base = (subject ?? '').replace(/[\r\n]+/g, ' ').trim();
  if (!base) return 'Re: your statement';
  return /^re\s*:/i.test(base) ? base : `Re: ${base}`;
}
