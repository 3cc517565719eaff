import type { ReactNode } from 'react';

/**
 * One part of the account page: a heading the in-page navigation links to (`#id`) and the
 * section's content (cards, whose own headings start at h3).
 */
export function AccountSection({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <section id={id} className="account-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}
