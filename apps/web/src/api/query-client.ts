import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './errors';

/** The app's one query cache (a module, so a screen's queries can be sent before it renders). */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (403, 404, …) is an answer, not a glitch: show it instead of retrying.
      retry: (count, error) => !(isApiError(error) && error.isRefusal) && count < 2,
      refetchOnWindowFocus: false,
      networkMode: 'always',
    },
    mutations: { networkMode: 'always' },
  },
});
