import { type RefObject, useEffect } from 'react';

/**
 * After a submit fails, moves focus to where the problem is: the first invalid field of `form`,
 * else its form-level message (`[data-problem]`, focusable with tabIndex -1). `problem` is the
 * error (or object of field messages) of this attempt: each new one moves focus again.
 */
export function useFocusOnProblem(form: RefObject<HTMLElement | null>, problem: unknown): void {
  useEffect(() => {
    if (!problem || !form.current) return;
    const target =
      form.current.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.current.querySelector<HTMLElement>('[data-problem]');
    target?.focus();
  }, [form, problem]);
}
