import { useEffect, useRef } from 'react';
import { useLocation } from 'wouter';

/**
 * After a navigation inside the app (not the first page load), moves focus to the new page's
 * heading, as a full page load would put a screen reader at the top of the new page: otherwise
 * focus stays on a link or button that is no longer there, and keyboard users start over. A page
 * still loading gets focus on its heading when the heading appears.
 */
export function useFocusHeadingOnNavigation(): void {
  const [location] = useLocation();
  const previous = useRef(location);
  useEffect(() => {
    if (previous.current === location) return;
    previous.current = location;
    const focusHeading = () => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if (!heading) return false;
      heading.tabIndex = -1;
      heading.focus();
      return true;
    };
    const main = document.querySelector('main');
    if (focusHeading() || !main) return;
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    observer.observe(main, { childList: true, subtree: true });
    const giveUp = setTimeout(() => observer.disconnect(), 5000);
    return () => {
      observer.disconnect();
      clearTimeout(giveUp);
    };
  }, [location]);
}
