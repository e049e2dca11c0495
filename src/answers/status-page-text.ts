// The wording of the sender's status page, in the languages the acknowledgement is written in
// (the page is where its link leads, so it speaks the same language); English otherwise. The
// state names follow the acknowledgement's list ("received, being reviewed, published or not
// published"). Pure.
import type { SubmissionState } from './submissions.ts';
import { templateLanguage, textDirection } from './templates.ts';

export interface StatusPageText {
  states: Record<SubmissionState, { heading: string; text: string }>;
  /** "Your statement: {state}". */
  pageTitle: string;
  description: string;
  progress: string;
  done: string;
  now: string;
  readIt: string;
  noteHeading: string;
  privacy: string;
  /** Before the feed links in the footer, with its colon. */
  follow: string;
}

const EN: StatusPageText = {
  states: {
    received: { heading: 'Received', text: 'Your statement has arrived. Our editors have not read it yet.' },
    being_reviewed: { heading: 'Being reviewed', text: 'Our editors are reviewing your statement.' },
    published: { heading: 'Published', text: 'Your statement is published.' },
    not_published: { heading: 'Not published', text: 'Our editors decided not to publish your statement.' },
  },
  pageTitle: 'Your statement: {state}',
  description: 'Where a statement sent to us stands.',
  progress: 'Progress',
  done: '(done)',
  now: '(now)',
  readIt: 'Read it on our site',
  noteHeading: 'A note from the editors',
  privacy: 'This page shows only where your statement stands. Keep its address to yourself: anyone with it can see this page.',
  follow: 'Follow:',
};

const TEXTS: Record<string, StatusPageText> = {
  en: EN,
  fr: {
    states: {
      received: { heading: 'Reçue', text: 'Votre déclaration nous est parvenue. Notre équipe éditoriale ne l’a pas encore lue.' },
      being_reviewed: { heading: 'En cours d’examen', text: 'Notre équipe éditoriale examine votre déclaration.' },
      published: { heading: 'Publiée', text: 'Votre déclaration est publiée.' },
      not_published: { heading: 'Non publiée', text: 'Notre équipe éditoriale a décidé de ne pas publier votre déclaration.' },
    },
    pageTitle: 'Votre déclaration : {state}',
    description: 'Où en est une déclaration qui nous a été envoyée.',
    progress: 'Progression',
    done: '(fait)',
    now: '(en ce moment)',
    readIt: 'La lire sur notre site',
    noteHeading: 'Un mot de l’équipe éditoriale',
    privacy: 'Cette page indique seulement où en est votre déclaration. Gardez son adresse pour vous : toute personne qui la connaît peut voir cette page.',
    follow: 'Suivre :',
  },
  es: {
    states: {
      received: { heading: 'Recibida', text: 'Su declaración ha llegado. Nuestro equipo editorial todavía no la ha leído.' },
      being_reviewed: { heading: 'En revisión', text: 'Nuestro equipo editorial está revisando su declaración.' },
      published: { heading: 'Publicada', text: 'Su declaración está publicada.' },
      not_published: { heading: 'No publicada', text: 'Nuestro equipo editorial decidió no publicar su declaración.' },
    },
    pageTitle: 'Su declaración: {state}',
    description: 'En qué estado está una declaración que nos enviaron.',
    progress: 'Progreso',
    done: '(hecho)',
    now: '(ahora)',
    readIt: 'Leerla en nuestro sitio',
    noteHeading: 'Una nota del equipo editorial',
    privacy: 'Esta página solo muestra en qué estado está su declaración. No comparta su dirección: cualquiera que la tenga puede ver esta página.',
    follow: 'Seguir:',
  },
  pt: {
    states: {
      received: { heading: 'Recebida', text: 'A sua declaração chegou. A nossa equipa editorial ainda não a leu.' },
      being_reviewed: { heading: 'Em análise', text: 'A nossa equipa editorial está a analisar a sua declaração.' },
      published: { heading: 'Publicada', text: 'A sua declaração está publicada.' },
      not_published: { heading: 'Não publicada', text: 'A nossa equipa editorial decidiu não publicar a sua declaração.' },
    },
    pageTitle: 'A sua declaração: {state}',
    description: 'O estado de uma declaração que nos foi enviada.',
    progress: 'Progresso',
    done: '(feito)',
    now: '(agora)',
    readIt: 'Lê-la no nosso site',
    noteHeading: 'Uma nota da equipa editorial',
    privacy: 'Esta página mostra apenas o estado da sua declaração. Não partilhe o seu endereço: qualquer pessoa que o tenha pode ver esta página.',
    follow: 'Seguir:',
  },
  de: {
    states: {
      received: { heading: 'Eingegangen', text: 'Ihre Erklärung ist angekommen. Unsere Redaktion hat sie noch nicht gelesen.' },
      being_reviewed: { heading: 'In Prüfung', text: 'Unsere Redaktion prüft Ihre Erklärung.' },
      published: { heading: 'Veröffentlicht', text: 'Ihre Erklärung ist veröffentlicht.' },
      not_published: { heading: 'Nicht veröffentlicht', text: 'Unsere Redaktion hat entschieden, Ihre Erklärung nicht zu veröffentlichen.' },
    },
    pageTitle: 'Ihre Erklärung: {state}',
    description: 'Wie es um eine an uns gesandte Erklärung steht.',
    progress: 'Fortschritt',
    done: '(erledigt)',
    now: '(jetzt)',
    readIt: 'Auf unserer Website lesen',
    noteHeading: 'Eine Nachricht der Redaktion',
    privacy: 'Diese Seite zeigt nur, wie es um Ihre Erklärung steht. Behalten Sie ihre Adresse für sich: Wer sie kennt, kann diese Seite sehen.',
    follow: 'Folgen:',
  },
  id: {
    states: {
      received: { heading: 'Diterima', text: 'Pernyataan Anda sudah kami terima. Tim redaksi kami belum membacanya.' },
      being_reviewed: { heading: 'Sedang ditinjau', text: 'Tim redaksi kami sedang meninjau pernyataan Anda.' },
      published: { heading: 'Diterbitkan', text: 'Pernyataan Anda sudah diterbitkan.' },
      not_published: { heading: 'Tidak diterbitkan', text: 'Tim redaksi kami memutuskan untuk tidak menerbitkan pernyataan Anda.' },
    },
    pageTitle: 'Pernyataan Anda: {state}',
    description: 'Status pernyataan yang dikirim kepada kami.',
    progress: 'Kemajuan',
    done: '(selesai)',
    now: '(sekarang)',
    readIt: 'Baca di situs kami',
    noteHeading: 'Catatan dari tim redaksi',
    privacy: 'Halaman ini hanya menunjukkan status pernyataan Anda. Jangan bagikan alamatnya: siapa pun yang memilikinya dapat melihat halaman ini.',
    follow: 'Ikuti:',
  },
  ms: {
    states: {
      received: { heading: 'Diterima', text: 'Kenyataan anda telah kami terima. Pasukan editorial kami belum membacanya.' },
      being_reviewed: { heading: 'Sedang disemak', text: 'Pasukan editorial kami sedang menyemak kenyataan anda.' },
      published: { heading: 'Diterbitkan', text: 'Kenyataan anda telah diterbitkan.' },
      not_published: { heading: 'Tidak diterbitkan', text: 'Pasukan editorial kami memutuskan untuk tidak menerbitkan kenyataan anda.' },
    },
    pageTitle: 'Kenyataan anda: {state}',
    description: 'Status kenyataan yang dihantar kepada kami.',
    progress: 'Kemajuan',
    done: '(selesai)',
    now: '(sekarang)',
    readIt: 'Baca di laman web kami',
    noteHeading: 'Nota daripada pasukan editorial',
    privacy: 'Halaman ini hanya menunjukkan status kenyataan anda. Jangan kongsi alamatnya: sesiapa yang mempunyainya boleh melihat halaman ini.',
    follow: 'Ikuti:',
  },
  tl: {
    states: {
      received: { heading: 'Natanggap', text: 'Natanggap namin ang inyong pahayag. Hindi pa ito nababasa ng aming mga editor.' },
      being_reviewed: { heading: 'Sinusuri', text: 'Sinusuri ng aming mga editor ang inyong pahayag.' },
      published: { heading: 'Nailathala', text: 'Nailathala na ang inyong pahayag.' },
      not_published: { heading: 'Hindi nailathala', text: 'Nagpasya ang aming mga editor na hindi ilathala ang inyong pahayag.' },
    },
    pageTitle: 'Ang inyong pahayag: {state}',
    description: 'Ang kalagayan ng isang pahayag na ipinadala sa amin.',
    progress: 'Pag-usad',
    done: '(tapos na)',
    now: '(ngayon)',
    readIt: 'Basahin ito sa aming site',
    noteHeading: 'Isang paalala mula sa mga editor',
    privacy: 'Ipinapakita lamang ng pahinang ito ang kalagayan ng inyong pahayag. Huwag ibahagi ang address nito: makikita ng sinumang mayroon nito ang pahinang ito.',
    follow: 'Sundan:',
  },
  ar: {
    states: {
      received: { heading: 'وصل', text: 'وصل بيانكم. لم يقرأه فريق التحرير بعد.' },
      being_reviewed: { heading: 'قيد المراجعة', text: 'يراجع فريق التحرير بيانكم.' },
      published: { heading: 'نُشر', text: 'نُشر بيانكم.' },
      not_published: { heading: 'لم يُنشر', text: 'قرّر فريق التحرير عدم نشر بيانكم.' },
    },
    pageTitle: 'بيانكم: {state}',
    description: 'حالة بيان أُرسل إلينا.',
    progress: 'التقدّم',
    done: '(تمّ)',
    now: '(الآن)',
    readIt: 'اقرؤوه على موقعنا',
    noteHeading: 'ملاحظة من فريق التحرير',
    privacy: 'لا تعرض هذه الصفحة سوى حالة بيانكم. احتفظوا بعنوانها لأنفسكم: يستطيع أي شخص يملكه أن يرى هذه الصفحة.',
    follow: 'تابِعوا:',
  },
  ru: {
    states: {
      received: { heading: 'Получено', text: 'Ваше заявление получено. Редакция его ещё не прочитала.' },
      being_reviewed: { heading: 'Рассматривается', text: 'Редакция рассматривает ваше заявление.' },
      published: { heading: 'Опубликовано', text: 'Ваше заявление опубликовано.' },
      not_published: { heading: 'Не опубликовано', text: 'Редакция решила не публиковать ваше заявление.' },
    },
    pageTitle: 'Ваше заявление: {state}',
    description: 'На каком этапе присланное нам заявление.',
    progress: 'Ход рассмотрения',
    done: '(пройдено)',
    now: '(сейчас)',
    readIt: 'Читать на нашем сайте',
    noteHeading: 'Сообщение от редакции',
    privacy: 'Эта страница показывает только, на каком этапе ваше заявление. Не передавайте её адрес другим: любой, у кого он есть, может открыть эту страницу.',
    follow: 'Подписаться:',
  },
  zh: {
    states: {
      received: { heading: '已收到', text: '我们已收到您的声明，编辑尚未阅读。' },
      being_reviewed: { heading: '审核中', text: '编辑正在审核您的声明。' },
      published: { heading: '已发布', text: '您的声明已发布。' },
      not_published: { heading: '未发布', text: '编辑决定不发布您的声明。' },
    },
    pageTitle: '您的声明：{state}',
    description: '发给我们的声明的状态。',
    progress: '进度',
    done: '（已完成）',
    now: '（当前）',
    readIt: '在我们的网站上阅读',
    noteHeading: '编辑留言',
    privacy: '此页面仅显示您的声明的状态。请勿将此地址告诉他人：任何知道此地址的人都能看到此页面。',
    follow: '订阅：',
  },
  ja: {
    states: {
      received: { heading: '受付済み', text: '声明を受け取りました。編集部はまだ拝読していません。' },
      being_reviewed: { heading: '確認中', text: '編集部が声明を確認しています。' },
      published: { heading: '掲載済み', text: '声明を掲載しました。' },
      not_published: { heading: '不掲載', text: '編集部は声明を掲載しないことにしました。' },
    },
    pageTitle: 'お送りいただいた声明：{state}',
    description: '当サイトに送られた声明の状況。',
    progress: '進捗',
    done: '（完了）',
    now: '（現在）',
    readIt: '当サイトで読む',
    noteHeading: '編集部からのメッセージ',
    privacy: 'このページには声明の状況のみが表示されます。このアドレスは他の人に教えないでください。アドレスを知っている人は誰でもこのページを見ることができます。',
    follow: 'フォロー：',
  },
};

/** The page's language (a template language: "pt-BR" -> "pt"; English when there is none), direction and wording. */
export function statusPageText(statementLanguage: string | null | undefined): { lang: string; dir: 'ltr' | 'rtl'; text: StatusPageText } {
  const lang = templateLanguage(statementLanguage);
  const text = TEXTS[lang];
  if (!text) return { lang: 'en', dir: 'ltr', text: EN };
  return { lang, dir: textDirection(lang), text };
}

export const STATUS_PAGE_LANGUAGES = Object.keys(TEXTS);
