// What the API says about a statement's sender and the organisation registry: what the registry
// knows of the sender, what an editor can teach it, and what teaching did.
import { z } from 'zod';
import type { RememberSenderResult } from '../../moderation/teach-registry.ts';
import type { SenderRegistryView } from '../../moderation/sender-registry-plan.ts';
import { organisationSchema } from './registry.ts';

const rememberKindSchema = z.enum(['address', 'domain']);

export const rememberSenderBodySchema = z
  .strictObject({
    remember: z
      .enum(['auto', 'address', 'domain'])
      .default('auto')
      .describe('"address": this sender address; "domain": every address of its domain (refused for a shared mail service such as gmail.com, or a domain another organisation has); "auto" (default): the domain when it reads as the organisation\'s own, else the address (offer.remember of the GET).'),
  })
  .nullish();

export const senderRegistryViewSchema = z.object({
  sender: z.string().nullable().describe("The statement's own sender (in a forward, the forwarded message's From); null when it was not made from an email."),
  known: z
    .object({
      organisationId: z.uuid(),
      name: z.string(),
      shortName: z.string().nullable(),
      matchedBy: rememberKindSchema.describe('The registry knows the exact address, or its domain.'),
      value: z.string().describe('The address or domain the registry matched.'),
    })
    .nullable()
    .describe('The organisation the next email from this sender gets from the registry (confidence 0.95), if any.'),
  organisationSetByEditor: z.boolean().describe('An editor set or corrected the organisation or its short name; the statement page offers the action only then.'),
  offer: z
    .object({
      organisationId: z.uuid().nullable().describe('The registry organisation; null: it is added to the registry.'),
      organisationName: z.string(),
      organisationShort: z.string().nullable().describe('The short name remembered too; null when there is none or the registry has it already.'),
      senderKnown: z.boolean().describe('The registry already gives this sender this organisation; only the short name is new.'),
      remember: rememberKindSchema.describe('What "auto" remembers.'),
      address: z.string(),
      domain: z.string().nullable().describe('The domain, when it may be remembered.'),
      domainRefusal: z.string().nullable().describe('Why only the address can be remembered.'),
    })
    .nullable()
    .describe('What POST would teach the registry; null when there is nothing to teach.'),
  nothingToTeach: z.string().nullable().describe('Why there is nothing to teach, when offer is null.'),
  statementVersion: z.number().int().describe('Send it back as If-Match with the POST.'),
});

export const rememberSenderResultSchema = z.object({
  organisation: organisationSchema,
  created: z.boolean().describe('The organisation was added to the registry.'),
  remembered: z.object({ kind: rememberKindSchema, value: z.string() }).nullable().describe('The address or domain added; null when only the short name was new.'),
  movedFrom: z.array(z.object({ id: z.uuid(), name: z.string() })).describe('Organisations that had this address before.'),
  draftsUpdated: z.array(z.uuid()).describe('Other drafts from this sender that got the organisation (confidence 0.95).'),
  statementVersion: z.number().int().describe("The statement's version now (it is linked to the organisation)."),
});

export function toSenderRegistryView(view: SenderRegistryView & { statementVersion: number }): z.infer<typeof senderRegistryViewSchema> {
  return { sender: view.sender, known: view.known, organisationSetByEditor: view.organisationSetByEditor, offer: view.offer, nothingToTeach: view.nothingToTeach, statementVersion: view.statementVersion };
}

export function toRememberSenderResult(result: RememberSenderResult, organisation: z.infer<typeof organisationSchema>): z.infer<typeof rememberSenderResultSchema> {
  return { organisation, created: result.created, remembered: result.remembered, movedFrom: result.movedFrom, draftsUpdated: result.draftsUpdated, statementVersion: result.statementVersion };
}
