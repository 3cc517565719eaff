import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';

const storageKey = (path: string) => `link-token:${path}`;

/**
 * The `token` of a link from a mail, read once. It leaves the address bar (and the history) at
 * once, and stays in this tab's sessionStorage only, so a reload of the page still has it.
 */
export function useLinkToken(path: string): string {
  const [, navigate] = useLocation();
  const [token] = useState(() => {
    const fromUrl = new URLSearchParams(window.location.search).get('token');
    if (fromUrl) sessionStorage.setItem(storageKey(path), fromUrl);
    return fromUrl ?? sessionStorage.getItem(storageKey(path)) ?? '';
  });
  useEffect(() => {
    if (window.location.search) navigate(path, { replace: true });
  }, [navigate, path]);
  return token;
}

/** Forgets the token once the link has done its work (or cannot any more). */
export function forgetLinkToken(path: string): void {
  sessionStorage.removeItem(storageKey(path));
}
