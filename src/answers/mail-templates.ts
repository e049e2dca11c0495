// Admins' wording of the mail we send: an override per kind and language over the built-in
// template (templates.ts), checked to keep the placeholders the mail needs, and audited.
import type { Db } from '../db/client.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.ts';
import { BUILT_IN_TEMPLATES, MAIL_KINDS, REQUIRED_PLACEHOLDERS, TEMPLATE_LANGUAGES, type MailKind } from './templates.ts';

export const MAX_TEMPLATE_CHARS = 5000;

export async function listMailTemplates(db: Db) {
  const overrides = await db.mailTemplate.findMany();
  const byKey = new Map(overrides.map((o) => [`${o.kind}|${o.language}`, o]));
  return MAIL_KINDS.flatMap((kind) =>
    TEMPLATE_LANGUAGES.map((language) => {
      const override = byKey.get(`${kind}|${language}`);
      return {
        kind,
        language,
        bodyText: override?.bodyText ?? BUILT_IN_TEMPLATES[kind][language]!,
        builtIn: BUILT_IN_TEMPLATES[kind][language]!,
        overridden: Boolean(override),
        updatedAt: override?.updatedAt.toISOString() ?? null,
        updatedBy: override?.updatedBy ?? null,
      };
    }),
  );
}

function checkKey(kind: string, language: string): MailKind {
  if (!(MAIL_KINDS as readonly string[]).includes(kind)) throw new NotFoundError('mail template kind', kind);
  if (!TEMPLATE_LANGUAGES.includes(language)) {
    throw new ValidationError(`There is no template language "${language}": use one of ${TEMPLATE_LANGUAGES.join(', ')} (other languages get English).`, { field: 'language' });
  }
  return kind as MailKind;
}

export async function setMailTemplate(db: Db, input: { kind: string; language: string; bodyText: string; actor: Exclude<AuditActor, 'anonymous'>; now: Date }) {
  const kind = checkKey(input.kind, input.language);
  const bodyText = input.bodyText.replace(/\r\n/g, '\n').trim();
  if (!bodyText) throw new ValidationError('The template is empty: write the text of the mail, or reset it to the built-in one.', { field: 'bodyText' });
  if (bodyText.length > MAX_TEMPLATE_CHARS) throw new ValidationError(`The template is too long: keep it under ${MAX_TEMPLATE_CHARS} characters.`, { field: 'bodyText' });
  const missing = REQUIRED_PLACEHOLDERS[kind].filter((p) => !bodyText.includes(p));
  if (missing.length) {
    throw new ValidationError(`The template must keep ${missing.join(' and ')}: without it the sender gets no link. Other placeholders: {title}.`, { field: 'bodyText' });
  }
  const unknown = [...bodyText.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((name) => !['title', 'statusUrl', 'publicUrl'].includes(name));
  if (unknown.length) throw new ValidationError(`Unknown placeholder {${unknown[0]}}: use {title}, {statusUrl} or {publicUrl}.`, { field: 'bodyText' });
  const updatedBy = typeof input.actor === 'string' ? input.actor : input.actor.email;
  await db.$transaction(async (tx) => {
    await tx.mailTemplate.upsert({
      where: { kind_language: { kind, language: input.language } },
      create: { kind, language: input.language, bodyText, updatedAt: input.now, updatedBy },
      update: { bodyText, updatedAt: input.now, updatedBy },
    });
    await recordAudit(tx, { actor: input.actor, action: 'mail_template.update', details: { kind, language: input.language }, at: input.now });
  });
  return (await listMailTemplates(db)).find((t) => t.kind === kind && t.language === input.language)!;
}

export async function resetMailTemplate(db: Db, input: { kind: string; language: string; actor: Exclude<AuditActor, 'anonymous'>; now: Date }): Promise<void> {
  const kind = checkKey(input.kind, input.language);
  await db.$transaction(async (tx) => {
    await tx.mailTemplate.deleteMany({ where: { kind, language: input.language } });
    await recordAudit(tx, { actor: input.actor, action: 'mail_template.reset', details: { kind, language: input.language }, at: input.now });
  });
}
