// What the API says about editors. Password hashes and token hashes are never named here.
import { z } from 'zod';

export const editorRoleSchema = z.enum(['editor', 'admin']);

export const editorIdentitySchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: editorRoleSchema,
});

export const editorAccountSchema = editorIdentitySchema.extend({
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function toEditorAccount(e: { id: string; email: string; name: string | null; role: 'editor' | 'admin'; active: boolean; createdAt: Date; updatedAt: Date }): z.infer<typeof editorAccountSchema> {
  return { ...e, createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString() };
}
