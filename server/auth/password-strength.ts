// Refuses passwords that are easy to guess, with zxcvbn-ts (dictionaries of common passwords,
// names and words; keyboard patterns, dates, repeats). The dictionaries (about 2 MB) load once, on
// the first check, and only on the server: the browser shows the reasons the server gives.
import { PRODUCT_NAME } from '../mail/product';

/** zxcvbn's feedback as keys (e.g. `similarToCommon`, `anotherWord`), for the client to translate. */
export interface PasswordFeedback {
  warning: string | null;
  suggestions: string[];
}

export type PasswordVerdict =
  | { strong: true }
  | { strong: false; score: number; feedback: PasswordFeedback; message: string };

// CUSTOMIZE: the password policy. zxcvbn scores 0–4; 3 is "safely unguessable: moderate
// protection from an offline slow-hash scenario", which Argon2id storage is.
export const MIN_PASSWORD_SCORE = 3;

type Estimator = {
  check(password: string, userInputs: string[]): { score: number; feedback: PasswordFeedback };
  english: { warnings: Record<string, string>; suggestions: Record<string, string> };
};

let estimator: Promise<Estimator> | undefined;

function loadEstimator(): Promise<Estimator> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    // No translations: feedback comes back as keys. No Levenshtein matching: it costs ~200 ms of
    // CPU per check against these dictionaries, for a small gain.
    const zxcvbn = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
    });
    return {
      check: (password, userInputs) => zxcvbn.check(password, userInputs),
      english: en.translations,
    };
  })();
  estimator.catch(() => {
    estimator = undefined;
  });
  return estimator;
}

/**
 * Scores a password; `userInputs` (the email, the display name) count as easy to guess.
 * The English `message` says why a weak one is refused; the client translates `feedback`.
 */
export async function checkPasswordStrength(
  password: string,
  userInputs: (string | undefined)[],
): Promise<PasswordVerdict> {
  const { check, english } = await loadEstimator();
  const inputs = [PRODUCT_NAME, ...userInputs.flatMap((input) => (input ? [input] : []))];
  for (const input of [...inputs]) {
    const local = input.split('@')[0];
    if (local && local !== input) inputs.push(local);
  }
  const { score, feedback } = check(password, inputs);
  if (score >= MIN_PASSWORD_SCORE) return { strong: true };
  const reasons = [
    feedback.warning ? english.warnings[feedback.warning] : undefined,
    ...feedback.suggestions.map((key) => english.suggestions[key]),
  ].filter((text): text is string => Boolean(text));
  return {
    strong: false,
    score,
    feedback: { warning: feedback.warning || null, suggestions: feedback.suggestions },
    message: ['This password is too easy to guess.', ...reasons].join(' '),
  };
}
