// OpenAPI security requirements shared by the admin routes.
export const EDITOR_SECURITY: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { sessionCookie: [] }];
