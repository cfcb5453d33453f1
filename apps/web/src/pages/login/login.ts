import { ApiError } from '../../api/errors';
import i18n from '../../i18n';
import { sessionStore } from '../../api/session';

/** POST /auth/login; the session is stored, and mustChangePassword says where to go next. */
export async function logIn(username: string, password: string): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN',
      },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new ApiError(0, undefined);
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown>;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body as never,
      Number(response.headers.get('retry-after')) || undefined,
    );
  }
  sessionStore.set({
    accessToken: body.accessToken as string,
    refreshToken: body.refreshToken as string,
    mustChangePassword: Boolean(body.mustChangePassword),
  });
  return Boolean(body.mustChangePassword);
}
